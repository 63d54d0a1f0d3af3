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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import yaml

from ambassade import engagements, photos, sources
from ambassade.diagnostics import Finding, Severity, display_path
from ambassade.engagements import Appearance, Contact, Publication, Speaking, Talk
from ambassade.i18n import _, ngettext, translated

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHEMA_COMMENT = "# yaml-language-server: $schema=schema.json"
PROFILE_SUFFIXES = (".yml", ".yaml")
# libyaml when PyYAML was built with it (Debian's and PyPI's wheels are): the same
# nodes and marks, parsed about ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _without_timestamps(loader: type) -> type:
    """``loader``, reading dates as the text they are: the schema checks them, and a day
    that does not exist (2026-02-30) is then a finding at its line, not a crash."""
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in loader.yaml_implicit_resolvers.items()
    }
    return type(loader.__name__, (loader,), {"yaml_implicit_resolvers": resolvers})


_Loader, _PureLoader = _without_timestamps(_Loader), _without_timestamps(yaml.SafeLoader)


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
    share_stats: bool = False
    """Consent: the clicks on the links this person shares from the kit are counted for them."""
    expertise: list[str] = field(default_factory=list)
    bio: dict[str, str] = field(default_factory=dict)
    """Markdown biography per language code; a single text is stored under the site's language."""
    photo: Path | None = None
    """Absolute path of the photo file, checked to exist inside ``experts/`` and to be a usable photo."""
    photo_focus: tuple[float, float] | None = None
    """Where to crop the photo square: x and y in percent, from the left and from the top."""
    photo_alt: dict[str, str] = field(default_factory=dict)
    """What the photo shows, per language (a single text is stored under the site's language)."""
    photo_stamp: tuple[int, int] | None = None
    """The photo file's size and modification time when it was checked."""
    location: str = ""
    team: str = ""
    languages: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    audience: dict[str, int] = field(default_factory=dict)
    redirect_from: list[str] = field(default_factory=list)
    """Addresses the person's page had before (a renamed file): each gets a redirect page."""
    derived: dict[str, Any] = field(default_factory=dict)
    """What plugins make of the profile before pages render (the link-preview cards), by name: read
    through the profile, so that a page showing it depends on it (ambassade.fastpath.REDO_CONTEXT).
    Never written in the file."""
    talks: list[Talk] = field(default_factory=list)
    """Newest first."""
    publications: list[Publication] = field(default_factory=list)
    media: list[Appearance] = field(default_factory=list)
    speaking: Speaking = field(default_factory=Speaking)
    contact: Contact = field(default_factory=Contact)

    translated: dict[str, dict[str, str]] = field(default_factory=dict)
    """Role, team and location per language, for those the profile gives per language."""

    def text(self, name: str, lang: str) -> str:
        """The field ``name`` (role, team or location) in ``lang``, else as the site's language has it."""
        return self.translated.get(name, {}).get(lang) or getattr(self, name)

    def __getattribute__(self, name: str, _get=object.__getattribute__) -> Any:
        if _watcher is not None:  # see watch_reads
            _watcher(self, name)
        return _get(self, name)


_watcher: Callable[[Expert, str], None] | None = None


def watch_reads(watcher: Callable[[Expert, str], None] | None) -> Callable[[Expert, str], None] | None:
    """Have ``watcher(expert, name)`` called before every read of an attribute of a profile (None: no
    longer); returns the watcher it replaces.

    A fast path (ambassade.fastpath) learns so which fields of which profiles
    each page shows, and renders again, after an edit to a profile, only the
    pages that read what changed. Hence the rule for whoever shows a profile:
    read its fields from the :class:`Expert` the build holds, where you use
    them, rather than from a copy made earlier.
    """
    global _watcher
    replaced, _watcher = _watcher, watcher
    return replaced


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
    formats = jsonschema.FormatChecker(formats=())
    for name, check in engagements.FORMATS.items():
        formats.checks(name)(check)
    return cls(schema, format_checker=formats)


