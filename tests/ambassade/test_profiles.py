"""Loading and validating expert profiles: one fixture per bad case, named after it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ambassade.profiles import load_profiles
from tests.support import FIXTURES, ROOT

PROFILES = FIXTURES / "profiles"


def experts_dir(tmp_path: Path, *names: str) -> Path:
    d = tmp_path / "experts"
    (d / "photos").mkdir(parents=True)
    shutil.copyfile(ROOT / "experts" / "schema.json", d / "schema.json")
    for name in names:
        shutil.copyfile(PROFILES / name, d / name)
    return d


def findings_for(tmp_path: Path, name: str):
    d = experts_dir(tmp_path, name)
    experts, findings = load_profiles(d, root=tmp_path)
    return experts, [(f.path, f.line, f.rule, f.severity.value) for f in findings], findings


def test_valid_profile_loads_every_field(tmp_path):
    d = experts_dir(tmp_path, "valid-full.yml")
    (d / "photos" / "helene.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    experts, findings = load_profiles(d)
    assert findings == []
    e = experts["valid-full"]
    assert (e.name, e.role, e.published, e.social_feed, e.leaderboard) == (
        "Hélène Durand",
        "Architecte cloud",
        True,
        True,
        False,
    )
    assert e.expertise == ["Cloud", "Cybersécurité"]
    assert e.bio == {
        "fr": "Hélène conçoit des plateformes **sobres**.",
        "en": "Hélène designs *frugal* platforms.",
    }
    assert e.photo == (d / "photos" / "helene.svg").resolve()
    assert e.links["mastodon"] == "@helene@piaille.example"
    assert e.audience == {"linkedin": 1200, "mastodon": 300}


def test_single_bio_is_in_the_site_language(tmp_path):
    d = experts_dir(tmp_path)
    (d / "ana.yml").write_text("name: Ana Lima\nrole: Designer\npublished: true\nbio: Bonjour.\n")
    experts, _ = load_profiles(d, default_lang="fr")
    assert experts["ana"].bio == {"fr": "Bonjour."}


@pytest.mark.parametrize(
    "case, line, rule, text",
    [
        (
            "yaml-syntax-error.yml",
            4,
            "profile-yaml",
            "YAML syntax error: mapping values are not allowed here",
        ),
        ("wrong-type.yml", 4, "profile-type", "'published' is a text ('oui') — expected true or false"),
        ("missing-required-field.yml", 2, "profile-missing-field", "required field 'role' is missing"),
        (
            "unknown-field.yml",
            5,
            "profile-unknown-field",
            "unknown field 'expertize' — did you mean 'expertise'?",
        ),
        ("photo-missing.yml", 5, "profile-photo", "photo 'photos/nobody.jpg' does not exist"),
        ("photo-outside-experts.yml", 5, "profile-photo", "photo '../outside.png' is outside experts/"),
        ("duplicate-key.yml", 5, "profile-yaml", "'name' is given twice"),
        (
            "bad-mastodon-handle.yml",
            6,
            "profile-schema",
            "'links.mastodon': 'alice@example.social' does not match",
        ),
    ],
)
def test_bad_profile_names_file_line_and_fix(tmp_path, case, line, rule, text):
    experts, rows, findings = findings_for(tmp_path, case)
    errors = [f for f in findings if f.is_error]
    assert len(errors) == 1, findings
    finding = errors[0]
    assert (finding.path, finding.line, finding.rule) == (f"experts/{case}", line, rule)
    assert text in finding.text()
    assert " — " in finding.text(), "every error says what is expected"
    assert experts == {}, "a profile with an error is never published"


def test_a_profile_read_again_is_named_as_each_caller_shows_it(tmp_path):
    """The build reads every profile twice (the rules from the site's folder, the experts
    plugin from the working folder): the second read is the first one's, named anew."""
    d = experts_dir(tmp_path, "wrong-type.yml")
    _, first = load_profiles(d, root=tmp_path)
    _, second = load_profiles(d, root=d)
    assert [(f.path, f.line, f.rule) for f in first] == [("experts/wrong-type.yml", 4, "profile-type")]
    assert [(f.path, f.line, f.rule) for f in second] == [("wrong-type.yml", 4, "profile-type")]


def test_missing_schema_comment_is_a_warning(tmp_path):
    experts, rows, _ = findings_for(tmp_path, "no-schema-comment.yml")
    assert rows == [("experts/no-schema-comment.yml", 1, "profile-schema-comment", "warning")]
    assert "no-schema-comment" in experts


