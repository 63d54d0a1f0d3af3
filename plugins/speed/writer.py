"""A writer that renders every page after all contexts exist, in forked processes.

``write_file`` and ``write_feed`` calls are recorded with the local context
Pelican would have built at that moment (same copy, same keyword arguments,
same overwrite checks), then rendered together just before the static files
are copied. Pelican's writer also sets the shared context's ``localsiteurl``
before each rendering (content objects read it to make their links relative);
the value each page would have seen is worked out in call order and set again
before that page renders, so forked processes render what a sequential run
renders.

Each output is compared with the same file of the previous output folder:
equal bytes are hard-linked instead of written. And a page is not rendered at
all when its key is the one of its last rendering (see fingerprint.py): the
digest of every template, plugin and context value, plus the digest of each
article body the page read (recorded through ``Content.get_content``,
``get_summary`` and ``_content`` while it rendered).

Links are made from the previous output only, never from ``CACHE_PATH`` (what
is kept there is read, checked and copied: store.py), and they are safe there
because no file of either folder is ever written in place: the folder being
built starts without a file (``ambassade.output`` hands it the last build's
folders, emptied), every page is written as a new file (``ambassade.output.put_file``), a
file Pelican's writer writes again is removed first (``compat.FreshFileWriter``),
and the output a build replaces is only ever renamed, then emptied. A link is
made only to a file whose bytes, or whose stamp (size, time, inode) recorded
when it was written, are those wanted: a file of the output changed by hand is
rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.plugins import signals
from pelican.utils import sanitised_join

# The folder the output will replace: pages are linked from it.
from ambassade.fastpath import PREVIOUS_OUTPUT
from ambassade.output import put_file

from . import compat, partials, reads, store
from .collection import fork
from .fingerprint import Fingerprinter, code_digest
from .settings import SpeedSettings

log = logging.getLogger(__name__)

# Manifests of the last build per output folder: name -> (key, deps, (size, mtime_ns, inode)).
_manifests: dict[str, dict[str, tuple]] = {}
_stats: dict[str, int] = {}


@dataclass
class _Job:
    kind: str  # "page" or "feed"
    name: str  # relative to the output folder
    path: str  # absolute, in the output folder being built
    template: Any = None
    localcontext: dict | None = None
    context: dict | None = None
    states: tuple = ()
    feed_args: tuple = ()
    key: str | None = None
    deps: dict = field(default_factory=dict)


class DeferredWriter(compat.FreshFileWriter):
    """Pelican's writer with rendering deferred to :meth:`flush`."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._jobs: list[_Job] = []
        self._siteurls: dict[int, tuple[dict, Any]] = {}
        self._flushed = False
        self._feeds_deferred = not (signals.feed_generated.receivers or signals.feed_written.receivers)

    # -- recording ---------------------------------------------------------------------------------

    def _known(self, context: dict) -> None:
        """Remember a context's ``localsiteurl`` as it is before any page of ours renders."""
        if id(context) not in self._siteurls:
            self._siteurls[id(context)] = (context, context.get("localsiteurl"))

    def _claim(self, filename: str, override: bool) -> bool:
        """Pelican's bookkeeping of what was written, without writing: False for a write to /dev/null."""
        return compat.claim(self, filename, override, self._drop)

    def _drop(self, filename: str) -> None:
        """A write that an overriding one replaces."""
        self._jobs = [j for j in self._jobs if j.path != filename]

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        if self._flushed or not self._feeds_deferred or not path:
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        complete = sanitised_join(self.output_path, path)
        self._known(context)
        if self._claim(complete, override_output):
            self._jobs.append(
                _Job(
                    "feed",
                    os.path.relpath(complete, self.output_path),
                    complete,
                    context=context,
                    states=tuple(self._siteurls.values()),
                    feed_args=(list(elements), context, path, url, feed_type, feed_title),
                )
            )
        return None

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if self._flushed:
            return super().write_file(
                name,
                template,
                context,
                relative_urls,
                paginated,
                template_name,
                override_output,
                url,
                **kwargs,
            )
        if name is False or name == "" or not name:
            return

        self._known(context)

        # Pelican's writer sets the context's ``localsiteurl`` as it writes each page, and the
        # next page's local context is a copy of the context: here, as it would be then.
        def siteurl():
            return self._siteurls[id(context)][1]

        for save_as, localcontext in compat.page_writes(
            self, name, context, relative_urls, paginated, template_name, url, kwargs, siteurl
        ):
            path = sanitised_join(self.output_path, save_as)
            if localcontext["localsiteurl"]:
                self._siteurls[id(context)] = (context, localcontext["localsiteurl"])
            if not self._claim(path, override_output):
                continue
            self._jobs.append(
                _Job(
                    "page",
                    os.path.relpath(path, self.output_path),
                    path,
                    template=template,
                    localcontext=localcontext,
                    context=context,
                    states=tuple(self._siteurls.values()),
                )
            )

    # -- rendering ---------------------------------------------------------------------------------

    def flush(self) -> None:
        """Render and write every recorded page; then behave like Pelican's writer."""
        if self._flushed:
            return
        self._flushed = True
        jobs, self._jobs = self._jobs, []
        if not jobs:
            return
        _flush(self, jobs)


