"""「メール設定をテスト」, shared by the settings dialog and the first-start wizard.

`check_mailbox` runs on the worker: it logs in with what is on screen (the typed password, else the one in
the credential store), looks at the last 24 hours without marking anything, and logs out. `check_text`
turns its result into one short Japanese report on the GUI thread. The password never leaves the call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication

from denshi_client.mail.source import MailAccount


def _tr(text: str) -> str:
    return QCoreApplication.translate("MailCheck", text)


@dataclass(frozen=True)
class MailCheck:
    where: str  # user@host:port — no password
    seconds: float
    protocol: str
    idle: bool
    otp_mail: str  # found | none | unknown (no sender set)


def check_mailbox(account: MailAccount, typed_password: str, sender: str, subject: str) -> MailCheck:
    """Worker thread: one login, one look at the last day, one logout."""
    from denshi_client.mail.account import load_password, make_source
    from denshi_client.mail.recognise import OtpRule, find_otp

    password = typed_password or load_password()
    source = make_source(account, password, use_idle=True)
    start = time.monotonic()
    source.connect()
    try:
        since = datetime.now(UTC) - timedelta(days=1)
        mails = source.fetch_since(since)
    finally:
        source.close()
    found = "unknown"
    if sender.strip():
        found = "found" if find_otp(mails, OtpRule.from_settings(sender, subject), since) is not None else "none"
    return MailCheck(f"{account.user}@{account.host}:{account.effective_port}", time.monotonic() - start,
                     account.protocol, bool(getattr(source, "idle_supported", False)), found)


def check_text(result: MailCheck) -> str:
    text = _tr("メールボックスに接続できました（%1、%2 秒）。").replace("%1", result.where).replace(
        "%2", f"{result.seconds:.1f}")
    if result.idle:
        text += "\n" + _tr("新着メールはすぐに通知されます（IMAP IDLE）。")
    elif result.protocol == "imap":
        text += "\n" + _tr("このサーバーは新着の通知（IDLE）に対応していないため、定期的に確認します。")
    if result.otp_mail == "found":
        text += "\n" + _tr("過去24時間に、基金からのワンタイムパスワードのメールが見つかりました。")
    elif result.otp_mail == "none":
        text += "\n" + _tr("過去24時間には、送信元アドレスと件名の条件に合うメールはありませんでした"
                           "（まだ一度も届いていない場合は問題ありません）。")
    return text


def failure_text(exc: BaseException) -> str:
    from denshi_client.ui.otp_mail_watch import mail_problem_text

    message, hint = mail_problem_text(exc)
    return message + (f"\n{hint}" if hint else "")
