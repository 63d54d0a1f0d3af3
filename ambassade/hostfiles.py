"""The host files as a host reads them: ``_headers`` and ``_redirects`` (Netlify, Cloudflare Pages).

The build writes them beside the site (:data:`ambassade.output.HOST_FILES`);
``invoke serve`` and the browser tests answer with what they say, so that a
wrong file shows before a visitor meets it.
"""

from __future__ import annotations

from pathlib import Path

Rules = list[tuple[str, dict[str, str]]]


def read_headers_file(text: str) -> Rules:
    """``_headers``: (path pattern, headers), in order."""
    rules: Rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def read_redirects_file(text: str) -> dict[str, str]:
    """``_redirects``: old path → new path (the lines ``old new 301``)."""
    moves = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#"):
            moves[parts[0]] = parts[1]
    return moves


def headers_for(path: str, rules: Rules, fallback: dict[str, str]) -> dict[str, str]:
    """The headers of a response to ``path``: every matching rule's, in order; ``fallback`` without rules."""
    if not rules:
        return dict(fallback)
    out: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern == "/*" or (pattern.endswith("/*") and path.startswith(pattern[:-1])) or pattern == path:
            out.update(headers)
    return out


def read(folder: Path | None, name: str) -> str:
    """The host file ``name`` of ``folder``, or nothing (no folder, not written yet)."""
    try:
        return (folder / name).read_text(encoding="utf-8") if folder else ""
    except OSError:
        return ""
