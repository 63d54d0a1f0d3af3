"""Helpers shared by the social tests: a local feed server, a throw-away project, checks.

The server is a real ThreadingHTTPServer on 127.0.0.1 (port 0) serving
whatever handler a test routes to a path, so failure modes (hanging,
dripping, huge or hostile bodies) are exercised over real sockets.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).parent / "fixtures"
LOOPBACK = "127.0.0.1"
# Short on purpose: every slow-server test waits for it.
DEADLINE = 2.0

Handler = Callable[[BaseHTTPRequestHandler], None]

# Anything that could run, load or restyle: what must never reach a page.
_ACTIVE = re.compile(
    r"<\s*(script|style|svg|math|iframe|img|object|embed|form|input|link|meta|base)\b"
    r"|\son\w+\s*="
    r"|javascript:|vbscript:|data:|style\s*=|srcdoc|xlink",
    re.IGNORECASE,
)


def assert_inert(html: str) -> None:
    assert not _ACTIVE.search(html), html
    assert "alert(" not in html, html


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__((LOOPBACK, 0), _RequestHandler)
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.active = self.peak = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up on a huge or slow body is the point of several
        # tests; tracebacks for it would only be noise.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, TimeoutError)):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        server = self.server
        with server.lock:
            server.requests.append((self.path, dict(self.headers.items())))
            server.active += 1
            server.peak = max(server.peak, server.active)
        try:
            server.routes.get(self.path, not_found)(self)
        finally:
            with server.lock:
                server.active -= 1

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class FeedServer:
    """A running local server: route paths to handlers, inspect the requests it got."""

    def __init__(self) -> None:
        self._server = _Server()
        self.url = f"http://{LOOPBACK}:{self._server.server_address[1]}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self._server.stop.set()  # releases handlers that hang on purpose
        self._server.shutdown()
        self._server.server_close()

    def route(self, path: str, handler: Handler) -> str:
        self._server.routes[path] = handler
        return self.url + path

    def serve(self, path: str, body: bytes, **options: Any) -> str:
        return self.route(path, lambda handler: respond(handler, body=body, **options))

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self._server.requests if seen == path]

    @property
    def peak_concurrency(self) -> int:
        return self._server.peak


def respond(
    handler: BaseHTTPRequestHandler,
    *,
    body: bytes = b"",
    status: int = 200,
    content_type: str = "application/rss+xml; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def not_found(handler: BaseHTTPRequestHandler) -> None:
    respond(handler, status=404, body=b"not found", content_type="text/plain")


@dataclass
class Project:
    """experts/ and a snapshot dir in tmp_path, plus Pelican-like settings."""

    root: Path
    social: dict[str, Any]

    @property
    def experts(self) -> Path:
        return self.root / "experts"

    @property
    def snapshots(self) -> Path:
        return self.root / "data" / "social"

    @property
    def health(self) -> Path:
        return self.root / "cache" / "social-feeds.json"

    @property
    def settings(self) -> dict[str, Any]:
        return {
            "SITEURL": "https://ambassade.example",
            "SOCIAL": {"health_path": str(self.health), **self.social},
            "SITE": {"experts_path": str(self.experts), "social_path": str(self.snapshots)},
        }

    def expert(self, slug: str, **profile: Any) -> None:
        data = {"name": "Claire Martin", "role": "Architecte cloud", "published": True, "social_feed": True}
        data.update(profile)
        (self.experts / f"{slug}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def snapshot_file(self, slug: str) -> Path:
        return self.snapshots / f"{slug}.json"
