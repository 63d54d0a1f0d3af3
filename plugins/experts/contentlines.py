"""Content lines, as iCalendar (RFC 5545, section 3.1) and vCard (RFC 6350, section 3.2) write them.

Both formats are lines of ``NAME;PARAM=value:value`` ended by CRLF, folded
when longer than 75 octets (the rest on lines starting with one space), with
``\\``, ``;``, ``,`` and line breaks escaped in text values.
"""

from __future__ import annotations

LIMIT = 75
"""Octets on a line, CRLF not counted."""


def text(value: str) -> str:
    """A TEXT value escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def line(name: str, content: str, /, **params: str) -> str:
    """``name``, its parameters (``_`` in a keyword is ``-`` in the name), ``content`` as it is: folded."""
    head = name
    for key, param in params.items():
        quoted = f'"{param}"' if any(c in param for c in ":;,") else param
        head += f";{key.replace('_', '-').upper()}={quoted}"
    return fold(f"{head}:{content}")


def fold(content: str) -> str:
    """``content`` cut into lines of at most 75 octets, never inside a UTF-8 character."""
    data = content.encode("utf-8")
    if len(data) <= LIMIT:
        return content
    parts, start, room = [], 0, LIMIT
    while start < len(data):
        end = min(start + room, len(data))
        while (
            end < len(data) and (data[end] & 0xC0) == 0x80
        ):  # a continuation byte: back to the character's start
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, room = end, LIMIT - 1  # the space that starts a continued line counts
    return "\r\n ".join(parts)


def document(lines: list[str]) -> str:
    return "\r\n".join(lines) + "\r\n"