def flush_before(static_generator) -> None:
    """Render the pages first thing in the static generator's output step (it always runs last)."""
    compat.before_output(static_generator, _flush_writer)


def _flush_writer(writer) -> None:
    if isinstance(writer, DeferredWriter):
        writer.flush()


# -- the flush itself ----------------------------------------------------------------------------

_reuse_keys = False
_changed_fields: dict[tuple, str] = {}


def reuse_keys(on: bool, fields: dict[tuple, str] | None = None) -> None:
    """The next flush takes each page's key from the last manifest (quick.py: they digest the same);
    of the profiles' fields, only ``fields`` (dependency -> digest now) changed since."""
    global _reuse_keys
    _reuse_keys = on
    _changed_fields.clear()
    _changed_fields.update(fields or {})


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str, dict]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            extra = {"limit_msg": record.__dict__["limit_msg"]} if "limit_msg" in record.__dict__ else {}
            self.records.append((record.name, record.levelno, record.getMessage(), extra))


_made: set[str] = set()


def _mkdir(path: str) -> None:
    """``os.makedirs`` once per folder and flush: a mkdir per page costs more than the link."""
    if path not in _made:
        os.makedirs(path, exist_ok=True)
        _made.add(path)


def _place(job: _Job, data: bytes | None, previous: Path | None) -> None:
    """Write ``data`` at the job's path, or link the previous output's file when it holds these bytes."""
    target = Path(job.path)
    old = previous / job.name if previous is not None else None
    if data is None:  # a feed: already written by Pelican's own code
        if (
            old is not None
            and old.is_file()
            and old.stat().st_size == target.stat().st_size
            and old.read_bytes() == target.read_bytes()
        ):
            target.unlink()
            os.link(old, target)
        return
    put_file(target, data, old)  # which makes the folder when it is missing


def _render(writer: DeferredWriter, job: _Job, previous: Path | None) -> dict:
    deps = reads.begin_page()
    try:
        if job.kind == "page":
            for ctx, value in job.states:
                ctx["localsiteurl"] = value
            data = job.template.render(job.localcontext).encode("utf-8")
            _place(job, data, previous)
        else:
            elements, context, path, url, feed_type, feed_title = job.feed_args
            compat.write_feed_now(writer, elements, context, path, url, feed_type, feed_title)
            _place(job, None, previous)
    finally:
        reads.end_page()
    return deps


def _batches(todo: list[int], taken, size: int):
    """Batches of ``todo`` until none is left, each taken once among the processes sharing ``taken``.

    Pages differ in cost (an expert's page lists all their articles): shared this
    way, the processes finish together rather than one waiting for the other.
    """
    while True:
        with taken.get_lock():
            start = taken.value
            taken.value = start + size
        if start >= len(todo):
            return
        yield from todo[start : start + size]


