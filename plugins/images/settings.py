"""The ``IMAGES`` settings: how profile photos are served and how link-preview cards look."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class ImagesSettings(Section):
    NAME: ClassVar[str] = "IMAGES"

    photo_widths: tuple[int, ...] = default(
        (96, 192, 320), doc="widths a profile photo is served in (WebP), for the browser to pick from"
    )
    photo_fallback_width: int = default(
        320, min=32, doc="width of the JPEG served to browsers without WebP, and of the photo in the vCard"
    )
    photo_quality: int = default(80, min=30, max=100, doc="quality of the photos re-encoded (WebP and JPEG)")
    photo_save_as: str = default(
        "experts/{slug}/photo-{width}.{ext}", doc="where each width of a profile photo is written"
    )
    cards: bool = default(True, doc="draw a link-preview card (og:image) for every article and expert page")
    card_background: str = default("#1f4e8c", doc="the cards' background colour")
    card_text: str = default("#ffffff", doc="the colour of the cards' text")
    card_accent: str = default("#f2b84b", doc="the colour of the line under the cards' heading")
    card_fonts: tuple[str, str] = default(
        ("cards/Inter-Regular.ttf", "cards/Inter-Bold.ttf"),
        doc="the regular and bold fonts of the cards (TrueType or OpenType), relative to the theme's folder",
    )
    card_logo: str = default(
        "cards/logo.png", doc="a square PNG drawn on every card, relative to the theme's folder; '' for none"
    )
    workers: int = default(0, min=0, doc="processes that draw cards and re-encode photos; 0: one per core")

    def problems(self) -> list[Problem]:
        out = [
            Problem(
                (name,),
                _("is %(value)r", value=getattr(self, name)),
                _("a colour written #rrggbb, e.g. '#1f4e8c'"),
            )
            for name in ("card_background", "card_text", "card_accent")
            if not _COLOUR.match(getattr(self, name))
        ]
        if not self.photo_widths or any(w < 32 or w > 2000 for w in self.photo_widths):
            out.append(
                Problem(
                    ("photo_widths",),
                    _("is %(value)r", value=self.photo_widths),
                    _("one or more widths between 32 and 2000 pixels"),
                )
            )
        if "{slug}" not in self.photo_save_as or "{width}" not in self.photo_save_as:
            out.append(
                Problem(
                    ("photo_save_as",),
                    _("is %(value)r", value=self.photo_save_as),
                    _("a path with {slug}, {width} and {ext}"),
                )
            )
        return out
