"""The wall: every use of a private or replaced name of Pelican, Markdown or Jinja, and nowhere else.

The rest of the plugin calls the small functions below. Each says which
upstream code it mirrors or leans on, and the version it was checked against;
docs/upstream.md proposes, for each, the hook that would let it go. Nothing
here is used on any other version (importing the module uses public names
only): :func:`supported` is False there, the plugin switches itself off with
one warning (``fast_path`` returns None) and the build is Pelican's own,
sequential one. A test (tests/speed/test_wall.py)
fails if another module of ``plugins/`` or ``ambassade/`` reads such a name or
replaces an attribute of those libraries.

Checking a new version: read the upstream code each function names, compare,
run ``tests/speed`` (the equivalence matrix, the edit sequence), then widen
:data:`CHECKED`.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import re
import types
from collections.abc import Callable, Iterator
from typing import Any

from markdown import Markdown, util
from markdown.treeprocessors import InlineProcessor
from pelican import contents, readers, urlwrappers
from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.readers import MarkdownReader
from pelican.utils import get_relative_path, path_to_url
from pelican.writers import FileOverwriteFailedError, Writer

log = logging.getLogger(__name__)

# -- the versions checked ----------------------------------------------------------------------------

CHECKED = {"Pelican": (4, 12), "Markdown": (3, 11), "Jinja2": (3, 1)}
"""Major and minor version of each library whose code this module was read against (any patch release)."""


def versions() -> dict[str, str]:
    """The version of each library, as it says it."""
    import jinja2
    import markdown
    import pelican

    return {"Pelican": pelican.__version__, "Markdown": markdown.__version__, "Jinja2": jinja2.__version__}


def unchecked() -> list[str]:
    """The libraries whose version was not checked, as "Pelican 4.13.0"; empty when all were."""
    found = []
    for name, version in versions().items():
        parts = re.match(r"(\d+)\.(\d+)", str(version))
        if parts is None or (int(parts[1]), int(parts[2])) != CHECKED[name]:
            found.append(f"{name} {version}")
    return found


_warned = False


def supported() -> bool:
    """True on the versions checked; else False, and one warning per process saying so."""
    global _warned
    found = unchecked()
    if found and not _warned:
        _warned = True
        checked = ", ".join(f"{name} {major}.{minor}.x" for name, (major, minor) in CHECKED.items())
        log.warning(
            "speed: switched off for %s (checked with %s): this build is the plain sequential one",
            " and ".join(found),
            checked,
        )
    return not found


# -- slugs and dates worked out once per process -----------------------------------------------------

_originals: dict[str, Any] = {}


def cache_slugs() -> None:
    """Slugs made once per name: Pelican makes new Tag and Author objects for every
    article, and each slugifies its name again (Unicode normalization, regexes).

    Replaces ``slugify`` as pelican/urlwrappers.py and pelican/contents.py import it
    from pelican/utils.py (Pelican 4.12.0), with the same signature.
    """
    if "slugify" in _originals:
        return
    slugify = _originals["slugify"] = urlwrappers.slugify
    known: dict[tuple, str] = {}

    def cached(value, regex_subs=(), preserve_case=False, use_unicode=False):
        key = (value, tuple(map(tuple, regex_subs)), preserve_case, use_unicode)
        found = known.get(key)
        if found is None:
            if len(known) > 200_000:
                known.clear()
            found = known[key] = slugify(
                value, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode
            )
        return found

    urlwrappers.slugify = contents.slugify = cached


def cache_source_paths() -> None:
    """A content's path from the content folder worked out once per file.

    Pelican formats ``url`` and ``save_as`` anew on every read, and each time
    makes the source's path relative again (two ``abspath`` and a ``relpath``):
    some 40,000 times in a rebuild of 5,000 articles. Wraps
    ``Content.get_relative_source_path`` of pelican/contents.py (Pelican 4.12.0),
    a function of the content folder and the source path, and of the working
    folder only when the content folder is relative (then not cached).
    """
    if "get_relative_source_path" in _originals:
        return
    relative = _originals["get_relative_source_path"] = Content.get_relative_source_path
    known: dict[tuple, str | None] = {}

    def cached(self, source_path=None):
        path = source_path or self.source_path
        root = self.settings["PATH"]
        key = (root, path) if path and os.path.isabs(root) else None
        if key is None:
            return relative(self, source_path)
        found = known.get(key)
        if found is None:
            if len(known) > 200_000:
                known.clear()
            found = known[key] = relative(self, source_path)
        return found

    Content.get_relative_source_path = cached


def cache_dates(fast: Callable[[str], datetime.datetime | None]) -> None:
    """Dates parsed once per text and day; ``fast(text)`` first, Pelican's processor when it gives None.

    A date without a day or a time is completed from today's, hence the day in
    the key. Wraps ``date`` and ``modified`` of pelican/readers.py
    ``METADATA_PROCESSORS`` (Pelican 4.12.0: ``get_date`` through ``process(value, settings)``).
    """
    for name in ("date", "modified"):
        if name in _originals:
            continue
        process = _originals[name] = readers.METADATA_PROCESSORS[name]
        known: dict[tuple, Any] = {}

        def cached(value, settings, process=process, known=known):
            if not isinstance(value, str):
                return process(value, settings)
            key = (value, datetime.date.today())
            if key not in known:
                if len(known) > 200_000:
                    known.clear()
                found = fast(value)
                known[key] = found if found is not None else process(value, settings)
            return known[key]

        readers.METADATA_PROCESSORS[name] = cached


def uncache() -> None:
    """Pelican's own slugify and date processors again: a build with the plugin off is Pelican's."""
    slugify = _originals.pop("slugify", None)
    if slugify is not None:
        urlwrappers.slugify = contents.slugify = slugify
    relative = _originals.pop("get_relative_source_path", None)
    if relative is not None:
        Content.get_relative_source_path = relative
    for name in ("date", "modified"):
        process = _originals.pop(name, None)
        if process is not None:
            readers.METADATA_PROCESSORS[name] = process


# -- content objects ----------------------------------------------------------------------------------
# pelican/contents.py (Pelican 4.12.0): ``Content.__init__`` keeps the body as read in
# ``self._content`` and the shared context in ``self._context``; ``get_content`` and
# ``get_summary`` are ``utils.memoized`` (a ``cache`` dict keyed by (self, siteurl)).

CONTENT_INTERNALS = frozenset({"_content", "_context"})
"""Attributes of a content object that are not its data: the body, and the shared context."""


def body(content) -> str | None:
    """The body of ``content`` as its reader gave it (HTML), without counting as a read of it."""
    return content.__dict__.get("_content")


def has_body(content) -> bool:
    """True when ``content`` was given a body (as every object its reader made is)."""
    return "_content" in getattr(content, "__dict__", {})


def set_body(content, html: str) -> None:
    """Give ``content`` a new body, and forget what was rendered from the old one."""
    content.__dict__["_content"] = html
    for name in ("get_content", "get_summary"):
        # Pelican's memoized object, not a wrapper of :func:`track_reads` (not installed then).
        cache = getattr(Content.__dict__.get(name), "cache", None)
        if isinstance(cache, dict):
            for key in [k for k in cache if k and k[0] is content]:
                del cache[key]


def static_links_with(content, html: str) -> set[str]:
    """What ``content.get_static_links()`` finds in ``html`` as its body."""
    saved = content.__dict__.get("_content")
    content.__dict__["_content"] = html
    try:
        return content.get_static_links()
    finally:
        content.__dict__["_content"] = saved


class _Body:
    """``Content._content`` as a data descriptor: ``read(content)`` at every read."""

    def __init__(self, read: Callable[[Any], None]) -> None:
        self.read = read

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        self.read(obj)
        try:
            return obj.__dict__["_content"]
        except KeyError:
            raise AttributeError("_content") from None

    def __set__(self, obj, value):
        obj.__dict__["_content"] = value


def track_reads(read: Callable[[Any], None], quiet: Callable[[], Any], urls_once: bool) -> dict:
    """Call ``read(content)`` whenever a body is read: ``get_content``, ``get_summary``
    (unless the summary is given in metadata) and ``_content`` itself (the methods and
    properties of pelican/contents.py ``Content``, Pelican 4.12.0, wrapped on the class).

    ``get_static_links`` (Pelican's own look at every body as it reads the site)
    runs within ``quiet()``. With ``urls_once``, ``url`` and ``save_as`` are worked
    out once per object (Pelican formats them anew on every read, dozens of times
    a page): only while nothing changes metadata. Returns what
    :func:`untrack_reads` puts back.
    """
    names = ("get_content", "get_summary", "_content", "get_static_links") + (
        ("url", "save_as") if urls_once else ()
    )
    saved = {name: Content.__dict__.get(name) for name in names}
    memo_content, memo_summary, static_links = (
        saved["get_content"],
        saved["get_summary"],
        saved["get_static_links"],
    )

    def get_content(self, siteurl):
        read(self)
        return memo_content.__get__(self, type(self))(siteurl)

    def get_summary(self, siteurl):
        if "summary" not in self.metadata:  # a summary given in metadata does not read the body
            read(self)
        return memo_summary.__get__(self, type(self))(siteurl)

    def get_static_links(self):
        with quiet():
            return static_links(self)

    Content.get_content = get_content
    Content.get_summary = get_summary
    Content.get_static_links = get_static_links
    Content._content = _Body(read)
    if urls_once:
        for name in ("url", "save_as"):
            setattr(Content, name, _once(saved[name]))
    return saved


def _once(prop: property) -> property:
    values: dict[int, Any] = {}

    def get(self):
        key = id(self)
        try:
            return values[key]
        except KeyError:
            value = values[key] = prop.fget(self)
            return value

    return property(get)


def untrack_reads(saved: dict) -> None:
    for name, value in saved.items():
        if value is None:
            delattr(Content, name)
        else:
            setattr(Content, name, value)


# -- the writer ---------------------------------------------------------------------------------------


def claim(writer: Writer, filename: str, override: bool, dropped: Callable[[str], None]) -> bool:
    """The bookkeeping of ``Writer._open_w`` without opening (pelican/writers.py, Pelican 4.12.0):
    False when Pelican would write to /dev/null. A write it replaces is ``dropped(filename)``."""
    if filename in writer._overridden_files:
        if override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
            )
        logging.getLogger("pelican.writers").info('Skipping "%s", not overwriting', filename)
        return False
    if filename in writer._written_files:
        if override:
            logging.getLogger("pelican.writers").info('Overwriting "%s"', filename)
            dropped(filename)
        else:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already '
                "written to it previously (set `override=True` if intended)"
            )
    if override:
        writer._overridden_files.add(filename)
    writer._written_files.add(filename)
    return True


class FreshFileWriter(Writer):
    """Pelican's writer, each file it writes made anew (a new inode), never written over in place.

    A page the speed writer links from the output a build replaces shares that
    output's file: writing over it in place would change the site being served,
    and the page kept for the next build. Pelican writes a file again when a
    later write overrides it (``override_output``): the old file is removed
    first, the link with it. Extends ``Writer._open_w`` (pelican/writers.py,
    Pelican 4.12.0), removing the file only where it would open it for writing
    (not where it skips the write, nor where it raises).
    """

    def _open_w(self, filename, encoding, override=False):
        if filename not in self._overridden_files and (override or filename not in self._written_files):
            try:
                os.unlink(filename)
            except FileNotFoundError:
                pass
        return super()._open_w(filename, encoding, override)


def write_feed_now(writer: Writer, elements, context, path, url, feed_type, feed_title) -> None:
    """Pelican's ``Writer.write_feed`` for a feed :func:`claim` already counted: its bookkeeping
    emptied first, or ``_open_w`` would take it for a second write (pelican/writers.py, Pelican 4.12.0)."""
    writer._written_files, writer._overridden_files = set(), set()
    Writer.write_feed(writer, elements, context, path, url, feed_type, False, feed_title)


def page_writes(
    writer: Writer, name, context, relative_urls, paginated, template_name, url, kwargs, siteurl
) -> Iterator[tuple[str, dict]]:
    """The files ``Writer.write_file`` would write, and the local context of each, unrendered.

    Mirrors pelican/writers.py ``Writer.write_file`` (Pelican 4.12.0): its
    ``_get_localcontext`` and its pagination, in its order. ``siteurl()`` is the
    ``localsiteurl`` the context would hold then: Pelican's writer sets it as it
    writes each page, and the next page's local context starts from a copy.
    """

    def local(name, kwargs):
        localcontext = context.copy()
        localcontext["localsiteurl"] = siteurl()
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        return localcontext

    if paginated is None:
        paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
    if not (paginated and template_name in writer.settings["PAGINATED_TEMPLATES"]):
        yield name, local(name, kwargs)
        return
    per_page = writer.settings["PAGINATED_TEMPLATES"][template_name] or writer.settings["DEFAULT_PAGINATION"]
    paginators = {key: Paginator(name, url, val, writer.settings, per_page) for key, val in paginated.items()}
    for page_num in range(next(iter(paginators.values())).num_pages):
        paginated_kwargs = kwargs.copy()
        for key, paginator in paginators.items():
            previous_page = paginator.page(page_num) if page_num > 0 else None
            page = paginator.page(page_num + 1)
            next_page = paginator.page(page_num + 2) if page_num + 1 < paginator.num_pages else None
            paginated_kwargs.update(
                {
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": previous_page,
                    f"{key}_next_page": next_page,
                }
            )
        yield page.save_as, local(page.save_as, paginated_kwargs)


def get_writer(pelican) -> Writer:
    """The writer ``Pelican.run`` would make: ``Pelican._get_writer`` (pelican/__init__.py,
    Pelican 4.12.0)."""
    return pelican._get_writer()


# -- generators ---------------------------------------------------------------------------------------


class _SortedSet(set):
    """A set that iterates in sorted order."""

    def __iter__(self):
        return iter(sorted(set.__iter__(self)))


def files_in_order(generator) -> None:
    """``generator.get_files`` (a set, pelican/generators.py, Pelican 4.12.0) iterated in the
    order of the paths: a set's order changes from one process to the next, and with it the
    order of articles of the same date and the keys of every page."""
    get_files = generator.get_files

    def sorted_files(*args, **kwargs):
        return _SortedSet(get_files(*args, **kwargs))

    generator.get_files = sorted_files


def before_output(generator, first: Callable[[Any], None]) -> None:
    """``first(writer)`` at the start of ``generator.generate_output(writer)`` (its signature in
    pelican/generators.py, Pelican 4.12.0: no signal is sent there)."""
    original = generator.generate_output

    def generate_output(self, writer):
        first(writer)
        return original(writer)

    generator.generate_output = types.MethodType(generate_output, generator)


def around_context(generator, around: Callable[[], Any]) -> None:
    """``generator.generate_context()`` run within the context manager ``around()`` (Pelican 4.12.0
    sends no signal before one generator's ``generate_context``, only ``generator_init``)."""
    original = generator.generate_context

    def generate_context(self):
        with around():
            return original()

    generator.generate_context = types.MethodType(generate_context, generator)


def taxonomy_pages_in_linear_time(generator) -> None:
    """Pelican's tag, category and author pages without their quadratic step.

    ``ArticlesGenerator.generate_tags`` (and the category and author variants,
    pelican/generators.py, Pelican 4.12.0) builds each page's ``dates`` as
    ``[a for a in self.dates if a in articles]``: one scan of the taxonomy's
    article list per article of the site. Articles compare by identity
    (Content defines no ``__eq__``), so a set of ids gives the same list in
    linear time. When the pages are not written at all (``TAG_SAVE_AS = ""``…),
    the loop only computed lists nobody used: skipped. The methods are replaced
    on this generator only; the rest mirrors Pelican's, messages included.
    """
    if Content.__eq__ is not object.__eq__:  # identity no longer means equality: keep Pelican's own
        return
    for kind, method, items in _TAXONOMIES:
        setattr(
            generator,
            method,
            types.MethodType(
                lambda self, write, kind=kind, items=items: _taxonomy_pages(self, write, kind, items(self)),
                generator,
            ),
        )


_TAXONOMIES = (
    ("tag", "generate_tags", lambda g: g.tags.items()),
    ("category", "generate_categories", lambda g: g.categories),
    ("author", "generate_authors", lambda g: g.authors),
)
_PLURALS = {"tag": "tags", "category": "categories", "author": "authors"}


def _taxonomy_pages(generator, write, kind: str, items) -> None:
    if not generator.settings.get(f"{kind.upper()}_SAVE_AS"):
        return
    template = generator.get_template(kind)
    for item, articles in items:
        ids = {id(a) for a in articles}
        dates = [a for a in generator.dates if id(a) in ids]
        # In the order of Pelican's keyword arguments (the local context's own order).
        named = {"tag": item, "url": item.url} if kind == "tag" else {"url": item.url, kind: item}
        try:
            write(
                item.save_as,
                template,
                generator.context,
                **named,
                articles=articles,
                dates=dates,
                template_name=kind,
                blog=True,
                page_name=item.page_name,
                all_articles=generator.articles,
            )
        except FileOverwriteFailedError:
            if not item.slug:
                logging.getLogger("pelican.generators").info(
                    '%s "%s" has an invalid slug; skipping writing %s page...',
                    kind.capitalize(),
                    item,
                    kind,
                    extra={"limit_msg": f"Further {_PLURALS[kind]} with invalid slugs."},
                )
                continue
            logging.getLogger("pelican.generators").error(
                'Failed to write %s page for "%s".', kind.capitalize(), item
            )
            raise


# -- Markdown -----------------------------------------------------------------------------------------


def source_text(data: bytes) -> str:
    """A source's text from its bytes, as ``pelican_open`` reads it from its file (pelican/utils.py,
    Pelican 4.12.0: UTF-8, a byte order mark dropped, universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig").read()


class TextMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, converting a text it is given rather than reading the file again.

    Whoever converts a file this way hashed the bytes that text came from: the
    conversion is then kept under the digest of what was converted, however
    often the file is saved meanwhile. Mirrors ``MarkdownReader.read`` and its
    use of ``self._md`` and ``self._source_path`` (pelican/readers.py, Pelican 4.12.0).
    """

    def read(self, source_path):
        with open(source_path, "rb") as fh:
            return self.read_text(source_path, source_text(fh.read()))

    def read_text(self, source_path, text: str):
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(text)
        meta = getattr(self._md, "Meta", None)
        return content, ({} if meta is None else self._parse_metadata(meta))


class ReusingMarkdownReader(TextMarkdownReader):
    """Pelican's Markdown reader with its two Markdown instances made once, not once per file.

    Pelican makes a Markdown instance per file (a tenth of a conversion's time:
    every extension and pattern registered again), one converting the body and
    its header, then, with the header preprocessor removed, the formatted
    fields. ``Markdown.reset()`` clears a document's state between files.
    ``prepare`` is applied to each instance once made. Mirrors
    ``MarkdownReader.read`` and its use of ``self._md``, ``self._source_path``
    and ``_parse_metadata`` (pelican/readers.py, Pelican 4.12.0).
    """

    def __init__(self, settings: dict, prepare: Callable[[Markdown], Markdown]) -> None:
        super().__init__(settings)
        self._body = prepare(Markdown(**self.settings["MARKDOWN"]))
        self._fields = prepare(Markdown(**self.settings["MARKDOWN"]))
        self._fields.preprocessors.deregister("meta")

    def read_text(self, source_path, text: str):
        self._source_path = source_path
        self._md = self._body.reset()
        content = self._md.convert(text)
        meta = getattr(self._md, "Meta", None)
        if meta is None:
            return content, {}
        self._md = self._fields
        return content, self._parse_metadata(meta)

    def _parse_metadata(self, meta):
        # Pelican's, minus removing the header preprocessor again (done once, above).
        deregister = self._md.preprocessors.deregister
        self._md.preprocessors.deregister = lambda name, strict=True: None
        try:
            return super()._parse_metadata(meta)
        finally:
            self._md.preprocessors.deregister = deregister


class _TriggeredInline(InlineProcessor):
    """Markdown's inline processor, skipping the patterns a text cannot match.

    Mirrors ``InlineProcessor.__handleInline`` and calls ``__applyPattern``
    (markdown/treeprocessors.py, Markdown 3.11.x), by their mangled names.
    """

    needs: Callable[[Any], tuple[str, ...] | None] = staticmethod(lambda pattern: None)

    def run(self, tree, ancestors=None):
        # The registry, in order, once per document rather than indexed per try.
        self._patterns = list(self.inlinePatterns)
        self._needs = [self.needs(pattern) for pattern in self._patterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # Markdown's __handleInline, plus the skip; __applyPattern calls back here
        # for the text of the nodes it makes.
        if not isinstance(data, util.AtomicString):
            patterns, wanted = self._patterns, self._needs
            start = 0
            count = len(patterns)
            while patternIndex < count:
                strings = wanted[patternIndex]
                if strings is not None:
                    for string in strings:
                        if data.find(string, start) >= 0:
                            break
                    else:
                        # What __applyPattern answers when the search finds nothing.
                        patternIndex, start = patternIndex + 1, 0
                        continue
                data, matched, start = self._InlineProcessor__applyPattern(
                    patterns[patternIndex], data, patternIndex, start
                )
                if not matched:
                    patternIndex += 1
        return data


def triggered_inline(md: Markdown, needs: Callable[[Any], tuple[str, ...] | None]) -> Markdown:
    """``md`` trying each inline pattern only on text holding one of ``needs(pattern)`` (None:
    always), when its inline processor is Markdown's own."""
    if type(md.treeprocessors["inline"]) is InlineProcessor:
        processor = _TriggeredInline(md)
        processor.needs = needs
        # 20 is where Markdown registers its own (treeprocessors.build_treeprocessors).
        md.treeprocessors.register(processor, "inline", 20)
    return md


def is_triggered(md: Markdown) -> bool:
    return isinstance(md.treeprocessors["inline"], _TriggeredInline)


# -- Jinja --------------------------------------------------------------------------------------------


def wrap_renders(env, names: frozenset[str], wrap: Callable[[Callable, str], Callable]) -> None:
    """The render function of every template of ``env`` named in ``names`` replaced by
    ``wrap(render, name)`` as the template is made.

    Subclasses ``env.template_class`` and extends ``Template._from_namespace``,
    which sets ``root_render_func`` (jinja2/environment.py, Jinja2 3.1.6).
    """
    base = env.template_class
    if getattr(base, "_speed_wraps", None) is not None:
        return

    class WrappingTemplate(base):
        _speed_wraps = names

        @classmethod
        def _from_namespace(cls, environment, namespace, globals):
            template = super()._from_namespace(environment, namespace, globals)
            if template.name in names:
                template.root_render_func = wrap(template.root_render_func, template.name)
            return template

    env.template_class = WrappingTemplate
