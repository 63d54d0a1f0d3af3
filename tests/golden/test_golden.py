"""The small site of tests/golden/site/ builds into exactly tests/golden/output/ (golden.py)."""

from __future__ import annotations

import pytest

from tests.golden import golden


def test_the_golden_site_builds_into_the_golden_output(tmp_path):
    built = tmp_path / "output"
    golden.build(built, tmp_path / "cache")
    report = golden.compare(built)
    if report:
        pytest.fail(report, pytrace=False)


def test_the_golden_output_stays_small():
    # Every kind of page once, in two languages (the directory's filter pages included): a diff a
    # reviewer can still read. A page kind added may raise this; a page multiplied should not.
    size = sum(p.stat().st_size for p in golden.OUTPUT.rglob("*") if p.is_file())
    assert size < 750_000, f"tests/golden/output/ weighs {size:,} bytes: keep the golden site small"
