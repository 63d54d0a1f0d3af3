"""Talks on the profile, the agenda and its calendars, the speakers' view, and their structured data."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import icalendar
from bs4 import BeautifulSoup

from tests.experts.conftest import LATER, SOON, TODAY

ORIGIN = "https://clairvoie.example"
PARIS = ZoneInfo("Europe/Paris")


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def titles(section) -> list[str]:
    return [p.get_text(" ", strip=True) for p in section.select(".talk__title")]


def jsonld(path) -> dict:
    """The page's own structured data, not its breadcrumbs."""
    (data,) = [
        data
        for script in soup(path).find_all("script", type="application/ld+json")
        if (data := json.loads(script.string)).get("@type") != "BreadcrumbList"
    ]
    return data


def test_profile_lists_upcoming_talks_soonest_first_then_past_ones(people):
    page = soup(people / "experts" / "alice-dupont" / "index.html")
    upcoming, past = page.select(".talk-list")
    assert titles(upcoming) == [
        "Atelier FinOps",  # today: upcoming until the day is over
        "Cloud, coûts; sobriété : trois habitudes, un tiers de moins sur la facture mensuelle de l'hébergement",
        "Green software days",
    ]
    assert titles(past) == ["Migrer sans perdre la maîtrise"]
    first = upcoming.select(".talk")[1]
    assert first.time["datetime"] == f"{SOON}T14:30:00"
    assert "14:30" in first.select_one(".talk__when").get_text()
    assert "Lyon, Cité internationale" in first.get_text() and "Journées Cloud" in first.get_text()
    assert past.select_one(".talk__links a")["href"] == "https://slides.example/migrer"
    english = upcoming.select(".talk")[2]
    assert english.select_one(".talk__title")["lang"] == "en"
    assert "anglais" in english.get_text()


def test_agenda_lists_every_upcoming_talk_of_published_experts_by_month(people):
    page = soup(people / "agenda" / "index.html")
    listed = [
        (t.select_one(".talk__title").get_text(strip=True), t.select_one(".meta a").get_text())
        for t in page.select(".talk")
    ]
    assert [speaker for _, speaker in listed] == ["Alice Dupont"] * 3
    assert [title for title, _ in listed][0] == "Atelier FinOps"
    assert "Migrer sans perdre la maîtrise" not in page.get_text(), "a past talk is not on the agenda"
    assert "Données sobres" not in page.get_text() and "Camille" not in page.get_text()
    months = [h.get_text() for h in page.select("main h2")]
    assert len(months) == len({(d.year, d.month) for d in (TODAY, SOON, LATER)})
    link = page.find("a", href=lambda h: h and h.endswith("agenda.ics"))
    assert (people / "agenda" / link["href"].rsplit("/", 1)[-1]).is_file()
    assert (people / "en" / "agenda" / "index.html").is_file()


def read_calendar(path) -> icalendar.Calendar:
    data = path.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b""), "every line ends with CRLF"
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets (RFC 5545, 3.1)"
    return icalendar.Calendar.from_ical(data)


def test_agenda_calendar_reads_as_a_calendar_application_reads_it(people):
    calendar = read_calendar(people / "agenda" / "agenda.ics")
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Cloud, coûts; sobriété : trois habitudes, un tiers de moins sur la facture mensuelle de l'hébergement",
        "Atelier FinOps",
        "Green software days",
        "Migrer sans perdre la maîtrise",
    }, "every talk of the published experts, and no one else's"
    for event in events.values():
        assert event["UID"] and event["DTSTAMP"] and event["DTSTART"]
    assert len({str(e["UID"]) for e in events.values()}) == 4
    timed = events[
        "Cloud, coûts; sobriété : trois habitudes, un tiers de moins sur la facture mensuelle de l'hébergement"
    ]
    start = dt.datetime.combine(SOON, dt.time(14, 30), PARIS)
    assert timed.decoded("DTSTART") == start and timed.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert timed.decoded("DTEND") == start + dt.timedelta(minutes=45)
    assert str(timed["LOCATION"]) == "Lyon, Cité internationale"
    assert str(timed["URL"]) == "https://event.example/cloud"
    assert "Alice Dupont" in str(timed["DESCRIPTION"]) and f"{ORIGIN}/experts/alice-dupont/" in str(
        timed["DESCRIPTION"]
    )
    days = events["Green software days"]
    assert days.decoded("DTSTART") == LATER and days.decoded("DTEND") == LATER + dt.timedelta(days=2)
    assert events["Atelier FinOps"].decoded("DTSTART") == TODAY
    assert str(events["Atelier FinOps"]["LOCATION"]) == "En ligne"
    again = people / "agenda" / "agenda.ics"
    assert read_calendar(again).to_ical() == calendar.to_ical()


