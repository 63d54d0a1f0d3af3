"""A profile photo as the site serves it: upright, square, a few widths, nothing but pixels.

The photo a person gives comes from a phone or a camera: rotated by an EXIF
tag, in a colour space of its own, carrying the date, the device and often the
GPS position where it was taken. What the site serves is decoded and re-encoded
from the pixels alone: turned upright, converted to sRGB, cropped square
around its focal point, resized to each width, written as WebP (every width)
and JPEG (one width, for browsers without WebP). No EXIF, XMP, ICC profile or
comment is copied: Pillow writes them only when asked to, and it is not.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from ambassade.photos import MAX_PIXELS

VERSION = 4
"""Part of every photo's key: raise it when a change here changes the files made."""


@dataclass(frozen=True)
class Portrait:
    """Everything a photo's files are made from."""

    source: str
    """Path of the photo the person gave."""
    focus: tuple[float, float] | None
    """Where to crop, in percent from the left and the top; the centre when None."""
    widths: tuple[int, ...]
    fallback_width: int
    quality: int


class PhotoError(ValueError):
    """The photo cannot be decoded: what is wrong, in words."""


def names(portrait: Portrait) -> list[str]:
    """The files made of a photo: one WebP per width, one JPEG."""
    return [f"{w}.webp" for w in portrait.widths] + [f"{portrait.fallback_width}.jpg"]


def make(portrait: Portrait) -> dict[str, bytes]:
    """The files of :func:`names`, by name."""
    square = _square(portrait)
    out = {}
    widths = sorted({*portrait.widths, portrait.fallback_width}, reverse=True)
    resized = square.resize((widths[0], widths[0]), Image.Resampling.LANCZOS, reducing_gap=3.0)
    for width in widths:
        if width != resized.width:
            # Each smaller width from the one above it: a Lanczos reduction of a 320-pixel square
            # looks the same as one of the original, at a fraction of the cost.
            resized = resized.resize((width, width), Image.Resampling.LANCZOS)
        if width in portrait.widths:
            # Method 1 of 6: 45% of method 4's time for 10 to 15% more bytes (70 more on a 96-pixel
            # photo of 530), and no difference to see at the same quality.
            out[f"{width}.webp"] = _encode(resized, "WEBP", quality=portrait.quality, method=1)
        if width == portrait.fallback_width:
            # Baseline, not progressive: a small picture shows at once either way, and is encoded faster.
            out[f"{width}.jpg"] = _encode(resized, "JPEG", quality=portrait.quality, optimize=True)
    return out


def _square(portrait: Portrait) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(portrait.source) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoError(f"{image.width}×{image.height} pixels")
                # A JPEG larger than needed is decoded at the smallest fraction of its size (1/2, 1/4
                # or 1/8) that still covers the largest width: several times faster, and libjpeg's
                # reduction, made in the frequencies, looks the same once resized.
                largest = max(*portrait.widths, portrait.fallback_width)
                image.draft("RGB", (largest, largest))
                image.load()
                return _cropped(_srgb(ImageOps.exif_transpose(image)), portrait.focus)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
            raise PhotoError(str(exc)) from None


def _srgb(image: Image.Image) -> Image.Image:
    """The pixels in sRGB, the colour space browsers assume when no profile says otherwise."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "#ffffff")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: the pixels as they are
    return image


def _cropped(image: Image.Image, focus: tuple[float, float] | None) -> Image.Image:
    """The largest square of ``image`` centred on ``focus`` as far as the edges allow."""
    side = min(image.size)
    fx, fy = (50.0, 50.0) if focus is None else focus
    left = round(min(max(image.width * fx / 100 - side / 2, 0), image.width - side))
    top = round(min(max(image.height * fy / 100 - side / 2, 0), image.height - side))
    return image.crop((left, top, left + side, top + side))


def _encode(image: Image.Image, kind: str, **options) -> bytes:
    image.info = {}  # a resized image carries its source's info (EXIF, ICC…): none may travel along
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()
