"""Template filters of the expert pages that need the page's language."""

from __future__ import annotations

from jinja2 import pass_context

from ambassade import languages
from ambassade.languages import page_lang


@pass_context
def language_name(ctx, code: str) -> str:
    """A language's name in the page's language: "anglais" on a French page."""
    return languages.language_name(code, page_lang(ctx))
