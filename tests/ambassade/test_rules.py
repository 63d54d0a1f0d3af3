"""Content rules: a failing and a passing fixture for each, exact output; share-text lengths."""

from __future__ import annotations

import dataclasses

import pytest

from ambassade import dates
from ambassade.configure import load
from ambassade.rules import frontmatter, sharing
from ambassade.rules.registry import ARTICLE_RULES, PAGE_RULES, SHARE_ITEM_RULES, Context, run_rules
from ambassade.settings import SettingsError
from ambassade.share import NETWORKS, ShareText, clusters, graphemes, length, share_texts, texts_for
from ambassade.topics import load_vocabulary
from tests.support import FIXTURES, PREVIEW_CONF, ROOT

ARTICLES = FIXTURES / "articles"
RULES = FIXTURES / "rules"
CTX = Context(known_authors={"alice-dupont", "bruno-petit"}, root=ROOT)
# The project's own settings (its Markdown extensions make the heading ids), the fixtures as content.
CHARTER = {
    "forbidden_terms": {"synergie": "collaboration", "quick win": "premier résultat"},
    "share_denied_domains": ["desinfo.example"],
}
SETTINGS = load(PREVIEW_CONF, {"PATH": str(RULES), "CHARTER": CHARTER})
# No disclosure: these fixtures measure texts as written (test_share_items.py adds one).
SETTINGS["CHARTER"] = dataclasses.replace(SETTINGS["CHARTER"], share_disclosure={})
SITE_CTX = Context(
    known_authors={"alice-dupont", "bruno-petit"},
    root=ROOT,
    settings=SETTINGS,
    # The project's topics: the fixtures name them.
    vocabulary=load_vocabulary(ROOT / "content" / "topics.yml", ("fr", "en"))[0],
)


def check(name: str) -> list[str]:
    return [f.text() for f in run_rules(frontmatter.read(ARTICLES / name), CTX, ARTICLE_RULES)]


def check_rule_case(name: str, rules=ARTICLE_RULES, ctx: Context = SITE_CTX) -> list[str]:
    """The findings of ``name``'s rules, and of the rules that compare files, run on it alone."""
    doc = frontmatter.read(RULES / name)
    found = run_rules(doc, ctx, rules)
    found += sharing.near_duplicates([sharing.said(doc, ctx)], ctx.charter.share_similarity)
    return [f.text() for f in found]


@pytest.mark.parametrize("case", ["valid.md", "date-without-zone.md", "date-without-time.md"])
def test_valid_article_has_no_finding(case):
    assert check(case) == []


@pytest.mark.parametrize(
    "written, moment",
    [
        ("2026-03-14", "2026-03-14T09:00:00+01:00"),  # no time: SITE["publish_time"], in TIMEZONE
        ("2026-03-14 09:30", "2026-03-14T09:30:00+01:00"),
        ("2026-03-14T9:30", "2026-03-14T09:30:00+01:00"),
        ("2026-07-14 09:30", "2026-07-14T09:30:00+02:00"),  # summer time in Paris
        ("2026-03-14T09:30:00Z", "2026-03-14T09:30:00+00:00"),
        ("2026-03-14T00:00+01:00", "2026-03-14T00:00:00+01:00"),  # midnight is written with its zone
        ("2026-03-14 00:00", "2026-03-14T09:00:00+01:00"),  # as Pelican hands it over: no time of its own
    ],
)
def test_dates_as_people_write_them(written, moment):
    assert dates.parse(written, {"TIMEZONE": "Europe/Paris"}).isoformat() == moment


