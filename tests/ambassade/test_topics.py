"""The topic vocabulary: loading it, every mistake at its line, and profiles and articles held to it.

One fixture per bad case of the vocabulary, named after it (tests/fixtures/topics/);
the articles' cases are in tests/fixtures/rules/ (test_rules.py).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from ambassade.build import main
from ambassade.rules.check import check_site
from ambassade.topics import SCHEMA_NAME, load_vocabulary
from tests.support import (
    FIXTURES,
    PREVIEW_CONF,
    ROOT,
    article,
    profile,
    settings_of,
    site_overrides,
    write_site,
)

TOPICS = FIXTURES / "topics"
LANGUAGES = ("fr", "en")


def vocabulary_of(tmp_path: Path, case: str):
    """The fixture ``case`` as a site's content/topics.yml, with the project's schema beside it."""
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "content" / SCHEMA_NAME, content / SCHEMA_NAME)
    shutil.copyfile(TOPICS / case, content / "topics.yml")
    return load_vocabulary(content / "topics.yml", LANGUAGES, root=tmp_path)


def test_a_valid_vocabulary_answers_to_names_in_every_language_and_slugs(tmp_path):
    vocabulary, findings = vocabulary_of(tmp_path, "valid.yml")
    assert findings == []
    assert list(vocabulary.topics) == ["cloud", "securite", "zero-trust"]
    assert vocabulary.resolve("Security") is vocabulary.resolve("Sécurité") is vocabulary.resolve("securite")
    assert vocabulary.topics["cloud"].names == {"fr": "Cloud", "en": "Cloud"}, "one name for every language"
    assert vocabulary.resolve("sécurité") is None, "case matters: the vocabulary's spelling is the one shown"
    assert vocabulary.resolve("cybersécurité") is None, "a synonym is searched by, not written"
    assert [t.slug for t in vocabulary.lineage("zero-trust")] == ["zero-trust", "securite"]
    assert vocabulary.search_terms("zero-trust") == [
        "Zero Trust",
        "Sécurité",
        "Security",
        "cybersécurité",
        "RSSI",
    ], "a narrower topic is found by the names of the broader one"


@pytest.mark.parametrize(
    "written, meant, synonym",
    [
        ("Securite", "securite", False),  # accents and case aside
        ("SÉCURITÉ", "securite", False),
        ("Secruity", "securite", False),  # a misspelling
        ("Cybersécurité", "securite", True),  # a synonym, any case
        ("Gestion de crise", None, False),  # nothing close: how to add it
    ],
)
def test_an_unknown_topic_gets_the_closest_one(tmp_path, written, meant, synonym):
    vocabulary, _ = vocabulary_of(tmp_path, "valid.yml")
    suggestion = vocabulary.suggest(written)
    assert (suggestion and suggestion.topic.slug, suggestion and suggestion.synonym) == (
        meant,
        synonym if meant else None,
    )


@pytest.mark.parametrize(
    "case, expected",
    [
        (
            "name-missing-in-english.yml",
            [
                "content/topics.yml:3:9: topics-name: error: topic 'securite' has no name in 'en' — "
                "a name in every language of the site (fr, en): name: {fr: …, en: …}"
            ],
        ),
        (
            "unknown-parent.yml",
            [
                "content/topics.yml:7:11: topics-parent: error: topic 'zero-trust' belongs to 'securite', which "
                "is not a topic — the slug of another topic of this file, or no parent",
            ],
        ),
        (
            "parents-in-a-circle.yml",
            [
                "content/topics.yml:7:11: topics-parent: error: topic 'poule' is, through its parents, its own "
                "parent — a broader topic that does not belong to this one",
                "content/topics.yml:13:11: topics-parent: error: topic 'oeuf' is, through its parents, its own "
                "parent — a broader topic that does not belong to this one",
            ],
        ),
        (
            "two-topics-one-name.yml",
            [
                "content/topics.yml:12:13: topics-duplicate: error: 'securite' names both 'securite' and "
                "'cybersecurite' — each name and synonym, accents and case aside, for one topic only"
            ],
        ),
        (
            "slug-with-capitals.yml",
            [
                "content/topics.yml:2:1: topics-schema: error: 'Cloud' cannot be a key here — a topic's slug: "
                "lowercase letters, digits and hyphens, e.g. numerique-responsable (its page is "
                "/expertise/<slug>/; never change it once published)"
            ],
        ),
        (
            "unknown-field.yml",
            [
                "content/topics.yml:3:3: topics-missing-field: error: required field 'description' is missing — "
                "add 'description:' — One or two sentences per language, shown at the top of the topic's page: "
                "{fr: ..., en: ...}.",
                "content/topics.yml:4:3: topics-unknown-field: error: unknown field 'cloud.descripton' — did you "
                "mean 'description'? known fields: description, name, parent, synonyms",
            ],
        ),
        (
            "yaml-syntax-error.yml",
            [
                "content/topics.yml:4:27: topics-yaml: error: YAML syntax error: expected ',' or '}', but got "
                "':' — valid YAML: 'key: value' lines, two-space indents, quotes around values containing ': '"
            ],
        ),
    ],
)
def test_a_mistake_in_the_vocabulary_is_named_at_its_line(tmp_path, case, expected):
    vocabulary, findings = vocabulary_of(tmp_path, case)
    assert sorted(f.text() for f in findings) == sorted(expected)


def test_a_missing_vocabulary_says_how_to_make_one(tmp_path):
    vocabulary, findings = load_vocabulary(tmp_path / "content" / "topics.yml", LANGUAGES, root=tmp_path)
    assert vocabulary is None
    assert [f.text() for f in findings] == [
        "content/topics.yml:1:1: topics-file: error: the topic vocabulary is missing — a file listing every "
        "topic profiles and articles may name, with topics.schema.json beside it: copy the project's "
        "content/topics.yml"
    ]


def test_the_project_vocabulary_names_every_topic_of_the_demo():
    settings = settings_of()
    checked = check_site(settings, ROOT)
    assert [
        f for f in checked.findings if f.rule.startswith(("topics-", "article-topic", "profile-topic"))
    ] == []


def test_a_misspelt_topic_in_a_profile_stops_check_and_the_build_at_its_line(tmp_path):
    """The journalist's case: 'Cybersecurité' renamed the topic across the site; 'Gestion de crise' made a new one."""
    base = write_site(
        tmp_path / "site",
        {
            "experts/alice-dupont.yml": profile("Alice Dupont", expertise="[Cloud, Cybersecurité]"),
            "content/articles/crise.md": article("Une crise", "alice-dupont").replace(
                "Tags: Cloud", "Tags: Gestion de crise"
            ),
        },
    )
    out = tmp_path / "out"
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=err) == 1
    lines = [line for line in err.getvalue().splitlines() if "-topic:" in line]
    assert lines == [
        "content/articles/crise.md:4:7: article-topic: error: unknown topic 'Gestion de crise' — Topics are "
        "those of content/topics.yml; a new one is added there (slug, name and description in each language), "
        "in the same pull request",
        "experts/alice-dupont.yml:5:20: profile-topic: error: unknown topic 'Cybersecurité' — did you mean "
        "'Cybersécurité'? Topics are those of content/topics.yml; a new one is added there (slug, name and "
        "description in each language), in the same pull request",
    ]
    assert not out.exists(), "nothing is built"
