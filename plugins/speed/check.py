"""The content rules, run in a forked process beside the build rather than before it.

The build is all-or-nothing either way: ``ambassade.build`` swaps the new
output in only once the rules have answered, and a build whose sources break a
rule still fails with every finding and leaves the output untouched.

The rules render each article's body to find its links and images
(review/render.py). The process is forked once the conversion workers
(markdown.py) are done, and finds Pelican's HTML of every body there
(:func:`hand_bodies`): Markdown is converted once. Renders are kept, by body and
the renderer's code and settings, from one build to the next under
``CACHE_PATH/speed/``: the checking process reads and writes that file itself,
so the build never waits for the renders to come back (20 MB for 5,000 articles).
"""

from __future__ import annotations

import atexit
import hashlib
import inspect
import logging
import os
import pickle
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import store
from .collection import fork
from .settings import SpeedSettings

log = logging.getLogger(__name__)

_memo: dict[bytes, bytes] = {}
_used: set[bytes] = set()
_loaded: set[str] = set()
_installed = False


def _digest(*parts: bytes) -> bytes:
    h = hashlib.sha1()
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.digest()


def _renderer_code() -> bytes:
    from ambassade.rules import render

    return _digest(inspect.getsource(render).encode())


def render_key(markdown_settings: dict, doc) -> bytes:
    """The key of a body's render: the renderer's code and settings, the body and where it starts."""
    global _code
    if _code is None:
        _code = _renderer_code()
    return _digest(
        _code,
        repr(markdown_settings).encode(),
        doc.body.encode("utf-8", "surrogatepass"),
        str(doc.body_line).encode(),
    )


_code: bytes | None = None


# Pelican's HTML of each source's body, by absolute path, with the digest of the text it was
# made from, and the Markdown settings it was made with: handed over before the rules'
# process is forked (it inherits them).
_bodies: dict[str, tuple[str, str]] = {}
_bodies_settings: dict | None = None


def text_digest(text: str) -> str:
    """What names a source's text as Pelican's reader decodes it (the rules decode it alike)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def hand_bodies(markdown_settings: dict, bodies: dict[str, tuple[str, str]]) -> None:
    """Pelican's conversions of ``bodies`` (path -> (digest of the text converted, HTML)), made with
    ``markdown_settings``, for the rules.

    Pelican's reader and the rules' renderer run the same Markdown on the same
    body (the header is metadata to both), so the conversion made for the site
    serves the rules too: they only look through it for links, images and ids.
    That look happens in the rules' process, beside the build, rather than in
    the conversion workers that the whole build waits for. The rules read each
    file themselves: a conversion serves them only when it was made from the
    text they read (a file saved in between is rendered again, not mistaken).
    """
    global _bodies_settings
    _bodies.clear()
    _bodies.update(bodies)
    _bodies_settings = markdown_settings


def install_render_cache() -> bool:
    """Keep review's renders by body; False when the rules offer no way to (``render_through``)."""
    global _installed
    if _installed:
        return True
    try:
        from ambassade.rules import render
    except ImportError:
        return False
    if not callable(getattr(render, "render_through", None)):
        return False
    render.render_through(_render_cached)
    _installed = True
    return True


def _render_cached(renderer, doc, convert):
    if _kept_in is not None:
        _load(_kept_in)
    key = render_key(renderer.settings, doc)
    _used.add(key)
    if key in _memo:
        return pickle.loads(_memo[key])
    from ambassade.rules import render

    found = _bodies.get(os.path.abspath(doc.path)) if renderer.settings == _bodies_settings else None
    html = found[1] if found is not None and found[0] == text_digest(doc.source) else None
    result = render.collect(doc, html) if isinstance(html, str) else convert(doc)
    _memo[key] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def _cache_file(settings: dict) -> Path:
    return store.path(settings, "renders.pickle")


def _load(path: Path) -> None:
    if str(path) in _loaded:
        return
    _loaded.add(str(path))
    kept = store.load(path)
    for key, value in (kept if isinstance(kept, dict) else {}).items():
        _memo.setdefault(key, value)


def _save(path: Path, keep: set[bytes]) -> None:
    store.save(path, {k: _memo[k] for k in keep if k in _memo})


