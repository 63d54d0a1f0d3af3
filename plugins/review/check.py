"""Run every content rule over a site's sources, without building it.

This is what ``invoke check`` prints and what the build runs first: the
profiles against ``experts/schema.json``, then every article and page.
"""

from __future__ import annotations

import os
from pathlib import Path

from ambassade.diagnostics import Finding
from ambassade.settings import namespaced
from experts import DEFAULTS as EXPERTS_DEFAULTS
from experts.profiles import PROFILE_SUFFIXES, load_profiles

from . import frontmatter
from .rules import ARTICLE_RULES, PAGE_RULES, Context, run_rules


def _sources(content: Path, subpaths: list[str], exclude: list[str]) -> list[Path]:
    excluded = [(content / e).resolve() for e in exclude]
    files = set()
    for sub in subpaths:
        for path in (content / sub).rglob("*.md"):
            resolved = path.resolve()
            if not any(resolved.is_relative_to(e) for e in excluded):
                files.add(path)
    return sorted(files)


def run(settings: dict, root: Path | None = None) -> list[Finding]:
    """Every finding for the site described by Pelican ``settings``."""
    experts_dir = Path(namespaced(settings, "EXPERTS", EXPERTS_DEFAULTS)["path"])
    content = Path(settings["PATH"])
    # Paths are shown from the site's root, the folder holding both content/ and experts/.
    root = root or Path(os.path.commonpath([content.resolve(), experts_dir.resolve()]))
    _, findings = load_profiles(experts_dir, default_lang=settings["DEFAULT_LANG"], root=root)
    ctx = Context(
        known_authors={p.stem for p in experts_dir.iterdir() if p.suffix in PROFILE_SUFFIXES},
        languages=tuple(settings.get("LANGUAGES", (settings["DEFAULT_LANG"],))),
        root=root,
        settings=settings,
    )
    for path in _sources(content, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]):
        findings.extend(run_rules(frontmatter.read(path), ctx, ARTICLE_RULES))
    for path in _sources(content, settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"]):
        findings.extend(run_rules(frontmatter.read(path), ctx, PAGE_RULES))
    return sorted(findings)
