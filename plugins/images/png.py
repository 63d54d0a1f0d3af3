"""PNG files of the cards, written three times quicker than Pillow writes them.

Pillow's encoder tries the five PNG filters on every row and keeps the best,
which costs more than drawing a card. A card is flat colours, text and a few
small photos: the "Up" filter alone (each row minus the row above, computed
by Pillow in C) compresses it as well. The file is a plain PNG (RFC 2083):
8-bit RGB, one IDAT chunk; any decoder reads it back to the same pixels.
"""

from __future__ import annotations

import struct
import zlib

from PIL import Image, ImageChops

SIGNATURE = b"\x89PNG\r\n\x1a\n"
NONE, UP = b"\x00", b"\x02"


def encode(image: Image.Image, level: int = 3) -> bytes:
    """``image`` (RGB) as PNG bytes."""
    width, height = image.size
    stride = width * 3
    # Row n minus row n-1, modulo 256; offset() brings the last row to the top, whose
    # difference is unused: the first row is written unfiltered.
    up = ImageChops.subtract_modulo(image, ImageChops.offset(image, 0, 1)).tobytes()
    rows = [NONE + image.crop((0, 0, width, 1)).tobytes()]
    rows += [UP + up[start : start + stride] for start in range(stride, len(up), stride)]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, deflate, no interlace
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), level))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
