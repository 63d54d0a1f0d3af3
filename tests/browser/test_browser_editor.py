"""The editor at /admin/, driven in Chromium with its local backend: a profile and an article
written through the forms, mistakes refused, the files saved byte for byte what the scaffolds
plus the same edits by hand give, passing `check` and built into the expected pages."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import time
from pathlib import Path

import pytest
from PIL import Image

from ambassade import build, i18n, scaffold
from ambassade.editor.install import NotInstalled, install
from ambassade.editor.policy import site_path_headers
from ambassade.headers import security_headers
from ambassade.headers import settings_of as hosting
from ambassade.live import edit as local
from ambassade.output import host_folder
from ambassade.rules.check import check_site
from tests.browser.browser_server import serve
from tests.browser.browser_tools import Missing, need
from tests.support import PREVIEW_CONF, profile, settings_of, site_overrides, write_site

WHEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _editor():
    try:
        return install()
    except NotInstalled as exc:
        raise Missing(str(exc)) from None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site(base: Path) -> Path:
    """A site with one published expert: the article's author is the one the editor adds."""
    return write_site(base, {"experts/claire-martin.yml": profile("Claire Martin")})


def _overrides(base: Path, port: int) -> dict:
    return {**site_overrides(base), **local.overrides(port)}


@pytest.fixture
def editor_site(tmp_path, browser):
    need(_editor)
    base = _site(tmp_path / "site")
    port = _free_port()
    overrides = _overrides(base, port)
    build.build(PREVIEW_CONF, overrides=overrides)
    settings = settings_of(PREVIEW_CONF, **overrides)
    headers = security_headers(hosting(settings))
    with local.local_backend(base, port), serve(base / "output", headers, site_path_headers(settings)) as url:
        yield base, url, settings


def _expected_profile(tmp_path: Path, settings: dict) -> str:
    """What `invoke new-expert "Jeanne Dupont"` writes, then the edits a person makes by hand."""
    other = _site(tmp_path / "by-hand")
    other_settings = settings_of(PREVIEW_CONF, **site_overrides(other))
    with i18n.speaking(settings["DEFAULT_LANG"]):  # the editor writes in the site's language
        path = scaffold.new_expert(other_settings, "Jeanne Dupont", root=other)
        role = i18n._("job title")
    text = path.read_text(encoding="utf-8")
    return (
        text.replace(f'role: "TODO: {role}"', 'role: "Consultante cloud"')
        .replace("published: false", "published: true", 1)
        .replace("# expertise: [Cloud, Numérique responsable]", "expertise: [Cloud]")
    )


def _expected_article(tmp_path: Path, settings: dict) -> str:
    """What `invoke new-article` writes, then the header filled and the guide replaced by the text."""
    other = _site(tmp_path / "by-hand-article")
    (other / "experts" / "jeanne-dupont.yml").write_text(profile("Jeanne Dupont"), encoding="utf-8")
    path = scaffold.new_article(
        settings_of(PREVIEW_CONF, **site_overrides(other)),
        "Le cloud sans surprise",
        author="jeanne-dupont",
        root=other,
        now=WHEN,
    )
    text = path.read_text(encoding="utf-8")
    header, _guide = text.split("\n\n", 1)
    lines = []
    for line in header.split("\n"):
        if line.startswith("Tags:"):
            line = "Tags: Cloud"
        elif line.startswith("Summary:"):
            line = "Summary: Trois habitudes qui évitent les mauvaises surprises sur la facture."
        elif line.startswith("Date:"):
            line = "Date: 2026-11-02 10:30"
        lines.append(line)
    lines.append("Share-X: La facture cloud se pilote : trois habitudes simples.")
    body = "Une facture claire commence par des étiquettes.\n\n![Le schéma des coûts]({static}/images/couts-cloud.png)"
    return "\n".join(lines) + "\n\n" + body + "\n"


def _field(page, name: str):
    return page.locator(f"[id^='{name}-field-']").first


def _choose(page, name: str, typed: str, option: str | None) -> None:
    """Type into a select (or relation) field and pick ``option``; None: check nothing matches."""
    box = _field(page, name)
    box.click()
    page.keyboard.type(typed)
    if option is None:
        assert page.get_by_text("No options").or_(page.get_by_text("Aucune option")).first.is_visible()
        page.keyboard.press("Escape")
        for _ in typed:
            page.keyboard.press("Backspace")
        return
    page.get_by_text(option, exact=True).last.click()


def _publish(page) -> None:
    page.get_by_role("button", name="Publier").first.click()
    page.get_by_text("Publier maintenant").click()


