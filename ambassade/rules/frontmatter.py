"""Read the metadata header of a Markdown file, remembering where each value is.

Pelican's Markdown reader gets its metadata from the ``Key: value`` lines that
open the file, up to the first blank line (the Markdown "meta" syntax, where a
line indented by four spaces continues the previous value). Pelican throws the
positions away; rules need them to point a contributor at the line to fix.

A key may repeat (``Share:`` lines do): :meth:`Document.all` gives every value
in order, :meth:`Document.get` the last one. Pelican's reader keeps a repeated
key as a list, and splits a continuation line into a value of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ambassade import sources
from ambassade.diagnostics import Finding

KEY_RE = re.compile(r"^ {0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")  # as the meta extension reads it
CONTINUATION_RE = re.compile(r"^ {4,}(?P<value>.*)$")


@dataclass(frozen=True)
class Field:
    value: str
    line: int
    col: int
    """Column where the value starts (1-based)."""
    lines: int = 1
    """How many lines the value spans (continuation lines included)."""


@dataclass(frozen=True)
class Document:
    path: Path
    fields: dict[str, Field]
    """Metadata by lower-cased key; the last value of a repeated key."""
    body: str
    body_line: int
    """Line number of the body's first line."""
    header_end: int
    """Line number just after the header, where a missing field would go."""
    entries: tuple[tuple[str, Field], ...] = ()
    """Every ``(lower-cased key, value)`` of the header, repeated keys included, in order."""
    source: str = ""
    """The whole file, for rules that look at every line (the charter's)."""
    problems: tuple[Finding, ...] = ()
    """Why the file could not be read whole (too large, not UTF-8): findings without a path yet."""

    def get(self, key: str) -> Field | None:
        return self.fields.get(key.lower())

    def all(self, key: str) -> list[Field]:
        """Every value given for ``key``, in the order of the file."""
        key = key.lower()
        return [field for k, field in self.entries if k == key]

    def value(self, key: str, default: str = "") -> str:
        field = self.get(key)
        return field.value if field else default


def read(path: Path) -> Document:
    """The file at ``path``; one that cannot be read whole is read as empty, and says why in ``problems``."""
    text, problems = sources.read_text(path, "", sources.DOCUMENT)
    if text is None:
        # Not UTF-8: read what can be (the rules of a file linking to it still work), the problem kept.
        try:
            data = path.read_bytes() if not any(p.rule == sources.RULE_SIZE for p in problems) else b""
        except OSError:
            data = b""
        text = data.decode("utf-8-sig", "replace")
    doc = parse(path, text)
    return replace(doc, problems=tuple(problems)) if problems else doc


def parse(path: Path, text: str) -> Document:
    lines = text.split("\n")
    entries: list[tuple[str, Field]] = []
    n = 0
    if lines and lines[0].strip() == "---":  # the meta extension allows a YAML-style fence
        n = 1
    while n < len(lines):
        line = lines[n]
        if not line.strip():
            break
        if line.strip() in ("---", "...") and entries:
            n += 1
            break
        match = KEY_RE.match(line)
        cont = CONTINUATION_RE.match(line)
        if cont and entries:
            key, prev = entries[-1]
            value = f"{prev.value} {cont['value'].strip()}".strip()
            entries[-1] = (key, Field(value, prev.line, prev.col, prev.lines + 1))
        elif match:
            field = Field(match["value"].strip(), n + 1, match.start("value") + 1)
            entries.append((match["key"].lower(), field))
        else:
            break  # not a header line: Markdown treats the rest as body
        n += 1
    body_start = n + 1 if n < len(lines) and not lines[n].strip() else n
    return Document(
        path, dict(entries), "\n".join(lines[body_start:]), body_start + 1, n + 1, tuple(entries), text
    )


def split_list(field: Field) -> list[tuple[str, int]]:
    """Comma-separated values with the column of each, as Pelican splits Authors and Tags."""
    items = []
    offset = 0
    for raw in field.value.split(","):
        stripped = raw.strip()
        if stripped:
            items.append((stripped, field.col + offset + (len(raw) - len(raw.lstrip()))))
        offset += len(raw) + 1
    return items
