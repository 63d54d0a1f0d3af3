"""The content rules, run in a forked process beside the build rather than before it.

The build is all-or-nothing either way: ``ambassade.build`` swaps the new
output in only once the rules have answered, and a build whose sources break a
rule still fails with every finding and leaves the output untouched.

The rules render each article's Markdown to find its links and images
(review/render.py). Those renders are kept, by the whole document and the
renderer's code and settings, from one build to the next: in memory (the
livereload loop) and under ``CACHE_PATH/speed/``.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
import pickle
import tempfile
import traceback
from pathlib import Path
from typing import Any, Callable

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


def install_render_cache() -> bool:
    """Keep review's renders by document; False when review's renderer is not the one expected."""
    global _installed
    if _installed:
        return True
    try:
        from review import render
    except ImportError:
        return False
    cls = getattr(render, "Renderer", None)
    if cls is None or "render" not in cls.__dict__ or "__init__" not in cls.__dict__:
        return False
    code = _digest(inspect.getsource(render).encode())
    original_init, original_render = cls.__init__, cls.render

    def __init__(self, settings, *args, **kwargs):
        original_init(self, settings, *args, **kwargs)
        self._speed_key = _digest(code, repr((settings, args, sorted(kwargs.items()))).encode())

    def render_cached(self, doc):
        prefix = getattr(self, "_speed_key", None)
        try:
            key = _digest(prefix, pickle.dumps(doc, protocol=4)) if prefix else None
        except Exception:
            key = None
        if key is not None:
            _used.add(key)
        if key is not None and key in _memo:
            return pickle.loads(_memo[key])
        result = original_render(self, doc)
        if key is not None:
            try:
                _memo[key] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                pass
        return result

    cls.__init__ = __init__
    cls.render = render_cached
    _installed = True
    return True


def _cache_file(settings: dict) -> Path:
    return Path(settings["CACHE_PATH"]).resolve() / "speed" / "renders.pickle"


def _load(settings: dict) -> None:
    path = _cache_file(settings)
    if str(path) in _loaded or not path.is_file():
        return
    _loaded.add(str(path))
    try:
        with path.open("rb") as fh:
            for key, value in pickle.load(fh).items():
                _memo.setdefault(key, value)
    except Exception as exc:
        log.debug("speed: render cache %s unreadable (%s)", path, exc)


def _save(settings: dict, keep: set[bytes]) -> None:
    path = _cache_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as fh:
        pickle.dump({k: _memo[k] for k in keep if k in _memo}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class Pending:
    """The rules running in a child process; :meth:`result` waits for their findings."""

    def __init__(self, pid: int, out: str, tmpdir: tempfile.TemporaryDirectory, settings: dict) -> None:
        self.pid, self.out, self._tmp, self.settings = pid, out, tmpdir, settings
        self._result: Any = None
        self._done = False

    def result(self) -> list:
        if not self._done:
            from .timing import mark, report

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
                _, findings, new, used = self._result
                _memo.update(new)
                if self.settings.get("SPEED", {}).get("cache", True) and (new or not _cache_file(self.settings).is_file()):
                    try:
                        _save(self.settings, used)
                    except OSError as exc:
                        log.debug("speed: render cache not saved (%s)", exc)
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


def start(run: Callable[[dict], list], settings: dict) -> Pending | None:
    """Fork a process running ``run(settings)``; None when this platform cannot fork."""
    if not hasattr(os, "fork"):
        return None
    from .timing import mark

    mark("build: checks forked")
    cached = install_render_cache()
    if cached and settings.get("SPEED", {}).get("cache", True):
        _load(settings)
    tmp = tempfile.TemporaryDirectory(prefix="speed-check-")
    out = os.path.join(tmp.name, "findings.pickle")
    known = set(_memo)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 0
        try:
            _used.clear()
            findings = run(settings)
            new = {k: v for k, v in _memo.items() if k not in known}
            # This run's renders, old and new: the cache on disk keeps the live documents only.
            payload = ("ok", findings, new, set(_used))
        except BaseException as exc:
            status = 1
            payload = ("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        try:
            with open(out, "wb") as fh:
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(status)
    return Pending(pid, out, tmp, settings)
