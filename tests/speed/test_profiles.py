"""An edit to a profile renders again the pages that show what changed, and no other.

A page depends on the fields of the profiles it read while it rendered (its
key leaves profiles out: plugins/speed/reads.py). A person who changes their
role waits for the pages that show that role (their page, the directories,
their articles' author cards), in the livereload loop without reading the
site again (quick.py), and in a new process as well. What the build makes of
a field before pages render (a list sorted by name, a topic page per
expertise) turns an edit to that field into a full build; so does a copy of a
profile the context holds, which an edit in place would leave behind.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from pelican import signals

from ambassade.build import build, main
from ambassade.build import settle as settle_output
from tests.speed import site
from tests.speed.test_speed import _differences
from tests.support import PREVIEW_CONF, ROOT

REBUILD = """
import io, json, sys
from ambassade.build import main
from plugins.speed.writer import stats
err = io.StringIO()
assert main(sys.argv[2], overrides=json.loads(sys.argv[1]), stream=err) == 0, err.getvalue()
print(json.dumps(stats()))
"""


def _role(base, slug: str, role: str) -> None:
    path = base / "experts" / f"{slug}.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text(
        "\n".join(f"role: {role}" if line.startswith("role:") else line for line in lines), encoding="utf-8"
    )


def _pages(output) -> dict[str, bytes]:
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in output.rglob("*")
        if path.suffix in (".html", ".xml") and path.is_file()
    }


def _changed(before: dict[str, bytes], output) -> set[str]:
    after = _pages(output)
    return {name for name, data in after.items() if before.get(name) != data} | (before.keys() - after.keys())


def _quick(overrides) -> dict:
    from plugins.speed import quick

    site.build(overrides)
    return quick.stats()


def _rebuild_in_a_new_process(overrides) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", REBUILD, json.dumps(overrides), str(PREVIEW_CONF)],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _card_of(page) -> str:
    """The link-preview card a page names (og:image), as a path in the output."""
    from bs4 import BeautifulSoup

    meta = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("meta", property="og:image")
    return meta["content"].split("://", 1)[1].split("/", 1)[1]


def _clean(base, output, cache) -> None:
    site.build(site.overrides(base, output, cache, enabled=False))


def test_a_role_edited_renders_the_pages_that_show_it_and_no_other(tmp_path):
    from plugins.speed import writer

    base = site.make(tmp_path / "site")
    output = tmp_path / "output"
    overrides = site.overrides(base, output, tmp_path / "cache", workers=2)
    site.build(overrides)
    settle_output()
    before = _pages(output)
    card_before = _card_of(output / "experts" / "ana-roy" / "index.html")
    _role(base, "ana-roy", "Architecte cloud")
    assert _quick(overrides) == {"quick": 1, "changed": 1}
    rendered = writer.stats()["rendered"]
    shown = _changed(before, output)
    # Her link-preview card names her role: drawn again, at a new address her page links to.
    card_after = _card_of(output / "experts" / "ana-roy" / "index.html")
    assert card_after != card_before
    assert (output / card_after).is_file() and not (output / card_before).exists()
    # Her page and its translation, the directories, her articles and the topics she knows, the
    # home page that features her: each shows the new role, and nothing else was rendered.
    assert {"experts/ana-roy/index.html", "en/experts/ana-roy/index.html", "experts/index.html"} <= shown
    assert all("Architecte cloud" in (output / name).read_text(encoding="utf-8") for name in shown)
    assert rendered == len(shown) < len(before) / 2
    _clean(base, tmp_path / "clean", tmp_path / "clean-cache")
    assert _differences(tmp_path / "clean", output) == []

    # `make html` again, in a new process: the site is read again, the same pages rendered.
    settle_output()
    before = _pages(output)
    _role(base, "ana-roy", "Architecte des données")
    stats = _rebuild_in_a_new_process(overrides)
    assert stats["rendered"] == len(_changed(before, output)) == rendered
    shutil.rmtree(tmp_path / "clean")
    _clean(base, tmp_path / "clean", tmp_path / "clean-cache")
    assert _differences(tmp_path / "clean", output) == []


def test_a_profile_edited_in_the_loop_is_checked_again(tmp_path):
    """The rules see the edited profile: a placeholder left in it is reported, as `invoke check`
    reports it; a profile made invalid stops the build, which names it, and the output stays."""
    base = site.make(tmp_path / "site")
    overrides = site.overrides(base, tmp_path / "output", tmp_path / "cache", workers=2)
    site.build(overrides)
    _role(base, "bea-sol", '"TODO: votre rôle"')
    result = build(PREVIEW_CONF, overrides=overrides)
    from plugins.speed import quick

    assert quick.stats() == {"quick": 1, "changed": 1}
    assert [(f.path, f.rule) for f in result.findings] == [("experts/bea-sol.yml", "profile-placeholder")]

    kept = _pages(tmp_path / "output")
    path = base / "experts" / "bea-sol.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("published: true", "published: oui"), "utf-8")
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 1
    assert "experts/bea-sol.yml:4:12: profile-type: error" in err.getvalue()
    assert _pages(tmp_path / "output") == kept
    _role(base, "bea-sol", "Consultante data")
    path.write_text(path.read_text(encoding="utf-8").replace("published: oui", "published: true"), "utf-8")
    site.build(overrides)
    _clean(base, tmp_path / "clean", tmp_path / "clean-cache")
    assert _differences(tmp_path / "clean", tmp_path / "output") == []


def _roles_in_the_context(generator) -> None:
    """A plugin that lists every role as the site is read: the roles are then more than what pages show."""
    registry = generator.context.get("experts_registry") or {}
    generator.context["ROLES"] = sorted(expert.role for expert in registry.values())


def _copies_in_the_context(generator) -> None:
    """A plugin that keeps a copy of each profile: an edit in place would not reach the copies."""
    registry = generator.context.get("experts_registry") or {}
    generator.context["COPIES"] = [copy.copy(expert) for expert in registry.values()]


@pytest.mark.parametrize(
    "receiver, then",
    [
        # The description of a photo is still for pages only: its edit is a quick rebuild.
        (_roles_in_the_context, {"quick": 1, "changed": 1}),
        # Any edit to a person whose copy the context holds reads the site again.
        (_copies_in_the_context, {}),
    ],
    ids=["a field read as the site is read", "a copy of a profile in the context"],
)
def test_what_a_plugin_makes_of_a_profile_before_the_pages_makes_an_edit_a_full_build(
    receiver, then, tmp_path
):
    base = site.make(tmp_path / "site")
    overrides = site.overrides(base, tmp_path / "output", tmp_path / "cache", workers=2)
    signals.article_generator_finalized.connect(receiver)
    try:
        site.build(overrides)
        _role(base, "ana-roy", "Architecte cloud")
        assert _quick(overrides) == {}
        path = base / "experts" / "ana-roy.yml"
        path.write_text(
            path.read_text(encoding="utf-8") + "photo_alt: Ana devant un tableau\n", encoding="utf-8"
        )
        assert _quick(overrides) == then
    finally:
        signals.article_generator_finalized.disconnect(receiver)
