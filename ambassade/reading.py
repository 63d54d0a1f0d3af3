"""How long a text takes to read: the article's page and the review report say the same."""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 230
"""An adult's silent reading speed for non-fiction, in words per minute."""

_TAG = re.compile(r"<[^>]*>")


def minutes(words: int) -> int:
    """Whole minutes to read ``words`` words: at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def words_of_html(html: str) -> int:
    """The words a reader sees in ``html`` (tags left out)."""
    return len(_TAG.sub(" ", html).split())
