"""rsync over SSH to the release layout of the folder target, on another machine.

rsync writes the new release under a hidden name (``--link-dest`` hard-links
every unchanged file to the live release, so only changes cross the network),
then short shell commands over SSH flush it to disk, rename it and switch
``current`` and ``host`` with ``mv -T`` (one ``rename(2)`` each). The
release's record and the web server's files go beside it, in
``releases/<name>.meta/`` (see :mod:`..layout`). The server needs GNU
coreutils (``mv -T``, ``sync FILE``), as any Linux has. Without a host, the
same commands run locally on a path: that is how the tests exercise them.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import layout
from ..manifest import Changes, files
from ..problems import PublishError
from ..releases import Release
from . import Checkpoint
from .commands import run

#: Between two records when ``releases`` reads them all in one command.
RECORD_SEPARATOR = "\n--ambassade-release--\n"


class Shell:
    """Runs short scripts where the releases live: over SSH, or locally without a host."""

    def __init__(self, options: Any):
        self.host: str = options.host
        self.user: str = options.user
        self.port = int(options.port)
        self.ssh_options: list[str] = list(options.ssh_options)

    @property
    def address(self) -> str:
        return f"{self.user}@{self.host}" if self.user else self.host

    def ssh(self) -> list[str]:
        # BatchMode: in CI nobody can type a password or accept a host key; fail instead of hanging.
        return ["ssh", "-p", str(self.port), "-o", "BatchMode=yes", *self.ssh_options]

    def argv(self, script: str) -> list[str]:
        return [*self.ssh(), self.address, script] if self.host else ["sh", "-c", script]

    def location(self, path: str) -> str:
        """A path as rsync names it: ``user@host:path``, or the local path."""
        return f"{self.address}:{path}" if self.host else path

    def run(self, script: str, input: str | None = None) -> str:
        return run(self.argv(script), input=input)


def parse_itemized(output: str, total: int) -> Changes:
    """Changes from rsync's ``--itemize-changes`` lines (``>f+++++++++ path``, ``*deleting path``)."""
    added, changed, removed = [], [], []
    for line in output.splitlines():
        code, name = line[:11], line[12:]
        if code.startswith("*deleting"):
            if not name.endswith("/"):
                removed.append(name)
        elif code[1:2] == "f" and code[0] in "<>c":
            (added if code[2:].startswith("+++") else changed).append(name)
    return Changes(tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)), total)


