"""Run every content rule over a site's sources, without building it.

This is what ``invoke check`` prints and what the build runs first: the
profiles against ``experts/schema.json``, then every article and page.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from ambassade import diagnostics, git
from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _, ngettext
from ambassade.profiles import load_profiles, profile_files
from ambassade.share import SharingSettings
from ambassade.site import experts_path, social_path, vocabulary
from ambassade.snapshots import snapshot_findings
from ambassade.topics import Vocabulary

from . import frontmatter, html, paths, redirects, sharing
from .context import Context
from .frontmatter import Document
from .items import campaign_findings
from .registry import ARTICLE_RULES, PAGE_RULES, PROFILE_RULES, SHARE_ITEM_RULES, run_rules

FORMATS = {
    "text": diagnostics.format_text,
    "github": diagnostics.format_github,
    "json": diagnostics.format_json,
}


@dataclass
class Checked:
    """A site's sources as the rules saw them: what the review report shows of each file."""

    root: Path
    """Findings' paths are relative to it: the folder holding content/ and experts/."""
    context: Context
    findings: list[Finding] = field(default_factory=list)
    articles: dict[Path, Document] = field(default_factory=dict)
    """Every article, by resolved path."""
    pages: dict[Path, Document] = field(default_factory=dict)
    items: dict[Path, Document] = field(default_factory=dict)
    """Every share item (content/shares/), by resolved path."""

    memo: Memo | None = None
    """What a later check of the same site, with only some files' text changed, can reuse."""

    def findings_for(self, path: Path) -> list[Finding]:
        shown = display_path(path, self.root)
        return [f for f in self.findings if f.path == shown]


@dataclass
class Memo:
    """One check's findings by file, with the files each one's rules read."""

    known_authors: set[str]
    profiles: list[Finding]
    """The findings of the profiles and of the site's folders (links out, static files, snapshots)."""
    sources: list[tuple[list[Path], list]]
    """Each kind of document (articles, pages): its files, its rules."""
    documents: dict[Path, tuple[frozenset[Path], list[Finding]]]
    campaigns: list[Finding] = field(default_factory=list)
    """The campaigns file's findings."""
    said: dict[Path, list[sharing.Said]] = field(default_factory=dict)
    """Each file's share texts, which the near-duplicate rule compares across files."""
    claims: dict[Path, tuple[str, list[paths.Claim], paths.Identity | None]] = field(default_factory=dict)
    """The pages of the output each document is written to (two on one page is an error), and what
    Pelican groups its translations by."""


def _sources(content: Path, subpaths: list[str], exclude: list[str], ctx: Context) -> list[Path]:
    excluded = [ctx.resolved(content / e) for e in exclude]
    files = set()
    for sub in subpaths:
        for path in (content / sub).rglob("*.md"):
            # A file's folder resolved once for all its files: resolving each path cost more than the rest.
            resolved = ctx.resolved(path) if path.is_symlink() else ctx.resolved(path.parent) / path.name
            if not any(resolved.is_relative_to(e) for e in excluded):
                files.add(path)
    return sorted(files)


@dataclass(frozen=True)
class Sources:
    """How many sources of each kind a site has: what the build's first line counts."""

    articles: int
    pages: int
    profiles: int


