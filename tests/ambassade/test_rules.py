"""Content rules: a failing and a passing fixture for each, exact output; share-text lengths."""

from __future__ import annotations

import pytest

from ambassade.configure import load
from ambassade.rules import frontmatter
from ambassade.rules.registry import ARTICLE_RULES, PAGE_RULES, Context, run_rules
from ambassade.settings import SettingsError
from ambassade.share import NETWORKS, ShareText, clusters, graphemes, length, share_texts, texts_for
from ambassade.topics import load_vocabulary
from tests.support import FIXTURES, PREVIEW_CONF, ROOT

ARTICLES = FIXTURES / "articles"
RULES = FIXTURES / "rules"
CTX = Context(known_authors={"alice-dupont", "bruno-petit"}, root=ROOT)
# The project's own settings (its Markdown extensions make the heading ids), the fixtures as content.
CHARTER = {"forbidden_terms": {"synergie": "collaboration", "quick win": "premier résultat"}}
SITE_CTX = Context(
    known_authors={"alice-dupont", "bruno-petit"},
    root=ROOT,
    settings=load(PREVIEW_CONF, {"PATH": str(RULES), "CHARTER": CHARTER}),
    # The project's topics: the fixtures name them.
    vocabulary=load_vocabulary(ROOT / "content" / "topics.yml", ("fr", "en"))[0],
)


def check(name: str) -> list[str]:
    return [f.text() for f in run_rules(frontmatter.read(ARTICLES / name), CTX, ARTICLE_RULES)]


def check_rule_case(name: str, rules=ARTICLE_RULES) -> list[str]:
    return [f.text() for f in run_rules(frontmatter.read(RULES / name), SITE_CTX, rules)]


def test_valid_article_has_no_finding():
    assert check("valid.md") == []


@pytest.mark.parametrize(
    "case, expected",
    [
        (
            "unknown-author.md",
            "tests/fixtures/articles/unknown-author.md:3:24: article-author: error: unknown author "
            "'alice-dupond'"
            " — did you mean 'alice-dupont'? Authors are slugs of experts/<slug>.yml",
        ),
        (
            "missing-title.md",
            "tests/fixtures/articles/missing-title.md:6:1: article-title: error: the title is missing"
            " — a line 'Title: …' in the header",
        ),
        (
            "bad-date.md",
            "tests/fixtures/articles/bad-date.md:2:7: article-date: error: '14/03/2026' is not a valid date"
            " — an ISO 8601 date with time and zone, e.g. 'Date: 2026-03-14T09:30:00+01:00'",
        ),
        (
            "date-without-time-zone.md",
            "tests/fixtures/articles/date-without-time-zone.md:2:7: article-date: error: "
            "'2026-03-14T09:30:00' is not a valid date"
            " — an ISO 8601 date with time and zone, e.g. 'Date: 2026-03-14T09:30:00+01:00'",
        ),
        (
            "no-author.md",
            "tests/fixtures/articles/no-author.md:6:1: article-author: error: the article has no author"
            " — a line 'Authors: <slug>[, <slug>…]' naming files of experts/",
        ),
    ],
)
def test_bad_article_gives_one_exact_finding(case, expected):
    assert check(case) == [expected]


# --- one fixture per case of tests/fixtures/rules/ ---------------------------------------

PASSING = [
    "valid-full.md",  # every kind of image, link, anchor and share text, done right
    "link-target.md",
    "english-article.en.md",
    "confidential-word-in-prose.md",
    "forbidden-term-inside-a-word.md",
    "share-text-exactly-at-the-limit-for-x.md",
    "topics-by-english-name-and-slug.en.md",  # a topic's name in any language, or its slug
]

