"""Profile photos as the site serves them: re-encoded from their pixels, in several widths, made once."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from ambassade.build import main
from tests.experts.conftest import gps_exif
from tests.support import PREVIEW_CONF, photo, profile, site_overrides, write_site

SERVED = ("96.webp", "192.webp", "320.webp", "320.jpg")


def build(base: Path, files: dict | None, out: Path, cache: Path) -> tuple[int, str]:
    """Build ``base`` (written from ``files`` first, unless None: a site built already stays as it is)."""
    if files is not None:
        write_site(base, files)
    err = io.StringIO()
    overrides = site_overrides(base, out) | {"CACHE_PATH": str(cache), "DISCOVERY": {"search": False}}
    return main(str(PREVIEW_CONF), overrides=overrides, stream=err), err.getvalue()


def turned(image: bytes, orientation: int) -> bytes:
    """``image`` stored as a camera held sideways stores it: pixels turned, EXIF saying how to turn them back."""
    upright = Image.open(io.BytesIO(image))
    exif = gps_exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    upright.transpose(Image.Transpose.ROTATE_90).save(out, "JPEG", exif=exif)
    return out.getvalue()


def landscape_with_a_face_at(x_percent: int) -> bytes:
    image = Image.new("RGB", (1200, 600), (40, 120, 40))
    x = 1200 * x_percent // 100
    image.paste((200, 30, 30), (x - 150, 150, x + 150, 450))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def transparent_png() -> bytes:
    image = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    image.paste((30, 60, 200, 255), (100, 100, 400, 400))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


FILES = {
    "experts/alice-dupont.yml": profile(
        "Alice Dupont", photo="photos/alice.jpg", photo_alt="Alice au tableau"
    ),
    "experts/photos/alice.jpg": photo(900, 900, exif=gps_exif()),
    "experts/bruno-petit.yml": profile("Bruno Petit", photo="photos/bruno.jpg"),
    "experts/photos/bruno.jpg": turned(photo(600, 600), 6),
    "experts/chloe-garnier.yml": profile(
        "Chloé Garnier", photo="photos/chloe.png", photo_focus="{x: 80, y: 50}"
    ),
    "experts/photos/chloe.png": landscape_with_a_face_at(80),
    "experts/denis-leroy.yml": profile("Denis Leroy", photo="photos/denis.png"),
    "experts/photos/denis.png": transparent_png(),
    "experts/emma-faure.yml": profile("Emma Faure"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    status, err = build(root / "site", FILES, root / "output", root / "cache")
    assert status == 0, err
    return root


def served(output: Path, slug: str, name: str) -> Path:
    return output / "experts" / slug / f"photo-{name}"


def test_every_width_is_served_square_with_no_metadata_left(site):
    for name in SERVED:
        path = served(site / "output", "alice-dupont", name)
        data = path.read_bytes()
        with Image.open(path) as image:
            width = int(name.split(".")[0])
            assert image.size == (width, width) and image.format == (
                "WEBP" if name.endswith("webp") else "JPEG"
            )
            assert not image.getexif() and not {"exif", "xmp", "icc_profile", "comment"} & set(image.info), (
                name
            )
        for trace in (b"Exif", b"Clairvoie Phone", b"Model 7", b"GPS"):
            assert trace not in data, (name, trace)
    source = site / "site" / "experts" / "photos" / "alice.jpg"
    assert Image.open(source).getexif().get_ifd(0x8825), "the photo given did carry a position"


def test_the_page_offers_every_width_with_its_size_and_alt_text(site):
    page = BeautifulSoup(
        (site / "output" / "experts" / "alice-dupont" / "index.html").read_text(), "html.parser"
    )
    picture = page.select_one(".profile__header picture")
    source, img = picture.source, picture.img
    assert source["type"] == "image/webp" and source["sizes"] == "160px"
    assert [c.split()[-1] for c in source["srcset"].split(", ")] == ["96w", "192w", "320w"]
    for candidate in source["srcset"].split(", "):
        url = candidate.split()[0].replace("../../", "")
        assert (site / "output" / url).is_file()
    assert (img["width"], img["height"], img["alt"]) == ("160", "160", "Alice au tableau")
    assert img["src"].endswith("photo-320.jpg")
    card = BeautifulSoup((site / "output" / "experts" / "index.html").read_text(), "html.parser")
    assert (
        card.select_one(".expert-card img")["alt"] == ""
        and card.select_one(".expert-card source")["sizes"] == "72px"
    )


def test_a_photo_is_turned_upright_cropped_at_its_focus_and_flattened(site):
    with Image.open(served(site / "output", "bruno-petit", "320.jpg")) as image:
        top, bottom = image.getpixel((160, 10)), image.getpixel((160, 310))
    assert top[2] > 180 and bottom[0] > 100 and bottom[2] < 90, "sky on top, as the camera meant it"
    with Image.open(served(site / "output", "chloe-garnier", "320.jpg")) as image:
        assert image.getpixel((160, 160))[0] > 150, "the square is centred on the face, at 80 % of the width"
    with Image.open(served(site / "output", "denis-leroy", "320.jpg")) as image:
        assert min(image.getpixel((5, 5))) > 245, "transparency becomes white, not black"


def test_a_profile_without_a_photo_shows_initials(site):
    page = BeautifulSoup(
        (site / "output" / "experts" / "emma-faure" / "index.html").read_text(), "html.parser"
    )
    avatar = page.select_one(".profile__header .avatar--initials")
    assert (
        avatar.get_text() == "EF" and avatar["role"] == "img" and avatar["aria-label"] == "Photo : Emma Faure"
    )
    assert any(c.startswith("avatar--tone-") for c in avatar["class"])
    assert not list((site / "output" / "experts" / "emma-faure").glob("photo-*"))
    directory = BeautifulSoup((site / "output" / "experts" / "index.html").read_text(), "html.parser")
    initials = {a.get_text() for a in directory.select(".expert-card .avatar--initials")}
    assert initials == {"EF"}


def test_a_rebuild_encodes_nothing_again(site, tmp_path):
    cache = site / "cache"
    images = cache / "ambassade"
    kept = {p: p.stat().st_mtime_ns for p in images.rglob("*") if p.is_file()}
    assert len([p for p in kept if p.parent.parent.parent.name == "photos"]) == 4 * len(SERVED)
    status, err = build(site / "site", None, tmp_path / "again", cache)
    assert status == 0, err
    assert {p: p.stat().st_mtime_ns for p in images.rglob("*") if p.is_file()} == kept
    out = served(tmp_path / "again", "alice-dupont", "320.jpg")
    assert out.read_bytes() == served(site / "output", "alice-dupont", "320.jpg").read_bytes()
    assert os.stat(out).st_ino in {os.stat(p).st_ino for p in kept}, "linked from the cache, not written"


def test_a_new_photo_is_encoded_again(site, tmp_path):
    base = tmp_path / "site"
    files = {**FILES, "experts/photos/alice.jpg": photo(700, 700)}
    status, err = build(base, files, tmp_path / "output", site / "cache")
    assert status == 0, err
    new = served(tmp_path / "output", "alice-dupont", "320.jpg").read_bytes()
    assert new != served(site / "output", "alice-dupont", "320.jpg").read_bytes()
    assert (
        served(tmp_path / "output", "bruno-petit", "320.jpg").read_bytes()
        == served(site / "output", "bruno-petit", "320.jpg").read_bytes()
    )


def test_a_damaged_photo_stops_the_build_with_its_finding(tmp_path):
    truncated = photo(800, 800)[:3000]  # a real JPEG header, the rest lost in a transfer
    files = {
        "experts/alice-dupont.yml": profile("Alice Dupont", photo="photos/alice.jpg"),
        "experts/photos/alice.jpg": truncated,
    }
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("the site as it was")
    status, err = build(tmp_path / "site", files, out, tmp_path / "cache")
    assert status == 1 and "Traceback" not in err
    assert "experts/alice-dupont.yml:5:1: profile-photo: error: the photo cannot be decoded" in err.replace(
        str(tmp_path / "site") + "/", ""
    )
    assert [p.name for p in out.iterdir()] == ["index.html"]
