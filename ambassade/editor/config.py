"""The editor's configuration (``/admin/config.yml``), made at build time from the rules themselves.

Nothing here is a second copy of a rule: the profile form is read off
``experts/schema.json`` (fields, required ones, enumerations, lengths and
patterns; each hint is the field's description, translated through the
catalog like ``check``'s messages), the article form off the article rules
(the header's keys in the scaffold's order, the topic vocabulary, the
languages, the charter's title length and summary, each network's share-text
limit from :data:`ambassade.share.NETWORKS`), and the files the editor writes
off the scaffolds (``ambassade.scaffold``): ``ambassade-editor.js`` fills the
same template a contributor gets from ``invoke new-expert`` and writes the
same header ``invoke new-article`` starts, so that a file saved in the editor
is the file a git user would have written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ambassade import i18n
from ambassade.editor.settings import PULL_REQUESTS
from ambassade.i18n import _
from ambassade.rules.metadata import PLACEHOLDER
from ambassade.share import KEY as SHARE_KEY
from ambassade.share import NETWORKS
from ambassade.topics import Vocabulary

#: The article header's keys, in the order of ``scaffold/article.md``; the share texts follow.
ARTICLE_KEYS = ("title", "date", "authors", "tags", "summary", "lang", "slug", "status")
#: Decap's spelling of the dates ``ambassade.dates`` reads (``2026-03-14 09:30``),
#: as the scaffold writes them.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: The profile's field that names a photo (experts/photos/, ambassade.photos checks it).
PHOTO = "photo"
#: Markers the profile template carries where the person's name and slug go (ambassade-editor.js fills them).
NAME_MARKER = "AMBASSADENAMEMARKER"
SLUG_MARKER = "ambassadeslugmarker"


@dataclass(frozen=True)
class Backend:
    """Where the editor saves: a forge and its repository, or the local backend of ``invoke edit``."""

    forge: str = "github"
    repo: str = ""
    branch: str = "main"
    base_url: str = ""
    auth_endpoint: str = ""
    api_root: str = ""
    app_id: str = ""
    preview_context: str = ""
    local_url: str = ""


def _hint(node: dict) -> str:
    return i18n.translated(node["description"]) if node.get("description") else ""


def _first_text(node: dict) -> dict:
    """A ``oneOf`` of one text or one text per language: the editor offers the one text."""
    for choice in node.get("oneOf", ()):
        if choice.get("type") == "string":
            return {**choice, "description": node.get("description", "")}
    return node


def _string_pattern(node: dict) -> list[str] | None:
    if "pattern" in node:
        return [node["pattern"], _hint(node) or node["pattern"]]
    low, high = node.get("minLength"), node.get("maxLength")
    if low is None and high is None:
        return None
    text = _("from %(low)s to %(high)s characters", low=i18n.number(low or 0), high=i18n.number(high or 0))
    if high is None:
        text = _("at least %(low)s characters", low=i18n.number(low))
    return [f"^[\\s\\S]{{{low or 0},{'' if high is None else high}}}$", text]


def schema_field(name: str, node: dict, required: bool, vocabulary: Vocabulary | None, lang: str) -> dict:
    """The Decap field of the schema's ``node``, named ``name``."""
    node = _first_text(node) if "oneOf" in node else node
    field: dict[str, Any] = {"name": name, "label": name, "required": required}
    hint = _hint(node)
    if hint:
        field["hint"] = hint
    kind = node.get("type")
    if name in ("expertise", "topics") and vocabulary is not None:
        return {**field, **topics_field(vocabulary, lang)}
    enum = node.get("enum") or next((c["enum"] for c in node.get("oneOf", ()) if "enum" in c), None)
    if enum:
        return {**field, "widget": "select", "options": list(enum)}
    if kind == "boolean":
        return {**field, "widget": "boolean", "default": node.get("default", False)}
    if kind in ("integer", "number"):
        out = {**field, "widget": "number", "value_type": "int" if kind == "integer" else "float"}
        for key in ("minimum", "maximum"):
            if key in node:
                out[key[:3]] = node[key]
        return out
    if kind == "array":
        items = node.get("items", {})
        if items.get("type") == "object":
            # No item until the person adds one (Decap starts a list of objects with an empty one).
            return {
                **field,
                "widget": "list",
                "default": [],
                "fields": object_fields(items, vocabulary, lang),
            }
        if items.get("enum"):
            return {**field, "widget": "select", "multiple": True, "options": list(items["enum"])}
        inner = schema_field("item", items, True, vocabulary, lang)
        inner.pop("hint", None)
        return {**field, "widget": "list", "field": inner}
    if kind == "object" and node.get("properties"):
        # Decap asks for an optional object's required keys even when it is left empty: `check`
        # asks for them once the object is there.
        fields = object_fields(node, vocabulary, lang, required=required)
        return {**field, "widget": "object", "collapsed": True, "fields": fields}
    if kind == "object":  # a map of free keys (audience): written by hand
        return {}
    if name == PHOTO:  # a path in the schema; in the form, a picture to choose or upload
        return {**field, "widget": "image", "choose_url": False}
    out = {**field, "widget": "markdown" if name == "bio" else "string"}
    pattern = _string_pattern(node)
    if pattern and name != "bio":
        out["pattern"] = pattern
    return out


