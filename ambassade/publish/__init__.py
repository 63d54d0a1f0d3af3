"""Publishing: deploy the production build all-or-nothing, list the releases, roll back or forward.

Not a Pelican plugin: a library that ``invoke publish``, ``invoke releases``
and ``invoke rollback`` (tasks.py) call. One ``PUBLISH`` dict in
publishconf.py (settings.py) picks the target and the branch that publishes.

- :mod:`.run`: guard, build into a temporary folder, verify, compare, deploy; the command-line entries.
- :mod:`.guard`: only the pushed head of the publishing branch, committed, goes live (unless ``--force``).
- :mod:`.verify`: what must never go live (drafts, scheduled articles, review and
  internal pages, broken links, third-party requests); :mod:`.references` checks links.
- :mod:`.manifest`: files and content hashes, what changed; :mod:`.summary`: the same by page.
- :mod:`.releases`: a release's record (commit, date, who); :mod:`.layout`: release
  folders and the ``current`` link (folder and rsync targets).
- :mod:`.targets`: folder, rsync, gh-pages, s3.
"""

from .problems import ProblemsFound, PublishError
from .run import Outcome, main, publish, releases, releases_main, rollback, rollback_main

__all__ = [
    "Outcome",
    "ProblemsFound",
    "PublishError",
    "main",
    "publish",
    "releases",
    "releases_main",
    "rollback",
    "rollback_main",
]
