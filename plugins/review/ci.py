"""The pull request a preview is built for, as GitHub Actions describes it to the job.

Read from the ``GITHUB_*`` variables and the event file GitHub writes for the
job (``GITHUB_EVENT_PATH``); outside CI there is none and the report says
which commits it compares instead. Nothing here uses the network.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PullRequest:
    number: int
    title: str
    url: str
    author: str
    head: str
    """The branch proposed."""
    base: str


def pull_request(env: Mapping[str, str] | None = None) -> PullRequest | None:
    """The pull request of this CI job, or None (not in CI, or not a pull request's job)."""
    env = os.environ if env is None else env
    path = env.get("GITHUB_EVENT_PATH")
    if not path or "pull_request" not in env.get("GITHUB_EVENT_NAME", ""):
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            event = json.load(fh)
    except (OSError, ValueError):
        return None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pr, dict) or not isinstance(pr.get("number"), int):
        return None
    return PullRequest(
        number=pr["number"],
        title=str(pr.get("title") or ""),
        url=str(pr.get("html_url") or ""),
        author=str((pr.get("user") or {}).get("login") or ""),
        head=str((pr.get("head") or {}).get("ref") or ""),
        base=str((pr.get("base") or {}).get("ref") or ""),
    )


def commit_url(sha: str, env: Mapping[str, str] | None = None) -> str | None:
    """The commit's page on the forge, when CI says which repository this is."""
    env = os.environ if env is None else env
    server, repo = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY")
    return f"{server.rstrip('/')}/{repo}/commit/{sha}" if server and repo else None
