"""Fetch every feed concurrently, each under strict limits, never raising.

A feed is someone else's server: it may be slow, huge, hostile or gone.
Each fetch therefore has a total wall-clock deadline (see deadline.py), a
byte cap on the decompressed body (body.py), HTTPS only on every redirect
hop, a bounded number of redirects and retries, and ends as a
:class:`FeedResult` whose ``error`` says in words what went wrong, so one bad
feed costs at most its deadline and never the whole run. Every connection
goes to a public address, or one ``allow_addresses`` names (addresses.py).

The posts' images are fetched under the same rules, each with a deadline and
a byte cap of its own, then checked and re-encoded (images.py); an image
already kept for the same post is not fetched again, and a post whose images
fail keeps its text.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from ambassade.i18n import _

from .addresses import networks
from .body import BodyError, read_capped
from .deadline import deadline_after, make_client, time_left
from .entries import Image, NotAFeed, Parsed, Post, parse_posts
from .images import ImageError, keep
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
    images: Mapping[str, Image] = field(default_factory=dict)
    """The images already kept for this feed's posts, by the address they came from."""


@dataclass(frozen=True)
class FeedResult:
    """Outcome of fetching one feed. ``posts`` is empty unless ``status`` is "ok".

    ``entries`` counts what the feed held, ``skipped`` why some were not posts,
    ``deleted`` the ids its author deleted, ``image_problems`` the images not kept.
    """

    source: FeedSource
    status: Status
    new_posts: int = 0
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    posts: tuple[Post, ...] = ()
    entries: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    deleted: frozenset[str] = frozenset()
    image_problems: tuple[str, ...] = ()

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
    image_dir: Path | None = None,
    on_result: Callable[[FeedResult], None] | None = None,
) -> list[FeedResult]:
    """Fetch ``sources`` on ``settings.workers`` threads; results in the order of ``sources``.

    The posts' images are kept in ``image_dir`` (none are fetched without one).

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
    allowed = networks(settings.allow_addresses)

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = make_client(
                user_agent=settings.user_agent,
                workers=2,
                timeout=settings.deadline,
                allowed=allowed,
                ssl_context=ssl_context,
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
            pool.submit(
                fetch_feed,
                client,
                source,
                settings,
                states.get(source, FeedState()),
                parse=parse,
                image_dir=image_dir,
            )
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
    parse: Callable[..., Parsed] = parse_posts,
    image_dir: Path | None = None,
) -> FeedResult:
    """Fetch one feed within ``settings.deadline`` seconds; failures become a "failed" result.

    ``thread_client`` gives the calling thread's client; ``parse`` turns the body into posts;
    their images are then kept in ``image_dir``.
    """
    client = thread_client()
    with deadline_after(settings.deadline):
        try:
            result = _fetch(client, source, settings, state, parse)
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
        else:
            if result.status == "ok":
                return _with_images(client, result, settings, state, image_dir)
            return result
    return FeedResult(source=source, status="failed", error=reason)


def _fetch(
    client: httpx.Client,
    source: FeedSource,
    settings: SocialSettings,
    state: FeedState,
    parse: Callable[..., Parsed],
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
    parse: Callable[..., Parsed],
) -> FeedResult:
    body = read_capped(response, settings.max_bytes)
    parsed = parse(
        body,
        source,
        content_type=response.headers.get("Content-Type"),
        location=str(response.url),
    )
    return FeedResult(
        source=source,
        status="ok",
        new_posts=sum(post.id not in state.known_ids for post in parsed.posts),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        posts=tuple(parsed.posts),
        entries=parsed.entries,
        skipped=parsed.skipped,
        deleted=parsed.deleted,
    )


_IMAGE_ACCEPT = "image/avif, image/webp, image/png, image/jpeg, image/gif;q=0.9"


def _with_images(
    client: httpx.Client,
    result: FeedResult,
    settings: SocialSettings,
    state: FeedState,
    image_dir: Path | None,
) -> FeedResult:
    """``result`` with each post's images kept (at most ``images_per_post``), or dropped if they fail.

    Only the posts a snapshot can hold get their images: the others would be
    dropped by the cap. An image kept before for the same address is reused.
    """
    if not settings.images or image_dir is None:
        return replace(result, posts=tuple(replace(post, images=()) for post in result.posts))
    newest = sorted(result.posts, key=lambda post: post.date, reverse=True)[: settings.posts_per_expert]
    wanted = {post.id for post in newest}
    problems: list[str] = []
    posts = []
    for post in result.posts:
        kept: list[Image] = []
        for image in post.images[: settings.images_per_post] if post.id in wanted else ():
            known = state.images.get(image.src)
            if known is not None and known.file and (image_dir / known.file).is_file():
                kept.append(replace(known, alt=image.alt))
                continue
            try:
                kept.append(_fetch_image(client, image, settings, image_dir))
            except (FetchError, BodyError, ImageError) as error:
                problems.append(f"image {image.src}: {error}")
            except httpx.TimeoutException:
                problems.append(f"image {image.src}: timed out (deadline {settings.deadline:g} s)")
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                problems.append(f"image {image.src}: {type(error).__name__}: {error}")
        posts.append(replace(post, images=tuple(kept)))
    return replace(result, posts=tuple(posts), image_problems=tuple(problems))


def _fetch_image(client: httpx.Client, image: Image, settings: SocialSettings, image_dir: Path) -> Image:
    """Fetch one image within its own deadline and byte cap, and keep it; raises on failure."""
    with (
        deadline_after(settings.deadline),
        _get(client, image.src, {"Accept": _IMAGE_ACCEPT}, settings) as response,
    ):
        if not response.is_success:
            raise FetchError(f"HTTP {response.status_code}")
        data = read_capped(response, settings.image_max_bytes)
        content_type = response.headers.get("Content-Type")
    stored = keep(
        data,
        content_type,
        image_dir,
        max_pixels=settings.image_max_pixels,
        max_side=settings.image_max_side,
    )
    return replace(image, file=stored.file, width=stored.width, height=stored.height)


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
