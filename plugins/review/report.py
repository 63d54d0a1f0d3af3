"""The review report: one page of the preview listing what a branch changes.

For every article, page and profile the branch adds, modifies or deletes
against its base, and every topic of the vocabulary: a link to the page as built, the authors, length and
reading time, what ``invoke check`` found in the file, the share texts with
their length on each network, and the external links and images. Comms reads
it before approving a pull request.

Written at ``/review/`` by :class:`ReviewGenerator` when ``REVIEW_REPORT`` is
true (``invoke preview`` sets it), and never when ``PREVIEW`` is false: the
report lists drafts, which production must not show.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pelican.generators import Generator

from ambassade import i18n, reading
from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _
from ambassade.profiles import PROFILE_SUFFIXES
from ambassade.rules import frontmatter
from ambassade.rules.check import Checked, check_site, experts_dir
from ambassade.rules.frontmatter import split_list
from ambassade.rules.links import is_external
from ambassade.rules.slugs import article_url
from ambassade.share import NETWORKS, length, share_texts, texts_for

from .changes import Change, Changes, changed_files
from .settings import ReviewSettings
from .topics import is_vocabulary, topic_changes

log = logging.getLogger(__name__)

SAVE_AS = "review/index.html"
URL = "review/"
KINDS = ("article", "page", "profile", "topic")


@dataclass(frozen=True)
class Length:
    network: str
    """The network's label, e.g. X."""
    length: int
    limit: int

    @property
    def fits(self) -> bool:
        return self.length <= self.limit


@dataclass(frozen=True)
class Share:
    network: str | None
    """The network's label for a ``Share-<Network>`` text, None for a text for every network."""
    text: str
    lengths: list[Length]
    """On each network that posts this text, the article's link included."""


@dataclass
class Entry:
    """One changed file, as the report shows it."""

    kind: str
    """article, page, profile, or topic (one of the vocabulary's)."""
    status: str
    """added, modified or deleted."""
    path: str
    """As a contributor would type it, from the site's root."""
    title: str = ""
    url: str | None = None
    """The built page, relative to the site; None when there is none (deleted, unpublished)."""
    state: str | None = None
    """draft, scheduled, hidden, unpublished or not-built; None when published, or deleted."""
    authors: list[str] = field(default_factory=list)
    words: int = 0
    reading_minutes: int = 0
    findings: list[Finding] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)
    """``(src, alt)`` of every image."""


@dataclass
class Report:
    base: str
    ref: str | None
    problem: str | None
    entries: list[Entry]

    @property
    def counts(self) -> dict[str, Counter]:
        """``{kind: {status: n}}`` for every kind and status, zeros included."""
        counts = {kind: Counter({"added": 0, "modified": 0, "deleted": 0}) for kind in KINDS}
        for entry in self.entries:
            counts[entry.kind][entry.status] += 1
        return counts

    @property
    def errors(self) -> int:
        return sum(f.is_error for e in self.entries for f in e.findings)

    @property
    def warnings(self) -> int:
        return sum(not f.is_error for e in self.entries for f in e.findings)


def build_report(settings: dict, context: dict[str, Any]) -> Report:
    """The report of the site that Pelican just read (``context``), against ``REVIEW_BASE``."""
    with i18n.speaking(settings["DEFAULT_LANG"]):  # a page: in the site's language, not the tools'
        checked = check_site(settings)
    changes = changed_files(checked.root, ReviewSettings.of(settings).base)
    entries = [e for c in changes.files if (e := _entry(c, changes, checked, settings, context))]
    for change in changes.files:
        if is_vocabulary(change.path, settings):
            for status, path, name, url in topic_changes(change, changes, checked.root, context):
                entries.append(Entry("topic", status, path, name, url))
    return Report(changes.base, changes.ref, changes.problem, entries)


def _entry(
    change: Change, changes: Changes, checked: Checked, settings: dict, context: dict[str, Any]
) -> Entry | None:
    path = change.path.resolve()
    content = Path(settings["PATH"]).resolve()
    experts = experts_dir(settings).resolve()
    if path.suffix in PROFILE_SUFFIXES and path.parent == experts:
        entry = Entry("profile", change.status, display_path(path, checked.root))
        _profile(entry, path, change, changes, context)
    elif path.suffix == ".md" and path.is_relative_to(content):
        kind = "page" if path in checked.pages or _under(path, content, settings["PAGE_PATHS"]) else "article"
        entry = Entry(kind, change.status, display_path(path, checked.root))
        _document(entry, path, change, changes, checked, settings, context)
    else:
        return None
    entry.findings = checked.findings_for(path)
    return entry


