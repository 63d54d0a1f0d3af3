"""The S3 target against a local S3 server (moto, on 127.0.0.1): the bucket ends with exactly the site."""

from __future__ import annotations

import pytest

from ambassade.publish import PublishError
from ambassade.publish.manifest import files
from ambassade.publish.targets.s3 import content_type
from tests.ambassade.publish.publish_helpers import SITE_V1, SITE_V2, Publisher, under_ci

try:
    import boto3
    from moto import server as moto_server
except ImportError:
    message = "boto3 and moto[server] are not installed — `make test` installs them (requirements-dev.txt)"
    if under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)

BUCKET = "clairvoie-site"


@pytest.fixture(scope="module")
def endpoint():
    with pytest.MonkeyPatch.context() as mp:
        # Dummy credentials and no user configuration: nothing here can reach a real account.
        dummies = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        }
        for name, value in dummies.items():
            mp.setenv(name, value)
        mp.delenv("AWS_PROFILE", raising=False)
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@pytest.fixture
def s3(endpoint):
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def pub(tmp_path, endpoint, s3):
    return Publisher(
        tmp_path,
        {
            "target": "s3",
            "s3": {
                "bucket": BUCKET,
                "endpoint_url": endpoint,
                "region": "us-east-1",
                "addressing_style": "path",
            },
        },
    )


def keys(s3) -> list[str]:
    return sorted(obj["Key"] for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def site_keys(site) -> list[str]:
    return sorted(rel for rel, _ in files(site))


def test_the_bucket_ends_with_exactly_the_site(pub, s3):
    s3.put_object(Bucket=BUCKET, Key="ancien/index.html", Body=b"stale")
    v1, v2 = pub.site("v1", SITE_V1), pub.site("v2", SITE_V2)
    first = pub.publish(v1)
    assert keys(s3) == site_keys(v1)
    assert first.changes.removed == ("ancien/index.html",)

    second = pub.publish(v2)
    assert keys(s3) == site_keys(v2)
    assert (second.changes.added, second.changes.changed, second.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    body = s3.get_object(Bucket=BUCKET, Key="index.html")["Body"].read()
    assert body == (v2 / "index.html").read_bytes()
    assert pub.publish(v2).release is None  # compared by content: nothing left to send


def test_each_object_has_its_type_and_cache_lifetime(pub, s3):
    pub.publish(pub.site("v1", SITE_V1))
    from ambassade.headers import ASSET_CACHE

    def head(key):
        meta = s3.head_object(Bucket=BUCKET, Key=key)
        return meta["ContentType"], meta.get("CacheControl")

    assert head("index.html") == ("text/html; charset=utf-8", "public, max-age=300")
    assert head("theme/css/site.css") == ("text/css; charset=utf-8", ASSET_CACHE)
    assert head("theme/js/search.js") == ("text/javascript; charset=utf-8", ASSET_CACHE)
    assert head("pagefind/fragment/fr_1a2b3c.pf_fragment") == ("application/octet-stream", ASSET_CACHE)
    assert head("images/logo.svg") == ("image/svg+xml; charset=utf-8", "public, max-age=3600")
    assert head("feeds/all.atom.xml") == ("application/atom+xml; charset=utf-8", "public, max-age=3600")


def test_assets_go_first_pages_next_and_stale_objects_last(pub, s3):
    pub.publish(pub.site("v1", SITE_V1))
    calls: list[tuple[str, str]] = []

    def record(params, **kwargs):
        if "Key" in params:
            calls.append(("put", params["Key"]))
        else:
            calls.append(("delete", params["Delete"]["Objects"][0]["Key"]))

    def recording_client(*args, **kwargs):
        client = real_client(*args, **kwargs)
        for op in ("PutObject", "DeleteObjects"):
            client.meta.events.register(f"before-parameter-build.s3.{op}", record)
        return client

    real_client = boto3.client
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(boto3, "client", recording_client)
        pub.publish(
            pub.site(
                "v3",
                {
                    **SITE_V2,
                    "theme/css/site.css": "body { color: #000; }\n",
                    "images/photo.svg": SITE_V1["images/logo.svg"].replace("10", "12"),
                },
            )
        )
    assert calls == [
        ("put", "images/photo.svg"),
        ("put", "theme/css/site.css"),
        ("put", "articles/nouveau/index.html"),
        ("put", "index.html"),
        ("delete", "feeds/all.atom.xml"),
    ]


def test_rollback_is_not_offered_and_says_what_to_do(pub):
    with pytest.raises(PublishError, match="a bucket keeps no earlier release — publish the earlier commit"):
        pub.rollback()
    with pytest.raises(PublishError, match="a bucket keeps no earlier release"):
        pub.releases()


def test_the_web_servers_files_never_reach_the_bucket(pub, s3):
    site = pub.site("v1", SITE_V1, host={"_headers": "/*\n  X-Content-Type-Options: nosniff\n"})
    pub.publish(site)
    assert keys(s3) == site_keys(site)
    assert "_headers" not in keys(s3)


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("pagefind/wasm.fr.pagefind", "application/octet-stream"),
        ("pagefind/pagefind-entry.json", "application/json; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("theme/social-card.png", "image/png"),
    ],
)
def test_content_types(rel, expected):
    assert content_type(rel) == expected
