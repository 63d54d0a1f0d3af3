"""The search index: Pagefind, run over the built site.

Pagefind ships as a binary inside its Python wheel, so indexing needs no
network. Only pages that carry ``data-pagefind-body`` (expert profiles and
published articles) are indexed; their filters (kind, expertise, language)
come from ``data-pagefind-filter`` attributes in the templates.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    pass


def build_index(output: Path, language: str) -> None:
    # One index for every language (forced), so a search finds English and
    # French pages alike; the language is a filter instead.
    cmd = [sys.executable, "-m", "pagefind", "--site", str(output), "--force-language", language, "--silent"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {result.stderr.strip() or result.stdout.strip()}")
