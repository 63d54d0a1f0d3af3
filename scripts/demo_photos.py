"""Draw the demo's profile photos: photo-like portraits made of gradients and shapes, no real face.

    .venv/bin/python scripts/demo_photos.py

Writes ``experts/photos/<slug>.<ext>`` for the people of ``PORTRAITS``, the
same bytes on every run. They are as a phone or a camera gives them, so that
the build has real work to do: JPEGs carrying EXIF (camera, date, GPS
position) that the site must not publish, a PNG, a WebP, a landscape one
that its profile crops with ``photo_focus``, all larger than the site serves.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "experts" / "photos"

# slug: (file format, width, height, where the person stands (0-1 from the left), with GPS)
PORTRAITS = {
    "claire-martin": ("JPEG", 900, 900, 0.5, True),
    "francois-gauthier": ("JPEG", 800, 800, 0.5, False),
    "helene-roussel": ("JPEG", 1350, 900, 0.68, True),
    "karim-benali": ("PNG", 640, 640, 0.5, False),
    "lea-fontaine": ("WEBP", 720, 720, 0.5, False),
    "thomas-lemaire": ("JPEG", 800, 960, 0.5, False),
    "sophie-nguyen": ("JPEG", 840, 840, 0.5, False),
    "paul-renaud": ("JPEG", 800, 800, 0.5, True),
}
SKIN = [(241, 204, 176), (224, 172, 140), (198, 140, 106), (160, 106, 76), (111, 74, 52)]
HAIR = [(38, 28, 24), (84, 56, 38), (150, 104, 60), (200, 170, 120), (110, 110, 115)]
CLOTHES = [(31, 78, 140), (40, 40, 48), (120, 40, 52), (46, 104, 86), (200, 200, 205), (150, 110, 60)]
ROOMS = [
    ((218, 226, 236), (160, 178, 196)),
    ((236, 228, 214), (178, 160, 138)),
    ((210, 228, 214), (132, 160, 140)),
]


def portrait(slug: str, width: int, height: int, stand: float) -> Image.Image:
    """A blurred room, a head and shoulders in front of it, the grain of a sensor."""
    rnd = random.Random(slug)
    top, bottom = rnd.choice(ROOMS)
    image = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", image.size, bottom), Image.new("RGB", image.size, top), image)
    draw = ImageDraw.Draw(image)
    for _ in range(14):  # out-of-focus lights and shapes of the room behind
        x, y, r = rnd.uniform(0, width), rnd.uniform(0, height * 0.7), rnd.uniform(20, 90) * width / 800
        shade = tuple(min(255, c + rnd.randint(-30, 40)) for c in top)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    image = image.filter(ImageFilter.GaussianBlur(width / 40))

    # The person on a layer of its own, with a mask blurred apart: a soft edge, no dark fringe.
    person, mask = image.copy(), Image.new("L", image.size)
    side = min(width, height)
    cx, cy = width * stand, height * 0.42
    skin, hair, clothes = rnd.choice(SKIN), rnd.choice(HAIR), rnd.choice(CLOTHES)
    long_hair = rnd.random() < 0.5
    shapes = [
        (clothes, (cx - side * 0.42, height * 0.66, cx + side * 0.42, height * 1.3)),
        (skin, (cx - side * 0.07, cy + side * 0.1, cx + side * 0.07, height * 0.7)),
        (hair, (cx - side * 0.2, cy - side * 0.25, cx + side * 0.2, cy + (side * 0.24 if long_hair else 0))),
        (skin, (cx - side * 0.16, cy - side * 0.19, cx + side * 0.16, cy + side * 0.2)),
        (hair, (cx - side * 0.17, cy - side * 0.235, cx + side * 0.17, cy - side * 0.1)),
    ]
    for colour, box in shapes:
        ImageDraw.Draw(person).ellipse(box, fill=colour)
        ImageDraw.Draw(mask).ellipse(box, fill=255)
    person = person.filter(ImageFilter.GaussianBlur(side / 400))
    image.paste(person, (0, 0), mask.filter(ImageFilter.GaussianBlur(side / 300)))

    light = Image.radial_gradient("L").resize(image.size).point(lambda v: 255 - v // 3)
    image = Image.composite(image, Image.new("RGB", image.size, (20, 20, 24)), light)
    grain = Image.effect_noise(image.size, 12).convert("RGB")
    return Image.blend(image, grain, 0.06)


def camera_exif(slug: str, gps: bool) -> Image.Exif:
    """What a phone writes into a photo: make, model, date and, when located, where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Clairvoie Phone"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0132] = "2026:03:02 10:15:00"  # DateTime
    exif[0x0131] = f"demo_photos.py {slug}"  # Software
    if gps:
        exif[0x8825] = {  # GPSInfo: 45°45'N 4°50'E, Lyon
            1: "N",
            2: (45.0, 45.0, 0.0),
            3: "E",
            4: (4.0, 50.0, 0.0),
        }
    return exif


def main() -> None:
    PHOTOS.mkdir(parents=True, exist_ok=True)
    for slug, (fmt, width, height, stand, gps) in PORTRAITS.items():
        image = portrait(slug, width, height, stand)
        ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        path = PHOTOS / f"{slug}.{ext}"
        if fmt == "JPEG":
            image.save(path, "JPEG", quality=88, exif=camera_exif(slug, gps))
        else:
            image.save(path, fmt, **({"quality": 90} if fmt == "WEBP" else {"optimize": True}))
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
