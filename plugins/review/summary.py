"""The review report in a few lines of Markdown: what the pull-request workflow posts as a comment.

The same facts as the report's top, in the same order (errors, consent, new
people, new topics, addresses, charter), then one line per changed file with
its first changes, word by word, and the commits' authors. Contributors'
words are escaped: a title cannot mention someone or inject a link into the
comment. The first line is a marker the workflow finds to update its comment
rather than add one on every push.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ambassade.i18n import _, ngettext

from . import diff

# The report's own types (report.py imports this module): read by attribute.
Report = Entry = Any

MARKER = "<!-- ambassade:review-summary -->"
SHOWN = 20
"""Lines per list: a comment stays readable; the report has the rest."""
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    """Contributor's text as literal Markdown: no emphasis, link, HTML or mention of its own."""
    text = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return text.replace("@", "@\u200b")


def problem_text(code: str, base: str) -> str:
    """Why changes could not be listed (:data:`ambassade.git.PROBLEMS`), as the report says it."""
    return {
        "no-git": _("git is not installed on the machine that built this preview: changes cannot be listed."),
        "not-a-repository": _("This site is not in a git repository: changes cannot be listed."),
        "unknown-base": _(
            "No branch or commit is called %(base)s: there is nothing to compare with.", base=base
        ),
    }.get(code) or _(
        "This branch has no history in common with %(base)s: changes cannot be listed.", base=base
    )


def _status(entry: Entry) -> str:
    return {
        ("article", "added"): _("New article"),
        ("article", "modified"): _("Article changed"),
        ("article", "deleted"): _("Article deleted"),
        ("page", "added"): _("New page"),
        ("page", "modified"): _("Page changed"),
        ("page", "deleted"): _("Page deleted"),
        ("profile", "added"): _("New profile"),
        ("profile", "modified"): _("Profile changed"),
        ("profile", "deleted"): _("Profile deleted"),
        ("topic", "added"): _("New topic"),
        ("topic", "modified"): _("Topic changed"),
        ("topic", "deleted"): _("Topic removed"),
    }[(entry.kind, entry.status)]


def _changes(entry: Entry) -> str:
    parts = []
    if entry.text_diff:
        parts.append(diff.summary(_escaped(entry.text_diff)))
    for change in entry.fields[:3]:
        parts.append(f"`{change.name}` " + diff.summary(_escaped(change.segments), limit=1))
    return " · ".join(p for p in parts if p)


def _escaped(segments) -> list[diff.Segment]:
    return [diff.Segment(s.op, escape(s.text) + (" " if s.text.endswith(" ") else "")) for s in segments]


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= SHOWN:
        return lines
    more = len(lines) - SHOWN
    return [
        *lines[:SHOWN],
        "- " + ngettext("…and %(num)s more in the report", "…and %(num)s more in the report", more),
    ]


def render(report: Report) -> str:
    """The Markdown of the comment."""
    out = [MARKER]
    if report.problem:
        out += [f"## {_('Review report')}", "", problem_text(report.problem, escape(report.base))]
        return "\n".join(out) + "\n"
    base = escape(report.ref or report.base)
    out += [f"## {_('Review report')}", "", _("What this branch changes against %(base)s.", base=f"`{base}`")]
    counts = report.counts
    files = sum(sum(c.values()) for c in counts.values())
    errors = len(report.errors)
    out += [
        "",
        " · ".join(
            [
                ("❌ " if errors else "✅ ") + ngettext("%(num)s error", "%(num)s errors", errors),
                ngettext("%(num)s warning", "%(num)s warnings", report.warnings),
                ngettext(
                    "%(num)s point to decide first", "%(num)s points to decide first", report.flagged - errors
                ),
                ngettext("%(num)s file changed", "%(num)s files changed", files),
            ]
        ),
    ]
    first: list[str] = []
    for finding in report.errors:
        where = f"{finding.path}:{finding.line}:{finding.col}"
        fix = f" — {escape(finding.expected)}" if finding.expected else ""
        first.append(f"- ❌ `{where}` `{finding.rule}` {escape(finding.message)}{fix}")
    for change in report.consent:
        first.append(
            "- "
            + _(
                "Consent: %(name)s, %(field)s %(old)s → %(new)s",
                name=escape(change.entry.title or change.entry.path),
                field=f"`{change.field}`",
                old=f"`{escape(change.old or '∅')}`",
                new=f"**{escape(change.new or '∅')}**",
            )
        )
    for person in report.people:
        consent = ", ".join(f"`{k}: {escape(v)}`" for k, v in person.consent.items())
        first.append(
            "- " + _("New person: %(name)s (%(consent)s)", name=escape(person.entry.title), consent=consent)
        )
    for topic in report.topics:
        where = ", ".join(escape(e.path) for e in topic.entries) or "—"
        first.append(
            "- " + _("New topic: %(name)s (%(where)s)", name=f"**{escape(topic.name)}**", where=where)
        )
    for change in report.addresses:
        move = change.move
        if move.new and move.redirected:
            text = _("/%(old)s moves to /%(new)s: redirect written", old=move.old, new=move.new)
        elif move.new:
            text = _("/%(old)s moves to /%(new)s without a redirect", old=move.old, new=move.new)
        elif move.redirected:
            text = _("/%(old)s is removed: redirect written", old=move.old)
        else:
            text = _("/%(old)s is removed: it will answer 'page not found'", old=move.old)
        first.append(f"- {_('Address')}: {escape(text)}")
    for entry, finding in report.charter:
        if finding.is_error:
            continue  # already among the errors
        first.append(f"- {_('Charter')}: `{entry.path}:{finding.line}` {escape(finding.message)}")
    if first:
        out += ["", f"### {_('To decide first')}", *_listed(first)]
    lines = []
    for entry in report.entries:
        title = escape(entry.title or entry.path)
        changes = _changes(entry) if entry.status == "modified" else ""
        lines.append(
            f"- {_status(entry)}: **{title}** (`{entry.path}`)" + (f" — {changes}" if changes else "")
        )
    if lines:
        out += ["", f"### {_('Changes')}", *_listed(lines)]
    if report.authors:
        authors = ", ".join(f"{escape(name)} ({n})" for name, n in report.authors)
        out += ["", f"### {_('Commits')}", authors]
    return "\n".join(out) + "\n"


def write_summary(path: Path, report: Report, settings: dict) -> None:
    """Write the comment's Markdown beside the report (preview builds only, like the report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
