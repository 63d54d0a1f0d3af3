"""``invoke livereload`` and ``invoke serve``: the site as it is built, on http://127.0.0.1:8000/.

livereload builds, serves, and builds again whenever a source changes. The
page open in the browser follows: after a build that succeeded it reloads by
itself; while a build is stopped by errors it shows them over the page, each
at its file:line, and the overlay goes when a build succeeds. The script that
does it is served by the live server only (server.py), never written into a
build. ``serve`` serves the output as it is, with the same headers.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ambassade import build
from ambassade.diagnostics import display_path
from ambassade.i18n import _
from ambassade.output import host_folder

from .server import LiveState, Server, make_server

__all__ = ["LiveSite", "LiveState", "main", "serve_main"]


def _headers(
    settings_file: Path | str | None, lang: str | None = None, overrides: dict | None = None
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The headers the host sends (HOSTING), so that the page behaves here as it will there;
    and those of the folders that differ (the editor's policy under /admin/)."""
    from ambassade.editor.policy import site_path_headers
    from ambassade.headers import security_headers, settings_of
    from ambassade.settings import SettingsError

    if settings_file is None:
        return security_headers(), {}
    try:
        settings = build.load_settings(settings_file, overrides, lang=lang)
    except SettingsError:
        return security_headers(), {}  # the build says what is wrong with them
    return security_headers(settings_of(settings)), site_path_headers(settings)


class LiveSite:
    """One livereload session: a server of ``output``, and a build after each change of ``watched``."""

    def __init__(
        self,
        settings_file: Path | str,
        output: Path,
        watched: Iterable[Path],
        *,
        overrides: dict | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        lang: str | None = None,
        verbose: bool = False,
        stream: TextIO = sys.stderr,
    ) -> None:
        self.settings_file = str(settings_file)
        self.output = Path(output)
        self.watched = [Path(p) for p in watched]
        self.overrides = {**(overrides or {}), "OUTPUT_PATH": str(self.output)}
        self.lang, self.verbose, self.stream = lang, verbose, stream
        self.state = LiveState()
        self.server: Server = make_server(
            self.output,
            host,
            port,
            *_headers(settings_file, lang, overrides),
            state=self.state,
            host_files=host_folder(self.output),
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def build(self) -> build.Outcome:
        """Build once, and tell the open pages how it went."""
        outcome = build.run(
            self.settings_file,
            overrides=self.overrides,
            stream=self.stream,
            verbose=self.verbose,
            lang=self.lang,
        )
        if outcome.status == 0:
            self.state.succeeded(outcome.findings)
        else:
            self.state.stopped(outcome.findings, outcome.failure)
        return outcome

    def start(self) -> str:
        """Serve in the background; return the address."""
        threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True).start()
        return self.url

    def watch(self, stop: threading.Event | None = None) -> None:
        """Build after each change until ``stop`` is set (or Ctrl-C)."""
        from watchfiles import watch

        for changes in watch(*self.watched, stop_event=stop, debounce=200):
            names = sorted({display_path(path) for _change, path in changes})
            self.say(_("changed: %(files)s — building again", files=", ".join(names)))
            self.build()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(
    settings_file: Path | str,
    output: Path,
    watched: Iterable[Path],
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    lang: str | None = None,
    verbose: bool = False,
    overrides: dict | None = None,
    opened: str = "",
) -> int:
    """``invoke livereload``: build, serve, build again on each change, until Ctrl-C.

    ``opened``: the path to tell the person to open (``admin/`` for ``invoke edit``).
    """
    site = LiveSite(
        settings_file, output, watched, overrides=overrides, host=host, port=port, lang=lang, verbose=verbose
    )
    site.build()
    url = site.start()
    site.say(
        _(
            "Open %(url)s: the page refreshes by itself after each change, and shows what stops "
            "the build (Ctrl-C to stop).",
            url=url + opened,
        )
    )
    try:
        site.watch()
    except KeyboardInterrupt:
        pass
    finally:
        site.close()
    return 0


def serve_main(output: Path, host: str, port: int, *, settings_file: Path | str | None = None) -> int:
    """``invoke serve``: the output as built, with the host's headers, until Ctrl-C."""
    if not output.is_dir():
        print(
            _("%(output)s does not exist yet: run `make html` first.", output=display_path(output)),
            file=sys.stderr,
        )
        return 1
    server = make_server(output, host, port, *_headers(settings_file), host_files=host_folder(output))
    host, port = server.server_address[:2]
    print(
        _(
            "Serving %(output)s on http://%(host)s:%(port)s/ (Ctrl-C to stop).",
            output=display_path(output),
            host=host,
            port=port,
        ),
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
