"""Start a new article or expert profile from the templates in ``scaffold/``.

``invoke new-article`` and ``invoke new-expert`` call these. The file is named
with the slug Pelican will give it (accents transliterated), its fields are
explained in comments, and an existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo

from ambassade.diagnostics import display_path
from ambassade.profiles import PROFILE_SUFFIXES, SLUG_RE, closest, profile_files
from ambassade.share import NETWORKS

from .rules.check import experts_dir
from .rules.metadata import PLACEHOLDER
from .rules.slugs import slug_of

TEMPLATES = Path(__file__).resolve().parents[1] / "scaffold"


class ScaffoldError(Exception):
    """Why the file was not created; the message says what to do instead."""


def _refuse_existing(path: Path, root: Path) -> None:
    if path.exists():
        raise ScaffoldError(
            f"{display_path(path, root)} already exists: edit it, or choose another name "
            "(nothing was written)"
        )


def _write(path: Path, text: str, root: Path) -> Path:
    _refuse_existing(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # "x": never replace a file created meanwhile
        fh.write(text)
    return path


def _template(template: str, **values: str) -> str:
    # safe_substitute: the profile template's first line has a literal "$schema".
    return Template((TEMPLATES / template).read_text(encoding="utf-8")).safe_substitute(values)


def _slug(text: str, settings: dict, what: str) -> str:
    if text.startswith("-"):  # `invoke new-article --help` hands "--help" over as the title
        raise ScaffoldError(
            f"'{text}' looks like an option, not a {what}: give the {what} first, in quotes "
            f"(help: invoke --help new-article, invoke --help new-expert)"
        )
    slug = slug_of(text, settings)
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"'{text}' gives no usable slug ('{slug}'): use letters or digits in the {what}")
    return slug


def new_article(
    settings: dict,
    title: str,
    *,
    lang: str | None = None,
    author: str | None = None,
    root: Path,
    now: dt.datetime | None = None,
) -> Path:
    """Write ``content/<articles>/<slug>[.<lang>].md`` and return its path."""
    if not title.strip():
        raise ScaffoldError('the title is empty: give it in quotes, e.g. invoke new-article "Mon titre"')
    default_lang = settings["DEFAULT_LANG"]
    languages = tuple(settings.get("LANGUAGES", (default_lang,)))
    lang = lang or default_lang
    if lang not in languages:
        raise ScaffoldError(f"unknown language '{lang}': expected one of {', '.join(languages)}")
    known = [p.stem for p in profile_files(experts_dir(settings))]
    if author is not None and author not in known:
        guess = closest(author, known)
        hint = f"did you mean '{guess}'?" if guess else "add your profile first with invoke new-expert"
        raise ScaffoldError(f"no expert has the slug '{author}' (no experts/{author}.yml): {hint}")
    slug = _slug(title, settings, "title")
    now = now or dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    folder = Path(settings["PATH"]) / (settings["ARTICLE_PATHS"] or [""])[0]
    name = f"{slug}.md" if lang == default_lang else f"{slug}.{lang}.md"
    text = _template(
        "article.md",
        title=title.strip(),
        date=now.replace(microsecond=0).isoformat(),
        lang=lang,
        slug=slug,
        authors=author or f"{PLACEHOLDER} your-slug",
        share_limits=", ".join(f"{n.label} {n.limit}" for n in NETWORKS.values()),
    )
    return _write(folder / name, text, root)


def new_expert(settings: dict, name: str, *, root: Path) -> Path:
    """Write ``experts/<slug>.yml``, unpublished until the person says otherwise, and return its path."""
    if not name.strip():
        raise ScaffoldError('the name is empty: give it in quotes, e.g. invoke new-expert "Prénom Nom"')
    slug = _slug(name, settings, "name")
    folder = experts_dir(settings)
    for suffix in PROFILE_SUFFIXES:  # alice.yaml is the same person as alice.yml
        _refuse_existing(folder / f"{slug}{suffix}", root)
    text = _template(
        "expert.yml", name=name.strip(), name_yaml=json.dumps(name.strip(), ensure_ascii=False), slug=slug
    )
    return _write(folder / f"{slug}.yml", text, root)
