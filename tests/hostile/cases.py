"""Broken and hostile inputs, as a careless contributor or an attacker with a pull request writes them.

Each :class:`Case` changes a small valid site (:data:`BASE`) and says what must
happen: refused with a finding at ``where`` (``path:line``) by ``check`` and
by the build, the output left as it was; or built, with nothing active in any
page (``refused`` is None).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.support import article, profile

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"

BASE: dict[str, str | bytes] = {
    "experts/alice-dupont.yml": profile(
        "Alice Dupont",
        expertise="[Cloud]",
        bio="Alice aime les **plateformes** sobres.",
        social_feed="true",
        links="{mastodon: '@alice@piaille.example'}",
    ),
    "experts/bruno-petit.yml": profile("Bruno Petit", expertise="[Data & IA]"),
    "content/articles/premier.md": article(
        "Premier article", "alice-dupont", body="Du texte.\n\n![Un schéma]({static}/images/schema.svg)"
    ),
    "content/images/schema.svg": SVG,
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
    "data/social/alice-dupont.json": (
        '{"expert": "alice-dupont", "feeds": {"https://piaille.example/@alice.rss": {"network": "mastodon"}},\n'
        ' "posts": [{"feed": "https://piaille.example/@alice.rss", "network": "mastodon", "id": "1",\n'
        '            "url": "https://piaille.example/@alice/1", "date": "2026-03-01T10:00:00Z",\n'
        '            "html": "<p>Bonjour</p>", "repost": false}]}\n'
    ),
}

ARTICLE = "content/articles/hostile.md"
"""The article most cases add: its body starts on line 8 (six header lines, a blank line)."""
BODY_LINE = 8


def body(text: str, **meta: str) -> dict[str, str]:
    """The hostile article with ``text`` as its body."""
    return {ARTICLE: article("Un article", "alice-dupont", body=text, **meta)}


def bio(text: str) -> dict[str, str]:
    """Alice's profile with ``text`` as her biography (a block scalar: the text starts on line 8)."""
    indented = "\n".join("  " + line for line in text.split("\n"))
    return {
        "experts/alice-dupont.yml": profile("Alice Dupont", expertise="[Cloud]", social_feed="true")
        + f"bio: |\n{indented}\n"
    }


def header(**meta: str) -> dict[str, str]:
    """The hostile article with ``meta`` lines after the usual six."""
    return {ARTICLE: article("Un article", "alice-dupont", **meta)}


def snapshot(text: str) -> dict[str, str]:
    return {"data/social/alice-dupont.json": text}


def laughs(levels: int) -> str:
    """A profile whose unknown key nests aliases nine-fold per level (it would expand 9**levels times)."""
    lines = [
        profile("Alice Dupont", expertise="[Cloud]").rstrip("\n"),
        "extra:",
        "  l0: &l0 [x, x, x, x, x, x, x, x, x]",
    ]
    for n in range(1, levels):
        lines.append(f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes]
    refused: tuple[str, str] | None
    """(``path:line``, rule) of the error ``check`` and the build must report; None: it builds."""
    speed: bool = False
    """Build with the fast path (rules checked beside Pelican rather than before)."""
    overrides: dict = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    symlinks: dict[str, str] = field(default_factory=dict)
    """Links to make: path in the site -> target (``{tmp}`` is the test's folder)."""
    then: str = ""
    """For a built case: what else to look at in the output (see test_hostile_inputs.py)."""
    build_only: bool = False
    """Only the build can see it (its output folder): ``check`` passes."""


A = ARTICLE
L = BODY_LINE


def added(name: str, lines: str, rule: str) -> Case:
    """Alice's profile with ``lines`` after its four, refused by ``rule`` on the first of them."""
    return Case(name, {PROFILE: profile("Alice Dupont") + lines}, (f"{PROFILE}:5", rule))


def html(name: str, text: str, line: int = 0) -> Case:
    """The hostile article with ``text`` as its body, refused by the HTML policy ``line`` lines into it."""
    return Case(name, body(text), (f"{A}:{L + line}", "html-policy"))


