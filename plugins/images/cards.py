"""Link-preview cards (og:image, 1200×630 PNG) of an article or an expert, drawn with Pillow.

A card says what the link leads to before anyone opens it: for an article its
topic, title and authors (their photos, or their initials), for an expert
their photo, name, role and topics; both carry the site's logo and name. The
text is in the page's language (topic names), drawn with the theme's fonts,
which the theme ships: nothing is fetched. A card is made from its
:class:`Card` alone, so a process of its own can draw it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from . import png

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
VERSION = 8
"""Part of every card's key: raise it when a change here changes what cards look like, or their bytes."""

TONES = ("#1d4e89", "#2f6f5e", "#8a3b5c", "#5b4a9e", "#8a5312", "#0f6478", "#7a4a2e", "#4a5868")
"""Backgrounds of initials, the same as the theme's ``avatar--tone-<n>`` classes."""


@dataclass(frozen=True)
class Person:
    name: str
    initials: str
    tone: int
    photo: str | None = None
    """Path of the person's square photo, re-encoded (the images store's JPEG)."""


@dataclass(frozen=True)
class Style:
    background: str
    text: str
    accent: str
    regular: str
    bold: str
    logo: str | None
    site_name: str


@dataclass(frozen=True)
class Card:
    """Everything a card is drawn from: ``kind`` is "article" or "expert"."""

    kind: str
    style: Style
    title: str
    """The article's title, or the expert's name."""
    label: str = ""
    """Above an article's title: its first topic."""
    subtitle: str = ""
    """Under an expert's name: their role."""
    topics: tuple[str, ...] = ()
    people: tuple[Person, ...] = field(default_factory=tuple)
    """The authors of an article; the expert of an expert card."""


def draw(card: Card) -> bytes:
    """The card as PNG bytes."""
    style = card.style
    image = _base(style).copy()
    canvas = ImageDraw.Draw(image)
    if card.kind == "expert":
        _expert(image, canvas, card)
    else:
        _article(image, canvas, card)
    return _encoder(style).encode(image)


@lru_cache(maxsize=4)
def _base(style: Style) -> Image.Image:
    """What every card of a style shares: the background, the logo and the site's name."""
    image = Image.new("RGB", (WIDTH, HEIGHT), style.background)
    _header(image, ImageDraw.Draw(image), style)
    return image


@lru_cache(maxsize=4)
def _encoder(style: Style) -> png.Encoder:
    return png.Encoder(_base(style))


def _header(image: Image.Image, canvas: ImageDraw.ImageDraw, style: Style) -> None:
    x = MARGIN
    if style.logo:
        logo = _logo(style.logo, 56)
        image.paste(logo, (x, 56), logo)
        x += 56 + 18
    canvas.text((x, 56 + 28), style.site_name, font=_font(style.bold, 30), fill=style.text, anchor="lm")
    canvas.rectangle((MARGIN, 136, MARGIN + 96, 141), fill=style.accent)


def _article(image: Image.Image, canvas: ImageDraw.ImageDraw, card: Card) -> None:
    style = card.style
    width = WIDTH - 2 * MARGIN
    y = 176
    if card.label:
        _write(image, (MARGIN, y), card.label, _font(style.bold, 28), style.accent, "la")
        y += 56
    font, lines = fit(card.title, style.bold, width, sizes=(64, 58, 52, 46), max_lines=4)
    for line in lines:
        _words(image, (MARGIN, y), line, font, style.text)
        y += round(font.size * 1.18)
    if card.people:
        _byline(image, canvas, card.people, style, top=HEIGHT - MARGIN - 72)


