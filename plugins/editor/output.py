"""The files of ``/admin/``: made from the rules, or linked from the CMS that npm installed."""

from __future__ import annotations

import json
import os
import shutil
from html import escape
from pathlib import Path

import yaml

from ambassade.editor import config as editor_config
from ambassade.editor.install import installed
from ambassade.editor.policy import policy
from ambassade.editor.settings import PATH, EditorSettings
from ambassade.headers import meta_of
from ambassade.i18n import _
from ambassade.rules.check import site_root
from ambassade.rules.context import CharterSettings
from ambassade.site import experts_path, vocabulary

STATIC = Path(editor_config.__file__).resolve().parent / "static"
#: What the page loads, in order: ours first (it holds the CMS until the forms are ready).
SCRIPTS = ("ambassade-editor.js", "js-yaml.min.js", "decap-cms.js")


def _backend(conf: EditorSettings) -> editor_config.Backend:
    return editor_config.Backend(
        forge=conf.forge,
        repo=conf.repo,
        branch=conf.branch,
        base_url=conf.base_url,
        auth_endpoint=conf.auth_endpoint,
        api_root=conf.api_root,
        app_id=conf.app_id,
        preview_context=conf.preview_context,
        local_url=conf.local_backend,
    )


def _fresh(path: Path) -> Path:
    """``path``, emptied first: a file linked from the last output must not be written into."""
    path.unlink(missing_ok=True)
    return path


def _link(source: Path, target: Path) -> None:
    _fresh(target)
    try:
        os.link(source, target)
    except OSError:  # another file system: a copy
        shutil.copyfile(source, target)


def page(settings: dict) -> str:
    lang = settings["DEFAULT_LANG"]
    meta = meta_of(policy(settings) or "")
    scripts = "\n".join(f'    <script src="{name}"></script>' for name in SCRIPTS)
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}">\n'
        "  <head>\n"
        '    <meta charset="utf-8">\n'
        f'    <meta http-equiv="Content-Security-Policy" content="{escape(meta)}">\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '    <meta name="robots" content="noindex">\n'
        f"    <title>{escape(_('Editor'))} · {escape(str(settings.get('SITENAME', '')))}</title>\n"
        f"{scripts}\n"
        "  </head>\n"
        "  <body></body>\n"
        "</html>\n"
    )


def write_editor(settings: dict, output: str | os.PathLike) -> list[str]:
    """Write ``admin/`` into ``output``; the problems that kept it from being written."""
    modules = installed()
    if modules is None:
        return [
            _(
                "the editor (/admin/) is not installed: run `invoke edit`, or "
                "`python3 ambassade/editor/install.py` once (npm fetches it into .cache/editor/)"
            )
        ]
    conf = EditorSettings.of(settings)
    root = site_root(settings)
    schema = json.loads((experts_path(settings) / "schema.json").read_text(encoding="utf-8"))
    charter = CharterSettings.of(settings)
    made = editor_config.config(
        {**settings, "_EDITOR_EXPERTS": str(experts_path(settings))},
        root=root,
        schema=schema,
        vocabulary=vocabulary(settings, root)[0],
        backend=_backend(conf),
        max_title=charter.max_title_length,
        summary_required=charter.require_summary,
    )
    folder = Path(output) / PATH
    folder.mkdir(parents=True, exist_ok=True)
    _fresh(folder / "config.yml").write_text(
        yaml.safe_dump(made, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    _fresh(folder / "ambassade.json").write_text(
        json.dumps(editor_config.formats(settings), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    _fresh(folder / "index.html").write_text(page(settings), encoding="utf-8")
    _link(STATIC / "ambassade-editor.js", folder / "ambassade-editor.js")
    _link(modules / "js-yaml" / "dist" / "js-yaml.min.js", folder / "js-yaml.min.js")
    dist = modules / "decap-cms" / "dist"
    for source in sorted(dist.iterdir()):
        # The bundle, the parts it loads when needed, its WebAssembly; not the source maps.
        if source.name.endswith("decap-cms.js") or source.suffix == ".wasm":
            _link(source, folder / source.name)
    return []
