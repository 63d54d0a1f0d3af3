"""The search index: Pagefind, run over the built site.

Pagefind ships as a binary inside its Python wheel, so indexing needs no
network. Only pages that carry ``data-pagefind-body`` (expert profiles and
published articles) are indexed; their filters (kind, expertise, language)
come from ``data-pagefind-filter`` attributes in the templates.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    pass


MARKER = b"data-pagefind-body"


def build_index(output: Path, language: str, cache: Path | None = None) -> None:
    # One index for every language (forced), so a search finds English and
    # French pages alike; the language is a filter instead.
    # Pagefind indexes only the pages marked data-pagefind-body when any page is,
    # yet parses every page to find out: it is given a folder of links to the
    # marked pages only (same paths, so the same URLs), a fraction of the site.
    marked, inputs = _marked(output, language)
    kept = cache / f"pagefind-{inputs}" if cache is not None else None
    if kept is not None and kept.is_dir() and not (output / "pagefind").exists():
        # The same pages as the last index was made from: that index, linked.
        shutil.copytree(kept, output / "pagefind", copy_function=os.link)
        return
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=output.parent) as tmp:
        site = _link_pages(output, marked, Path(tmp))
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", language, "--silent",
               "--output-path", str(output / "pagefind")]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {result.stderr.strip() or result.stdout.strip()}")
    if kept is not None:
        _keep(output / "pagefind", cache, kept)


def _marked(output: Path, language: str) -> tuple[list[Path], str]:
    """The marked pages, and a digest of what Pagefind would index: their paths and bytes."""
    from importlib.metadata import version

    digest = hashlib.sha1(f"{version('pagefind')}\0{language}".encode())
    marked = []
    for page in sorted(output.rglob("*.html")):
        data = page.read_bytes()
        if MARKER in data:
            marked.append(page)
            digest.update(page.relative_to(output).as_posix().encode() + b"\0")
            digest.update(hashlib.sha1(data).digest())
    return marked, digest.hexdigest()


def _keep(index: Path, cache: Path, kept: Path) -> None:
    """Keep a linked copy of the index just made (and only it) for the next build."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("pagefind-*"):
            shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(index, kept, copy_function=os.link)
    except OSError:
        shutil.rmtree(kept, ignore_errors=True)


def _link_pages(output: Path, marked: list[Path], links: Path) -> Path:
    """``links`` holding a hard link to each marked page of ``output``; ``output`` if none is marked."""
    if not marked:
        return output
    folders: set[Path] = set()
    for page in marked:
        link = links / page.relative_to(output)
        if link.parent not in folders:
            link.parent.mkdir(parents=True, exist_ok=True)
            folders.add(link.parent)
        try:
            os.link(page, link)
        except OSError:
            shutil.copyfile(page, link)
    return links
