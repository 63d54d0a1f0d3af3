"""Who is not a person clicking: crawlers, link previews, scripts, told apart by their user agent.

A link posted on Mastodon is fetched by every server the post reaches, to build
its preview; LinkedIn, X, Bluesky, Slack and the messengers do the same. Those
requests are not clicks. Words are matched in any case, anywhere in the agent;
``ADVOCACY["bots"]`` adds a site's own.
"""

from __future__ import annotations

from collections.abc import Iterable

WORDS = (
    # crawlers and previews that say so
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "fetcher",
    "facebookexternalhit",
    "embedly",
    "iframely",
    "outbrain",
    "pinterest",
    "flipboard",
    "vkshare",
    "whatsapp",
    "telegram",
    "discord",
    "skypeuripreview",
    "google-read-aloud",
    "googleother",
    "ahrefs",
    "semrush",
    "mj12",
    "dataprovider",
    "lighthouse",
    "headless",
    "phantomjs",
    # the fediverse's servers, fetching a preview for each post they receive
    "mastodon/",
    "pleroma",
    "akkoma",
    "misskey",
    "gotosocial",
    "cardyb",
    # scripts and libraries
    "curl/",
    "wget/",
    "python-",
    "python/",
    "aiohttp",
    "httpx",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "axios",
    "node-fetch",
    "undici",
    "ruby",
    "http.rb",
    "scrapy",
)


def is_bot(agent: str, extra: Iterable[str] = ()) -> bool:
    """Whether ``agent`` is a program rather than a person's browser; no agent at all is a program."""
    agent = agent.strip().lower()
    if agent in ("", "-"):
        return True
    return any(word in agent for word in WORDS) or any(word.lower() in agent for word in extra)
