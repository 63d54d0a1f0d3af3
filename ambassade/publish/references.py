"""Same-site references of a built site: every link, image, stylesheet and script must resolve.

The one home of this check: ``invoke publish`` refuses a site with a broken
reference, and the tests (tests/support.py) assert the same on every build.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from ambassade.diagnostics import Finding
from ambassade.i18n import _

from .problems import at

#: The elements whose attribute names another file of the site.
REFERENCES = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src"}


def pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


class ParsedSite:
    """A built site whose pages are parsed once, however many checks read them."""

    def __init__(self, root: Path):
        # Resolved, as link targets are: a page reached through a `current` link is parsed once.
        self.root = root.resolve()
        self._soups: dict[Path, BeautifulSoup] = {}
        self._ids: dict[Path, set[str]] = {}

    def pages(self) -> list[Path]:
        return pages(self.root)

    def soup(self, page: Path) -> BeautifulSoup:
        if page not in self._soups:
            self._soups[page] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        return self._soups[page]

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            self._ids[page] = {el["id"] for el in self.soup(page).find_all(id=True)}
        return self._ids[page]

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def place(el: Tag) -> tuple[int, int]:
    """Line and column (1-based) of an element in its page, as the parser saw it."""
    return el.sourceline or 1, (el.sourcepos or 0) + 1


def resolve(output: Path, page: Path, ref: str, site_url: str = "") -> tuple[Path, str] | None:
    """The file a same-site reference points to, and its fragment; None for other origins.

    ``site_url`` (SITEURL) makes absolute links to the site itself same-site
    references: the production build writes every link that way.
    """
    site_url = site_url.rstrip("/")
    if site_url and (ref == site_url or ref.startswith((site_url + "/", site_url + "#", site_url + "?"))):
        ref = "/" + ref[len(site_url) :].lstrip("/")
    elif ref.startswith("/") and not ref.startswith("//"):
        # A root-relative link of a site served under a path (https://host/site/) starts with that path.
        base = urlsplit(site_url).path.rstrip("/")
        if base and ref.startswith(base + "/"):
            ref = ref[len(base) :]
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "tel:")):
        return None
    path = unquote(parts.path)
    target = output / path.lstrip("/") if path.startswith("/") else page.parent / path
    if not parts.path:
        target = page
    target = Path(*target.parts).resolve() if target.exists() else target
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def reference_problems(site: ParsedSite, site_url: str = "") -> list[Finding]:
    """Every internal link, image, stylesheet or script that points to nothing (or a missing anchor)."""
    root = site.root
    # Most references are the same absolute URLs on every page (menus, footers): judge each once.
    verdicts: dict[tuple[Path | None, str], tuple[str, str, str] | None] = {}

    def verdict(page: Path, ref: str) -> tuple[str, str, str] | None:
        """(rule, what is wrong, what was expected), or None when the reference resolves."""
        found = resolve(site.root, page, ref, site_url)
        if found is None:
            return None
        target, fragment = found
        if not target.resolve().is_relative_to(root):
            return "publish-link", _("leaves the site"), _("a path inside the site")
        if not target.is_file():
            return "publish-link", _("points to nothing"), _("a file of the site")
        if fragment and target.suffix == ".html" and fragment not in site.ids(target):
            anchored = target.resolve().relative_to(root).as_posix()
            return (
                "publish-anchor",
                _("names a missing anchor"),
                _('an element with id="%(id)s" in %(page)s', id=fragment, page=anchored),
            )
        return None

    problems = []
    for page in site.pages():
        for el in site.soup(page).find_all(list(REFERENCES)):
            attr = REFERENCES[el.name]
            ref = el.get(attr)
            if not ref:
                continue
            absolute = ref.startswith("/") or bool(urlsplit(ref).scheme)
            key = (None if absolute else page if ref.startswith(("#", "?")) else page.parent, ref)
            if key not in verdicts:
                verdicts[key] = verdict(page, ref)
            if verdicts[key]:
                rule, wrong, expected = verdicts[key]  # type: ignore[misc]
                what = f"{el.name} {attr}={ref!r} {wrong}"
                problems.append(at(site.rel(page), rule, what, expected, *place(el)))
    return problems


def broken_references(output: Path, site_url: str = "") -> list[str]:
    """:func:`reference_problems` as text lines: the tests' assertion helper."""
    return [p.text() for p in reference_problems(ParsedSite(output), site_url)]
