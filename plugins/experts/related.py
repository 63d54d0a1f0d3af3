"""Related articles: what to read next, at the end of an article.

The articles that share the most topics with it come first; among those, the
ones that exist in the reader's language, then the newest. An article and its
translations count as one: each version lists originals, which the template
shows in the page's language when they have it.
"""

from __future__ import annotations

import heapq
from itertools import combinations


def attach(originals: list, count: int) -> None:
    """Set ``related`` on every article of ``originals`` (newest first) and on their translations.

    The work grows with the articles that share a topic with each one, not with
    every pair: each topic's list is walked in date order, and the walk stops as
    soon as every language of the article has ``count`` articles in it.
    """
    members: dict[str, list] = {}
    topics_of: dict[int, tuple[str, ...]] = {}
    langs_of: dict[int, frozenset[str]] = {}
    for article in originals:
        versions = (article, *getattr(article, "translations", ()))
        slugs = tuple(dict.fromkeys(tag.slug for v in versions for tag in getattr(v, "tags", [])))
        topics_of[id(article)] = slugs
        langs_of[id(article)] = frozenset(v.lang for v in versions)
        for slug in slugs:
            members.setdefault(slug, []).append(article)
    position = {id(a): n for n, a in enumerate(originals)}
    ids = {slug: set(map(id, articles)) for slug, articles in members.items()}
    for article in originals:
        found = (
            _candidates(article, topics_of[id(article)], members, ids, position, langs_of, count)
            if count
            else {}
        )
        for version in (article, *getattr(article, "translations", ())):
            ranked = sorted(
                found,
                key=lambda a, lang=version.lang: (-found[a], lang not in langs_of[id(a)], position[id(a)]),
            )
            version.related = ranked[:count]


def _candidates(article, own: tuple[str, ...], members, ids, position, langs_of, count: int) -> dict:
    """Enough articles sharing topics with ``article`` to rank its related ones: each with
    how many topics it shares."""
    found: dict = {}
    langs = langs_of[id(article)]
    for size in range(len(own), 0, -1):
        # Every article tagged with ``size`` of the topics, newest first.
        lists = []
        for group in combinations(own, size):
            common = set.intersection(*(ids[slug] for slug in group)) if size > 1 else None
            lists.append(a for a in members[group[0]] if common is None or id(a) in common)
        need = {lang: count - sum(lang in langs_of[id(a)] for a in found) for lang in langs}
        for other in heapq.merge(*lists, key=lambda a: position[id(a)]):
            if other is article or other in found:
                continue
            found[other] = size
            for lang in langs & langs_of[id(other)]:
                need[lang] -= 1
            if all(n <= 0 for n in need.values()):
                return found
    return found
