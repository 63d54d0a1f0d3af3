"""The ``EDITOR`` settings: the editor at ``/admin/``, and the forge it saves to.

An application section (not the editor plugin's own) because three parts read
it: the plugin that builds ``/admin/``, the hosting plugin that writes its
Content-Security-Policy, and the local servers that send that policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal
from urllib.parse import urlsplit

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

#: Where the editor lives in the preview and the intranet copy; never in production.
PATH = "admin"

#: The API each forge's editor talks to, unless ``api_root`` says another (a self-hosted forge).
FORGE_API = {"github": "https://api.github.com", "gitlab": "https://gitlab.com", "gitea": "", "forgejo": ""}
#: Forges on which Decap CMS saves through pull requests (its editorial workflow); on Gitea it
#: commits to the branch itself: use the forgejo backend with a Gitea-compatible Forgejo.
PULL_REQUESTS = ("github", "gitlab", "forgejo")


@dataclass(frozen=True)
class EditorSettings(Section):
    """``EDITOR``: the editor in the browser (Decap CMS) that opens the same pull requests as git users."""

    NAME: ClassVar[str] = "EDITOR"

    enabled: bool = default(
        False,
        doc="build the editor at /admin/: `invoke edit` and `invoke build --internal` turn it on; "
        "`invoke publish` refuses a build that has it",
    )
    forge: Literal["github", "gitlab", "gitea", "forgejo"] = default(
        "github",
        doc="where the repository lives; github, gitlab and forgejo save through pull requests, "
        "gitea commits to the branch (Decap CMS has no pull requests there)",
    )
    repo: str = default("", doc="the repository, 'owner/name'")
    branch: str = default("main", doc="the branch pull requests go to")
    base_url: str = default(
        "",
        doc="the OAuth gateway's address (e.g. https://auth.clairvoie.example): "
        "it holds the forge's client secret, the site never does",
    )
    auth_endpoint: str = default("", doc="the gateway's path, when it is not 'auth'")
    api_root: str = default(
        "", doc="the forge's API, for a self-hosted GitLab or Gitea (https://git.example/api/v1)"
    )
    app_id: str = default(
        "", doc="the OAuth application's public id (GitLab, Gitea: PKCE, no gateway needed)"
    )
    preview_context: str = default(
        "",
        doc="the commit status whose link is the pull request's preview (what CI sets, e.g. 'preview')",
    )
    local_backend: str = default(
        "",
        doc="the local backend's API (`invoke edit` sets http://127.0.0.1:8081/api/v1): "
        "saves into the working tree",
    )

    def problems(self) -> list[Problem]:
        out = []
        for name in ("base_url", "api_root", "local_backend"):
            value = getattr(self, name)
            if value and urlsplit(value).scheme not in ("https", "http"):
                out.append(
                    Problem((name,), _("is not a web address"), _("an address starting with https://"))
                )
        if self.repo and self.repo.count("/") < 1:
            out.append(Problem(("repo",), _("is not a repository's name"), _("'owner/name'")))
        return out

    def connect_sources(self) -> list[str]:
        """The origins the editor's scripts talk to: the forge's API, the local backend."""
        found = [self.api_root or FORGE_API[self.forge], self.local_backend]
        out: list[str] = []
        for address in found:
            if address:
                parts = urlsplit(address)
                origin = f"{parts.scheme}://{parts.netloc}"
                if origin not in out:
                    out.append(origin)
        return out
