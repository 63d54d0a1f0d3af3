"""Share items and campaigns: what comms curates for colleagues to share, besides our articles.

A share item is an outside page worth sharing, one Markdown file in the
content folder's ``shares/`` (``SHARING["items_path"]``), with a metadata
header like an article's and, as its body, why it matters::

    Title: L'empreinte environnementale du numérique en France
    URL: https://www.arcep.fr/la-regulation/grands-dossiers-thematiques-transverses/lempreinte-environnementale-du-numerique.html
    Date: 2026-11-16
    Share-Until: 2026-11-29
    Campaign: semaine-numerique-responsable
    Tags: Numérique responsable
    Lang: fr
    Share: Premier texte, pour tous les réseaux.
    Share: Une autre formulation du même message.
    Share-X: Un texte pour X seulement.

    Pourquoi le partager : deux phrases pour les collègues.

``Date`` is the day it enters the share kit, ``Share-Until`` the last day it
stays there (its short links keep working after it). A key of ``Share`` that
repeats gives variants: the kit offers them in turn. ``Code`` may choose the
item's short code (``/go/<code>/…``); else it is made from the file's name.

Campaigns (``SHARING["campaigns_file"]``, YAML) group items and articles
(``Campaign: <slug>`` in either's header)::

    semaine-numerique-responsable:
      name: {fr: Semaine du numérique responsable, en: Sustainable IT week}
      start: 2026-11-16
      end: 2026-11-29
      goal: {fr: Faire connaître notre démarche d'écoconception., en: …}
      clicks_goal: 300

The rules (``ambassade.rules.items``, which also reads every item with
:func:`~ambassade.rules.items.load_items`) check both with ``invoke check``; the
advocacy plugin builds the kit and the short links from them; ``invoke digest``
announces them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Finding, display_path
from .i18n import _
from .share import CODE_RE, ShareText, SharingSettings, item_code, share_texts

CAMPAIGN_KEYS = ("name", "start", "end", "goal", "clicks_goal")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Campaign:
    slug: str
    name: Mapping[str, str]
    """Per language; one text is the site's language's."""
    start: dt.date
    end: dt.date | None = None
    goal: Mapping[str, str] = field(default_factory=dict)
    clicks_goal: int | None = None

    def name_in(self, lang: str) -> str:
        return _in(self.name, lang) or self.slug

    def goal_in(self, lang: str) -> str:
        return _in(self.goal, lang)

    def running(self, today: dt.date) -> bool:
        return self.start <= today and (self.end is None or today <= self.end)


def _in(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class ShareItem:
    """An outside page to share, as its file says."""

    slug: str
    """The file's name without ``.md``."""
    path: Path
    title: str
    url: str
    day: dt.date
    """The first day it is in the kit."""
    until: dt.date | None
    """The last day it is in the kit; None: until the file is removed."""
    campaign: str | None
    tags: tuple[str, ...]
    lang: str
    texts: tuple[ShareText, ...]
    why: str
    """Why it matters, in Markdown (the file's body)."""
    code: str

    def current(self, today: dt.date) -> bool:
        """In the kit on ``today``."""
        return self.day <= today and (self.until is None or today <= self.until)


def items_folder(settings: Mapping[str, Any]) -> Path:
    return Path(settings["PATH"]) / SharingSettings.of(settings).items_path


def campaigns_path(settings: Mapping[str, Any]) -> Path:
    return Path(settings["PATH"]) / SharingSettings.of(settings).campaigns_file


