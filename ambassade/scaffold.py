"""Start a new article or expert profile from the templates in ``scaffold/``.

``invoke new-article`` and ``invoke new-expert`` call these. The file is named
with the slug Pelican will give it (accents transliterated), its fields are
explained in comments, and an existing file is never overwritten.

The templates are Jinja templates whose comments are catalog strings
(``_("…")``, extracted with the theme's): a profile is explained in the tools'
language, an article in its own. The pull-request template
(``.github/pull_request_template.md``) is made the same way, in the site's
language, by ``invoke translations``.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ambassade import dates, i18n
from ambassade.diagnostics import display_path
from ambassade.i18n import _, ngettext
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
            _(
                "%(path)s already exists: edit it, or choose another name (nothing was written)",
                path=display_path(path, root),
            )
        )


def _write(path: Path, text: str, root: Path) -> Path:
    _refuse_existing(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # "x": never replace a file created meanwhile
        fh.write(text)
    return path


COMMENT_WIDTH = 78
"""The width of a scaffold's comment lines."""


def _comment(text: str, width: int = COMMENT_WIDTH) -> str:
    """``text`` as YAML comment lines."""
    return "\n".join(textwrap.wrap(text, width - 2, initial_indent="# ", subsequent_indent="# "))


def _wrap(text: str, indent: int | str = 0, width: int = 100) -> str:
    """``text`` wrapped, its lines after the first indented by ``indent`` spaces."""
    pad = indent if isinstance(indent, str) else " " * indent
    first = width - (len(pad) if isinstance(indent, int) else 0)
    lines = textwrap.wrap(text, first, break_on_hyphens=False)
    rest = textwrap.wrap(" ".join(lines[1:]), width - len(pad), break_on_hyphens=False) if lines[1:] else []
    return "\n".join(lines[:1] + [pad + line for line in rest])


#: What starts a comment left unwrapped by ``render(..., raw_comments=True)``: the editor wraps it
#: itself, once the person's name is in it (ambassade/editor/static/ambassade-editor.js).
RAW_COMMENT = "#= "


def _one_line(text: str) -> str:
    """``text`` with each whitespace character a space, as textwrap sees it before it wraps."""
    return text.expandtabs().translate({ord(c): " " for c in "\n\x0b\x0c\r"})


@lru_cache(maxsize=2)
def _environment(raw_comments: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # YAML and Markdown, not HTML
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    comment = (lambda text, width=COMMENT_WIDTH: RAW_COMMENT + _one_line(text)) if raw_comments else _comment
    env.filters.update(comment=comment, wrap=_wrap)
    env.globals.update(_=_, ngettext=ngettext)
    return env


def render(template: str, *, raw_comments: bool = False, **values: Any) -> str:
    """``scaffold/<template>`` with ``values``, its explanations in the tools' language.

    ``raw_comments``: each comment on one line after :data:`RAW_COMMENT`, for the editor to wrap.
    """
    return _environment(raw_comments).get_template(template).render(**values)


def _slug(text: str, settings: dict, what: str) -> str:
    if text.startswith("-"):  # `invoke new-article --help` hands "--help" over as the title
        raise ScaffoldError(
            _(
                "'%(text)s' looks like an option, not a %(what)s: give the %(what)s first, in quotes "
                "(help: invoke --help new-article, invoke --help new-expert)",
                text=text,
                what=what,
            )
        )
    slug = slug_of(text, settings)
    if not SLUG_RE.match(slug):
        raise ScaffoldError(
            _(
                "'%(text)s' gives no usable slug ('%(slug)s'): use letters or digits in the %(what)s",
                text=text,
                slug=slug,
                what=what,
            )
        )
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
        raise ScaffoldError(_('the title is empty: give it in quotes, e.g. invoke new-article "Mon titre"'))
    default_lang = settings["DEFAULT_LANG"]
    languages = tuple(settings.get("LANGUAGES", (default_lang,)))
    lang = lang or default_lang
    if lang not in languages:
        raise ScaffoldError(
            _(
                "unknown language '%(lang)s': expected one of %(choices)s",
                lang=lang,
                choices=", ".join(languages),
            )
        )
    known = [p.stem for p in profile_files(experts_dir(settings))]
    if author is not None and author not in known:
        guess = closest(author, known)
        hint = (
            _("did you mean '%(slug)s'?", slug=guess)
            if guess
            else _("add your profile first with invoke new-expert")
        )
        raise ScaffoldError(
            _("no expert has the slug '%(slug)s' (no experts/%(slug)s.yml): %(hint)s", slug=author, hint=hint)
        )
    slug = _slug(title, settings, _("title"))
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dates.zone(settings))
    folder = Path(settings["PATH"]) / (settings["ARTICLE_PATHS"] or [""])[0]
    name = f"{slug}.md" if lang == default_lang else f"{slug}.{lang}.md"
    with i18n.speaking(lang):  # the guide in the article's language
        text = render(
            "article.md",
            title=title.strip(),
            # As people write it: the site's zone is understood (ambassade.dates).
            date=now.strftime("%Y-%m-%d %H:%M"),
            lang=lang,
            slug=slug,
            authors=author or f"{PLACEHOLDER} {_('your-slug')}",
            share_limits=", ".join(f"{n.label} {i18n.number(n.limit)}" for n in NETWORKS.values()),
            zone=str(dates.zone(settings)),
            date_example=dates.EXAMPLE,
            publish_time=dates.publish_time(settings).strftime("%H:%M"),
        )
    return _write(folder / name, text, root)


def new_expert(settings: dict, name: str, *, root: Path) -> Path:
    """Write ``experts/<slug>.yml``, unpublished until the person says otherwise, and return its path."""
    if not name.strip():
        raise ScaffoldError(_('the name is empty: give it in quotes, e.g. invoke new-expert "Prénom Nom"'))
    slug = _slug(name, settings, _("name"))
    folder = experts_dir(settings)
    for suffix in PROFILE_SUFFIXES:  # alice.yaml is the same person as alice.yml
        _refuse_existing(folder / f"{slug}{suffix}", root)
    text = render(
        "expert.yml", name=name.strip(), name_yaml=json.dumps(name.strip(), ensure_ascii=False), slug=slug
    )
    return _write(folder / f"{slug}.yml", text, root)


PULL_REQUEST_TEMPLATE = ".github/pull_request_template.md"
"""Where GitHub reads the pull-request template, from the project's folder."""


def pull_request_template(settings: dict) -> str:
    """The pull-request template in the site's language (``DEFAULT_LANG``)."""
    with i18n.speaking(settings["DEFAULT_LANG"]):
        return render("pull_request_template.md")
