"""Load expert profiles from ``experts/*.yml`` and validate them against the schema.

``experts/schema.json`` is the single source of the profile rules: the build,
``invoke check`` and editors (through the ``yaml-language-server`` comment on
each profile's first line) all read it. This module only adds what a JSON
Schema cannot say: where in the file a problem is, that the file name is the
slug, that the photo exists inside ``experts/``, and that no key is repeated.
"""

from __future__ import annotations

import difflib
import json
import pickle
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from ambassade import yamldoc
from ambassade.diagnostics import Finding, Severity, display_path

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHEMA_COMMENT = "# yaml-language-server: $schema=schema.json"
PROFILE_SUFFIXES = (".yml", ".yaml")


@dataclass
class Expert:
    """One person's profile, as written in ``experts/<slug>.yml``."""

    slug: str
    name: str
    role: str
    """In the site's language (see :meth:`text` for the others)."""
    published: bool
    source_path: Path
    social_feed: bool = False
    leaderboard: bool = False
    expertise: list[str] = field(default_factory=list)
    bio: dict[str, str] = field(default_factory=dict)
    """Markdown biography per language code; a single text is stored under the site's language."""
    photo: Path | None = None
    """Absolute path of the photo file, checked to exist inside ``experts/``."""
    location: str = ""
    team: str = ""
    languages: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    audience: dict[str, int] = field(default_factory=dict)
    translated: dict[str, dict[str, str]] = field(default_factory=dict)
    """Role, team and location per language, for those the profile gives per language."""

    def text(self, name: str, lang: str) -> str:
        """The field ``name`` (role, team or location) in ``lang``, else as the site's language has it."""
        return self.translated.get(name, {}).get(lang) or getattr(self, name)


TRANSLATABLE = ("role", "team", "location")
"""The short fields a profile may give once, or once per language."""


def _per_language(value: str | dict[str, str] | None, default_lang: str) -> dict[str, str]:
    """A field written once (in the site's language) or per language, as text per language."""
    if not value:
        return {}
    if isinstance(value, str):
        return {default_lang: value.strip()}
    return {lang: text.strip() for lang, text in value.items() if text.strip()}


@lru_cache(maxsize=4)
def _validator(schema_path: Path) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def profile_files(experts_dir: Path) -> list[Path]:
    """The profiles of ``experts_dir``, in name order; none when there is no such folder."""
    if not experts_dir.is_dir():
        return []
    return sorted(p for p in experts_dir.iterdir() if p.suffix in PROFILE_SUFFIXES)


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "the file is missing"
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON ({exc.msg})"
    if isinstance(exc, jsonschema.exceptions.SchemaError):
        return f"not a JSON Schema ({exc.message})"
    return str(exc)


def load_profiles(
    experts_dir: Path, *, default_lang: str = "fr", root: Path | None = None
) -> tuple[dict[str, Expert], list[Finding]]:
    """Read every profile of ``experts_dir``; return them by slug, with every problem found.

    A profile with an error is left out of the result, so callers that go on
    despite errors never publish a half-valid person.
    """
    experts_dir = Path(experts_dir)
    if not experts_dir.is_dir():
        return {}, [
            Finding(
                display_path(experts_dir, root),
                1,
                1,
                "profile-folder",
                "the experts folder is missing",
                "a folder of profiles, one <slug>.yml per person, with the project's schema.json",
            )
        ]
    schema = experts_dir / "schema.json"
    try:
        validator = _validator(schema.resolve())
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as exc:
        return {}, [
            Finding(
                display_path(schema, root),
                getattr(exc, "lineno", 1),
                getattr(exc, "colno", 1),
                "profile-schema",
                f"the profiles' schema cannot be read: {_reason(exc)}",
                "the project's experts/schema.json, unchanged or valid JSON Schema",
            )
        ]
    experts: dict[str, Expert] = {}
    findings: list[Finding] = []
    seen: dict[str, Path] = {}
    for path in profile_files(experts_dir):
        shown = display_path(path, root)
        slug = path.stem
        if slug in seen:
            findings.append(
                Finding(
                    shown,
                    1,
                    1,
                    "profile-duplicate",
                    f"two profiles have the slug '{slug}' ({display_path(seen[slug], root)} and {shown})",
                    "keep one file per person: the file name is the slug",
                )
            )
            experts.pop(slug, None)
            continue
        seen[slug] = path
        expert, problems = load_profile(path, validator, default_lang=default_lang, shown=shown)
        findings.extend(problems)
        if expert is not None and not any(p.is_error for p in problems):
            experts[slug] = expert
    return experts, findings