def item_files(settings: Mapping[str, Any]) -> list[Path]:
    """Every share item's file, sorted (none when the folder does not exist)."""
    folder = items_folder(settings)
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def parse_day(value: str) -> dt.date | None:
    """``2026-11-16``, or a date-time with its zone (the day is the one written); None otherwise."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def share_item(doc: Any, default_lang: str) -> ShareItem | None:
    """The item a share file's header (a ``rules.frontmatter.Document``) describes; None when the rules would
    reject it (``invoke check`` says why)."""
    day = parse_day(doc.value("date"))
    until = parse_day(doc.value("share-until")) if doc.value("share-until") else None
    url = doc.value("url")
    if day is None or not url or (doc.value("share-until") and until is None):
        return None
    code = doc.value("code") or item_code(f"share:{doc.path.stem}")
    return ShareItem(
        slug=doc.path.stem,
        path=doc.path,
        title=doc.value("title") or url,
        url=url,
        day=day,
        until=until,
        campaign=doc.value("campaign") or None,
        tags=tuple(t.strip() for t in doc.value("tags").split(",") if t.strip()),
        lang=doc.value("lang") or default_lang,
        texts=tuple(share_texts(doc.entries)),
        why=doc.body.strip(),
        code=code if CODE_RE.fullmatch(code) else item_code(f"share:{doc.path.stem}"),
    )


# --- campaigns -----------------------------------------------------------------------------


def load_campaigns(
    settings: Mapping[str, Any], root: Path | None = None
) -> tuple[dict[str, Campaign], list[Finding]]:
    """The campaigns file's campaigns by slug, and a finding for each mistake in it.

    A missing file means no campaign. A campaign with a mistake is left out.
    """
    if "PATH" not in settings:
        return {}, []
    path = campaigns_path(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    return parse_campaigns(path, text, settings["DEFAULT_LANG"], root)


def parse_campaigns(
    path: Path, text: str, default_lang: str, root: Path | None = None
) -> tuple[dict[str, Campaign], list[Finding]]:
    shown = display_path(path, root)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return {}, [
            Finding(
                shown,
                line,
                col,
                "campaign",
                _("the campaigns file is not valid YAML (%(problem)s)", problem=getattr(exc, "problem", exc)),
                _("one entry per campaign: '<slug>:' then its name, start, end, goal"),
            )
        ]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [_finding(shown, node, _("the campaigns file is not a mapping"), _EXPECTED_FILE())]
    out: dict[str, Campaign] = {}
    findings: list[Finding] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        slug = str(key_node.value)
        if not CODE_RE.fullmatch(slug):
            findings.append(
                _finding(
                    shown,
                    key_node,
                    _("'%(slug)s' is not a campaign slug", slug=slug),
                    _("small letters, digits and dashes, e.g. 'semaine-numerique-responsable'"),
                )
            )
            continue
        if slug in seen:
            findings.append(
                _finding(shown, key_node, _("the campaign '%(slug)s' is given twice", slug=slug), "")
            )
            continue
        seen.add(slug)
        campaign, problems = _campaign(shown, slug, value_node, default_lang)
        findings += problems
        if campaign is not None and not problems:
            out[slug] = campaign
    return out, sorted(findings)


def _EXPECTED_FILE() -> str:
    return _("one entry per campaign: '<slug>:' then its name, start, end, goal")


def _finding(shown: str, node: yaml.Node, message: str, expected: str) -> Finding:
    return Finding(shown, node.start_mark.line + 1, node.start_mark.column + 1, "campaign", message, expected)


def _campaign(
    shown: str, slug: str, node: yaml.Node, default_lang: str
) -> tuple[Campaign | None, list[Finding]]:
    if not isinstance(node, yaml.MappingNode):
        return None, [
            _finding(shown, node, _("the campaign '%(slug)s' is not a mapping", slug=slug), _EXPECTED_FILE())
        ]
    data = yaml.load(yaml.serialize(node), Loader=_Loader)
    nodes = {str(k.value): v for k, v in node.value}
    problems: list[Finding] = []
    for key, value_node in nodes.items():
        if key not in CAMPAIGN_KEYS:
            problems.append(
                _finding(
                    shown,
                    value_node,
                    _("'%(key)s' is not a field of a campaign", key=key),
                    _("one of %(keys)s", keys=", ".join(CAMPAIGN_KEYS)),
                )
            )
    texts: dict[str, dict[str, str]] = {}
    for key in ("name", "goal"):
        value = data.get(key)
        if value is None:
            texts[key] = {}
        elif isinstance(value, str) and value.strip():
            texts[key] = {default_lang: value.strip()}
        elif (
            isinstance(value, dict)
            and value
            and all(isinstance(v, str) and v.strip() for v in value.values())
        ):
            texts[key] = {str(k): v.strip() for k, v in value.items()}
        else:
            problems.append(
                _finding(
                    shown,
                    nodes[key],
                    _("the campaign's %(key)s is not a text", key=key),
                    _("a text, or one per language: {fr: …, en: …}"),
                )
            )
    if "name" not in data:
        problems.append(
            _finding(shown, node, _("the campaign '%(slug)s' has no name", slug=slug), _("name: …"))
        )
    days: dict[str, dt.date | None] = {}
    for key in ("start", "end"):
        value = data.get(key)
        if value is None:
            days[key] = None
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            days[key] = value
        else:
            problems.append(
                _finding(
                    shown, nodes[key], _("%(value)r is not a day", value=value), _("a day such as 2026-11-16")
                )
            )
    if "start" not in data:
        problems.append(
            _finding(
                shown, node, _("the campaign '%(slug)s' has no start", slug=slug), _("start: 2026-11-16")
            )
        )
    start, end = days.get("start"), days.get("end")
    if start and end and end < start:
        problems.append(
            _finding(
                shown,
                nodes["end"],
                _("the campaign ends (%(end)s) before it starts (%(start)s)", end=end, start=start),
                _("an end on or after the start"),
            )
        )
    goal = data.get("clicks_goal")
    if goal is not None and (not isinstance(goal, int) or isinstance(goal, bool) or goal < 1):
        problems.append(
            _finding(
                shown,
                nodes["clicks_goal"],
                _("%(value)r is not a number of clicks", value=goal),
                _("a whole number, 1 or more"),
            )
        )
        goal = None
    if problems or start is None:
        return None, problems
    return Campaign(slug, texts["name"], start, end, texts["goal"], goal), problems
