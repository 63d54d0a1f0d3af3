"""The search index: Pagefind, run over the built site, in parts.

Pagefind ships as a binary inside its Python wheel, so indexing needs no
network. Only pages that carry ``data-pagefind-body`` (expert profiles and
topics in each language, published articles) are indexed, each with the names
and synonyms of its topics; their filters (kind, expertise, language, and
``in``/``also``, which the search page uses to list the reader's language
first) come from theme/templates/partials/search_fields.html. One index holds
every language, so that a reader finds what exists in the other one only.

A large site is indexed in parts of ``pages_per_part`` pages at most on average (the
``DISCOVERY`` setting ``search_part_pages``; a page's part is fixed by a digest
of its path), each an index of its own that the
search page merges (Pagefind's ``mergeIndex``; results are ranked across parts
by their scores; a part lacking a searched word answers with near words, as
Pagefind does, so a search may list a few more pages than one index would).
A page in another language goes in the part of its version in the site's
language. Pagefind has no incremental mode and its memory grows with
the whole index: parts bound its memory, run on every core, and after an edit
only the part holding the edited page is indexed again; the others are linked
from the output this build replaces when their files are still the ones this
cache recorded placing there (size, time, inode), else copied from the cache.
The first part is ``pagefind/``, the others ``pagefind/part-N/``;
``pagefind/parts.json`` lists them all.

The kept parts (``CACHE_PATH/discovery/pagefind-<digest>/``) are keyed by the
pages they index, so their own bytes are checked too: each is kept with the
digest of every file, copied (never linked: an edit to the cache must not
change a built site) and checked as it is copied; a part that does not match
is dropped and indexed again. When a part's pages changed only where Pagefind
does not look (indexed.py: an author's card marked ``data-pagefind-ignore``,
the links around the indexed body), the last build's index of that part is
taken again: the pages whose bytes changed are compared with their version in
the output this build replaces, by what Pagefind indexes of each.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ambassade.filecache import place
from ambassade.i18n import _


class SearchIndexError(RuntimeError):
    pass


MARKER = b"data-pagefind-body"
PAGES_PER_PART = 500
PARTS_FILE = "parts.json"


def build_index(
    output: Path,
    language: str,
    cache: Path | None = None,
    pages_per_part: int = PAGES_PER_PART,
    previous: Path | None = None,
    translated: tuple[str, ...] = (),
) -> None:
    """Index the marked pages of ``output``; ``previous``: the output this build replaces;
    ``translated``: the folders of the other languages' pages (``en/``)."""
    # One index for every language (forced), so a search finds English and
    # French pages alike; the page's language is a filter instead.
    # Pagefind indexes only the pages marked data-pagefind-body when any page is,
    # yet parses every page to find out: each part is given its marked pages only,
    # by name (see _index_part).
    marked = _marked(output)
    # Pagefind makes no index of nothing: a part the digests left empty is left
    # out, and a site with nothing to find yet lists no part (the search page
    # then keeps its form hidden, theme/static/js/search.js).
    parts = [pages for pages in _parts(marked, pages_per_part, translated) if pages]
    names = [_part_name(n) for n in range(len(parts))]
    shutil.rmtree(output / "pagefind", ignore_errors=True)
    # Inside the folder being built (a killed build leaves nothing beside it), on its file system.
    with (
        tempfile.TemporaryDirectory(prefix=".pagefind-", dir=output) as tmp,
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
    ):
        jobs, running = [], []
        records = _records(cache, language)
        by_kept = {
            record.get("kept"): (name, record) for name, record in records.items() if isinstance(record, dict)
        }
        for name, pages in zip(names, parts, strict=True):
            inputs = _digest(language, pages)
            kept = cache / f"pagefind-{inputs}" if cache is not None else None
            alike = linked = None
            if kept is not None and previous is not None:
                if kept.name in by_kept:
                    linked = _previous_part(previous, *by_kept[kept.name])
                elif not kept.is_dir():
                    alike = _indexed_alike(records.get(name), pages, previous, cache)
                    if alike is not None:
                        linked = _previous_part(previous, name, records.get(name))
            jobs.append((name, pages, language, kept, Path(tmp) / (name or "first"), alike, linked))
            # Started at once: Pagefind indexes a part while the next ones' pages are compared.
            running.append(pool.submit(_index_part, output, *jobs[-1]))
        built = [future.result() for future in running]
        # The first part holds Pagefind's scripts and must not be written over by the others.
        for name, (folder, _linked) in zip(names, built, strict=True):
            shutil.move(str(folder), output / "pagefind" / name)
        # A part linked is the same files, moved with their folder: their stamps are as recorded.
        files = {
            name: linked if linked is not None else _stamps(output / "pagefind" / name, first=not name)
            for name, (_folder, linked) in zip(names, built, strict=True)
        }
    (output / "pagefind").mkdir(exist_ok=True)
    (output / "pagefind" / PARTS_FILE).write_text(
        json.dumps({"parts": [f"pagefind/{name}" if name else "pagefind/" for name in names]}) + "\n",
        encoding="utf-8",
    )
    if cache is not None:
        _remember(cache, language, {job[0]: (job[3].name, job[1], files[job[0]]) for job in jobs})
        _forget(cache, {job[3].name for job in jobs})


