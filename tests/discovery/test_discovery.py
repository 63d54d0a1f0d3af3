"""Search, structured data, sitemap and the two languages, on the demo site."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from ambassade import catalogs
from ambassade.build import main
from ambassade.profiles import load_profiles
from plugins.discovery.search import build_index
from tests.support import (
    PUBLISH_CONF,
    ROOT,
    moved,
    profile,
    read_pages,
    site_overrides,
    visible_text,
    write_site,
)

ORIGIN = "https://clairvoie.example"
EXPERTS, _ = load_profiles(ROOT / "experts")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def jsonld(path: Path, kind: str | None = None) -> dict:
    """The page's structured data: its one block besides the breadcrumbs', or the block of ``kind``."""
    blocks = [json.loads(s.string) for s in soup(path).find_all("script", type="application/ld+json")]
    found = [b for b in blocks if (b["@type"] == kind if kind else b["@type"] != "BreadcrumbList")]
    assert len(found) == 1, (path, blocks)
    return found[0]


def test_breadcrumbs_are_links_up_to_the_home_page_and_structured_data(demo_production):
    page = demo_production / "en" / "articles" / "nis2-premiers-pas" / "index.html"
    trail = soup(page).find("nav", class_="breadcrumbs")
    assert [a.get_text() for a in trail.find_all("a")] == ["Home", "Articles"]
    assert trail.find(attrs={"aria-current": "page"}).get_text().startswith("NIS 2: where to start")
    data = jsonld(page, "BreadcrumbList")
    assert [(i["position"], i["name"], i["item"]) for i in data["itemListElement"]] == [
        (1, "Home", f"{ORIGIN}/en/"),
        (2, "Articles", f"{ORIGIN}/en/articles/"),
        (
            3,
            "NIS 2: where to start when you are not a large company",
            f"{ORIGIN}/en/articles/nis2-premiers-pas/",
        ),
    ]
    topic = jsonld(demo_production / "expertise" / "accessibilite" / "index.html", "BreadcrumbList")
    assert [i["name"] for i in topic["itemListElement"]] == [
        "Accueil",
        "Thèmes",
        "Design UX",
        "Accessibilité",
    ]


def test_expert_page_is_a_profile_of_a_person(demo_production):
    data = jsonld(demo_production / "experts" / "claire-martin" / "index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    expert = EXPERTS["claire-martin"]
    assert person["@type"] == "Person" and person["name"] == expert.name
    assert person["jobTitle"] == expert.role
    assert person["knowsAbout"] == expert.expertise
    assert person["worksFor"]["@type"] == "Organization" and person["worksFor"]["name"] == "Clairvoie Conseil"
    assert person["url"] == f"{ORIGIN}/experts/claire-martin/"
    links = expert.links
    assert set(person["sameAs"]) == {
        links["linkedin"],
        f"https://bsky.app/profile/{links['bluesky']}",
        f"https://github.com/{links['github']}",
        "https://piaille.fr/@cmartin",
    }


def test_article_is_a_blog_posting_by_expert_persons(demo_production):
    data = jsonld(demo_production / "articles" / "platform-engineering-equipe-produit" / "index.html")
    assert data["@type"] == "BlogPosting"
    assert data["inLanguage"] == "fr"
    assert data["datePublished"].startswith("2026-01-20T")
    assert [a["@type"] for a in data["author"]] == ["Person"] * 3
    assert all(a["url"].startswith(f"{ORIGIN}/experts/") for a in data["author"])
    english = jsonld(demo_production / "en" / "articles" / "nis2-premiers-pas" / "index.html")
    assert english["inLanguage"] == "en"


def test_home_describes_the_organization(demo_production):
    data = jsonld(demo_production / "index.html")
    assert data["@type"] == "Organization" and data["url"] == f"{ORIGIN}/"


def test_every_page_has_canonical_and_a_local_preview_image(demo_production):
    for page in read_pages(demo_production):
        head = soup(page).head
        if page.name == "404.html":  # served at any address: no address of its own, not indexed
            assert head.find("link", rel="canonical") is None
            assert head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
            continue
        canonical = head.find("link", rel="canonical")
        assert canonical and canonical["href"].startswith(ORIGIN + "/"), page
        image = head.find("meta", property="og:image")["content"]
        assert image.startswith(ORIGIN + "/") and (demo_production / image[len(ORIGIN) + 1 :]).is_file(), page
        for prop in ("og:title", "og:description", "og:url", "og:type"):
            assert head.find("meta", property=prop)["content"].strip(), (page, prop)
        assert head.find("meta", attrs={"name": "twitter:card"}), page


def test_sitemap_lists_indexable_pages_with_language_alternates(demo_production):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    sitemap = ElementTree.parse(demo_production / "sitemap.xml").getroot()
    locs = {url.find("s:loc", ns).text: url.findall("x:link", ns) for url in sitemap.findall("s:url", ns)}
    assert f"{ORIGIN}/experts/claire-martin/" in locs
    assert f"{ORIGIN}/en/experts/claire-martin/" in locs
    pair = locs[f"{ORIGIN}/articles/nis2-premiers-pas/"]
    assert {(link.get("hreflang"), link.get("href")) for link in pair} == {
        ("fr", f"{ORIGIN}/articles/nis2-premiers-pas/"),
        ("en", f"{ORIGIN}/en/articles/nis2-premiers-pas/"),
    }
    assert all("brouillon" not in loc for loc in locs)
    robots = (demo_production / "robots.txt").read_text()
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in robots and "Disallow" not in robots


def test_preview_keeps_crawlers_out(demo_preview):
    assert "Disallow: /" in (demo_preview / "robots.txt").read_text()
    assert not (demo_preview / "sitemap.xml").exists()


def search_parts(output: Path) -> list[Path]:
    """The folders of the index's parts, as ``pagefind/parts.json`` lists them for the search page."""
    parts = json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]
    return [output / part for part in parts]


