"""What stops a publish, said so that someone can act on it.

A problem in the built site, the settings or the repository is a
:class:`~ambassade.diagnostics.Finding`, the one type of every error of every
command, with a stable rule id for CI annotations::

    brouillons/x/index.html:12:5: publish-draft: error: a draft is in the production build — …

Every problem is collected before the publish stops, so one run lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from ambassade.diagnostics import Finding, format_text


class PublishError(Exception):
    """The publish (or rollback) stopped; the message says why and what is live now."""


class ProblemsFound(PublishError):
    """Something was checked and failed: carries every finding, not only the first."""

    def __init__(self, findings: Iterable[Finding], subject: str):
        self.findings = sorted(set(findings))
        self.subject = subject
        """What was checked, in the tools' language: "the site", "the settings", "the repository"."""
        super().__init__(format_text(self.findings))


def at(path: str, rule: str, message: str, expected: str = "", line: int = 1, col: int = 1) -> Finding:
    """A finding about a whole file of the built site (or a place that has no line)."""
    return Finding(path, line, col, rule, message, expected)
