"""Two builds of a site, compared file by file: what test_speed and the golden output assert.

Pagefind 1.5.2 itself is not deterministic: it writes each filter's values in
hash-map order, so filter files, their names and the hashes naming them in
``pagefind-entry.json`` and the ``.pf_meta`` file change from run to run on
the same input; those are compared decoded, values sorted. Every other file
is compared byte for byte.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
from pathlib import Path

PAGEFIND_RANDOM = re.compile(
    r"^pagefind/(filter/.*\.pf_filter|pagefind-entry\.json|pagefind\.[^/]*\.pf_meta)$"
)


def _cbor(data: bytes, at: int = 0):
    """A minimal CBOR decoder (what Pagefind's files use): returns (value, next offset)."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"unsupported CBOR item {head:#x}")
    if major == 0:
        return arg, at
    if major == 1:
        return -1 - arg, at
    if major in (2, 3):
        raw = data[at : at + arg]
        return (raw if major == 2 else raw.decode()), at + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, at = _cbor(data, at)
            value, at = _cbor(data, at)
            pairs.append((key, value))
        return dict(pairs), at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(info, arg), at
    raise ValueError(f"unsupported CBOR major type {major}")


def _canonical(value):
    """Lists sorted (by their repr) all the way down; hash-named file references blanked."""
    if isinstance(value, dict):
        return sorted((repr(_canonical(k)), _canonical(v)) for k, v in value.items())
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, str):
        return re.sub(r"\b[a-z]{2}_[0-9a-f]{7,}\b", "HASH", value)
    return value


def pagefind_file(path: Path) -> object:
    """A Pagefind index file (gzipped CBOR) or its entry JSON, decoded and put in one order."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return _canonical(json.loads(data))
    raw = gzip.decompress(data)
    assert raw.startswith(b"pagefind_dcd")
    value, _ = _cbor(raw, len(b"pagefind_dcd"))
    return _canonical(value)


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def differences(one: Path, two: Path) -> list[str]:
    """What differs between two output folders, one line per file; [] when they are the same."""
    files_one, files_two = files(one), files(two)
    problems = [
        f"only in {one if name in files_one else two}: {name}"
        for name in sorted(files_one ^ files_two)
        if not PAGEFIND_RANDOM.match(name)
    ]
    for name in sorted(files_one & files_two):
        if not PAGEFIND_RANDOM.match(name) and (one / name).read_bytes() != (two / name).read_bytes():
            problems.append(f"differs: {name}")
    randoms = [
        sorted(repr(pagefind_file(root / n)) for n in names if PAGEFIND_RANDOM.match(n))
        for root, names in ((one, files_one), (two, files_two))
    ]
    if repr(randoms[0]) != repr(randoms[1]):
        problems.append("the Pagefind filters or metadata differ (decoded, order aside)")
    return problems


def unified_diffs(one: Path, two: Path, problems: list[str], *, count: int = 3, lines: int = 60) -> str:
    """A unified diff of the first ``count`` text files that ``problems`` says differ, each cut at ``lines``."""
    out = []
    for problem in problems:
        if len(out) == count:
            break
        if not problem.startswith("differs: "):
            continue
        name = problem.removeprefix("differs: ")
        try:
            texts = [(root / name).read_text(encoding="utf-8").splitlines() for root in (one, two)]
        except UnicodeDecodeError:
            continue
        diff = list(difflib.unified_diff(*texts, str(one / name), str(two / name), lineterm=""))
        cut = f"\n… ({len(diff) - lines} more lines)" if len(diff) > lines else ""
        out.append("\n".join(diff[:lines]) + cut)
    return "\n\n".join(out)