def test_each_expert_with_talks_has_a_calendar_in_each_language(people):
    french = read_calendar(people / "experts" / "alice-dupont" / "interventions.ics")
    english = read_calendar(people / "en" / "experts" / "alice-dupont" / "interventions.ics")
    assert len(french.walk("VEVENT")) == len(english.walk("VEVENT")) == 4
    online = {str(e["SUMMARY"]): str(e["LOCATION"]) for e in english.walk("VEVENT")}
    assert online["Atelier FinOps"] == "Online"
    assert not (people / "experts" / "bruno-petit" / "interventions.ics").exists(), "no talk, no calendar"
    page = soup(people / "experts" / "alice-dupont" / "index.html")
    assert page.find("link", type="text/calendar")["href"].endswith("experts/alice-dupont/interventions.ics")


def test_profile_structured_data_has_events_with_their_performer_and_works_with_their_author(people):
    data = jsonld(people / "experts" / "alice-dupont" / "index.html")
    person = data["mainEntity"]
    pid = f"{ORIGIN}/experts/alice-dupont/#person"
    assert data["@type"] == "ProfilePage" and person["@id"] == pid
    events = {e["name"]: e for e in person["performerIn"]}
    assert len(events) == 4 and all(
        e["@type"] == "Event" and e["performer"]["@id"] == pid for e in events.values()
    )
    timed = events[
        "Cloud, coûts; sobriété : trois habitudes, un tiers de moins sur la facture mensuelle de l'hébergement"
    ]
    assert dt.datetime.fromisoformat(timed["startDate"]) == dt.datetime.combine(SOON, dt.time(14, 30), PARIS)
    assert timed["location"] == {
        "@type": "Place",
        "name": "Lyon, Cité internationale",
        "address": "Lyon, Cité internationale",
    }
    assert timed["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")
    assert events["Green software days"]["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    assert events["Atelier FinOps"]["location"]["@type"] == "VirtualLocation"

    bruno = jsonld(people / "experts" / "bruno-petit" / "index.html")["mainEntity"]
    works = {w["name"]: w for w in bruno["@reverse"]["author"]}
    paper = works["Revues de code, une étude de terrain"]
    assert (
        paper["@type"] == "ScholarlyArticle"
        and paper["author"]["@id"] == f"{ORIGIN}/experts/bruno-petit/#person"
    )
    assert (
        paper["publisher"]["name"] == "Actes du colloque Génie logiciel"
        and paper["datePublished"] == "2025-09-22"
    )
    assert works["Ce que les revues apprennent"]["@type"] == "Article"
    assert bruno["subjectOf"][0]["publisher"]["name"] == "Radio Tech"


def test_agenda_structured_data_lists_the_upcoming_events(people):
    data = jsonld(people / "agenda" / "index.html")
    assert [e["@type"] for e in data["@graph"]] == ["Event"] * 3
    assert {e["performer"]["name"] for e in data["@graph"]} == {"Alice Dupont"}


def test_publications_and_media_are_listed_on_the_profile(people):
    page = soup(people / "experts" / "bruno-petit" / "index.html")
    text = page.get_text(" ", strip=True)
    assert "Revues de code, une étude de terrain" in text and "article scientifique" in text
    assert "Radio Tech" in text and "radio" in text
    link = page.find("a", string="Revues de code, une étude de terrain")
    assert link["href"] == "https://colloque.example/revues"


def test_speakers_view_lists_those_available_by_topic_and_language(people):
    page = soup(people / "intervenants" / "index.html")
    text = page.get_text(" ", strip=True)
    assert "Alice Dupont" in text
    assert "Bruno Petit" not in text and "Denis Leroy" not in text, "only those who said they speak"
    assert "Camille" not in text
    topics = [h.get_text(strip=True) for h in page.select("main section > h2")]
    assert topics[:2] == ["Cloud", "Numérique responsable"]
    languages = [a.get_text(" ", strip=True) for a in page.select(".filter .chip")]
    assert languages == ["Français 1", "Anglais 1"]
    directory = soup(people / "experts" / "index.html")
    assert directory.find("a", href=lambda h: h and h.endswith("intervenants/"))
