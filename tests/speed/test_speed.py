"""The speed plugin changes how the site is built, never what: and the benchmark runs.

* The demo built with the fast path (forked readers and renderers, linked
  unchanged pages, skipped renders) and with ``SPEED = {"enabled": False}``
  (plain sequential Pelican) is the same, file for file, byte for byte.
  Pagefind's shuffled files are compared decoded (tests/sitediff.py).
* A rebuild after an edit (pages reused, others linked) gives what a cold
  build gives.
* ``python -m benchmarks.run --size tiny`` (what ``invoke bench`` runs) writes
  every row and ratio; no timing is asserted.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from ambassade.build import main
from plugins.speed import store
from tests.sitediff import differences as _differences
from tests.support import PREVIEW_CONF, ROOT, article, profile, site_overrides, write_site


def _build(out, cache, **speed) -> None:
    err = io.StringIO()
    overrides = {"OUTPUT_PATH": str(out), "CACHE_PATH": str(cache), "SPEED": speed}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    out = tmp_path_factory.mktemp("sequential") / "output"
    _build(out, out.parent / "cache", enabled=False)
    return out


def test_fast_build_is_byte_identical_to_a_sequential_build(sequential, tmp_path):
    fast = tmp_path / "output"
    _build(fast, tmp_path / "cache", enabled=True, workers=2)
    assert _differences(sequential, fast) == []


_STATEFUL = [
    # Footnotes, abbreviations, reference links, heading ids and a formatted field:
    # state one document leaves in a Markdown instance that the next must not see.
    "Title: One\nSummary: A *short* one[^s].\n\n# Intro\n\nText[^1] with HTML and [a link][ref].\n\n"
    "*[HTML]: Hyper Text Markup Language\n[^1]: First note.\n[ref]: https://example.org/one\n",
    "Title: Two\nTags: a\nTags: b\n\n# Intro\n\n# Intro\n\nHTML again, [a link][ref], and[^1].\n\n"
    "```python\nprint('x')\n```\n\n<div markdown=\"1\">*inside*</div>\n",
    "No header at all, HTML[^1].\n\n[^1]: Its own note.\n",
    "Title: Four\nSummary:\n    on two lines\n\nLast.\n",
]


def test_a_forked_process_leaves_what_it_inherited_out_of_its_garbage_collections():
    """Else a child's full collection writes to every inherited object: a copy of the parent's heap."""
    import gc

    from plugins.speed.collection import fork

    inherited = [[n] for n in range(10_000)]
    read, write = os.pipe()
    pid = fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, str(gc.get_freeze_count()).encode())
        os._exit(0)
    os.close(write)
    frozen_in_child = int(os.read(read, 64))
    os.close(read)
    os.waitpid(pid, 0)
    assert frozen_in_child >= len(inherited)
    assert gc.get_freeze_count() == 0  # the parent collects its own as before


def test_reused_markdown_converts_each_file_as_a_fresh_one(tmp_path):
    import copy

    from pelican.readers import MarkdownReader

    from ambassade.configure import load
    from plugins.speed import markdown

    settings = load(ROOT / "pelicanconf.py")
    wanted = {k: copy.deepcopy(settings[k]) for k in ("MARKDOWN", "FORMATTED_FIELDS")}
    assert markdown._reusable(wanted["MARKDOWN"])
    reader = markdown._ReusingReader(copy.deepcopy(wanted))
    paths = []
    for n, text in enumerate(_STATEFUL * 2):
        path = tmp_path / f"{n}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    for path in paths:
        fresh = MarkdownReader(copy.deepcopy(wanted))
        fresh.process_metadata = lambda name, value: value
        assert reader.read(str(path)) == fresh.read(str(path)), path.name


_INLINE = [
    # Each inline pattern, where it matches and where its character is there but it does not.
    "`code`, ``a ` b``, \\`not code\\`, \\\\`code after two backslashes`, a lone ` tick",
    "\\*not em\\*, \\[not a link\\], a \\\\ backslash, \\_ and \\& and \\<",
    "A note[^1], a missing one[^nope], [^ not a note] and [^].\n\n[^1]: The *note*, with [a link](/n).",
    '[a](https://example.org "t"), [b][ref], [ref], [c][], [d](), [[nested]](/x), [unclosed, ] alone',
    "![i](/i.png), ![j][ref], ![ref], ! [not an image](/x), !\\[escaped](/x)",
    "<https://example.org/a?b=1&c=2>, <ftp://x.org>, <a@b.org>, <mailto:c@d.org>, <not a link>, a < b > c",
    "one  \ntwo   \nthree \nfour",
    '<span class="x">in</span>, <!-- a comment -->, <?php echo 1 ?>, <![CDATA[x]]>, <br/>, 3 < 4',
    "&amp; &copy; &#169; &#xA9; & alone &nope; &#;",
    "*em* _em_ **strong** __strong__ ***both*** ___both___ a_b_c snake_case * lone _ lone *un*closed_",
    "Only _underscores_ here, __strong__ too",
    "Only *stars* here, **strong** too",
    "*em with [a link](/l) and `code`*, [*em* in a link](/l), **[bold link][ref]**, `*not em*`",
    "# A *heading* with `code` & [a link](/h)\n\n| a | *b* |\n|---|---|\n| `c` | [d](/d) |",
    "Term *one*\n:   Definition with [a link](/t) and &amp;\n\n* item `x`\n* item *y*  \n  continued",
    "Une « citation » en français, l’apostrophe… et l’HTML[^a].\n\n*[HTML]: HyperText\n[^a]: Note.",
    'A paragraph with attributes *em*\n{: .lead #intro }\n\n<div markdown="1">*inside* [x](/x)</div>',
    '[ref]: https://example.org/ref "Ref"',
]


def test_inline_patterns_skipped_on_text_they_cannot_match_give_the_same_html():
    import copy

    from markdown import Markdown
    from pelican.readers import MarkdownReader

    from ambassade.configure import load
    from plugins.speed import compat, inline

    conf = MarkdownReader(load(ROOT / "pelicanconf.py")).settings["MARKDOWN"]
    plain, triggered = Markdown(**copy.deepcopy(conf)), inline.install(Markdown(**copy.deepcopy(conf)))
    assert compat.is_triggered(triggered)
    demo = [p.read_text(encoding="utf-8") for p in (ROOT / "content").rglob("*.md")]
    for text in [*_INLINE, "\n\n".join(_INLINE), *demo]:
        for source in (text, text + "\n\n[ref]: https://example.org/ref"):
            assert triggered.reset().convert(source) == plain.reset().convert(source), source
    # Every pattern of the site's Markdown is known: a new version of Markdown
    # with other expressions makes this fail rather than convert more slowly.
    unknown = [p.compiled_re.pattern for p in plain.inlinePatterns if inline.needs(p) is None]
    assert unknown == []


def test_iso_dates_are_read_as_pelican_reads_them():
    from pelican.utils import get_date

    from plugins.speed.markdown import iso_date

    usual = [
        "2025-04-12",
        "2025-04-12 14:37",
        "2025-04-12T14:37",
        "2025-04-12T14:37:05",
        "2025-04-12 14:37:05",
        "2025-04-12T14:37:00+02:00",
        "2025-12-31T23:59:59-05:30",
        "2024-02-29T09:00:00+0100",
        "2025-04-12T14:37+14:00",
    ]
    left = [
        "2025-04-12T14:37:00Z",
        "2025-04-12T14:37:00+00:00",
        "2025-04-12T14:37:00-00:00",
        "2025-02-30",
        "2025-04-12T25:00",
        "2025-04-12T14:61",
        "2025-04-12T14:37:00+24:00",
        "2025-4-12",
        " 2025-04-12",
        "2025-04-12T14:37:00.5+02:00",
        "12/04/2025",
        "2025-04-12  14:37",
        "2025-04-12_14:37",
        "tomorrow",
    ]
    for text in usual:
        fast = iso_date(text)
        assert fast is not None, text
        slow = get_date(text)
        assert (type(fast), repr(fast), fast.utcoffset()) == (type(slow), repr(slow), slow.utcoffset()), text
    assert [text for text in left if iso_date(text) is not None] == []


def test_the_rules_find_in_pelicans_html_what_their_own_rendering_finds():
    """The rules look through the HTML Pelican made of each body (check.hand_bodies) rather
    than convert it again: for every source of the demo, the two are the same."""
    import copy

    from ambassade.configure import load
    from ambassade.rules import frontmatter, render
    from plugins.speed import markdown

    settings = load(ROOT / "pelicanconf.py")
    reader = markdown._RawReader(settings)  # lists the extensions in settings["MARKDOWN"], as Pelican does
    renderer = render.Renderer(copy.deepcopy(settings["MARKDOWN"]))
    sources = sorted((ROOT / "content").rglob("*.md"))
    assert len(sources) > 30
    for path in sources:
        doc = frontmatter.read(path)
        assert render.collect(doc, reader.read(str(path))[0]) == renderer.render(doc), path.name


def test_markdown_is_reused_only_with_markdowns_own_extensions():
    from plugins.speed.markdown import _reusable

    assert _reusable({"extensions": ["markdown.extensions.extra"], "extension_configs": {}})
    assert not _reusable({"extensions": ["pymdownx.superfences"]})
    assert not _reusable({"extension_configs": {"some_plugin.extension": {}}})


def _demo_copy(tmp_path):
    site = tmp_path / "site"
    for part in ("content", "experts", "data"):
        shutil.copytree(ROOT / part, site / part)
    overrides = {
        "PATH": str(site / "content"),
        "SITE": {"experts_path": str(site / "experts"), "social_path": str(site / "data" / "social")},
        "CACHE_PATH": str(tmp_path / "cache"),
        "SPEED": {"workers": 2},
    }
    return site, overrides


def test_rebuild_after_an_edit_is_what_a_cold_build_writes(tmp_path):
    """The rebuild a new process makes (the site read again, unchanged pages linked)."""
    site, overrides = _demo_copy(tmp_path)
    overrides["SPEED"]["quick"] = False
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    for attempt in range(2):
        assert (
            main(str(PREVIEW_CONF), overrides={**overrides, "OUTPUT_PATH": str(warm)}, stream=io.StringIO())
            == 0
        )
        article = sorted((site / "content" / "articles").glob("*.md"))[attempt]
        article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert (
        main(str(PREVIEW_CONF), overrides={**overrides, "OUTPUT_PATH": str(warm)}, stream=io.StringIO()) == 0
    )
    err = io.StringIO()
    cold_overrides = {**overrides, "OUTPUT_PATH": str(cold), "SPEED": {"enabled": False}}
    assert main(str(PREVIEW_CONF), overrides=cold_overrides, stream=err) == 0, err.getvalue()
    assert _differences(cold, warm) == []


def _quick_build(overrides, output) -> dict:
    from plugins.speed import quick

    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides={**overrides, "OUTPUT_PATH": str(output)}, stream=err) == 0, (
        err.getvalue()
    )
    return quick.stats()


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_edits_to_article_text_rebuild_without_reading_the_site_again(tmp_path):
    site, overrides = _demo_copy(tmp_path)
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    articles = sorted((site / "content" / "articles").glob("*.md"))
    assert _quick_build(overrides, warm) == {}  # the first build reads everything
    _append(articles[0], "\nUne phrase de plus, avec un [lien](https://example.org/x).\n")
    assert _quick_build(overrides, warm) == {"quick": 1, "changed": 1}
    for path in articles[1:3]:  # saved by an editor that writes a new file and renames it
        replacement = path.with_suffix(".tmp")
        replacement.write_text(path.read_text(encoding="utf-8") + "\nEt encore une.\n", encoding="utf-8")
        os.replace(replacement, path)
    assert _quick_build(overrides, warm) == {"quick": 1, "changed": 2}
    assert "Et encore une." in (warm / "articles" / articles[1].stem / "index.html").read_text(
        encoding="utf-8"
    ) or any("Et encore une." in p.read_text(encoding="utf-8") for p in warm.rglob("index.html"))
    err = io.StringIO()
    cold_overrides = {**overrides, "OUTPUT_PATH": str(cold), "SPEED": {"enabled": False}}
    assert main(str(PREVIEW_CONF), overrides=cold_overrides, stream=err) == 0, err.getvalue()
    assert _differences(cold, warm) == []


def test_a_quick_rebuild_keeps_the_renders_of_the_files_it_did_not_check(tmp_path):
    """The next process starts from the kept renders: checking one edited file must not drop the others'."""
    from ambassade.rules.frontmatter import read

    site, overrides = _demo_copy(tmp_path)
    articles = sorted((site / "content" / "articles").glob("*.md"))
    _quick_build(overrides, tmp_path / "output")
    _append(articles[0], "\nUne phrase de plus.\n")
    assert _quick_build(overrides, tmp_path / "output") == {"quick": 1, "changed": 1}
    renders = store.load(tmp_path / "cache" / "speed" / "renders.pickle")
    bodies = {(doc.body, doc.body_line) for doc in map(read, (site / "content").rglob("*.md"))}
    assert len(renders) >= len(bodies) > 30


