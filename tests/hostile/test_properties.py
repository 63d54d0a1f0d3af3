"""Property-based tests: generated profiles, article headers, snapshots and settings, valid and broken.

Whatever a file holds, ``check`` answers with findings that name the file (and
a line and a column from 1), never with an exception, and in a bounded time;
what ``check`` lets through, the build reads without failing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambassade.configure import check as check_settings
from ambassade.profiles import load_profiles
from ambassade.rules import check
from ambassade.snapshots import SnapshotError, load_snapshot, snapshot_findings
from tests.support import ROOT, settings_of, write_site

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: Seconds one generated file may take to check: a hostile one must not hold CI.
PER_FILE = 2.0

# -- what people type ------------------------------------------------------------------------------------

TRICKY = [
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "</script>",
    "javascript:alert(1)",
    "&#106;avascript:",
    "{static}/../../x",
    "{: onclick=x }",
    "&a [1, 2]",
    "*a",
    "\u2028",
    "\ufeff",
    "\x00",
    "é",
    "🙂",
    "'",
    '"',
    ": ",
    "- ",
    "#",
    "\t",
    "../",
    "0001-01-01T00:30+14:00",
]
text = st.one_of(
    st.text(max_size=40), st.sampled_from(TRICKY), st.lists(st.sampled_from(TRICKY), max_size=4).map("".join)
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False), text
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(text, st.integers(-5, 5), st.none()), inner, max_size=4),
    ),
    max_leaves=12,
)
PROFILE_KEYS = [
    "name",
    "role",
    "published",
    "bio",
    "expertise",
    "photo",
    "links",
    "feeds",
    "languages",
    "location",
    "team",
    "social_feed",
    "leaderboard",
    "audience",
]


@st.composite
def profile_texts(draw) -> str | bytes:
    """A profile as a person may write one: YAML of known and unknown keys, then maybe damaged."""
    fields = draw(
        st.dictionaries(st.one_of(st.sampled_from(PROFILE_KEYS), text, st.integers(0, 3)), values, max_size=8)
    )
    base = {"name": "Alice Dupont", "role": "Consultante", "published": True}
    if draw(st.booleans()):
        fields = {**base, **fields}
    try:
        body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        body = "name: x\n"
    source = "# yaml-language-server: $schema=schema.json\n" + body
    damage = draw(st.sampled_from(["none", "cut", "insert", "bytes", "aliases", "bom"]))
    if damage == "cut":
        source = source[: draw(st.integers(0, len(source)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(source)))
        source = source[:at] + draw(text) + source[at:]
    elif damage == "aliases":
        source += "extra: &e [1, 2]\nmore: *e\n"
    elif damage == "bom":
        source = "\ufeff" + source
    elif damage == "bytes":
        return source.encode("utf-8") + draw(st.binary(min_size=1, max_size=8))
    return source


def located(findings, shown: str) -> None:
    for finding in findings:
        assert finding.path == shown, finding.text()
        assert finding.line >= 1 and finding.col >= 1, finding.text()
        assert finding.message, finding.text()


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="ambassade-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@FUZZ
@given(source=profile_texts())
def test_any_profile_gets_findings_at_its_place_never_an_exception(scratch, source):
    experts = scratch / "experts"
    shutil.rmtree(experts, ignore_errors=True)
    experts.mkdir()
    shutil.copyfile(ROOT / "experts" / "schema.json", experts / "schema.json")
    path = experts / "alice-dupont.yml"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass"))
    started = time.monotonic()
    experts_found, findings = load_profiles(experts, root=scratch)
    assert time.monotonic() - started < PER_FILE
    located(findings, "experts/alice-dupont.yml")
    if not any(f.is_error for f in findings):
        assert "alice-dupont" in experts_found


# -- article headers -------------------------------------------------------------------------------------

HEADER_KEYS = [
    "Title",
    "Date",
    "Modified",
    "Authors",
    "Tags",
    "Summary",
    "Lang",
    "Status",
    "Slug",
    "Save_as",
    "Url",
    "Template",
    "Translation",
    "Share",
    "Share-X",
]
header_values = st.one_of(
    text.map(lambda t: t.replace("\n", " ").replace("\r", " ")),
    st.sampled_from(["2026-03-14T09:30:00+01:00", "alice-dupont", "fr", "en", "draft", "true", "index.html"]),
)


@st.composite
def article_texts(draw) -> str:
    lines = [
        f"{key}: {value}"
        for key, value in draw(st.lists(st.tuples(st.sampled_from(HEADER_KEYS), header_values), max_size=10))
    ]
    if draw(st.booleans()):
        lines = [
            "Title: Un titre",
            "Date: 2026-03-14T09:30:00+01:00",
            "Authors: alice-dupont",
            "Tags: Cloud",
            "Summary: Un résumé.",
            *lines,
        ]
    body = draw(
        st.lists(
            st.one_of(
                text,
                st.sampled_from(["[t]({static}/../x)", "![i](data:x)", "<iframe>", "| a |\n|--|\n| 1 |"]),
            ),
            max_size=6,
        )
    )
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture(scope="module")
def article_site(scratch):
    base = write_site(
        scratch / "articles-site",
        {
            "experts/alice-dupont.yml": "# yaml-language-server: $schema=schema.json\n"
            "name: Alice Dupont\nrole: Consultante\npublished: true\n"
        },
    )
    overrides = {
        "PATH": str(base / "content"),
        "SITE": {"experts_path": str(base / "experts"), "social_path": str(base / "data" / "social")},
    }
    return base, settings_of(**overrides)


@FUZZ
@given(source=article_texts())
def test_any_article_header_gets_findings_at_its_place_never_an_exception(article_site, source):
    base, site_settings = article_site
    path = base / "content" / "articles" / "hostile.md"
    path.write_text(source, encoding="utf-8", errors="surrogatepass")
    started = time.monotonic()
    findings = check.run(site_settings, root=base)
    assert time.monotonic() - started < PER_FILE
    located(findings, "content/articles/hostile.md")


# -- snapshots -------------------------------------------------------------------------------------------

POST = {
    "feed": "https://piaille.example/@alice.rss",
    "network": "mastodon",
    "id": "1",
    "url": "https://piaille.example/@alice/1",
    "date": "2026-03-01T10:00:00Z",
    "html": "<p>Bonjour</p>",
    "repost": False,
}


@st.composite
def snapshot_texts(draw) -> str | bytes:
    posts = draw(
        st.lists(
            st.one_of(
                st.dictionaries(st.sampled_from(list(POST)), values, max_size=7).map(lambda d: {**POST, **d}),
                st.builds(dict, st.dictionaries(st.sampled_from(list(POST)), values, max_size=7)),
                values,
            ),
            max_size=4,
        )
    )
    data = {"expert": "alice-dupont", "feeds": draw(st.one_of(st.just({}), values)), "posts": posts}
    if draw(st.integers(0, 5)) == 0:
        data = draw(values)
    source = json.dumps(data, ensure_ascii=False, indent=2)
    damage = draw(st.sampled_from(["none", "none", "cut", "bytes"]))
    if damage == "cut":
        return source[: draw(st.integers(0, len(source)))]
    if damage == "bytes":
        return source.encode() + draw(st.binary(min_size=1, max_size=4))
    return source


@FUZZ
@given(source=snapshot_texts())
def test_any_snapshot_is_checked_at_its_place_and_what_check_passes_the_build_reads(scratch, source):
    from plugins.social.render import latest_posts

    folder = scratch / "social"
    folder.mkdir(exist_ok=True)
    path = folder / "alice-dupont.json"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass"))
    findings = snapshot_findings(folder, ["alice-dupont"], root=scratch)
    located(findings, "social/alice-dupont.json")
    if findings:
        with pytest.raises((SnapshotError, UnicodeDecodeError, ValueError)):
            load_snapshot(path)
    else:
        latest_posts(path, 6, 500)  # what the build does with it: no exception


# -- settings --------------------------------------------------------------------------------------------

SECTIONS = [
    "SITE",
    "SHARING",
    "CHARTER",
    "HOSTING",
    "SPEED",
    "SOCIAL",
    "EXPERTS",
    "ADVOCACY",
    "DISCOVERY",
    "REVIEW",
]


@pytest.fixture(scope="module")
def demo_settings():
    return settings_of()


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(SECTIONS),
        st.one_of(values, st.dictionaries(text, values, max_size=4)),
        min_size=1,
        max_size=3,
    )
)
def test_any_settings_get_findings_in_the_settings_file_never_an_exception(demo_settings, changes):
    given_settings = {**demo_settings, **changes}
    for finding in check_settings(given_settings):
        assert finding.path.endswith("pelicanconf.py") and finding.line >= 1, finding.text()
        assert finding.rule == "settings"
