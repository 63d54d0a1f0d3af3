"""A synthetic company, deterministic for a given size: profiles, photos, articles, social snapshots.

Everything is written under one folder laid out like the project (``experts/``,
``content/``, ``data/social/``), never inside the repository's own content, so
the benchmark can point the real settings at it with path overrides.

Lengths and metadata imitate the demo: profiles valid against
``experts/schema.json`` with a bio in both languages, articles of a few
kilobytes with the demo's header (Title, Date, Authors, Tags, Summary, Lang,
Slug), some translated, a few drafts and scheduled ones, some code, images
and links to other articles.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SIZES = {
    "tiny": (20, 60, 200),
    "small": (200, 1000, 4000),
    "default": (1000, 5000, 20000),
    "double": (2000, 10000, 40000),
}

FIRST = [
    "Claire",
    "Joël",
    "Amandine",
    "François",
    "Gaëlle",
    "Hélène",
    "Inès",
    "Karim",
    "Léa",
    "Mathieu",
    "Noémie",
    "Paul",
    "Sophie",
    "Thomas",
    "Camille",
    "Hugo",
    "Chloé",
    "Lucas",
    "Manon",
    "Nathan",
    "Sarah",
    "Antoine",
    "Julie",
    "Maxime",
    "Élodie",
    "Romain",
    "Yasmine",
    "Bastien",
    "Aurélie",
    "Nicolas",
    "Margaux",
    "Olivier",
    "Pauline",
    "Quentin",
    "Rémi",
    "Sandrine",
    "Théo",
    "Valérie",
    "William",
    "Zoé",
]
LAST = [
    "Martin",
    "Bernard",
    "Lefèvre",
    "Gauthier",
    "Morvan",
    "Roussel",
    "Carvalho",
    "Benali",
    "Fontaine",
    "Perrin",
    "Garnier",
    "Renaud",
    "Nguyen",
    "Lemaire",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garcia",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrot",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Boyer",
    "Denis",
    "Lemoine",
]
ROLES = [
    "Architecte cloud",
    "Consultante data",
    "Consultant cybersécurité",
    "Designer UX senior",
    "Coach agile",
    "Ingénieure DevOps",
    "Experte accessibilité",
    "Data scientist",
    "Responsable practice Cloud",
    "Consultant numérique responsable",
    "Product manager",
    "Ingénieur plateforme",
    "Analyste sécurité",
    "Architecte logiciel",
    "Cheffe de projet",
]
TOPICS = [
    "Cloud",
    "Données",
    "Sécurité",
    "Cybersécurité",
    "Agilité",
    "Design",
    "Accessibilité",
    "DevOps",
    "Data & IA",
    "Numérique responsable",
    "FinOps",
    "Kubernetes",
    "Observabilité",
    "UX writing",
    "Gouvernance",
    "Product management",
    "Architecture",
    "Qualité logicielle",
    "Formation",
    "Open source",
    "Plateformes",
    "Réseaux",
    "Identité",
    "Mobile",
    "Recherche utilisateur",
    "Conformité",
    "Souveraineté",
    "MLOps",
    "Green IT",
    "Management",
    "Transformation",
    "API",
    "Tests",
    "Performance",
    "Secteur public",
    "Santé",
    "Industrie",
    "Énergie",
    "Finance",
    "Retail",
]
TEAMS = [
    "Practice Cloud & Infrastructure",
    "Practice Cybersécurité",
    "Practice Data & IA",
    "Studio Design",
    "Transformation agile",
    "Pôle Numérique responsable",
    "DevOps & Plateformes",
]
CITIES = ["Lyon", "Paris", "Nantes", "Bordeaux", "Lille", "Rennes", "Toulouse", "Marseille"]

FR = [
    "La plupart des organisations que nous accompagnons ont déjà des équipes compétentes",
    "Le problème vient rarement de la technique elle-même, mais de la manière dont les décisions sont prises",
    "Nous avons mesuré pendant trois mois le temps passé à attendre une validation",
    "Une règle simple, appliquée par tous, vaut mieux qu'un cadre complet que personne ne lit",
    "Les environnements de recette tournaient la nuit et le week-end sans raison",
    "Chaque équipe a désormais un tableau de bord qui montre **sa** dépense et **ses** incidents",
    "Il a fallu six semaines pour que l'habitude s'installe, puis elle s'est diffusée d'elle-même",
    "Le chiffre qui compte n'est pas le nombre d'outils déployés, mais le délai entre une idée et sa mise en production",
    "Nous recommandons de commencer petit : une équipe, un service, un indicateur",
    "La documentation la plus utile est celle que l'on écrit juste après avoir résolu un problème",
    "Les utilisatrices et utilisateurs finaux ont été associés dès la première semaine",
    "La sobriété numérique commence par ne pas construire ce dont personne n'a besoin",
    "Une revue mensuelle de trente minutes suffit à garder le cap",
    "Nous avons retiré deux tiers des alertes, qui ne menaient jamais à aucune action",
    "Le *plan de reprise* n'a de valeur que s'il a été exercé au moins une fois par an.",
]
EN = [
    "Most organisations we work with already have capable teams",
    "The problem is rarely the technology itself, but how decisions are made",
    "We measured for three months how long people waited for an approval",
    "A simple rule that everyone follows beats a complete framework that nobody reads",
    "Each team now has a dashboard showing **its own** spending and incidents",
    "It took six weeks for the habit to settle, then it spread on its own",
    "We recommend starting small: one team, one service, one metric",
    "The most useful documentation is written right after solving a problem",
    "End users were involved from the very first week",
    "A monthly thirty-minute review is enough to stay on course.",
]
HEADINGS_FR = [
    "Le contexte",
    "Ce que nous avons essayé",
    "Pourquoi cela dérape",
    "Trois habitudes qui changent tout",
    "Mesurer avant d'agir",
    "Ce qu'il faut retenir",
    "Les pièges à éviter",
    "Et ensuite ?",
]
HEADINGS_EN = [
    "The context",
    "What we tried",
    "Why it goes wrong",
    "Three habits that change everything",
    "Measure before acting",
    "What to remember",
    "Pitfalls to avoid",
    "What next?",
]
CODE = '''```python
def cout_mensuel(ressources, tarif_horaire):
    """Coût d'un mois de 730 heures pour les ressources allumées."""
    return sum(r.heures * tarif_horaire[r.type] for r in ressources if r.allumee)