def _worker(writer: DeferredWriter, jobs: list[_Job], indexes, previous: Path | None, out: str) -> None:
    """In a forked process: render ``indexes``, then leave results in ``out``."""
    capture = _Capture()
    root = logging.getLogger()
    root.handlers[:] = [capture]
    root.setLevel(logging.WARNING)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    reads.install_tracking()
    results: dict[int, tuple] = {}
    error = None
    for index in indexes:
        before = len(capture.records)
        try:
            deps = _render(writer, jobs[index], previous)
        except BaseException as exc:  # reported by the main process, which raises it
            error = (index, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            break
        results[index] = (deps, capture.records[before:])
    with open(out, "wb") as fh:
        pickle.dump((results, error), fh, protocol=pickle.HIGHEST_PROTOCOL)


def _keys(writer: DeferredWriter, jobs: list[_Job], fingerprinter: Fingerprinter) -> None:
    """The key of each job: what it renders from, besides the article bodies it reads."""
    base = hashlib.sha1(code_digest(writer.settings).encode())
    contexts = list({id(j.context): j.context for j in jobs}.values())
    # Template globals, filters and tests are data too (functions closing over values).
    envs = {
        id(env): env for env in (getattr(j.template, "environment", None) for j in jobs) if env is not None
    }
    tables = [[env.globals, env.filters, env.tests] for env in envs.values()]
    base.update(fingerprinter.digest([contexts, tables]).encode())
    global_digest = base.hexdigest()
    missing = object()
    for job in jobs:
        items: list[tuple[str, Any]] = [("kind", job.kind), ("name", job.name)]
        items.append(("siteurls", [value for _ctx, value in job.states]))
        if job.kind == "page":
            ctx = job.context
            own = [(str(k), v) for k, v in job.localcontext.items() if ctx.get(k, missing) is not v]
            items += sorted(own, key=lambda kv: kv[0])
            items.append(("template", str(getattr(job.template, "name", ""))))
            items.append(("context", contexts.index(ctx)))
        else:
            elements, context, path, url, feed_type, feed_title = job.feed_args
            items += [
                ("elements", elements),
                ("path", path),
                ("url", url),
                ("type", feed_type),
                ("title", feed_title),
                ("context", contexts.index(context)),
            ]
        job.key = fingerprinter.page_digest(global_digest, items)


def _flush(writer: DeferredWriter, jobs: list[_Job]) -> None:
    from . import workers

    settings = writer.settings
    speed = SpeedSettings.of(settings)
    previous_setting = settings.get(PREVIOUS_OUTPUT)
    previous = Path(previous_setting) if previous_setting and Path(previous_setting).is_dir() else None
    manifest_id = str(previous_setting or settings["OUTPUT_PATH"])
    skip = speed.skip_unchanged
    settle()
    old = _manifests.get(manifest_id) or (_load_manifest(settings, manifest_id) if skip else None) or {}
    from .timing import mark

    mark(f"flush: {len(jobs)} pages and feeds recorded")
    reads.track_outside(False)
    started = time.perf_counter()
    reads.forget_digests()
    _made.clear()
    if previous_setting:
        from ambassade.output import adopt_spare

        adopt_spare(Path(previous_setting), Path(settings["OUTPUT_PATH"]))

    contexts = {id(j.context): j.context for j in jobs}.values()
    fingerprinter = Fingerprinter(
        aliases={settings["OUTPUT_PATH"]: manifest_id},
        unordered=[
            ctx[name]
            for ctx in contexts
            for name in ("generated_content", "static_content")
            if isinstance(ctx.get(name), dict)
        ],
    )
    # Keys decide what to skip; with nothing to compare them with (a first build into
    # this folder), they are worked out once the pages are rendered, in a forked process.
    keys_first = skip and bool(old) and previous is not None
    if keys_first and _reuse_keys and all(job.name in old for job in jobs):
        for job in jobs:
            job.key = old[job.name][0]
        mark("flush: keys of the last build")

        def field_now(dep: tuple, recorded: str) -> str | None:
            return _changed_fields.get(dep, recorded)

    else:
        if keys_first:
            _keys(writer, jobs, fingerprinter)
            _met_profiles(fingerprinter)
            mark("flush: keys")
        met = fingerprinter.profiles

        def field_now(dep: tuple, recorded: str) -> str | None:
            expert = met.get(dep[1])
            return None if expert is None else reads.field_digest(expert, dep[2])

    bodies = _current_bodies(jobs) if keys_first else {}

    def unchanged(deps: dict) -> bool:
        """True when every body and profile field the page read is as it read it."""
        for dep, recorded in deps.items():
            now = bodies.get(dep) if type(dep) is str else field_now(dep, recorded)
            if now != recorded:
                return False
        return True

    todo: list[int] = []
    reused = 0
    for index, job in enumerate(jobs):
        entry = old.get(job.name) if previous is not None else None
        if entry is not None and entry[0] == job.key and unchanged(entry[1]):
            source = previous / job.name
            try:
                st = source.stat()
                if (st.st_size, st.st_mtime_ns, st.st_ino) == entry[2]:
                    _mkdir(os.path.dirname(job.path))
                    os.link(source, job.path)
                    job.deps = entry[1]
                    reused += 1
                    continue
            except OSError:
                pass
        todo.append(index)

    mark(f"flush: keys computed, {len(todo)} to render")
    count = min(workers(settings), max(1, len(todo) // 8))
    records: dict[int, list] = {}
    # Cards kept from page to page (partials.py), emptied before the processes fork.
    partials.start()
    try:
        if count <= 1:
            if skip and not keys_first:
                _keys(writer, jobs, fingerprinter)
                _met_profiles(fingerprinter)
            saved = reads.install_tracking()
            try:
                for index in todo:
                    jobs[index].deps = _render(writer, jobs[index], previous)
            finally:
                reads.remove_tracking(saved)
        else:
            taken = multiprocessing.get_context("fork").Value("q", 0)
            with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
                children = []
                for k in range(count):
                    out = os.path.join(tmp, f"{k}.pickle")
                    mine = _batches(todo, taken, 8)
                    pid = fork()
                    if pid == 0:  # pragma: no cover - the child
                        status = 0
                        try:
                            _worker(writer, jobs, mine, previous, out)
                        except BaseException:
                            status = 1
                        finally:
                            os._exit(status)
                    children.append((pid, out))
                errors = []
                for pid, out in children:
                    os.waitpid(pid, 0)
                    try:
                        with open(out, "rb") as fh:
                            results, error = pickle.load(fh)
                    except OSError:
                        raise RuntimeError("a rendering process died without a word") from None
                    if error is not None:
                        errors.append(error)
                    for index, (deps, logs) in results.items():
                        jobs[index].deps = deps
                        records[index] = logs
                if errors:
                    index, message, trace = min(errors)
                    log.debug("%s", trace)
                    raise RuntimeError(f"{message} (while rendering {jobs[index].name})")
            if skip and not keys_first:
                # Keys only serve the next build: worked out beside the search index, in a
                # process forked now, while the contexts are as the pages rendered them.
                _keys_in_background(writer, jobs, fingerprinter, settings, manifest_id)
    finally:
        partials.stop()

    mark("flush: rendered")
    # Back in call order: what Pelican's writer does after each write.
    for index, job in enumerate(jobs):
        for name, level, message, extra in records.get(index, ()):
            logging.getLogger(name).log(level, "%s", message, extra=extra)
        if job.kind == "page":
            signals.content_written.send(job.path, context=job.localcontext)
    for ctx, value in jobs[-1].states:
        ctx["localsiteurl"] = value

    _stats.update(
        pages=len(jobs),
        rendered=len(todo),
        reused=reused,
        processes=count,
        ms=int((time.perf_counter() - started) * 1000),
    )
    if skip and not _background:
        new = _manifest_of(jobs)
        _manifests.clear()
        _manifests[manifest_id] = new
        if speed.cache:
            _save_manifest(settings, manifest_id, new)


def _manifest_of(jobs: list[_Job]) -> dict[str, tuple]:
    new = {}
    for job in jobs:
        st = os.stat(job.path)
        new[job.name] = (job.key, job.deps, (st.st_size, st.st_mtime_ns, st.st_ino))
    return new


_background: dict[str, Any] = {}  # the process working out the last flush's manifest

# The profile objects the last walk of the context met, by slug: the identity of each (None for
# a slug two objects have). Objects of this process, or of the process forked to walk it.
_profiles_met: dict[str, int | None] = {}


def _met(fingerprinter: Fingerprinter) -> dict[str, int | None]:
    return {slug: None if obj is None else id(obj) for slug, obj in fingerprinter.profiles.items()}


def _met_profiles(fingerprinter: Fingerprinter) -> None:
    _profiles_met.clear()
    _profiles_met.update(_met(fingerprinter))


def profiles_met() -> dict[str, int | None]:
    """Which object stands for each profile in the context, as the last walk of it found (by identity;
    None where two objects have one slug): what quick.py may change in place."""
    settle()
    return dict(_profiles_met)


def _keys_in_background(
    writer: DeferredWriter, jobs: list[_Job], fingerprinter: Fingerprinter, settings: dict, target: str
) -> None:
    # In a folder of its own, gone once read: not mistaken for an input (inputs.py).
    out = os.path.join(tempfile.mkdtemp(prefix="speed-keys-"), "manifest.pickle")
    pid = fork()
    if pid == 0:  # pragma: no cover - the child
        status = 0
        try:
            _keys(writer, jobs, fingerprinter)
            new = _manifest_of(jobs)
            if SpeedSettings.of(settings).cache:
                _save_manifest(settings, target, new)
            with open(out, "wb") as fh:
                pickle.dump((new, _met(fingerprinter)), fh, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    _manifests.clear()
    _profiles_met.clear()
    _background.update(pid=pid, out=out, target=target)


def settle() -> None:
    """Wait for the manifest of the last flush, if a process is still working it out."""
    if not _background:
        return
    pid, out, target = _background.pop("pid"), _background.pop("out"), _background.pop("target")
    try:
        os.waitpid(pid, 0)
        with open(out, "rb") as fh:
            _manifests[target], met = pickle.load(fh)
        _profiles_met.update(met)
    except (OSError, EOFError, pickle.UnpicklingError):
        pass  # no manifest: the next build renders every page
    finally:
        shutil.rmtree(os.path.dirname(out), ignore_errors=True)


def _current_bodies(jobs: list[_Job]) -> dict[str, str]:
    bodies: dict[str, str] = {}
    contexts = {id(j.context): j.context for j in jobs}
    for ctx in contexts.values():
        for content in (ctx.get("generated_content") or {}).values():
            if content is not None and compat.has_body(content):
                bodies[str(content.source_path)] = reads.body_digest(content)
    return bodies


def _manifest_file(settings: dict, target: str) -> Path:
    return store.path(settings, f"pages-{hashlib.sha1(target.encode()).hexdigest()[:16]}.pickle")


def _load_manifest(settings: dict, target: str) -> dict | None:
    if not SpeedSettings.of(settings).cache:
        return None
    stored = store.load(_manifest_file(settings, target))
    return stored[1] if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == target else None


def _save_manifest(settings: dict, target: str, entries: dict) -> None:
    store.save(_manifest_file(settings, target), (target, entries))


def stats() -> dict[str, int]:
    """What the last flush did: pages, rendered, reused, processes, ms."""
    return dict(_stats)