@pytest.mark.parametrize("written", ["14/03/2026", "2026-02-30", "2026-03-14 25:00", "mars 2026", ""])
def test_what_is_not_a_date(written):
    assert dates.parse(written, {"TIMEZONE": "Europe/Paris"}) is None


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
            "tests/fixtures/articles/bad-date.md:2:7: article-date: error: '14/03/2026' is not a date"
            " — did you mean '2026-03-14'? Write a date such as '2026-03-14' or '2026-03-14 09:30' "
            "(UTC time; without a time, the article goes live at 09:00)",
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
    "link-to-a-later-article-already-live.md",  # dated before its target, but both are live now
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
        "{static}/images/diagram.svg, so that every page gets the right URL"
    ],
    # Both at once: fixing the syntax first would only reveal, in a second run, that the file is missing.
    "image-without-static-that-does-not-exist.md": [
        "8:1: image-path: error: image 'images/schema.png' is not linked with {static} — "
        "{static}/images/<file>, so that every page gets the right URL",
        "8:1: image-missing: error: image 'images/schema.png' does not exist — add the file, or fix the "
        "path: no file of 'images' is close",
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
        "8:21: link-draft: error: link to 'draft-target.md', a draft: the published page would link to "
        "nothing — publish that article first (remove its 'Status: draft'), or remove the link"
    ],
    "link-to-a-draft-address.md": [
        "8:21: link-draft: error: link '/brouillons/draft-target/' is the address of a draft: the published "
        "site will not have it — link the article's source, {filename}/articles/<file>.md, once it is published"
    ],
    # Live already, it would link to an article that goes live in 2099: nowhere until then.
    "link-to-scheduled-article.md": [
        "8:17: link-scheduled: error: link to 'scheduled-target.md', which goes live only on January 10, "
        "2099 at 09:00: until then the link would lead nowhere — date this article on or after January 10, "
        "2099 at 09:00, or add the link once that one is live"
    ],
    # Both scheduled, the linking one first.
    "scheduled-link-to-a-later-article.md": [
        "8:17: link-scheduled: error: link to 'scheduled-target.md', which goes live on January 10, 2099 at "
        "09:00, after this article (June 1, 2098 at 09:00): until then the link would lead nowhere — date "
        "this article on or after January 10, 2099 at 09:00, or add the link once that one is live"
    ],
    # The draft beside it is the closest name, but never a suggestion: the published page could not use it.
    "link-to-missing-article-near-a-draft.md": [
        "8:21: link-missing: error: link to the article or page 'draft-targets.md', which does not exist — "
        "a file of the content folder: did you mean 'link-target.md'?"
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


# Share items (content/shares/ of the fixtures' site), with the charter above.
FAILING_ITEMS = {
    "share-item-with-http-link.md": [
        "2:6: share-url: error: 'http://www.example.org/rapport' is not an https address — the page's "
        "address starting with https://: a plain http link is not shared"
    ],
    "share-item-on-a-denied-site.md": [
        "2:6: share-url: error: the charter does not allow sharing pages of desinfo.example — another "
        "source for the same news, or ask comms to change the charter"
    ],
    "share-item-without-link.md": [
        "5:1: share-url: error: the share item has no link — a line 'URL: https://…': the page to share"
    ],
    "share-item-ends-before-it-starts.md": [
        "4:14: share-date: error: the item leaves the kit (2026-11-10) before it enters it (2026-11-16) — "
        "a 'Share-Until' day on or after 'Date'"
    ],
    "share-item-with-a-date-that-is-not-one.md": [
        "3:7: share-date: error: '16/11/2026' is not a day — a day such as 'Date: 2026-11-16': the first "
        "day the item is in the share kit"
    ],
    "share-item-in-an-unknown-campaign.md": [
        "4:11: share-campaign: error: no campaign is called 'semaine-tests' — a campaign of "
        "tests/fixtures/rules/shares/campaigns.yml: semaine-test"
    ],
    "share-item-with-a-code-that-is-not-one.md": [
        "4:7: share-code: error: 'Rapport 2026!' is not a short code — 2 to 40 small letters, digits and "
        "dashes, e.g. 'rapport-arcep'"
    ],
    "share-item-without-text.md": [
        "5:1: share-text: error: the share item has no text to share — at least one line 'Share: …'; "
        "repeat it for variants"
    ],
    "share-item-with-variants-nearly-the-same.md": [
        "6:8: share-duplicate: warning: this variant says nearly the same as the one on line 5 — variants "
        "worded differently, so that colleagues do not all post the same words"
    ],
}
PASSING_ITEMS = ["valid-share-item.md"]
# The charter of a company that wants every text to say it, as written.
REQUIRING = dataclasses.replace(
    SETTINGS["CHARTER"], share_disclosure={"fr": "#Clairvoie"}, share_disclosure_mode="require"
)
FAILING_DISCLOSED = {
    "share-item-with-text-without-disclosure.md": [
        "6:8: share-disclosure: error: the share text does not say '#Clairvoie' — the charter asks every "
        "ready-to-post text to say it: add '#Clairvoie' to it"
    ],
}


@pytest.mark.parametrize("case", PASSING_ITEMS)
def test_passing_share_item_has_no_finding(case):
    assert check_rule_case(f"shares/{case}", SHARE_ITEM_RULES) == []


@pytest.mark.parametrize("case", sorted(FAILING_ITEMS))
def test_failing_share_item_gives_exact_findings(case):
    assert check_rule_case(f"shares/{case}", SHARE_ITEM_RULES) == [
        f"tests/fixtures/rules/shares/{case}:{text}" for text in FAILING_ITEMS[case]
    ]


@pytest.mark.parametrize("case", sorted(FAILING_DISCLOSED))
def test_charter_requiring_the_disclosure(case):
    ctx = Context(known_authors=set(), root=ROOT, settings={**SETTINGS, "CHARTER": REQUIRING})
    assert check_rule_case(f"shares/{case}", SHARE_ITEM_RULES, ctx) == [
        f"tests/fixtures/rules/shares/{case}:{text}" for text in FAILING_DISCLOSED[case]
    ]
    # Added by the kit rather than required: no error, and the length counts it.
    assert check_rule_case(f"shares/{case}", SHARE_ITEM_RULES) == []


def test_every_fixture_is_a_case_and_every_rule_has_one():
    assert sorted(p.name for p in RULES.glob("*.md")) == sorted(
        PASSING + list(FAILING) + ["draft-target.md", "scheduled-target.md"]
    )
    assert sorted(p.name for p in (RULES / "shares").glob("*.md")) == sorted(
        PASSING_ITEMS + list(FAILING_ITEMS) + list(FAILING_DISCLOSED)
    )
    ids = {
        text.split(": ")[1]
        for cases in (FAILING, FAILING_ITEMS, FAILING_DISCLOSED)
        for texts in cases.values()
        for text in texts
    }
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
