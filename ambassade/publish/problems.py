"""What stops a publish, said so that someone can act on it.

A problem in the built site or in the settings names its place and says what
is wrong and what was expected, in the format of every ambassade message:

    brouillons/x/index.html: a draft is in the production build — drafts stay out of production

Every problem is collected before the publish stops, so one run lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place."""

    path: str
    """The file of the site (relative to its root), the settings file, or the destination."""
    what: str
    """What is wrong."""
    expected: str = ""
    """What was expected instead, or how to fix it."""

    def text(self) -> str:
        fix = f" — {self.expected}" if self.expected else ""
        return f"{self.path}: {self.what}{fix}"


class PublishError(Exception):
    """The publish (or rollback) stopped; the message says why and what is live now."""


class ProblemsFound(PublishError):
    """Something was checked and failed: carries every problem, not only the first."""

    def __init__(self, problems: Iterable[Problem], subject: str):
        self.problems = sorted(set(problems))
        self.subject = subject
        """What was checked: "the site", "the settings"."""
        super().__init__("\n".join(p.text() for p in self.problems))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
