"""Loading and validating expert profiles: one fixture per bad case, named after it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ambassade import i18n
from ambassade.engagements import Contact, Speaking
from ambassade.profiles import load_profiles
from tests.support import FIXTURES, ROOT, photo

PROFILES = FIXTURES / "profiles"


@pytest.fixture(autouse=True)
def messages_in_english(tools_speak_english):
    """Profiles are read here without a build: the tools speak the environment's language, English."""
    i18n.use()


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
    (d / "photos" / "helene.jpg").write_bytes(photo(800, 600))
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
    assert e.photo == (d / "photos" / "helene.jpg").resolve()
    assert e.photo_focus == (40, 35) and e.photo_alt["en"] == "Hélène at a whiteboard"
    assert e.links["mastodon"] == "@helene@piaille.example"
    assert e.audience == {"linkedin": 1200, "mastodon": 300}
    assert e.contact == Contact("self", "helene.durand@example.org")
    assert e.speaking == Speaking(True, ["Cloud", "Cybersécurité"], ["fr", "en"], ["keynote", "workshop"])
    newest, oldest = e.talks
    assert (newest.title, newest.start, newest.end) == (
        "Des plateformes sobres",
        dt.datetime(2027, 3, 18, 14, 30),
        dt.datetime(2027, 3, 18, 15, 15),
    )
    assert (newest.place, newest.online, newest.language, newest.all_day) == ("Lyon", True, "fr", False)
    assert (oldest.start, oldest.end, oldest.all_day, oldest.place) == (
        dt.date(2026, 6, 11),
        dt.date(2026, 6, 12),
        True,
        "",
    )
    assert [(p.kind, p.date) for p in e.publications] == [("paper", dt.date(2025, 9, 22))]
    assert [(m.outlet, m.kind) for m in e.media] == [("Les Échos du numérique", "podcast")]


