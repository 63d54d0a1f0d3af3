"""Publishing: deploy the production build all-or-nothing, and roll it back in one step.

Not a Pelican plugin: a library that ``invoke publish`` and ``invoke rollback``
(tasks.py) call. One ``PUBLISH`` dict in publishconf.py picks the target.

- :mod:`.run`: build into a temporary folder, verify, compare, deploy; the command-line entries.
- :mod:`.verify`: what must never go live (drafts, scheduled articles, review and
  internal pages, broken links, third-party requests); :mod:`.references` checks links.
- :mod:`.manifest`: files and content hashes, what changed.
- :mod:`.layout`: release folders and the ``current`` link (folder and rsync targets).
- :mod:`.targets`: folder, rsync, gh-pages, s3.
"""

from .problems import Problem, ProblemsFound, PublishError
from .run import Outcome, main, publish, rollback, rollback_main

__all__ = [
    "Outcome",
    "Problem",
    "ProblemsFound",
    "PublishError",
    "main",
    "publish",
    "rollback",
    "rollback_main",
]