def object_fields(
    node: dict, vocabulary: Vocabulary | None, lang: str, *, required: bool = True
) -> list[dict]:
    required = set(node.get("required", ())) if required else set()
    fields = [
        schema_field(key, sub, key in required, vocabulary, lang)
        for key, sub in node.get("properties", {}).items()
    ]
    return [f for f in fields if f]


def topics_field(vocabulary: Vocabulary, lang: str) -> dict:
    """The topics of the vocabulary, by their name in ``lang``: nothing else can be chosen."""
    return {
        "widget": "select",
        "multiple": True,
        "options": [
            {"label": t.names.get(lang) or t.slug, "value": t.names.get(lang) or t.slug}
            for t in vocabulary.topics.values()
        ],
    }


def profile_collection(schema: dict, folder: str, vocabulary: Vocabulary | None, lang: str) -> dict:
    return {
        "name": "experts",
        "label": _("Expert profiles"),
        "label_singular": _("expert profile"),
        "folder": folder,
        "extension": "yml",
        "format": "ambassade-profile",
        "create": True,
        "identifier_field": "name",
        "slug": "{{slug}}",
        "media_folder": "photos",
        "public_folder": "photos",
        "summary": "{{name}}",
        "fields": object_fields(schema, vocabulary, lang),
    }


def share_fields(lang: str) -> list[dict]:
    """A list of texts for every network, then one per network, each refused past its limit.

    The article's link is added to each text when it is shared and counts towards the limit
    (23 characters where the network shortens links): the form keeps that room.
    """
    link = {n.key: (n.url_length or 60) + 1 for n in NETWORKS.values()}
    everywhere = min(n.limit - link[n.key] for n in NETWORKS.values())
    limits = ", ".join(f"{n.label} {i18n.number(n.limit)}" for n in NETWORKS.values())

    def texts(name: str, label: str, room: int, hint: str) -> dict:
        return {
            "name": name,
            "label": label,
            "label_singular": label,
            "widget": "list",
            "required": False,
            "hint": hint,
            "field": {
                "name": "text",
                "label": label,
                "widget": "text",
                "pattern": [
                    f"^[\\s\\S]{{1,{room}}}$",
                    _(
                        "at most %(room)s characters: the article's link is added when it is shared",
                        room=i18n.number(room),
                    ),
                ],
            },
        }

    out = [
        texts(
            SHARE_KEY,
            "Share",
            everywhere,
            _(
                "Texts ready to post on every network; the article's link is added and counts towards "
                "each network's limit (characters): %(limits)s.",
                limits=limits,
            ),
        )
    ]
    for n in NETWORKS.values():
        out.append(
            texts(
                f"{SHARE_KEY}-{n.key}",
                f"Share-{n.label}",
                n.limit - link[n.key],
                _(
                    "Texts for %(network)s only: %(limit)s characters, the article's link included.",
                    network=n.label,
                    limit=i18n.number(n.limit),
                ),
            )
        )
    return out


def article_collection(
    settings: dict,
    folder: str,
    lang: str,
    vocabulary: Vocabulary | None,
    max_title: int,
    summary_required: bool,
) -> dict:
    default_lang = settings["DEFAULT_LANG"]
    with i18n.speaking(lang):
        fields = [
            {
                "name": "title",
                "label": "Title",
                "widget": "string",
                "hint": _(
                    "the article's title, as readers see it. "
                    "Keep it short: feeds and share cards cut long ones."
                ),
                "pattern": [
                    f"^.{{1,{max_title}}}$",
                    _("at most %(num)s characters", num=i18n.number(max_title)),
                ],
            },
            {
                "name": "date",
                "label": "Date",
                "widget": "datetime",
                "format": DATE_FORMAT,
                "date_format": "YYYY-MM-DD",
                "time_format": "HH:mm",
                "picker_utc": False,
                "default": "{{now}}",  # as new-article: the moment the article is started
                "hint": _(
                    "publication date, and time if you wish. A date in the future schedules the article."
                ),
            },
            {
                "name": "authors",
                "label": "Authors",
                "widget": "relation",
                "collection": "experts",
                "multiple": True,
                "search_fields": ["name"],
                "display_fields": ["name"],
                "value_field": "{{slug}}",
                "filters": [{"field": "published", "values": [True]}],
                "hint": _("the authors, among the published experts (co-authors allowed)."),
            },
            {
                "name": "tags",
                "label": "Tags",
                "required": True,
                "hint": _("topics of content/topics.yml: only these can be chosen."),
                **(topics_field(vocabulary, lang) if vocabulary else {"widget": "list"}),
            },
            {
                "name": "summary",
                "label": "Summary",
                "widget": "text",
                "required": summary_required,
                "hint": _("one or two sentences, shown on cards, in feeds and in share previews."),
                "pattern": ["^[^\\n]+$", _("one line")],
            },
            {"name": "lang", "label": "Lang", "widget": "hidden", "default": lang},
            {
                "name": "slug",
                "label": "Slug",
                "widget": "string",
                "hint": _(
                    "the article's address: /articles/<slug>/; a translation has the same slug as the "
                    "article it translates. Do not change it once published: links would break."
                ),
                "pattern": [SLUG_PATTERN, _("lower-case letters and digits, separated by hyphens")],
            },
            {
                "name": "status",
                "label": "Status",
                "widget": "select",
                "options": ["draft", "published"],
                "default": "draft",
                "hint": _("draft keeps the article off the public site."),
            },
            *share_fields(lang),
            {
                "name": "body",
                "label": _("Text"),
                "widget": "markdown",
                "modes": ["rich_text", "raw"],
                "hint": _("An image needs a description for people who cannot see it."),
            },
        ]
        label = _("Articles (%(lang)s)", lang=lang)
    return {
        "name": f"articles-{lang}",
        "label": label,
        "folder": folder,
        "extension": "md",
        "format": "ambassade-article",
        "create": True,
        "filter": {"field": "lang", "value": lang},
        "identifier_field": "title",
        "slug": "{{fields.slug}}" if lang == default_lang else f"{{{{fields.slug}}}}.{lang}",
        "summary": "{{title}} ({{status}})",
        "fields": fields,
    }