def _under(path: Path, content: Path, subpaths: list[str]) -> bool:
    return any(path.is_relative_to((content / sub).resolve()) for sub in subpaths)


def _profile(entry: Entry, path: Path, change: Change, changes: Changes, context: dict[str, Any]) -> None:
    built = {page.profile.source_path: page for page in context.get("experts", [])}
    if path in built:
        entry.title, entry.url = built[path].name, built[path].url
        return
    text = changes.base_text(change) if change.status == "deleted" else _read(path)
    try:
        data = yaml.safe_load(text or "") or {}
    except yaml.YAMLError:
        data = {}
    entry.title = str(data.get("name", "")) if isinstance(data, dict) else ""
    if change.status == "deleted":
        return
    if isinstance(data, dict) and data.get("published") is False:
        entry.state = "unpublished"
    else:
        entry.state = "not-built"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _document(
    entry: Entry,
    path: Path,
    change: Change,
    changes: Changes,
    checked: Checked,
    settings: dict,
    context: dict[str, Any],
) -> None:
    if change.status == "deleted":
        old = changes.base_text(change)
        entry.title = frontmatter.parse(path, old).value("title") if old else ""
        return
    doc = checked.articles.get(path) or checked.pages.get(path)
    if doc is None:
        return
    ctx = checked.context
    source = path.relative_to(Path(settings["PATH"]).resolve()).as_posix()
    built = context.get("generated_content", {}).get(source)
    entry.title = getattr(built, "title", None) or doc.value("title")
    entry.url = getattr(built, "url", None) if built is not None and getattr(built, "save_as", "") else None
    entry.state = _state(doc, built)
    experts = context.get("experts_by_slug", {})
    authors = doc.get("authors") or doc.get("author")
    slugs = [slug for slug, _ in split_list(authors)] if authors else []
    entry.authors = [experts[s].name if s in experts else s for s in slugs]
    rendered = ctx.rendered(doc)
    entry.words = rendered.words
    entry.reading_minutes = reading.minutes(rendered.words)
    entry.external_links = list(dict.fromkeys(r.url for r in rendered.links if is_external(r.url)))
    entry.images = [(r.url, r.text) for r in rendered.images]
    if entry.kind == "article":
        texts = share_texts(doc.entries)
        url = article_url(doc, ctx)
        entry.shares = [
            Share(
                NETWORKS[t.network].label if t.network in NETWORKS else t.network,
                t.text,
                [
                    Length(n.label, length(t.text, n.key, url), n.limit)
                    for n in NETWORKS.values()
                    if t in texts_for(texts, n.key)
                ],
            )
            for t in texts
        ]


def _state(doc: frontmatter.Document, built: Any) -> str | None:
    if built is None:
        return "not-built"
    status = getattr(built, "status", doc.value("status"))
    if status in ("draft", "hidden"):
        return status
    if getattr(built, "scheduled", False):
        return "scheduled"
    return None


class ReviewGenerator(Generator):
    """Writes the review report; it needs every other page known, so it works at output time."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        report = build_report(self.settings, self.context)
        writer.write_file(
            SAVE_AS,
            self.get_template("review"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            review=report,
            page_name=URL,
        )


def wanted(settings: dict) -> bool:
    """True when the settings ask for the report (``REVIEW["report"]``) in a preview build."""
    return bool(ReviewSettings.of(settings).report and settings.get("PREVIEW"))


def generators(pelican) -> type[Generator] | None:
    """The report's generator when the settings ask for it (``REVIEW["report"]``) in a preview build."""
    if not ReviewSettings.of(pelican.settings).report:
        return None
    if not pelican.settings.get("PREVIEW"):
        log.warning(
            "%s",
            _(
                "REVIEW['report'] is ignored: the report lists drafts, so only a build "
                "with PREVIEW = True writes it"
            ),
        )
        return None
    return ReviewGenerator
