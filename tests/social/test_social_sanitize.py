"""The sanitizer alone: what goes, what stays, and that it is stable."""

from __future__ import annotations

import pytest

from plugins.social.markup import shorten, text_to_html, visible_text
from plugins.social.sanitize import clean_html
from tests.social.social_helpers import assert_inert


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<p onclick="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="vbscript:alert(1)">x</a>',
        "<svg onload=alert(1)><script>alert(1)</script></svg>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example" srcdoc="<script>alert(1)</script>">alert(1)</iframe>',
        '<form action="https://evil.example"><input value="alert(1)"></form>',
        '<object data="x.swf">alert(1)</object><embed src="x.swf">',
        '<p style="position:fixed">x</p>',
        "<noscript><p>alert(1)</p></noscript>",
        '<template><img src=x onerror="alert(1)"></template>',
        "<!-- <script>alert(1)</script> -->",
        '<base href="https://evil.example/"><link rel=stylesheet href=x>',
        '<meta http-equiv=refresh content="0;url=https://evil.example">',
    ],
)
def test_active_content_is_removed(dirty: str) -> None:
    assert_inert(clean_html(f"<p>safe text</p>{dirty}"))


def test_allowed_markup_is_kept_and_links_get_rel() -> None:
    html = (
        "<p>Un <em>texte</em> <strong>fort</strong><br>"
        '<a href="https://ok.example/?a=1&amp;b=2" title="t" class="c" target="_blank">lien</a> '
        '<a href="mailto:claire@example.com">mail</a></p>'
        "<blockquote>citation</blockquote><ul><li>un</li></ul><ol><li>deux</li></ol>"
        "<pre><code>x = 1</code></pre>"
    )
    assert clean_html(html) == (
        "<p>Un <em>texte</em> <strong>fort</strong><br>"
        '<a href="https://ok.example/?a=1&amp;b=2" rel="nofollow ugc noopener noreferrer">lien</a> '
        '<a href="mailto:claire@example.com" rel="nofollow ugc noopener noreferrer">mail</a></p>'
        "<blockquote>citation</blockquote><ul><li>un</li></ul><ol><li>deux</li></ol>"
        "<pre><code>x = 1</code></pre>"
    )


def test_other_tags_are_unwrapped_keeping_their_text() -> None:
    assert clean_html('<div class="x"><span>bonjour</span> <h1>titre</h1></div>') == "bonjour titre"


def test_relative_links_lose_their_href() -> None:
    # They would point into our own site.
    assert clean_html('<a href="/admin">x</a>') == '<a rel="nofollow ugc noopener noreferrer">x</a>'


def test_clean_html_is_idempotent() -> None:
    once = clean_html(
        '<p>L’été &amp; « <a href="https://x.example" rel="me">lien</a> »<br/>fin</p><img src=x>'
    )
    assert clean_html(once) == once


def test_text_to_html_escapes_and_keeps_line_breaks() -> None:
    html = text_to_html('a < b & c\n<script>alert(1)</script>\nit\'s "fine"')
    assert html == '<p>a &lt; b &amp; c<br>&lt;script&gt;alert(1)&lt;/script&gt;<br>it\'s "fine"</p>'
    assert clean_html(html) == html


def test_text_to_html_of_blank_text_is_empty() -> None:
    assert text_to_html("  \n ") == ""


def test_text_to_html_keeps_paragraphs_and_links_addresses() -> None:
    html = text_to_html(
        "Voir https://a.example/x.\n\nEt codeberg.org/c/d, www.b.example ou Node.js (github.com/e/f...)"
    )
    assert html == (
        '<p>Voir <a href="https://a.example/x">https://a.example/x</a>.</p>'
        '<p>Et <a href="https://codeberg.org/c/d">codeberg.org/c/d</a>, '
        '<a href="https://www.b.example">www.b.example</a> ou Node.js (github.com/e/f...)</p>'
    )


def test_a_long_post_is_cut_at_a_word_and_its_elements_closed() -> None:
    html = "<p>Un <strong>texte assez long</strong> pour être coupé</p><p>Suite</p>"
    cut, truncated = shorten(html, 12)
    assert truncated and cut == "<p>Un <strong>texte…</strong></p>"
    assert visible_text(cut) == "Un texte…"
    cut, _ = shorten(html, 20)
    assert cut == "<p>Un <strong>texte assez long</strong>…</p>"
    assert shorten(html, 200) == (html, False)
