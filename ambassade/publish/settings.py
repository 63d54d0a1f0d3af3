"""The ``PUBLISH`` settings: where ``invoke publish`` deploys, from which branch, and what it lets through.

One dict in publishconf.py, declared here as a :class:`~ambassade.settings.Section`
with one nested section per target. ``target`` picks the destination; only
that target's required options must be set, the others may stay empty.
``invoke publish`` and ``invoke rollback`` check it with every other section of
the application (:func:`ambassade.configure.load`), so one run names every
mistake, each at its line in the settings file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

TARGETS = ("folder", "rsync", "gh-pages", "s3")
Target = Literal["folder", "rsync", "gh-pages", "s3"]

#: Pages for the programme's team, not for visitors: a production build must
#: not contain them unless ``allow_internal`` says the site is an intranet.
INTERNAL_PATHS = ["share-kit/", "leaderboard/", "dashboard/", "dashboard.json"]


@dataclass(frozen=True)
class FolderOptions(Section):
    """A local or mounted folder: ``releases/<id>/`` and a ``current`` link the web server serves."""

    path: str = default("", doc="the folder; the web server's root is <path>/current")


@dataclass(frozen=True)
class RsyncOptions(Section):
    """The folder's layout on another machine, over SSH (no host: a local path, as in the tests)."""

    host: str = ""
    user: str = ""
    port: int = default(22, min=1, max=65535)
    path: str = default("", doc="the folder on the server, e.g. /srv/site")
    ssh_options: list[str] = default([], doc="more options for ssh")
    rsync_options: list[str] = default([], doc="more options for rsync")


@dataclass(frozen=True)
class GhPagesOptions(Section):
    """A branch of a git repository (GitHub Pages), one commit per publish."""

    repo: str = default("", doc="a git URL or path, e.g. https://github.com/owner/repo.git")
    branch: str = "gh-pages"
    cname: str = default("", doc="the site's own domain, written into CNAME")
    author_name: str = "ambassade"
    author_email: str = "ambassade@users.noreply.github.com"
    message: str = default("Publish release {release}", doc="the commit's first line; {release} is its name")


@dataclass(frozen=True)
class S3Options(Section):
    """An S3-compatible bucket (AWS, or any ``endpoint_url``); credentials come from the environment."""

    bucket: str = ""
    prefix: str = ""
    endpoint_url: str = ""
    region: str = ""
    addressing_style: Literal["auto", "virtual", "path"] = "auto"
    html_cache_control: str = "public, max-age=300"
    default_cache_control: str = "public, max-age=3600"


def required(target: str) -> tuple[str, str]:
    """The option ``target`` cannot work without, and what to put there."""
    return {
        "folder": ("path", _("the folder the web server serves (its `current` link), e.g. /srv/site")),
        "rsync": ("path", _("the folder on the server, e.g. /srv/site")),
        "gh-pages": ("repo", _("a git URL or path, e.g. https://github.com/owner/repo.git")),
        "s3": ("bucket", _("the bucket's name, e.g. clairvoie-site")),
    }[target]


@dataclass(frozen=True)
class PublishSettings(Section):
    """``PUBLISH``: the destination, the releases kept, the branch that may go live."""

    NAME: ClassVar[str] = "PUBLISH"

    target: Target = default("folder", doc="where to deploy: its options are in the dict of that name")
    keep: int = default(
        5, min=1, doc="releases kept by the folder and rsync targets (2 or more to roll back)"
    )
    allow_internal: bool = default(
        False,
        doc="publish the internal pages (share kit, leaderboard, dashboard): a site behind a login only",
    )
    internal_paths: list[str] = default(
        INTERNAL_PATHS, doc="folders (ending in /) and files that are internal"
    )
    branch: str = default(
        "main", doc="the only branch publish deploys from (a reviewed, merged commit); --force overrides"
    )
    remote: str = default("origin", doc="the remote the published commit must already be on")
    folder: FolderOptions = field(default_factory=FolderOptions)
    rsync: RsyncOptions = field(default_factory=RsyncOptions)
    gh_pages: GhPagesOptions = field(default_factory=GhPagesOptions)
    s3: S3Options = field(default_factory=S3Options)

    def problems(self) -> list[Problem]:
        key, what = required(self.target)
        if getattr(self.options, key):
            return []
        return [Problem((_option_key(self.target), key), _("is empty"), what)]

    @property
    def options(self) -> Any:
        """The chosen target's options."""
        return getattr(self, _option_key(self.target))


def _option_key(target: str) -> str:
    return target.replace("-", "_")


@dataclass(frozen=True)
class Publishing:
    """What a publish works from: the ``PUBLISH`` section and the Pelican settings it goes with."""

    publish: PublishSettings
    pelican: Mapping[str, Any] = field(repr=False)
    """The Pelican settings of the build (SITEURL, URL patterns, HOSTING…)."""
    source: str = "publishconf.py"
    """The settings file, as messages name it."""

    @property
    def target(self) -> str:
        return self.publish.target

    @property
    def keep(self) -> int:
        return self.publish.keep

    @property
    def allow_internal(self) -> bool:
        return self.publish.allow_internal

    @property
    def internal_paths(self) -> tuple[str, ...]:
        return tuple(self.publish.internal_paths)

    @property
    def options(self) -> Any:
        return self.publish.options

    @property
    def site_url(self) -> str:
        return str(self.pelican.get("SITEURL") or "").rstrip("/")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.pelican.get("LANGUAGES") or (self.pelican.get("DEFAULT_LANG", "en"),))
