"""Findings about content, and how they are shown to the people who fix them.

Every problem ambassade finds in a profile or an article is a :class:`Finding`
that names the file, line and column, a stable rule id, what is wrong and what
was expected. The build, ``invoke check`` and the tests all print findings
through :func:`format_text`, so a contributor sees one format everywhere:

    experts/claire-martin.yml:4:7: profile-schema: error: 'role' is missing — expected a job title
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .i18n import _, ngettext


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one place of one file."""

    path: str
    """Path of the file, relative to the project root when it is inside it."""
    line: int
    """1-based line; 1 when the problem concerns the whole file."""
    col: int
    """1-based column."""
    rule: str
    """Stable identifier of the rule, e.g. ``article-author``."""
    message: str
    """What is wrong."""
    expected: str = ""
    """What was expected instead, or how to fix it."""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        """The finding as people read it, the severity in their language (the rule id never is)."""
        fix = f" — {self.expected}" if self.expected else ""
        severity = _("error") if self.is_error else _("warning")
        return f"{self.path}:{self.line}:{self.col}: {self.rule}: {severity}: {self.message}{fix}"


class ContentError(Exception):
    """Raised when content has errors: carries every finding, not only the first."""

    def __init__(self, findings: Iterable[Finding]):
        self.findings = sorted(findings)
        super().__init__("\n".join(f.text() for f in self.findings))


def display_path(path: Path | str, root: Path | None = None) -> str:
    """The path as a contributor would type it: relative to ``root`` (or the working dir)."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def format_text(findings: Iterable[Finding]) -> str:
    return "\n".join(f.text() for f in sorted(findings))


def format_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands, so findings show up on the pull request's diff."""

    def escape_data(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(s: str) -> str:
        return escape_data(s).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for f in sorted(findings):
        fix = f" — {f.expected}" if f.expected else ""
        lines.append(
            f"::{f.severity.value} file={escape_property(f.path)},line={f.line},"
            f"col={f.col},title={escape_property(f.rule)}::{escape_data(f.message + fix)}"
        )
    return "\n".join(lines)


def format_json(findings: Iterable[Finding]) -> str:
    rows = []
    for f in sorted(findings):
        row = asdict(f)
        row["severity"] = f.severity.value
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)


def summary(findings: Iterable[Finding]) -> str:
    """How many errors and warnings, in the tools' language: "2 errors, 1 warning"."""
    findings = list(findings)
    n_err = len(errors(findings))
    n_warn = len(findings) - n_err
    return _(
        "%(errors)s, %(warnings)s",
        errors=ngettext("%(num)s error", "%(num)s errors", n_err),
        warnings=ngettext("%(num)s warning", "%(num)s warnings", n_warn),
    )
