"""What a profile photo must be, checked where profiles are read: ``check`` and the build.

A photo is a real raster image (JPEG, PNG or WebP, read from its bytes, not
its name), large enough for a sharp portrait on a high-density screen, and
square, or given a focal point to crop a square around. Only its header is
read here, so that checking a thousand profiles stays quick; the images
plugin decodes it when it re-encodes it, and refuses it there if it is broken.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .i18n import _

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
"""Pillow's name of each format accepted, and how people write it."""
MIN_SIDE = 400
"""Pixels on the short side: the largest portrait is 320 pixels wide on a high-density screen."""
MAX_RATIO = 1.25
"""Longest side over shortest that still counts as square; beyond it, ``photo_focus`` says where to crop."""
MAX_PIXELS = 40_000_000
"""Larger images are refused before they are decoded: a small file can hold a huge image (a bomb)."""
MAX_BYTES = 20 * 1024 * 1024
ORIENTATION = 0x0112
"""The EXIF tag of a camera's rotation; 5 to 8 turn the picture a quarter."""


@dataclass(frozen=True)
class PhotoInfo:
    format: str
    width: int
    height: int
    """Once turned upright as its EXIF orientation says."""


def inspect(path: Path, *, focus: bool) -> tuple[PhotoInfo | None, list[tuple[str, str]]]:
    """``path`` as a profile photo: its kind and size, and each problem (what is wrong, what is expected)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [(_("the photo cannot be read (%(error)s)", error=exc.strerror), _("a readable file"))]
    accepted = _("a JPEG, PNG or WebP photo")
    if size > MAX_BYTES:
        return None, [
            (
                _("the photo weighs %(size)s MB", size=f"{size / 1_048_576:.0f}"),
                _("%(accepted)s of at most %(max)s MB", accepted=accepted, max=MAX_BYTES // 1_048_576),
            )
        ]
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit: ours is lower, and an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                if kind in FORMATS and width * height <= MAX_PIXELS:
                    image.verify()
            turned = False
            if kind in ("JPEG", "WEBP"):  # verify() leaves an image unusable: its header again
                with Image.open(path) as image:
                    turned = image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, [(_("the photo is an image of more than %(max)s pixels", max="40 000 000"), accepted)]
    except UnidentifiedImageError:
        return None, [(_what_it_is(path), accepted)]
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's words for a broken file
        return None, [
            (
                _("the photo is damaged (%(error)s)", error=exc),
                _("%(accepted)s that opens", accepted=accepted),
            )
        ]
    if kind not in FORMATS:
        return None, [(_("the photo is in %(format)s", format=kind), accepted)]
    if width * height > MAX_PIXELS:
        return None, [
            (
                _("the photo is %(width)s×%(height)s pixels", width=width, height=height),
                _("at most %(max)s pixels in all: a smaller export of it", max="40 000 000"),
            )
        ]
    if turned:
        width, height = height, width
    problems = []
    if min(width, height) < MIN_SIDE:
        problems.append(
            (
                _("the photo is %(width)s×%(height)s pixels", width=width, height=height),
                _("at least %(min)s×%(min)s pixels", min=MIN_SIDE),
            )
        )
    elif max(width, height) > MAX_RATIO * min(width, height) and not focus:
        problems.append(
            (
                _("the photo is %(width)s×%(height)s pixels, not square", width=width, height=height),
                _(
                    "a square photo, or photo_focus: {x: 50, y: 30} to say where to crop it "
                    "(percent from the left, from the top)"
                ),
            )
        )
    return PhotoInfo(FORMATS[kind], width, height), problems


def _what_it_is(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(512).lstrip()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        return _("the photo is an SVG drawing, not a photo")
    return _("the photo is not an image (its content is neither JPEG, PNG nor WebP)")
