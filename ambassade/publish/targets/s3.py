"""An S3-compatible bucket: assets first, then pages, stale objects removed last.

A bucket has no atomic switch, so the order does the work: the files pages
load (theme, search index, images) are uploaded before the pages that name
them, and what the new site no longer has is deleted only once every new page
is in place. A visitor during the upload sees the old page with its assets or
the new one with its assets, never a page whose stylesheet is missing.

Every object gets its Content-Type and Cache-Control. The cache lifetimes of
theme and search files are the hosting plugin's (``HOSTING["cache"]``), the
one source of those values; pages get ``html_cache_control``, so a publish
reaches visitors within minutes. Objects are compared by MD5, the ETag S3
gives a single-part upload, so only changed files are sent. Credentials come
from the environment (``AWS_ACCESS_KEY_ID``…), as boto3 reads them.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ambassade.i18n import _

from ..manifest import Changes, compare, digest, files
from ..problems import PublishError
from ..releases import Release
from . import Checkpoint

#: Types Python's table lacks or gets wrong for the web (it says application/javascript for .js).
CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
#: Types that are text, sent with their charset: the build writes UTF-8.
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
    "application/manifest+json",
)
DELETE_BATCH = 1000  # the most DeleteObjects accepts at once


def content_type(rel: str) -> str:
    if rel.endswith(".atom.xml"):
        kind = "application/atom+xml"
    else:
        kind = CONTENT_TYPES.get(Path(rel).suffix.lower()) or mimetypes.guess_type(rel)[0]
        # Pagefind's index files (.pf_fragment, .pf_index, .pf_meta, .pagefind) are opaque bytes.
        kind = kind or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


def hosting_rules(pelican: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The hosting settings' cache rules as (key prefix, Cache-Control): ``/theme/*`` becomes ``theme/``.

    The host files (``_headers``, the nginx snippets) are written beside the
    site, not in it: they never reach the bucket.
    """
    from ambassade.headers import settings_of

    conf = settings_of(pelican)
    return [(p[1:-1], v) for p, v in conf.cache.items() if p.startswith("/") and p.endswith("/*")]


class S3Target:
    name = "s3"
    atomic = False  # objects change one by one: see the order above

    def __init__(self, options: Any, pelican: Mapping[str, Any], client: Any = None):
        self.options = options
        self.bucket: str = options.bucket
        self.prefix: str = options.prefix.strip("/") + "/" if options.prefix.strip("/") else ""
        self.cache_rules = hosting_rules(pelican)
        self._client = client

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    @property
    def client(self) -> Any:
        if self._client is None:
            try:
                import boto3
                from botocore.config import Config
            except ImportError:
                raise PublishError(_("the s3 target needs boto3 — pip install -r requirements.txt")) from None
            o = self.options
            self._client = boto3.client(
                "s3",
                endpoint_url=o.endpoint_url or None,
                region_name=o.region or None,
                config=Config(
                    s3={"addressing_style": o.addressing_style},
                    retries={"mode": "standard", "max_attempts": 5},
                    # Many S3-compatible services reject the checksums boto3 adds by default;
                    # each upload carries its Content-MD5 instead.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                ),
            )
        return self._client

    def _call(self, what: str, fn: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise PublishError(
                _("%(where)s: %(what)s failed — %(error)s", where=self.describe(), what=what, error=exc)
            ) from None

    def local(self, site: Path) -> dict[str, str]:
        return {rel: digest(path, "md5") for rel, path in files(site)}

    def remote(self) -> dict[str, str]:
        """Key (without the prefix) → MD5 from the ETag; multipart ETags never match, so they are re-sent."""

        def listing() -> dict[str, str]:
            paginator = self.client.get_paginator("list_objects_v2")
            pages = paginator.paginate(Bucket=self.bucket, Prefix=self.prefix)
            return {
                obj["Key"][len(self.prefix) :]: obj["ETag"].strip('"')
                for page in pages
                for obj in page.get("Contents", [])
            }

        return self._call(_("listing the bucket"), listing)

    def changes(self, site: Path) -> Changes:
        return compare(self.remote(), self.local(site))

    def cache_control(self, rel: str) -> str:
        if content_type(rel).startswith("text/html"):
            return self.options.html_cache_control
        for prefix, value in self.cache_rules:
            if rel.startswith(prefix):
                return value
        return self.options.default_cache_control

    def order(self, rel: str) -> tuple[int, str]:
        """Upload order: what pages load (cached assets, images, fonts) first, other files, pages last."""
        kind = content_type(rel)
        if kind.startswith("text/html"):
            return 2, rel
        cached = any(rel.startswith(prefix) for prefix, _ in self.cache_rules)
        if cached or kind.startswith(("image/", "font/")):
            return 0, rel
        return 1, rel

    def live_file(self, rel: str) -> bytes | None:
        return None

    def deploy(
        self, site: Path, release: Release, host: Path | None, changes: Changes, checkpoint: Checkpoint
    ) -> Release:
        for rel in sorted((*changes.added, *changes.changed), key=self.order):
            body = (site / rel).read_bytes()
            self._call(
                _("uploading %(file)s", file=rel),
                self.client.put_object,
                Bucket=self.bucket,
                Key=self.prefix + rel,
                Body=body,
                ContentType=content_type(rel),
                CacheControl=self.cache_control(rel),
                ContentMD5=base64.b64encode(hashlib.md5(body).digest()).decode(),
            )
            checkpoint("uploading")
        checkpoint("before-delete")
        stale = [self.prefix + rel for rel in changes.removed]
        for start in range(0, len(stale), DELETE_BATCH):
            batch = [{"Key": key} for key in stale[start : start + DELETE_BATCH]]
            done = self._call(
                _("deleting stale objects"),
                self.client.delete_objects,
                Bucket=self.bucket,
                Delete={"Objects": batch, "Quiet": True},
            )
            if done.get("Errors"):
                first = done["Errors"][0]
                reason = first.get("Message", "")
                raise PublishError(
                    _(
                        "%(where)s%(key)s: not deleted — %(reason)s",
                        where=self.describe(),
                        key=first["Key"],
                        reason=reason,
                    )
                )
        checkpoint("swapped")
        return release

    def releases(self) -> list[Release]:
        raise PublishError(self._no_releases())

    def rollback(self, to: str | None = None) -> tuple[Release, Release]:
        raise PublishError(self._no_releases())

    def _no_releases(self) -> str:
        return _(
            "%(where)s: a bucket keeps no earlier release — publish the earlier commit again "
            "(git switch --detach <commit> && invoke publish --force)",
            where=self.describe(),
        )
