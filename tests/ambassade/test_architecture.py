"""Who may import whom (ARCHITECTURE.md): the import contracts hold, and fail when broken."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the packages of ``project``, found before the installed ones."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    for package in ("ambassade", "plugins"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold():
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("file", "line", "broken"),
    [
        (
            "plugins/advocacy/sources.py",
            "from plugins.social import render",
            "Plugins never import each other",
        ),
        (
            "plugins/speed/partials.py",
            "from plugins.theme_i18n import pages",
            "Plugins never import each other",
        ),
        ("ambassade/build.py", "from plugins.speed import quick", "The application imports no plugin"),
        ("ambassade/diagnostics.py", "from ambassade import build", "No import cycles"),
    ],
    ids=[
        "plugin-imports-another-plugin",
        "speed-imports-a-theme-module",
        "application-imports-a-plugin",
        "cycle",
    ],
)
def test_a_forbidden_import_breaks_a_contract(copy_of_the_code, file, line, broken):
    path = copy_of_the_code / file
    text = path.read_text(encoding="utf-8")
    # After the module's docstring and future import: an import at the top, as a contributor would add it.
    path.write_text(
        text.replace(
            "from __future__ import annotations\n", f"from __future__ import annotations\n\n{line}\n", 1
        ),
        encoding="utf-8",
    )
    run = _lint_imports(copy_of_the_code)
    assert run.returncode != 0, run.stdout
    broken_section = run.stdout.split("Broken contracts", 1)[-1]
    assert broken in broken_section, run.stdout


def test_no_file_edits_the_import_path():
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    edits = [
        f"{name}:{number}"
        for name in tracked.stdout.split()
        for number, text in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bsys\.path\s*(\.(insert|append|extend)|\[|\+?=)", text) and "re.search" not in text
    ]
    assert edits == []
