"""Markdown's inline patterns, tried only on text that holds what each one needs.

Python-Markdown tries each inline pattern (fifteen with the extensions Pelican
sites use) on each piece of text, one method call per pattern and piece, and
most find nothing: a link needs a ``[``, an entity a ``&``. A pattern whose
regular expression cannot match without one of a few strings is skipped when
the text holds none of them from where the search starts: exactly what the
search would have found, so the same tree (tests/test_speed.py converts both
ways), for a quarter less time per conversion.

The strings are known by the pattern's expression itself, written as in
Markdown's own source; an expression not listed (another version of Markdown,
an extension from elsewhere) is always tried. The processor that skips is in
compat.py: it replaces a private method of Markdown's.
"""

from __future__ import annotations

from markdown import Markdown, inlinepatterns

from . import compat

# A regular expression's source -> strings one of which every match contains
# at or after its start (a lookbehind looks before it, and is not counted).
NEEDS: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # backtick
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote
    r"(?<!\!)\[": ("[",),  # reference, link, short_reference
    r"\!\[": ("![",),  # image_link, image_reference, short_image_ref
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+"""
    r"""\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]"""
    r"""|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""": ("<",),  # html
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # em_strong
}


def needs(pattern) -> tuple[str, ...] | None:
    """What ``pattern`` needs in a text to match it, or None when it must always be tried."""
    # Only new-style patterns search from an index (older ones match a slice).
    if isinstance(pattern, inlinepatterns.InlineProcessor):
        return NEEDS.get(pattern.compiled_re.pattern)
    return None


def install(md: Markdown) -> Markdown:
    """Use the triggered processor in ``md`` when its inline processor is Markdown's own (compat.py)."""
    return compat.triggered_inline(md, needs)
