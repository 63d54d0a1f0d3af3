"""A post's images, kept on our side: checked, re-encoded, stored under their content's name.

Pages load nothing from another origin, so an image a post shows is fetched
with the post (fetch.py, under the feeds' limits) and served by the site. What
a server sends is trusted for nothing: its first bytes must be those of a
raster format we read (an SVG, a PDF or an HTML page called "image/png" is
refused), the type it claims must agree, its size is checked before a pixel
is decoded (a small file can declare gigapixels), and what we keep is
re-encoded by Pillow, which drops every metadata block (camera, place, author)
and anything hidden after the picture. The file is named after a digest of
what we wrote, beside the snapshots; the build copies the ones it shows.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ambassade.i18n import _

from .files import replace_atomically

IMAGES_FOLDER = "images"
SUFFIX = ".webp"
# What Pillow reads for us, by the first bytes of the file, and the types a server may call it.
_FORMATS = {
    "JPEG": {"image/jpeg", "image/jpg", "image/pjpeg"},
    "PNG": {"image/png", "image/apng"},
    "GIF": {"image/gif"},
    "WEBP": {"image/webp"},
    "AVIF": {"image/avif"},
}
_QUALITY = 82


class ImageError(Exception):
    """An image that is not kept; the message says why, in words."""


@dataclass(frozen=True)
class Stored:
    """An image as kept: its file name beside the snapshots, and its size in pixels."""

    file: str
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    """The raster format ``data`` starts like (Pillow's name), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "AVIF"
    return None


def reencode(
    data: bytes, content_type: str | None, *, max_pixels: int, max_side: int
) -> tuple[bytes, int, int]:
    """``data`` re-encoded as WebP without metadata, scaled to ``max_side`` at most; its width and height.

    Raises :class:`ImageError` for anything but a real raster image within ``max_pixels``.
    """
    kind = sniff(data)
    if kind is None:
        raise ImageError(
            _("not an image of a known format (served as %(type)s)", type=content_type or _("no type"))
        )
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if (
        declared
        and declared not in _FORMATS[kind]
        and declared not in ("application/octet-stream", "binary/octet-stream")
    ):
        raise ImageError(_("a %(kind)s file served as %(type)s", kind=kind, type=declared))
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as opened:
            width, height = opened.size
            if width * height > max_pixels:
                raise ImageError(
                    _(
                        "%(width)s×%(height)s pixels, more than %(limit)s (refused as a decompression bomb)",
                        width=width,
                        height=height,
                        limit=max_pixels,
                    )
                )
            opened.load()
            picture = ImageOps.exif_transpose(opened)
            has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
            picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif=, icc_profile= or xmp=: nothing of the original's metadata is written.
            picture.save(out, "WEBP", quality=_QUALITY, method=4)
            return out.getvalue(), picture.width, picture.height
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageError(_("refused as a decompression bomb (%(error)s)", error=error)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(_("not a readable %(kind)s image (%(error)s)", kind=kind, error=error)) from None


def store(encoded: bytes, directory: Path) -> str:
    """Write ``encoded`` under ``directory`` by the digest of its bytes (once); its file name."""
    name = hashlib.sha256(encoded).hexdigest()[:32] + SUFFIX
    path = directory / name
    if path.is_file():
        return name
    replace_atomically(path, encoded)
    return name


def keep(data: bytes, content_type: str | None, directory: Path, *, max_pixels: int, max_side: int) -> Stored:
    """Check, re-encode and store ``data``; raises :class:`ImageError`."""
    encoded, width, height = reencode(data, content_type, max_pixels=max_pixels, max_side=max_side)
    return Stored(store(encoded, directory), width, height)


def remove_unused(directory: Path, used: set[str]) -> list[str]:
    """Delete the stored images no snapshot names any more; their names."""
    if not directory.is_dir():
        return []
    removed = []
    for path in sorted(directory.glob("*" + SUFFIX)):
        if path.name not in used:
            path.unlink()
            removed.append(path.name)
    return removed
