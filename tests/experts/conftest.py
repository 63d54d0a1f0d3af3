"""A site of four people who chose differently, built once: talks around today, contact, consent.

Alice speaks (talks past, today, upcoming; her requests go through comms; a photo
taken with a phone, GPS included); Bruno gives his own address and has publications
and media; Denis wants no contact button; Camille has not opted in, though her
profile has a photo, talks and an address: nothing of her may be published.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from ambassade.build import main
from tests.support import PREVIEW_CONF, article, photo, profile, site_overrides, write_site

TODAY = dt.datetime.now(ZoneInfo("Europe/Paris")).date()
SOON = TODAY + dt.timedelta(days=40)
LATER = TODAY + dt.timedelta(days=75)
AGO = TODAY - dt.timedelta(days=90)


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Clairvoie Phone", "Model 7"
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0), 3: "E", 4: (4.0, 50.0, 0.0)}
    return exif


ALICE_TALKS = f"""
  - title: "Cloud, coûts; sobriété : trois habitudes, un tiers de moins sur la facture mensuelle de l'hébergement"
    event: Journées Cloud
    date: {SOON}T14:30
    end: {SOON}T15:15
    place: Lyon, Cité internationale
    url: https://event.example/cloud
  - title: Atelier FinOps
    date: {TODAY}
    online: true
  - title: Green software days
    date: {LATER}
    end: {LATER + dt.timedelta(days=1)}
    place: Amsterdam
    online: true
    language: en
  - title: Migrer sans perdre la maîtrise
    event: Meetup Cloud
    date: {AGO}T19:00
    place: Lyon
    slides: https://slides.example/migrer
"""

FILES = {
    "experts/alice-dupont.yml": profile(
        "Alice Dupont",
        expertise="[Cloud, Numérique responsable]",
        photo="photos/alice.jpg",
        languages="[fr, en]",
        links="{mastodon: '@alice@piaille.example'}",
        speaking="{available: true, languages: [fr, en], formats: [talk, workshop]}",
        talks=ALICE_TALKS,
    ),
    "experts/photos/alice.jpg": photo(600, 600, exif=gps_exif()),
    "experts/bruno-petit.yml": profile(
        "Bruno Petit",
        expertise="[Cybersécurité]",
        contact="{email: bruno.petit@example.org}",
        publications="""
  - title: Revues de code, une étude de terrain
    publisher: Actes du colloque Génie logiciel
    date: 2025-09-22
    kind: paper
    url: https://colloque.example/revues
  - title: Ce que les revues apprennent
    publisher: Le Journal du développement
    date: 2026-02-10
""",
        media="""
  - title: La revue de code, un métier ?
    outlet: Radio Tech
    date: 2026-04-02
    kind: radio
""",
    ),
    "experts/denis-leroy.yml": profile("Denis Leroy", expertise="[Cybersécurité]", contact="none"),
    "experts/camille-roy.yml": profile(
        "Camille Roy",
        published=False,
        expertise="[Cloud]",
        photo="photos/camille.jpg",
        contact="{email: camille.roy@example.org}",
        speaking="{available: true}",
        talks=f"""
  - title: Données sobres
    date: {SOON}
    place: Nantes
""",
    ),
    "experts/photos/camille.jpg": photo(500, 500, exif=gps_exif()),
    "content/articles/premier.md": article("Premier article", "alice-dupont, bruno-petit, camille-roy"),
}


@pytest.fixture(scope="session")
def people(tmp_path_factory) -> Path:
    """The site built with the preview settings; its output folder."""
    base = write_site(tmp_path_factory.mktemp("people") / "site", FILES)
    out = base.parent / "output"
    overrides = site_overrides(base, out) | {
        "CACHE_PATH": str(base.parent / "cache"),
        "DISCOVERY": {"search": False},
    }
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    return out
