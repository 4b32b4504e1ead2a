"""CLI: `denshi-client mail setup|test` and `denshi-client otp wait` — the OTP from the mailbox.

The mail password comes only from standard input and goes straight into the credential store. The OTP is
printed (that is the command's purpose) but never logged. Exit codes: 20 = the mailbox failed (connection,
certificate, login), 21 = no OTP mail before the time-out (see docs/cli.md).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from denshi_client.cli.output import EXIT_OK, add_json_flag, emit, read_password_stdin
from denshi_client.errors import ValidationError
from denshi_client.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mail", help="the mailbox the fund's one-time password is read from (OTP メール)")
    add_json_flag(p)
    ms = p.add_subparsers(dest="mail_cmd", metavar="ACTION")

    se = ms.add_parser("setup", help="set the mailbox; the password is read from standard input into the keyring")
    se.add_argument("--protocol", required=True, choices=["imap", "pop3"])
    se.add_argument("--host", required=True)
    se.add_argument("--port", type=int, default=0, help="default: 993/143 (IMAP) or 995/110 (POP3)")
    se.add_argument("--security", choices=["ssl", "starttls"], default="ssl",
                    help="ssl = implicit TLS (default); starttls = plain port upgraded before login")
    se.add_argument("--user", required=True)
    se.add_argument("--password-stdin", action="store_true", required=True,
                    help="read the password (or app password) from one line of standard input")
    se.add_argument("--ca-bundle", type=Path, help="CA certificate file (PEM) when the server uses a private CA")
    se.add_argument("--folder", default="INBOX", help="IMAP folder (default INBOX)")
    add_json_flag(se)
    se.set_defaults(handler=_setup)

    te = ms.add_parser("test", help="log in to the configured mailbox; exit 0 only when it works")
    add_json_flag(te)
    te.set_defaults(handler=_test)


def _setup(ns: argparse.Namespace) -> int:
    from denshi_client.mail.account import store_password
    from denshi_client.mail.tls import make_context
    from denshi_client.store.settings import set_user_value

    if not 0 <= ns.port <= 65535:
        raise ValidationError("ポート番号は 0〜65535 で指定してください。", "The port must be 0-65535.",
                              code="mail_port")
    if not ns.host.strip() or not ns.user.strip():
        raise ValidationError("サーバー名とユーザー名を指定してください。", "Give the host and the user.",
                              code="mail_account")
    ca = str(ns.ca_bundle.resolve()) if ns.ca_bundle else ""
    if ca:
        make_context(ca)  # a missing or unreadable file is refused now, not at the first OTP
    password = read_password_stdin()
    values = {"mail.protocol": ns.protocol, "mail.host": ns.host.strip(), "mail.port": ns.port,
              "mail.security": ns.security, "mail.user": ns.user.strip(), "mail.ca_bundle": ca,
              "mail.folder": ns.folder}
    for key, value in values.items():
        set_user_value(key, value)
    store_password(password)
    data = {"ok": True, **{k.split(".", 1)[1]: v for k, v in values.items()}, "password_stored": True}
    emit(data, ns.json, pick(
        f"メールボックスを設定しました（{ns.protocol} {ns.user}@{ns.host}）。パスワードは資格情報マネージャーに"
        "保存しました。`denshi-client mail test` で接続を確認できます。",
        f"Mailbox set ({ns.protocol} {ns.user}@{ns.host}); the password is in the credential store. "
        "Check it with `denshi-client mail test`."))
    return EXIT_OK


def _test(ns: argparse.Namespace) -> int:
    from denshi_client.mail.account import account_from_settings, load_password, make_source
    from denshi_client.store.settings import load_effective_settings

    eff = load_effective_settings()
    acct = account_from_settings(eff)
    src = make_source(acct, load_password(), poll_seconds=eff.mail.poll_seconds)
    start = time.monotonic()
    src.connect()
    try:
        recent = len(src.fetch_since(datetime.now(UTC) - timedelta(days=1)))
    finally:
        src.close()
    elapsed = time.monotonic() - start
    idle = bool(getattr(src, "idle_supported", False))
    data = {"ok": True, "protocol": acct.protocol, "host": acct.host, "port": acct.effective_port,
            "security": acct.security, "user": acct.user, "folder": acct.folder if acct.protocol == "imap" else None,
            "idle": idle, "messages_last_24h": recent, "elapsed_ms": round(elapsed * 1000)}
    emit(data, bool(getattr(ns, "json", False)), pick(
        f"メールボックスに接続できました（{acct.describe()}、{elapsed:.1f} 秒）。"
        f"新着の通知（IDLE）: {'使えます' if idle else '使えません（定期的に確認します）'}",
        f"Logged in to {acct.describe()} in {elapsed:.1f} s. Push (IDLE): "
        f"{'available' if idle else 'not available (polling)'}."))
    return EXIT_OK


# --------------------------------------------------------------------------- otp wait

def register_otp(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("otp", help="the fund's one-time password from the mailbox (ワンタイムパスワード)")
    add_json_flag(p)
    os_ = p.add_subparsers(dest="otp_cmd", metavar="ACTION")
    w = os_.add_parser("wait", help="wait for the fund's OTP mail and print the code")
    w.add_argument("--since", help="only mail that arrived at or after this time (ISO-8601; default: now; "
                                   "without a zone: this computer's local time)")
    w.add_argument("--timeout", type=float, help="seconds to wait (default: otp_mail.timeout_seconds)")
    add_json_flag(w)
    w.set_defaults(handler=_otp_wait)


def parse_since(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        d = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"--since「{text}」は ISO-8601 の日時として読めません（例: 2026-12-02T10:15:00+09:00）。",
                              f"--since “{text}” is not an ISO-8601 time (example: 2026-12-02T10:15:00+09:00).",
                              code="otp_since") from None
    return d if d.tzinfo else d.astimezone()


def _otp_wait(ns: argparse.Namespace) -> int:
    from denshi_client.mail.account import configured_source, rule_from_settings
    from denshi_client.mail.otp import wait_for_otp
    from denshi_client.store.settings import load_effective_settings

    since = parse_since(ns.since)
    eff = load_effective_settings()
    timeout = eff.otp_mail.timeout_seconds if ns.timeout is None else ns.timeout
    if not 0 <= timeout <= 24 * 3600:
        raise ValidationError("--timeout は 0〜86400 秒で指定してください。", "--timeout must be 0-86400 seconds.",
                              code="otp_timeout_value")
    rule = rule_from_settings(eff)
    hit = wait_for_otp(configured_source(eff), rule, since, timeout)
    emit(hit.to_dict(), ns.json, pick(
        f"ワンタイムパスワード: {hit.otp}\n  受信: {hit.received_at.astimezone().isoformat()}  送信元: {hit.from_addr}",
        f"One-time password: {hit.otp}\n  received: {hit.received_at.astimezone().isoformat()}  from: {hit.from_addr}"))
    return EXIT_OK
