"""Every case of cases.py, tried as its author would: ``check``, then the build over a live site.

A refused case must be named by ``check`` and by the build at its ``path:line``
with its rule, in a few seconds, without a traceback, with the output folder
exactly as it was and nothing written anywhere else. A built case must leave
nothing active in any page: parsed, not grepped.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main as build_main
from ambassade.build import settle
from ambassade.configure import load
from ambassade.rules import check
from ambassade.settings import SettingsError
from tests.hostile.cases import BASE, CASES, Case
from tests.support import PREVIEW_CONF, site_overrides, write_site

#: Seconds a refused case may take, check and build each (the demo takes under one).
BUDGET = 5.0


def overrides_of(base: Path, case: Case) -> dict:
    out = site_overrides(base, base / "public" / "output") | {"CACHE_PATH": str(base / "cache")}
    for name, value in case.overrides.items():
        out[name] = value.replace("{base}", str(base)) if isinstance(value, str) else value
    out.setdefault("SPEED", {"enabled": case.speed})
    if isinstance(out["SPEED"], dict) and "enabled" not in out["SPEED"]:
        out["SPEED"] = {**out["SPEED"], "enabled": case.speed}
    return out


@pytest.fixture(scope="module")
def built_base(tmp_path_factory) -> Path:
    """The base site, built once: every case starts from a copy of it and its output."""
    base = write_site(tmp_path_factory.mktemp("hostile") / "site", BASE)
    err = io.StringIO()
    overrides = site_overrides(base, base / "public" / "output") | {"CACHE_PATH": str(base / "cache")}
    assert build_main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    settle()  # the spare folders are made in the background: copied whole, not half
    return base


def tree(root: Path, *, skip: Path | None = None) -> dict[str, bytes | None]:
    """Every file and folder under ``root`` with its bytes (a link: where it points)."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if skip is not None and here == skip.parent:
            dirs[:] = [d for d in dirs if not d.startswith(f".{skip.name}.") and d != skip.name]
            files = [f for f in files if not f.startswith(f".{skip.name}.")]
        dirs[:] = [d for d in dirs if not (here / d).is_symlink() and d not in ("cache", "__pycache__")]
        for name in files + dirs:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = os.readlink(path).encode()
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = None
    return found


def make(tmp_path: Path, built: Path, case: Case) -> Path:
    base = tmp_path / "site"
    shutil.copytree(built, base, symlinks=True)
    for rel in case.removed:
        (base / rel).unlink()
    for rel, content in case.files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for rel, target in case.symlinks.items():
        (base / rel).symlink_to(target.replace("{tmp}", str(tmp_path)))
    return base


def where(expected: str) -> str:
    """``path:line`` of a case; a settings case names the line of pelicanconf.py holding its text."""
    path, _, rest = expected.partition(":")
    if rest.isdigit():
        return expected
    lines = PREVIEW_CONF.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines, 1) if rest in line)
    return f"{path}:{number}"


def run_check(base: Path, case: Case) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        settings = load(PREVIEW_CONF, overrides_of(base, case))
    except SettingsError as exc:  # what `invoke check` prints and exits with (tasks.py)
        return 1, "\n".join(f.text() for f in exc.findings)
    status = check.main(settings, root=base, out=out, err=err)
    return status, out.getvalue() + err.getvalue()


def run_build(base: Path, case: Case) -> tuple[int, str]:
    err = io.StringIO()
    status = build_main(str(PREVIEW_CONF), overrides=overrides_of(base, case), stream=err)
    return status, err.getvalue()


@pytest.mark.parametrize("case", [c for c in CASES if c.refused], ids=lambda c: c.name)
def test_refused_at_its_line_and_nothing_written(case, built_base, tmp_path, capfd):
    base = make(tmp_path, built_base, case)
    output = base / "public" / "output"
    before, around = tree(output), tree(tmp_path, skip=output)
    place, rule = case.refused
    expected = f"{where(place)}:"

    started = time.monotonic()
    status, said = run_check(base, case)
    took = time.monotonic() - started
    if case.build_only:
        assert status == 0, said
    else:
        assert status == 1, said
        assert any(expected in line and f": {rule}: error:" in line for line in said.split("\n")), said
        assert took < BUDGET, f"check took {took:.1f} s"

    started = time.monotonic()
    status, said = run_build(base, case)
    took = time.monotonic() - started
    assert status == 1, said
    assert any(expected in line and f": {rule}: error:" in line for line in said.split("\n")), said
    assert took < BUDGET * (3 if case.speed else 1), f"the build took {took:.1f} s"

    printed = capfd.readouterr()
    assert "Traceback" not in said + printed.out + printed.err
    assert tree(output) == before, "the output folder changed"
    assert tree(tmp_path, skip=output) == around, "something was written outside the output folder"


