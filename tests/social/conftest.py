"""Fixtures of the social tests, and a guard failing any test that reaches beyond 127.0.0.1."""

from __future__ import annotations

import errno
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.social.social_helpers import DEADLINE, LOOPBACK, FeedServer, Project

HERE = Path(__file__).resolve().parent

# --- network guard ---------------------------------------------------------


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse (and record) any DNS lookup or connection not aimed at 127.0.0.1.

    Yields the list of refused destinations; a test that provokes one on
    purpose must empty it, otherwise the test fails at teardown.
    """
    refused: list[Any] = []
    real_connect, real_connect_ex, real_getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def allowed(sock: socket.socket, address: Any) -> bool:
        return sock.family not in (socket.AF_INET, socket.AF_INET6) or address[0] == LOOPBACK

    def connect(sock: socket.socket, address: Any) -> None:
        if not allowed(sock, address):
            refused.append(address)
            raise OSError(errno.ENETUNREACH, f"test guard: {address} is not {LOOPBACK}")
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not allowed(sock, address):
            refused.append(address)
            return errno.ENETUNREACH
        return real_connect_ex(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (LOOPBACK, LOOPBACK.encode()):
            refused.append(host)
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: no DNS for {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for variable in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    yield refused
    assert refused == [], f"test tried to reach {refused}"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def project(tmp_path: Path, feed_server: FeedServer) -> Project:
    (tmp_path / "experts").mkdir()
    # Profiles are read by the project's loader, which validates against the schema.
    shutil.copyfile(HERE.parents[1] / "experts" / "schema.json", tmp_path / "experts" / "schema.json")
    social = {
        "allow_http": True,
        # The local server is on loopback, which fetch refuses unless told otherwise.
        "allow_addresses": [LOOPBACK],
        # The fixtures' images are on the hosts real feeds name: tests of images serve them here.
        "images": False,
        "deadline": DEADLINE,
        "mastodon_template": feed_server.url + "/{instance}/@{user}.rss",
        "bluesky_template": feed_server.url + "/bsky/{handle}/rss",
        "x_bridge": feed_server.url + "/nitter/{handle}/rss",
    }
    return Project(tmp_path, social)
