"""The local server of ``invoke serve`` and ``invoke livereload``: the built site, with its host's headers.

For livereload (``live=True``) it adds one line to each HTML page it sends,
``<script src="/__ambassade/live.js" data-build="N" defer>``, and serves that
script, its stylesheet and an event stream (``/__ambassade/events``) that says
when a build ended and what it found. Nothing of it is written into the output:
a page is changed as it is sent, so that no build can carry it.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ambassade import hostfiles
from ambassade.diagnostics import Finding
from ambassade.i18n import _, language
from ambassade.serve import NotFoundPages

#: Where the live server answers; no page of a site lives there.
PREFIX = "/__ambassade/"
ASSETS = Path(__file__).resolve().parent
KEEPALIVE_SECONDS = 15


@dataclass
class LiveState:
    """What the open pages are told: the last build that succeeded, and what stops the current one."""

    generation: int = 0
    """Counts the builds that succeeded: a page served from an older one reloads."""
    findings: list[Finding] = field(default_factory=list)
    failure: str = ""
    failed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def succeeded(self, findings: list[Finding]) -> None:
        with self.changed:
            self.generation += 1
            self.findings, self.failure, self.failed = list(findings), "", False
            self.changed.notify_all()

    def stopped(self, findings: list[Finding], failure: str = "") -> None:
        with self.changed:
            self.findings, self.failure, self.failed = list(findings), failure, True
            self.changed.notify_all()

    def as_event(self) -> dict[str, Any]:
        """The state as the page's script reads it, every word in the tools' language."""
        from ambassade.diagnostics import summary

        shown = [f for f in self.findings if f.is_error] if self.failed else []
        rows = [
            {
                "where": f"{f.path}:{f.line}:{f.col}",
                "label": f"{f.rule} ({_('error') if f.is_error else _('warning')})",
                "severity": f.severity.value,
                "message": f.message,
                "expected": f.expected,
            }
            for f in sorted(shown)
        ]
        if self.failure:
            rows.append({"where": "", "label": "build", "severity": "error", "message": self.failure})
        return {
            "generation": self.generation,
            "failed": self.failed,
            "title": _("The build stopped: %(summary)s", summary=summary(self.findings))
            if self.findings
            else _("The build stopped"),
            "hint": _("Fix what is listed and save: this page refreshes by itself once the site builds."),
            "close": _("Hide"),
            "findings": rows,
        }


class Handler(NotFoundPages, SimpleHTTPRequestHandler):
    """Files of the output folder, with the host's headers; HTML never cached."""

    headers_to_send: dict[str, str] = {}
    folder_headers: dict[str, dict[str, str]] = {}
    """Headers that replace ``headers_to_send`` under a folder (``/admin/``: the editor's policy)."""
    state: LiveState | None = None
    """Set for livereload: pages get the live script, and the live routes answer."""
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
        ".json": "application/json",
        ".yml": "text/yaml",
        ".wasm": "application/wasm",
        ".webmanifest": "application/manifest+json",
    }

    host: Path | None = None
    """The host files' folder, read on each request; None: send ``headers_to_send`` as they are."""

    def end_headers(self) -> None:
        route = self.path.split("?", 1)[0]
        rules = hostfiles.read_headers_file(hostfiles.read(self.host, "_headers")) if self.host else []
        chosen = next((h for prefix, h in self.folder_headers.items() if route.startswith(prefix)), None)
        for name, value in hostfiles.headers_for(route, rules, chosen or self.headers_to_send).items():
            self.send_header(name, value)
        super().end_headers()

    def _moved(self, route: str) -> bool:
        """The host answers a moved page with its 301 before looking for a file."""
        moved = hostfiles.read_redirects_file(hostfiles.read(self.host, "_redirects")).get(route)
        if not moved:
            return False
        self.send_response(301)
        self.send_header("Location", moved)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # a request is not news; and a log record during a build would be taken for a finding

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        if self.state is not None and route.startswith(PREFIX):
            self._live(route[len(PREFIX) :])
            return
        if self._moved(route):
            return
        # The editor keeps what is being written: a build must not reload it.
        if self.state is not None and not any(route.startswith(p) for p in self.folder_headers):
            html = self._html_file(route)
            if html is not None:
                self._send_page(html)
                return
        super().do_GET()

    def _html_file(self, route: str) -> Path | None:
        """The HTML file this request gets, when it gets one (a folder's index.html included)."""
        path = Path(self.translate_path(route))
        if path.is_dir():
            if not route.endswith("/"):
                return None  # the base class redirects to the folder's URL
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return path
        if not Path(self.directory).is_dir() and route.endswith(("/", ".html")):
            return Path(self.directory)  # not built yet: a page that waits for the first build
        return None

    def _send_page(self, path: Path) -> None:
        state = self.state
        assert state is not None
        try:
            page = path.read_bytes() if path.is_file() else _waiting_page()
        except OSError:  # swapped away while read: the next build's page is coming
            page = _waiting_page()
        tag = f'<script src="{PREFIX}live.js" data-build="{state.generation}" defer></script>'.encode()
        at = page.find(b"</head>")
        page = page[:at] + tag + page[at:] if at >= 0 else page + tag
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(page)

    def _live(self, name: str) -> None:
        if name == "events":
            self._events()
            return
        asset = {"live.js": "text/javascript", "live.css": "text/css"}.get(name)
        if asset is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = (ASSETS / name).read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", f"{asset}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state now, then again each time a build ends."""
        state = self.state
        assert state is not None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            while True:
                with state.changed:
                    event = json.dumps(state.as_event(), ensure_ascii=False)
                    if event == seen:
                        state.changed.wait(KEEPALIVE_SECONDS)
                        event = json.dumps(state.as_event(), ensure_ascii=False)
                if event != seen:
                    self.wfile.write(f"event: state\ndata: {event}\n\n".encode())
                    seen = event
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (ConnectionError, OSError):
            return  # the page went away


def _waiting_page() -> bytes:
    """What the live server shows before the first build succeeded: the overlay says why."""
    title = _("The site is not built yet")
    return (
        f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1></main></body></html>"
    ).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The browser may drop a request it no longer needs (a reloaded page, a closed tab).
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(
    directory: Path,
    host: str,
    port: int,
    headers: dict[str, str],
    folder_headers: dict[str, dict[str, str]] | None = None,
    *,
    state: LiveState | None = None,
    host_files: Path | None = None,
) -> Server:
    """A server of ``directory`` (not started); with ``state``, a live one. ``folder_headers``: the
    headers of the addresses under a folder (the editor's). With ``host_files`` (the folder the
    build writes them into), the headers and redirects they say, read on each request; the others
    until they are written."""
    attributes = {
        "headers_to_send": dict(headers),
        "folder_headers": dict(folder_headers or {}),
        "state": state,
        "host": host_files,
    }
    handler = type("OutputHandler", (Handler,), attributes)
    return Server((host, port), partial(handler, directory=str(directory)))
