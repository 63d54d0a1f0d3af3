"""What rules know beyond the file they look at: the site's settings, its experts,
and the other files a link may point to (read and rendered once, then cached)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Literal

from ambassade.diagnostics import Finding, display_path
from ambassade.settings import Section, default
from ambassade.share_items import Campaign, load_campaigns
from ambassade.topics import Vocabulary

from . import frontmatter, render
from .frontmatter import Document


@dataclass(frozen=True)
class CharterSettings(Section):
    """The editorial charter (``CHARTER``), as ``check`` and the build enforce it."""

    NAME: ClassVar[str] = "CHARTER"

    forbidden_terms: dict[str, str] = default(
        {},
        doc="terms the charter forbids, each with the wording to use instead ('' for none): "
        "matched in any case, as whole words; an error",
    )
    confidential_markers: list[str] = default(
        ["CONFIDENTIEL", "CONFIDENTIAL", "internal only", "ne pas diffuser", "do not distribute"],
        doc="words that mark a text as not for publication: an error. A marker in capitals matches in "
        "capitals only ('CONFIDENTIEL' is a stamp, 'confidentiel' an ordinary word); any other, in any case",
    )
    max_title_length: int = default(
        90, min=0, doc="longer titles get a warning: feeds and share cards cut them; 0 for no limit"
    )
    require_summary: bool = default(True, doc="every article needs a summary (cards, feeds, share previews)")
    share_disclosure: dict[str, str] = default(
        {},
        doc="per language, the words by which a colleague says they work here ('Je travaille chez "
        "Clairvoie', or a hashtag): every ready-to-post text of the share kit carries them; {} for none",
    )
    share_disclosure_mode: Literal["add", "require"] = default(
        "add",
        doc="'add': the kit adds the disclosure to a text that lacks it (the length rules count it); "
        "'require': a share text without it is an error (share-disclosure)",
    )
    share_denied_domains: list[str] = default(
        [],
        doc="sites that share items may not point to (a domain denies its subdomains too); "
        "an outside link must be https in any case (share-url)",
    )
    share_similarity: float = default(
        0.8,
        min=0.5,
        max=1.0,
        doc="two share texts at least this similar (0.5–1, words in common) are near-duplicates: a "
        "warning, for variants that would all say the same (share-duplicate)",
    )

    def disclosure(self, lang: str) -> str | None:
        """The disclosure in ``lang``; else the one of the first language given; None when there is none."""
        return self.share_disclosure.get(lang) or next(iter(self.share_disclosure.values()), None)


@dataclass
class Context:
    """What rules need to know beyond the file itself."""

    known_authors: set[str]
    languages: tuple[str, ...] = ("fr", "en")
    root: Path | None = None
    settings: dict = field(default_factory=dict)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    """The moment of this check: what is dated before it is live; one moment for every rule."""
    vocabulary: Vocabulary | None = None
    """The topics profiles and articles may name; None when the vocabulary cannot be read
    (its own findings say why, and the topic rules stay quiet)."""

    def where(self, doc: Document) -> str:
        return display_path(doc.path, self.root)

    def resolved(self, path: Path) -> Path:
        """``path.resolve()``, once per path and run: it looks at every folder on the way."""
        found = self._resolved.get(path)
        if found is None:
            found = self._resolved[path] = path.resolve()
        return found

    @cached_property
    def _resolved(self) -> dict[Path, Path]:
        return {}

    def setting(self, name: str) -> Any:
        """A Pelican setting, or Pelican's default when the settings given do not have it."""
        if name in self.settings:
            return self.settings[name]
        from pelican.settings import DEFAULT_CONFIG

        return DEFAULT_CONFIG[name]

    @cached_property
    def charter(self) -> CharterSettings:
        """The ``CHARTER`` settings in force."""
        return CharterSettings.of(self.settings)

    @cached_property
    def campaigns(self) -> tuple[dict[str, Campaign], list[Finding]]:
        """The campaigns file's campaigns by slug, and its mistakes: read once per check."""
        return load_campaigns(self.settings, self.root)

    @property
    def content(self) -> Path | None:
        """The content folder, where ``{filename}/…`` and ``{static}/…`` paths start."""
        path = self.settings.get("PATH")
        return Path(path) if path else None

    @cached_property
    def _documents(self) -> dict[Path, Document]:
        return {}

    @cached_property
    def _rendered(self) -> dict[Path, render.Rendered]:
        return {}

    @cached_property
    def _markdown(self) -> render.Renderer:
        return render.Renderer(self.setting("MARKDOWN"))

    reads: set[Path] | None = None
    """When a set: the files whose text the rules looked at (check.py: what a file's findings depend on)."""

    def document(self, path: Path) -> Document:
        """The file at ``path``, read once."""
        key = self.resolved(path)
        if self.reads is not None:
            self.reads.add(key)
        if key not in self._documents:
            self._documents[key] = frontmatter.read(path)
        return self._documents[key]

    def remember(self, doc: Document) -> Document:
        """Let later links to ``doc`` reuse it rather than read the file again."""
        self._documents[self.resolved(doc.path)] = doc
        return doc

    def rendered(self, doc: Document) -> render.Rendered:
        """``doc``'s body as Pelican renders it: ids, links, images and words, with their places."""
        key = self.resolved(doc.path)
        if self.reads is not None:
            self.reads.add(key)
        if key not in self._rendered:
            self._rendered[key] = self._markdown.render(doc)
        return self._rendered[key]