def search_index(output: Path, part: Path | None = None) -> dict[str, dict]:
    """The pages Pagefind indexed (in every part, or in ``part``), read from its fragment files."""
    entries = {}
    for folder in [part] if part else search_parts(output):
        for fragment in (folder / "fragment").glob("*.pf_fragment"):
            data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
            assert data["url"] not in entries, f"{data['url']} is indexed twice"
            entries[data["url"]] = data
    return entries


@pytest.mark.parametrize("which", ["demo_preview", "demo_production"])
def test_search_index_holds_published_experts_and_articles_only(which, request):
    output = request.getfixturevalue(which)
    index = search_index(output)
    # Each expert and each topic in each language: a search lists the reader's language's page.
    experts = {
        f"{lang}experts/{slug}/" for slug, e in EXPERTS.items() if e.published for lang in ("/", "/en/")
    }
    topics = {
        "/" + p.parent.relative_to(output).as_posix() + "/"
        for folder in ("expertise", "en/expertise")
        for p in output.glob(f"{folder}/*/index.html")
    }
    articles = {
        "/" + p.parent.relative_to(output).as_posix() + "/"
        for p in output.glob("**/articles/*/index.html")
        if not moved(p)
    }
    scheduled = {"/articles/plan-reprise-activite-exercice/"}
    assert set(index) == experts | topics | (articles - scheduled)
    kinds = {url: entry["filters"]["kind"] for url, entry in index.items()}
    assert all(kinds[u] == ["expert"] for u in experts) and all(kinds[u] == ["topic"] for u in topics)
    claire = index["/experts/claire-martin/"]["filters"]
    assert claire["expertise"] == ["cloud", "numerique-responsable"]
    assert claire["in"] == ["fr"] and index["/en/experts/claire-martin/"]["filters"]["in"] == ["en"]
    assert claire["language"] == ["fr", "en"], "an expert is found by the languages they speak"
    nis2 = index["/en/articles/nis2-premiers-pas/"]["filters"]
    assert nis2["language"] == ["en"] and "also" not in nis2, "its French version is listed in French"
    threats = index["/en/articles/threat-modelling-for-product-teams/"]["filters"]
    assert threats["also"] == ["fr"], "an article in English only is listed in French too, after"
    # A page is found by every name and synonym of its topics (and of the broader ones), not only its words.
    rgaa = index["/articles/accessibilite-rgaa-design-system/"]["content"]
    assert all(term in rgaa for term in ("Accessibility", "WCAG", "Design UX", "user research"))
    # An expert is found by their own words, not by the cards of their articles
    # (found themselves) or their posts (other sites' words).
    expert_text = index["/experts/claire-martin/"]["content"]
    assert EXPERTS["claire-martin"].role in expert_text
    own_article = soup(output / "articles" / "souverainete-cloud-questions" / "index.html").h1.get_text(
        strip=True
    )
    assert own_article in index["/articles/souverainete-cloud-questions/"]["content"]
    assert own_article not in expert_text
    # An article is found by its own words and its byline, not by what many articles show:
    # the link to its translation (a search for "English" found every translated article),
    # nor, in the footer Pagefind leaves out, the share bar or its author's role.
    article_text = index["/articles/souverainete-cloud-questions/"]["content"]
    assert "Claire Martin" in article_text and EXPERTS["claire-martin"].role not in article_text
    shared = ("Partager cet article", "Share this article", "Mastodon", "Lire en français", "Read in English")
    articles_text = {url: entry["content"] for url, entry in index.items() if kinds[url] == ["article"]}
    assert [(url, words) for url, text in articles_text.items() for words in shared if words in text] == []


