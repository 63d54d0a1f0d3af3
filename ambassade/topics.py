"""The topic vocabulary: the one list of topics that profiles and articles may name.

``content/topics.yml`` (``SITE["topics"]``) lists every topic by its slug,
with its name and description in each of the site's languages, its synonyms
and, optionally, a broader topic it belongs to::

    # yaml-language-server: $schema=topics.schema.json
    cybersecurite:
      name: {fr: Cybersécurité, en: Cybersecurity}
      description:
        fr: Protéger les systèmes, les données et les personnes.
        en: Protecting systems, data and people.
      synonyms: [sécurité, RSSI, security]
      parent: null

A profile's ``expertise`` and an article's ``Tags`` name topics by their name
(in any of the site's languages) or their slug; anything else is an error that
suggests the closest topic, accents and case aside. The schema beside the file
(``topics.schema.json``) is what editors check it with; this module adds what a
schema cannot say (every language has a name and a description, parents exist,
no two topics share a name), each problem at its line.

The rules (``invoke check``), the experts plugin (topic pages, search terms,
directory filters) and the review report read the vocabulary from here.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from . import sources, yamldoc
from .diagnostics import Finding, display_path
from .i18n import _

SCHEMA_NAME = "topics.schema.json"
SCHEMA_COMMENT = f"# yaml-language-server: $schema={SCHEMA_NAME}"
KIND = "topics"
"""Prefix of the rule ids of problems in the vocabulary itself (topics-yaml, topics-name…)."""


@dataclass(frozen=True)
class Topic:
    """One topic of the vocabulary."""

    slug: str
    names: dict[str, str]
    """The topic's name in each of the site's languages."""
    descriptions: dict[str, str]
    synonyms: tuple[str, ...] = ()
    """Other words people search it by, in any language."""
    parent: str | None = None
    """The slug of the broader topic it belongs to."""
    line: int = 1
    """Where the topic starts in the vocabulary file."""

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or next(iter(self.descriptions.values()), "")


def fold(text: str) -> str:
    """``text`` as a comparison sees it: without accents, case or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Suggestion:
    """What an unknown topic most likely meant."""

    topic: Topic
    synonym: bool
    """True when what was written is one of the topic's synonyms, not a misspelling."""


@dataclass(frozen=True)
class Vocabulary:
    """Every topic, by slug, in the order of the file."""

    topics: dict[str, Topic]
    path: str = "content/topics.yml"
    """The file, as a contributor would type its path."""
    _written: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _folded: dict[str, tuple[str, bool]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, topics: dict[str, Topic], path: str = "content/topics.yml") -> Vocabulary:
        written: dict[str, str] = {}
        folded: dict[str, tuple[str, bool]] = {}
        for topic in topics.values():
            for form in (topic.slug, *topic.names.values()):
                written.setdefault(form, topic.slug)
                folded.setdefault(fold(form), (topic.slug, False))
            for synonym in topic.synonyms:
                folded.setdefault(fold(synonym), (topic.slug, True))
        return cls(topics, path, written, folded)

    def resolve(self, written: str) -> Topic | None:
        """The topic ``written`` names exactly (a name in any language, or the slug); None otherwise."""
        slug = self._written.get(written.strip())
        return self.topics[slug] if slug else None

    def suggest(self, written: str) -> Suggestion | None:
        """The topic an unknown ``written`` most likely meant: the same letters without accents or
        case, a synonym, else the nearest spelling."""
        key = fold(written)
        if key in self._folded:
            slug, synonym = self._folded[key]
            return Suggestion(self.topics[slug], synonym)
        close = difflib.get_close_matches(key, list(self._folded), n=1, cutoff=0.75)
        if close:
            slug, synonym = self._folded[close[0]]
            return Suggestion(self.topics[slug], synonym)
        return None

    def lineage(self, slug: str) -> list[Topic]:
        """The topic, then its parent, its parent's parent…"""
        out: list[Topic] = []
        while slug in self.topics and all(t.slug != slug for t in out):
            out.append(self.topics[slug])
            slug = self.topics[slug].parent or ""
        return out

    def children(self, slug: str) -> list[Topic]:
        return [t for t in self.topics.values() if t.parent == slug]

    def search_terms(self, slug: str) -> list[str]:
        """Every word a search for this topic may use: names in every language and synonyms,
        of the topic and of the broader ones it belongs to, each once."""
        terms: dict[str, None] = {}
        for topic in self.lineage(slug):
            for term in (*topic.names.values(), *topic.synonyms):
                terms.setdefault(term, None)
        return list(terms)