class RsyncTarget:
    name = "rsync"
    atomic = True

    def __init__(self, options: Any, keep: int):
        self.shell = Shell(options)
        self.path: str = options.path.rstrip("/") or "/"
        self.rsync_options: list[str] = list(options.rsync_options)
        self.keep = keep

    def describe(self) -> str:
        return self.shell.location(self.path)

    def state(self) -> tuple[str | None, list[str]]:
        """(the live release, every entry of releases/) on the destination."""
        out = self.shell.run(
            f"cd {shlex.quote(self.path)} 2>/dev/null || exit 0; "
            f"readlink {layout.CURRENT} || true; echo '--'; ls -1A {layout.RELEASES} 2>/dev/null || true"
        )
        head, _sep, names = out.partition("--\n")
        return layout.release_of(head.strip() or None), names.split()

    def rsync(self, site: Path, dest: str, *extra: str) -> list[str]:
        """The rsync command: the whole tree, compared by content.

        Every build rewrites every file, so dates say nothing: ``--checksum``
        compares contents, and dates are not kept (no ``--archive``), since
        ``--link-dest`` links only files whose kept attributes all match.
        An unchanged file thus keeps the date it was first published with.
        """
        remote_shell = ["-e", shlex.join(self.shell.ssh())] if self.shell.host else []
        return [
            "rsync",
            "--recursive",
            "--links",
            "--perms",
            "--checksum",
            "--delete",
            *remote_shell,
            *self.rsync_options,
            *extra,
            f"{site}/",
            self.shell.location(dest),
        ]

    def changes(self, site: Path) -> Changes:
        total = sum(1 for _ in files(site))
        live, _ = self.state()
        if live is None:
            return Changes(tuple(rel for rel, _ in files(site)), (), (), total)
        out = run(self.rsync(site, f"{self.path}/{layout.CURRENT}/", "--dry-run", "--out-format=%i %n"))
        return parse_itemized(out, total)

    def live_file(self, rel: str) -> bytes | None:
        return None  # reading the server's files for titles is not worth a connection per page

    def deploy(
        self, site: Path, release: Release, host: Path | None, changes: Changes, checkpoint: Checkpoint
    ) -> Release:
        live, names = self.state()
        name = layout.unique(release.name, layout.releases(names))
        release = replace(release, name=name)
        q = shlex.quote
        self.shell.run(f"mkdir -p {q(self.path)}/{layout.RELEASES}")
        stale = " ".join(
            q(f"{layout.RELEASES}/{n}") for n in [*layout.leftovers(names), *layout.orphans(names)]
        )
        if stale:
            self._in_root(f"rm -rf -- {stale}")
        incoming = f"{layout.RELEASES}/{layout.INCOMING}{name}"
        incoming_meta = f"{layout.RELEASES}/{layout.INCOMING}{layout.meta(name)}"
        # --link-dest is relative to the destination folder: the live release is its sibling.
        link_dest = [f"--link-dest=../{live}"] if live else []
        try:
            run(self.rsync(site, f"{self.path}/{incoming}/", *link_dest))
            checkpoint("copied")
            with tempfile.TemporaryDirectory(prefix="ambassade-release-") as tmp:
                meta = Path(tmp)
                if host is not None and host.is_dir():
                    for rel, path in files(host):
                        shutil.copy2(path, meta / rel)
                (meta / layout.RECORD).write_text(release.to_json(), encoding="utf-8")
                run(self.rsync(meta, f"{self.path}/{incoming_meta}/"))
            # Flush the new files and folders (GNU sync with names: each one's fsync), then rename.
            self._in_root(
                f"find {q(incoming)} {q(incoming_meta)} -exec sync -- {{}} + && "
                f"mv -T {q(incoming_meta)} {q(layout.link_value(layout.meta(name)))} && "
                f"mv -T {q(incoming)} {q(layout.link_value(name))} && sync -- {layout.RELEASES}"
            )
        except BaseException:
            # If the destination is unreachable now, the next publish removes it.
            with contextlib.suppress(PublishError):
                self._in_root(f"rm -rf -- {q(incoming)} {q(incoming_meta)}")
            raise
        checkpoint("before-swap")
        self.switch(name)
        checkpoint("swapped")
        _live, names = self.state()
        old = " ".join(
            q(layout.link_value(entry))
            for n in layout.to_prune(names, name, self.keep)
            for entry in (n, layout.meta(n))
        )
        if old:
            self._in_root(f"rm -rf -- {old}")
        return release

    def switch(self, release: str) -> None:
        """One rename of a new link onto ``current``, and one onto ``host``: ``ln -sfn`` then ``mv -T``."""
        q = shlex.quote
        script = " && ".join(
            f"ln -sfn {q(value)} {q(layout.next_link(link))} && mv -T {q(layout.next_link(link))} {link}"
            for link, value in (
                (layout.CURRENT, layout.link_value(release)),
                (layout.HOST, layout.link_value(layout.meta(release))),
            )
        )
        self._in_root(script)

    def releases(self) -> list[Release]:
        live, names = self.state()
        kept = layout.releases(names)
        if not kept:
            return []
        q = shlex.quote
        separator = f"printf {q(RECORD_SEPARATOR)}"
        reads = "; ".join(
            f"cat {q(layout.link_value(layout.meta(n)))}/{layout.RECORD} 2>/dev/null; {separator}"
            for n in kept
        )
        records = self._in_root(reads).split(RECORD_SEPARATOR.strip("\n"))
        return [
            Release.from_json(n, text.strip()).with_state(live=n == live)
            for n, text in zip(kept, records, strict=False)
        ]

    def _note(self, release: Release) -> None:
        """Write a release's record on the server: a new file renamed onto the old one."""
        folder = shlex.quote(layout.link_value(layout.meta(release.name)))
        self._in_root(
            f"mkdir -p {folder} && cat > {folder}/.{layout.RECORD}.tmp && "
            f"mv -T {folder}/.{layout.RECORD}.tmp {folder}/{layout.RECORD}",
            input=release.to_json(),
        )

    def _in_root(self, script: str, input: str | None = None) -> str:
        return self.shell.run(f"cd {shlex.quote(self.path)} && {script}", input=input)

    def rollback(self, to: str | None = None) -> tuple[Release, Release]:
        left, now = layout.switch_to(self.releases(), self.describe(), to)
        self.switch(now.name)
        self._note(left)
        self._note(now)
        return left, now
