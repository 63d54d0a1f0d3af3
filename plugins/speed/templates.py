"""Compiled templates kept in memory between builds (the livereload loop), per Jinja configuration.

Pelican makes a new Jinja environment for each generator at every build, so
every template was compiled again each time. Jinja's bytecode cache checks the
template source's checksum before using an entry; entries are also keyed by
everything of the environment that changes compiled code.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from . import partials

_store: dict[tuple, bytes] = {}


def _config(env: jinja2.Environment) -> tuple:
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape)
    finalize = None if env.finalize is None else id(env.finalize)
    return (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        autoescape,
        finalize,
        env.optimized,
        env.is_async,
        env.undefined,
    )


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _store.get((bucket.key, _config(bucket.environment)))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(_store) > 5000:
            _store.clear()
        _store[(bucket.key, _config(bucket.environment))] = bucket.bytecode_to_string()


_cache = MemoryBytecodeCache()

# Text of HTML, by HTML: a listing strips the tags of the same summaries page after page.
# A module's, not a closure's: page keys count what filters close over (fingerprint.py).
_stripped: dict[str, str] = {}


def striptags(value) -> str:
    """Jinja's ``striptags``, each text worked out once."""
    if hasattr(value, "__html__"):
        value = value.__html__()
    html = str(value)
    text = _stripped.get(html)
    if text is None:
        if len(_stripped) > 100_000:
            _stripped.clear()
        text = _stripped[html] = Markup(html).striptags()
    return text


def install(generator) -> None:
    """At ``generator_init``: this generator's environment shares the compiled templates.

    It also stops checking template files for changes: an environment lives for
    one build, and Jinja would otherwise look at the file's time on every
    ``include`` of every page; strips the tags of a text once; and renders a
    card (an article's, an expert's) once for the pages that show it alike (partials.py).
    """
    env = getattr(generator, "env", None)
    if env is not None and env.bytecode_cache is None:
        env.bytecode_cache = _cache
    if env is not None:
        env.auto_reload = False
        env.filters["striptags"] = striptags
        partials.install(env)