```'''
IMAGES = [
    "chaine-donnees-qualite.svg",
    "cloud-couts-finops.svg",
    "cycle-de-vie-terminal.svg",
    "pipeline-ci-cd.svg",
    "plateforme-interne.svg",
    "zero-trust-acces.svg",
]
NETWORKS = ["mastodon", "bluesky", "linkedin"]


@dataclass(frozen=True)
class Company:
    experts: int
    articles: int
    posts: int
    seed: int = 8

    @property
    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True) + (Path(__file__).read_text(encoding="utf-8"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _slugify(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def _vocabulary(rng: random.Random) -> str:
    """The topics profiles and articles name, as content/topics.yml lists them: a third of them
    narrower topics of another, each with a synonym of its own."""
    lines = ["# yaml-language-server: $schema=topics.schema.json"]
    slugs = [_slugify(name) for name in TOPICS]
    for n, (name, slug) in enumerate(zip(TOPICS, slugs, strict=True)):
        lines += [
            f"{slug}:",
            f'  name: {{fr: "{name}", en: "{name} (en)"}}',
            "  description:",
            f'    fr: "{_sentences(rng, FR, 1).replace(chr(34), "")}"',
            f'    en: "{_sentences(rng, EN, 1).replace(chr(34), "")}"',
            f"  synonyms: [mot-{slug}]",
        ]
        if n % 3 == 2:
            lines.append(f"  parent: {slugs[n - 1]}")
    return "\n".join(lines) + "\n"


def _sentences(rng: random.Random, bank: list[str], n: int) -> str:
    return " ".join(s.rstrip(".") + "." for s in rng.sample(bank, min(n, len(bank))))


def _photo(slug: str) -> bytes:
    """A portrait as a phone gives it: 900 pixels square, a JPEG with its camera's EXIF."""
    import io

    from PIL import Image, ImageDraw

    rng = random.Random(slug)
    image = Image.linear_gradient("L").resize((900, 900)).convert("RGB")
    tint = Image.new("RGB", image.size, tuple(rng.randint(60, 220) for _ in range(3)))
    image = Image.blend(image, tint, 0.6)
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 620, 750, 1200), fill=tuple(rng.randint(20, 200) for _ in range(3)))
    draw.ellipse((300, 220, 600, 600), fill=tuple(rng.randint(120, 240) for _ in range(3)))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Phone", "Model 7"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _talks(slug: str) -> list[str]:
    """Talks past and upcoming, and sometimes publications: each expert has a page's worth."""
    rng = random.Random(slug + "/talks")
    lines = []
    if rng.random() < 0.5:
        lines += ["speaking:", "  available: true", "  formats: [talk, workshop]"]
    lines.append("talks:")
    for n in range(rng.randint(1, 4)):
        day = datetime(2025, 1, 1) + timedelta(days=rng.randint(0, 4 * 365))
        lines += [
            f"  - title: {rng.choice(HEADINGS_FR)}, retour d'expérience n° {n + 1}",
            f"    event: {rng.choice(CITIES)} Tech Days {day.year}",
            f"    date: {day:%Y-%m-%d}T{rng.randint(9, 18):02d}:{rng.choice(['00', '30'])}",
            f"    place: {rng.choice(CITIES)}" if rng.random() < 0.8 else "    online: true",
            f"    url: https://events.example/{slug}/{n + 1}",
        ]
    if rng.random() < 0.4:
        lines += [
            "publications:",
            f"  - title: {rng.choice(HEADINGS_FR)}",
            "    publisher: Revue du numérique",
            f"    date: {2020 + rng.randint(0, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        ]
    return lines


def _profile(rng: random.Random, slug: str, name: str) -> tuple[str, bool, bool]:
    published = rng.random() < 0.95
    social = published and rng.random() < 0.8
    topics = rng.sample(TOPICS, rng.randint(1, 4))
    handle = slug.replace("-", "")[:15]
    lines = [
        "# yaml-language-server: $schema=schema.json",
        f"name: {name}",
        f"role: {rng.choice(ROLES)}",
        f"published: {'true' if published else 'false'}",
        f"social_feed: {'true' if social else 'false'}",
        f"leaderboard: {'true' if rng.random() < 0.5 else 'false'}",
        "expertise: [" + ", ".join(topics) + "]",
        "bio:",
        "  fr: >-",
        "    " + _sentences(rng, FR, rng.randint(3, 5)),
        "  en: >-",
        "    " + _sentences(rng, EN, rng.randint(3, 5)),
        f"photo: photos/{slug}.jpg",
        f"location: {rng.choice(CITIES)}",
        f"team: {rng.choice(TEAMS)}",
        "languages: [fr, en]" if rng.random() < 0.6 else "languages: [fr]",
        "links:",
        f"  linkedin: https://www.linkedin.com/in/{slug}",
        f'  mastodon: "@{handle}@piaille.example"',
        f"  bluesky: {handle}.bsky.social",
        f"  github: {handle}",
        "audience:",
        f"  linkedin: {rng.randint(50, 5000)}",
        f"  mastodon: {rng.randint(0, 800)}",
        *_talks(slug),
    ]
    return "\n".join(lines) + "\n", published, social


def _body(rng: random.Random, lang: str, others: list[str]) -> str:
    bank, headings = (FR, HEADINGS_FR) if lang == "fr" else (EN, HEADINGS_EN)
    parts = [_sentences(rng, bank, rng.randint(3, 5))]
    for heading in rng.sample(headings, rng.randint(3, 5)):
        parts.append(f"## {heading}")
        parts.append(_sentences(rng, bank, rng.randint(3, 6)))
        kind = rng.random()
        if kind < 0.35:
            parts.append("\n".join(f"- {s.rstrip('.')} ;" for s in rng.sample(bank, 3)))
        elif kind < 0.45:
            parts.append("> " + _sentences(rng, bank, 1))
        elif kind < 0.55 and others:
            parts.append(
                f"Voir aussi [un article voisin]({{filename}}/articles/{rng.choice(others)}.md) "
                f"et [la référence](https://www.example.org/{rng.randint(1, 999)})."
            )
        parts.append(_sentences(rng, bank, rng.randint(2, 4)))
    if rng.random() < 0.15:
        parts.append(CODE)
    if rng.random() < 0.1:
        image = rng.choice(IMAGES)
        parts.append(f"![Schéma : {image[:-4].replace('-', ' ')}]({{static}}/images/{image})")
    return "\n\n".join(parts)


def _date(rng: random.Random, start: datetime, span_days: int) -> datetime:
    return start + timedelta(days=rng.randint(0, span_days), minutes=rng.randint(0, 600))


def _iso(when: datetime) -> str:
    offset = "+02:00" if 4 <= when.month <= 10 else "+01:00"
    return when.strftime("%Y-%m-%dT%H:%M:00") + offset


def _post_html(rng: random.Random) -> str:
    text = _sentences(rng, FR, rng.randint(1, 3)).replace("**", "")
    return f'<p>{text} <a href="https://www.example.org/{rng.randint(1, 9999)}">example.org</a></p>'


def generate(company: Company, dest: Path) -> Path:
    """Write ``company`` into ``dest`` (created afresh) unless it is already there; return ``dest``."""
    stamp = dest / ".company"
    if stamp.is_file() and stamp.read_text() == company.key:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    rng = random.Random(company.seed)
    experts_dir = dest / "experts"
    (experts_dir / "photos").mkdir(parents=True)
    shutil.copyfile(ROOT / "experts" / "schema.json", experts_dir / "schema.json")
    content = dest / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    shutil.copytree(ROOT / "content" / "images", content / "images")
    shutil.copyfile(ROOT / "content" / "topics.schema.json", content / "topics.schema.json")
    (content / "topics.yml").write_text(_vocabulary(rng), encoding="utf-8")
    social = dest / "data" / "social"
    social.mkdir(parents=True)

    published, with_feed = [], []
    used: set[str] = set()
    for i in range(company.experts):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        slug = _slugify(name)
        if slug in used:
            slug = f"{slug}-{i}"
        used.add(slug)
        text, is_published, social_feed = _profile(rng, slug, name)
        (experts_dir / f"{slug}.yml").write_text(text, encoding="utf-8")
        (experts_dir / "photos" / f"{slug}.jpg").write_bytes(_photo(slug))
        if is_published:
            published.append(slug)
        if social_feed:
            with_feed.append(slug)
    everyone = sorted(used)

    start = datetime(2019, 1, 1, 8, 0)
    slugs: list[str] = []
    n_translated = company.articles // 10
    n_original = company.articles - n_translated
    for i in range(n_original):
        lang = "fr" if rng.random() < 0.88 else "en"
        title = f"{rng.choice(HEADINGS_FR if lang == 'fr' else HEADINGS_EN)} : note de terrain n° {i + 1}"
        slug = f"note-{i + 1:05d}"
        authors = rng.sample(published, rng.choice([1, 1, 1, 2, 2, 3])) if published else []
        if rng.random() < 0.02:  # an author who left or hid their profile: dropped from the byline
            authors.append(rng.choice(everyone))
        date = _date(rng, start, 7 * 365)
        header = [
            f"Title: {title}",
            f"Date: {_iso(date)}",
            f"Authors: {', '.join(dict.fromkeys(authors))}",
            f"Tags: {', '.join(rng.sample(TOPICS, rng.randint(1, 3)))}",
            f"Summary: {_sentences(rng, FR if lang == 'fr' else EN, 2).replace('**', '')}",
            f"Lang: {lang}",
            f"Slug: {slug}",
        ]
        roll = rng.random()
        if roll < 0.005:
            header.append("Status: draft")
        elif roll < 0.01:
            header[1] = f"Date: {_iso(_date(rng, datetime(2099, 1, 1), 300))}"
        text = "\n".join(header) + "\n\n" + _body(rng, lang, slugs[-50:]) + "\n"
        (content / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
        if roll >= 0.01:  # as people do: link only to what is live (check refuses a draft or one to come)
            slugs.append(slug)
        if i < n_translated:
            header_en = [line for line in header if not line.startswith(("Lang:", "Title:", "Summary:"))]
            header_en = [
                f"Title: {rng.choice(HEADINGS_EN)}: field note {i + 1}",
                *header_en,
                f"Summary: {_sentences(rng, EN, 2).replace('**', '')}",
                "Lang: en",
                "Translation: true",
            ]
            if lang == "en":  # the translation of an English original is French
                header_en = [h.replace("Lang: en", "Lang: fr") for h in header_en]
                header_en = [h for h in header_en if not h.startswith("Lang:")] + ["Lang: fr"]
            text = "\n".join(header_en) + "\n\n" + _body(rng, "en", slugs[-50:]) + "\n"
            suffix = ".fr" if lang == "en" else ".en"
            (content / "articles" / f"{slug}{suffix}.md").write_text(text, encoding="utf-8")

    if with_feed and company.posts:
        per_expert: dict[str, list[dict]] = {slug: [] for slug in with_feed}
        now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        for n in range(company.posts):
            slug = with_feed[n % len(with_feed)] if n < len(with_feed) else rng.choice(with_feed)
            network = rng.choice(NETWORKS[:2])
            feed = (
                f"https://piaille.example/@{slug.replace('-', '')[:15]}.rss"
                if network == "mastodon"
                else f"https://bsky.app/profile/{slug.replace('-', '')[:15]}.bsky.social/rss"
            )
            post_id = f"{network}-{slug}-{n}"
            when = now - timedelta(minutes=rng.randint(0, 60 * 24 * 120))
            per_expert[slug].append(
                {
                    "network": network,
                    "id": post_id,
                    "url": f"https://piaille.example/@{slug}/{n}",
                    "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "html": _post_html(rng),
                    "repost": rng.random() < 0.1,
                    "feed": feed,
                }
            )
        for slug, posts in per_expert.items():
            posts.sort(key=lambda p: (p["date"], p["id"]), reverse=True)
            feeds = {
                p["feed"]: {
                    "network": p["network"],
                    "etag": None,
                    "last_modified": None,
                    "last_success": "2026-11-20T08:00:00Z",
                    "failing_since": None,
                    "last_error": None,
                }
                for p in posts
            }
            snapshot = {"expert": slug, "feeds": feeds, "posts": posts}
            (social / f"{slug}.json").write_text(
                json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )

    stamp.write_text(company.key)
    return dest


def overrides(site: Path, output: Path, cache: Path | None = None) -> dict:
    """Settings overrides that point the project's pelicanconf.py at ``site``."""
    values = {
        "PATH": str(site / "content"),
        "OUTPUT_PATH": str(output),
        "SITE": {"experts_path": str(site / "experts"), "social_path": str(site / "data" / "social")},
    }
    if cache is not None:
        values["CACHE_PATH"] = str(cache)
    return values
