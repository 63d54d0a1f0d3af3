"""Word-level differences, as a reviewer reads them: "quatre mois" became "six mois".

Texts are compared word by word (:mod:`difflib`, whitespace kept with the
word before it), so a changed figure shows as one word struck out and one
added, not as two different paragraphs. Long unchanged stretches are cut to a
few words on each side of a change: the report shows what changed and enough
around it to recognise the sentence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup

#: A word (or a punctuation mark) and the spaces after it: the unit compared. Punctuation apart, so
#: that "Cloud" → "Cloud, FinOps" adds ", FinOps" rather than replacing "Cloud".
TOKEN_RE = re.compile(r"\w+(?:['’-]\w+)*\s*|[^\w\s]\s*|\s+")
#: Unchanged words kept on each side of a change.
CONTEXT = 8
#: Blocks whose text is read as paragraphs of their own.
BLOCKS = (
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "td",
    "th",
    "figcaption",
    "dt",
    "dd",
)


@dataclass(frozen=True)
class Segment:
    op: str
    """``same``, ``removed``, ``added``, or ``gap`` (unchanged words left out)."""
    text: str = ""


@dataclass(frozen=True)
class FieldChange:
    """One metadata or profile field that differs, with its words compared."""

    name: str
    """``title``, ``links.linkedin``…: the key as written in the file."""
    old: str | None
    """None when the field is new."""
    new: str | None
    """None when the field was removed."""
    segments: tuple[Segment, ...]


def words(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def compare(old: str, new: str, context: int = CONTEXT) -> list[Segment]:
    """``old`` to ``new`` as segments, unchanged stretches longer than ``2 × context`` words cut."""
    a, b = words(old), words(new)
    # Words are compared without the spaces after them: the last word of a paragraph is the
    # same word when a paragraph is added after it.
    matcher = difflib.SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], autojunk=False)
    out: list[Segment] = []
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            run = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            keep_before = 0 if first else context
            keep_after = 0 if last else context
            if len(run) > keep_before + keep_after + 2:
                if keep_before:
                    out.append(Segment("same", "".join(run[:keep_before])))
                out.append(Segment("gap"))
                if keep_after:
                    out.append(Segment("same", "".join(run[-keep_after:])))
            else:
                out.append(Segment("same", "".join(run)))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("added", "".join(b[j1:j2])))
    return out


def changed(segments: Iterable[Segment]) -> bool:
    return any(s.op in ("added", "removed") for s in segments)


def text_of(html: str) -> str:
    """The words a reader sees in ``html``, one paragraph a line (alt texts left out)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(BLOCKS):
        element.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """A profile's fields as ``key.sub`` → text: lists joined with commas, nested dicts by dotted keys."""
    if isinstance(data, Mapping):
        out: dict[str, str] = {}
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten(value, name))
        return out
    if isinstance(data, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in data):
            return {prefix: ", ".join(_scalar(v) for v in data)}
        out = {}
        for index, value in enumerate(data, 1):
            out.update(flatten(value, f"{prefix}.{index}"))
        return out
    return {prefix: _scalar(data)}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value).strip()


def field_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[FieldChange]:
    """Every field whose text differs between ``old`` and ``new``: ``new``'s order, then removed ones."""
    out = []
    for name in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        segments = compare(before or "", after or "", context=CONTEXT)
        out.append(FieldChange(name, before, after, tuple(segments)))
    return out


def summary(segments: Iterable[Segment], limit: int = 3) -> str:
    """The first changes as plain text, ``~~old~~ → **new**``: the pull request comment's line."""
    parts = []
    pending: list[str] = []
    for segment in segments:
        text = " ".join(segment.text.split())
        if segment.op == "removed" and text:
            pending.append(f"~~{text}~~")
        elif segment.op == "added" and text:
            pending.append(f"**{text}**")
        elif pending:
            parts.append(" → ".join(pending))
            pending = []
        if len(parts) >= limit:
            break
    if pending and len(parts) < limit:
        parts.append(" → ".join(pending))
    return " · ".join(parts)
