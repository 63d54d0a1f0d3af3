"""A QR code of an expert's page, as SVG: for a badge, the last slide of a talk, a printed flyer.

Drawn with segno and kept in the cache by the address it encodes, like the
images of the site: a rebuild draws none again.
"""

from __future__ import annotations

import io

import segno

VERSION = 2


def svg(url: str, title: str) -> bytes:
    """The QR code of ``url``, black on white, with its quiet zone, titled for screen readers."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=8, border=4, dark="#000000", light="#ffffff", title=title, omitsize=True)
    return out.getvalue()


def key_of(url: str, title: str) -> tuple:
    return ("qr", VERSION, segno.__version__, url, title)
