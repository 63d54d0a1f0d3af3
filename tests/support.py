"""Helpers shared by the tests: build a site into a temp dir, walk its pages, check links.

Tests build real sites with the project's own settings files and only
override paths, so what they check is what `make html` produces.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

# One source of truth for "every internal link and image resolves": `invoke publish` checks it too.
from ambassade.publish.references import broken_references, pages, resolve  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
PREVIEW_CONF = ROOT / "pelicanconf.py"
PUBLISH_CONF = ROOT / "publishconf.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_site(base: Path, files: dict[str, str | bytes]) -> Path:
    """A site in ``base``: ``files`` maps paths (content/…, experts/…) to their text.

    The profile schema, the topic vocabulary and its schema are copied from the
    project, as a new site would have them (``files`` may give another vocabulary).
    """
    (base / "experts").mkdir(parents=True, exist_ok=True)
    (base / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (base / "content" / "pages").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "experts" / "schema.json", base / "experts" / "schema.json")
    for name in ("topics.yml", "topics.schema.json"):
        shutil.copyfile(ROOT / "content" / name, base / "content" / name)
    return write_files(base, files, dedent=True)


def write_files(root: Path, files: dict[str, str | bytes], *, dedent: bool = False) -> Path:
    """Each of ``files`` (relative path → text or bytes) under ``root``, folders made as needed."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n") if dedent else content, encoding="utf-8")
    return root


def site_overrides(base: Path, output: Path | None = None) -> dict:
    return {
        "PATH": str(base / "content"),
        "OUTPUT_PATH": str(output or base / "output"),
        "SITE": {"experts_path": str(base / "experts"), "social_path": str(base / "data" / "social")},
    }


def settings_of(conf: Path = PREVIEW_CONF, **overrides) -> dict:
    """The settings of ``conf`` with ``overrides`` (a dict override adds to the file's), checked as a build checks them."""
    from ambassade.configure import load

    return load(conf, overrides)


def profile(name: str, *, published: bool = True, role: str = "Consultante", **fields) -> str:
    """A valid profile's YAML, with ``fields`` added (already YAML-formatted values)."""
    lines = [
        "# yaml-language-server: $schema=schema.json",
        f"name: {name}",
        f"role: {role}",
        f"published: {'true' if published else 'false'}",
    ]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


def article(
    title: str,
    authors: str,
    *,
    date: str = "2026-03-14T09:30:00+01:00",
    body: str = "Du texte.",
    tags: str = "Cloud",
    lang: str = "fr",
    **meta,
) -> str:
    lines = [
        f"Title: {title}",
        f"Date: {date}",
        f"Authors: {authors}",
        f"Tags: {tags}",
        "Summary: Un résumé." if lang == "fr" else "Summary: A summary.",
        f"Lang: {lang}",
    ]
    lines += [f"{k.capitalize()}: {v}" for k, v in meta.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


def photo(width: int = 480, height: int = 480, fmt: str = "JPEG", *, exif=None, mode: str = "RGB") -> bytes:
    """A photo as a phone or a camera gives one: a sky over a figure, ``width``×``height``, in ``fmt``.

    Its top is light blue and its bottom dark red, so that a test sees which way up it is served;
    ``exif`` (a ``PIL.Image.Exif``) is written into it as a camera writes its own.
    """
    import io

    from PIL import Image, ImageDraw

    if mode != "RGB":  # a scan or a drawing: one plain colour (a huge one stays small in memory)
        image = Image.new(mode, (width, height))
    else:
        image = Image.new(mode, (width, height), (120, 170, 230))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, height // 2, width, height), fill=(140, 20, 30))
        draw.ellipse((width * 0.35, height * 0.25, width * 0.65, height * 0.6), fill=(230, 190, 160))
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **options)
    return out.getvalue()


def url_of(output: Path, page: Path) -> str:
    rel = page.relative_to(output).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def visible_text(path: Path) -> str:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ", strip=True)


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user or system configuration."""
    import os
    import subprocess

    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    env.pop("GITHUB_ACTOR", None)
    result = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    )
    return result.stdout


def pushed(site: Path, remote: Path | None = None) -> Path:
    """``site`` committed on ``main`` and pushed to a bare repository ``origin`` (made beside it): what
    `invoke publish` accepts. Returns the site."""
    remote = remote or site.with_name(site.name + "-origin.git")
    git(site.parent, "init", "-q", "--bare", "-b", "main", str(remote))
    if not (site / ".git").exists():
        git(site, "init", "-q", "-b", "main")
        git(site, "config", "user.name", "Test")
        (site / ".gitignore").write_text("output/\noutput-host/\n", encoding="utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "--allow-empty", "-m", "The site")
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "-q", "-u", "origin", "main")
    return site


def moved(page: Path) -> bool:
    """A redirect page at an old address (plugins/redirects): not a page a visitor reads."""
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")[:2000] and "/go/" not in page.as_posix()


def read_pages(output: Path) -> list[Path]:
    """The pages of ``output`` a visitor reads: the redirect pages of moved ones left out."""
    return [p for p in pages(output) if not moved(p)]