def _part_name(number: int) -> str:
    return f"part-{number + 1}/" if number else ""


def _parts(
    marked: list[tuple[str, Path, bytes]], pages_per_part: int, translated: tuple[str, ...] = ()
) -> list[list[tuple[str, Path, bytes]]]:
    """Marked pages spread over a power of two of parts, by a digest of their path.

    A page stays in its part as long as the number of parts holds; it doubles
    when the average part would pass ``pages_per_part``. A page in another
    language (under one of the ``translated`` folders) goes with its version in
    the site's language: an edit to a profile changes both, and indexes one part again.
    """
    count = 1
    while len(marked) > count * max(1, pages_per_part):
        count *= 2
    parts: list[list] = [[] for _ in range(count)]
    for page in marked:
        rel = page[0]
        for folder in translated:
            if rel.startswith(folder):
                rel = rel[len(folder) :]
                break
        parts[int.from_bytes(hashlib.sha1(rel.encode()).digest()[:4], "big") % count].append(page)
    return parts


def _index_part(
    output: Path,
    name: str,
    pages: list,
    language: str,
    kept: Path | None,
    dest: Path,
    alike: Path | None,
    linked: tuple[Path, dict] | None,
) -> tuple[Path, dict | None]:
    """One part's index in ``dest``: linked from the output this build replaces (``linked``) or
    copied from the cache when made of the same pages, or of pages Pagefind reads alike
    (``alike``, the kept index of the last build's, which takes their digest), else made.
    With the stamps of its files when they were linked."""
    if alike is not None and kept is not None:
        # The last build's index stands for these pages now: kept under their digest, it is
        # the same files (the old digest's pages are gone, nothing else would take it).
        try:
            os.rename(alike, kept)
        except OSError:
            alike = None
    if linked is not None and _link(*linked, dest):
        if kept is not None and not kept.is_dir():
            _keep(dest, kept)
        return dest, linked[1]
    if kept is not None and kept.is_dir() and _restore(kept, dest):
        return dest, None
    # Pagefind is given a folder of the part's pages only, linked from the output: handed the
    # whole output and a glob of them, each of its runs walked the site's 20,000 files (0.09 s).
    work = dest.with_name(dest.name + ".config")
    site = work / "pages"
    _link_each(((path, f"{site}/{rel}") for rel, path, _digest in pages), place)
    config = {"site": str(site), "output_path": str(dest), "force_language": language}
    (work / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(
        [_executable(), "--silent"], cwd=work, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SearchIndexError(
            _(
                "the search index could not be built: %(error)s",
                error=result.stderr.strip() or result.stdout.strip(),
            )
        )
    _remove(site)
    if kept is not None:
        _keep(dest, kept)
    return dest, None


def _remove(folder: Path) -> None:
    """``folder`` and what it holds, each by its whole path: ``shutil.rmtree`` opens subfolders by
    their name alone ("experts"), which an audit of the files a build reads (SPEED_CHECK_INPUTS)
    cannot tell from the site's own folder of that name."""
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(folder)


def _executable() -> str:
    """The binary shipped in Pagefind's wheel (what ``python -m pagefind`` runs, without a Python start)."""
    from pagefind.service import _must_get_executable

    return str(_must_get_executable().resolve())


def _marked(output: Path) -> list[tuple[str, Path, bytes]]:
    """The marked pages: (path in the site, file, digest of its bytes).

    A page linked unchanged from the last build is the same file (inode, size,
    time): what was found in it then is not read again. The others are read on
    every core (reading and hashing let other threads run).
    """
    found: list[tuple[str, tuple[int, int, int]]] = []
    _html_files(str(output), "", found)
    unknown = [(rel, stamp) for rel, stamp in found if stamp not in _pages]
    if unknown:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for (_rel, stamp), known in zip(
                unknown, pool.map(lambda item: _read_mark(output / item[0]), unknown), strict=True
            ):
                _pages[stamp] = known
    marked = [(rel, output / rel, _pages[stamp]) for rel, stamp in found if _pages[stamp] is not None]
    if len(_pages) > 4 * max(len(marked), 10_000):
        _pages.clear()
    return sorted(marked)


def _html_files(folder: str, prefix: str, found: list) -> None:
    """Every HTML file under ``folder``, with its stamp (inode, size, time), by path from the site."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _html_files(entry.path, f"{prefix}{entry.name}/", found)
            elif entry.name.endswith(".html"):
                st = entry.stat()
                found.append((prefix + entry.name, (st.st_ino, st.st_size, st.st_mtime_ns)))


def _read_mark(page: Path) -> bytes | None:
    data = page.read_bytes()
    return hashlib.sha1(data).digest() if MARKER in data else None


_pages: dict[tuple[int, int, int], bytes | None] = {}


def _digest(language: str, pages: list[tuple[str, Path, bytes]]) -> str:
    """What Pagefind would index: its version, the language, the pages' paths and bytes."""
    from importlib.metadata import version

    digest = hashlib.sha1(f"{version('pagefind')}\0{language}".encode())
    for rel, _source, data_digest in pages:
        digest.update(rel.encode() + b"\0" + data_digest)
    return digest.hexdigest()


DIGESTS = ".digests.json"
"""In a kept part: the SHA-256 of each of its files, by path."""


def _keep(index: Path, kept: Path) -> None:
    """Keep a copy of a part's index for the next build, with the digest of each file.

    Written beside, then renamed into place: a build killed meanwhile leaves no half part.
    """
    making = kept.with_name(f"{kept.name}.making-{os.getpid()}")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(making, ignore_errors=True)
        digests = {}
        for path in sorted(index.rglob("*")):
            if path.is_file():
                rel = path.relative_to(index).as_posix()
                data = path.read_bytes()
                digests[rel] = hashlib.sha256(data).hexdigest()
                (making / rel).parent.mkdir(parents=True, exist_ok=True)
                (making / rel).write_bytes(data)
        (making / DIGESTS).write_text(json.dumps(digests, sort_keys=True), encoding="utf-8")
        os.rename(making, kept)
    except OSError:
        shutil.rmtree(making, ignore_errors=True)


def _restore(kept: Path, dest: Path) -> bool:
    """Copy the kept part ``kept`` to ``dest``, each file checked against its digest as it is copied.

    False (and ``kept`` dropped, ``dest`` removed) when a file is missing,
    truncated or changed, or the digests themselves cannot be read.
    """
    try:
        digests = json.loads((kept / DIGESTS).read_text(encoding="utf-8"))
        if not isinstance(digests, dict) or not digests:
            raise ValueError(DIGESTS)  # caught below: the part is made again
        for rel, digest in digests.items():
            source = kept / rel
            if ".." in Path(rel).parts or not isinstance(digest, str):
                raise ValueError(rel)
            data = source.read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(rel)
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_bytes(data)
        return True
    except (OSError, ValueError, UnicodeDecodeError):
        shutil.rmtree(kept, ignore_errors=True)
        shutil.rmtree(dest, ignore_errors=True)
        return False


RECORDS = "search-parts-{language}.json"
"""In the cache: each part of the last build, the name of its kept index and its pages' digests."""


def _records(cache: Path | None, language: str) -> dict:
    if cache is None:
        return {}
    try:
        found = json.loads((cache / RECORDS.format(language=language)).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return found if isinstance(found, dict) else {}


def _remember(cache: Path, language: str, parts: dict[str, tuple[str, list, dict]]) -> None:
    records = {
        name: {"kept": kept, "pages": {rel: digest.hex() for rel, _path, digest in pages}, "files": files}
        for name, (kept, pages, files) in parts.items()
    }
    path = cache / RECORDS.format(language=language)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".tmp").write_text(json.dumps(records, sort_keys=True), encoding="utf-8")
        os.replace(path.with_suffix(".tmp"), path)
    except OSError:
        pass  # the next build indexes its changed parts again


def _indexed_alike(record, pages: list, previous: Path, cache: Path) -> Path | None:
    """The last build's index of a part whose pages Pagefind reads alike, or None.

    Alike: the same pages, and each page whose bytes changed indexes the same
    as its version in ``previous`` (checked to be the version recorded)."""
    from .indexed import indexed_digest

    if not isinstance(record, dict) or not isinstance(record.get("pages"), dict):
        return None
    kept = cache / str(record.get("kept", ""))
    old = record["pages"]
    if not kept.name.startswith("pagefind-") or not kept.is_dir() or set(old) != {rel for rel, _, _ in pages}:
        return None
    try:
        for rel, path, digest in pages:
            if old[rel] == digest.hex():
                continue
            before = (previous / rel).read_bytes()
            if hashlib.sha1(before).hexdigest() != old[rel]:
                return None  # not the version the kept index was made from
            now = path.read_bytes()
            if indexed_digest(before.decode("utf-8", "replace")) != indexed_digest(
                now.decode("utf-8", "replace")
            ):
                return None
    except OSError:
        return None
    return kept


def _stamps(folder: Path, *, first: bool) -> dict[str, list[int]]:
    """The files of a part as placed in the output: (size, time, inode) by path in the part.

    The first part's folder also holds the others and the list of parts: those are not its own.
    """
    stamps: dict[str, list[int]] = {}
    for root, dirs, files in os.walk(folder):
        if first and root == str(folder):
            dirs[:] = [d for d in dirs if not d.startswith("part-")]
            files = [f for f in files if f != PARTS_FILE]
        for name in files:
            st = os.stat(os.path.join(root, name))
            stamps[os.path.relpath(os.path.join(root, name), folder)] = [
                st.st_size,
                st.st_mtime_ns,
                st.st_ino,
            ]
    return stamps


def _previous_part(previous: Path, name: str, record) -> tuple[Path, dict] | None:
    """The last build's part ``name`` in ``previous`` and the stamps its files had, when recorded."""
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict) or not record["files"]:
        return None
    return previous / "pagefind" / name, record["files"]


def _link(folder: Path, files: dict, dest: Path) -> bool:
    """Link the files of ``folder`` into ``dest`` when each is the one this cache recorded having
    written there (size, time, inode): the last build's own, untouched since.

    False (``dest`` removed) otherwise: the part is then copied from the cache or made.
    """
    source, target = str(folder), str(dest)  # strings: thousands of files a part
    try:
        for rel, stamp in files.items():
            if rel.startswith("/") or ".." in rel.split("/"):
                raise ValueError(rel)
            st = os.stat(f"{source}/{rel}")
            if [st.st_size, st.st_mtime_ns, st.st_ino] != stamp:
                raise ValueError(rel)
        _link_each(((f"{source}/{rel}", f"{target}/{rel}") for rel in files), os.link)
        return True
    except (OSError, ValueError, TypeError):
        shutil.rmtree(dest, ignore_errors=True)
        return False


def _link_each(pairs, link) -> None:
    """``link(source, dest)`` for each pair, each folder of the ``dest`` made once (thousands of
    files a part, in a few folders)."""
    made: set[str] = set()
    for source, dest in pairs:
        parent = os.path.dirname(dest)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        link(source, dest)


def _forget(cache: Path, live: set[str]) -> None:
    """Drop the kept indexes no part of this build is made of (and parts left half-made)."""
    for old in cache.glob("pagefind-*"):
        if old.name not in live:
            shutil.rmtree(old, ignore_errors=True)
