"""sitemap.xml and robots.txt, read off the pages the build wrote.

Each page already declares whether it may be indexed (robots meta), its
canonical URL and its translations (hreflang links); the sitemap repeats
exactly that, so it can never disagree with the pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

HEAD_END = re.compile(r"</head>", re.I)
NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex', re.I)
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"')


def page_entries(output: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    entries = []
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        match = HEAD_END.search(text)
        head = text[: match.start()] if match else text
        canonical = CANONICAL.search(head)
        if canonical is None or NOINDEX.search(head):
            continue
        entries.append((canonical.group(1), ALTERNATE.findall(head)))
    return entries


def sitemap_xml(entries: list[tuple[str, list[tuple[str, str]]]]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url, alternates in entries:
        lines.append(f"  <url><loc>{url.replace('&', '&amp;')}</loc>")
        for lang, href in alternates:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>'
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(origin: str, indexable: bool) -> str:
    if not indexable:
        return "# A preview build: keep every crawler out.\nUser-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {origin}/sitemap.xml\n"


def write(output: Path, origin: str, indexable: bool) -> None:
    (output / "robots.txt").write_text(robots_txt(origin, indexable), encoding="utf-8")
    if indexable:
        (output / "sitemap.xml").write_text(sitemap_xml(page_entries(output)), encoding="utf-8")