def test_a_large_index_comes_in_parts_and_an_edit_indexes_one_part_again(demo_production, tmp_path):
    """Parts of about N pages hold together what one index holds; an edit re-indexes its part only."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output, cache = tmp_path / "output", tmp_path / "cache"
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(cache),
        "DISCOVERY": {"search_part_pages": 8},
    }
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    parts = search_parts(output)
    whole = search_index(demo_production)
    # The fewest parts, a power of two, of 8 pages at most on average.
    count = 1
    while count * 8 < len(whole):
        count *= 2
    assert len(whole) > 32 and len(parts) == count and parts[0] == output / "pagefind"
    sizes = [len(search_index(output, part)) for part in parts]
    assert max(sizes) < len(whole) / 3, sizes  # spread over the parts, not piled in one
    assert {u: e["filters"] for u, e in search_index(output).items()} == {
        u: e["filters"] for u, e in whole.items()
    }

    def fragments() -> dict[Path, dict[str, bytes]]:
        return {part: {f.name: f.read_bytes() for f in (part / "fragment").iterdir()} for part in parts}

    def kept() -> dict[str, int]:
        """Each part kept for the next build, with when it was kept: a part indexed again is kept anew."""
        return {
            d.name: (d / ".digests.json").stat().st_mtime_ns for d in (cache / "discovery").glob("pagefind-*")
        }

    before, kept_before = fragments(), kept()
    edited = content / "articles" / "nis2-premiers-pas.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nUn paragraphe ajouté : sauvegardes.\n", encoding="utf-8"
    )
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    after, kept_after = fragments(), kept()
    redone = [part for part in parts if before[part] != after[part]]
    holder = next(part for part in parts if "/articles/nis2-premiers-pas/" in search_index(output, part))
    assert redone == [holder]
    assert len(set(kept_after) - set(kept_before)) == 1, "one part indexed again"
    assert all(kept_after[name] == kept_before[name] for name in kept_after if name in kept_before)
    assert "sauvegardes" in search_index(output, holder)["/articles/nis2-premiers-pas/"]["content"]


def test_the_kept_search_index_is_copied_and_a_damaged_one_is_made_again(tmp_path):
    """The output never shares a file with the cache, and a kept part that was cut is not used."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    overrides = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(cache)}
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    built = {p: p.read_bytes() for p in (output / "pagefind").rglob("*") if p.is_file()}
    assert all(p.stat().st_nlink == 1 for p in built), "no file of the output is a link into the cache"
    kept_files = [p for p in (cache / "discovery").rglob("*") if p.is_file() and p.name != ".digests.json"]
    for path in kept_files:  # a cache cut short, as a full disk or a careless hand leaves it
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert {p: p.read_bytes() for p in built} == built, "cutting the cache changed nothing of the output"
    index = search_index(output)
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=io.StringIO()) == 0
    # Made again (Pagefind's bytes vary from one run to the next): whole, and the same index.
    assert search_index(output) == index
    assert not [p for p in (output / "pagefind").rglob("*") if p.is_file() and p.stat().st_nlink > 1]


