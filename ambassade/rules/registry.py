"""Content rules for articles, pages and profiles: the registry, the single list of them.

``invoke check`` runs them on pull requests and the build runs them before
Pelican, so a change that passes one passes the other. Each rule is a function
``(doc, ctx) -> findings`` registered in :data:`ARTICLE_RULES` or
:data:`PAGE_RULES`, or ``(path, ctx) -> findings`` in :data:`PROFILE_RULES`.
Adding a rule means writing it in the module of its kind (metadata, links,
sharing, charter) and adding it here, nothing else.

Rule ids, by module:

- metadata: ``article-title``, ``article-date``, ``article-author``, ``article-lang``,
  ``article-status``, ``article-summary``, ``article-tags``, ``article-duplicate``,
  ``article-placeholder`` (warning); ``profile-placeholder`` (warning), the only
  profile rule here: experts/schema.json is the profiles' rules
- links: ``image-alt``, ``image-external``, ``image-path``, ``image-missing``,
  ``link-missing``, ``link-anchor``, ``link-filename``, ``link-draft`` (warning)
- sharing: ``share-network``, ``share-text``, ``share-too-long``
- charter: ``charter-forbidden-term``, ``charter-confidential``,
  ``charter-title-length`` (warning); the charter's ``require_summary`` drives
  ``article-summary``
- redirects: ``redirect-from``; ``redirect-missing`` is not a rule of one file
  but of a branch against its base (``invoke check --base``)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ambassade.diagnostics import Finding

from . import charter, links, metadata, redirects, sharing
from .context import Context
from .frontmatter import Document
from .metadata import STATUSES, parse_iso_date

__all__ = [
    "ARTICLE_RULES",
    "PAGE_RULES",
    "PROFILE_RULES",
    "STATUSES",
    "Context",
    "Rule",
    "parse_iso_date",
    "run_rules",
]

Rule = Callable[[Document, Context], Iterable[Finding]]
ProfileRule = Callable[[Path, Context], Iterable[Finding]]
"""A rule on a profile's file; the schema (experts/schema.json, run by the experts plugin) comes first."""

ARTICLE_RULES: list[Rule] = [
    metadata.title_present,
    metadata.date_valid,
    metadata.authors_known,
    metadata.lang_known,
    metadata.status_known,
    metadata.summary_present,
    metadata.tags_present,
    metadata.fields_once,
    metadata.no_placeholder,
    links.images_valid,
    links.links_resolve,
    sharing.texts_valid,
    sharing.texts_fit,
    charter.forbidden_terms,
    charter.confidential_markers,
    charter.title_length,
    redirects.redirects_valid,
]
PAGE_RULES: list[Rule] = [
    metadata.title_present,
    metadata.lang_known,
    metadata.status_known,
    metadata.fields_once,
    links.images_valid,
    links.links_resolve,
    charter.forbidden_terms,
    charter.confidential_markers,
    charter.title_length,
    redirects.redirects_valid,
]

PROFILE_RULES: list[ProfileRule] = [metadata.profile_placeholder]


def run_rules(doc: Document, ctx: Context, rules: list[Rule]) -> list[Finding]:
    ctx.remember(doc)
    return [finding for rule in rules for finding in rule(doc, ctx)]