def vocabulary_path(content: Path | str, name: str) -> Path:
    """The vocabulary file ``name`` of the content folder (absolute names stay as they are)."""
    path = Path(name)
    return path if path.is_absolute() else Path(content) / path


def load_vocabulary(
    path: Path, languages: tuple[str, ...], *, root: Path | None = None
) -> tuple[Vocabulary | None, list[Finding]]:
    """The vocabulary in ``path`` and every problem found; None when it cannot be used at all.

    A topic with an error is left out, so that what names it is reported too.
    """
    shown = display_path(path, root)
    try:
        st = path.stat()
        schema_st = path.with_name(SCHEMA_NAME).stat()
    except OSError:
        st = schema_st = None
    if st is None or schema_st is None:
        return None, [_missing(path, shown, root)]
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size, schema_st.st_mtime_ns, schema_st.st_size)
    vocabulary, findings = _load(key, tuple(languages))
    # Kept once per file and stamp; findings name the files as each caller shows them.
    shown_as = {HERE: shown, SCHEMA_NAME: display_path(path.with_name(SCHEMA_NAME), root)}
    return vocabulary and Vocabulary.of(vocabulary.topics, shown), [
        replace(f, path=shown_as.get(f.path, f.path)) for f in findings
    ]


def _missing(path: Path, shown: str, root: Path | None) -> Finding:
    if not path.is_file():
        return Finding(
            shown,
            1,
            1,
            "topics-file",
            _("the topic vocabulary is missing"),
            _(
                "a file listing every topic profiles and articles may name, "
                "with %(schema)s beside it: copy the project's content/topics.yml",
                schema=SCHEMA_NAME,
            ),
        )
    return Finding(
        display_path(path.with_name(SCHEMA_NAME), root),
        1,
        1,
        "topics-schema",
        _("the vocabulary's schema is missing"),
        _("the project's content/%(schema)s, beside the vocabulary", schema=SCHEMA_NAME),
    )


HERE = "<vocabulary>"
"""Where :func:`_load`'s findings name the vocabulary file, for each caller to name it its way."""