def profile_files(experts_dir: Path) -> list[Path]:
    """The profiles of ``experts_dir``, in name order; none when there is no such folder.

    ``Name.YML`` is one too: left out, it would be ignored without a word (its
    slug check then asks for a lower-case name).
    """
    if not experts_dir.is_dir():
        return []
    return sorted(p for p in experts_dir.iterdir() if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file())


def read_source(path: Path, shown: str | None = None) -> tuple[str | None, list[Finding]]:
    """A profile's text, bounded (:mod:`ambassade.sources`), or None and every reason it cannot be read."""
    shown = shown or display_path(path)
    text, findings = sources.read_text(path, shown, sources.PROFILE)
    if text is not None:
        findings = sources.yaml_bounds(text, shown)
        if findings:
            text = None
    return text, findings


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("the file is missing")
    if isinstance(exc, json.JSONDecodeError):
        return _("not JSON (%(error)s)", error=exc.msg)
    if isinstance(exc, jsonschema.exceptions.SchemaError):
        return _("not a JSON Schema (%(error)s)", error=exc.message)
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
                _("the experts folder is missing"),
                _("a folder of profiles, one <slug>.yml per person, with the project's schema.json"),
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
                _("the profiles' schema cannot be read: %(reason)s", reason=_reason(exc)),
                _("the project's experts/schema.json, unchanged or valid JSON Schema"),
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
                    _(
                        "two profiles have the slug '%(slug)s' (%(first)s and %(second)s)",
                        slug=slug,
                        first=display_path(seen[slug], root),
                        second=shown,
                    ),
                    _("keep one file per person: the file name is the slug"),
                )
            )
            experts.pop(slug, None)
            continue
        seen[slug] = path
        try:
            expert, problems = load_profile(path, validator, default_lang=default_lang, shown=shown)
        except (RecursionError, ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
            # Whatever a profile holds, it is named, and the others are read.
            why = _("the profile cannot be read: %(error)s", error=f"{type(exc).__name__}: {exc}")
            expert, problems = None, [Finding(shown, 1, 1, "profile-yaml", why)]
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
        # The photo is another file: a cached answer stands only while it is the one checked.
        photo_ok = expert is None or expert.photo is None or _stamp(expert.photo) == expert.photo_stamp
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
    if not SLUG_RE.match(slug) or path.suffix not in PROFILE_SUFFIXES:
        findings.append(
            Finding(
                shown,
                1,
                1,
                "profile-slug",
                _("file name '%(name)s' is not a slug", name=path.name),
                _("lowercase letters, digits and hyphens, e.g. claire-martin.yml"),
            )
        )
    text, problems = read_source(path, shown)
    if text is None:
        return None, findings + problems
    if text.split("\n", 1)[0].strip() != SCHEMA_COMMENT:
        findings.append(
            Finding(
                shown,
                1,
                1,
                "profile-schema-comment",
                _("first line does not point editors at the schema"),
                _("start the file with: %(line)s", line=SCHEMA_COMMENT),
                Severity.WARNING,
            )
        )
    try:
        node, data = _parse(text, _Loader)
    except yaml.YAMLError:
        try:  # libyaml words its errors differently: the pure-Python parser says where and why
            node, data = _parse(text, _PureLoader)
        except yaml.YAMLError as exc:
            # A syntax error is marked; a character YAML refuses (ReaderError) has a position.
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else _reader_position(text, exc)
            problem = (
                getattr(exc, "problem", None) or getattr(exc, "context", None) or getattr(exc, "reason", "")
            )
            findings.append(
                Finding(
                    shown,
                    line,
                    col,
                    "profile-yaml",
                    _("YAML syntax error: %(problem)s", problem=problem),
                    _(
                        "valid YAML: 'key: value' lines, two-space indents, "
                        "quotes around values containing ': '"
                    ),
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
                _("the profile is empty or not a mapping"),
                _("'key: value' lines with at least name, role and published"),
            )
        )
        return None, findings
    schema_findings = [
        _schema_finding(err, node, validator.schema, shown)
        for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    findings.extend(f for group in schema_findings for f in group)
    findings.extend(
        Finding(shown, *_position(node, where, value=True), "profile-schema", message, expected)
        for where, message, expected in engagements.problems(data)
    )
    # The photo's file is looked for whatever else is wrong: one run names every problem.
    photo, photo_findings = _photo(path, data.get("photo"), node, shown, focus="photo_focus" in data)
    findings.extend(photo_findings)
    if any(f.is_error for f in findings):
        return None, findings
    bio = data.get("bio") or {}
    alt = data.get("photo_alt") or {}
    focus = data.get("photo_focus")
    expertise = list(data.get("expertise", []))
    languages = list(data.get("languages", []))
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
        share_stats=data.get("share_stats", False),
        expertise=expertise,
        bio={default_lang: bio} if isinstance(bio, str) else dict(bio),
        photo=photo,
        photo_focus=(focus["x"], focus["y"]) if focus else None,
        photo_alt={default_lang: alt} if isinstance(alt, str) else dict(alt),
        photo_stamp=_stamp(photo) if photo else None,
        location=plain["location"],
        team=plain["team"],
        languages=languages,
        links=dict(data.get("links", {})),
        feeds=list(data.get("feeds", [])),
        redirect_from=list(data.get("redirect_from", [])),
        audience=dict(data.get("audience", {})),
        translated={name: texts for name, texts in translated.items() if isinstance(data.get(name), dict)},
        **engagements.read(data, expertise=expertise, languages=languages),
    ), findings


def _reader_position(text: str, exc: yaml.YAMLError) -> tuple[int, int]:
    """Line and column of a character YAML refuses (``ReaderError`` gives its offset in the text)."""
    offset = getattr(exc, "position", None)
    if not isinstance(offset, int):
        return 1, 1
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _parse(text: str, loader_class) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _photo(
    path: Path, value: Any, node: yaml.Node, shown: str, *, focus: bool
) -> tuple[Path | None, list[Finding]]:
    if not isinstance(value, str) or not value or urlsplit(value).scheme:
        return None, []  # not a path at all: the schema says what a photo must be
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
                _("photo '%(path)s' is outside experts/", path=value),
                _("a path inside experts/, e.g. photos/claire-martin.jpg"),
            )
        ]
    if not photo.is_file():
        return None, [
            Finding(
                shown,
                line,
                col,
                "profile-photo",
                _("photo '%(path)s' does not exist", path=value),
                _(
                    "add the file as experts/%(path)s, or fix the path%(hint)s",
                    path=value,
                    hint=_photo_hint(photo, base),
                ),
            )
        ]
    info, problems = photos.inspect(photo, focus=focus)
    if problems:
        return None, [
            Finding(shown, line, col, "profile-photo", what, expected) for what, expected in problems
        ]
    return photo, []


