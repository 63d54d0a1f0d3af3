"""Article rules: a failing and a passing fixture for each, exact output."""

from __future__ import annotations

import pytest

from review import frontmatter
from review.rules import ARTICLE_RULES, Context, run_rules
from support import FIXTURES

ARTICLES = FIXTURES / "articles"
CTX = Context(known_authors={"alice-dupont", "bruno-petit"}, root=FIXTURES.parent.parent)


def check(name: str) -> list[str]:
    return [f.text() for f in run_rules(frontmatter.read(ARTICLES / name), CTX, ARTICLE_RULES)]


def test_valid_article_has_no_finding():
    assert check("valid.md") == []


@pytest.mark.parametrize(
    "case, expected",
    [
        ("unknown-author.md",
         "tests/fixtures/articles/unknown-author.md:3:24: article-author: error: unknown author 'alice-dupond'"
         " — did you mean 'alice-dupont'? Authors are slugs of experts/<slug>.yml"),
        ("missing-title.md",
         "tests/fixtures/articles/missing-title.md:6:1: article-title: error: the title is missing"
         " — a line 'Title: …' in the header"),
        ("bad-date.md",
         "tests/fixtures/articles/bad-date.md:2:7: article-date: error: '14/03/2026' is not a valid date"
         " — an ISO 8601 date with time and zone, e.g. 'Date: 2026-03-14T09:30:00+01:00'"),
        ("date-without-time-zone.md",
         "tests/fixtures/articles/date-without-time-zone.md:2:7: article-date: error: "
         "'2026-03-14T09:30:00' is not a valid date"
         " — an ISO 8601 date with time and zone, e.g. 'Date: 2026-03-14T09:30:00+01:00'"),
        ("no-author.md",
         "tests/fixtures/articles/no-author.md:6:1: article-author: error: the article has no author"
         " — a line 'Authors: <slug>[, <slug>…]' naming files of experts/"),
    ],
)
def test_bad_article_gives_one_exact_finding(case, expected):
    assert check(case) == [expected]


def test_header_positions_survive_continuation_lines(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Title: Un titre\n    qui continue\nAuthors: x\n\nCorps\n", encoding="utf-8")
    doc = frontmatter.read(path)
    assert doc.value("title") == "Un titre qui continue"
    assert (doc.get("authors").line, doc.get("authors").col) == (3, 10)
    assert doc.body == "Corps\n"
