"""``invoke digest``: the week's news of the share kit, sent to a real SMTP server and a webhook on 127.0.0.1.

The SMTP server is aiosmtpd with STARTTLS required before a login, on a
certificate made for the test and trusted through ``SSL_CERT_FILE``, as a
company's relay would be. The webhook is a local HTTP server that answers as
Slack and Teams do, or fails the way they sometimes do.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import json
import socket
import ssl
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from plugins.advocacy import digest, digest_command
from tests.support import FIXTURES, PREVIEW_CONF, article, profile, settings_of, site_overrides, write_site

TODAY = "2026-12-04"
SHARES = FIXTURES / "advocacy" / "shares"
SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont"),
    "experts/denis-masque.yml": profile("Denis Masqué", published=False),
    "content/shares/campaigns.yml": (SHARES / "campaigns.yml").read_text(encoding="utf-8"),
    "content/shares/rapport-public.md": (SHARES / "rapport-public.md").read_text(encoding="utf-8"),
    "content/shares/ancien.md": """
        Title: Un élément d'octobre qui finit bientôt
        URL: https://www.example.org/octobre
        Date: 2026-10-01
        Share-Until: 2026-12-08
        Lang: fr
        Share: Un texte d'octobre.
    """,
    "content/articles/nouveau.md": article(
        "Un article de la semaine", "alice-dupont", date="2026-12-02T09:00:00+01:00"
    ),
    "content/articles/avec-denis.md": article(
        "Écrit avec quelqu'un qui s'est retiré",
        "alice-dupont, denis-masque",
        date="2026-12-03T09:00:00+01:00",
    ),
    "content/articles/vieux.md": article(
        "Un vieil article", "alice-dupont", date="2026-10-02T09:00:00+02:00"
    ),
    "content/articles/brouillon.md": article(
        "Un brouillon", "alice-dupont", date="2026-12-03T09:00:00+01:00", status="draft"
    ),
}


@pytest.fixture
def settings(tmp_path) -> dict:
    base = write_site(tmp_path / "site", SITE)
    return settings_of(
        PREVIEW_CONF,
        **site_overrides(base),
        ADVOCACY={
            "today": TODAY,
            "digest": {"kit_url": "https://intranet.clairvoie.example/kit/", "retry_delay": 0},
        },
    )


def test_what_is_new_over_the_week(settings):
    found = digest.gather(settings, digest.since_day("7d", dt.date(2026, 12, 4)), dt.date(2026, 12, 4))
    assert found.start == dt.date(2026, 11, 28)
    assert [e.title for e in found.items] == ["Un rapport public à partager"]
    assert found.items[0].kit_url == "https://intranet.clairvoie.example/kit/#item-rapport-public"
    assert [(e.title, e.authors) for e in found.articles] == [
        ("Écrit avec quelqu'un qui s'est retiré", ("Alice Dupont",)),
        ("Un article de la semaine", ("Alice Dupont",)),
    ]
    assert [c.slug for c in found.campaigns] == ["semaine-test"]
    assert [e.title for e in found.ending] == ["Un élément d'octobre qui finit bientôt"]


# --- a real SMTP server with STARTTLS -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, its own authority."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class Mailbox:
    """What the server accepted, and which recipients it refuses."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.logins: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(certificate, monkeypatch):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"digest" and auth_data.password == b"s3cret"
        if ok:
            mailbox.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    # The client trusts the test's authority, as it would a company's.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    yield mailbox, port
    controller.stop()


def env_for(port: int, **extra: str) -> dict[str, str]:
    return {
        "DIGEST_SMTP_HOST": "127.0.0.1",
        "DIGEST_SMTP_PORT": str(port),
        "DIGEST_SMTP_USER": "digest",
        "DIGEST_SMTP_PASSWORD": "s3cret",
        "DIGEST_FROM": "Programme ambassadeurs <ambassadeurs@clairvoie.example>",
        **extra,
    }


def send(settings: dict, tmp_path: Path, env: dict, sleep=lambda s: None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = digest_command.main(
        settings, since="7d", send=True, out_dir=tmp_path / "digest", env=env, out=out, err=err, sleep=sleep
    )
    return status, out.getvalue(), err.getvalue()


def parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}


def test_the_digest_reaches_the_smtp_server_in_each_readers_language(settings, tmp_path, smtp):
    mailbox, port = smtp
    env = env_for(port, DIGEST_TO="equipe@clairvoie.example, en:team@clairvoie.example")
    status, out, err = send(settings, tmp_path, env)
    assert status == 0, err
    assert mailbox.logins == ["digest", "digest"], "logged in for each language, after STARTTLS"
    (to_fr, fr), (to_en, en) = mailbox.received
    assert to_fr == ["equipe@clairvoie.example"] and to_en == ["team@clairvoie.example"]
    assert fr["Subject"] == "Kit de partage : 4 nouveautés depuis le 28 novembre"
    assert en["Subject"] == "Share kit: 4 new since November 28"
    assert fr.get_content_type() == "multipart/alternative" and fr["Content-Language"] == "fr"
    body = parts(fr)
    assert set(body) == {"text/plain", "text/html"}
    for text in body.values():
        assert "Un rapport public à partager" in text
        assert "Un article de la semaine" in text
        assert "Semaine de test" in text
        assert "https://intranet.clairvoie.example/kit/#item-rapport-public" in text
        assert "Denis" not in text, "an unpublished co-author is named nowhere"
    assert "Nouveau dans le kit" in body["text/plain"] and "Derniers jours dans le kit" in body["text/plain"]
    assert "Un brouillon" not in body["text/plain"] and "Un vieil article" not in body["text/plain"]
    assert "New in the kit" in parts(en)["text/plain"]
    assert "Sent: e-mail in fr to equipe@clairvoie.example" in out


