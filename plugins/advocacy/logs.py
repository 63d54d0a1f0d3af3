"""Web server access logs, read line by line into requests: nothing about the visitor is kept.

Three formats, recognised per file from its first lines:

- **combined**, nginx's default and Apache's ``LogFormat … combined``:
  ``ip - user [10/Oct/2026:13:55:36 +0200] "GET /path?query HTTP/1.1" 200 2326 "referer" "agent"``;
- **CloudFront** standard logs (also what an S3 website behind CloudFront
  writes): tab-separated, the columns named by a ``#Fields:`` line, times in UTC;
- **Cloudflare** Logpush ``http_requests`` as JSON lines (``ClientRequestURI``,
  ``ClientRequestMethod``, ``ClientRequestUserAgent``, ``EdgeResponseStatus``,
  ``EdgeStartTimestamp``).

A file may be gzipped (``access.log.2.gz``): it is read as it is. A
:class:`Request` holds what counting needs: the time, method, path, query,
status and user agent. The address of the visitor, the referrer and the rest of
the line are read past and never stored.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMBINED_RE = re.compile(
    r'^\S+ \S+ .*?\[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) \S+'
    r'(?: "(?:[^"\\]|\\.)*" "(?P<agent>(?:[^"\\]|\\.)*)")?'
)
COMBINED_TIME = "%d/%b/%Y:%H:%M:%S %z"
CLOUDFRONT_FIELDS = ("date", "time", "cs-method", "cs-uri-stem", "sc-status", "cs(User-Agent)")


@dataclass(frozen=True)
class Request:
    when: dt.datetime
    """Aware: the log's own zone, UTC for the CDNs."""
    method: str
    path: str
    query: str
    status: int
    agent: str


class NotALog(ValueError):
    """A file none of whose first lines is a request in a known format."""


def open_text(path: Path) -> io.TextIOBase:
    """``path`` as text, gunzipped when it is gzip (by its first bytes, whatever its name)."""
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    raw = gzip.open(path, "rb") if gzipped else open(path, "rb")  # noqa: SIM115 - closed by the wrapper
    # A log is bytes from the network: a stray byte is replaced, not a reason to stop.
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def combined(line: str) -> Request | None:
    match = COMBINED_RE.match(line)
    if match is None or match["agent"] is None:
        return None
    parts = match["request"].split(" ")
    if len(parts) != 3:
        return None
    try:
        when = dt.datetime.strptime(match["time"], COMBINED_TIME)
    except ValueError:
        return None
    path, _, query = parts[1].partition("?")
    return Request(when, parts[0], path, query, int(match["status"]), match["agent"].replace('\\"', '"'))


def cloudfront(line: str, fields: list[str]) -> Request | None:
    values = line.rstrip("\r\n").split("\t")
    if len(values) != len(fields):
        return None
    row = dict(zip(fields, values, strict=True))
    try:
        when = dt.datetime.fromisoformat(f"{row['date']}T{row['time']}+00:00")
        status = int(row["sc-status"])
    except (KeyError, ValueError):
        return None
    query = row.get("cs-uri-query", "-")
    # CloudFront encodes the agent's spaces and percents (twice in older logs).
    agent = unquote(unquote(row["cs(User-Agent)"]))
    return Request(when, row["cs-method"], row["cs-uri-stem"], "" if query == "-" else query, status, agent)


def cloudflare(line: str) -> Request | None:
    try:
        row = json.loads(line)
        uri = urlsplit(row["ClientRequestURI"])
        stamp = row["EdgeStartTimestamp"]
        if isinstance(stamp, (int, float)):
            # Logpush's "unixnano" (the default), or seconds.
            when = dt.datetime.fromtimestamp(stamp / 1e9 if stamp > 1e12 else stamp, dt.UTC)
        else:
            when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        return Request(
            when,
            str(row["ClientRequestMethod"]),
            uri.path,
            uri.query,
            int(row["EdgeResponseStatus"]),
            str(row.get("ClientRequestUserAgent") or ""),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass
class Line:
    number: int
    text: str
    request: Request | None
    """None: a line that is not a request (malformed, cut short)."""


def read(path: Path) -> Iterator[Line]:
    """Every line of the log at ``path``, each with its request when it has one.

    The format is the first one that reads one of the file's first lines; the
    comment lines of CloudFront's format are not lines of requests and are left
    out. Raises :class:`NotALog` when no line of the first hundred is a request.
    """
    with open_text(path) as fh:
        parser = None
        fields: list[str] = []
        pending: list[tuple[int, str]] = []
        for number, text in enumerate(fh, start=1):
            if text.startswith("#"):
                if text.startswith("#Fields:"):
                    fields = text[len("#Fields:") :].split()
                    if all(f in fields for f in CLOUDFRONT_FIELDS):
                        parser = lambda line, f=fields: cloudfront(line, f)  # noqa: E731
                continue
            if parser is None:
                pending.append((number, text))
                for candidate in (combined, cloudflare):
                    if candidate(text) is not None:
                        parser = candidate
                        break
                if parser is None:
                    if len(pending) >= 100:
                        raise NotALog(str(path))
                    continue
                for n, earlier in pending:
                    yield Line(n, earlier, parser(earlier))
                pending = []
                continue
            yield Line(number, text, parser(text))
        if pending:
            raise NotALog(str(path))