class Pending:
    """The rules, to run in a child process; :meth:`result` waits for their findings.

    The process is forked by :meth:`launch`, once the sources are converted
    (the rules then find every render made already, and the profiles read), or
    by :meth:`result` if the build ends before that.
    """

    def __init__(
        self,
        run: Callable[[dict], list],
        settings: dict,
        site: Callable | None = None,
        again: Callable | None = None,
    ) -> None:
        self.run, self.settings = run, settings
        self.site, self.again = site, again
        self.pid: int | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="speed-check-")
        self.out = os.path.join(self._tmp.name, "findings.pickle")
        self._result: Any = None
        self._done = False

    def launch(self) -> None:
        global _waiting
        if self.pid is not None:
            return
        if _waiting is self:
            _waiting = None
        from .timing import mark

        mark("checks forked")
        pid = fork()
        if pid == 0:  # pragma: no cover - the child
            status = 0
            try:
                if _kept_in is not None:
                    _load(_kept_in)
                known = set(_memo)
                _used.clear()
                memo = None
                last = _last_memo() if self.again is not None and _changed is not None else None
                partial = last is not None
                if partial:
                    findings, memo = self.again(self.settings, last, _changed)
                elif self.site is not None:
                    checked = self.site(self.settings)
                    findings, memo = checked.findings, checked.memo
                else:
                    findings = self.run(self.settings)
                if _kept_in is not None and (set(_memo) - known or not _kept_in.is_file()):
                    # A full check's renders, old and new: the cache on disk keeps the live documents
                    # only. Checking a few edited files again reads a few renders: keep the others.
                    try:
                        _save(_kept_in, set(_memo) if partial else _used)
                    except OSError as exc:
                        log.debug("speed: render cache not saved (%s)", exc)
                payload = ("ok", findings, _keep_memo(memo))
            except BaseException as exc:
                status = 1
                payload = ("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())
            try:
                with open(self.out, "wb") as fh:
                    pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(status)
        self.pid = pid

    def result(self) -> list:
        if not self._done:
            from .timing import mark, report

            self.launch()
            self._done = True
            mark("waiting for the content checks")
            os.waitpid(self.pid, 0)
            mark("content checks done")
            report()
            try:
                with open(self.out, "rb") as fh:
                    self._result = pickle.load(fh)
            except (OSError, EOFError, pickle.UnpicklingError):
                self._result = ("error", "the checking process died without a word", "")
            finally:
                self._tmp.cleanup()
            if self._result[0] == "ok":
                global _memo_file
                _forget_memo()
                _, _, _memo_file = self._result
        if self._result[0] != "ok":
            _, message, trace = self._result
            log.debug("%s", trace)
            raise RuntimeError(f"the content checks crashed: {message}")
        return self._result[1]

    def cancel(self) -> None:
        if not self._done:
            try:
                self.result()
            except RuntimeError:
                pass


_waiting: Pending | None = None
_kept_in: Path | None = None  # the file keeping the renders of this build's sources
# The file holding the last run's findings by file (review's check Memo, :func:`_keep_memo`), and the
# files whose text changed since: set by quick.py when it knows nothing else did, so that only those
# are checked again.
_memo_file: str | None = None
_changed: set[Path] | None = None


def _keep_memo(memo) -> str | None:
    """In the checking process: ``memo`` in a file of its own, for the next check to read.

    The build itself never reads it: handed back with the findings, its 10,000
    paths took 0.3 s to unpickle, after the build, at every rebuild. The next
    checking process reads it instead, beside that build.
    """
    if memo is None:
        return None
    fd, path = tempfile.mkstemp(prefix="speed-check-memo-", suffix=".pickle")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(memo, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _last_memo() -> Any:
    """The last check's memo (:func:`_keep_memo`), or None when there is none to read."""
    if _memo_file is None:
        return None
    try:
        with open(_memo_file, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None  # everything is checked again


def _forget_memo() -> None:
    global _memo_file
    if _memo_file is not None:
        try:
            os.unlink(_memo_file)
        except OSError:
            pass
        _memo_file = None


atexit.register(_forget_memo)


def start(
    run: Callable[[dict], list], settings: dict, site: Callable | None = None, again: Callable | None = None
) -> Pending | None:
    """The rules ``run(settings)``, to be forked later; None when this platform cannot fork.

    With ``site`` (settings -> a checked site with its ``memo``) and ``again``
    (settings, memo, changed -> findings and memo), a rebuild after edits to
    article text only (:func:`text_changed`) checks only what those edits reach.
    """
    global _waiting, _changed, _kept_in
    if not hasattr(os, "fork"):
        return None
    cached = install_render_cache()
    # Read when a render is first asked for: in the checking process, or in this one
    # when a page shows findings (the review report).
    _kept_in = _cache_file(settings) if cached and SpeedSettings.of(settings).cache else None
    _changed = None
    _waiting = Pending(run, settings, site, again)
    return _waiting


def text_changed(paths) -> None:
    """Only the text of these files changed since the last check (quick.py)."""
    global _changed
    _changed = {Path(p).resolve() for p in paths}


def rules_waiting() -> bool:
    """True while the rules of this build wait to be forked."""
    return _waiting is not None and _waiting.pid is None


def launch_waiting() -> None:
    """Fork the rules now: every source is converted."""
    if _waiting is not None:
        _waiting.launch()