def backend_config(backend: Backend) -> dict:
    out: dict[str, Any] = {"name": backend.forge, "branch": backend.branch}
    if backend.repo:
        out["repo"] = backend.repo
    for key in ("base_url", "auth_endpoint", "api_root", "app_id", "preview_context"):
        if getattr(backend, key):
            out[key] = getattr(backend, key)
    if backend.forge in ("gitlab", "gitea", "forgejo") and backend.app_id:
        out["auth_type"] = "pkce"
    return out


def config(
    settings: dict,
    *,
    root: Path,
    schema: dict,
    vocabulary: Vocabulary | None,
    backend: Backend,
    max_title: int,
    summary_required: bool,
) -> dict:
    """``/admin/config.yml`` as a dict, for the site whose settings are ``settings``."""
    default_lang = settings["DEFAULT_LANG"]
    languages = tuple(settings.get("LANGUAGES") or (default_lang,))
    content = Path(settings["PATH"])
    articles = content / (settings.get("ARTICLE_PATHS") or [""])[0]
    experts = Path(settings.get("_EDITOR_EXPERTS") or root / "experts")
    rel = lambda p: os.path.relpath(p, root).replace(os.sep, "/")  # noqa: E731
    with i18n.speaking(default_lang):
        out: dict[str, Any] = {
            "backend": backend_config(backend),
            "locale": default_lang,
            "media_folder": rel(content / "images"),
            "public_folder": "{static}/images",
            "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
            "collections": [
                profile_collection(schema, rel(experts), vocabulary, default_lang),
                *(
                    article_collection(settings, rel(articles), lang, vocabulary, max_title, summary_required)
                    for lang in languages
                ),
            ],
        }
    if backend.local_url:
        # decap-server's file-system mode writes into the working tree: no pull request there.
        out["local_backend"] = {"url": backend.local_url, "allowed_hosts": ["127.0.0.1", "localhost"]}
    elif backend.forge in PULL_REQUESTS:
        out["publish_mode"] = "editorial_workflow"
    origin = settings.get("SITE", {}).get("origin") if isinstance(settings.get("SITE"), dict) else None
    if origin:
        out["site_url"] = origin
        out["display_url"] = origin
    return out


def formats(settings: dict) -> dict:
    """What ``ambassade-editor.js`` needs to write files as the scaffolds do: the profile template
    with markers for the name and slug, the article header's keys and the networks."""
    from ambassade.scaffold import COMMENT_WIDTH, RAW_COMMENT, render

    default_lang = settings["DEFAULT_LANG"]
    with i18n.speaking(default_lang):
        return _formats(
            default_lang,
            render(
                "expert.yml",
                raw_comments=True,
                name=NAME_MARKER,
                name_yaml=json.dumps(NAME_MARKER),
                slug=SLUG_MARKER,
            ),
            RAW_COMMENT,
            COMMENT_WIDTH,
        )


def _formats(default_lang: str, profile: str, raw_comment: str, comment_width: int) -> dict:
    return {
        "profile": {
            "template": profile,
            "name": NAME_MARKER,
            "slug": SLUG_MARKER,
            "raw_comment": raw_comment,
            "width": comment_width - 2,
        },
        "article": {
            "keys": list(ARTICLE_KEYS),
            "share": [SHARE_KEY] + [f"{SHARE_KEY}-{n.key}" for n in NETWORKS.values()],
            "labels": {
                SHARE_KEY: "Share",
                **{f"{SHARE_KEY}-{n.key}": f"Share-{n.label}" for n in NETWORKS.values()},
            },
            "placeholder": PLACEHOLDER,
        },
        "default_lang": default_lang,
        "messages": {
            "missing_alt": _(
                "an image has no description: write what it shows between the brackets, "
                "![like this](…), for people who cannot see it"
            )
        },
    }