PROFILE = "experts/alice-dupont.yml"
SNAP = "data/social/alice-dupont.json"

CASES: list[Case] = [
    # -- active content written by a contributor: refused at its line -----------------------------------
    html("script element in a body", "Texte.\n\n<script>alert(1)</script>", 2),
    html("event handler on an image", '<img src="{static}/images/schema.svg" alt="s" onerror="alert(1)">'),
    Case("javascript link in Markdown", body("[clic](javascript:alert(1))"), (f"{A}:{L}", "html-policy")),
    Case(
        "javascript link hidden by an entity",
        body("[clic](&#106;avascript:alert(1))"),
        (f"{A}:{L}", "html-policy"),
    ),
    html("vbscript link in raw HTML", '<a href="vbscript:msgbox(1)">x</a>'),
    html("javascript link with a tab entity inside", '<a href="java&#9;script:alert(1)">x</a>'),
    html("data URL image", "![x](data:image/svg+xml;base64,PHN2Zy8+)"),
    html("style element", "Texte.\n\n<style>body{display:none}</style>", 2),
    html("style attribute", '<p style="position:fixed;inset:0">x</p>'),
    html("form posting elsewhere", '<form action="https://evil.example/"><input name="q"></form>'),
    html("object element", '<object data="{static}/images/schema.svg"></object>'),
    html("embed element", 'Texte.\n\n<embed src="{static}/images/schema.svg">', 2),
    html("iframe element", '<iframe src="https://evil.example/"></iframe>'),
    html("meta refresh to another site", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    html("base element", '<base href="https://evil.example/">'),
    html("inline SVG with a script", "<svg><script>alert(1)</script></svg>"),
    html("attribute list with a handler", 'Un paragraphe.\n{: onclick="alert(1)" }', 1),
    html("theme class dressing text as a banner", '<p class="preview-bar">Officiel</p>'),
    html("video from another site", '<video src="https://evil.example/v.mp4" controls></video>'),
    html("stylesheet link element", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    Case(
        "script in a summary",
        {A: article("Un article", "alice-dupont").replace("Un résumé.", "<script>alert(1)</script>")},
        (f"{A}:5", "html-policy"),
    ),
    Case(
        "script in a biography", bio("Bonjour.\n<script>alert(1)</script>"), (f"{PROFILE}:9", "html-policy")
    ),
    Case(
        "javascript link in a biography", bio("[site](javascript:alert(1))"), (f"{PROFILE}:8", "html-policy")
    ),
    Case(
        "handler in a biography",
        bio('<img src="x.png" alt="" onerror="alert(1)">'),
        (f"{PROFILE}:8", "html-policy"),
    ),
    Case(
        "HTML file among the articles",
        {"content/articles/page.html": "<html><script>alert(1)</script></html>"},
        ("content/articles/page.html:1", "content-format"),
    ),
    Case(
        "Markdown under another extension",
        {"content/articles/page.markdown": article("Autre", "alice-dupont")},
        ("content/articles/page.markdown:1", "content-format"),
    ),
    Case(
        "HTML page among the static files",
        {"content/images/page.html": "<script>alert(1)</script>"},
        ("content/images/page.html:1", "static-active"),
    ),
    Case(
        "SVG image with a script",
        {"content/images/evil.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"},
        ("content/images/evil.svg:1", "static-active"),
    ),
    # -- paths that leave the site, or take a page of the site's own -------------------------------------
    Case(
        "static link outside the content folder",
        body("[t]({static}/../outside/secret.txt)") | {"outside/secret.txt": "secret"},
        (f"{A}:{L}", "path-outside"),
        speed=True,
    ),
    Case(
        "static link to the settings file",
        body("[t]({static}/../pelicanconf.py)") | {"pelicanconf.py": "SECRET = 1\n"},
        (f"{A}:{L}", "path-outside"),
    ),
    Case(
        "attach link outside the content folder",
        body("![x]({attach}../../outside/x.png)") | {"outside/x.png": b"\x89PNG"},
        (f"{A}:{L}", "path-outside"),
    ),
    Case(
        "filename link outside the content folder",
        body("[t]({filename}/../experts/alice-dupont.yml)"),
        (f"{A}:{L}", "path-outside"),
    ),
    Case(
        "symbolic link to a system file",
        {},
        ("content/images/hostname:1", "path-outside"),
        symlinks={"content/images/hostname": "/etc/hostname"},
    ),
    Case("Save_as over the home page", header(save_as="index.html"), (f"{A}:7", "path-save-as")),
    Case(
        "Save_as over an expert's page",
        header(save_as="experts/alice-dupont/index.html"),
        (f"{A}:7", "path-save-as"),
    ),
    Case("Save_as over the feed", header(save_as="feeds/all.atom.xml"), (f"{A}:7", "path-save-as")),
    Case("Save_as over robots.txt", header(save_as="robots.txt"), (f"{A}:7", "path-save-as")),
    Case("Save_as over a theme file", header(save_as="theme/js/search.js"), (f"{A}:7", "path-save-as")),
    Case(
        "Save_as outside the output",
        header(save_as="../../evil.html"),
        (f"{A}:7", "path-save-as"),
        speed=True,
    ),
    Case("Save_as as an absolute path", header(save_as="/tmp/evil.html"), (f"{A}:7", "path-save-as")),
    Case("Url to another site", header(url="https://evil.example/"), (f"{A}:7", "path-save-as")),
    Case("Slug climbing out", header(slug="../../x"), (f"{A}:7", "path-save-as")),
    Case("Slug of two dots", header(slug=".."), (f"{A}:7", "path-save-as")),
    Case("Template outside the theme", header(template="../../../etc/passwd"), (f"{A}:7", "path-save-as")),
    Case(
        "two articles with one slug",
        {"content/articles/zz-doublon.md": article("Premier article", "bruno-petit")},
        ("content/articles/zz-doublon.md:1", "path-collision"),
    ),
    Case(
        "a page named like the experts directory",
        {"content/pages/experts.md": "Title: Experts\nSlug: experts\n\nNous.\n"},
        ("content/pages/experts.md:2", "path-save-as"),
    ),
    Case(
        "output folder that is a file",
        {"public/output-file": "not a folder"},
        ("public/output-file:1", "build-output"),
        overrides={"OUTPUT_PATH": "{base}/public/output-file"},
        build_only=True,
    ),
    # -- files too large, not text, or made to be slow --------------------------------------------------
    Case("nested YAML aliases under an unknown key", {PROFILE: laughs(10)}, (f"{PROFILE}:7", "source-yaml")),
    Case(
        "one YAML alias",
        {PROFILE: profile("Alice Dupont", expertise="&e [Cloud]") + "team: *e\n"},
        (f"{PROFILE}:5", "source-yaml"),
    ),
    Case(
        "YAML nested a hundred levels",
        {PROFILE: profile("Alice Dupont") + "extra: " + "[" * 100 + "]" * 100 + "\n"},
        (f"{PROFILE}:5", "source-yaml"),
    ),
    Case(
        "profile of two megabytes",
        {PROFILE: profile("Alice Dupont") + "bio: " + "a" * 2_000_000 + "\n"},
        (f"{PROFILE}:1", "source-size"),
    ),
    Case(
        "profile that is not UTF-8",
        {PROFILE: profile("Alice Dupont").encode() + b"team: \xff\xfe\n"},
        (f"{PROFILE}:5", "source-encoding"),
    ),
    added("keys of mixed types", "1: x\n~: y\n", "profile-unknown-field"),
    added("a list as a key", "? [a, b]\n: c\n", "profile-yaml"),
    added("a Python object tag", "team: !!python/object/apply:os.system ['true']\n", "profile-yaml"),
    added("a NUL character in a profile", "team: a\x00b\n", "profile-yaml"),
    Case(
        "profile named in capitals",
        {"experts/Bruno.YML": profile("Bruno")},
        ("experts/Bruno.YML:1", "profile-slug"),
    ),
    Case(
        "image of sixty megabytes",
        {"content/images/huge.png": b"\x89PNG" + bytes(60_000_000)},
        ("content/images/huge.png:1", "source-size"),
    ),
    Case(
        "article that is not UTF-8",
        {A: article("Un article", "alice-dupont").encode() + b"\xc3\x28\n"},
        (f"{A}:9", "source-encoding"),
    ),
    Case("article of two megabytes", body("a" * 2_000_000), (f"{A}:1", "source-size")),
    Case(
        "date before the first year",
        header() | {A: article("Un article", "alice-dupont", date="0001-01-01T00:30+14:00")},
        (f"{A}:2", "article-date"),
    ),
    Case(
        "date after the last year",
        header() | {A: article("Un article", "alice-dupont", date="9999-12-31T23:59+00:00")},
        (f"{A}:2", "article-date"),
    ),
    Case(
        "translation without an original",
        {
            "content/articles/seul.en.md": article(
                "Alone", "alice-dupont", lang="en", translation="true"
            ).replace("Lang: fr\n", "")
        },
        ("content/articles/seul.en.md:7", "article-translation"),
    ),
    Case(
        "author slug mistyped",
        header() | {A: article("Un article", "alice-dupond")},
        (f"{A}:3", "article-author"),
    ),
    # -- snapshots of posts that are not snapshots ------------------------------------------------------
    Case(
        "snapshot that is not JSON",
        snapshot('{"expert": "alice-dupont",\n "feeds": {}\n "posts": []}\n'),
        (f"{SNAP}:3", "snapshot"),
    ),
    Case("snapshot cut in the middle", snapshot(str(BASE[SNAP])[:150]), (f"{SNAP}:2", "snapshot")),
    Case(
        "snapshot post URL that is a list",
        snapshot(
            str(BASE[SNAP]).replace(
                '"url": "https://piaille.example/@alice/1"', '"url": ["https://x.example/"]'
            )
        ),
        (f"{SNAP}:3", "snapshot"),
    ),
    Case(
        "snapshot posts that are not a list",
        snapshot('{"expert": "alice-dupont", "feeds": {},\n "posts": {"a": 1}}\n'),
        (f"{SNAP}:2", "snapshot"),
    ),
    Case(
        "snapshot date that is not a date",
        snapshot(str(BASE[SNAP]).replace("2026-03-01T10:00:00Z", "hier")),
        (f"{SNAP}:3", "snapshot"),
    ),
    Case(
        "snapshot that is not UTF-8",
        snapshot("") | {SNAP: b'{"expert": "\xff"}'},
        (f"{SNAP}:1", "source-encoding"),
    ),
    # -- settings ----------------------------------------------------------------------------------------
    Case("SPEED set to True", {}, ("pelicanconf.py:SPEED =", "settings"), overrides={"SPEED": True}),
    Case(
        "SPEED workers in words",
        {},
        ("pelicanconf.py:SPEED =", "settings"),
        overrides={"SPEED": {"workers": "many"}},
    ),
    Case("CHARTER as a text", {}, ("pelicanconf.py:CHARTER =", "settings"), overrides={"CHARTER": "strict"}),
    Case(
        "CHARTER terms as a list",
        {},
        ('pelicanconf.py:"forbidden_terms"', "settings"),
        overrides={"CHARTER": {"forbidden_terms": ["x"]}},
    ),
    # -- built, and inert ---------------------------------------------------------------------------------
    Case(
        "names and titles that open comments and scripts",
        {
            PROFILE: profile("A<script>B", expertise="[Cloud]", bio="Bio.").replace(
                "role: Consultante", 'role: "x<!--"'
            ),
            A: article("<!--<script>T", "alice-dupont"),
        },
        None,
        then="bodies-kept",
    ),
    Case("table aligned with Markdown", body("| a | b |\n|:--|--:|\n| 1 | 2 |"), None, then="no-style"),
    Case(
        "profile deleted by its owner",
        {"content/articles/de-bruno.md": article("De Bruno", "bruno-petit")},
        None,
        removed=("experts/bruno-petit.yml",),
        then="withdrawn",
    ),
    Case("profile with a byte-order mark", {PROFILE: "\ufeff" + str(BASE[PROFILE])}, None, then="no-warning"),
]
