"""Settings of the production build: `invoke publish`.

Everything of pelicanconf.py, minus what only reviewers may see: drafts and
scheduled articles are neither listed nor written.
"""

from pathlib import Path

from pelican.settings import get_settings_from_file

# Every setting of the preview (pelicanconf.py, beside this file), then what production changes.
globals().update(get_settings_from_file(str(Path(__file__).with_name("pelicanconf.py"))))

SITEURL = "https://clairvoie.example"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

PREVIEW = False
WITH_FUTURE_DATES = False
# Pelican writes drafts (and future-dated articles, which it turns into
# drafts) to their own URL; in production they must not exist at all.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# Headers the host must send with every response. A static site cannot send
# headers itself: the hosting plugin writes them beside the output (output-host/,
# never served), in the forms hosts read, from its defaults (ambassade/headers.py)
# and this dict; the moved pages' 301s go with them (_redirects, nginx-redirects.conf).
#   Netlify, Cloudflare Pages:  copy output-host/_headers and _redirects into what they deploy.
#   nginx:  `include /srv/site/host/nginx-headers.conf;` and `…/nginx-redirects.conf;`
#           inside the server block (the folder and rsync targets keep them in <path>/host).
#   Any other host: configure the same values by hand —
#     Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';
#       object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
#       (no inline script or style, nothing from another origin; the search needs WebAssembly)
#     Referrer-Policy: no-referrer
#     X-Content-Type-Options: nosniff
#     Permissions-Policy: interest-cohort=(), camera=(), microphone=(), geolocation=()
#     Cache-Control: public, max-age=604800   on /theme/* and /pagefind/* only
# The browser tests (tests/browser) serve the site with exactly these headers.
# Keys: csp, referrer_policy, permissions_policy, extra_headers, cache, headers_file, nginx_file,
# redirects_file, nginx_redirects_file.
HOSTING = {
    # HSTS only where the site is served over HTTPS: production.
    "extra_headers": {"Strict-Transport-Security": "max-age=31536000"},
}

# Where `invoke publish` deploys the verified production build, from which
# branch, and what `invoke releases` lists and `invoke rollback` switches back
# (ambassade/publish/settings.py: every key, its default and what it means).
# CI sets the target from the repository's variables and secrets
# (.github/workflows/publish.yml): each option below reads its environment
# variable, so nothing about the servers lives in git.
#   target          "folder" (default), "rsync", "gh-pages" or "s3"   PUBLISH_TARGET
#   branch, remote  only the pushed head of this branch is published ("main", "origin"),
#                   committed; `invoke publish --force` goes through and the release says so
#   keep            releases kept by folder and rsync (rollback needs 2)
#   allow_internal  publish share kit, leaderboard and dashboard (a site behind a login only)
#   folder          path: the folder served; the web root is <path>/current,
#                   the web server's files (nginx snippets) are in <path>/host        PUBLISH_PATH
#   rsync           host, user, port, path (same layout over SSH), ssh_options, rsync_options
#                   PUBLISH_RSYNC_HOST, PUBLISH_RSYNC_USER, PUBLISH_RSYNC_PORT, PUBLISH_PATH
#   gh_pages        repo (URL or path), branch, cname        PUBLISH_GH_PAGES_REPO, …_BRANCH, …_CNAME
#   s3              bucket, prefix, endpoint_url (any S3-compatible service), region, cache lifetimes
#                   PUBLISH_S3_BUCKET, PUBLISH_S3_PREFIX, PUBLISH_S3_ENDPOINT_URL, AWS_REGION;
#                   credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself
# Without PUBLISH_TARGET, `invoke publish` deploys to public/ here: a local try-out.
import os  # noqa: E402

_env = os.environ.get
PUBLISH = {
    "target": _env("PUBLISH_TARGET") or "folder",
    "branch": "main",
    "folder": {"path": _env("PUBLISH_PATH") or str(Path(__file__).resolve().parent / "public")},
    "rsync": {
        "host": _env("PUBLISH_RSYNC_HOST", ""),
        "user": _env("PUBLISH_RSYNC_USER", ""),
        "port": int(_env("PUBLISH_RSYNC_PORT") or 22),
        "path": _env("PUBLISH_PATH", ""),
    },
    "gh_pages": {
        "repo": _env("PUBLISH_GH_PAGES_REPO", ""),
        "branch": _env("PUBLISH_GH_PAGES_BRANCH") or "gh-pages",
        "cname": _env("PUBLISH_GH_PAGES_CNAME", ""),
    },
    "s3": {
        "bucket": _env("PUBLISH_S3_BUCKET", ""),
        "prefix": _env("PUBLISH_S3_PREFIX", ""),
        "endpoint_url": _env("PUBLISH_S3_ENDPOINT_URL", ""),
        "region": _env("AWS_REGION", ""),
    },
}
