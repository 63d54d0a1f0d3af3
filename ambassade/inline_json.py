"""JSON written inside a page (a ``<script type="application/ld+json">`` block): inert whatever it holds.

Inside a ``<script>`` element the HTML parser looks for ``</script>`` and, before
it, treats ``<!--`` and ``<script`` specially (the "script data escaped"
states): a name like ``A<!--<script>B`` keeps the element open to the end of
the page, and the page's body disappears. Escaping ``<``, ``>`` and ``&`` as
``\\u003c``… leaves the parser nothing to see (JSON reads them back
unchanged), and U+2028 and U+2029 are escaped too, for the JavaScript
parsers that treat them as line ends. Every inline JSON of the site is
written by :func:`dumps`.
"""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def dumps(data: Any) -> str:
    """``data`` as JSON that is safe to write between ``<script>`` and ``</script>``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # Looked for one by one rather than through str.translate, which looks each character up
    # in a table: 70 µs for a profile's JSON-LD, 1 s of a cold build's 9,394 pages.
    for char, escaped in _ESCAPES.items():
        if char in text:
            text = text.replace(char, escaped)
    return text
