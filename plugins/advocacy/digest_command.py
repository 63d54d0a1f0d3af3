"""``invoke digest [--since 7d] [--send]``: write the digest of the share kit, and send it.

Without ``--send`` the messages are only written (``digest/``: each language's
e-mail as ``.eml``, ``.txt`` and ``.html``, its Slack and Teams messages as
JSON) for a look before anything goes out. With ``--send``, every setting
is checked before the first message leaves; then each delivery is sent
(mail.py), and noted in ``digest/sent.json`` once done, so that running the
command again after a failure sends what failed and nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from ambassade.i18n import _

from . import mail
from .digest import DigestError, gather, message, since_day
from .settings import AdvocacySettings
from .sources import build_date

STATE = "sent.json"


def write(out_dir: Path, messages, sender: str, recipients: Mapping[str, list[str]]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for m in messages:
        files = {
            f"digest-{m.lang}.txt": m.text,
            f"digest-{m.lang}.html": m.html,
            f"digest-{m.lang}.eml": mail.email(
                m, sender or "ambassade@localhost", recipients.get(m.lang, [])
            ).as_string(),
            f"slack-{m.lang}.json": json.dumps(m.slack, ensure_ascii=False, indent=2) + "\n",
            f"teams-{m.lang}.json": json.dumps(m.teams, ensure_ascii=False, indent=2) + "\n",
        }
        for name, text in files.items():
            path = out_dir / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _state(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): list(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_state(path: Path, state: dict[str, list[str]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def main(
    settings: dict,
    *,
    since: str = "7d",
    send: bool = False,
    out_dir: Path,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    env = os.environ if env is None else env
    conf = AdvocacySettings.of(settings)
    today = build_date(conf.today, settings["TIMEZONE"])
    try:
        start = since_day(since, today)
    except DigestError:
        print(
            _(
                "--since %(value)r is not understood: a number of days or weeks (7d, 2w) "
                "or a day (2026-11-27)",
                value=since,
            ),
            file=err,
        )
        return 2
    digest = gather(settings, start, today)
    languages = list(settings.get("LANGUAGES") or (settings["DEFAULT_LANG"],))
    messages = [message(digest, settings, lang) for lang in languages]
    sender = env.get("DIGEST_FROM") or conf.digest.sender
    recipients = mail.by_language(env.get("DIGEST_TO", ""), languages, settings["DEFAULT_LANG"])
    for path in write(out_dir, messages, sender, recipients):
        print(_("Written: %(path)s", path=path), file=out)
    if digest.empty:
        print(
            _("Nothing new in the share kit since %(day)s: no digest to send.", day=start.isoformat()),
            file=out,
        )
        return 0
    if not send:
        print(_("Run it with --send to send it."), file=out)
        return 0

    todo = mail.deliveries(env, languages, settings["DEFAULT_LANG"])
    smtp = mail.Smtp.from_env(env, conf.digest.timeout)
    problems = []
    if not todo:
        problems.append(
            _("nowhere to send it: set DIGEST_TO, DIGEST_SLACK_WEBHOOKS or DIGEST_TEAMS_WEBHOOKS")
        )
    if any(d.kind == "email" for d in todo):
        if smtp is None:
            problems.append(_("DIGEST_TO is set but DIGEST_SMTP_HOST is not: which server sends the e-mail?"))
        if not sender:
            problems.append(_("no sender: set DIGEST_FROM, or ADVOCACY['digest']['sender']"))
    if problems:
        for problem in problems:
            print(_("digest: %(problem)s", problem=problem), file=err)
        print(_("Nothing was sent."), file=err)
        return 1

    by_lang = {m.lang: m for m in messages}
    key = hashlib.sha256("\n".join(m.text for m in messages).encode("utf-8")).hexdigest()[:16]
    state_path = out_dir / STATE
    state = _state(state_path)
    done = set(state.get(key, []))
    failed = []
    for delivery in todo:
        if delivery.key in done:
            print(_("Already sent: %(what)s", what=delivery.describe()), file=out)
            continue
        m = by_lang[delivery.lang]
        if delivery.kind == "email":

            def send_it(m=m, d=delivery):
                smtp.send(mail.email(m, sender, d.targets), sender, d.targets)
        else:

            def send_it(m=m, d=delivery):
                mail.post_json(d.targets[0], m.slack if d.kind == "slack" else m.teams, conf.digest.timeout)

        try:
            mail.attempt(send_it, conf.digest.retries, conf.digest.retry_delay, sleep)
        except mail.SendError as exc:
            failed.append((delivery, str(exc)))
            print(_("Not sent: %(what)s: %(reason)s", what=delivery.describe(), reason=exc), file=err)
            continue
        done.add(delivery.key)
        state[key] = sorted(done)
        _save_state(state_path, state)
        print(_("Sent: %(what)s", what=delivery.describe()), file=out)
    if failed:
        print(
            _(
                "%(failed)s of %(total)s deliveries failed; run the command again to send them "
                "(the others are not sent twice).",
                failed=len(failed),
                total=len(todo),
            ),
            file=err,
        )
        return 1
    return 0
