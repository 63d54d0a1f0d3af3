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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ambassade.diagnostics import Finding, Severity, display_path

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHEMA_COMMENT = "# yaml-language-server: $schema=schema.json"
PROFILE_SUFFIXES = (".yml", ".yaml")
# libyaml when PyYAML was built with it (Debian's and PyPI's wheels are): the same
# nodes and marks, parsed about ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Expert:
    """One person's profile, as written in ``experts/<slug>.yml``."""

    slug: str
    name: str
    role: str
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
    redirect_from: list[str] = field(default_factory=list)
    """Addresses the person's page had before (a renamed file): each gets a redirect page."""


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
    try:
        node, data = _parse(text, _Loader)
    except yaml.MarkedYAMLError:
        try:  # libyaml words its errors differently: the pure-Python parser says where and why
            node, data = _parse(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            findings.append(
                Finding(
                    shown,
                    mark.line + 1 if mark else 1,
                    mark.column + 1 if mark else 1,
                    "profile-yaml",
                    f"YAML syntax error: {exc.problem or exc.context}",
                    "valid YAML: 'key: value' lines, two-space indents, quotes around values containing ': '",
                )
            )
            return None, findings
    findings.extend(_duplicate_keys(node, shown))
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
    schema_findings = [
        _schema_finding(err, node, validator.schema, shown)
        for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    findings.extend(f for group in schema_findings for f in group)
    if any(f.is_error for f in findings):
        return None, findings
    photo, photo_findings = _photo(path, data.get("photo"), node, shown)
    findings.extend(photo_findings)
    bio = data.get("bio") or {}
    return Expert(
        slug=slug,
        name=data["name"].strip(),
        role=data["role"].strip(),
        published=data["published"],
        source_path=path.resolve(),
        social_feed=data.get("social_feed", False),
        leaderboard=data.get("leaderboard", False),
        expertise=list(data.get("expertise", [])),
        bio={default_lang: bio} if isinstance(bio, str) else dict(bio),
        photo=photo,
        location=data.get("location", ""),
        team=data.get("team", ""),
        languages=list(data.get("languages", [])),
        links=dict(data.get("links", {})),
        feeds=list(data.get("feeds", [])),
        redirect_from=list(data.get("redirect_from", [])),
        audience=dict(data.get("audience", {})),
    ), findings


def _parse(text: str, loader_class) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _photo(path: Path, value: str | None, node: yaml.Node, shown: str) -> tuple[Path | None, list[Finding]]:
    if value is None:
        return None, []
    line, col = _position(node, ["photo"], value=True)
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


def _duplicate_keys(node: yaml.Node | None, shown: str) -> Iterator[Finding]:
    """PyYAML keeps the last of two equal keys silently; a contributor would lose the first."""
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                yield Finding(
                    shown,
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                    "profile-yaml",
                    f"'{key.value}' is given twice",
                    "each field once",
                )
            seen.add(key.value)
            yield from _duplicate_keys(value, shown)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item, shown)


def _node_at(node: yaml.Node, path: list[Any]) -> tuple[yaml.Node, yaml.Node | None]:
    """The value node at ``path`` and the key node that names it (None for list items)."""
    key_node = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    key_node, node = k, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            break
    return node, key_node


def _position(root: yaml.Node, path: list[Any], *, value: bool = False) -> tuple[int, int]:
    node, key = _node_at(root, path)
    mark = (node if value or key is None else key).start_mark
    return mark.line + 1, mark.column + 1


def _describe(schema: dict, path: list[Any]) -> str:
    return _subschema(schema, path).get("description", "")


TYPE_NAMES = {
    "string": "a text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
}


def _schema_finding(
    err: jsonschema.ValidationError, root: yaml.Node, schema: dict, shown: str
) -> list[Finding]:
    path = list(err.absolute_path)
    where = ".".join(map(str, path)) or "profile"
    if err.validator == "required":
        missing = err.message.split("'")[1]
        line, col = _position(root, path, value=True)
        return [
            Finding(
                shown,
                line,
                col,
                "profile-missing-field",
                f"required field '{missing}' is missing",
                f"add '{missing}:' — {_describe(schema, path + [missing])}".rstrip(" —"),
            )
        ]
    if err.validator == "additionalProperties":
        known = sorted(_subschema(schema, path).get("properties", {}))
        out = []
        for extra in sorted(set(err.instance) - set(known)):
            line, col = _position(root, path + [extra])
            close = difflib.get_close_matches(str(extra), known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            out.append(
                Finding(
                    shown,
                    line,
                    col,
                    "profile-unknown-field",
                    f"unknown field '{where + '.' if path else ''}{extra}'",
                    f"{hint}known fields: {', '.join(known)}",
                )
            )
        return out
    line, col = _position(root, path, value=True)
    if err.validator == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return [
            Finding(
                shown,
                line,
                col,
                "profile-type",
                f"'{where}' is {TYPE_NAMES.get(_json_type(err.instance), 'of the wrong type')} "
                f"({err.instance!r})",
                "expected "
                + " or ".join(TYPE_NAMES.get(t, t) for t in wanted)
                + (f": {_describe(schema, path)}" if _describe(schema, path) else ""),
            )
        ]
    return [
        Finding(
            shown,
            line,
            col,
            "profile-schema",
            f"'{where}': {err.message}",
            _describe(schema, path) or "see experts/schema.json",
        )
    ]


def _subschema(schema: dict, path: list[Any]) -> dict:
    sub = schema
    for part in path:
        sub = sub.get("items", {}) if isinstance(part, int) else sub.get("properties", {}).get(part, {})
    return sub


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def closest(name: str, candidates: list[str]) -> str | None:
    """The known slug a typo most likely meant."""
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return match[0] if match else None


def sort_key(text: str) -> str:
    """Alphabetical order as a French reader expects it: accents do not push names to the end."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