def test_any_other_change_rebuilds_in_full(tmp_path):
    site, overrides = _demo_copy(tmp_path)
    output = tmp_path / "output"
    articles = sorted((site / "content" / "articles").glob("*.md"))
    _quick_build(overrides, output)
    # A header line (the title) is metadata, not text.
    text = articles[0].read_text(encoding="utf-8")
    articles[0].write_text(text.replace("Title: ", "Title: Nouveau : ", 1), encoding="utf-8")
    assert _quick_build(overrides, output) == {}
    assert "Nouveau : " in "".join(p.read_text(encoding="utf-8") for p in output.rglob("index.html"))
    # A new file, then a profile's name (bylines and sorted lists are made of it as the site is read).
    (site / "content" / "articles" / "nouveau.md").write_text(
        article("Un article tout neuf", "claire-martin"), encoding="utf-8"
    )
    assert _quick_build(overrides, output) == {}
    profile = site / "experts" / "claire-martin.yml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("name: ", "name: Dr ", 1), encoding="utf-8"
    )
    assert _quick_build(overrides, output) == {}
    # A template only the rendering processes read (included by every page).
    partial = next((ROOT / "theme" / "templates").rglob("*.html"))
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    overrides["THEME"] = str(theme)
    _quick_build(overrides, output)
    _append(theme / partial.relative_to(ROOT / "theme"), "\n")
    assert _quick_build(overrides, output) == {}
    # Nothing changed: the output phase alone.
    assert _quick_build(overrides, output) == {"quick": 1, "changed": 0}


