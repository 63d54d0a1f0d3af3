"""A built site served on 127.0.0.1 with the headers the host will send.

The headers come from the hosting plugin (``hosting.security_headers`` with
the production settings), the same values it writes into ``_headers`` and
``nginx-headers.conf``: the browser sees what visitors will get.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ambassade.build import load_settings
from ambassade.headers import security_headers, settings_of
from ambassade.live.server import make_server
from tests.support import PUBLISH_CONF


def host_headers() -> dict[str, str]:
    """The headers of every response, as production's settings make them."""
    return security_headers(settings_of(load_settings(PUBLISH_CONF)))


@contextmanager
def serve(
    directory: Path, headers: dict[str, str], folder_headers: dict[str, dict[str, str]] | None = None
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) sending ``headers`` (``folder_headers`` under
    their folder); yields the base URL (no slash)."""
    # The server `invoke serve` runs: the site as built, with the host's headers.
    server = make_server(directory, "127.0.0.1", 0, headers, folder_headers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
