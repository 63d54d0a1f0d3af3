"""Editor: the editor in the browser at ``/admin/`` (Decap CMS), in the preview and the intranet copy.

With ``EDITOR["enabled"]`` (``invoke edit``, ``invoke build --internal``) this
plugin writes, at ``finalized``:

- ``admin/config.yml``: the forms, made from the rules (:mod:`ambassade.editor.config`);
- ``admin/ambassade.json``: the scaffolds the editor fills, so that it writes
  the files ``invoke new-expert`` and ``invoke new-article`` start;
- ``admin/index.html`` and ``admin/ambassade-editor.js``: the page, with its own
  Content-Security-Policy (:mod:`ambassade.editor.policy`);
- the CMS's own files, linked from ``.cache/editor/`` where npm put them
  (:mod:`ambassade.editor.install`): served from the site's origin, never a CDN.

The production build never has it: ``invoke publish`` refuses an output with ``admin/``.
"""

from __future__ import annotations

import logging

from pelican import signals

from ambassade import inputs
from ambassade.editor.settings import EditorSettings
from ambassade.site import experts_path, topics_path

log = logging.getLogger(__name__)


def declare(pelican) -> None:
    """At ``initialized``: the forms are made from the profile schema and the topic vocabulary."""
    settings = pelican.settings
    if EditorSettings.of(settings).enabled:
        inputs.declare(settings, experts_path(settings) / "schema.json", "file", by=__name__)
        inputs.declare(settings, topics_path(settings), "file", by=__name__)
    else:
        inputs.reads_nothing(settings, by=__name__)


def write(pelican) -> None:
    """At ``finalized``: ``admin/`` written into the output, when the build has the editor."""
    if not EditorSettings.of(pelican.settings).enabled:
        return
    from .output import write_editor

    for problem in write_editor(pelican.settings, pelican.output_path):
        log.error(problem)


def register() -> None:
    """Declare what the editor reads at ``initialized``; write ``admin/`` at ``finalized``."""
    signals.initialized.connect(declare)
    signals.finalized.connect(write)
