"""Settings: one typed section per plugin, every mistake a finding at its line, the build stopped once."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from ambassade import configure
from ambassade.build import main
from ambassade.settings import SettingsError
from ambassade.site import SiteSettings
from plugins.advocacy.settings import AdvocacySettings
from plugins.social.settings import SocialSettings
from plugins.speed.settings import SpeedSettings
from tests.support import PREVIEW_CONF, PUBLISH_CONF, ROOT, profile, site_overrides, write_site


def settings_file(tmp_path: Path, text: str) -> Path:
    """A settings file that starts from the project's, as a site of its own would."""
    path = tmp_path / "siteconf.py"
    path.write_text(
        "from pelican.settings import get_settings_from_file\n"
        f"globals().update(get_settings_from_file({str(PREVIEW_CONF)!r}))\n"
        + textwrap.dedent(text).lstrip("\n"),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("conf", [PREVIEW_CONF, PUBLISH_CONF], ids=["preview", "production"])
def test_every_section_of_the_project_is_read_into_its_object(conf):
    settings = configure.load(conf)
    for section in configure.sections_of(settings):
        assert isinstance(settings[section.NAME], section), section.NAME
    assert settings["SITE"].origin == "https://clairvoie.example"
    assert SiteSettings.of(settings).experts_path == "experts"


def test_a_dict_given_on_the_command_line_adds_to_the_files_dict():
    settings = configure.load(PUBLISH_CONF, {"ADVOCACY": {"internal": True}})
    advocacy = AdvocacySettings.of(settings)
    assert advocacy.internal is True
    assert advocacy.weights == {
        "article": 10,
        "coauthored_article": 6,
        "translation": 4,
        "share_text": 2,
        "share": 3,
        "social_post": 1,
    }


def test_every_mistake_of_every_section_is_named_at_its_line_and_nothing_is_built(tmp_path):
    base = write_site(tmp_path / "site", {"experts/alice-dupont.yml": profile("Alice Dupont")})
    conf = settings_file(
        tmp_path,
        """
        SOCIAL = {
            "x_bridg": "https://bridge.example/{handle}/rss",
            "workers": "many",
        }
        ADVOCACY = {"weights": {"article": -3, "retweet": 1}}
        SPEED = True
        EXPERTS = {"featured": 6, "path": "experts"}
        CHARTER = {"max_title_length": "90"}
        """,
    )
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the site as it was", encoding="utf-8")
    err = io.StringIO()
    status = main(str(conf), overrides=site_overrides(base, output), stream=err)
    assert status == 1
    lines = [
        line.replace(str(tmp_path) + "/", "")
        for line in err.getvalue().splitlines()
        if ": settings: " in line
    ]
    assert lines == [
        "siteconf.py:4:5: settings: error: SOCIAL['x_bridg'] is not a setting — did you mean 'x_bridge'?",
        "siteconf.py:5:5: settings: error: SOCIAL['workers'] is 'many' — a whole number",
        "siteconf.py:7:25: settings: error: ADVOCACY['weights']['article'] is -3 — a whole number, 0 or more",
        "siteconf.py:7:40: settings: error: ADVOCACY['weights']['retweet'] is not a kind of contribution "
        "— one of article, coauthored_article, translation, share_text, share, social_post",
        "siteconf.py:8:1: settings: error: SPEED must be a dict, not True — a dict of settings: SPEED = {...}",
        "siteconf.py:9:27: settings: error: EXPERTS['path'] is not a setting — known settings: "
        "agenda_calendar_save_as, agenda_save_as, calendar_save_as, comms_email, facets, featured, "
        "filter_save_as, filter_url, index_save_as, qr_save_as, related, save_as, speakers_save_as, "
        "topic_save_as, topic_url, topics_save_as, url, vcard_save_as",
        "siteconf.py:10:12: settings: error: CHARTER['max_title_length'] is '90' — a whole number",
    ]
    assert "Traceback" not in err.getvalue()
    assert (output / "index.html").read_text(encoding="utf-8") == "the site as it was"


def test_a_settings_error_raised_by_reading_a_section_names_its_line(tmp_path):
    conf = settings_file(tmp_path, 'SITE = {"origin": "https://clairvoie.example/"}\n')
    with pytest.raises(SettingsError) as caught:
        configure.load(conf)
    assert [f.text().replace(str(tmp_path) + "/", "") for f in caught.value.findings] == [
        "siteconf.py:3:9: settings: error: SITE['origin'] is 'https://clairvoie.example/' "
        "— an address such as 'https://example.org', without a / at the end"
    ]


def test_a_settings_file_that_does_not_run_is_a_finding_at_its_line(tmp_path):
    conf = settings_file(tmp_path, 'SITENAME = "Clairvoie"\nSOCIAL = {"workers": 2\n')
    err = io.StringIO()
    assert main(str(conf), stream=err) == 1
    text = err.getvalue().replace(str(tmp_path) + "/", "")
    assert text.startswith("siteconf.py:4:10: settings: error: the settings file stops with SyntaxError")
    assert "Traceback" not in text


def test_sections_read_the_same_values_as_their_defaults_document():
    # The defaults are the fields' own: a settings file that says nothing gets them.
    assert SocialSettings.of({}).workers == 8
    assert SpeedSettings.of({}) == SpeedSettings()
    assert set(AdvocacySettings.defaults()) >= {"public", "internal", "weights", "networks"}


def test_relative_source_folders_are_read_from_the_settings_files_folder():
    settings = configure.load(PREVIEW_CONF)
    from ambassade.site import experts_path, social_path

    assert experts_path(settings) == ROOT / "experts"
    assert social_path(settings) == ROOT / "data" / "social"


def test_mistakes_are_said_in_the_sites_language(tmp_path, monkeypatch):
    monkeypatch.delenv("AMBASSADE_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")  # a machine's locale that names no language of the site
    conf = settings_file(tmp_path, 'SOCIAL = {"x_bridg": None, "workers": 0}\n')
    with pytest.raises(SettingsError) as caught:
        configure.load(conf)
    assert [f.text().replace(str(tmp_path) + "/", "") for f in caught.value.findings] == [
        "siteconf.py:3:11: settings: erreur: SOCIAL['x_bridg'] n'est pas un réglage — vouliez-vous dire « x_bridge » ?",
        "siteconf.py:3:28: settings: erreur: SOCIAL['workers'] vaut 0 — au moins 1",
    ]
    monkeypatch.setenv("LANG", "en_GB.UTF-8")  # one of the site's languages: the person's choice
    with pytest.raises(SettingsError) as caught:
        configure.load(conf)
    assert "is not a setting" in caught.value.findings[0].text()
