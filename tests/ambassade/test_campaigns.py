"""The campaigns file: every mistake at its line, the good campaigns kept."""

from __future__ import annotations

import datetime as dt

import pytest

from ambassade import i18n
from ambassade.share_items import Campaign, parse_campaigns
from tests.support import FIXTURES, ROOT

CASE = FIXTURES / "rules" / "campaigns-with-every-mistake.yml"


@pytest.fixture(autouse=True)
def english():
    i18n.use()  # the tools' language of the tests (conftest): nothing here reads the settings


def test_every_mistake_of_the_campaigns_file_at_its_line():
    campaigns, findings = parse_campaigns(CASE, CASE.read_text(encoding="utf-8"), "fr", ROOT)
    assert campaigns == {}
    where = "tests/fixtures/rules/campaigns-with-every-mistake.yml"
    assert [f.text() for f in findings] == [
        f"{where}:4:8: campaign: error: the campaign ends (2026-11-10) before it starts (2026-11-16) — an end on "
        "or after the start",
        f"{where}:5:13: campaign: error: 'objectif' is not a field of a campaign — one of name, start, end, goal, "
        "clicks_goal",
        f"{where}:6:1: campaign: error: 'Semaine 2' is not a campaign slug — small letters, digits and dashes, "
        "e.g. 'semaine-numerique-responsable'",
        f"{where}:10:3: campaign: error: the campaign 'sans-debut' has no start — start: 2026-11-16",
        f"{where}:11:16: campaign: error: 'beaucoup' is not a number of clicks — a whole number, 1 or more",
        f"{where}:13:3: campaign: error: the campaign 'sans-nom' has no name — name: …",
        f"{where}:13:10: campaign: error: 'le 16 novembre' is not a day — a day such as 2026-11-16",
        f"{where}:14:1: campaign: error: the campaign 'semaine-test' is given twice",
    ]


def test_a_campaign_in_one_language_or_two():
    text = "aa:\n  name: Un nom\n  start: 2026-11-16\nbb:\n  name: {fr: Nom, en: Name}\n  start: 2026-11-16\n"
    campaigns, findings = parse_campaigns(CASE, text, "fr")
    assert findings == []
    assert campaigns["aa"].name_in("en") == "Un nom" and campaigns["bb"].name_in("en") == "Name"
    assert campaigns["bb"] == Campaign("bb", {"fr": "Nom", "en": "Name"}, dt.date(2026, 11, 16))
    assert campaigns["aa"].running(dt.date(2030, 1, 1)) and not campaigns["aa"].running(dt.date(2026, 11, 15))


def test_a_file_that_is_not_yaml():
    campaigns, findings = parse_campaigns(CASE, "a: [unclosed\n", "fr", ROOT)
    assert campaigns == {} and [f.rule for f in findings] == ["campaign"]
    assert "is not valid YAML" in findings[0].message
