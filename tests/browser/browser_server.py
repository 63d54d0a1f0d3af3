"""A built site served on 127.0.0.1 with the headers the host will send, and its redirects.

By default the headers are read from the ``_headers`` file the build wrote
beside the site (``output-host/``), as Netlify and Cloudflare Pages read it:
the browser sees what visitors will get, and a wrong file fails the browser
tests; the moved pages' ``_redirects`` are answered with their 301s, as those
hosts do. Before a build has written one, the production settings' values are
used (``hosting.security_headers``), the same the file is made of. A test may
give its own headers instead (none at all, to load pages in frames).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ambassade.build import load_settings
from ambassade.headers import security_headers, settings_of
from ambassade.output import host_folder
from tests.support import PUBLISH_CONF


def host_headers() -> dict[str, str]:
    """The headers of every response, as production's settings make them."""
    return security_headers(settings_of(load_settings(PUBLISH_CONF)))


def read_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """``_headers`` read as Netlify reads it: (path pattern, headers), in order."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def read_redirects_file(text: str) -> dict[str, str]:
    """``_redirects``: old path → new path."""
    moves = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#"):
            moves[parts[0]] = parts[1]
    return moves


def headers_for(
    path: str, rules: list[tuple[str, dict[str, str]]], fallback: dict[str, str]
) -> dict[str, str]:
    """The headers of a response to ``path``: every matching rule's, in order."""
    if not rules:
        return dict(fallback)
    out: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern == "/*" or (pattern.endswith("/*") and path.startswith(pattern[:-1])) or pattern == path:
            out.update(headers)
    return out


class Handler(SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}
    host: Path | None = None
    """The host files' folder, read on each request; None: send ``headers_to_send`` as they are."""
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def _host_file(self, name: str) -> str:
        try:
            return (self.host / name).read_text(encoding="utf-8") if self.host else ""
        except OSError:
            return ""

    def send_head(self):  # noqa: ANN201 - the base class's
        # The host answers a moved page with its 301 before looking for a file.
        moved = read_redirects_file(self._host_file("_redirects")).get(self.path.split("?")[0])
        if moved:
            self.send_response(301)
            self.send_header("Location", moved)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        rules = read_headers_file(self._host_file("_headers")) if self.host else []
        for name, value in headers_for(self.path.split("?")[0], rules, self.headers_to_send).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The browser may drop a request it no longer needs (a closed tab, a removed frame).
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yields the base URL (no slash).

    Without ``headers``, with what its host files say (``_headers``, ``_redirects``); with them, those.
    """
    host = host_folder(Path(directory)) if headers is None else None
    attributes = {"headers_to_send": host_headers() if headers is None else dict(headers), "host": host}
    handler = type("SiteHandler", (Handler,), attributes)
    server = Server(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
