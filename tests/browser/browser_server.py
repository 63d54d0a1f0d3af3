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

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ambassade.build import load_settings
from ambassade.headers import security_headers, settings_of
from ambassade.live.server import make_server
from ambassade.output import host_folder
from tests.support import PUBLISH_CONF


def host_headers() -> dict[str, str]:
    """The headers of every response, as production's settings make them."""
    return security_headers(settings_of(load_settings(PUBLISH_CONF)))


@contextmanager
def serve(
    directory: Path,
    headers: dict[str, str] | None = None,
    folder_headers: dict[str, dict[str, str]] | None = None,
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yields the base URL (no slash).

    Without ``headers``, with what its host files say (``_headers``, ``_redirects``); with them,
    those (``folder_headers`` under their folder).
    """
    # The server `invoke serve` runs: the site as built, with the host's headers and redirects.
    host = host_folder(Path(directory)) if headers is None else None
    server = make_server(
        directory,
        "127.0.0.1",
        0,
        host_headers() if headers is None else headers,
        folder_headers,
        host_files=host,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
