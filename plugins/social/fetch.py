"""Fetch every feed concurrently, each under strict limits, never raising.

A feed is someone else's server: it may be slow, huge, hostile or gone.
Each fetch therefore has a total wall-clock deadline (see deadline.py), a
byte cap on the decompressed body (body.py), HTTPS only on every redirect
hop, a bounded number of redirects and retries, and ends as a
:class:`FeedResult` whose ``error`` says in words what went wrong, so one bad
feed costs at most its deadline and never the whole run.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx

from ambassade.i18n import _

from .body import BodyError, read_capped
from .deadline import deadline_after, make_client, time_left
from .entries import NotAFeed, Post, parse_posts
from .settings import SocialSettings
from .sources import FeedSource

log = logging.getLogger(__name__)

Status = Literal["ok", "not-modified", "failed"]

# Exponential backoff base when the server gives no Retry-After.
_BACKOFF_BASE = 0.5


class FetchError(Exception):
    """A fetch failed for a reason worth showing as is."""


@dataclass(frozen=True)
class FeedState:
    """What the previous snapshot knows about a feed.

    The validators are sent back exactly as the server gave them, for a
    conditional GET; ``known_ids`` tells which fetched posts are new.
    """

    etag: str | None = None
    last_modified: str | None = None
    known_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FeedResult:
    """Outcome of fetching one feed. ``posts`` is empty unless ``status`` is "ok"."""

    source: FeedSource
    status: Status
    new_posts: int = 0
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    posts: tuple[Post, ...] = ()

    @property
    def url(self) -> str:
        return self.source.url


# Below this many feeds, parsing stays in the fetching threads (a process pool costs more to start).
PARSE_PROCESSES_FROM = 32


def fetch_all(
    sources: Sequence[FeedSource],
    settings: SocialSettings,
    states: Mapping[FeedSource, FeedState] | None = None,
    *,
    on_result: Callable[[FeedResult], None] | None = None,
) -> list[FeedResult]:
    """Fetch ``sources`` on ``settings.workers`` threads; results in the order of ``sources``.

    ``on_result`` is called (from the calling thread) as each feed finishes,
    e.g. to advance a progress bar. Each thread has a client of its own:
    httpx's connection pool looks at every connection for every waiting
    request, a cost that grows with the square of the threads sharing it.
    Feeds are parsed in one process per core (feedparser is pure Python, and
    threads share one interpreter lock), started before the first thread.
    """
    states = states or {}
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()
    ssl_context = httpx.create_ssl_context()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = make_client(
                user_agent=settings.user_agent, workers=2, timeout=settings.deadline, ssl_context=ssl_context
            )
            with lock:
                clients.append(local.client)
        return local.client

    with contextlib.ExitStack() as stack:
        parse = parse_posts
        if len(sources) >= PARSE_PROCESSES_FROM and hasattr(os, "fork") and (os.cpu_count() or 1) > 1:
            parsers = stack.enter_context(
                ProcessPoolExecutor(
                    max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("fork")
                )
            )
            parsers.submit(int).result()  # every worker forked now, while this process has one thread

            def parse(body, source, **kwargs):
                return parsers.submit(parse_posts, body, source, **kwargs).result()

        stack.callback(lambda: [c.close() for c in clients])
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=settings.workers))
        futures = [
            pool.submit(fetch_feed, client, source, settings, states.get(source, FeedState()), parse=parse)
            for source in sources
        ]
        if on_result is not None:
            for future in as_completed(futures):
                on_result(future.result())
        return [future.result() for future in futures]


def fetch_feed(
    thread_client: Callable[[], httpx.Client],
    source: FeedSource,
    settings: SocialSettings,
    state: FeedState,
    *,
    parse: Callable[..., list[Post]] = parse_posts,
) -> FeedResult:
    """Fetch one feed within ``settings.deadline`` seconds; failures become a "failed" result.

    ``thread_client`` gives the calling thread's client; ``parse`` turns the body into posts.
    """
    client = thread_client()
    with deadline_after(settings.deadline):
        try:
            return _fetch(client, source, settings, state, parse)
        except (FetchError, BodyError, NotAFeed) as error:
            reason = str(error)
        except httpx.TimeoutException:
            # Every socket timeout is clamped to the deadline (deadline.py).
            reason = f"timed out (deadline {settings.deadline:g} s)"
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            reason = f"{type(error).__name__}: {error}"
        except Exception as error:  # noqa: BLE001 - one feed's bug must not stop the others
            log.exception("unexpected error fetching %s", source.url)
            reason = f"unexpected {type(error).__name__}: {error}"
    return FeedResult(source=source, status="failed", error=reason)


def _fetch(
    client: httpx.Client,
    source: FeedSource,
    settings: SocialSettings,
    state: FeedState,
    parse: Callable[..., list[Post]],
) -> FeedResult:
    headers = {}
    if state.etag is not None:
        headers["If-None-Match"] = state.etag
    if state.last_modified is not None:
        headers["If-Modified-Since"] = state.last_modified
    attempt = 0
    while True:
        with _get(client, source.url, headers, settings) as response:
            if response.status_code == 304:
                return FeedResult(source=source, status="not-modified")
            if response.is_success:
                return _parsed(response, source, settings, state, parse)
            status = response.status_code
            if status != 429 and status < 500:
                raise FetchError(_("HTTP %(status)s", status=status))
            retry_after = response.headers.get("Retry-After")
        attempt += 1
        if attempt > settings.retries:
            raise FetchError(
                _("HTTP %(status)s, still failing after %(n)s attempts", status=status, n=attempt)
            )
        time.sleep(_retry_delay(status, retry_after, attempt, settings))


def _parsed(
    response: httpx.Response,
    source: FeedSource,
    settings: SocialSettings,
    state: FeedState,
    parse: Callable[..., list[Post]],
) -> FeedResult:
    body = read_capped(response, settings.max_bytes)
    posts = parse(
        body,
        source,
        content_type=response.headers.get("Content-Type"),
        location=str(response.url),
    )
    return FeedResult(
        source=source,
        status="ok",
        new_posts=sum(post.id not in state.known_ids for post in posts),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        posts=tuple(posts),
    )


@contextlib.contextmanager
def _get(
    client: httpx.Client, url: str, headers: Mapping[str, str], settings: SocialSettings
) -> Iterator[httpx.Response]:
    """GET ``url``, following redirects by hand so that every hop is checked."""
    for _hop in range(settings.max_redirects + 1):
        _check_scheme(url, settings)
        response = client.send(client.build_request("GET", url, headers=headers), stream=True)
        if not response.has_redirect_location:
            try:
                yield response
            finally:
                response.close()
            return
        response.close()
        url = str(response.url.join(response.headers["Location"]))
    raise FetchError(_("more than %(n)s redirects (last to %(url)s)", n=settings.max_redirects, url=url))


def _check_scheme(url: str, settings: SocialSettings) -> None:
    allowed = ("https", "http") if settings.allow_http else ("https",)
    scheme = url.split(":", 1)[0].lower()
    if scheme not in allowed:
        raise FetchError(
            _("refused %(url)s: only %(schemes)s URLs are fetched", url=url, schemes=_(" and ").join(allowed))
        )


def _retry_delay(status: int, retry_after: str | None, attempt: int, settings: SocialSettings) -> float:
    """Seconds to wait before retry number ``attempt``, or FetchError when waiting is not allowed.

    A Retry-After longer than ``backoff_max`` is not shortened: retrying
    before the server asked would be rude and likely fail again.
    """
    asked = _parse_retry_after(retry_after)
    if asked is not None and asked > settings.backoff_max:
        raise FetchError(
            _(
                "HTTP %(status)s, server asks to retry after %(seconds)s s (over backoff_max)",
                status=status,
                seconds=f"{asked:g}",
            )
        )
    delay = asked if asked is not None else min(settings.backoff_max, _BACKOFF_BASE * 2 ** (attempt - 1))
    if delay >= time_left():
        raise FetchError(
            _(
                "HTTP %(status)s, retrying in %(seconds)s s would pass the deadline",
                status=status,
                seconds=f"{delay:g}",
            )
        )
    return delay


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: either delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
