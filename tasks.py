"""ambassade's command line: `invoke --list` shows every task.

`make <task>` runs the same task inside the project's virtual environment.
"""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

PREVIEW_CONF = ROOT / "pelicanconf.py"
PUBLISH_CONF = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
WATCHED = ["content", "experts", "theme", "data", "plugins", "pelicanconf.py"]


def _build(conf: Path, output: Path = OUTPUT) -> None:
    from ambassade.build import main

    status = main(str(conf), overrides={"OUTPUT_PATH": str(output)})
    if status:
        sys.exit(status)


def _serve(host: str, port: int, output: Path = OUTPUT) -> None:
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(str(output), (host, port), ComplexHTTPRequestHandler)
    print(f"Serving {output.relative_to(ROOT)}/ on http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def clean(c):
    """Remove the generated site (output/)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task
def build(c):
    """Build the preview site (drafts and scheduled articles marked) into output/."""
    _build(PREVIEW_CONF)


@task
def html(c):
    """Build the site into output/ and say how to look at it."""
    _build(PREVIEW_CONF)
    print(f"Site built in {OUTPUT.relative_to(ROOT)}/ ({OUTPUT / 'index.html'}).")
    print("Run `make serve` and open http://127.0.0.1:8000/ to browse it.")


@task
def rebuild(c):
    """Remove output/ and build the site again from scratch."""
    clean(c)
    build(c)


@task
def preview(c):
    """Build the review copy for comms: drafts and scheduled articles shown, noindex everywhere."""
    _build(PREVIEW_CONF)


@task
def publish(c):
    """Build the production site with publishconf.py: no draft, no scheduled article."""
    _build(PUBLISH_CONF)


@task(help={"port": "port to listen on (default 8000)", "host": "address to bind (default 127.0.0.1)"})
def serve(c, port=8000, host="127.0.0.1"):
    """Serve output/ on http://127.0.0.1:8000/."""
    if not OUTPUT.is_dir():
        print("output/ does not exist yet: run `make html` first.")
        sys.exit(1)
    _serve(host, int(port))


@task(help={"port": "port to listen on (default 8000)", "host": "address to bind (default 127.0.0.1)"})
def livereload(c, port=8000, host="127.0.0.1"):
    """Build, serve, and rebuild whenever content, profiles or the theme change."""
    from watchfiles import watch

    from ambassade.build import main

    main(str(PREVIEW_CONF))
    threading.Thread(target=_serve, args=(host, int(port)), daemon=True).start()
    for changes in watch(*(ROOT / p for p in WATCHED)):
        names = sorted({Path(p).relative_to(ROOT).as_posix() for _, p in changes})
        print(f"changed: {', '.join(names)} — rebuilding")
        if main(str(PREVIEW_CONF)) == 0:
            print("rebuilt; reload the page in your browser")


@task(help={"format": "text (default), github or json"})
def check(c, format="text"):
    """Check every profile and article against the content rules, without building."""
    from pelican.settings import read_settings

    from ambassade import diagnostics
    from review import check as checker

    findings = checker.run(read_settings(str(PREVIEW_CONF)), root=ROOT)
    formatter = {"text": diagnostics.format_text, "github": diagnostics.format_github,
                 "json": diagnostics.format_json}.get(format)
    if formatter is None:
        print(f"unknown format '{format}': expected text, github or json", file=sys.stderr)
        sys.exit(2)
    if findings or format == "json":
        print(formatter(findings))
    if format == "text":
        print(f"{diagnostics.summary(findings)}", file=sys.stderr)
    sys.exit(1 if diagnostics.errors(findings) else 0)


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure"})
def test(c, k="", x=False):
    """Run the whole test suite."""
    import pytest

    args = ["-q"] + (["-k", k] if k else []) + (["-x"] if x else [])
    sys.exit(pytest.main(args))


@task
def translations(c):
    """Merge the theme's strings into each language's catalog and say how many need translating."""
    from pelican.settings import read_settings

    from theme_i18n import catalogs

    settings = read_settings(str(PREVIEW_CONF))
    # English is the language of the msgids: it needs no catalog of its own.
    languages = [lang for lang in settings["LANGUAGES"] if lang != "en"]
    for lang, missing in catalogs.update(Path(settings["THEME"]), languages).items():
        print(f"{lang}: {missing} string(s) to translate in theme/translations/{lang}/LC_MESSAGES/messages.po")


@task
def fetch(c):
    """Fetch experts' public posts into data/social/ (the only step that uses the network)."""
    from pelican.settings import read_settings

    from social.command import run_fetch

    settings = read_settings(str(PREVIEW_CONF))
    sys.exit(run_fetch(settings["EXPERTS"]["path"], settings).exit_code)
