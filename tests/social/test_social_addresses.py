"""fetch refuses internal addresses, after the name is resolved and on every redirect."""

from __future__ import annotations

import io
import ipaddress
import socket
import time

import pytest
from rich.console import Console

from plugins.social.addresses import networks, refusal
from plugins.social.command import run_fetch
from plugins.social.settings import SocialSettings
from tests.social.social_helpers import DEADLINE, FeedServer, Project, fixture_bytes, respond


def fetch(project: Project):
    return run_fetch(project.settings, console=Console(file=io.StringIO(), width=120))


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "reserved"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_which_addresses_are_refused(address: str, kind: str | None) -> None:
    assert refusal(ipaddress.ip_address(address), ()) == kind


def test_allowed_networks_are_reached_and_only_them() -> None:
    allowed = networks(["127.0.0.1", "10.0.0.0/8"])
    assert refusal(ipaddress.ip_address("127.0.0.1"), allowed) is None
    assert refusal(ipaddress.ip_address("10.200.0.1"), allowed) is None
    assert refusal(ipaddress.ip_address("127.0.0.2"), allowed) == "loopback"


def test_a_feed_on_this_machine_is_refused_by_default(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    del project.social["allow_addresses"]
    report = fetch(project)
    assert report.results[0].status == "failed"
    assert "127.0.0.1 (loopback), not a public address" in report.results[0].error
    assert feed_server.requests_to("/feed") == []


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://127.0.0.2:8080/feed", "loopback"),
        ("http://10.0.0.1/feed", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/feed", "loopback"),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(
    project: Project, feed_server: FeedServer, target: str, kind: str
) -> None:
    url = feed_server.route("/feed", lambda h: respond(h, status=302, headers={"Location": target}))
    project.expert("claire-martin", feeds=[url])
    report = fetch(project)
    assert report.results[0].status == "failed"
    assert f"({kind}), not a public address" in report.results[0].error


def test_a_lookup_that_hangs_ends_with_the_deadline(
    project: Project, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    guarded = socket.getaddrinfo

    def slow_resolver(host, *args, **kwargs):
        if host == "slow-dns.example":
            time.sleep(DEADLINE + 1)
        return guarded(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_resolver)
    project.expert("claire-martin", feeds=["http://slow-dns.example/feed"])
    start = time.monotonic()
    report = fetch(project)
    assert time.monotonic() - start < DEADLINE + 0.9
    assert report.results[0].status == "failed" and "timed out" in report.results[0].error


def test_allow_addresses_must_be_addresses() -> None:
    with pytest.raises(Exception, match="allow_addresses"):
        SocialSettings.from_settings({"SOCIAL": {"allow_addresses": ["localhost"]}})
