"""The review report: one page of the preview that says what a branch changes, for comms to decide.

For every article, page and profile the branch adds, modifies or deletes
against its base, and every topic of the vocabulary: a link to the page as built,
the authors, length and reading time, what ``invoke check`` found in the file,
the share texts with their length on each network, and the external links and
images. Comms reads it before approving a pull request.

On top, what needs a decision before anything else: the errors that stop the
publish, consent changes (``published``, ``social_feed``, ``leaderboard``,
``contact``), new people, topics added to the vocabulary, published addresses
that move or vanish (with the redirect the build writes, or none), and the
charter's findings. Then the commits and their authors, and the pull request in CI.

Then, for every article, page and profile the branch adds, modifies or
deletes against its base: the rendered text compared word by word with the
base's, each changed metadata or profile field compared the same way, the
page as built and the base's version rendered beside it
(``review/base/<n>/``), what ``invoke check`` found, the share texts
with their length on each network, the external links and images.

Written at ``/review/`` by :class:`ReviewGenerator` when ``REVIEW["report"]``
is true (``invoke preview`` sets it), and never when ``PREVIEW`` is false: the
report lists drafts, which production must not show. A short Markdown version
(``review/summary.md``) is what the pull-request workflow posts as a comment.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pelican.contents import Page
from pelican.generators import Generator

from ambassade import dates, git, i18n, reading
from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _
from ambassade.profiles import PROFILE_SUFFIXES
from ambassade.rules import frontmatter, redirects
from ambassade.rules.check import Checked, check_site, experts_dir
from ambassade.rules.frontmatter import Document, split_list
from ambassade.rules.links import is_external
from ambassade.rules.render import Renderer
from ambassade.rules.slugs import article_url
from ambassade.share import NETWORKS, length, share_texts, texts_for

from . import ci, diff
from .settings import ReviewSettings
from .summary import write_summary
from .topics import is_vocabulary, topic_changes

log = logging.getLogger(__name__)

SAVE_AS = "review/index.html"
URL = "review/"
BEFORE = "review/base/"
"""Where the base's versions of changed pages are rendered: ``review/base/<n>/``."""
KINDS = ("article", "page", "profile", "topic")
CONSENT = ("published", "social_feed", "leaderboard", "contact")
"""A profile's fields that are a person's choices: any change is flagged first."""


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
    anchor: str = ""
    """The id of its section in the report."""
    title: str = ""
    url: str | None = None
    """The built page, relative to the site; None when there is none (deleted, unpublished)."""
    before_url: str | None = None
    """The base's version, rendered in the report's folder; None when there was none."""
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
    text_diff: list[diff.Segment] = field(default_factory=list)
    """The rendered text against the base's, word by word; empty when it did not change (or is new)."""
    fields: list[diff.FieldChange] = field(default_factory=list)
    """Metadata (articles, pages) or profile fields that changed."""


@dataclass(frozen=True)
class ConsentChange:
    entry: Entry
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class NewPerson:
    entry: Entry
    consent: dict[str, str]
    """Each consent field as the profile sets it (absent ones at their default)."""


@dataclass(frozen=True)
class NewTopic:
    name: str
    entries: list[Entry]


@dataclass(frozen=True)
class AddressChange:
    move: redirects.Move
    entry: Entry | None

    @property
    def redirected(self) -> bool:
        return self.move.redirected


@dataclass
class Report:
    base: str
    ref: str | None
    problem: str | None
    entries: list[Entry]
    errors: list[Finding] = field(default_factory=list)
    """Every error of the site, changed file or not: they stop the publish."""
    consent: list[ConsentChange] = field(default_factory=list)
    people: list[NewPerson] = field(default_factory=list)
    topics: list[NewTopic] = field(default_factory=list)
    addresses: list[AddressChange] = field(default_factory=list)
    charter: list[tuple[Entry, Finding]] = field(default_factory=list)
    commits: list[git.Commit] = field(default_factory=list)
    pull_request: ci.PullRequest | None = None

    @property
    def counts(self) -> dict[str, Counter]:
        """``{kind: {status: n}}`` for every kind and status, zeros included."""
        counts = {kind: Counter({"added": 0, "modified": 0, "deleted": 0}) for kind in KINDS}
        for entry in self.entries:
            counts[entry.kind][entry.status] += 1
        return counts

    @property
    def warnings(self) -> int:
        return sum(not f.is_error for e in self.entries for f in e.findings)

    @property
    def flagged(self) -> int:
        """How many things need a decision first."""
        return sum(
            len(x)
            for x in (self.errors, self.consent, self.people, self.topics, self.addresses, self.charter)
        )

    @property
    def authors(self) -> list[tuple[str, int]]:
        """Each commit author and how many of the branch's commits are theirs, most first."""
        return Counter(c.author for c in self.commits).most_common()

    def entry_for(self, path: str) -> Entry | None:
        return next((e for e in self.entries if e.path == path), None)

    def commit_url(self, sha: str) -> str | None:
        return ci.commit_url(sha)


