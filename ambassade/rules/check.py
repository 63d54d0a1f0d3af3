"""Run every content rule over a site's sources, without building it.

This is what ``invoke check`` prints and what the build runs first: the
profiles against ``experts/schema.json``, then every article and page.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ambassade import diagnostics, git
from ambassade.diagnostics import Finding, display_path
from ambassade.profiles import load_profiles, profile_files
from ambassade.site import experts_path

from . import frontmatter, redirects
from .context import Context
from .frontmatter import Document
from .registry import ARTICLE_RULES, PAGE_RULES, PROFILE_RULES, run_rules

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
    sources: list[tuple[list[Path], list]]
    """Each kind of document (articles, pages): its files, its rules."""
    documents: dict[Path, tuple[frozenset[Path], list[Finding]]]


def _sources(content: Path, subpaths: list[str], exclude: list[str], ctx: Context) -> list[Path]:
    excluded = [ctx.resolved(content / e) for e in exclude]
    files = set()
    for sub in subpaths:
        for path in (content / sub).rglob("*.md"):
            resolved = ctx.resolved(path)
            if not any(resolved.is_relative_to(e) for e in excluded):
                files.add(path)
    return sorted(files)


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
    _, findings = load_profiles(experts, default_lang=settings["DEFAULT_LANG"], root=root)
    profiles = profile_files(experts)
    ctx = _context(settings, root, {p.stem for p in profiles})
    checked = Checked(root, ctx)
    for path in profiles:
        findings.extend(f for rule in PROFILE_RULES for f in rule(path, ctx))
    memo = Memo(ctx.known_authors, sorted(findings), [], {})
    for subpaths, excludes, rules, docs in (
        (settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"], ARTICLE_RULES, checked.articles),
        (settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"], PAGE_RULES, checked.pages),
    ):
        paths = _sources(content, subpaths, excludes, ctx)
        memo.sources.append((paths, rules))
        for path in paths:
            doc = frontmatter.read(path)
            docs[ctx.resolved(path)] = doc
            findings.extend(_checked(doc, ctx, rules, memo))
    checked.findings = sorted(findings)
    checked.memo = memo
    return checked


def _context(settings: dict, root: Path, known_authors: set[str]) -> Context:
    return Context(
        known_authors=known_authors,
        languages=tuple(settings.get("LANGUAGES", (settings["DEFAULT_LANG"],))),
        root=root,
        settings=settings,
    )


def _checked(doc: Document, ctx: Context, rules: list, memo: Memo) -> list[Finding]:
    """The rules' findings for ``doc``, noted in ``memo`` with the files they read."""
    ctx.reads = set()
    try:
        found = run_rules(doc, ctx, rules)
    finally:
        reads, ctx.reads = ctx.reads, None
    memo.documents[ctx.resolved(doc.path)] = (frozenset(reads), found)
    return found


def check_again(
    settings: dict, memo: Memo, changed: set[Path], root: Path | None = None
) -> tuple[list[Finding], Memo]:
    """The findings of a site checked as ``memo`` says, of which only the text of ``changed`` files changed.

    The caller knows nothing else changed (no file added or removed, the same
    profiles and settings: speed/quick.py). The files changed, and those whose
    rules read one of them (a link to its headings), are checked again.
    """
    root = root or site_root(settings)
    ctx = _context(settings, root, memo.known_authors)
    again = Memo(memo.known_authors, memo.profiles, memo.sources, dict(memo.documents))
    findings = list(memo.profiles)
    for paths, rules in memo.sources:
        for path in paths:
            key = ctx.resolved(path)
            reads, found = memo.documents.get(key, (None, None))
            if reads is None or key in changed or reads & changed:
                found = _checked(frontmatter.read(path), ctx, rules, again)
            findings.extend(found)
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
        print(f"unknown format '{format}': expected {', '.join(FORMATS)}", file=err)
        return 2
    checked = check_site(settings, root)
    findings = checked.findings
    if base:
        findings = sorted([*findings, *against_base(checked, settings, base)])
    if findings or format == "json":
        print(formatter(findings), file=out)
    if format == "text":
        print(diagnostics.summary(findings), file=err)
    return 1 if diagnostics.errors(findings) else 0
