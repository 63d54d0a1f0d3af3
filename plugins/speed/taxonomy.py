"""Pelican's tag, category and author pages without their quadratic step.

``ArticlesGenerator.generate_tags`` (and the category and author variants)
builds each page's ``dates`` as ``[a for a in self.dates if a in articles]``:
one scan of the taxonomy's article list per article of the site. Articles
compare by identity (Content defines no ``__eq__``), so a set of ids gives the
same list in linear time. When the pages are not written at all
(``TAG_SAVE_AS = ""``…), the loop only computed lists nobody used: skipped.
"""

from __future__ import annotations

import logging
import types

from pelican.contents import Content
from pelican.writers import FileOverwriteFailedError

logger = logging.getLogger("pelican.generators")


def _dates(generator, articles) -> list:
    ids = {id(a) for a in articles}
    return [a for a in generator.dates if id(a) in ids]


def _pages(generator, write, items, template_name: str, kind: str, setting: str) -> None:
    if not generator.settings.get(setting):
        return
    template = generator.get_template(template_name)
    for item, articles in items:
        try:
            write(
                item.save_as,
                template,
                generator.context,
                **({"tag": item} if kind == "Tag" else {}),
                url=item.url,
                **({"category": item} if kind == "Category" else {}),
                **({"author": item} if kind == "Author" else {}),
                articles=articles,
                dates=_dates(generator, articles),
                template_name=template_name,
                blog=True,
                page_name=item.page_name,
                all_articles=generator.articles,
            )
        except FileOverwriteFailedError:
            if not item.slug:
                logger.info(
                    '%s "%s" has an invalid slug; skipping writing %s page...',
                    kind,
                    item,
                    kind.lower(),
                    extra={"limit_msg": f"Further {kind.lower()}s with invalid slugs."},
                )
                continue
            logger.error('Failed to write %s page for "%s".', kind, item)
            raise


def install(generator) -> None:
    """Replace the three methods on this generator instance only."""
    if Content.__eq__ is not object.__eq__:  # identity no longer means equality: keep Pelican's own
        return
    generator.generate_tags = types.MethodType(
        lambda self, write: _pages(self, write, self.tags.items(), "tag", "Tag", "TAG_SAVE_AS"), generator
    )
    generator.generate_categories = types.MethodType(
        lambda self, write: _pages(self, write, self.categories, "category", "Category", "CATEGORY_SAVE_AS"),
        generator,
    )
    generator.generate_authors = types.MethodType(
        lambda self, write: _pages(self, write, self.authors, "author", "Author", "AUTHOR_SAVE_AS"), generator
    )
