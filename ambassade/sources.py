"""Reading a contributor's file: bounded in size and structure, every problem a finding at its place.

Anyone who can open a pull request writes these files, and ``check`` runs on
every pull request: no file may make it run for long, use much memory or
stop with a traceback. A file is refused, with a finding, when it is larger
than its kind's limit, when it is not UTF-8 (a byte-order mark is allowed
and ignored), and, for YAML, when it uses anchors and aliases (``&a``,
``*a``: a few lines of them expand into millions of values) or nests deeper
than any profile needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .diagnostics import Finding
from .i18n import _, number


@dataclass(frozen=True)
class Limit:
    """How large a kind of source may be."""

    max_bytes: int
    expected: Callable[[str], str]
    """What is expected, in the tools' language, given the limit written as a number."""


PROFILE = Limit(100_000, lambda limit: _("a profile of at most %(limit)s bytes", limit=limit))
"""A profile is a couple of kilobytes; a long biography in two languages, twenty."""
DOCUMENT = Limit(1_000_000, lambda limit: _("an article or a page of at most %(limit)s bytes", limit=limit))
"""A long article is fifty kilobytes of Markdown."""
SNAPSHOT = Limit(8_000_000, lambda limit: _("a snapshot of at most %(limit)s bytes", limit=limit))
"""A snapshot holds a few hundred posts at most (``SOCIAL["posts_per_expert"]``)."""
STATIC = Limit(50_000_000, lambda limit: _("an image or a medium of at most %(limit)s bytes", limit=limit))
"""Every visitor downloads it: a short local video fits, a film does not."""

#: Mappings and lists inside mappings and lists: a profile needs four (bio → language → text).
MAX_YAML_DEPTH = 12
#: Scalars, keys and collections of a YAML file: a full profile has a few hundred.
MAX_YAML_NODES = 20_000

RULE_SIZE = "source-size"
RULE_ENCODING = "source-encoding"
RULE_YAML = "source-yaml"


def read_text(path: Path, shown: str, limit: Limit) -> tuple[str | None, list[Finding]]:
    """The text of ``path`` (UTF-8, a byte-order mark dropped), or None and why not."""
    try:
        size = path.stat().st_size
        if size > limit.max_bytes:
            return None, [too_large(shown, limit, size)]
        data = path.read_bytes()
    except OSError as exc:
        return None, [unreadable(shown, exc)]
    if len(data) > limit.max_bytes:  # grown since the stat
        return None, [too_large(shown, limit, len(data))]
    return decode(data, shown)


def decode(data: bytes, shown: str) -> tuple[str | None, list[Finding]]:
    """``data`` as UTF-8 text (a byte-order mark dropped), or None and where the first bad byte is."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            Finding(
                shown,
                line,
                col,
                RULE_ENCODING,
                _("the file is not UTF-8 text (byte 0x%(byte)02x)", byte=data[exc.start]),
                _("save the file as UTF-8 (every editor offers it)"),
            )
        ]


def too_large(shown: str, limit: Limit, size: int) -> Finding:
    return Finding(
        shown,
        1,
        1,
        RULE_SIZE,
        _("the file is %(size)s bytes long", size=number(size)),
        limit.expected(number(limit.max_bytes)),
    )


def unreadable(shown: str, exc: OSError) -> Finding:
    return Finding(
        shown,
        1,
        1,
        RULE_ENCODING,
        _("the file cannot be read: %(reason)s", reason=exc.strerror or str(exc)),
        _("a readable file"),
    )


_OPENING = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)
_FLOW_OPENING = (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_bounds(text: str, shown: str) -> list[Finding]:
    """Anchors, aliases, and nesting or size past the bounds, found by scanning ``text``'s tokens.

    Scanning is linear in the text, and runs before anything is composed: an
    alias is refused before it can be expanded. A syntax error is left to the
    parser, which says it better.
    """
    depth = nodes = 0
    # An indentless sequence (a list under a key, not indented) ends with the key's BlockEnd.
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                return [
                    _yaml_finding(
                        shown,
                        token,
                        _("anchors and aliases (&name, *name) are not allowed"),
                        _("write each value out where it is used"),
                    )
                ]
            if isinstance(token, _OPENING + _FLOW_OPENING):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return [
                        _yaml_finding(
                            shown,
                            token,
                            _("the values are nested %(depth)s levels deep", depth=depth),
                            _("at most %(max)s levels, as in the scaffold", max=MAX_YAML_DEPTH),
                        )
                    ]
            elif isinstance(token, _CLOSING):
                depth = max(0, depth - 1)
            elif isinstance(token, yaml.ScalarToken):
                nodes += 1
                if nodes > MAX_YAML_NODES:
                    return [
                        _yaml_finding(
                            shown,
                            token,
                            _("the file holds more than %(max)s values", max=number(MAX_YAML_NODES)),
                            _("a file of a few hundred values at most"),
                        )
                    ]
    except yaml.YAMLError:
        return []
    return []


def _yaml_finding(shown: str, token: yaml.Token, message: str, expected: str) -> Finding:
    mark = token.start_mark
    return Finding(shown, mark.line + 1, mark.column + 1, RULE_YAML, message, expected)
