"""The fast build equals the plain sequential one on settings the demo does not use.

The demo writes no tag, category or author page, paginates nothing, links
relatively and writes few feeds: the code of the fast path behind those
(Pelican's pagination as the deferred writer redoes it, the taxonomy pages
worked out in linear time, feeds rendered in forked processes, absolute
links) would otherwise run under no test. Each case builds the small site of
tests/speed/site.py twice: with ``SPEED = {"enabled": False}`` (Pelican alone,
sequential) and with the fast path on two processes; the outputs must be the
same, byte for byte (Pagefind's own files decoded, as for the demo).
"""

from __future__ import annotations

import pytest

from tests.speed import site
from tests.speed.test_speed import _differences
from tests.support import PREVIEW_CONF, PUBLISH_CONF

CASES = {
    # name: (settings file, overrides, with translations)
    "taxonomies": (PREVIEW_CONF, site.TAXONOMIES, True),
    "taxonomies, pagination": (PREVIEW_CONF, {**site.TAXONOMIES, **site.PAGINATION}, True),
    "every feed, relative links": (PREVIEW_CONF, site.FEEDS, True),
    "all of it, absolute links": (
        PREVIEW_CONF,
        {**site.TAXONOMIES, **site.PAGINATION, **site.FEEDS, **site.ABSOLUTE},
        True,
    ),
    "all of it, one language": (
        PREVIEW_CONF,
        {**site.TAXONOMIES, **site.PAGINATION, **site.FEEDS, **site.ONE_LANGUAGE},
        False,
    ),
    "production, all of it": (PUBLISH_CONF, {**site.TAXONOMIES, **site.PAGINATION, **site.FEEDS}, True),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("matrix")
    return {
        True: site.make(base / "two-languages"),
        False: site.make(base / "one-language", translations=False),
    }


@pytest.mark.parametrize("case", list(CASES))
def test_the_fast_build_is_the_sequential_build(case, sites, tmp_path):
    conf, settings, translations = CASES[case]
    base = sites[translations]
    plain, fast = tmp_path / "plain", tmp_path / "fast"
    site.build(site.overrides(base, plain, tmp_path / "cache-plain", settings, enabled=False), conf)
    site.build(site.overrides(base, fast, tmp_path / "cache-fast", settings, workers=2), conf)
    assert len(list(plain.rglob("*.html"))) > 50
    assert _differences(plain, fast) == []
