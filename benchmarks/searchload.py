"""What a visitor's browser downloads to search the built site: ``search_transfer`` in measure.py.

The site is served on 127.0.0.1 as a host serves it (ambassade.serve) and its
search page opened in Chromium (Debian's, driven by Playwright: the test set),
each query in a new browser context, so that nothing is cached: the bytes of
every response of the search (Pagefind's scripts, WebAssembly, index chunks,
filters, the fragments of the results shown) are added up. Pagefind's files are
compressed already, so these are the bytes a host sends.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import quote

# Typical searches: a topic's name, a synonym, a word of the articles, a name.
QUERIES = ("Cloud", "sécurité", "équipe", "Claire")
CHROMIUM = "/usr/bin/chromium"


def measure(output: Path) -> dict:
    """The bytes each query of :data:`QUERIES` downloads, the largest, and the slowest answer (seconds)."""
    from playwright.sync_api import sync_playwright

    from ambassade.serve import server

    httpd = server(output, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    per_query: dict[str, int] = {}
    slowest = 0.0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for query in QUERIES:
                context = browser.new_context()
                tab = context.new_page()
                sizes: list[int] = []
                tab.on("requestfinished", lambda request, sizes=sizes: sizes.append(_size(request)))
                start = time.perf_counter()
                tab.goto(f"{base}/search/?q={quote(query)}")
                tab.locator("[data-search-status]:not(:empty)").wait_for(timeout=60_000)
                tab.wait_for_load_state("networkidle")
                slowest = max(slowest, time.perf_counter() - start)
                per_query[query] = sum(sizes)
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return {"bytes": max(per_query.values()), "per_query": per_query, "seconds": slowest}


def _size(request) -> int:
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]
