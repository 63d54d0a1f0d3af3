"""PNG files of the cards, written twice as quickly as Pillow writes them.

Pillow's encoder tries the five PNG filters on every row and keeps the best,
which costs more than drawing a card. A card is flat colours, text and a few
small photos: unfiltered, its rows compress as well (deflate finds the
repeated colours by itself), in less time. The file is a plain PNG (RFC 2083):
8-bit RGB, one IDAT chunk; any decoder reads it back to the same pixels.
"""

from __future__ import annotations

import struct
import zlib

from PIL import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"
NO_FILTER = b"\x00"


def encode(image: Image.Image, level: int = 3) -> bytes:
    """``image`` (RGB) as PNG bytes."""
    width, height = image.size
    stride = width * 3
    pixels = image.tobytes()
    rows = b"".join(NO_FILTER + pixels[start : start + stride] for start in range(0, len(pixels), stride))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, deflate, no interlace
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, level))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
