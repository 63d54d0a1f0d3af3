"""Every page of the demo, in both languages: no French on an English page, no English on a French one.

What a page shows in another language than its own (an article that exists in
French only, listed on the English side; the name of a language in a language
switcher) is marked with its ``lang``: the walk leaves such parts out and looks
at the rest for words of the other language, three ways:

- the theme's strings, from the catalog: the other language's wording of a string;
- the demo's own words that exist in both languages: topic names and pages'
  titles (content/topics.yml, *.en.md), roles and teams of the profiles;
- any longer passage whose common words (articles, prepositions…) are mostly the
  other language's.

Public posts are quoted from the networks as their authors wrote them, in a
language nothing records: they are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from ambassade import catalogs
from ambassade.profiles import TRANSLATABLE, load_profiles
from ambassade.rules import frontmatter
from ambassade.topics import load_vocabulary
from tests.support import ROOT, pages

LANGS = ("fr", "en")
OTHER = {"fr": "en", "en": "fr"}
COMMON = {
    "fr": set(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "un",
            "une",
            "et",
            "est",
            "sont",
            "dans",
            "pour",
            "avec",
            "sur",
            "par",
            "qui",
            "que",
            "pas",
            "plus",
            "ce",
            "cette",
            "nous",
            "vous",
            "il",
            "elle",
            "au",
            "aux",
        ]
    ),
    "en": set(
        [
            "the",
            "of",
            "and",
            "is",
            "are",
            "in",
            "for",
            "with",
            "on",
            "by",
            "which",
            "that",
            "not",
            "more",
            "this",
            "we",
            "you",
            "it",
            "they",
            "to",
            "from",
            "an",
            "a",
        ]
    ),
}
# Quoted or machine text: posts of other sites, code, addresses.
LEFT_OUT = ".post__body, .post__images, pre, code, script, style, .network__handle"
# Words the two languages write alike, where the catalog gives one another meaning ("Posts" is
# "Publications" in French; a "panel" is a "table ronde" on a talk, and a panel in French prose).
ALIKE = {"Publications", "panel"}


def _catalog_pairs() -> list[tuple[str, str]]:
    """(English, French) of every theme string the two languages word differently."""
    with catalogs.po_path(ROOT / "theme", "fr").open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    used = {m.id for m in catalogs.extract(ROOT / "theme", project=None)}
    pairs = []
    for m in catalog:
        if m.id not in used or not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for english, french in zip(ids, strings, strict=False):
            if english != french and "%" not in english and "{" not in english and len(english) > 3:
                pairs.append((english, french))
    return pairs


def _content_pairs() -> list[tuple[str, str]]:
    """(English, French) of the demo's own words that exist in both languages."""
    vocabulary, _ = load_vocabulary(ROOT / "content" / "topics.yml", LANGS)
    pairs = [(t.names["en"], t.names["fr"]) for t in vocabulary.topics.values()]
    for page in (ROOT / "content" / "pages").glob("*.en.md"):
        french = frontmatter.read(page.with_name(page.name.replace(".en.md", ".md")))
        pairs.append((frontmatter.read(page).value("title"), french.value("title")))
    experts, _ = load_profiles(ROOT / "experts")
    for expert in experts.values():
        for field in TRANSLATABLE:
            pairs.append((expert.text(field, "en"), expert.text(field, "fr")))
    return [(en, fr) for en, fr in pairs if en != fr]


# The longest first: a passage is reported by the whole phrase it holds, not by a word of it.
PAIRS = sorted(_catalog_pairs() + _content_pairs(), key=lambda pair: -max(len(pair[0]), len(pair[1])))


def _own_text(path: Path) -> tuple[str, list[str]]:
    """The page's language, and the text of its blocks in that language only."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    lang = soup.html["lang"]
    for element in soup.select(LEFT_OUT):
        element.decompose()
    for element in soup.find_all(attrs={"lang": True}):
        if element.name != "html" and element["lang"] != lang:
            element.decompose()
    # Attributes people read: a picture's description, a link's title, the page's own description.
    said = [img.get("alt", "") for img in soup.find_all("img")] + [
        a.get("title", "") for a in soup.find_all(title=True)
    ]
    said += [m.get("content", "") for m in soup.find_all("meta", attrs={"name": "description"})]
    blocks = [
        b.get_text(" ", strip=True)
        for b in soup.select(
            "title, h1, h2, h3, p, li, dt, dd, td, th, label, legend, summary, figcaption, blockquote, option"
        )
    ]
    return lang, [t for t in blocks + said if t]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿœ']+", text.lower())


def _other_language_phrase(text: str, lang: str) -> str | None:
    for english, french in PAIRS:
        wrong = french if lang == "en" else english
        if wrong in ALIKE:
            continue
        if re.search(rf"(?<![\w&-]){re.escape(wrong)}(?![\w&-])", text):
            return wrong
    return None


def _sounds_like(text: str) -> str | None:
    """The language a passage of 12 words or more is mostly written in, by its common words."""
    words = _words(text)
    if len(words) < 12:
        return None
    counts = {lang: sum(w in COMMON[lang] for w in words) for lang in LANGS}
    best = max(counts, key=counts.get)
    other = OTHER[best]
    return best if counts[best] >= 3 and counts[best] > 2 * counts[other] else None


@pytest.mark.parametrize("build", ["demo_preview", "demo_production"])
def test_no_page_says_anything_in_the_other_language_unmarked(request, build):
    output = request.getfixturevalue(build)
    problems = []
    walked = {"fr": 0, "en": 0}
    for path in pages(output):
        lang, blocks = _own_text(path)
        walked[lang] += 1
        for text in blocks:
            phrase = _other_language_phrase(text, lang)
            sounds = _sounds_like(text)
            if phrase or (sounds and sounds != lang):
                problems.append(
                    f"{path.relative_to(output)} ({lang}): {phrase or sounds!r} in {text[:120]!r}"
                )
    assert walked["fr"] > 40 and walked["en"] > 40, walked
    assert problems == []


def test_the_walk_finds_a_string_in_the_wrong_language():
    """Proof that the checks can fail: one of each kind of mistake the issue reported."""
    assert _other_language_phrase("Charte des réseaux sociaux", "en") == "Charte des réseaux sociaux"
    assert _other_language_phrase("Senior cloud architect", "fr") == "Senior cloud architect"
    assert _other_language_phrase("À propos", "en") == "À propos"
    assert (
        _sounds_like(
            "Avant l'IA, la qualité des données est ce qui compte le plus pour une équipe qui veut avancer."
        )
        == "fr"
    )
    assert (
        _sounds_like("Name the one thing that matters, and the team will find a way to measure it in a week.")
        == "en"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_link_to_a_page_of_the_other_language_says_so(demo_production, lang):
    """Every page has its version in the reader's language, or the link to it is marked
    with the other language (hreflang or lang): an English reader is never sent to French unawares."""
    origin = "https://clairvoie.example/"
    problems = []
    for path in pages(demo_production):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.html["lang"] != lang:
            continue
        for a in soup.find_all("a", href=True):
            if not a["href"].startswith(origin):
                continue  # another site's page, or a place in this one
            rel = a["href"][len(origin) :]
            if rel.startswith(("feeds/", "theme/")) or not rel.endswith(("/", ".html")):
                continue
            target = "en" if rel.startswith("en/") else "fr"
            if target == lang:
                continue
            if not (
                a.get("hreflang") == target
                or a.get("lang") == target
                or a.find_parent(attrs={"lang": target})
            ):
                problems.append(f"{path.relative_to(demo_production)} → {rel} ({a.get_text(strip=True)!r})")
    assert problems == []