def test_two_profiles_with_the_same_slug(tmp_path):
    d = experts_dir(tmp_path)
    for suffix in (".yml", ".yaml"):
        (d / f"alice{suffix}").write_text("name: Alice\nrole: Dev\npublished: true\n")
    experts, findings = load_profiles(d, root=tmp_path)
    dup = [f for f in findings if f.rule == "profile-duplicate"]
    assert len(dup) == 1 and "experts/alice.yaml" in dup[0].text() and "experts/alice.yml" in dup[0].text()
    assert "alice" not in experts


def test_file_name_must_be_a_slug(tmp_path):
    d = experts_dir(tmp_path)
    (d / "Alice_Dupont.yml").write_text("name: Alice\nrole: Dev\npublished: true\n")
    _, findings = load_profiles(d, root=tmp_path)
    assert [f.rule for f in findings if f.is_error] == ["profile-slug"]


def test_every_problem_of_every_profile_in_one_run(tmp_path):
    cases = [
        "yaml-syntax-error.yml",
        "wrong-type.yml",
        "missing-required-field.yml",
        "unknown-field.yml",
        "photo-missing.yml",
        "photo-outside-experts.yml",
        "duplicate-key.yml",
    ]
    d = experts_dir(tmp_path, *cases)
    _, findings = load_profiles(d, root=tmp_path)
    assert sorted({f.path for f in findings if f.is_error}) == sorted(f"experts/{c}" for c in cases)


def test_demo_profiles_are_valid():
    experts, findings = load_profiles(ROOT / "experts", root=ROOT)
    assert [f.text() for f in findings] == []
    assert len([e for e in experts.values() if e.published]) >= 12
    assert len({t for e in experts.values() for t in e.expertise}) >= 6


@pytest.mark.parametrize(
    "schema, line, message",
    [
        (None, 1, "the profiles' schema cannot be read: the file is missing"),
        ('{\n  "type": "object",\n  "properties": {\n}', 4, "the profiles' schema cannot be read: not JSON"),
        ('{"type": "objet"}', 1, "the profiles' schema cannot be read: not a JSON Schema"),
    ],
)
def test_a_schema_that_cannot_be_read_is_a_finding_not_a_crash(tmp_path, schema, line, message):
    d = experts_dir(tmp_path, "valid-full.yml")
    if schema is None:
        (d / "schema.json").unlink()
    else:
        (d / "schema.json").write_text(schema, encoding="utf-8")
    experts, findings = load_profiles(d, root=tmp_path)
    assert experts == {}
    assert [(f.path, f.line, f.rule) for f in findings] == [("experts/schema.json", line, "profile-schema")]
    assert findings[0].message.startswith(message) and findings[0].is_error


def test_a_missing_experts_folder_is_a_finding(tmp_path):
    experts, findings = load_profiles(tmp_path / "experts", root=tmp_path)
    assert experts == {}
    assert [(f.path, f.rule, f.message) for f in findings] == [
        ("experts", "profile-folder", "the experts folder is missing")
    ]


def test_role_team_and_location_may_be_given_per_language(tmp_path):
    d = experts_dir(tmp_path)
    (d / "ana.yml").write_text(
        "name: Ana Lima\nrole: {fr: Architecte cloud, en: Cloud architect}\npublished: true\n"
        "team: Studio Design\nlocation: {fr: Londres, en: London}\n",
        encoding="utf-8",
    )
    experts, findings = load_profiles(d, default_lang="fr")
    ana = experts["ana"]
    assert (ana.role, ana.text("role", "en"), ana.text("role", "de")) == (
        "Architecte cloud",
        "Cloud architect",
        "Architecte cloud",
    ), "the site's language when the profile has no text in the one asked for"
    assert (ana.team, ana.text("team", "en")) == ("Studio Design", "Studio Design")
    assert (ana.location, ana.text("location", "en")) == ("Londres", "London")


def test_a_field_neither_a_text_nor_one_per_language_says_both_are_expected(tmp_path):
    d = experts_dir(tmp_path)
    (d / "ana.yml").write_text("name: Ana Lima\nrole: [Architecte]\npublished: true\n", encoding="utf-8")
    _, findings = load_profiles(d, root=tmp_path)
    assert [f.text() for f in findings if f.is_error] == [
        "experts/ana.yml:2:7: profile-type: error: 'role' is a list (['Architecte']) — expected a text or a "
        'mapping: Job title, e.g. "Architecte cloud": one text, or one per language ({fr: Architecte cloud, '
        "en: Cloud architect})."
    ]
