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

from ambassade import diagnostics
from ambassade.diagnostics import Finding, display_path
from ambassade.settings import namespaced
from experts import DEFAULTS as EXPERTS_DEFAULTS
from experts.profiles import PROFILE_SUFFIXES, load_profiles

from . import frontmatter
from .context import Context
from .frontmatter import Document
from .rules import ARTICLE_RULES, PAGE_RULES, PROFILE_RULES, run_rules

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

    def findings_for(self, path: Path) -> list[Finding]:
        shown = display_path(path, self.root)
        return [f for f in self.findings if f.path == shown]


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
    return Path(namespaced(settings, "EXPERTS", EXPERTS_DEFAULTS)["path"])


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
    profiles = sorted(p for p in experts.iterdir() if p.suffix in PROFILE_SUFFIXES)
    ctx = Context(
        known_authors={p.stem for p in profiles},
        languages=tuple(settings.get("LANGUAGES", (settings["DEFAULT_LANG"],))),
        root=root,
        settings=settings,
    )
    checked = Checked(root, ctx)
    for path in profiles:
        findings.extend(f for rule in PROFILE_RULES for f in rule(path, ctx))
    for subpaths, excludes, rules, docs in (
        (settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"], ARTICLE_RULES, checked.articles),
        (settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"], PAGE_RULES, checked.pages),
    ):
        for path in _sources(content, subpaths, excludes, ctx):
            doc = frontmatter.read(path)
            docs[ctx.resolved(path)] = doc
            findings.extend(run_rules(doc, ctx, rules))
    checked.findings = sorted(findings)
    return checked


def run(settings: dict, root: Path | None = None) -> list[Finding]:
    """Every finding for the site described by Pelican ``settings``."""
    return check_site(settings, root).findings


def main(settings: dict, *, root: Path | None = None, format: str = "text",
         out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``invoke check``: print every finding in ``format``; the exit status is 1 on any error."""
    out, err = out or sys.stdout, err or sys.stderr
    formatter = FORMATS.get(format)
    if formatter is None:
        print(f"unknown format '{format}': expected {', '.join(FORMATS)}", file=err)
        return 2
    findings = run(settings, root)
    if findings or format == "json":
        print(formatter(findings), file=out)
    if format == "text":
        print(diagnostics.summary(findings), file=err)
    return 1 if diagnostics.errors(findings) else 0