FAILING = {
    "missing-summary.md": [
        "6:1: article-summary: error: the summary is missing — a line 'Summary: …' of one or two sentences: "
        "cards, feeds and share previews show it"
    ],
    "no-tag.md": [
        "6:1: article-tags: error: the article has no tag — a line 'Tags: <topic>[, <topic>…]', "
        "e.g. 'Tags: Cloud, Numérique responsable'"
    ],
    "unknown-language.md": ["6:7: article-lang: error: unknown language 'de' — one of: fr, en"],
    # A misspelling gets the topic it most likely meant, accents and case aside; a new topic, how to add it.
    "unknown-topic.md": [
        "4:14: article-topic: error: unknown topic 'Cybersecurité' — did you mean 'Cybersécurité'? Topics "
        "are those of content/topics.yml; a new one is added there (slug, name and description in each "
        "language), in the same pull request",
        "4:29: article-topic: error: unknown topic 'Gestion de crise' — Topics are those of "
        "content/topics.yml; a new one is added there (slug, name and description in each language), in "
        "the same pull request",
    ],
    "topic-given-by-a-synonym.md": [
        "4:7: article-topic: error: 'Sécurité' is a synonym of the topic 'Cybersécurité' — write "
        "'Cybersécurité': the search finds it by its synonyms too"
    ],
    "file-name-says-english.en.md": [
        "6:7: article-lang: error: the file name says 'en' but the article's language is 'fr' — 'Lang: en' "
        "in the header, or a file name without '.en'"
    ],
    "unknown-status.md": [
        "7:9: article-status: error: unknown status 'brouillon' — one of: published, draft, hidden"
    ],
    "date-given-twice.md": [
        "7:1: article-duplicate: error: 'Date' is given twice (first on line 2) — each field once; "
        "only Share lines may repeat"
    ],
    "summary-placeholder.md": [
        "5:10: article-placeholder: error: 'Summary' still holds the template's placeholder — your own "
        "text "
        "in place of the one starting with 'TODO:'"
    ],
    # In a draft (as new-article starts one) it is only a warning: the draft can still be previewed.
    "summary-placeholder-in-draft.md": [
        "5:10: article-placeholder: warning: 'Summary' still holds the template's placeholder — your own "
        "text "
        "in place of the one starting with 'TODO:'"
    ],
    "image-without-alt.md": [
        "10:1: image-alt: error: image '{static}/images/diagram.svg' has no alt text — describe it for "
        "people "
        "who cannot see it: ![what the image shows](…)"
    ],
    "raw-img-without-alt.md": [
        "10:1: image-alt: error: image '{static}/images/diagram.svg' has no alt text — an alt=\"…\" "
        "attribute "
        "describing it"
    ],
    "image-missing.md": [
        "8:1: image-missing: error: image 'images/diagramme.svg' does not exist — add the file, or fix the "
        "path: "
        "did you mean 'images/diagram.svg'?"
    ],
    "image-from-another-site.md": [
        "8:1: image-external: error: image 'https://cdn.example.com/logo.png' is loaded from another site — "
        "a copy in content/images/, linked as {static}/images/<file>: pages load nothing from other origins"
    ],
    "image-without-static.md": [
        "8:1: image-path: error: image 'images/diagram.svg' is not linked with {static} — "
        "{static}/images/<file>, so that every page gets the right URL"
    ],
    "link-to-missing-article.md": [
        "8:20: link-missing: error: link to the article or page 'articles/nulle-part.md', which does not "
        "exist — "
        "a file of the content folder: the folder 'articles' does not exist"
    ],
    "link-to-missing-static-file.md": [
        "8:10: link-missing: error: link to the file 'images/guide.pdf', which does not exist — "
        "a file of the content folder: no file of 'images' is close"
    ],
    "link-to-missing-anchor.md": [
        "10:17: link-anchor: error: '#conclusion' is not an anchor of this page — "
        "the id of a heading or an element: #le-contexte"
    ],
    "link-to-missing-anchor-in-another-article.md": [
        "8:18: link-anchor: error: '#mesurer' is not an anchor of link-target.md — did you mean "
        "'#mesurer-dabord'? the id of a heading or an element: #ancre, #mesurer-dabord"
    ],
    "link-to-markdown-without-filename.md": [
        "8:17: link-filename: error: link 'link-target.md' points to a Markdown file, which the site does "
        "not "
        "have — {filename}/link-target.md: Pelican replaces it with the page's URL"
    ],
    "link-to-draft.md": [
        "8:21: link-draft: warning: link to 'draft-target.md', a draft: the public site will not have it — "
        "publish that article first, or remove the link"
    ],
    "share-text-too-long-for-x.md": [
        "7:8: share-too-long: error: the share text is too long for X: 304 characters (23 + 1 for the "
        "article's "
        "link), over the limit of 280 — shorten it by 24, or give X its own text with 'Share-X:'"
    ],
    "share-text-one-over-the-limit-for-x.md": [
        "7:10: share-too-long: error: the share text is too long for X: 281 characters (23 + 1 for the "
        "article's link), over the limit of 280 — shorten it by 1"
    ],
    "share-text-for-unknown-network.md": [
        "7:1: share-network: error: no network is called 'twitter' — did you mean 'Share-X'? one of: Share, "
        "Share-X, Share-Bluesky, Share-Mastodon, Share-LinkedIn"
    ],
    "share-text-on-two-lines.md": [
        "7:8: share-text: error: the share text goes on over 2 lines — each text on one line; repeat the "
        "'Share:' key for another text"
    ],
    "empty-share-text.md": [
        "7:7: share-text: error: the share text is empty — the text to post, after 'Share:'"
    ],
    "forbidden-term.md": [
        "8:16: charter-forbidden-term: error: 'synergie' is a term the editorial charter forbids — "
        "write 'collaboration' instead",
        "9:19: charter-forbidden-term: error: 'quick win' is a term the editorial charter forbids — "
        "write 'premier résultat' instead",
    ],
    "confidential-marker.md": [
        "8:1: charter-confidential: error: 'CONFIDENTIEL' marks this text as not for publication — remove "
        "the "
        "confidential material and the marker; ask comms if unsure (editorial charter)",
        "8:16: charter-confidential: error: 'ne pas diffuser' marks this text as not for publication — "
        "remove "
        "the confidential material and the marker; ask comms if unsure (editorial charter)",
        # Across a line break, as the words of a marker may be.
        "9:17: charter-confidential: error: 'ne pas diffuser' marks this text as not for publication — "
        "remove the confidential material and the marker; ask comms if unsure (editorial charter)",
    ],
    "title-too-long.md": [
        "1:8: charter-title-length: warning: the title is 98 characters long — at most 90 (editorial "
        "charter): "
        "feeds and share cards cut longer titles"
    ],
}