def count_sources(settings: dict) -> Sources:
    """The articles, pages and profiles the rules check, counted without reading them."""
    content = Path(settings["PATH"])
    ctx = Context(known_authors=set(), settings=settings)
    return Sources(
        len(_sources(content, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"], ctx)),
        len(_sources(content, settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"], ctx)),
        len(profile_files(experts_dir(settings))),
    )


def experts_dir(settings: dict) -> Path:
    return experts_path(settings)


def site_root(settings: dict) -> Path:
    """The folder holding both content/ and experts/, from which paths are shown."""
    content = Path(settings["PATH"])
    return Path(os.path.commonpath([content.resolve(), experts_dir(settings).resolve()]))


def check_site(settings: dict, root: Path | None = None) -> Checked:
    """Every finding for the site described by Pelican ``settings``, with the documents read."""
    experts = experts_dir(settings)
    content = Path(settings["PATH"])
    root = root or site_root(settings)
    topics, topic_findings = vocabulary(settings, root)
    profiles = profile_files(experts)
    ctx = _context(settings, root, {p.stem for p in profiles}, topics)
    checked = Checked(root, ctx)
    findings = _profile_findings(settings, root, ctx, profiles) + topic_findings
    memo = Memo(ctx.known_authors, list(findings), [], {}, campaign_findings(ctx))
    findings.extend(memo.campaigns)
    for subpaths, excludes, rules, docs in (
        (settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"], ARTICLE_RULES, checked.articles),
        (settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"], PAGE_RULES, checked.pages),
        ([SharingSettings.of(settings).items_path], [], SHARE_ITEM_RULES, checked.items),
    ):
        files = _sources(content, subpaths, excludes, ctx)
        memo.sources.append((files, rules))
        for path in files:
            doc = frontmatter.read(path)
            docs[ctx.resolved(path)] = doc
            findings.extend(_checked(doc, ctx, rules, memo))
    findings.extend(_across(memo, ctx))
    findings += _site_wide(memo, settings)
    checked.findings = sorted(findings)
    checked.memo = memo
    return checked


def _site_wide(memo: Memo, settings: dict) -> list[Finding]:
    """What no file shows alone: two files on one page (or on the site's own), a translation
    without its original."""
    claimed = [(shown, claim) for shown, claims, _ident in memo.claims.values() for claim in claims]
    identities = [(shown, ident) for shown, _claims, ident in memo.claims.values() if ident is not None]
    return paths.collisions(claimed, settings) + paths.orphan_translations(identities)


def _guarded(path: Path, root: Path | None, rules) -> list[Finding]:
    """``rules()``, or one finding naming the file when a rule stopped on it: never a traceback,
    and never another file blamed."""
    try:
        return list(rules())
    except Exception as exc:  # noqa: BLE001 - whatever stopped, the file is named
        return [
            Finding(
                display_path(path, root),
                1,
                1,
                "check-stopped",
                _("the rules stopped on this file: %(error)s", error=f"{type(exc).__name__}: {exc}"[:200]),
                _("fix what the message names; if it names nothing of the file, tell the maintainers"),
            )
        ]


def _profile_findings(settings: dict, root: Path, ctx: Context, profiles: list[Path]) -> list[Finding]:
    """Every profile checked against the schema and the profile rules, and the site's folders
    (links out of them, other sources, the snapshots of those profiles)."""
    content = Path(settings["PATH"])
    _, findings = load_profiles(experts_dir(settings), default_lang=settings["DEFAULT_LANG"], root=root)
    for path in profiles:
        findings.extend(
            _guarded(path, root, lambda path=path: [f for r in PROFILE_RULES for f in r(path, ctx)])
        )
    findings += paths.folder_findings(settings, root)
    findings += html.other_sources(content, [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]], root)
    findings += snapshot_findings(social_path(settings), [p.stem for p in profiles], root)
    return sorted(findings)


def _context(settings: dict, root: Path, known_authors: set[str], topics: Vocabulary | None) -> Context:
    return Context(
        known_authors=known_authors,
        languages=tuple(settings.get("LANGUAGES", (settings["DEFAULT_LANG"],))),
        root=root,
        settings=settings,
        vocabulary=topics,
    )


def _checked(doc: Document, ctx: Context, rules: list, memo: Memo) -> list[Finding]:
    """The rules' findings for ``doc``, noted in ``memo`` with the files they read."""
    shown = ctx.where(doc)
    if doc.problems:  # not read whole: its rules would only report what is not there
        found = [replace(p, path=shown) for p in doc.problems]
        memo.documents[ctx.resolved(doc.path)] = (frozenset(), found)
        memo.claims.pop(ctx.resolved(doc.path), None)
        return found
    ctx.reads = set()
    try:
        found = _guarded(doc.path, ctx.root, lambda: run_rules(doc, ctx, rules))
    finally:
        reads, ctx.reads = ctx.reads, None
    key = ctx.resolved(doc.path)
    memo.documents[key] = (frozenset(reads), found)
    # Equal, not the same list: a memo may come back pickled from the process that checked (speed).
    kind = {id(ARTICLE_RULES): "article", id(PAGE_RULES): "page", id(SHARE_ITEM_RULES): "item"}.get(
        id(rules)
    ) or (
        "article"
        if list(rules) == list(ARTICLE_RULES)
        else "page"
        if list(rules) == list(PAGE_RULES)
        else "item"
    )
    if kind != "page":
        memo.said[key] = sharing.said(doc, ctx)
    if kind == "item":  # a share item is not a page of the site: it claims no URL
        return found
    claimed = _guarded(doc.path, ctx.root, lambda: paths.claims(doc, ctx, kind))
    try:
        ident = paths.identity(doc, ctx, kind)
    except (ValueError, KeyError, AttributeError, TypeError):
        ident = None
    memo.claims[key] = (shown, [c for c in claimed if isinstance(c, paths.Claim)], ident)
    return found


def _across(memo: Memo, ctx: Context) -> list[Finding]:
    """The rules that compare files with each other, run once over the site."""
    ordered = [
        memo.said[ctx.resolved(p)]
        for files, _rules in memo.sources
        for p in files
        if ctx.resolved(p) in memo.said
    ]
    return sharing.near_duplicates(ordered, ctx.charter.share_similarity)


def check_again(
    settings: dict, memo: Memo, changed: set[Path], root: Path | None = None
) -> tuple[list[Finding], Memo]:
    """The findings of a site checked as ``memo`` says, of which only the text of ``changed`` files changed.

    The caller knows nothing else changed (no file added or removed, the same
    settings: speed/quick.py). The files changed, and those whose rules read one
    of them (a link to its headings), are checked again; the profiles, when one
    of them changed (their slugs, all an article's rules know of them, did not).
    """
    root = root or site_root(settings)
    ctx = _context(settings, root, memo.known_authors, vocabulary(settings, root)[0])
    experts = experts_dir(settings).resolve()
    profiles = memo.profiles
    if any(path.parent == experts for path in changed):
        profiles = _profile_findings(settings, root, ctx, profile_files(experts_dir(settings)))
        profiles += vocabulary(settings, root)[1]
    again = Memo(
        memo.known_authors,
        profiles,
        memo.sources,
        dict(memo.documents),
        memo.campaigns,
        dict(memo.said),
        dict(memo.claims),
    )
    findings = list(profiles) + list(memo.campaigns)
    for files, rules in memo.sources:
        for path in files:
            key = ctx.resolved(path)
            reads, found = memo.documents.get(key, (None, None))
            if reads is None or key in changed or reads & changed:
                found = _checked(frontmatter.read(path), ctx, rules, again)
            findings.extend(found)
    findings.extend(_across(again, ctx))
    findings += _site_wide(again, settings)
    return sorted(findings), again


def run(settings: dict, root: Path | None = None) -> list[Finding]:
    """Every finding for the site described by Pelican ``settings``."""
    return check_site(settings, root).findings


def against_base(checked: Checked, settings: dict, base: str) -> list[Finding]:
    """What the branch does to published addresses since it left ``base``: nothing when git cannot say."""
    changes = git.changed_files(checked.root, base)
    documents = [*checked.articles.values(), *checked.pages.values()]
    return redirects.vanished(redirects.moves(changes, checked.context, documents, settings), checked.root)


def main(
    settings: dict,
    *,
    root: Path | None = None,
    format: str = "text",
    base: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """``invoke check``: print every finding in ``format``; the exit status is 1 on any error.

    With ``base`` (a branch), published addresses the working tree takes away
    without a redirect are findings too.
    """
    out, err = out or sys.stdout, err or sys.stderr
    formatter = FORMATS.get(format)
    if formatter is None:
        print(
            _("unknown format '%(format)s': expected %(formats)s", format=format, formats=", ".join(FORMATS)),
            file=err,
        )
        return 2
    checked = check_site(settings, root)
    findings = checked.findings
    if base:
        findings = sorted([*findings, *against_base(checked, settings, base)])
    if findings or format == "json":
        print(formatter(findings), file=out, flush=True)
    if format == "text":
        print(
            _(
                "check: %(summary)s in %(articles)s, %(pages)s and %(profiles)s",
                summary=diagnostics.summary(findings),
                articles=ngettext("%(num)s article", "%(num)s articles", len(checked.articles)),
                pages=ngettext("%(num)s page", "%(num)s pages", len(checked.pages)),
                profiles=ngettext("%(num)s profile", "%(num)s profiles", len(checked.memo.known_authors)),
            ),
            file=err,
        )
    return 1 if diagnostics.errors(findings) else 0
