"""A built site served on 127.0.0.1 with the headers the host will send.

The headers come from the hosting plugin (``hosting.security_headers`` with
the production settings), the same values it writes into ``_headers`` and
``nginx-headers.conf``: the browser sees what visitors will get.
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
from ambassade.serve import NotFoundPages
from tests.support import PUBLISH_CONF


def host_headers() -> dict[str, str]:
    """The headers of every response, as production's settings make them."""
    return security_headers(settings_of(load_settings(PUBLISH_CONF)))


class Handler(NotFoundPages, SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
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
def serve(directory: Path, headers: dict[str, str]) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) sending ``headers``; yields the base URL (no slash)."""
    handler = type("SiteHandler", (Handler,), {"headers_to_send": dict(headers)})
    server = Server(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
