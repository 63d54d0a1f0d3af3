"""A wall-clock deadline per feed, enforced on every socket operation.

httpx timeouts apply to each operation separately: a server that sends one
byte a second never trips a 10 s read timeout, yet holds the fetch forever.
Checking the clock between body chunks is not enough either, because the
status line and headers are read inside httpx. So the httpx client built
here uses an httpcore network backend whose connect, TLS handshake, read and
write timeouts are all clamped to the time left before the calling thread's
deadline. Each feed is fetched entirely on one worker thread, hence a
thread-local deadline, even though connections are pooled across threads.

The same backend resolves each host itself, within the deadline, and
connects only to an address addresses.py allows: the check holds on every
redirect hop and for every image, and no second lookup can answer otherwise.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from ambassade.i18n import _

from .addresses import AddressRefused, LookupTimeout, Network, resolve

_local = threading.local()
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


@contextlib.contextmanager
def deadline_after(seconds: float) -> Iterator[None]:
    """Give every network operation of this thread until ``seconds`` from now."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = previous


def time_left() -> float:
    """Seconds before this thread's deadline (infinite outside :func:`deadline_after`)."""
    deadline = getattr(_local, "deadline", None)
    return float("inf") if deadline is None else deadline - time.monotonic()


def make_client(
    *,
    user_agent: str,
    workers: int,
    timeout: float,
    allowed: tuple[Network, ...] = (),
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.Client:
    """An httpx client, deadline-aware, following no redirect itself, reaching public addresses only.

    ``timeout`` bounds each socket operation; :func:`deadline_after` bounds their sum.
    ``allowed`` are the networks reachable besides the public Internet.
    Loading the CA bundle costs tens of milliseconds: clients made for one run share
    ``ssl_context``.
    """
    ssl_context = ssl_context or httpx.create_ssl_context()
    transport = httpx.HTTPTransport(verify=ssl_context)
    # httpx has no public option for the network backend; its transport is a
    # thin wrapper around this pool, so we build the pool the way it would,
    # with our backend. (Checked against the pinned httpx 0.28.1.)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=workers,
        keepalive_expiry=5.0,
        network_backend=_DeadlineBackend(allowed),
    )
    return httpx.Client(
        transport=transport,
        follow_redirects=False,
        timeout=timeout,
        # Environment proxies would be reached through transports of their
        # own, outside the deadline guard; feeds are fetched directly.
        trust_env=False,
        headers={
            "User-Agent": user_agent,
            "Accept": _ACCEPT,
            # Only what body.py can decompress under a byte cap.
            "Accept-Encoding": "gzip, deflate",
        },
    )


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    left = time_left()
    if left <= 0:
        raise error(_("feed deadline exceeded"))
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, allowed: tuple[Network, ...]) -> None:
        self._backend = httpcore.SyncBackend()
        self._allowed = allowed

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port, _clamp(timeout, httpcore.ConnectTimeout), self._allowed)
        except LookupTimeout as error:
            raise httpcore.ConnectTimeout(str(error)) from None
        except AddressRefused as error:
            raise httpcore.ConnectError(str(error)) from None
        except OSError as error:
            raise httpcore.ConnectError(
                _("cannot resolve %(host)s (%(error)s)", host=host, error=error)
            ) from None
        last: Exception | None = None
        for address in addresses:
            try:
                stream = self._backend.connect_tcp(
                    address, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
                continue
            return _DeadlineStream(stream)
        raise last or httpcore.ConnectError(_("cannot connect to %(host)s", host=host))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)
