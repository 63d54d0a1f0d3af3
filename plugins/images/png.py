"""PNG files of the cards, written three times as quickly as Pillow writes them.

Pillow's encoder tries the five PNG filters on every row and keeps the best,
which costs more than drawing a card. A card is flat colours, text and a few
small photos: unfiltered, its rows compress as well (deflate finds the
repeated colours by itself), in less time. And deflate's time goes by the
byte, while half of a card's rows are its background's, the same on every card
of a site: :class:`Encoder` compresses those runs once and copies them into
each file, and compresses only the rows drawn on. The deflate is zlib-ng's:
the same format as zlib's, in 40% of the time at level 2, and like zlib the
same bytes for the same pixels in any process (which ISA-L's was not), so a
card is the same file whoever draws it.

The file is a plain PNG (RFC 2083): 8-bit RGB, one IDAT chunk holding one zlib
stream (RFC 1950) whose deflate blocks (RFC 1951) come from several
compressors, each part ending on a byte boundary and referring to nothing
before it; any decoder reads it back to the same pixels.
"""

from __future__ import annotations

import struct

from PIL import Image
from zlib_ng import zlib_ng as zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
NO_FILTER = b"\x00"
LEVEL = 2
"""zlib-ng's level 2: the rows of a card drawn on in 1.1 ms rather than zlib's 2.7 at level 3, for 13%
more bytes (61 KiB a card against 54); level 1 saves 0.2 ms more for 19% more bytes again."""
BAND = 8
"""Rows compared at a time with the background's: a run of unchanged rows is a whole number of bands."""

_ZLIB_HEADER = b"\x78\x5e"  # deflate, 32 KiB window, no dictionary
_LAST_BLOCK = b"\x03\x00"  # an empty final block: the parts before it end with a flush, never final
_MOD_ADLER = 65521


class Encoder:
    """PNG files of images drawn over ``background``: the rows they leave as it was, compressed once."""

    def __init__(self, background: Image.Image, level: int = LEVEL) -> None:
        self.size = background.size
        self.level = level
        self._rows = _scanlines(background)
        band = (background.width * 3 + 1) * BAND
        self._bands = [self._rows[start : start + band] for start in range(0, len(self._rows), band)]
        self._runs: dict[tuple[int, int], tuple[bytes, int]] = {}

    def encode(self, image: Image.Image) -> bytes:
        """``image`` (RGB, the background's size) as PNG bytes."""
        if image.size != self.size:
            raise ValueError(image.size, self.size)
        width, height = self.size
        line = width * 3 + 1
        rows = _scanlines(image)
        runs: list[list] = []  # [first row, row after the last, unchanged]
        for top, band in zip(range(0, height, BAND), self._bands, strict=True):
            same = rows.startswith(band, top * line)  # compared where they are: nothing copied
            if runs and runs[-1][2] == same:
                runs[-1][1] = min(top + BAND, height)
            else:
                runs.append([top, min(top + BAND, height), same])
        parts: list[bytes] = []
        check = 1  # the Adler-32 of no bytes
        for top, bottom, same in runs:
            data, part_check = (
                self._unchanged(top, bottom) if same else _deflate(rows, width, top, bottom, self.level)
            )
            parts.append(data)
            check = _adler32_combine(check, part_check, (bottom - top) * line)
        return _png(width, height, _stream(b"".join(parts), check))

    def _unchanged(self, top: int, bottom: int) -> tuple[bytes, int]:
        found = self._runs.get((top, bottom))
        if found is None:
            if len(self._runs) >= 256:  # a few runs come back on every card; the others needn't pile up
                self._runs.clear()
            found = self._runs[top, bottom] = _deflate(self._rows, self.size[0], top, bottom, self.level)
        return found


def _deflate(rows: bytes, width: int, top: int, bottom: int, level: int) -> tuple[bytes, int]:
    """Rows ``top`` to ``bottom`` of :func:`_scanlines` compressed on their own, ending on a byte
    boundary; their Adler-32."""
    line = width * 3 + 1
    # Each row's filter byte is the byte before its pixels: the last one of the row above.
    pieces = (NO_FILTER, memoryview(rows)[top * line : bottom * line - 1])
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = b"".join([*(compressor.compress(p) for p in pieces), compressor.flush(zlib.Z_SYNC_FLUSH)])
    return data, zlib.adler32(pieces[1], zlib.adler32(pieces[0]))


def _stream(deflated: bytes, check: int) -> bytes:
    """A zlib stream of deflate blocks, none of them final."""
    return _ZLIB_HEADER + deflated + _LAST_BLOCK + struct.pack(">I", check)


def _scanlines(image: Image.Image) -> bytes:
    """The image's rows as PNG stores them unfiltered, shifted by one byte: each row's pixels, then a
    zero, which is the filter byte of the row below (the first row's is not there)."""
    # Pillow's raw encoder pads each row to the stride it is given: the zeros cost nothing.
    return image.tobytes("raw", "RGB", image.width * 3 + 1)


def _adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings end to end, from theirs and the second's length (zlib's
    adler32_combine, which Python's zlib does not offer)."""
    rem = length % _MOD_ADLER
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % _MOD_ADLER
    high = (rem * (first & 0xFFFF) + (first >> 16) + (second >> 16) - rem) % _MOD_ADLER
    return (high << 16) | low


def _png(width: int, height: int, stream: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, deflate, no interlace
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
