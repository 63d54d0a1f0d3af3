"""A part of the search index is indexed again when what Pagefind reads of its pages changed, not
when only their bytes did: a person's new job title changes every page with their author card,
and none of what those articles are found by."""

from __future__ import annotations

import io
import shutil

from ambassade.build import main
from plugins.discovery.indexed import _Reader, indexed_digest
from tests.discovery.test_discovery import search_index, search_parts
from tests.support import PUBLISH_CONF, ROOT

PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title></head><body>
<nav><a href="/">Accueil</a> {nav}</nav>
<article data-pagefind-body><span hidden data-pagefind-filter="kind:article"></span>
<h1 data-pagefind-weight="10">Migrer sans rupture</h1><img src="/a.png" alt="Schéma">
<p>Nous avons migré en {months} mois.<br></p>
<section data-pagefind-ignore><p class="meta">{role}</p></section>
</article><footer>{footer}</footer></body></html>"""


def digest(**values) -> bytes:
    page = {"title": "T", "nav": "", "months": "six", "role": "Consultante", "footer": ""} | values
    return indexed_digest(PAGE.format(**page))


def test_what_pagefind_does_not_read_leaves_the_digest_as_it_is():
    assert digest(role="Architecte cloud") == digest()  # in a data-pagefind-ignore region
    assert digest(nav="Experts", footer="Construit le 4 décembre") == digest()  # outside the body
    assert digest(title="Autre titre") == digest()  # Pagefind's title is the body's first h1


def test_what_pagefind_reads_changes_the_digest():
    assert digest(months="quatre") != digest()
    assert indexed_digest(PAGE.replace("kind:article", "kind:topic")) != indexed_digest(PAGE)
    assert indexed_digest(PAGE.replace('alt="Schéma"', 'alt="Plan"')) != indexed_digest(PAGE)
    assert indexed_digest(PAGE.replace('lang="fr"', 'lang="en"')) != indexed_digest(PAGE)
    # A stray end tag closes nothing: what follows is still ignored, still indexed.
    assert indexed_digest(PAGE.replace("<section", "</div><section")) == indexed_digest(PAGE)


def test_a_new_job_title_indexes_again_only_the_parts_whose_search_text_changed(tmp_path):
    experts = tmp_path / "experts"
    shutil.copytree(ROOT / "experts", experts)
    output, cache = tmp_path / "output", tmp_path / "cache"
    overrides = {
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(cache),
        "SITE": {"experts_path": str(experts)},
        "DISCOVERY": {"search_part_pages": 8},
    }
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    parts = search_parts(output)
    pages = {
        p: {f: (output / f.lstrip("/") / "index.html").read_bytes() for f in search_index(output, p)}
        for p in parts
    }

    def files(part):
        return {
            f: f.read_bytes()
            for f in part.rglob("*")
            if f.is_file() and "part-" not in f.relative_to(part).as_posix()
        }

    indexes_before = {part: files(part) for part in parts}

    profile = experts / "claire-martin.yml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "fr: Architecte cloud senior", "fr: Architecte cloud principale"
        ),
        encoding="utf-8",
    )
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    changed = [
        part
        for part in parts
        if any(
            (output / url.lstrip("/") / "index.html").read_bytes() != data
            for url, data in pages[part].items()
        )
    ]
    # A part taken again is the same files; one Pagefind made again is not (its bytes vary by run).
    indexed_again = [part for part in parts if files(part) != indexes_before[part]]
    # Her articles show her title in their author card, out of the search text: their parts are
    # taken again; her own pages, where the title is what she is found by, are indexed again.
    assert len(changed) > len(indexed_again) >= 1, (changed, indexed_again)
    index = search_index(output)
    assert "Architecte cloud principale" in index["/experts/claire-martin/"]["content"]

    clean = tmp_path / "clean"
    assert (
        main(
            str(PUBLISH_CONF),
            overrides={**overrides, "OUTPUT_PATH": str(clean), "CACHE_PATH": str(tmp_path / "c2")},
            stream=io.StringIO(),
        )
        == 0
    )
    assert index == search_index(clean), "the same index as a build with nothing kept"


def test_parts_left_as_they_were_are_linked_and_a_part_altered_since_is_not(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    overrides = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(cache), "DISCOVERY": {"search_part_pages": 8}}
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    parts = search_parts(output)
    assert len(parts) >= 2
    index = search_index(output)
    entry = output / "pagefind" / "pagefind-entry.json"
    fragment = next((parts[1]).glob("fragment/*"))
    inodes = {path: path.stat().st_ino for path in (entry, fragment)}
    # Someone edits a file of the first part in the built site: that part must not be taken as it is.
    entry.write_text(entry.read_text(encoding="utf-8").replace('"version"', '"versionX"'), encoding="utf-8")

    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    assert fragment.stat().st_ino == inodes[fragment], "an untouched part is the last build's files, linked"
    assert entry.stat().st_ino != inodes[entry]
    assert '"versionX"' not in entry.read_text(encoding="utf-8"), (
        "the altered part is put back as it was made"
    )
    assert search_index(output) == index


def test_a_page_and_its_english_version_are_indexed_in_the_same_part(tmp_path):
    """A profile edit changes both versions of the person's page: one part to index again, not two."""
    output = tmp_path / "output"
    overrides = {
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(tmp_path / "cache"),
        "DISCOVERY": {"search_part_pages": 4},
    }
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    part_of = {url: part for part in search_parts(output) for url in search_index(output, part)}
    assert len(set(part_of.values())) >= 4
    pairs = [(url, f"/en{url}") for url in part_of if f"/en{url}" in part_of]
    assert any(url.startswith("/experts/") for url, _ in pairs)
    assert all(part_of[fr] == part_of[en] for fr, en in pairs), pairs


def test_what_comes_before_the_first_mark_is_not_read_but_a_page_with_a_script_open_there_is_read_whole():
    page = PAGE.format(title="T", nav="", months="six", role="Consultante", footer="")
    head = '<head><script type="application/ld+json">{"name": "Claire"}</script></head><body><nav>Menu</nav>'
    assert indexed_digest(page.replace("<body>", head.replace("Claire", "Marc"))) == indexed_digest(
        page.replace("<body>", head)
    )
    # The first "data-pagefind-" is in a script's text, whose end comes after it: cut there, the
    # rest would be read otherwise; the page is read whole, as Pagefind reads it.
    scripted = page.replace("<nav>", '<script>var tip = "<b data-pagefind-ignore>";</script><nav>')
    whole = _Reader()
    whole.feed(scripted)
    whole.close()
    assert indexed_digest(scripted) == whole.digest.digest()
    assert indexed_digest(scripted) != indexed_digest(scripted.replace("six mois", "quatre mois"))