def _photo_hint(photo: Path, base: Path) -> str:
    """The image of the photo's folder whose name is closest to the one given, if any."""
    folder = photo.parent
    if not folder.is_dir():
        return ""
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    # The same name with another extension, else a near spelling: never someone else's photo.
    same = [n for n in names if Path(n).stem == photo.stem]
    close = difflib.get_close_matches(photo.name, names, n=1, cutoff=0.85)
    guess = (same or close or [None])[0]
    if not guess:
        return ""
    return _(": did you mean '%(path)s'?", path=(folder / guess).relative_to(base).as_posix())


def _duplicate_keys(node: yaml.Node | None, shown: str) -> Iterator[Finding]:
    """PyYAML keeps the last of two equal keys silently; a contributor would lose the first."""
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):  # a list or a mapping as a key: construction refused it
                continue
            if key.value in seen:
                yield Finding(
                    shown,
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                    "profile-yaml",
                    _("'%(field)s' is given twice", field=key.value),
                    _("each field once"),
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
    """What the field at ``path`` must look like, in the tools' language, with its example."""
    while path and isinstance(path[-1], int) and "description" not in _subschema(schema, path):
        path = path[:-1]  # an item of a list: the list says what its items are
    sub = _subschema(schema, path)
    # The schema's descriptions are catalog strings too (ambassade.catalogs extracts them).
    text = translated(sub["description"]) if sub.get("description") else ""
    examples = sub.get("examples") or []
    if examples:
        key = next((str(p) for p in reversed(path) if not isinstance(p, int)), "")
        example = _yaml(examples[0])
        shown = f"{key}: {example}" if key and not isinstance(path[-1], int) else example
        text = _("%(description)s For example: %(example)s", description=text, example=shown).strip()
    return text


def _quoted(value: Any) -> str:
    """A value as a message quotes it: a text in quotes, anything else as YAML writes it."""
    return f"'{value}'" if isinstance(value, str) else _yaml(value)


def _yaml(value: Any) -> str:
    """``value`` as a person types it in the profile: YAML on one line."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


def _type_name(kind: str) -> str:
    # Each name a literal msgid, so that the catalog extracts it.
    return {
        "string": _("a text"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("a mapping"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "null": _("empty"),
    }.get(kind, kind)


def _field(path: list[Any]) -> str:
    """The field as the person finds it in the file: ``links.linkedin``, ``expertise, item 2``."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name = _("%(field)s, item %(n)s", field=name, n=part + 1)
        else:
            name = f"{name}.{part}" if name else str(part)
    return name or _("the profile")


def _schema_finding(
    err: jsonschema.ValidationError, root: yaml.Node, schema: dict, shown: str
) -> list[Finding]:
    """One schema error said for people: what is wrong with the field, what it must look like.

    Never the schema's own wording (a regular expression means nothing to a contributor):
    each kind of constraint has its sentence, and the field's description and example say the rest.
    """
    path = list(err.absolute_path)
    where = _field(path)
    if err.validator == "required":
        missing = next(k for k in err.validator_value if k not in err.instance)
        line, col = _position(root, path, value=True)
        described = _describe(schema, path + [missing])
        return [
            Finding(
                shown,
                line,
                col,
                "profile-missing-field",
                _("required field '%(field)s' is missing", field=_field(path + [missing])),
                _("add '%(field)s:' — %(description)s", field=missing, description=described)
                if described
                else _("add '%(field)s:'", field=missing),
            )
        ]
    if err.validator == "additionalProperties":
        known = sorted(_subschema(schema, path).get("properties", {}))
        out = []
        for extra in sorted(set(err.instance) - set(known), key=str):
            line, col = _position(root, path + [extra])
            close = difflib.get_close_matches(str(extra), known, n=1)
            hint = _("did you mean '%(field)s'? ", field=close[0]) if close else ""
            out.append(
                Finding(
                    shown,
                    line,
                    col,
                    "profile-unknown-field",
                    _("unknown field '%(field)s'", field=_field([*path, extra])),
                    _("%(hint)sknown fields: %(known)s", hint=hint, known=", ".join(known)),
                )
            )
        return out
    line, col = _position(root, path, value=True)
    described = _describe(schema, path)
    wanted = None
    if err.validator in ("anyOf", "oneOf") and err.context:
        # "One text, or one per language": a value of neither type is a type error.
        kinds = [option.get("type") for option in err.validator_value]
        given = _json_type(err.instance)
        if any(given in (k if isinstance(k, list) else [k]) for k in kinds) or not all(
            isinstance(k, str) for k in kinds
        ):
            return [_alternatives_finding(err, path, where, schema, shown, line, col)]
        wanted = kinds
    if err.validator == "type" or wanted:
        wanted = wanted or (
            err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        )
        expected = _(" or ").join(_type_name(t) for t in wanted)
        return [
            Finding(
                shown,
                line,
                col,
                "profile-type",
                _(
                    "'%(field)s' is %(kind)s (%(value)s)",
                    field=where,
                    kind=_type_name(_json_type(err.instance)),
                    value=_quoted(err.instance),
                ),
                _("expected %(kind)s: %(description)s", kind=expected, description=described)
                if described
                else _("expected %(kind)s", kind=expected),
            )
        ]
    return [
        Finding(
            shown,
            line,
            col,
            "profile-schema",
            _constraint(err, where),
            described or _("see experts/schema.json"),
        )
    ]


def _constraint(err: jsonschema.ValidationError, where: str) -> str:
    """What breaks the constraint ``err.validator``, in a sentence."""
    value, limit, kind = err.instance, err.validator_value, err.validator
    if kind == "format":
        # The schema's only formats are dates (ambassade.engagements.FORMATS): said in those words.
        return _("'%(field)s': %(value)s is not a real date", field=where, value=_quoted(value))
    if kind == "pattern":
        return _("'%(field)s' is not in the expected form: %(value)s", field=where, value=_quoted(value))
    if kind == "minLength":
        return _("'%(field)s' is too short: at least %(n)s characters", field=where, n=limit)
    if kind == "maxLength":
        return _(
            "'%(field)s' is too long: %(length)s characters, at most %(n)s",
            field=where,
            length=len(value),
            n=limit,
        )
    if kind == "maxItems":
        return ngettext(
            "'%(field)s' has %(num)s item, at most %(limit)s",
            "'%(field)s' has %(num)s items, at most %(limit)s",
            len(value),
            field=where,
            limit=limit,
        )
    if kind == "minItems":
        return _("'%(field)s' needs at least %(limit)s items", field=where, limit=limit)
    if kind == "uniqueItems":
        repeated = next((v for i, v in enumerate(value) if v in value[:i]), "")
        return _("'%(field)s' lists %(value)s twice", field=where, value=_quoted(repeated))
    if kind == "enum":
        return _(
            "'%(field)s': %(value)s is not one of %(choices)s",
            field=where,
            value=_quoted(value),
            choices=", ".join(map(str, limit)),
        )
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        return _("'%(field)s' is %(value)s, out of bounds", field=where, value=_yaml(value))
    if kind == "minProperties":
        return _("'%(field)s' is empty", field=where)
    if kind in ("oneOf", "anyOf"):
        return _("'%(field)s' does not have one of the accepted shapes", field=where)
    return _("'%(field)s' is not valid", field=where)


def _alternatives_finding(
    err: jsonschema.ValidationError,
    path: list[Any],
    where: str,
    schema: dict,
    shown: str,
    line: int,
    col: int,
) -> Finding:
    """A value that fits none of the forms a field allows: the form it came closest to says why."""
    missing = [e.message.split("'")[1] for e in err.context if e.validator == "required"]
    if missing and len(missing) == len(err.context):
        return Finding(
            shown,
            line,
            col,
            "profile-missing-field",
            _("'%(field)s' needs %(keys)s", field=where, keys=_(" or ").join(repr(m) for m in missing)),
            "; ".join(filter(None, (_describe(schema, path + [m]) for m in missing)))
            or _("see experts/schema.json"),
        )
    best = jsonschema.exceptions.best_match(err.context)
    return Finding(
        shown,
        line,
        col,
        "profile-schema",
        # A value of the right kind that breaks one rule says which; another, that no shape fits.
        _constraint(best, where)
        if best.validator in ("pattern", "format", "enum", "minLength", "maxLength")
        else _("'%(field)s' does not have one of the accepted shapes", field=where),
        _describe(schema, path) or _("see experts/schema.json"),
    )


def _subschema(schema: dict, path: list[Any]) -> dict:
    sub = _resolved(schema, schema)
    for part in path:
        sub = sub.get("items", {}) if isinstance(part, int) else sub.get("properties", {}).get(part, {})
        sub = _resolved(schema, sub)
    return sub


def _resolved(schema: dict, sub: dict) -> dict:
    """``sub`` with the definition its local ``$ref`` names merged in (its own keys first)."""
    ref = sub.get("$ref", "")
    if not ref.startswith("#/"):
        return sub
    target: Any = schema
    for part in ref[2:].split("/"):
        target = target.get(part, {}) if isinstance(target, dict) else {}
    return {**target, **{k: v for k, v in sub.items() if k != "$ref"}}


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
