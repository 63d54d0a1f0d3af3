"""Partials rendered once for the same inputs while pages render: article and expert cards.

An article's card is on the archive, on its topics' and its authors' pages, in
each language: 45,540 cards for 18,954 different ones at the benchmark's
default size. A card is rendered once per set of inputs and flush, and given
again to the next page with the same inputs, with the article bodies its
rendering read (writer.py records them as the page's dependencies).

Its inputs: the variables the partial and the partials it includes name (found
in their source: ``item``, ``here``, ``SITEURL``…), the environment's globals
left out (functions that every generator's environment gets alike); the page's
language, which the filters and functions that follow it work out
(``ambassade.languages.page_lang``); and the address bodies' links are made from
(``localsiteurl``). Objects count by identity: nothing changes a content
object while pages render, and each kept card holds its inputs, so that no
identity is reused. Kept cards last one flush: emptied before the rendering
processes fork and after.
"""

from __future__ import annotations

from jinja2 import meta

from ambassade.languages import page_lang

from . import compat

# Partials (template names) rendered once per inputs. Expert cards repeat too: the
# experts' and search pages list them all, topics theirs (8,468 for 3,776).
KEPT = frozenset({"partials/article_card.html", "partials/expert_card.html"})

_kept: dict[tuple, tuple[tuple, str, dict | None]] = {}
_inputs: dict[tuple[int, str], tuple[str, ...]] = {}
_on = False
_counts = {"rendered": 0, "given": 0}  # in this process, since the last flush started
_GLOBAL = object()  # in a key: the environment's own global of that name


def install(env) -> None:
    """Templates of ``env`` named in ``KEPT`` keep what they render, during a flush."""
    compat.wrap_renders(env, KEPT, _keeping)


def start() -> None:
    global _on
    _kept.clear()
    _inputs.clear()
    _counts.update(rendered=0, given=0)
    _on = True


def stop() -> None:
    global _on
    _kept.clear()
    _on = False


def _keeping(render, name: str):
    def root(context):
        if not _on:
            return render(context)
        env_globals = context.environment.globals
        names = _names(context.environment, name)
        values = tuple(context.get(n) for n in names)
        key = (
            name,
            page_lang(context),
            *(
                _GLOBAL
                if v is env_globals.get(n, _GLOBAL)
                else v
                if v is None or isinstance(v, (str, int, float))
                else id(v)
                for n, v in zip(names, values, strict=True)
            ),
        )
        found = _kept.get(key)
        if found is None:
            from .reads import reads_apart

            with reads_apart() as reads:
                html = "".join(render(context))
            found = _kept[key] = (values, html, reads)
            _counts["rendered"] += 1
        else:
            _counts["given"] += 1
            from .reads import add_reads

            add_reads(found[2])
        return _once(found[1])

    return root


def _once(html: str):
    # A generator, as a template's render function is (an include closes it).
    yield html


def _names(env, name: str) -> tuple[str, ...]:
    """What a kept partial's HTML depends on, besides the environment's globals (see the module's text)."""
    found = _inputs.get((id(env), name))
    if found is None:
        names: set[str] = set()
        _named(env, name, names, set())
        found = _inputs[(id(env), name)] = tuple(sorted(names | {"localsiteurl"}))
    return found


def _named(env, name: str, names: set[str], seen: set[str]) -> None:
    if name in seen:
        return
    seen.add(name)
    source, _, _ = env.loader.get_source(env, name)
    tree = env.parse(source)
    names |= meta.find_undeclared_variables(tree)
    for included in meta.find_referenced_templates(tree):
        if included is None:
            raise ValueError(f"{name} includes a template named by a variable: it cannot be kept")
        _named(env, included, names, seen)


def stats() -> dict[str, int]:
    """Cards rendered and given again by this process during the last flush."""
    return dict(_counts)
