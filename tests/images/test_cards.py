"""A card for every shared link: each article and expert page has its own preview image."""

from __future__ import annotations

import io
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image, ImageFont

from ambassade.i18n import PROJECT_THEME
from plugins.images.cards import fit, wrap
from tests.support import ROOT, read_pages

ORIGIN = "https://clairvoie.example"
BOLD = str(PROJECT_THEME / "cards" / "Inter-Bold.ttf")


def preview_of(output: Path, page: Path) -> tuple[Path, dict[str, str]]:
    head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
    meta = {
        m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta") if m.get("content")
    }
    image = meta["og:image"]
    assert image.startswith(ORIGIN + "/")
    return output / image[len(ORIGIN) + 1 :], meta


def test_every_article_and_expert_page_has_its_own_card(demo_production):
    seen: dict[Path, str] = {}
    shared = [
        p
        for p in read_pages(demo_production)
        if p.relative_to(demo_production).parts[-3:-2] in (("articles",), ("experts",))
    ]
    assert len(shared) > 40
    for page in shared:
        path, meta = preview_of(demo_production, page)
        assert path.name.startswith("card-") and path.is_file(), page
        # One card per page; an expert's page in English shares the French one's when nothing on it differs.
        same = page.relative_to(demo_production).as_posix().removeprefix("en/")
        assert seen.setdefault(path, same) == same, f"{page} and {seen[path]} share a card"
        with Image.open(path) as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))
            assert len(card.convert("RGB").getcolors(1_000_000)) > 50, "text and pictures are drawn on it"
        assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == (
            "1200",
            "630",
            "image/png",
        )
        assert meta["og:image:alt"] and meta["twitter:image:alt"] == meta["og:image:alt"]


def test_a_card_speaks_the_language_of_its_page(demo_production):
    french, meta = preview_of(demo_production, demo_production / "experts" / "claire-martin" / "index.html")
    english, english_meta = preview_of(
        demo_production, demo_production / "en" / "experts" / "claire-martin" / "index.html"
    )
    assert french != english, "'Numérique responsable' is 'Sustainable IT' in English"
    assert meta["og:image:alt"] == "Claire Martin, Architecte cloud senior, sur Clairvoie Conseil"
    assert english_meta["og:image:alt"] == "Claire Martin, Senior cloud architect, on Clairvoie Conseil"
    article, meta = preview_of(
        demo_production, demo_production / "articles" / "migrer-cloud-maitrise-couts" / "index.html"
    )
    assert meta["og:image:alt"].startswith(
        "« Migrer vers le cloud sans perdre la maîtrise de ses coûts », par Claire Martin"
    )


def test_pages_without_a_card_of_their_own_show_the_sites(demo_production):
    path, meta = preview_of(demo_production, demo_production / "index.html")
    assert path == demo_production / "theme" / "social-card.png" and path.is_file()


def test_the_share_kit_shows_the_card_each_text_will_carry(demo_preview):
    kit = BeautifulSoup((demo_preview / "share-kit" / "index.html").read_text(), "html.parser")
    # Our articles' entries (an outside page's card is the one that site makes).
    entries = [e for e in kit.select(".kit-item") if not e.select_one(".badge--outside")]
    assert entries and all(e.select_one(".card-preview img") for e in entries)
    for entry in entries:
        article = entry.select_one("h2 a")["href"].replace("../", "")
        card = entry.select_one(".card-preview img")["src"].replace("../", "")
        assert card.startswith(article) and (demo_preview / card).is_file()


def test_a_long_title_is_set_in_smaller_type_then_cut():
    font_path = BOLD
    short = fit("Zero Trust en cinq étapes", font_path, 1056, sizes=(64, 58, 52, 46), max_lines=4)
    assert short[0].size == 64 and short[1] == ["Zero Trust en cinq étapes"]
    long_title = " ".join(["interopérabilité"] * 40)
    font, lines = fit(long_title, font_path, 1056, sizes=(64, 58, 52, 46), max_lines=4)
    assert font.size == 46 and len(lines) == 4 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1056 for line in lines)
    word = wrap(
        "Anticonstitutionnellementissimementextraordinairement", ImageFont.truetype(font_path, 64), 500
    )
    assert len(word) > 1 and all(ImageFont.truetype(font_path, 64).getlength(w) <= 500 for w in word)


def test_the_cards_fonts_ship_with_the_theme():
    for name in ("Inter-Regular.ttf", "Inter-Bold.ttf", "OFL.txt", "logo.png"):
        assert (ROOT / "theme" / "cards" / name).is_file()


def test_a_card_is_a_png_any_decoder_reads_back_to_the_pixels_drawn():
    from PIL import ImageDraw

    from plugins.images.png import Encoder

    image = Image.new("RGB", (300, 120), "#1f4e8c")
    encoder = Encoder(image.copy())
    ImageDraw.Draw(image).text(
        (10, 40), "Numérique responsable", font=ImageFont.truetype(BOLD, 28), fill="#ffffff"
    )
    image.paste(Image.effect_noise((60, 60), 50).convert("RGB"), (230, 30))
    data = encoder.encode(image)
    with Image.open(io.BytesIO(data)) as read:
        read.load()
        assert (read.format, read.mode, read.size) == ("PNG", "RGB", (300, 120))
        assert read.tobytes() == image.tobytes()


def test_cards_drawn_over_one_background_read_back_exactly_whichever_rows_they_change():
    import zlib

    from PIL import ImageDraw

    from plugins.images.png import Encoder

    background = Image.new("RGB", (300, 120), "#1f4e8c")
    ImageDraw.Draw(background).rectangle((10, 4, 60, 20), fill="#ffffff")
    encoder = Encoder(background)
    middle = background.copy()
    middle.paste(Image.effect_noise((60, 60), 50).convert("RGB"), (230, 30))
    bottom = background.copy()
    bottom.paste((200, 30, 30), (0, 100, 300, 120))
    header = background.copy()
    header.paste((255, 255, 255), (0, 0, 300, 3))
    # The runs a card leaves as the background are kept from one card to the next: each must still
    # come back with its own rows, not those of the card before.
    for image in (middle, bottom, background, header, middle):
        data = encoder.encode(image)
        assert zlib.decompress(data[data.index(b"IDAT") + 4 : -16])  # its Adler-32 checked
        with Image.open(io.BytesIO(data)) as read:
            read.load()
            assert (read.format, read.mode, read.size) == ("PNG", "RGB", (300, 120))
            assert read.tobytes() == image.tobytes()


def test_a_line_drawn_word_by_word_has_the_pixels_of_the_line_drawn_whole():
    from PIL import ImageDraw

    from plugins.images.cards import _font, _words

    regular = str(PROJECT_THEME / "cards" / "Inter-Regular.ttf")
    lines = ("Migrer vers le cloud sans perdre la maîtrise", "L'IA « générative » : AVRIL 2026, Tœ…")
    for path, size, anchor in ((BOLD, 64, "la"), (BOLD, 46, "la"), (regular, 30, "lm")):
        font = _font(path, size)
        for line in (*lines, "Claire Martin · Jean-Baptiste Dupont-Moreau · Émilie N…"):
            whole = Image.new("RGB", (1800, 140), "#1f4e8c")
            ImageDraw.Draw(whole).text((20, 40), line, font=font, fill="#ffffff", anchor=anchor)
            words = Image.new("RGB", (1800, 140), "#1f4e8c")
            _words(words, (20, 40), line, font, "#ffffff", anchor)
            assert words.tobytes() == whole.tobytes(), (size, line)
