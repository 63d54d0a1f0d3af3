"""The build's own wall around its folders: no static file from outside the content, or to outside the output.

``check`` refuses a ``{static}`` link or a symbolic link that leaves the
content folder (ambassade/rules/paths.py), and the build runs the same rules;
but a fast build runs them beside Pelican rather than before, and Pelican
copies a linked file as it finds it. So the static files are looked at once
more before anything is copied: one read from outside the content folder, or
to be written outside the output folder, is dropped and the build fails.
"""

from __future__ import annotations

import logging
import os
import posixpath

from ambassade.i18n import _

log = logging.getLogger(__name__)


def contain(generator) -> None:
    """At ``static_generator_finalized``: keep only static files read and written inside the site."""
    content = os.path.realpath(generator.settings["PATH"])
    kept = []
    for static in generator.staticfiles:
        source = os.path.realpath(static.source_path)
        target = posixpath.normpath(str(static.save_as).replace("\\", "/"))
        inside = os.path.commonpath([content, source]) == content
        if not inside or target.startswith("../") or target == ".." or posixpath.isabs(target):
            log.error(
                "%s",
                _(
                    "%(path)s: read from outside the content folder or written outside the output: refused",
                    path=static.source_path,
                ),
            )
            continue
        kept.append(static)
    generator.staticfiles[:] = kept
