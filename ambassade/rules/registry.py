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
  ``link-missing``, ``link-anchor``, ``link-filename``, ``link-draft``,
  ``link-scheduled`` (what a published page links to must be live when it is: ambassade.publication)
- sharing: ``share-network``, ``share-text``, ``share-too-long``, ``share-disclosure``,
  ``share-duplicate`` (warning; compares every file's texts, so ``check`` runs it
  once over the site: :func:`sharing.near_duplicates`)
- items (share items, ``content/shares/*.md``, and campaigns): ``share-url``,
  ``share-date``, ``share-campaign``, ``share-code``, ``campaign``
- topics: ``article-topic``, ``profile-topic`` (the vocabulary's own problems are
  ``topics-*``: ambassade/topics.py)
- charter: ``charter-forbidden-term``, ``charter-confidential``,
  ``charter-title-length`` (warning); the charter's ``require_summary`` drives
  ``article-summary``
- html: ``html-policy`` (the HTML a body, a summary or a biography may hold:
  ambassade/html_policy.py), ``content-format`` (a source that is not Markdown)
- paths: ``path-outside``, ``path-save-as``, ``path-collision``, ``static-active``
- sources (ambassade/sources.py): ``source-size``, ``source-encoding``, ``source-yaml``
- redirects: ``redirect-from``; ``redirect-missing`` is not a rule of one file
  but of a branch against its base (``invoke check --base``)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ambassade.diagnostics import Finding

from . import charter, html, items, links, metadata, paths, redirects, sharing, topics
from .context import Context
from .frontmatter import Document
from .metadata import STATUSES

__all__ = [
    "ARTICLE_RULES",
    "PAGE_RULES",
    "SHARE_ITEM_RULES",
    "PROFILE_RULES",
    "STATUSES",
    "Context",
    "Rule",
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
    topics.article_topics,
    metadata.fields_once,
    metadata.no_placeholder,
    links.images_valid,
    links.links_resolve,
    html.body_allowed,
    html.summary_allowed,
    paths.links_inside,
    paths.metadata_paths,
    sharing.texts_valid,
    sharing.texts_fit,
    sharing.texts_disclosed,
    items.campaign_known,
    charter.forbidden_terms,
    charter.confidential_markers,
    charter.title_length,
    redirects.redirects_valid,
]
SHARE_ITEM_RULES: list[Rule] = [
    metadata.title_present,
    metadata.lang_known,
    metadata.fields_once,
    items.url_valid,
    items.dates_valid,
    items.campaign_known,
    items.code_valid,
    items.has_texts,
    links.images_valid,
    links.links_resolve,
    sharing.texts_valid,
    sharing.texts_fit,
    sharing.texts_disclosed,
    charter.forbidden_terms,
    charter.confidential_markers,
    charter.title_length,
]
"""An outside page to share (``content/shares/*.md``): a title, its link, its days, its texts."""
PAGE_RULES: list[Rule] = [
    metadata.title_present,
    metadata.lang_known,
    metadata.status_known,
    metadata.fields_once,
    links.images_valid,
    links.links_resolve,
    html.body_allowed,
    paths.links_inside,
    paths.metadata_paths,
    charter.forbidden_terms,
    charter.confidential_markers,
    charter.title_length,
    redirects.redirects_valid,
]

PROFILE_RULES: list[ProfileRule] = [metadata.profile_placeholder, html.bio_allowed, topics.profile_topics]


def run_rules(doc: Document, ctx: Context, rules: list[Rule]) -> list[Finding]:
    ctx.remember(doc)
    return [finding for rule in rules for finding in rule(doc, ctx)]