@pytest.mark.parametrize("case", PASSING)
def test_passing_case_has_no_finding(case):
    assert check_rule_case(case) == []


@pytest.mark.parametrize("case", sorted(FAILING))
def test_failing_case_gives_exact_findings(case):
    assert check_rule_case(case) == [f"tests/fixtures/rules/{case}:{text}" for text in FAILING[case]]


def test_every_fixture_is_a_case_and_every_rule_has_one():
    assert sorted(p.name for p in RULES.glob("*.md")) == sorted(PASSING + list(FAILING) + ["draft-target.md"])
    ids = {text.split(": ")[1] for texts in FAILING.values() for text in texts}
    ids |= {"article-title", "article-date", "article-author"}  # covered by tests/fixtures/articles/
    documented = {
        word.strip("`,")
        for word in (ROOT / "ambassade/rules/registry.py").read_text().split()
        if word.startswith("``")
        and word.strip("`,").split("-")[0] in ("article", "image", "link", "share", "charter")
    }
    assert ids == documented


def test_page_rules_skip_what_only_articles_need(tmp_path):
    page = tmp_path / "a-propos.md"
    page.write_text("Title: À propos\n\nVoir ![]({static}/images/diagram.svg).\n", encoding="utf-8")
    findings = run_rules(frontmatter.read(page), SITE_CTX, PAGE_RULES)
    assert [f.rule for f in findings] == ["image-alt"], "no date, author, summary, tag or share rule"


def test_charter_settings_change_what_is_checked(tmp_path):
    settings = load(
        PREVIEW_CONF,
        {
            "PATH": str(RULES),
            "CHARTER": {
                "require_summary": False,
                "max_title_length": 0,
                "confidential_markers": ["usage interne"],
            },
        },
    )
    ctx = Context(known_authors={"alice-dupont"}, root=ROOT, settings=settings)
    assert run_rules(frontmatter.read(RULES / "missing-summary.md"), ctx, ARTICLE_RULES) == []
    assert run_rules(frontmatter.read(RULES / "title-too-long.md"), ctx, ARTICLE_RULES) == []
    marked = tmp_path / "marked.md"
    marked.write_text(
        "Title: T\nDate: 2026-03-14T09:30:00+01:00\nAuthors: alice-dupont\nTags: Cloud\n\n"
        "Pour un Usage\ninterne seulement.\n",
        encoding="utf-8",
    )
    # Not in capitals: any case, and a line break between the words still matches.
    assert [(f.rule, f.line, f.col) for f in run_rules(frontmatter.read(marked), ctx, ARTICLE_RULES)] == [
        ("charter-confidential", 6, 9)
    ]


# --- the metadata header ---------------------------------------------------------------


