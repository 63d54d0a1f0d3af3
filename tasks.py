"""ambassade's command line: `invoke --list` shows every task.

`make <task>` runs the same task inside the project's virtual environment.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent

PREVIEW_CONF = ROOT / "pelicanconf.py"
PUBLISH_CONF = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
WATCHED = ["content", "experts", "theme", "data", "plugins", "pelicanconf.py"]


# Every task that speaks takes --lang: the language of its messages (else AMBASSADE_LANG or LANG,
# when one of the site's; else the site's own, French for the demo).
LANG_HELP = "language of the messages: fr or en (default: AMBASSADE_LANG, LANG, else the site's)"
VERBOSE_HELP = "also show Pelican's own log"


def _build(
    conf: Path, output: Path = OUTPUT, overrides: dict | None = None, lang: str = "", verbose: bool = False
) -> None:
    from ambassade.build import main

    overrides = {"OUTPUT_PATH": str(output), **(overrides or {})}
    status = main(str(conf), overrides=overrides, lang=lang or None, verbose=verbose)
    if status:
        sys.exit(status)


def _settings(conf: Path, lang: str = "") -> dict:
    """The settings of ``conf``, checked; every mistake shown, then exit 1."""
    from ambassade.configure import load
    from ambassade.diagnostics import format_text
    from ambassade.settings import SettingsError

    try:
        return load(conf, lang=lang or None)
    except SettingsError as error:
        print(format_text(error.findings), file=sys.stderr)
        sys.exit(1)


def _say(message: str, *, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout)


@task
def clean(c):
    """Remove the generated site (output/)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


def _install_editor() -> None:
    """The editor's programs fetched once into .cache/editor/ (npm), before a build that has /admin/."""
    from ambassade.editor.install import NotInstalled, install

    try:
        install()
    except NotInstalled as exc:
        sys.exit(str(exc))


@task(
    help={
        "internal": "the production site plus the programme's pages (share kit, leaderboard, dashboard)",
        "lang": LANG_HELP,
        "verbose": VERBOSE_HELP,
    }
)
def build(c, internal=False, lang="", verbose=False):
    """Build the preview site (drafts and scheduled marked) into output/; --internal: the intranet copy."""
    if internal:
        # The intranet copy: what `publish` builds, with the pages the programme keeps internal,
        # and relative links so that it works wherever the intranet serves it.
        overrides = {"ADVOCACY": {"internal": True}, "RELATIVE_URLS": True, "EDITOR": {"enabled": True}}
        _install_editor()
        _build(PUBLISH_CONF, overrides=overrides, lang=lang, verbose=verbose)
    else:
        _build(PREVIEW_CONF, lang=lang, verbose=verbose)


@task(help={"lang": LANG_HELP, "verbose": VERBOSE_HELP})
def html(c, lang="", verbose=False):
    """Build the site into output/ and say how to look at it."""
    from ambassade.i18n import _

    _build(PREVIEW_CONF, lang=lang, verbose=verbose)
    _say(_("Run `make serve` and open http://127.0.0.1:8000/, or `make livereload` to see each change."))


@task(help={"lang": LANG_HELP, "verbose": VERBOSE_HELP})
def rebuild(c, lang="", verbose=False):
    """Remove output/ and build the site again from scratch."""
    clean(c)
    build(c, lang=lang, verbose=verbose)


@task(help={"base": "git branch the review report compares with (default main)", "lang": LANG_HELP})
def preview(c, base="main", lang="", verbose=False):
    """Build the review copy for comms, with the review report at /review/; errors listed on top, exit 1."""
    import time

    from ambassade.build import main
    from ambassade.i18n import _

    started = time.time()
    # Even with errors: the report lists them on top and links every page that could be built.
    overrides = {"OUTPUT_PATH": str(OUTPUT), "REVIEW": {"report": True, "base": base}}
    status = main(
        str(PREVIEW_CONF), overrides=overrides, keep_going=True, base=base, lang=lang or None, verbose=verbose
    )
    report = OUTPUT / "review" / "index.html"
    if report.is_file() and report.stat().st_mtime >= started:
        _say(
            _(
                "The review report is %(report)s; its summary, %(summary)s.",
                report=report.relative_to(ROOT),
                summary=(report.parent / "summary.md").relative_to(ROOT),
            )
        )
    sys.exit(status)


@task(
    help={
        "dry_run": "say which pages would be added, changed and removed; deploy nothing",
        "force": "publish even from another branch, uncommitted or unpushed (the release records it)",
    }
)
def publish(c, dry_run=False, force=False):
    """Build the production site, verify it, deploy it all-or-nothing (PUBLISH in publishconf.py)."""
    from ambassade.publish import main

    sys.exit(main(str(PUBLISH_CONF), dry_run=dry_run, force=force))


@task
def releases(c):
    """List the releases the destination keeps: name, date, commit, who published, which is live."""
    from ambassade.publish import releases_main

    sys.exit(releases_main(str(PUBLISH_CONF)))