# -- building the report ---------------------------------------------------------------------------------


class _Site:
    """What the report reads once: the checked sources, the built pages, the base."""

    def __init__(self, settings: dict, context: dict[str, Any]):
        self.settings = settings
        self.context = context
        with i18n.speaking(settings["DEFAULT_LANG"]):  # a page: in the site's language, not the tools'
            self.checked: Checked = check_site(settings)
        self.changes = git.changed_files(self.checked.root, ReviewSettings.of(settings).base)
        self.content = Path(settings["PATH"]).resolve()
        self.experts = experts_dir(settings).resolve()
        self._renderer: Renderer | None = None

    def render(self, doc: Document) -> str:
        if self._renderer is None:
            self._renderer = Renderer(self.checked.context.setting("MARKDOWN"))
        return self._renderer.render(doc).html

    def shown(self, path: Path) -> str:
        return display_path(path, self.checked.root)


def build_report(settings: dict, context: dict[str, Any]) -> tuple[Report, list[tuple[Page, Entry]]]:
    """The report of the site Pelican just read (``context``), against ``REVIEW["base"]``;
    and the base's versions of changed pages to render beside it."""
    site = _Site(settings, context)
    changes = site.changes
    documents = [*site.checked.articles.values(), *site.checked.pages.values()]
    moves = redirects.moves(changes, site.checked.context, documents, settings)
    missing = redirects.vanished(moves, site.checked.root)
    findings = sorted([*site.checked.findings, *missing])
    befores: list[tuple[Page, Entry]] = []
    entries = []
    for change in changes.files:
        entry = _entry(change, site, befores)
        if entry is None:
            continue
        entry.anchor = f"entry-{len(entries) + 1}"
        shown = entry.path
        entry.findings = [f for f in findings if f.path == shown]
        entries.append(entry)
    for change in changes.files:
        if is_vocabulary(change.path, settings):
            for status, path, name, url in topic_changes(change, changes, site.checked.root, context):
                entries.append(
                    Entry("topic", status, path, anchor=f"entry-{len(entries) + 1}", title=name, url=url)
                )
    report = Report(changes.base, changes.ref, changes.problem, entries)
    report.errors = [f for f in findings if f.is_error]
    report.commits = changes.commits()
    report.pull_request = ci.pull_request()
    by_path = {e.path: e for e in entries}
    for entry in entries:
        report.charter += [(entry, f) for f in entry.findings if f.rule.startswith("charter-")]
    _consent(report, site)
    report.topics = [NewTopic(e.title, [e]) for e in entries if e.kind == "topic" and e.status == "added"]
    report.addresses = [AddressChange(m, by_path.get(site.shown(m.path))) for m in moves]
    return report, befores


def _entry(change: git.Change, site: _Site, befores: list[tuple[Page, Entry]]) -> Entry | None:
    path = change.path.resolve() if change.path.exists() else change.path
    if path.suffix in PROFILE_SUFFIXES and path.parent == site.experts:
        entry = Entry("profile", change.status, site.shown(path))
        _profile(entry, path, change, site)
    elif path.suffix == ".md" and path.is_relative_to(site.content):
        page = path in site.checked.pages or _under(path, site.content, site.settings["PAGE_PATHS"])
        entry = Entry("page" if page else "article", change.status, site.shown(path))
        _document(entry, path, change, site, befores)
    else:
        return None
    return entry


def _under(path: Path, content: Path, subpaths: list[str]) -> bool:
    return any(path.is_relative_to((content / sub).resolve()) for sub in subpaths)


def _yaml(text: str | None) -> dict:
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _profile(entry: Entry, path: Path, change: git.Change, site: _Site) -> None:
    old = _yaml(site.changes.text_at_base(path)) if change.status != "added" else {}
    new = _yaml(_read(path)) if change.status != "deleted" else {}
    entry.fields = diff.field_changes(diff.flatten(old), diff.flatten(new))
    built = {page.profile.source_path: page for page in site.context.get("experts", [])}
    if path in built:
        entry.title, entry.url = built[path].name, built[path].url
        return
    entry.title = str((new or old).get("name", ""))
    if change.status == "deleted":
        return
    entry.state = "unpublished" if new.get("published") is False else "not-built"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _header(doc: Document) -> dict[str, str]:
    """A document's metadata as ``key`` → text; a repeated key's values joined."""
    out: dict[str, list[str]] = {}
    for key, value in doc.entries:
        out.setdefault(key, []).append(value.value)
    return {key: " | ".join(values) for key, values in out.items()}


