"""What rules know beyond the file they look at: the site's settings, its experts,
and the other files a link may point to (read and rendered once, then cached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ambassade.diagnostics import display_path
from ambassade.settings import namespaced

from . import frontmatter, render
from .frontmatter import Document

CHARTER_DEFAULTS: dict[str, Any] = {
    # Terms the charter forbids, with the wording to use instead ("" for none):
    # matched in any case, as whole words. An error.
    "forbidden_terms": {},
    # Words that mark a text as not for publication: an error. A marker written
    # in capitals matches only in capitals ("CONFIDENTIEL" is a stamp, while
    # "confidentiel" is an ordinary word of prose); any other, in any case.
    "confidential_markers": [
        "CONFIDENTIEL",
        "CONFIDENTIAL",
        "internal only",
        "ne pas diffuser",
        "do not distribute",
    ],
    # Longer titles get a warning: they are cut in feeds and share cards. 0: no limit.
    "max_title_length": 90,
    # Every article needs a summary (cards, feeds, share previews): an error when missing.
    "require_summary": True,
}
"""The ``CHARTER`` setting's keys and their defaults."""


@dataclass
class Context:
    """What rules need to know beyond the file itself."""

    known_authors: set[str]
    languages: tuple[str, ...] = ("fr", "en")
    root: Path | None = None
    settings: dict = field(default_factory=dict)

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
    def charter(self) -> dict[str, Any]:
        """The ``CHARTER`` setting over :data:`CHARTER_DEFAULTS`, merged once (bad keys logged once)."""
        return namespaced(self.settings, "CHARTER", CHARTER_DEFAULTS)

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