def test_a_refused_recipient_gets_nothing_and_neither_does_the_rest_of_the_list(settings, tmp_path, smtp):
    mailbox, port = smtp
    mailbox.refuse = {"parti@clairvoie.example"}
    env = env_for(
        port, DIGEST_TO="equipe@clairvoie.example, parti@clairvoie.example, en:team@clairvoie.example"
    )
    waits: list[float] = []
    status, out, err = send(settings, tmp_path, env, waits.append)
    assert status == 1
    assert [to for to, _ in mailbox.received] == [["team@clairvoie.example"]], "the French list got nothing"
    assert "Not sent: e-mail in fr to equipe@clairvoie.example, parti@clairvoie.example" in err
    assert "parti@clairvoie.example (550)" in err and "nobody was sent it" in err
    assert waits == [], "a refusal for good is not tried again"
    # The address is removed from the list; the same command sends what is left, and nothing twice.
    env["DIGEST_TO"] = "equipe@clairvoie.example, en:team@clairvoie.example"
    status, out, err = send(settings, tmp_path, env)
    assert status == 0, err
    assert [to for to, _ in mailbox.received] == [["team@clairvoie.example"], ["equipe@clairvoie.example"]]
    assert "Already sent: e-mail in en to team@clairvoie.example" in out


def test_a_server_that_is_down_is_tried_again_then_reported(settings, tmp_path, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    waits: list[float] = []
    env = env_for(free_port(), DIGEST_TO="equipe@clairvoie.example")
    status, out, err = send(settings, tmp_path, env, waits.append)
    assert status == 1
    assert waits == [0.0, 0.0], "three tries in all (ADVOCACY digest retries)"
    assert "Not sent: e-mail in fr to equipe@clairvoie.example" in err
    assert "1 of 1 deliveries failed" in err


def test_nothing_leaves_while_a_setting_is_missing(settings, tmp_path):
    status, out, err = send(settings, tmp_path, {"DIGEST_TO": "equipe@clairvoie.example"})
    assert status == 1
    assert "DIGEST_SMTP_HOST is not" in err and "no sender" in err and "Nothing was sent." in err


# --- webhooks --------------------------------------------------------------------------------------


class Hook(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[str, dict]] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        code = self.answers.pop(0) if self.answers else 200
        if code == 200:
            self.received.append((self.path, body))
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b"ok" if code == 200 else b"busy")

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    Hook.answers, Hook.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_slack_and_teams_messages_reach_their_webhooks(settings, tmp_path, hook):
    Hook.answers = [503, 503]  # busy twice, then fine: three tries are allowed
    waits: list[float] = []
    env = {"DIGEST_SLACK_WEBHOOKS": f"{hook}/slack", "DIGEST_TEAMS_WEBHOOKS": f"en:{hook}/teams"}
    status, out, err = send(settings, tmp_path, env, waits.append)
    assert status == 0, err
    assert waits == [0.0, 0.0]
    (slack_path, slack), (teams_path, teams) = Hook.received
    assert slack_path == "/slack" and slack["text"] == "Kit de partage : 4 nouveautés depuis le 28 novembre"
    assert (
        "<https://intranet.clairvoie.example/kit/#item-rapport-public|Un rapport public à partager>"
        in json.dumps(slack, ensure_ascii=False)
    )
    card = teams["attachments"][0]["content"]
    assert teams_path == "/teams" and card["type"] == "AdaptiveCard" and card["lang"] == "en"
    assert card["actions"][0]["url"] == "https://intranet.clairvoie.example/kit/"


def test_a_webhook_that_refuses_is_reported_without_retrying(settings, tmp_path, hook):
    Hook.answers = [404]
    waits: list[float] = []
    status, out, err = send(settings, tmp_path, {"DIGEST_SLACK_WEBHOOKS": f"{hook}/gone"}, waits.append)
    assert status == 1 and waits == [] and "HTTP 404" in err


def test_without_send_the_messages_are_only_written(settings, tmp_path):
    out = io.StringIO()
    status = digest_command.main(
        settings, since="7d", out_dir=tmp_path / "digest", env={}, out=out, err=io.StringIO()
    )
    assert status == 0
    written = {p.name for p in (tmp_path / "digest").iterdir()}
    assert written == {
        f"{kind}-{lang}.{ext}"
        for kind, ext in (
            ("digest", "eml"),
            ("digest", "html"),
            ("digest", "txt"),
            ("slack", "json"),
            ("teams", "json"),
        )
        for lang in ("en", "fr")
    }
    eml = email.message_from_bytes(
        (tmp_path / "digest" / "digest-fr.eml").read_bytes(), policy=email.policy.default
    )
    assert eml.get_content_type() == "multipart/alternative"
    assert "--send" in out.getvalue()


def test_a_since_that_is_not_a_duration_is_refused(settings, tmp_path):
    err = io.StringIO()
    assert (
        digest_command.main(
            settings, since="la semaine", out_dir=tmp_path, env={}, out=io.StringIO(), err=err
        )
        == 2
    )
    assert "--since 'la semaine' is not understood" in err.getvalue()