def test_a_card_given_again_to_another_page_makes_it_depend_on_the_article_as_well(tmp_path):
    """An article card rendered for one page is given as is to the next page showing it
    (speed/partials.py). An article without a Summary (the charter may allow it) shows the
    start of its body: when that changes, a quick rebuild renders every page showing it."""
    from plugins.speed import partials

    text = (
        "Title: Sans résumé\nDate: 2026-03-14T09:30:00+01:00\nAuthors: ana-roy, bea-sol\n"
        "Tags: Cloud\nLang: fr\n\n{first} Puis une suite.\n"
    )
    base = write_site(
        tmp_path,
        {
            "experts/ana-roy.yml": profile("Ana Roy", expertise="[Cloud]"),
            "experts/bea-sol.yml": profile("Béa Sol", expertise="[Cloud]"),
            "content/articles/sans-resume.md": text.format(first="Premier état du texte."),
        },
    )
    overrides = {
        **site_overrides(base, tmp_path / "warm"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "SPEED": {"workers": 1},
        "CHARTER": {"require_summary": False},
    }
    showing = ["experts/ana-roy/index.html", "experts/bea-sol/index.html", "expertise/cloud/index.html"]
    assert _quick_build(overrides, tmp_path / "warm") == {}
    assert partials.stats()["given"] > 0  # in this one process (workers: 1)
    (base / "content" / "articles" / "sans-resume.md").write_text(
        text.format(first="Second état du texte."), encoding="utf-8"
    )
    assert _quick_build(overrides, tmp_path / "warm") == {"quick": 1, "changed": 1}
    for page in showing:
        html = (tmp_path / "warm" / page).read_text(encoding="utf-8")
        assert "Second état du texte." in html and "Premier état" not in html, page
    err = io.StringIO()
    cold = {**overrides, "OUTPUT_PATH": str(tmp_path / "cold"), "SPEED": {"enabled": False}}
    assert main(str(PREVIEW_CONF), overrides=cold, stream=err) == 0, err.getvalue()
    assert _differences(tmp_path / "cold", tmp_path / "warm") == []


def test_a_body_read_while_reading_the_site_forbids_the_quick_rebuild(tmp_path):
    """A plugin that derives anything from article text as the site is read (here, a
    word count) makes every later edit a full build: only pages may depend on text."""
    from pelican import signals

    def count_words(generator):
        for item in generator.articles:
            item.words = len(item.content.split())

    site, overrides = _demo_copy(tmp_path)
    output = tmp_path / "output"
    signals.article_generator_finalized.connect(count_words)
    try:
        _quick_build(overrides, output)
        _append(sorted((site / "content" / "articles").glob("*.md"))[0], "\nUne phrase de plus.\n")
        assert _quick_build(overrides, output) == {}
    finally:
        signals.article_generator_finalized.disconnect(count_words)


def test_a_generator_reading_sources_itself_forbids_the_quick_rebuild(tmp_path):
    """The review report reads every source while pages are recorded (words, links): an
    edit to a text it shows is a full build, and the report counts the new words."""
    site, overrides = _demo_copy(tmp_path)
    overrides["REVIEW"] = {"report": True}
    output = tmp_path / "output"
    _quick_build(overrides, output)
    _append(sorted((site / "content" / "articles").glob("*.md"))[0], "\nUne phrase de plus.\n")
    assert _quick_build(overrides, output) == {}


def test_a_quick_rebuild_checks_the_edited_text_and_the_links_into_it(tmp_path):
    """The rules run again on the edited file and on the files whose links reach into it."""
    site, overrides = _demo_copy(tmp_path)
    output = tmp_path / "output"
    folder = site / "content" / "articles"
    (folder / "cible.md").write_text(
        article("La cible", "claire-martin", body="## Section cible\n\nDu texte."), encoding="utf-8"
    )
    (folder / "source.md").write_text(
        article("La source", "claire-martin", body="Voir [la section]({filename}cible.md#section-cible)."),
        encoding="utf-8",
    )
    _quick_build(overrides, output)
    before = {p: p.read_bytes() for p in output.rglob("*.html")}
    # The heading the other article links to is renamed: only text changed, yet that link breaks.
    target = folder / "cible.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace("## Section cible", "## Autre section"), encoding="utf-8"
    )
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides={**overrides, "OUTPUT_PATH": str(output)}, stream=err) == 1
    assert "source.md" in err.getvalue() and "link-anchor" in err.getvalue(), err.getvalue()
    assert {p: p.read_bytes() for p in output.rglob("*.html")} == before  # the output was left as it was
    # Charter terms in the edited text itself.
    target.write_text(
        target.read_text(encoding="utf-8").replace("## Autre section", "## Section cible")
        + "\nNous sommes le leader du marché.\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides={**overrides, "OUTPUT_PATH": str(output)}, stream=err) == 1
    assert "cible.md" in err.getvalue() and "charter-forbidden-term" in err.getvalue(), err.getvalue()


def test_checking_again_after_text_edits_finds_what_a_full_check_finds(tmp_path):
    from ambassade.configure import load
    from ambassade.rules.check import check_again, check_site

    site, overrides = _demo_copy(tmp_path)
    settings = load(PREVIEW_CONF, overrides)
    memo = check_site(settings).memo
    folder = site / "content" / "articles"
    edited = sorted(folder.glob("*.md"))[:3]
    for n, path in enumerate(edited):
        _append(
            path,
            ["\nLe leader du marché.\n", "\n![](https://example.org/i.png)\n", "\n[x]({filename}nul.md)\n"][
                n
            ],
        )
    again, _ = check_again(settings, memo, {p.resolve() for p in edited})
    full = check_site(settings).findings
    assert again == full
    assert {f.rule for f in full} >= {"charter-forbidden-term", "image-external", "link-missing"}


REBUILD = """
import io, json, sys
from ambassade.build import main
from plugins.speed.writer import stats
overrides = json.loads(sys.argv[1])
assert main(sys.argv[2], overrides=overrides, stream=io.StringIO()) == 0
print(json.dumps(stats()))
"""


def test_a_new_process_reuses_every_page_of_an_unchanged_site(tmp_path):
    """What decides to reuse a page holds from one process to the next: `make html` run
    twice rebuilds nothing when nothing changed, although the staging folder's name,
    string hashes and with them set orders differ between the two processes."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for n in range(6):  # articles of the same date: listed in the order they were read
        (content / "articles" / f"meme-date-{n}.md").write_text(
            article(f"Même date {n}", "claire-martin", date="2026-05-05T10:00:00+02:00"), encoding="utf-8"
        )
    overrides = json.dumps(
        {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"), "CACHE_PATH": str(tmp_path / "cache")}
    )
    runs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", REBUILD, overrides, str(PREVIEW_CONF)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}"},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first, second = runs
    assert first["rendered"] == first["pages"] > 100
    assert second == {**second, "rendered": 0, "reused": first["pages"]}
    # The checking process keeps what the rules found in each body's HTML, for the next one.
    from ambassade.rules.frontmatter import read

    renders = store.load(tmp_path / "cache" / "speed" / "renders.pickle")
    bodies = {(doc.body, doc.body_line) for doc in map(read, content.rglob("*.md"))}
    assert len(renders) == len(bodies) > 30


def test_benchmark_runs_at_tiny_size(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--size",
            "tiny",
            "--repeat",
            "1",
            "--delay",
            "0.05",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    from benchmarks.run import BUILD_KINDS, FETCH_KINDS, RATIOS

    assert set(report["rows"]) == set(BUILD_KINDS + FETCH_KINDS)
    for row in report["rows"].values():
        assert row["seconds"] > 0 and row["peak_rss_mb"] > 0
    assert set(report["ratios"]) == set(RATIOS)
    assert {
        "cold_vs_plain",
        "edit_article_vs_cold",
        "peak_memory_mb",
        "fetch_cold_seconds",
        "fetch_304_seconds",
    } <= set(report["targets"])
    assert report["rows"]["fetch_304"]["statuses"] == {"not-modified": report["size"]["feeds"]}
    assert "| ratio (wall) |" in done.stdout
    assert not (tmp_path / "work" / "tiny" / "work").exists()  # the builds' folders, removed at the end