@task(
    help={"to": "the release to make live (see `invoke releases`), older or newer; default: the one before"}
)
def rollback(c, to=""):
    """Make an earlier release live again in one step (folder, rsync, gh-pages); --to also rolls forward."""
    from ambassade.publish import rollback_main

    sys.exit(rollback_main(str(PUBLISH_CONF), to=to or None))


SERVE_HELP = {"port": "port to listen on (default 8000)", "host": "address to bind (default 127.0.0.1)"}


@task(help={**SERVE_HELP, "lang": LANG_HELP})
def serve(c, port=8000, host="127.0.0.1", lang=""):
    """Serve output/ on http://127.0.0.1:8000/."""
    from ambassade import live

    _settings(PREVIEW_CONF, lang)  # the site's language, and its settings checked
    sys.exit(live.serve_main(OUTPUT, host, int(port), settings_file=PREVIEW_CONF))


@task(help={**SERVE_HELP, "lang": LANG_HELP, "verbose": VERBOSE_HELP})
def livereload(c, port=8000, host="127.0.0.1", lang="", verbose=False):
    """Build, serve, rebuild on every change; the open page refreshes itself and shows errors."""
    from ambassade import live

    sys.exit(
        live.main(
            PREVIEW_CONF,
            OUTPUT,
            [ROOT / p for p in WATCHED],
            host=host,
            port=int(port),
            lang=lang or None,
            verbose=verbose,
        )
    )


@task(
    help={
        "port": "port of the preview (default 8000)",
        "backend_port": "port of the editor's local backend (default 8081)",
        "lang": LANG_HELP,
    }
)
def edit(c, port=8000, backend_port=8081, lang=""):
    """Write profiles and articles in the browser (/admin/): saved into this folder, previewed live."""
    from ambassade.live import edit as local

    sys.exit(
        local.main(
            PREVIEW_CONF,
            OUTPUT,
            [ROOT / p for p in WATCHED],
            root=ROOT,
            host="127.0.0.1",
            port=int(port),
            backend_port=int(backend_port),
            lang=lang or None,
        )
    )


@task(
    help={
        "format": "text (default), github or json",
        "base": "the branch to compare with: published addresses removed without a redirect (default main)",
        "lang": LANG_HELP,
    }
)
def check(c, format="text", base="main", lang=""):
    """Check every profile and article against the content rules, without building."""
    from ambassade.rules import check as checker

    sys.exit(checker.main(_settings(PREVIEW_CONF, lang), root=ROOT, format=format, base=base or None))


@task(
    help={
        "lang": "language of the article, of its guide and of this task's messages: fr (default) or en",
        "author": "your expert slug (the name of your file in experts/)",
    }
)
def new_article(c, title, lang="", author=""):
    """Start an article: content/articles/<slug>.md from the template, every field explained."""
    from ambassade.i18n import _
    from ambassade.scaffold import ScaffoldError
    from ambassade.scaffold import new_article as scaffold

    # The article's language is the language of its guide, and of what this task says.
    settings = _settings(PREVIEW_CONF, lang)
    try:
        path = scaffold(settings, title, lang=lang or None, author=author or None, root=ROOT)
    except ScaffoldError as exc:
        _say(f"new-article: {exc}", err=True)
        sys.exit(1)
    _say(
        _(
            "Created %(path)s: write it, see it with `make livereload`, then run `make check`.",
            path=path.relative_to(ROOT),
        )
    )


@task(help={"lang": LANG_HELP})
def new_expert(c, name, lang=""):
    """Start an expert profile: experts/<slug>.yml, unpublished until its owner says so."""
    from ambassade.i18n import _
    from ambassade.scaffold import ScaffoldError
    from ambassade.scaffold import new_expert as scaffold

    try:
        path = scaffold(_settings(PREVIEW_CONF, lang), name, root=ROOT)
    except ScaffoldError as exc:
        _say(f"new-expert: {exc}", err=True)
        sys.exit(1)
    _say(
        _(
            "Created %(path)s: fill it in, set published: true to appear, then run `make check`.",
            path=path.relative_to(ROOT),
        )
    )


LINTERS = [
    ["ruff", "format", "--check", "--quiet", "."],
    ["ruff", "check", "--quiet", "."],
    ["djhtml", "--check", "theme/templates"],
    ["lint-imports", "--no-cache"],
]


@task
def lint(c):
    """Check the code's format and lint, the templates' indentation, and who imports whom."""
    import subprocess

    failed = []
    for cmd in LINTERS:
        run = subprocess.run(
            [str(Path(sys.executable).parent / cmd[0]), *cmd[1:]], cwd=ROOT, capture_output=True, text=True
        )
        if run.returncode:
            print(run.stdout + run.stderr, file=sys.stderr)
            failed.append(" ".join(cmd))
    if failed:
        from ambassade.i18n import _

        _say(_("lint failed: %(commands)s", commands="; ".join(failed)), err=True)
        _say(_("`ruff format .` and `djhtml theme/templates` fix the format and the indentation."), err=True)
        sys.exit(1)