def _document(
    entry: Entry, path: Path, change: git.Change, site: _Site, befores: list[tuple[Page, Entry]]
) -> None:
    old_text = site.changes.text_at_base(path) if change.status != "added" else None
    old = frontmatter.parse(path, old_text) if old_text is not None else None
    doc = site.checked.articles.get(path) or site.checked.pages.get(path)
    if old is not None:
        old_html = site.render(old)
        if doc is not None:
            entry.fields = diff.field_changes(_header(old), _header(doc))
            segments = diff.compare(
                diff.text_of(old_html), diff.text_of(site.checked.context.rendered(doc).html)
            )
            entry.text_diff = segments if diff.changed(segments) else []
        if change.status == "deleted" or entry.text_diff or entry.fields:
            befores.append((_base_page(old, old_html, path, site), entry))
    if change.status == "deleted":
        entry.title = old.value("title") if old else ""
        return
    if doc is None:
        return
    ctx = site.checked.context
    source = path.relative_to(site.content).as_posix()
    built = site.context.get("generated_content", {}).get(source)
    entry.title = getattr(built, "title", None) or doc.value("title")
    entry.url = getattr(built, "url", None) if built is not None and getattr(built, "save_as", "") else None
    entry.state = _state(doc, built)
    experts = site.context.get("experts_by_slug", {})
    authors = doc.get("authors") or doc.get("author")
    slugs = [slug for slug, _col in split_list(authors)] if authors else []
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


def _base_page(old: Document, html: str, path: Path, site: _Site) -> Page:
    """The base's version as Pelican's own content object, so that its links resolve as a page's do."""
    metadata: dict[str, Any] = {"title": old.value("title") or path.stem}
    if old.value("lang"):
        metadata["lang"] = old.value("lang")
    date = dates.parse(old.value("date"), site.settings) if old.value("date") else None
    if date is not None:
        metadata["date"] = date
    return Page(html, metadata=metadata, settings=site.settings, source_path=str(path), context=site.context)


def _state(doc: frontmatter.Document, built: Any) -> str | None:
    if built is None:
        return "not-built"
    status = getattr(built, "status", doc.value("status"))
    if status in ("draft", "hidden"):
        return status
    if getattr(built, "scheduled", False):
        return "scheduled"
    return None


def _consent(report: Report, site: _Site) -> None:
    """Consent changes and new people, from the profiles' field changes."""
    for entry in report.entries:
        if entry.kind != "profile":
            continue
        if entry.status == "added":
            new = _yaml(_read(site.checked.root / entry.path))
            report.people.append(NewPerson(entry, _consent_values(new)))
            continue
        for change in entry.fields:
            if change.name.split(".", 1)[0] in CONSENT:
                report.consent.append(ConsentChange(entry, change.name, change.old, change.new))


def _consent_values(profile: dict) -> dict[str, str]:
    """The consent fields of a profile as written, absent ones at their default."""
    out = {}
    for name in CONSENT:
        value = profile.get(name)
        if value is None:
            out[name] = "false" if name != "contact" else ""
        else:
            flat = diff.flatten(value, name)
            out[name] = ", ".join(
                f"{k.removeprefix(name + '.')}: {v}" if k != name else v for k, v in flat.items()
            )
    return {k: v for k, v in out.items() if v != "" or k != "contact"}


# -- writing it --------------------------------------------------------------------------------------------


class ReviewGenerator(Generator):
    """Writes the review report; it needs every other page known, so it works at output time."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        report, befores = build_report(self.settings, self.context)
        relative = self.settings["RELATIVE_URLS"]
        for index, (page, entry) in enumerate(befores, 1):
            save_as = f"{BEFORE}{index}/index.html"
            entry.before_url = save_as.removesuffix("index.html")
            siteurl = "/".join([".."] * save_as.count("/")) if relative else self.settings.get("SITEURL", "")
            writer.write_file(
                save_as,
                self.get_template("review_base"),
                self.context,
                relative_urls=relative,
                before=page,
                before_html=page.get_content(siteurl),
                entry=entry,
                review=report,
                page_name=entry.before_url,
            )
        writer.write_file(
            SAVE_AS,
            self.get_template("review"),
            self.context,
            relative_urls=relative,
            review=report,
            page_name=URL,
        )
        write_summary(Path(self.output_path) / "review" / "summary.md", report, self.settings)


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
