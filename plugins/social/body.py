"""Read a response body under a byte cap counted on the *decompressed* bytes.

A feed is small; anything bigger than the cap is refused, whatever
Content-Length claimed. The cap must hold for compressed bodies too: a
50 kB gzip "bomb" can inflate to gigabytes. httpx's own decoder inflates
each network chunk in one go (a 64 kB chunk of zeros becomes ~64 MB in
memory before any check can run), so the raw stream is inflated here with
zlib's ``max_length``, never holding more than the cap plus one chunk.
"""

from __future__ import annotations

import zlib

import httpx

from ambassade.i18n import _

# wbits 32 + MAX_WBITS lets zlib accept both gzip and zlib ("deflate") headers.
_INFLATE_WBITS = 32 + zlib.MAX_WBITS
_COMPRESSED = {"gzip", "x-gzip", "deflate"}


class BodyError(Exception):
    """The body could not be read within the rules; the message says why."""


def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """Return the decoded body of a streamed ``response``, or raise :class:`BodyError`."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return _read_plain(response, max_bytes)
    if encoding in _COMPRESSED:
        return _read_inflated(response, max_bytes)
    raise BodyError(_("unsupported Content-Encoding %(encoding)r", encoding=encoding))


def _too_big(max_bytes: int) -> BodyError:
    return BodyError(_("body larger than %(bytes)s bytes", bytes=max_bytes))


def _read_plain(response: httpx.Response, max_bytes: int) -> bytes:
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise _too_big(max_bytes)
    return bytes(body)


def _read_inflated(response: httpx.Response, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(_INFLATE_WBITS)
    body = bytearray()
    try:
        for chunk in response.iter_raw():
            pending = chunk
            while pending and not inflater.eof:
                # Ask for one byte more than the cap allows, to detect overflow;
                # the rest of the input waits in unconsumed_tail.
                body += inflater.decompress(pending, max_bytes + 1 - len(body))
                if len(body) > max_bytes:
                    raise _too_big(max_bytes)
                pending = inflater.unconsumed_tail
    except zlib.error as error:
        raise BodyError(_("corrupt compressed body (%(error)s)", error=error)) from None
    if not inflater.eof:
        raise BodyError(_("truncated compressed body"))
    return bytes(body)
