"""A YAML file people write by hand, checked against a JSON Schema, every problem at its line.

Profiles (``experts/*.yml``) and the topic vocabulary (``content/topics.yml``)
are both YAML validated by a JSON Schema that editors read too. What a schema
cannot say is where in the file a value is: PyYAML's nodes keep it, and this
module turns a schema's complaints into :class:`~ambassade.diagnostics.Finding`
objects at the value's line and column. The rule ids start with the kind of
file (``profile-type``, ``topics-type``), so that each keeps ids of its own.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import jsonschema
import yaml

from .diagnostics import Finding
from .i18n import _

# libyaml when PyYAML was built with it (Debian's and PyPI's wheels are): the same
# nodes and marks, parsed about ten times faster.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, shown: str, kind: str) -> tuple[yaml.Node | None, Any, list[Finding]]:
    """``text``'s root node and value, or the syntax error as a finding ``<kind>-yaml``.

    Anchors, aliases and structures beyond the bounds of ``ambassade.sources`` are refused first:
    no file can make the build expand it without end.
    """
    from . import sources

    bounded = sources.yaml_bounds(text, shown)
    if bounded:
        return None, None, bounded
    try:
        node, data = _compose(text, Loader)
    except yaml.MarkedYAMLError:
        try:  # libyaml words its errors differently: the pure-Python parser says where and why
            node, data = _compose(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            return (
                None,
                None,
                [
                    Finding(
                        shown,
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                        f"{kind}-yaml",
                        _("YAML syntax error: %(problem)s", problem=exc.problem or exc.context),
                        _(
                            "valid YAML: 'key: value' lines, two-space indents, "
                            "quotes around values containing ': '"
                        ),
                    )
                ],
            )
    return node, data, list(duplicate_keys(node, shown, kind))


def _compose(text: str, loader_class) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def duplicate_keys(node: yaml.Node | None, shown: str, kind: str) -> Iterator[Finding]:
    """PyYAML keeps the last of two equal keys silently; a contributor would lose the first."""
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                yield Finding(
                    shown,
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                    f"{kind}-yaml",
                    _("'%(key)s' is given twice", key=key.value),
                    _("each field once"),
                )
            seen.add(key.value)
            yield from duplicate_keys(value, shown, kind)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from duplicate_keys(item, shown, kind)


def node_at(node: yaml.Node, path: list[Any]) -> tuple[yaml.Node, yaml.Node | None]:
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


def position(root: yaml.Node, path: list[Any], *, value: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the key at ``path``, or of its value with ``value=True``."""
    node, key = node_at(root, path)
    mark = (node if value or key is None else key).start_mark
    return mark.line + 1, mark.column + 1


def type_names() -> dict[str, str]:
    """What a person should write for each JSON type, in words of the tools' language."""
    return {
        "string": _("a text"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("a mapping"),
        "integer": _("a whole number"),
        "number": _("a number"),
    }


def schema_findings(
    validator: jsonschema.protocols.Validator,
    data: Any,
    root: yaml.Node,
    shown: str,
    kind: str,
    schema_file: str,
) -> list[Finding]:
    """Every complaint of ``validator`` about ``data``, at its place in the file.

    ``schema_file`` names the schema where a complaint has no description to quote.
    """
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [
        f for err in errors for f in _schema_finding(err, root, validator.schema, shown, kind, schema_file)
    ]


def _schema_finding(
    err: jsonschema.ValidationError, root: yaml.Node, schema: dict, shown: str, kind: str, schema_file: str
) -> list[Finding]:
    path = list(err.absolute_path)
    where = ".".join(map(str, path)) or kind
    if "propertyNames" in err.relative_schema_path:  # a key, not a value, is wrong
        names = subschema(schema, path).get("propertyNames", {})
        line, col = position(root, path + [err.instance])
        return [
            Finding(
                shown,
                line,
                col,
                f"{kind}-schema",
                _("'%(key)s' cannot be a key here", key=err.instance),
                names.get("description") or err.message,
            )
        ]
    if err.validator == "required":
        missing = err.message.split("'")[1]
        line, col = position(root, path, value=True)
        described = describe(schema, path + [missing])
        return [
            Finding(
                shown,
                line,
                col,
                f"{kind}-missing-field",
                _("required field '%(field)s' is missing", field=missing),
                _("add '%(field)s:'", field=missing) + (f" — {described}" if described else ""),
            )
        ]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = sorted(err.schema.get("properties", {}))
        out = []
        for extra in sorted(set(err.instance) - set(known), key=str):
            line, col = position(root, path + [extra])
            close = difflib.get_close_matches(str(extra), known, n=1)
            hint = _("did you mean '%(field)s'? ", field=close[0]) if close else ""
            out.append(
                Finding(
                    shown,
                    line,
                    col,
                    f"{kind}-unknown-field",
                    _("unknown field '%(field)s'", field=f"{where + '.' if path else ''}{extra}"),
                    hint + _("known fields: %(fields)s", fields=", ".join(known)),
                )
            )
        return out
    if err.validator in ("oneOf", "anyOf") and err.context:
        # "One text, or one per language": a value of neither type is a type error; a value of
        # the right type is wrong as that type's schema says.
        given = json_type(err.instance)
        kinds = [option.get("type") for option in err.validator_value]
        matching = [e for e in err.context if _accepts(kinds[e.schema_path[0]], given)]
        if matching:
            return _schema_finding(
                jsonschema.exceptions.best_match(matching), root, schema, shown, kind, schema_file
            )
        if all(isinstance(k, str) for k in kinds):
            return _type_finding(err, kinds, root, schema, shown, kind)
    if err.validator == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return _type_finding(err, wanted, root, schema, shown, kind)
    line, col = position(root, path, value=True)
    return [
        Finding(
            shown,
            line,
            col,
            f"{kind}-schema",
            f"'{where}': {err.message}",
            describe(schema, path) or _("see %(schema)s", schema=schema_file),
        )
    ]


def _accepts(kind: Any, given: str) -> bool:
    kinds = kind if isinstance(kind, list) else [kind]
    return given in kinds or (given == "integer" and "number" in kinds)


def _type_finding(
    err: jsonschema.ValidationError, wanted: list[str], root: yaml.Node, schema: dict, shown: str, kind: str
) -> list[Finding]:
    path = list(err.absolute_path)
    where = ".".join(map(str, path)) or kind
    line, col = position(root, path, value=True)
    names = type_names()
    described = describe(schema, path)
    return [
        Finding(
            shown,
            line,
            col,
            f"{kind}-type",
            _(
                "'%(field)s' is %(type)s (%(value)s)",
                field=where,
                type=names.get(json_type(err.instance), _("of the wrong type")),
                value=repr(err.instance),
            ),
            _("expected %(types)s", types=_(" or ").join(names.get(t, t) for t in wanted))
            + (f": {described}" if described else ""),
        )
    ]


def describe(schema: dict, path: list[Any]) -> str:
    """The schema's description of the value at ``path``."""
    return subschema(schema, path).get("description", "")


def subschema(schema: dict, path: list[Any]) -> dict:
    """The part of ``schema`` that describes the value at ``path``."""
    sub = schema
    for part in path:
        if isinstance(part, int):
            sub = sub.get("items", {})
        else:
            props = sub.get("properties", {})
            sub = props[part] if part in props else sub.get("additionalProperties") or {}
        if not isinstance(sub, dict):
            return {}
    return sub


def json_type(value: Any) -> str:
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
