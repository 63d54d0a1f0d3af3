"""Running the external commands targets rely on (rsync, ssh, git): failures as messages, not tracebacks."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence

from ambassade.i18n import _

from ..problems import PublishError


def run(
    argv: Sequence[str], *, input: str | None = None, env: Mapping[str, str] | None = None, what: str = ""
) -> str:
    """``argv``'s standard output; :class:`PublishError` with the end of its error output if it fails.

    ``what`` names the command in that message (default: the program).
    """
    try:
        done = subprocess.run(list(argv), input=input, capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        raise PublishError(
            _("%(command)s: command not found — install %(command)s on this machine", command=argv[0])
        ) from None
    if done.returncode:
        detail = (done.stderr or done.stdout).strip().splitlines()
        shown = " / ".join(detail[-5:]) or _("no message")
        raise PublishError(
            _(
                "%(command)s failed (exit %(status)s): %(error)s",
                command=what or argv[0],
                status=done.returncode,
                error=shown,
            )
        )
    return done.stdout
