"""The ``REVIEW`` settings: the review report comms reads in the preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ambassade.settings import Section, default


@dataclass(frozen=True)
class ReviewSettings(Section):
    NAME: ClassVar[str] = "REVIEW"

    report: bool = default(
        False,
        doc="write the review report at /review/ (only in a build with PREVIEW, "
        "since it lists drafts); `invoke preview` turns it on",
    )
    base: str = default(
        "main",
        doc="the git branch the report compares with (origin/<base> when there is "
        "no local branch of that name, as in a pull request's CI)",
    )