def _byline(image, canvas, people: tuple[Person, ...], style: Style, *, top: int) -> None:
    size, step = 72, 56
    shown = people[:4]
    for index, person in reversed(list(enumerate(shown))):  # the first author on top
        _avatar(image, person, size, (MARGIN + index * step, top), ring=style.background, bold=style.bold)
    x = MARGIN + (len(shown) - 1) * step + size + 22
    names = " · ".join(p.name for p in people)
    font = _font(style.regular, 30)
    text = ellipsize(names, font, WIDTH - MARGIN - x)
    _words(image, (x, top + size // 2), text, font, style.text, "lm")


def _expert(image: Image.Image, canvas: ImageDraw.ImageDraw, card: Card) -> None:
    style = card.style
    size, top = 300, 190
    _avatar(image, card.people[0], size, (MARGIN, top), ring=style.text, bold=style.bold)
    x = MARGIN + size + 64
    width = WIDTH - MARGIN - x
    name_font, names = fit(card.title, style.bold, width, sizes=(60, 54, 48, 42), max_lines=2)
    role_font, roles = fit(card.subtitle, style.regular, width, sizes=(32, 28), max_lines=2)
    name_step, role_step = round(name_font.size * 1.15), round(role_font.size * 1.3)
    height = len(names) * name_step + (8 + len(roles) * role_step if card.subtitle else 0)
    height += 28 + 42 if card.topics else 0
    y = max(top, top + (size - height) // 2)  # the text beside the photo, centred on it
    for line in names:
        _words(image, (x, y), line, name_font, style.text)
        y += name_step
    if card.subtitle:
        y += 8
        for line in roles:
            _write(image, (x, y), line, role_font, style.text, "la")
            y += role_step
    if card.topics:
        _chips(image, canvas, card.topics, style, x, y + 28, width)


def _chips(image, canvas, topics: tuple[str, ...], style: Style, x0: int, y: int, width: int) -> None:
    font = _font(style.regular, 26)
    x, rows = x0, 1
    for topic in topics:
        text = ellipsize(topic, font, width - 36)
        w = round(_length(font, text)) + 36
        if x + w > x0 + width and x > x0:
            rows += 1
            if rows > 2 or y + 2 * 52 > HEIGHT - MARGIN + 20:
                return
            x, y = x0, y + 52
        canvas.rounded_rectangle((x, y, x + w, y + 42), radius=21, outline=style.accent, width=2)
        _write(image, (x + 18, y + 21), text, font, style.text, "lm")
        x += w + 12


def _avatar(
    image: Image.Image, person: Person, size: int, at: tuple[int, int], *, ring: str, bold: str
) -> None:
    """The person's photo, or initials on their tone, in a circle with a ring of ``ring``."""
    border = max(3, size // 40)
    outer = size + 2 * border
    image.paste(
        ring, (at[0] - border, at[1] - border, at[0] - border + outer, at[1] - border + outer), _disc(outer)
    )
    image.paste(_face(person, size, bold), at, _disc(size))


_SMALL = 96
"""Faces up to this size are the bylines' (a large site has a thousand authors), the others experts'."""


def _face(person: Person, size: int, bold: str) -> Image.Image:
    """A person's photo at ``size``, or their initials: the same on every card of their articles."""
    # An author's small face comes back on every card of their articles; an expert's large one on
    # their page's card in each language, drawn one after the other.
    return (_small_face if size <= _SMALL else _large_face)(person, size, bold)


def _draw_face(person: Person, size: int, bold: str) -> Image.Image:
    if person.photo:
        with Image.open(person.photo) as photo:
            photo.draft("RGB", (size * 2, size * 2))  # a JPEG decoded at half its size when that is enough
            return photo.convert("RGB").resize((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    face = Image.new("RGB", (size, size), TONES[person.tone % len(TONES)])
    font = _font(bold, round(size * 0.4))
    ImageDraw.Draw(face).text((size / 2, size / 2), person.initials, font=font, fill="#ffffff", anchor="mm")
    return face


_small_face = lru_cache(maxsize=2048)(_draw_face)
_large_face = lru_cache(maxsize=8)(_draw_face)


def _write(image: Image.Image, xy: tuple[int, int], text: str, font, fill: str, anchor: str) -> None:
    """``text`` drawn as ``canvas.text`` draws it, from a mask kept per text and font: topics,
    names, roles and the words of titles come back card after card."""
    mask, (left, top) = _mask(font, text, anchor)
    image.paste(fill, (xy[0] + left, xy[1] + top, xy[0] + left + mask.width, xy[1] + top + mask.height), mask)


def _words(image: Image.Image, xy: tuple[int, int], line: str, font, fill: str, anchor: str = "la") -> None:
    """A line drawn word by word, each from its mask: most words of a title are in other titles,
    and authors' names come back in other pairs. The same pixels as ``canvas.text`` draws where
    kerning does not cross a space and the advances are whole pixels, as a hinted font's are
    (Inter's); else a word may move by half a pixel. ``anchor`` is left and a line of the font."""
    x, space = xy[0], _length(font, " ")
    for word in line.split(" "):
        _write(image, (round(x), xy[1]), word, font, fill, anchor)
        x += _length(font, word) + space


@lru_cache(maxsize=4096)
def _mask(font: ImageFont.FreeTypeFont, text: str, anchor: str) -> tuple[Image.Image, tuple[int, int]]:
    left, top, right, bottom = font.getbbox(text, anchor=anchor)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor=anchor)
    return mask, (left, top)


def fit(text: str, font_path: str, width: int, *, sizes: tuple[int, ...], max_lines: int):
    """The largest of ``sizes`` at which ``text`` fits in ``max_lines`` lines; cut with … at the smallest."""
    for size in sizes:
        font = _font(font_path, size)
        lines = wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    kept = lines[:max_lines]
    kept[-1] = ellipsize(kept[-1] + " " + " ".join(lines[max_lines:]), font, width)
    return font, kept


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``; a word too long for a line is cut.

    A line's width is the sum of its words' and spaces' (kerning does not cross a space):
    each word is measured once, and the same words come back title after title.
    """
    lines: list[str] = []
    line, used = "", 0.0
    space = _length(font, " ")
    for word in text.split():
        size = _length(font, word)
        if line and used + space + size <= width:
            line, used = f"{line} {word}", used + space + size
            continue
        if line:
            lines.append(line)
        while size > width:
            cut = len(word)
            while cut > 1 and _length(font, word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            size = _length(font, word)
        line, used = word, size
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=65536)
def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


def ellipsize(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if _length(font, text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return _font_file(path, size, os.stat(path).st_mtime_ns)


# Kept by the file's stamp too: livereload draws again in the same process after a font is replaced.
@lru_cache(maxsize=64)
def _font_file(path: str, size: int, _stamp: int) -> ImageFont.FreeTypeFont:
    # Pillow's basic layout: kerning without complex shaping, which French and English titles do
    # not need, and ten times quicker to measure with than Raqm's.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=32)
def _disc(size: int) -> Image.Image:
    """A round mask, smooth at its edge (drawn four times larger, then reduced)."""
    big = Image.new("L", (size * 4, size * 4))
    ImageDraw.Draw(big).ellipse((0, 0, size * 4 - 1, size * 4 - 1), fill=255)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def _logo(path: str, size: int) -> Image.Image:
    return _logo_file(path, size, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=4)
def _logo_file(path: str, size: int, _stamp: int) -> Image.Image:
    with Image.open(path) as logo:
        return logo.convert("RGBA").resize((size, size), Image.Resampling.LANCZOS)
