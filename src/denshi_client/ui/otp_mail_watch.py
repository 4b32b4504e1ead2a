"""Reads the fund's OTP mail while the OTP dialog is open, off the GUI thread (issue 15).

Which mailbox: the demo's Maildir in demo mode, otherwise the one in settings `[mail]`/`[otp_mail]` with
the password from the credential store. With no mailbox set up there is no plan and the OTP dialog
behaves as it always did. The wait itself is the core's `wait_for_otp` on the worker's waiting pool; the
result comes back by signal, and closing the dialog cancels the wait. Neither the code nor the mail's
body is ever logged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from denshi_client.mail.recognise import OtpHit, OtpRule
from denshi_client.mail.source import MailSource
from denshi_client.ui.worker import run_in_background

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("OtpMailWatch", text)


@dataclass(frozen=True)
class MailPlan:
    """How to watch for the OTP mail: `prepare` runs on the worker (keyring, settings; no network)."""

    prepare: Callable[[], tuple[MailSource, OtpRule]]
    timeout_s: float
    auto_continue: bool
    demo: bool = False


def mail_plan_for(bridge: Any) -> MailPlan | None:
    """The demo's Maildir, the configured mailbox, or None when no mailbox is set up."""
    from denshi_client.services import current_settings

    try:
        eff: Any = current_settings()
    except Exception as exc:  # a broken settings file: the dialog works as before; the settings screen says why
        log.warning("mail: settings unreadable, not watching for the OTP mail (%s)", type(exc).__name__)
        eff = None
    timeout = float(eff.otp_mail.timeout_seconds) if eff is not None else 300.0
    auto = bool(eff.otp_mail.auto_continue) if eff is not None else False
    demo = getattr(bridge, "demo", None)
    if demo is not None and callable(getattr(demo, "mail_source", None)):
        def prepare_demo() -> tuple[MailSource, OtpRule]:
            return demo.mail_source(), demo.otp_rule()

        return MailPlan(prepare_demo, timeout, auto, demo=True)
    if eff is None:
        return None
    m = eff.mail
    if m.protocol == "none" or not str(m.host).strip() or not str(m.user).strip():
        return None

    def prepare() -> tuple[MailSource, OtpRule]:
        from denshi_client.mail.account import account_from_settings, load_password, make_source, rule_from_settings

        rule = rule_from_settings(eff)
        return make_source(account_from_settings(eff), load_password(), poll_seconds=m.poll_seconds), rule

    return MailPlan(prepare, timeout, auto)


def _N(text: str) -> str:  # marks a text for the translation catalogue; translated where it is shown
    return str(QT_TRANSLATE_NOOP("OtpMailWatch", text))


_SETTINGS_HINTS = {
    "mail_login": _N("［設定］→［メール］のユーザー名とパスワードをご確認ください。"
                    "Microsoft 365 や Gmail では、アプリ パスワードが必要な場合があります。"),
    "mail_password_missing": _N("［設定］→［メール］でパスワードを入力して保存してください。"),
    "mail_certificate": _N("［設定］→［メール］のサーバー名と「ルート証明書ファイル」をご確認ください。"),
    "mail_ca_bundle": _N("［設定］→［メール］の「ルート証明書ファイル」をご確認ください。"),
    "mail_tls": _N("［設定］→［メール］のポート番号と暗号化の方式（SSL/TLS・STARTTLS）の組み合わせをご確認ください。"),
    "mail_no_starttls": _N("［設定］→［メール］の暗号化を「SSL/TLS」にしてお試しください。"),
    "mail_host": _N("［設定］→［メール］のサーバー名をご確認ください。"),
    "mail_refused": _N("［設定］→［メール］のサーバー名とポート番号をご確認ください。"),
    "mail_connect": _N("［設定］→［メール］のサーバー名とポート番号をご確認ください。"),
    "mail_timeout": _N("［設定］→［メール］のサーバー名とポート番号をご確認ください。VPN 接続中はメールを受信できない"
                        "場合があります。"),
    "mail_folder": _N("［設定］→［メール］の「受信フォルダー」をご確認ください（通常は INBOX）。"),
    "otp_sender_missing": _N("［設定］→［メール］で「送信元アドレス」を入力してください。"),
    "mail_not_configured": _N("［設定］→［メール］でサーバー名とユーザー名を入力してください。"),
}


def mail_problem_text(exc: BaseException) -> tuple[str, str]:
    """(what happened, which setting to check) in the GUI's words — the core's hints name CLI commands."""
    from denshi_client.errors import DenshiError, error_text
    from denshi_client.mail.errors import OtpTimeout

    if isinstance(exc, OtpTimeout):
        return (_tr("基金からのワンタイムパスワードのメールが、待ち時間内に見つかりませんでした。"),
                _tr("メールが届いている場合は、コードを入力してください。自動で読み取るには、［設定］→［メール］の"
                    "「送信元アドレス」と「件名に含まれる語句」がそのメールと合っているかご確認ください。"))
    code = getattr(exc, "code", "")
    hint = _SETTINGS_HINTS.get(code, _N("［設定］→［メール］の内容をご確認ください。"))
    if isinstance(exc, DenshiError):
        return error_text(exc)[0], _tr(hint)  # the core's words; the hint names the GUI's setting, not a command
    log.warning("mail: unexpected failure while watching for the OTP mail (%s)", type(exc).__name__)
    return _tr("メールを確認できませんでした。"), _tr(hint)


class OtpMailWatch(QObject):
    """One wait for the OTP mail; `found(OtpHit)` or `failed(message, hint)`, and nothing after `stop()`."""

    found = Signal(object)
    failed = Signal(str, str)

    def __init__(self, plan: MailPlan, since: datetime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.since = since
        self._cancel = threading.Event()
        self._active = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)  # a wait must not hold the quit up

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        from denshi_client.mail.otp import wait_for_otp

        plan, since, cancel = self.plan, self.since, self._cancel

        def work() -> OtpHit:  # worker thread: no widget, no signal of ours
            source, rule = plan.prepare()
            return wait_for_otp(source, rule, since, plan.timeout_s, cancel=cancel)

        self._active = True
        run_in_background(work, self._done, self._error, waits=True)

    def stop(self) -> None:
        """Ends the wait (within one IDLE/poll slice on the worker); no result is delivered after this."""
        self._cancel.set()
        self._active = False

    def _done(self, hit: OtpHit) -> None:
        if not self._active:
            return
        self._active = False
        self.found.emit(hit)

    def _error(self, exc: BaseException) -> None:
        if not self._active:
            return
        self._active = False
        message, hint = mail_problem_text(exc)
        log.info("mail: OTP mail watch ended without a code (%s)", getattr(exc, "code", type(exc).__name__))
        self.failed.emit(message, hint)