# Each lock from its .in file, the development one constrained by the runtime one (-c requirements.txt);
# --universal: one lock for every platform and every Python 3.11 (Debian 12's is 3.11.2).
LOCKS = [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]
LOCK_COMMAND = ["pip", "compile", "--quiet", "--universal", "--generate-hashes", "--python-version", "3.11"]


@task(help={"upgrade": "move every pin to the newest release the .in files allow (default: keep them)"})
def lock(c, upgrade=False):
    """Pin and hash requirements.txt and requirements-dev.txt from their .in files (uv)."""
    import subprocess

    uv = str(Path(sys.executable).parent / "uv")
    for source, target in LOCKS:
        options = ["--custom-compile-command", "invoke lock", *(["--upgrade"] if upgrade else [])]
        subprocess.run([uv, *LOCK_COMMAND, *options, source, "-o", target], cwd=ROOT, check=True)


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure"})
def test(c, k="", x=False):
    """Lint, then run the whole test suite."""
    import pytest

    lint(c)
    # On every core, a file per worker: a file's module fixtures (a built site) are built once.
    args = ["-q", "-n", "auto", "--dist", "loadfile"] + (["-k", k] if k else []) + (["-x"] if x else [])
    sys.exit(pytest.main(args))


@task(help={"update": "rewrite tests/golden/output/ from tests/golden/site/ (review the diff)"})
def golden(c, update=False):
    """Build the small site of tests/golden/ and compare it with its golden output (--update: rewrite it)."""
    from tests.golden.golden import main

    sys.exit(main(update=update))


@task
def translations(c):
    """Merge the theme's strings into each language's catalog and say how many need translating."""
    from ambassade import catalogs
    from ambassade.i18n import _
    from ambassade.scaffold import PULL_REQUEST_TEMPLATE, pull_request_template

    settings = _settings(PREVIEW_CONF)
    # English is the language of the msgids: it needs no catalog of its own.
    languages = [lang for lang in settings["LANGUAGES"] if lang != "en"]
    for lang, missing in catalogs.update(Path(settings["THEME"]), languages).items():
        _say(
            _(
                "%(lang)s: %(count)s string(s) to translate in %(path)s",
                lang=lang,
                count=missing,
                path=f"theme/translations/{lang}/LC_MESSAGES/messages.po",
            )
        )
    # GitHub reads a file: the template in the site's language, made from scaffold/ and the catalog.
    (ROOT / PULL_REQUEST_TEMPLATE).write_text(pull_request_template(settings), encoding="utf-8")


@task(help={"lang": LANG_HELP})
def fetch(c, lang=""):
    """Fetch experts' public posts into data/social/ (the only step that uses the network)."""
    from plugins.social.command import run_fetch

    sys.exit(run_fetch(_settings(PREVIEW_CONF, lang)).exit_code)


@task(help={"logs": 'the access logs, in quotes: "/var/log/nginx/access.log*" (gzip accepted)'})
def stats(c, logs):
    """Count the clicks on the kit's short links from access logs into data/stats.json (counts only)."""
    from plugins.advocacy.stats import expand, main

    sys.exit(main(_settings(PREVIEW_CONF), expand(logs)))


@task(
    help={
        "since": "what is new since: 7d (default), 2w, or a day such as 2026-11-27",
        "send": "send it (SMTP and webhooks from the environment: see plugins/advocacy/mail.py)",
        "out": "where to write the messages (default digest/)",
    }
)
def digest(c, since="7d", send=False, out="digest"):
    """Write what is new in the share kit as an e-mail and chat messages per language; --send sends them."""
    from plugins.advocacy.digest_command import main

    sys.exit(main(_settings(PREVIEW_CONF), since=since, send=send, out_dir=ROOT / out))


@task(
    help={
        "size": "tiny, small, default (1,000 experts, 5,000 articles, 20,000 posts) or double",
        "repeat": "rounds, median reported (default 3)",
        "experts": "number of experts (overrides the size)",
        "articles": "number of articles",
        "posts": "number of posts",
        "out": "where to write the JSON figures (default benchmarks/results.json)",
        "scaling": "also build twice the content, to check that time grows linearly",
        "only": "comma-separated measurements to run (default: all)",
    }
)
def bench(c, size="default", repeat=3, experts=0, articles=0, posts=-1, out="", scaling=False, only=""):
    """Benchmark the build against plain Pelican on a synthetic company (benchmarks/run.py)."""
    from benchmarks.run import main as run

    args = ["--size", size, "--repeat", str(repeat)]
    args += ["--experts", str(experts)] if experts else []
    args += ["--articles", str(articles)] if articles else []
    args += ["--posts", str(posts)] if posts >= 0 else []
    args += ["--out", out] if out else []
    args += ["--scaling"] if scaling else []
    args += ["--only", only] if only else []
    sys.exit(run(args))