def _wait_for(path: Path, timeout: float = 15.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.is_file():
            time.sleep(0.3)  # the backend writes in one call: let it finish
            return path.read_text(encoding="utf-8")
        time.sleep(0.1)
    raise AssertionError(f"{path} was not written")


def test_editor_writes_the_files_a_git_user_writes(editor_site, browser, tmp_path, artifacts):
    base, url, settings = editor_site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, timezone_id="Europe/Paris")
    page.goto(url + "/admin/")
    page.get_by_role("button", name="Se connecter").click()

    # A profile: the topic vocabulary is all the form offers.
    page.goto(url + "/admin/#/collections/experts/new")
    _field(page, "name").fill("Jeanne Dupont")
    _field(page, "role").fill("Consultante cloud")
    page.locator("[id^='published-field-']").first.click()
    _choose(page, "expertise", "Blockchain", None)
    _choose(page, "expertise", "Clou", "Cloud")
    page.screenshot(path=str(artifacts / "editor-profile-1280.png"), full_page=False)
    _publish(page)
    written = _wait_for(base / "experts" / "jeanne-dupont.yml")
    assert written == _expected_profile(tmp_path, settings)

    # An article: a share text too long for X and an image without a description are refused.
    page.goto(url + "/admin/#/collections/articles-fr/new")
    _field(page, "title").fill("Le cloud sans surprise")
    date = _field(page, "date")
    date.fill("2026-11-02 10:30")
    _choose(page, "authors", "Jeanne", "Jeanne Dupont")
    _choose(page, "tags", "Clou", "Cloud")
    _field(page, "summary").fill("Trois habitudes qui évitent les mauvaises surprises sur la facture.")
    _field(page, "slug").fill("le-cloud-sans-surprise")
    page.get_by_role("button", name="Ajouter Share-X").click()
    share = page.locator("[id^='text-field-']").last
    share.fill("x" * 300)
    # The text, in rich text, with a picture uploaded through its image button and no description yet.
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type("Une facture claire commence par des étiquettes.")
    page.keyboard.press("Enter")
    page.get_by_title("Ajouter un composant").click()
    page.get_by_text("Image", exact=True).last.click()
    page.get_by_text("Choisir une image").last.click()
    picture = tmp_path / "couts-cloud.png"
    Image.new("RGB", (80, 40), (60, 60, 200)).save(picture)
    page.locator("input[type=file]").first.set_input_files(str(picture))
    page.get_by_text("Choisir les éléments sélectionnés").click()
    _publish(page)
    page.get_by_text("at most").or_(page.get_by_text("au plus")).first.wait_for()
    assert not (base / "content" / "articles" / "le-cloud-sans-surprise.md").exists()
    share.fill("La facture cloud se pilote : trois habitudes simples.")
    _publish(page)
    refusal = json.loads((base / "output" / "admin" / "ambassade.json").read_text(encoding="utf-8"))
    page.get_by_text(refusal["messages"]["missing_alt"][:30]).first.wait_for()
    assert not (base / "content" / "articles" / "le-cloud-sans-surprise.md").exists()
    page.locator("[id^='alt-field-']").last.fill("Le schéma des coûts")
    page.screenshot(path=str(artifacts / "editor-article-1280.png"), full_page=False)
    _publish(page)
    article = _wait_for(base / "content" / "articles" / "le-cloud-sans-surprise.md")
    assert article == _expected_article(tmp_path, settings)
    assert (base / "content" / "images" / "couts-cloud.png").read_bytes() == picture.read_bytes()

    # The files pass `check`, and build into the pages a git user's files give.
    assert [str(f) for f in check_site(settings, base).findings if f.is_error] == []
    build.build(PREVIEW_CONF, overrides=site_overrides(base))
    page.goto(url + "/experts/jeanne-dupont/")
    assert "Consultante cloud" in page.inner_text("main")
    page.goto(url + "/brouillons/le-cloud-sans-surprise/")
    assert page.get_by_role("img", name="Le schéma des coûts").is_visible()


def test_the_intranet_copy_has_the_editor_with_its_own_policy_and_production_refuses_it(tmp_path):
    from ambassade.publish import run
    from ambassade.publish.verify import verify
    from tests.support import PUBLISH_CONF

    need(_editor)
    base = _site(tmp_path / "site")
    production = tmp_path / "production"
    build.build(PUBLISH_CONF, overrides=site_overrides(base, production))
    assert not (production / "admin").exists()
    assert "/admin/" not in (host_folder(production) / "_headers").read_text(encoding="utf-8")

    internal = tmp_path / "internal"
    secret = "ghp_" + "s3cr3t" * 6  # a token in the environment never reaches the files
    overrides = {**site_overrides(base, internal), "EDITOR": {"enabled": True, "repo": "clairvoie/site"}}

    os.environ["GITHUB_TOKEN"] = secret
    try:
        build.build(PUBLISH_CONF, overrides=overrides)
    finally:
        del os.environ["GITHUB_TOKEN"]
    headers = (host_folder(internal) / "_headers").read_text(encoding="utf-8")
    site_policy, editor_policy = re.findall(r"Content-Security-Policy: (.+)", headers)
    assert "'unsafe-eval'" not in site_policy and "'unsafe-eval'" in editor_policy
    assert "connect-src 'self' blob: https://api.github.com" in editor_policy
    assert "location ^~ /admin/ {" in (host_folder(internal) / "nginx-headers.conf").read_text(
        encoding="utf-8"
    )
    page = (internal / "admin" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page and "frame-ancestors" not in page
    assert "repo: clairvoie/site" in (internal / "admin" / "config.yml").read_text(encoding="utf-8")
    for path in (internal / "admin").iterdir():
        assert secret.encode() not in path.read_bytes()
    problems = [p.text() for p in verify(internal, run.load(PUBLISH_CONF), dt.datetime.now(dt.UTC))]
    assert any(
        p.startswith("admin/:1:1: publish-editor: error: the editor (/admin/) is in the production")
        for p in problems
    )
