"""What a visitor takes away and how they reach the person: vCard, QR code, h-card, contact; and consent."""

from __future__ import annotations

import re
from pathlib import Path

import segno
from bs4 import BeautifulSoup

ORIGIN = "https://clairvoie.example"
COMMS = "experts@clairvoie.example"  # EXPERTS["comms_email"] in pelicanconf.py


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def vcard(path: Path) -> list[tuple[str, str]]:
    """(name with parameters, value) of each line, unfolded as RFC 6350 (3.2) says."""
    data = path.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    text = data.decode("utf-8").replace("\r\n ", "")
    return [tuple(line.split(":", 1)) for line in text.split("\r\n") if line]


def test_a_vcard_holds_only_what_the_person_made_public(people):
    alice = vcard(people / "experts" / "alice-dupont" / "alice-dupont.vcf")
    assert alice[:2] == [("BEGIN", "VCARD"), ("VERSION", "4.0")] and alice[-1] == ("END", "VCARD")
    fields = dict(alice)
    assert fields["FN"] == "Alice Dupont" and fields["N"] == "Dupont;Alice;;;"
    assert fields["TITLE"] == "Consultante" and fields["ORG"] == "Clairvoie Conseil"
    assert fields["URL;TYPE=work"] == f"{ORIGIN}/experts/alice-dupont/"
    assert fields["PHOTO;MEDIATYPE=image/jpeg"] == f"{ORIGIN}/experts/alice-dupont/photo-320.jpg"
    assert fields["CATEGORIES"] == "Cloud,Numérique responsable"
    assert fields["SOCIALPROFILE;SERVICE-TYPE=Mastodon"] == "https://piaille.example/@alice"
    assert not any(name.startswith("EMAIL") for name, _ in alice), "requests to Alice go through comms"
    bruno = dict(vcard(people / "experts" / "bruno-petit" / "bruno-petit.vcf"))
    assert bruno["EMAIL;TYPE=work"] == "bruno.petit@example.org", "Bruno chose to give his address"
    assert "PHOTO;MEDIATYPE=image/jpeg" not in bruno
    denis = vcard(people / "experts" / "denis-leroy" / "denis-leroy.vcf")
    assert not any(name.startswith("EMAIL") for name, _ in denis)


def qr_matrix(svg: str) -> list[list[bool]]:
    """The modules an SVG of segno draws: its path of horizontal runs, read back."""
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg)[1]) // 8
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)[1]
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for dx in range(int(a)):
                grid[int(y)][int(x) + dx] = True
            x += float(a)
    return grid


def test_the_qr_code_leads_to_the_profile(people):
    svg = (people / "experts" / "alice-dupont" / "alice-dupont-qr.svg").read_text(encoding="utf-8")
    assert "<title>Alice Dupont</title>" in svg
    expected = segno.make(f"{ORIGIN}/experts/alice-dupont/", error="m", micro=False)
    assert qr_matrix(svg) == [[bool(m) for m in row] for row in expected.matrix_iter(scale=1, border=4)]
    page = soup(people / "experts" / "alice-dupont" / "index.html")
    qr = page.select_one(".takeaway__qr")
    assert qr["src"].endswith("experts/alice-dupont/alice-dupont-qr.svg") and qr["alt"]


def test_profile_is_an_h_card(people):
    card = soup(people / "experts" / "alice-dupont" / "index.html").select_one(".h-card")
    assert card.select_one(".p-name").get_text() == "Alice Dupont"
    assert card.select_one(".p-job-title").get_text() == "Consultante"
    assert card.select_one(".p-org")["value"] == "Clairvoie Conseil"
    assert card.select_one("img.u-photo")["src"].endswith("photo-320.jpg")
    assert card.select_one(".u-url.u-uid")["href"] == f"{ORIGIN}/experts/alice-dupont/"
    assert [c.get_text() for c in card.select(".p-category")] == ["Cloud", "Numérique responsable"]
    me = card.select('a[rel~="me"]')
    assert [a["href"] for a in me] == ["https://piaille.example/@alice"] and "u-url" in me[0]["class"]
    bruno = soup(people / "experts" / "bruno-petit" / "index.html").select_one(".h-card")
    assert bruno.select_one(".u-email")["href"] == "mailto:bruno.petit@example.org"


def test_contact_goes_through_comms_by_default_hidden_from_harvesters(people):
    path = people / "experts" / "alice-dupont" / "index.html"
    html = path.read_text(encoding="utf-8")
    assert COMMS not in html and "mailto:" not in html, "no address a program finds in the page's text"
    contact, talk = soup(path).select(".contact__actions a")
    assert contact.get_text() == "Contacter Alice Dupont"
    assert contact["href"].startswith(
        f"mailto:{COMMS}?subject=Demande%20de%20contact%20pour%20Alice%20Dupont&body="
    )
    assert "Alice%20Dupont%20%28Consultante%29" in contact["href"]
    assert talk.get_text() == "Demander une intervention" and "Demande%20d%27intervention" in talk["href"]
    block = soup(path).select_one(".contact")
    assert block.has_attr("data-pagefind-ignore"), "the address stays out of the search index"
    assert "équipe communication" in block.get_text()


def test_contact_as_each_person_chose(people):
    bruno = soup(people / "experts" / "bruno-petit" / "index.html")
    (button,) = bruno.select(".contact__actions a")  # no talk request: Bruno does not speak
    assert button["href"].startswith("mailto:bruno.petit@example.org?subject=")
    assert bruno.select_one(".u-email").get_text() == "bruno.petit@example.org"
    assert "bruno.petit@example.org" not in (people / "experts" / "bruno-petit" / "index.html").read_text()
    denis = people / "experts" / "denis-leroy" / "index.html"
    assert soup(denis).select(".contact") == [] and "mailto" not in denis.read_text(encoding="utf-8")
    for page in (people / "experts").glob("*/index.html"):
        scripts = soup(page).find_all("script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), "contact needs no script"


def test_an_unpublished_expert_has_none_of_these_files(people):
    """Camille's profile has a photo, talks, an address and says she speaks: she has not opted in."""
    assert not (people / "experts" / "camille-roy").exists()
    assert not list(people.rglob("*camille*"))
    for path in people.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".ics", ".vcf", ".svg", ".txt"}:
            text = path.read_text(encoding="utf-8")
            for trace in ("Camille", "camille", "Données sobres"):
                assert trace not in text, (path.relative_to(people), trace)
    photos = sorted(p.relative_to(people).as_posix() for p in people.rglob("photo-*"))
    assert photos == [
        f"experts/alice-dupont/photo-{w}" for w in ("192.webp", "320.jpg", "320.webp", "96.webp")
    ]
    published = {"alice-dupont", "bruno-petit", "denis-leroy"}
    assert {p.parent.name for p in people.rglob("*.vcf")} == published
    assert {p.parent.name for p in people.rglob("*-qr.svg")} == published
