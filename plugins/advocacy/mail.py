"""Sending the digest: e-mail over SMTP with STARTTLS, and chat messages to webhooks.

Where to is read from the environment, so that no address, server or secret
lives in git (the scheduled workflow passes them from the repository's
secrets):

==========================  ==================================================================
``DIGEST_TO``               recipients, comma-separated; ``en:team@…`` for a reader of English
                            (without a prefix: the site's language)
``DIGEST_FROM``             the sender (else ``ADVOCACY["digest"]["sender"]``)
``DIGEST_SMTP_HOST``        the SMTP server; ``DIGEST_SMTP_PORT`` (default 587)
``DIGEST_SMTP_USER``        the login and ``DIGEST_SMTP_PASSWORD`` its password, when the server
                            asks for one
``DIGEST_SLACK_WEBHOOKS``   Slack incoming-webhook URLs, comma-separated, ``en:`` as above
``DIGEST_TEAMS_WEBHOOKS``   Teams Workflows webhook URLs, the same way
==========================  ==================================================================

Each delivery (one language's e-mail to its recipients, one webhook) is tried
``retries`` times, the wait doubling, then reported. An e-mail goes to all of
its recipients or to none: every recipient is accepted by the server before the
message is handed over, otherwise the transaction is reset. The server's
certificate is checked (the system's authorities, or ``SSL_CERT_FILE``), and
STARTTLS is required before any password or message is sent.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_LINES
from email.utils import format_datetime, make_msgid
from ipaddress import ip_address
from urllib.parse import urlsplit

from ambassade.i18n import _

from .digest import Message


class SendError(Exception):
    """A delivery failed for good; ``permanent``: trying again will not help."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class Delivery:
    kind: str
    """``email``, ``slack`` or ``teams``."""
    lang: str
    targets: tuple[str, ...]
    """E-mail addresses (one transaction), or one webhook URL."""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.lang}:{','.join(self.targets)}"

    def describe(self) -> str:
        if self.kind == "email":
            return _("e-mail in %(lang)s to %(to)s", lang=self.lang, to=", ".join(self.targets))
        return _(
            "%(kind)s message in %(lang)s to %(host)s",
            kind=self.kind.capitalize(),
            lang=self.lang,
            host=urlsplit(self.targets[0]).hostname,
        )


def by_language(value: str, languages: Sequence[str], default: str) -> dict[str, list[str]]:
    """``"fr:a@x, en:b@y, c@z"`` → ``{"fr": ["a@x", "c@z"], "en": ["b@y"]}`` (no prefix: ``default``)."""
    out: dict[str, list[str]] = {}
    for part in value.replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lang, sep, rest = part.partition(":")
        if sep and lang in languages:
            out.setdefault(lang, []).append(rest.strip())
        else:
            out.setdefault(default, []).append(part)
    return out


def deliveries(env: Mapping[str, str], languages: Sequence[str], default: str) -> list[Delivery]:
    out = [
        Delivery("email", lang, tuple(to))
        for lang, to in by_language(env.get("DIGEST_TO", ""), languages, default).items()
    ]
    for kind in ("slack", "teams"):
        for lang, urls in by_language(
            env.get(f"DIGEST_{kind.upper()}_WEBHOOKS", ""), languages, default
        ).items():
            out += [Delivery(kind, lang, (url,)) for url in urls]
    return out


def email(message: Message, sender: str, to: Sequence[str]) -> EmailMessage:
    """The digest as one multipart e-mail: plain text, and HTML as the alternative."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = format_datetime(_now())
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    # Out-of-office replies should not answer a robot.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    # After the content: setting it clears the Content-* headers.
    mail["Content-Language"] = message.lang
    return mail


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    user: str
    password: str
    timeout: float

    @classmethod
    def from_env(cls, env: Mapping[str, str], timeout: float) -> Smtp | None:
        host = env.get("DIGEST_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(
            host,
            int(env.get("DIGEST_SMTP_PORT") or 587),
            env.get("DIGEST_SMTP_USER", ""),
            env.get("DIGEST_SMTP_PASSWORD", ""),
            timeout,
        )

    def send(self, mail: EmailMessage, sender: str, to: Sequence[str]) -> None:
        """One transaction: every recipient accepted, then the message; else nothing is sent."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise SendError(
                        _("the server does not offer STARTTLS: nothing is sent in the clear"), True
                    )
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
                if self.user:
                    smtp.login(self.user, self.password)
                code, reply = smtp.mail(sender)
                if code != 250:
                    raise smtplib.SMTPSenderRefused(code, reply, sender)
                refused = {}
                for address in to:
                    code, reply = smtp.rcpt(address)
                    if code not in (250, 251):
                        refused[address] = (code, reply)
                if refused:
                    smtp.rset()
                    raise smtplib.SMTPRecipientsRefused(refused)
                # SMTP's line ends (smtplib fixes them in text, not in bytes).
                code, reply = smtp.data(mail.as_bytes(policy=SMTP_LINES))
                if code != 250:
                    raise smtplib.SMTPDataError(code, reply)
        except smtplib.SMTPRecipientsRefused as exc:
            worst = max(code for code, _reply in exc.recipients.values())
            names = ", ".join(f"{a} ({c})" for a, (c, _r) in exc.recipients.items())
            raise SendError(
                _("recipients refused: %(names)s; nobody was sent it", names=names), worst >= 500
            ) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(_("the login was refused (%(code)s)", code=exc.smtp_code), True) from None
        except smtplib.SMTPResponseException as exc:
            reply = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            raise SendError(f"{exc.smtp_code} {reply}", exc.smtp_code >= 500) from None
        except ssl.SSLError as exc:
            raise SendError(_("TLS failed (%(error)s)", error=exc.reason or exc), True) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(str(exc) or type(exc).__name__) from None


def post_json(url: str, payload: dict, timeout: float) -> None:
    """POST ``payload`` to a webhook; a 5xx or 429 answer may be tried again, another error not."""
    parts = urlsplit(url)
    loopback = parts.hostname is not None and _is_loopback(parts.hostname)
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise SendError(_("a webhook URL must be https"), True)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "ambassade-digest"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https checked above
            response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code}", permanent=exc.code < 500 and exc.code != 429) from None
    except (urllib.error.URLError, OSError) as exc:
        raise SendError(str(getattr(exc, "reason", exc))) from None


def _is_loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def attempt(
    send: Callable[[], None], retries: int, delay: float, sleep: Callable[[float], None] = time.sleep
) -> None:
    """``send``, tried up to ``retries`` times while its failure is not permanent, the wait doubling."""
    for n in range(1, retries + 1):
        try:
            send()
            return
        except SendError as exc:
            if exc.permanent or n == retries:
                raise
            sleep(delay * 2 ** (n - 1))


def environ() -> Mapping[str, str]:
    return os.environ