def test_optional_fields_have_the_defaults_the_schema_describes(tmp_path):
    d = experts_dir(tmp_path)
    (d / "ana.yml").write_text("name: Ana Lima\nrole: Designer\npublished: true\nlanguages: [pt]\n")
    ana = load_profiles(d)[0]["ana"]
    assert ana.contact == Contact("comms", "")
    assert ana.speaking == Speaking(False, [], ["pt"], [])
    assert (ana.talks, ana.publications, ana.media, ana.photo) == ([], [], [], None)


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
            "'links.mastodon' is not in the expected form: 'alice@example.social' — Your Mastodon address, "
            "@user@instance, in quotes. For example: mastodon: '@claire@piaille.example'",
        ),
        (
            "talk-on-a-day-that-does-not-exist.yml",
            7,
            "profile-schema",
            "'talks, item 1.date': '2027-02-30T14:30' is not a real date — A date, 2026-06-12, or a date and time",
        ),
        (
            "talk-date-written-the-french-way.yml",
            7,
            "profile-schema",
            "'talks, item 1.date' is not in the expected form: '18/03/2027'",
        ),
        (
            "talk-without-place-or-online.yml",
            6,
            "profile-missing-field",
            "'talks, item 1' needs 'place' or 'online' — City and venue",
        ),
        (
            "talk-ending-before-it-starts.yml",
            8,
            "profile-schema",
            "the talk ends (2027-03-18T13:30) before it starts (2027-03-18T14:30) — an end after the start",
        ),
        (
            "contact-by-telephone.yml",
            5,
            "profile-schema",
            "'contact': 'telephone' is not one of comms, none",
        ),
        (
            "publication-link-without-scheme.yml",
            8,
            "profile-schema",
            "'publications, item 1.url' is not in the expected form: 'revue.example/finops'",
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


def test_a_wrong_link_does_not_hide_a_missing_photo(tmp_path):
    """Every problem of a profile in one run, each said for people: no regular expression."""
    _, _, findings = findings_for(tmp_path, "linkedin-without-https-and-photo-missing.yml")
    assert [f.text() for f in sorted(findings)] == [
        "experts/linkedin-without-https-and-photo-missing.yml:5:8: profile-photo: error: photo "
        "'photos/marie-dupont.jpg' does not exist — add the file as experts/photos/marie-dupont.jpg, "
        "or fix the path",
        "experts/linkedin-without-https-and-photo-missing.yml:7:13: profile-schema: error: 'links.linkedin' "
        "is not in the expected form: 'linkedin.com/in/marie-dupont' — The address of your LinkedIn profile, "
        "starting with https://. For example: linkedin: https://www.linkedin.com/in/claire-martin",
    ]


def test_a_photo_with_another_extension_is_suggested(tmp_path):
    d = experts_dir(tmp_path, "photo-missing.yml")
    (d / "photos" / "nobody.png").write_bytes(b"\x89PNG")
    (d / "photos" / "somebody-else.jpg").write_bytes(b"\xff\xd8")
    _, findings = load_profiles(d, root=tmp_path)
    assert (
        findings[0].expected
        == "add the file as experts/photos/nobody.jpg, or fix the path: did you mean 'photos/nobody.png'?"
    )


@pytest.mark.parametrize(
    "field, value, message, expected",
    [
        ("name", "A", "'name' is too short: at least 2 characters", "Your full name as the site shows it"),
        (
            "expertise",
            "[Cloud, Cloud]",
            "'expertise' lists 'Cloud' twice",
            "Topics this person can speak about",
        ),
        (
            "languages",
            "[french]",
            "'languages, item 1' is not in the expected form: 'french'",
            "For example: languages: [fr, en]",
        ),
        (
            "audience",
            "{facebook: 10}",
            "'audience': 'facebook' is not one of linkedin, x, mastodon",
            "Your followers",
        ),
        ("bio", "{de: Hallo}", "'bio' does not have one of the accepted shapes", "one text per language"),
    ],
)
def test_schema_errors_say_what_the_field_must_look_like(tmp_path, field, value, message, expected):
    d = experts_dir(tmp_path)
    fields = {"name": "Ana Lima", "role": "Designer", "published": "true", field: value}
    (d / "ana.yml").write_text("".join(f"{k}: {v}\n" for k, v in fields.items()), encoding="utf-8")
    _, findings = load_profiles(d, root=tmp_path)
    errors = [f for f in findings if f.is_error]
    assert len(errors) == 1, findings
    assert errors[0].message.startswith(message) and expected in errors[0].expected
    assert "^" not in errors[0].text() and "does not match" not in errors[0].text()


def _exif_turned() -> bytes:
    """Taken with the phone held sideways: 900×420 pixels as stored, upright 420×900."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    return photo(900, 420, exif=exif)


@pytest.mark.parametrize(
    "name, content, text",
    [
        (
            "drawing.svg",
            lambda: b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'/>",
            "the photo is an SVG drawing, not a photo — a JPEG, PNG or WebP photo",
        ),
        ("letter.jpg", lambda: b"Dear Alice,\nhere is my photo.\n", "the photo is not an image"),
        ("small.jpg", lambda: photo(200, 200), "the photo is 200×200 pixels — at least 400×400 pixels"),
        ("animated.gif", lambda: photo(600, 600, "GIF"), "the photo is in GIF — a JPEG, PNG or WebP photo"),
        (
            "wide.png",
            lambda: photo(1200, 600, "PNG"),
            "the photo is 1200×600 pixels, not square — a square photo, or photo_focus",
        ),
        ("sideways.jpg", _exif_turned, "the photo is 420×900 pixels, not square"),
        (
            "bomb.png",
            lambda: photo(8000, 6000, "PNG", mode="1"),
            "the photo is 8000×6000 pixels — at most 40 000 000 pixels",
        ),
    ],
)
def test_a_photo_that_is_no_usable_portrait_is_refused_at_its_line(tmp_path, name, content, text):
    d = experts_dir(tmp_path)
    (d / "photos" / name).write_bytes(content())
    (d / "alice.yml").write_text(f"name: Alice Dupont\nrole: Dev\npublished: true\nphoto: photos/{name}\n")
    experts, findings = load_profiles(d, root=tmp_path)
    (finding,) = [f for f in findings if f.is_error]
    assert (finding.path, finding.line, finding.col, finding.rule) == (
        "experts/alice.yml",
        4,
        8,
        "profile-photo",
    )
    assert text in finding.text()
    assert experts == {}


def test_a_photo_not_square_is_accepted_with_its_focus(tmp_path):
    d = experts_dir(tmp_path)
    (d / "photos" / "wide.png").write_bytes(photo(1200, 600, "PNG"))
    (d / "alice.yml").write_text(
        "name: A B\nrole: Dev\npublished: true\nphoto: photos/wide.png\nphoto_focus: {x: 70, y: 40}\n"
    )
    experts, findings = load_profiles(d)
    assert [f for f in findings if f.is_error] == [] and experts["alice"].photo_focus == (70, 40)


def test_a_photo_replaced_by_a_bad_one_is_checked_again(tmp_path):
    """Profiles are kept between reads of a process (livereload): the photo's own stamp counts."""
    d = experts_dir(tmp_path)
    (d / "photos" / "alice.jpg").write_bytes(photo(600, 600))
    (d / "alice.yml").write_text("name: A B\nrole: Dev\npublished: true\nphoto: photos/alice.jpg\n")
    assert "alice" in load_profiles(d)[0]
    (d / "photos" / "alice.jpg").write_bytes(photo(100, 100))
    experts, findings = load_profiles(d)
    assert experts == {} and [f.rule for f in findings if f.is_error] == ["profile-photo"]


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
        "experts/ana.yml:2:7: profile-type: error: 'role' is a list ([Architecte]) — expected a text or a "
        'mapping: Job title, e.g. "Architecte cloud": one text, or one per language ({fr: Architecte cloud, '
        "en: Cloud architect}). For example: role: Architecte cloud"
    ]