def test_pages_named_with_glob_characters_are_indexed_each_once(tmp_path):
    """Each part's pages are handed to Pagefind in a folder of their own: a name with characters
    special to globs, or a backslash, is one page like any other."""
    output = tmp_path / "output"
    special = ["a(b)", "x,y", "{z}", "[1]", "q?r", "s*t", "u:v<w>", "dollar$", "éte ü", "a\\b"]
    # What the special ones would also match if they were read as a glob ("sxt" for s*t, "1" for [1]…).
    plain = ["sxt", "qxr", "1", "z", "dollar"]
    for name in special + plain:
        (output / name).mkdir(parents=True)
        (output / name / "index.html").write_text(
            f"<html><body><main data-pagefind-body><h1>Page {name}</h1><p>mot</p></main></body></html>",
            encoding="utf-8",
        )
    build_index(output, "fr", pages_per_part=3)
    index = search_index(output)  # fails on a page indexed twice
    assert sorted(index) == sorted(f"/{name}/" for name in special + plain)
    # 8 parts by the digests of the paths, two of them empty: Pagefind would refuse them, they are left out.
    assert len(search_parts(output)) == 6
    # Nothing of the pages handed to Pagefind is left in the output.
    assert sorted(p.name for p in output.iterdir()) == sorted([*special, *plain, "pagefind"])


def test_a_site_with_nothing_to_find_yet_builds_without_an_index(tmp_path):
    """No published profile nor article: Pagefind would refuse an empty index; the build lists no part."""
    base = write_site(tmp_path, {"experts/ana-roy.yml": profile("Ana Roy", published=False)})
    overrides = {**site_overrides(base), "CACHE_PATH": str(tmp_path / "cache")}
    err = io.StringIO()
    assert main(str(PUBLISH_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    output = tmp_path / "output"
    assert json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8")) == {"parts": []}
    assert sorted(p.name for p in (output / "pagefind").iterdir()) == ["parts.json"]
    assert (output / "search" / "index.html").is_file()


def test_translated_article_links_both_ways(demo_production):
    fr = soup(demo_production / "articles" / "nis2-premiers-pas" / "index.html")
    en = soup(demo_production / "en" / "articles" / "nis2-premiers-pas" / "index.html")
    assert fr.find("ul", class_="lang-switch").a[
        "href"
    ] == "https://clairvoie.example/en/articles/nis2-premiers-pas/" or fr.find("ul", class_="lang-switch").a[
        "href"
    ].endswith("/en/articles/nis2-premiers-pas/")
    assert en.find("ul", class_="lang-switch").a["href"].endswith("/articles/nis2-premiers-pas/")
    assert en.html["lang"] == "en" and fr.html["lang"] == "fr"


def test_english_pages_speak_english(demo_production):
    page = demo_production / "en" / "experts" / "ines-carvalho" / "index.html"
    text = visible_text(page)
    assert "Biography" in text and "Biographie" not in text
    assert soup(page).html["lang"] == "en"
    assert "Latest articles" in visible_text(demo_production / "en" / "index.html")
    assert "Sustainable IT" in visible_text(demo_production / "en" / "expertise" / "index.html")


def test_every_theme_string_is_translated():
    assert catalogs.missing(ROOT / "theme", "fr") == []


# Every page in the wrong language's words, theme strings included: tests/demo/test_languages.py.


def test_a_translators_edit_shows_in_the_next_build_of_the_same_process(tmp_path):
    """Livereload builds again in the same process: theme strings come from the catalog as it is now."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    overrides = {
        "THEME": str(theme),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "DISCOVERY": {"search": False},
    }
    home = tmp_path / "output" / "index.html"

    def skip_link() -> str:
        err = io.StringIO()
        assert main(str(PUBLISH_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
        return soup(home).find("a", class_="skip-link").get_text()

    assert skip_link() == "Aller au contenu"
    po = catalogs.po_path(theme, "fr")
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Aller au contenu"', 'msgstr "Passer au contenu"'),
        encoding="utf-8",
    )
    assert skip_link() == "Passer au contenu"
