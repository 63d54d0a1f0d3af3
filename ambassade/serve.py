"""Serving a built site on this machine as a host would: ``invoke serve``, and the tests' server.

A host answers an address without a page with the site's not-found page, in
the language of the part of the site asked for (``/en/…`` → ``en/404.html``),
and with the status 404: :class:`NotFoundPages` does the same for Python's
HTTP servers.
"""

from __future__ import annotations

from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .languages import NOT_FOUND


class NotFoundPages:
    """A mixin for ``http.server`` handlers: a 404 answers with the site's not-found page.

    ``self.directory`` is the site's folder; the page of the deepest folder that
    has one (``en/404.html`` for ``/en/…``, else ``404.html``) is sent.
    """

    directory: str

    def send_error(self, code, message=None, explain=None) -> None:
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)  # type: ignore[misc]
            return
        body = page.read_bytes()
        self.send_response(code, message)  # type: ignore[attr-defined]
        self.send_header("Content-Type", "text/html; charset=utf-8")  # type: ignore[attr-defined]
        self.send_header("Content-Length", str(len(body)))  # type: ignore[attr-defined]
        self.end_headers()  # type: ignore[attr-defined]
        if self.command != "HEAD":  # type: ignore[attr-defined]
            self.wfile.write(body)  # type: ignore[attr-defined]

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory)
        folders = [part for part in self.path.split("?")[0].split("/") if part][:-1]  # type: ignore[attr-defined]
        while True:
            page = root.joinpath(*folders, NOT_FOUND)
            if page.is_file() and page.resolve().is_relative_to(root.resolve()):
                return page
            if not folders:
                return None
            folders.pop()


class Handler(NotFoundPages, SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}


def server(output: Path, host: str, port: int) -> ThreadingHTTPServer:
    """A server of the site in ``output`` on ``host``:``port`` (``serve_forever()`` to run it)."""
    return ThreadingHTTPServer((host, port), partial(Handler, directory=str(output)))
