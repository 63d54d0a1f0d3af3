"""Rules on topics: profiles and articles name only topics of the vocabulary (content/topics.yml).

A topic nobody declared would get a page of its own, split what should be one
topic in two ("Cybersecurité" beside "Cybersécurité"), and escape the search's
synonyms: every name is checked against the vocabulary, and an unknown one is
an error that suggests the closest topic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ambassade import sources, yamldoc
from ambassade.diagnostics import Finding, display_path
from ambassade.topics import unknown_topic

from .context import Context
from .frontmatter import Document, split_list
from .metadata import PLACEHOLDER


def article_topics(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Every topic of ``Tags`` is one of the vocabulary (``article-topic``)."""
    tags = doc.get("tags")
    if tags is None or ctx.vocabulary is None or tags.value.startswith(PLACEHOLDER):
        return  # the template's placeholder is the placeholder rule's
    for name, col in split_list(tags):
        if ctx.vocabulary.resolve(name):
            continue
        message, expected = unknown_topic(name, ctx.vocabulary)
        yield Finding(ctx.where(doc), tags.line, col, "article-topic", message, expected)


def profile_topics(path: Path, ctx: Context) -> Iterator[Finding]:
    """Every topic of a profile's ``expertise`` is one of the vocabulary (``profile-topic``)."""
    if ctx.vocabulary is None:
        return
    shown = display_path(path, ctx.root)
    text, _problems = sources.read_text(path, shown, sources.PROFILE)
    if text is None:
        return  # too large or not UTF-8: the profile's own findings say so
    node, data, problems = yamldoc.parse(text, shown, "profile")
    expertise = data.get("expertise") if isinstance(data, dict) else None
    if node is None or not isinstance(expertise, list):
        return  # the schema's findings (load_profiles) say what is wrong
    for index, name in enumerate(expertise):
        if not isinstance(name, str) or ctx.vocabulary.resolve(name):
            continue
        message, expected = unknown_topic(name, ctx.vocabulary)
        line, col = yamldoc.position(node, ["expertise", index], value=True)
        yield Finding(shown, line, col, "profile-topic", message, expected)