# Profiles already read in this process, by file identity and stamp: the build reads
# them twice (the content rules, then the experts plugin) and livereload on every
# change. Kept pickled, so that every caller gets objects of its own; findings name
# the file as each caller shows it.
_loaded: dict[tuple, bytes] = {}


def load_profile(
    path: Path, validator: jsonschema.protocols.Validator, *, default_lang: str, shown: str
) -> tuple[Expert | None, list[Finding]]:
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size, st.st_ino, id(validator), default_lang)
    except OSError:
        key = None
    if key is not None and key in _loaded:
        expert, findings = pickle.loads(_loaded[key])
        # The photo is another file: a cached answer stands only while it still exists.
        photo_ok = expert is None or expert.photo is None or expert.photo.is_file()
        if photo_ok and not any(f.rule == "profile-photo" for f in findings):
            return expert, [replace(f, path=shown) for f in findings]
    result = _read_profile(path, validator, default_lang=default_lang, shown=shown)
    if key is not None:
        if len(_loaded) > 100_000:
            _loaded.clear()
        _loaded[key] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def _read_profile(
    path: Path, validator: jsonschema.protocols.Validator, *, default_lang: str, shown: str
) -> tuple[Expert | None, list[Finding]]:
    findings: list[Finding] = []
    slug = path.stem
    if not SLUG_RE.match(slug):
        findings.append(
            Finding(
                shown,
                1,
                1,
                "profile-slug",
                f"file name '{path.name}' is not a slug",
                "lowercase letters, digits and hyphens, e.g. claire-martin.yml",
            )
        )
    text = path.read_text(encoding="utf-8")
    if text.split("\n", 1)[0].strip() != SCHEMA_COMMENT:
        findings.append(
            Finding(
                shown,
                1,
                1,
                "profile-schema-comment",
                "first line does not point editors at the schema",
                f"start the file with: {SCHEMA_COMMENT}",
                Severity.WARNING,
            )
        )
    node, data, problems = yamldoc.parse(text, shown, "profile")
    findings.extend(problems)
    if node is None and problems:
        return None, findings
    if not isinstance(data, dict):
        findings.append(
            Finding(
                shown,
                1,
                1,
                "profile-schema",
                "the profile is empty or not a mapping",
                "'key: value' lines with at least name, role and published",
            )
        )
        return None, findings
    findings.extend(yamldoc.schema_findings(validator, data, node, shown, "profile", "experts/schema.json"))
    if any(f.is_error for f in findings):
        return None, findings
    photo, photo_findings = _photo(path, data.get("photo"), node, shown)
    findings.extend(photo_findings)
    bio = data.get("bio") or {}
    translated = {name: _per_language(data.get(name), default_lang) for name in TRANSLATABLE}
    # The site's language first; a field given in another language only is shown as it is.
    plain = {
        name: texts.get(default_lang) or next(iter(texts.values()), "") for name, texts in translated.items()
    }
    return Expert(
        slug=slug,
        name=data["name"].strip(),
        role=plain["role"],
        published=data["published"],
        source_path=path.resolve(),
        social_feed=data.get("social_feed", False),
        leaderboard=data.get("leaderboard", False),
        expertise=list(data.get("expertise", [])),
        bio={default_lang: bio} if isinstance(bio, str) else dict(bio),
        photo=photo,
        location=plain["location"],
        team=plain["team"],
        languages=list(data.get("languages", [])),
        links=dict(data.get("links", {})),
        feeds=list(data.get("feeds", [])),
        audience=dict(data.get("audience", {})),
        translated={name: texts for name, texts in translated.items() if isinstance(data.get(name), dict)},
    ), findings


def _photo(path: Path, value: str | None, node: yaml.Node, shown: str) -> tuple[Path | None, list[Finding]]:
    if value is None:
        return None, []
    line, col = yamldoc.position(node, ["photo"], value=True)
    base = path.parent.resolve()
    photo = (base / value).resolve()
    if not photo.is_relative_to(base):
        return None, [
            Finding(
                shown,
                line,
                col,
                "profile-photo",
                f"photo '{value}' is outside experts/",
                "a path inside experts/, e.g. photos/claire-martin.jpg",
            )
        ]
    if not photo.is_file():
        return None, [
            Finding(
                shown,
                line,
                col,
                "profile-photo",
                f"photo '{value}' does not exist",
                f"add the file as experts/{value} or fix the path",
            )
        ]
    return photo, []


def closest(name: str, candidates: list[str]) -> str | None:
    """The known slug a typo most likely meant."""
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return match[0] if match else None


def sort_key(text: str) -> str:
    """Alphabetical order as a French reader expects it: accents do not push names to the end."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