@lru_cache(maxsize=8)
def _load(key: tuple, languages: tuple[str, ...]) -> tuple[Vocabulary | None, list[Finding]]:
    path = Path(key[0])
    shown = HERE
    try:
        schema = json.loads(path.with_name(SCHEMA_NAME).read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as exc:
        return None, [
            Finding(
                SCHEMA_NAME,
                getattr(exc, "lineno", 1),
                getattr(exc, "colno", 1),
                "topics-schema",
                _("the vocabulary's schema cannot be read: %(reason)s", reason=str(exc).split("\n")[0]),
                _("the project's content/%(schema)s, unchanged or valid JSON Schema", schema=SCHEMA_NAME),
            )
        ]
    validator = jsonschema.validators.validator_for(schema)(schema)
    text, problems = sources.read_text(path, shown, sources.PROFILE)
    if text is None:
        return None, problems
    node, data, findings = yamldoc.parse(text, shown, KIND)
    if node is None and findings:
        return None, findings
    if not isinstance(data, dict) or not data:
        findings.append(
            Finding(
                shown,
                1,
                1,
                "topics-schema",
                _("the vocabulary is empty or not a mapping"),
                _("one entry per topic: its slug, then its name and description in each language"),
            )
        )
        return None, findings
    problems = yamldoc.schema_findings(validator, data, node, shown, KIND, f"content/{SCHEMA_NAME}")
    findings.extend(problems)
    broken = {_topic_of(f, node) for f in problems}
    topics: dict[str, Topic] = {}
    for slug, entry in data.items():
        if slug in broken or not isinstance(entry, Mapping):
            continue
        names = _per_language(entry["name"], languages)
        descriptions = _per_language(entry["description"], languages)
        line, _col = yamldoc.position(node, [slug])
        missing = [
            (what, lang)
            for what, given in (("name", names), ("description", descriptions))
            for lang in languages
            if not given.get(lang)
        ]
        for what, lang in missing:
            where = yamldoc.position(node, [slug, what], value=True)
            findings.append(
                Finding(
                    shown,
                    *where,
                    f"topics-{what}",
                    _("topic '%(slug)s' has no %(what)s in '%(lang)s'", slug=slug, what=what, lang=lang),
                    _(
                        "a %(what)s in every language of the site (%(languages)s): %(what)s: {%(example)s}",
                        what=what,
                        languages=", ".join(languages),
                        example=", ".join(f"{code}: …" for code in languages),
                    ),
                )
            )
        if missing:
            continue
        topics[slug] = Topic(
            slug=slug,
            names=names,
            descriptions=descriptions,
            synonyms=tuple(s.strip() for s in entry.get("synonyms") or () if s.strip()),
            parent=entry.get("parent"),
            line=line,
        )
    wrong = _parents(topics, node, shown) + _clashes(topics, node, shown)
    bad = {_topic_of(f, node) for f in wrong}
    return Vocabulary.of({s: t for s, t in topics.items() if s not in bad}), findings + wrong


def _per_language(value: str | dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """A name written once (the same in every language) or per language."""
    if isinstance(value, str):
        return dict.fromkeys(languages, value.strip())
    return {lang: text.strip() for lang, text in value.items() if text and text.strip()}


def _topic_of(finding: Finding, node: Any) -> str | None:
    """The slug of the topic whose entry holds the finding's line."""
    owner = None
    for key, value in getattr(node, "value", []):
        if key.start_mark.line + 1 <= finding.line <= value.end_mark.line + 1:
            owner = key.value
    return owner


def _parents(topics: dict[str, Topic], node: Any, shown: str) -> list[Finding]:
    out = []
    for topic in topics.values():
        if topic.parent is None:
            continue
        where = yamldoc.position(node, [topic.slug, "parent"], value=True)
        if topic.parent not in topics:
            out.append(
                Finding(
                    shown,
                    *where,
                    "topics-parent",
                    _(
                        "topic '%(slug)s' belongs to '%(parent)s', which is not a topic",
                        slug=topic.slug,
                        parent=topic.parent,
                    ),
                    _("the slug of another topic of this file, or no parent"),
                )
            )
            continue
        seen = {topic.slug}
        parent = topic.parent
        while parent in topics and parent is not None:
            if parent in seen:
                out.append(
                    Finding(
                        shown,
                        *where,
                        "topics-parent",
                        _("topic '%(slug)s' is, through its parents, its own parent", slug=topic.slug),
                        _("a broader topic that does not belong to this one"),
                    )
                )
                break
            seen.add(parent)
            parent = topics[parent].parent
    return out


def _clashes(topics: dict[str, Topic], node: Any, shown: str) -> list[Finding]:
    """Two topics answering to the same word: a contributor could not say which one they mean."""
    owners: dict[str, str] = {}
    out = []
    for topic in topics.values():
        forms = [(fold(form), form, "name") for form in (topic.slug, *topic.names.values())]
        forms += [(fold(form), form, "synonyms") for form in topic.synonyms]
        for key, form, what in dict.fromkeys(forms):
            other = owners.setdefault(key, topic.slug)
            if other != topic.slug:
                out.append(
                    Finding(
                        shown,
                        *yamldoc.position(node, [topic.slug, what], value=True),
                        "topics-duplicate",
                        _(
                            "'%(form)s' names both '%(other)s' and '%(slug)s'",
                            form=form,
                            other=other,
                            slug=topic.slug,
                        ),
                        _("each name and synonym, accents and case aside, for one topic only"),
                    )
                )
    return out


def unknown_topic(written: str, vocabulary: Vocabulary) -> tuple[str, str]:
    """What to say of ``written``, which names no topic: the message and what is expected."""
    suggestion = vocabulary.suggest(written)
    how = _(
        "Topics are those of %(path)s; a new one is added there (slug, name and description "
        "in each language), in the same pull request",
        path=vocabulary.path,
    )
    if suggestion is None:
        return _("unknown topic '%(topic)s'", topic=written), how
    # The topic's name in the language it was written in, as near as can be told.
    name = max(
        dict.fromkeys(suggestion.topic.names.values()),
        key=lambda n: difflib.SequenceMatcher(None, fold(n), fold(written)).ratio(),
    )
    if suggestion.synonym:
        return (
            _("'%(topic)s' is a synonym of the topic '%(name)s'", topic=written, name=name),
            _("write '%(name)s': the search finds it by its synonyms too", name=name),
        )
    return _("unknown topic '%(topic)s'", topic=written), _("did you mean '%(name)s'?", name=name) + " " + how