def test_header_positions_survive_continuation_lines(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Title: Un titre\n    qui continue\nAuthors: x\n\nCorps\n", encoding="utf-8")
    doc = frontmatter.read(path)
    assert doc.value("title") == "Un titre qui continue"
    assert (doc.get("authors").line, doc.get("authors").col) == (3, 10)
    assert doc.body == "Corps\n"


def test_repeated_keys_keep_every_value(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "Title: T\nShare: un\nshare-X: deux\nSHARE: trois\n    suite\n\nCorps\n", encoding="utf-8"
    )
    doc = frontmatter.read(path)
    assert [(f.value, f.line, f.col, f.lines) for f in doc.all("Share")] == [
        ("un", 2, 8, 1),
        ("trois suite", 4, 8, 2),
    ]
    assert doc.get("share").value == "trois suite", "get keeps the last value, as before"
    assert share_texts(doc.entries) == [
        ShareText(None, "un", 2, 8),
        ShareText("x", "deux", 3, 10),
        ShareText(None, "trois suite", 4, 8, 2),
    ]


# --- share texts: what each network counts ---------------------------------------------

URL = "https://clairvoie.example/articles/un-article/"


def test_share_texts_read_pelican_metadata_too():
    metadata = {"title": "T", "share": ["un", "deux"], "share-linkedin": "trois"}
    texts = share_texts(metadata)
    assert texts == [
        ShareText(None, "un", 0, 0),
        ShareText(None, "deux", 0, 0),
        ShareText("linkedin", "trois", 0, 0),
    ]
    assert [t.text for t in texts_for(texts, "linkedin")] == ["trois"]
    assert [t.text for t in texts_for(texts, "x")] == ["un", "deux"]


@pytest.mark.parametrize(
    "text, count",
    [
        ("e\u0301", 1),  # e + combining acute
        ("👩‍💻", 1),  # ZWJ sequence
        ("👨‍👩‍👧‍👦", 1),
        ("👍🏽", 1),  # skin tone
        ("🏳️‍🌈", 1),  # variation selector + ZWJ
        ("🇫🇷🇩🇪", 2),  # two flags: regional indicators pair up
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 1),  # Scotland: tag sequence
        ("1️⃣", 1),  # keycap
        ("한국어", 3),
        ("a\r\nb", 3),
    ],
)
def test_grapheme_clusters(text, count):
    assert graphemes(text) == count, clusters(text)


@pytest.mark.parametrize(
    "text, network, expected",
    [
        ("Bonjour", "x", 7),
        ("Été 👩‍💻", "x", 6),  # an emoji weighs 2 on X, whatever its sequence
        ("🇫🇷", "x", 2),
        ("日本", "x", 4),  # outside X's light ranges: 2 each
        ("Été 👩‍💻", "bluesky", 5),
        ("Été 👩‍💻", "mastodon", 5),
        ("Été 👩‍💻", "linkedin", 7),  # code points: 👩 ZWJ 💻
        ("e\u0301", "linkedin", 1),  # normalised (NFC) first
        # A long URL is 23; the final dot is not part of it.
        ("Lire https://example.org/" + "x" * 300 + ".", "x", 5 + 23 + 1),
        ("Lire https://example.org/" + "x" * 300, "mastodon", 5 + 23),
        ("Lire https://example.org/abc", "bluesky", 28),  # Bluesky counts the URL as written
        ("Merci @alice@piaille.example !", "mastodon", len("Merci @alice !")),
    ],
)
def test_length_as_each_network_counts(text, network, expected):
    assert length(text, network) == expected


START = "🇫🇷👩‍💻 "
START_LENGTH = {"x": 2 + 2 + 1, "bluesky": 3, "mastodon": 3, "linkedin": 2 + 3 + 1}


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_exactly_at_the_limit_fits_and_one_more_does_not(network):
    limit = NETWORKS[network].limit
    link = 1 + (NETWORKS[network].url_length or len(URL))
    at_limit = START + "a" * (limit - link - START_LENGTH[network])
    assert length(at_limit, network, URL) == limit
    assert length(at_limit + "a", network, URL) == limit + 1
    # One more emoji: 2 on X, 1 grapheme on Bluesky and Mastodon, 2 code points on LinkedIn.
    assert length(at_limit + "👍🏽", network, URL) == limit + {"x": 2, "linkedin": 2}.get(network, 1)


def test_the_article_link_counts_as_the_network_counts_it():
    assert length("Texte", "x", URL) == 5 + 1 + 23
    assert length("Texte", "mastodon", URL) == 5 + 1 + 23
    assert length("Texte", "bluesky", URL) == 5 + 1 + len(URL)
    assert length("Texte", "linkedin", URL) == 5 + 1 + len(URL)


def test_a_misspelt_charter_key_is_an_error_with_a_suggestion():
    ctx = Context(known_authors=set(), settings={"CHARTER": {"forbiden_terms": {"synergie": "x"}}})
    with pytest.raises(SettingsError) as caught:
        ctx.charter  # noqa: B018 - reading it checks it
    assert [f.text() for f in caught.value.findings] == [
        "pelicanconf.py:1:1: settings: error: CHARTER['forbiden_terms'] is not a setting "
        "— did you mean 'forbidden_terms'?"
    ]