@pytest.mark.parametrize("case", [c for c in CASES if not c.refused], ids=lambda c: c.name)
def test_built_and_inert(case, built_base, tmp_path, capfd):
    base = make(tmp_path, built_base, case)
    output = base / "public" / "output"
    around = tree(tmp_path, skip=output)
    status, said = run_build(base, case)
    assert status == 0, said
    assert "Traceback" not in said + capfd.readouterr().err
    assert tree(tmp_path, skip=output) == around, "something was written outside the output folder"
    pages = {p.relative_to(output).as_posix(): p for p in output.rglob("*.html")}
    assert pages
    for rel, page in pages.items():
        assert not active_content(page.read_text(encoding="utf-8")), rel
    CHECKS[case.then](base, output, said)


ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:")


def active_content(html: str) -> list[str]:
    """What in a page would run, load or redirect: any script but the theme's and JSON-LD data,
    an ``on*`` handler, an active URL, an embedding element, a meta refresh, a style."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for el in soup.find_all(True):
        if el.name == "script":
            if el.get("type") == "application/ld+json":
                if "<" in (el.string or ""):
                    found.append("a '<' inside JSON-LD")
                json.loads(el.string or "")
            elif "/theme/js/" not in str(el.get("src", "")) and "theme/js/" not in str(el.get("src", "")):
                found.append(f"script {el.get('src')!r}")
        if el.name in ("iframe", "object", "embed", "base", "style", "form") and not (
            el.name == "form" and el.get("role") == "search"
        ):
            found.append(el.name)
        if el.name == "meta" and str(el.get("http-equiv", "")).lower() == "refresh":
            found.append("meta refresh")
        for name, value in el.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or name == "style":
                found.append(f"{el.name} {name}")
            if name in ("href", "src", "action", "poster") and text.strip().lower().startswith(
                ACTIVE_SCHEMES
            ):
                found.append(f"{el.name} {name}={text[:30]}")
    return found


def _bodies_kept(base: Path, output: Path, said: str) -> None:
    """Names and titles that hold ``<!--`` and ``<script``: every page keeps its body, and its
    structured data says the name as written (the Chromium test looks at it in a browser)."""
    for rel in ("experts/alice-dupont/index.html", "articles/comment-script-t/index.html"):
        candidates = [p for p in output.rglob("index.html") if p.relative_to(output).as_posix() == rel]
        page = candidates[0] if candidates else None
        if page is None:  # the article's slug comes from its title: find it by its heading
            page = next(p for p in output.glob("articles/*/index.html") if "&lt;script&gt;T" in p.read_text())
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.find("main") is not None and soup.find("footer") is not None, rel
        data = json.loads(soup.find("script", type="application/ld+json").string)
        text = json.dumps(data, ensure_ascii=False)
        assert "A<script>B" in text or "<!--<script>T" in text


def _no_style(base: Path, output: Path, said: str) -> None:
    page = output / "articles" / "un-article" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("table") is not None and not soup.find_all(style=True)


def _withdrawn(base: Path, output: Path, said: str) -> None:
    """Deleting one's profile: the page and the name are gone, the article stays; check warns."""
    assert not (output / "experts" / "bruno-petit").exists()
    page = output / "articles" / "de-bruno" / "index.html"
    assert page.is_file()
    assert "Bruno Petit" not in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
    assert "content/articles/de-bruno.md:3:10: article-author: warning:" in said


def _no_warning(base: Path, output: Path, said: str) -> None:
    assert "profile-schema-comment" not in said


CHECKS = {
    "bodies-kept": _bodies_kept,
    "no-style": _no_style,
    "withdrawn": _withdrawn,
    "no-warning": _no_warning,
}


def test_the_table_covers_every_kind():
    """At least sixty named cases, and every kind of the issue among them."""
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    rules = {c.refused[1] for c in CASES if c.refused}
    for rule in (
        "html-policy",
        "path-outside",
        "path-save-as",
        "path-collision",
        "static-active",
        "source-yaml",
        "source-size",
        "source-encoding",
        "snapshot",
        "settings",
        "article-date",
        "build-output",
    ):
        assert rule in rules, rule
