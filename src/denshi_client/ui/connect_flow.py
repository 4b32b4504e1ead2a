"""The guided connect sequence, as the user sees it.

The order itself (hours → OTP request → OTP entry → VPN → login → ready) is enforced by the
core's `SessionMachine`; this controller only schedules its blocking calls on the worker,
asks for the OTP at the one moment e-mail still works, and keeps the step list and the
error texts in view.

After the OTP request it also watches the user's mailbox for the fund's mail (ui/otp_mail_watch.py) and
fills the code into the dialog; with `otp_mail.auto_continue` the visit then goes on by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from denshi_client.errors import error_text
from denshi_client.ui.connect_steps import ConnectSteps
from denshi_client.ui.message_box import give_text_room
from denshi_client.ui.otp_dialog import OtpDialog
from denshi_client.ui.otp_mail_watch import MailPlan, OtpMailWatch, mail_plan_for
from denshi_client.ui.worker import run_in_background

log = logging.getLogger(__name__)

# Phase value → (step to mark active, steps already done)
_PHASE_STEPS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "checking_hours": ("hours", ()),
    "requesting_otp": ("otp_request", ("hours",)),
    "awaiting_otp": ("otp_entry", ("hours", "otp_request")),
    "connecting_vpn": ("vpn", ("hours", "otp_request", "otp_entry")),
    "logging_in": ("login", ("hours", "otp_request", "otp_entry", "vpn")),
    "awaiting_otp_retry": ("login", ("hours", "otp_request", "otp_entry", "vpn")),
    "ready": (None, ("hours", "otp_request", "otp_entry", "vpn", "login", "ready")),
}


class ConnectFlow(QObject):
    """Drives one visit from the 接続 button to READY; `failed` carries (message, hint)."""

    failed = Signal(str, str)
    otp_dialog_shown = Signal(object)   # the OtpDialog (tests and screenshots reach it here)
    busy_changed = Signal(bool)

    def __init__(self, bridge: Any, steps: ConnectSteps, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.bridge = bridge
        self.steps = steps
        self.parent_widget = parent_widget
        self.dialog: OtpDialog | None = None
        self._running = False
        self._failed_step: str | None = None
        self.watch: OtpMailWatch | None = None
        # Mail counts from the moment of the OTP request, by the wall clock: mail servers stamp real time.
        self.wall_clock: Callable[[], datetime] = _wall_now
        self._since: datetime | None = None
        self._submitted: set[str] = set()
        # Worker thread, before the OTP request: what would waste the OTP (ui/visit_panel.py); raises DenshiError.
        self.preflight: Callable[[str], None] | None = None
        bridge.event.connect(self._on_event)

    # ----- steps from the machine's phases ----------------------------------------------------
    def _on_event(self, ev: Any) -> None:
        if ev.kind != "phase_changed":
            return
        phase = ev.snapshot.phase.value
        if phase in _PHASE_STEPS:
            active, done = _PHASE_STEPS[phase]
            if phase == "checking_hours":
                self.steps.reset()
                self._failed_step = None
            for sid in done:
                self.steps.set_step(sid, "done")
            if active:
                self.steps.set_step(active, "active")
            self._failed_step = active
        elif phase == "failed" and self._failed_step:
            self.steps.set_step(self._failed_step, "failed")

    # ----- the sequence -------------------------------------------------------------------------
    def start(self, *, request_otp: bool = True) -> None:
        pid = self.bridge.active_id()
        if pid is None:
            self.failed.emit(self.tr("事業所が登録されていません。"),
                             self.tr("「ファイル」→「設定」の「事業所」タブで、事業所を追加してください。"))
            return
        if self._running:
            return
        self._set_running(True)
        self.steps.reset()
        # "I already have the OTP": nothing was requested, so no new mail is coming; the dialog is as before.
        self._since = self.wall_clock() if request_otp else None
        self._submitted.clear()
        preflight = self.preflight

        def begin() -> None:
            if preflight is not None:
                preflight(pid)
            self.bridge.start(pid, request_otp=request_otp)

        run_in_background(begin, self._otp_requested, self._error)

    def _otp_requested(self, _: Any) -> None:
        from denshi_client.session.model import Phase

        if self.bridge.phase() is not Phase.AWAITING_OTP:  # cancelled meanwhile
            self._set_running(False)
            return
        self.ask_otp()

    def ask_otp(self, error: str = "", *, retry: bool = False) -> None:
        """The OTP dialog. `retry`: the service refused the OTP and the VPN is kept up: the same
        mail's code is typed again (no mail can arrive now, so no mailbox watch)."""
        plan = mail_plan_for(self.bridge) if self._since is not None and not retry else None
        demo_otp = None if plan is not None else self.bridge.demo_otp()
        hint = ""
        if plan is not None and plan.demo:
            hint = self.tr("デモモード: 基金からのメールの代わりに、デモ用の模擬メールボックスから読み取ります。")
        elif demo_otp:
            hint = self.tr("デモモード: 基金からのメールの代わりに、ワンタイムパスワードは「%1」です。").replace(
                "%1", demo_otp)
        prof = self.bridge.active_profile()
        browser = self.bridge.is_browser_mode()
        # what the connect did about the OTP: the dialog's first line says that, and nothing else
        request = ("retry" if retry else "none" if self._since is None else
                   ("page_opened" if getattr(prof, "otp_url", "") else "no_page") if browser else "sent")
        self.dialog = OtpDialog(self.parent_widget, user_id=getattr(prof, "user_id", ""), demo_hint=hint,
                                required=not browser, error=error, request=request)
        self.dialog.finished.connect(self._otp_dialog_done)
        self.dialog.open()
        if plan is not None and self._since is not None:
            self._watch_mail(plan, self._since, self.dialog)
        self.otp_dialog_shown.emit(self.dialog)

    # ----- the mailbox --------------------------------------------------------------------------
    def _watch_mail(self, plan: MailPlan, since: datetime, dlg: OtpDialog) -> None:
        self._stop_watch()
        dlg.set_mail_waiting()
        watch = OtpMailWatch(plan, since, self)
        watch.found.connect(lambda hit: self._mail_found(dlg, plan, hit))
        watch.failed.connect(lambda msg, hint: self._mail_failed(dlg, msg, hint))
        self.watch = watch
        watch.start()

    def _mail_found(self, dlg: OtpDialog, plan: MailPlan, hit: Any) -> None:
        if self.dialog is not dlg:  # the dialog is gone (the stop came too late for a queued result)
            return
        if hit.otp in self._submitted:
            dlg.show_mail_problem(self.tr("メールのワンタイムパスワードは、先ほど受け付けられなかったものと同じです。"),
                                  self.tr("新しいメールが届いている場合は、そのワンタイムパスワードを入力してください。"))
            return
        filled = dlg.offer_mail_code(hit.otp)
        ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
        if filled and plan.auto_continue and ok.isEnabled():
            log.info("mail: OTP filled in from the mail; continuing by itself (otp_mail.auto_continue)")
            dlg.accept()

    def _mail_failed(self, dlg: OtpDialog, message: str, hint: str) -> None:
        if self.dialog is dlg:
            dlg.show_mail_problem(message, hint)

    def _stop_watch(self) -> None:
        watch, self.watch = self.watch, None
        if watch is not None:
            watch.stop()
            watch.deleteLater()

    def _otp_dialog_done(self, result: int) -> None:
        dlg = self.dialog
        self.dialog = None
        self._stop_watch()
        if dlg is None:
            return
        retry = dlg.request == "retry"
        if result != QDialog.DialogCode.Accepted:
            from denshi_client.session.model import EndCause

            self.steps.reset()
            # the retype given up: the VPN is up, so this end disconnects, and the end message says so
            self.bridge.end_async(EndCause.OTP_ABANDONED if retry else EndCause.USER,
                                  lambda *_: self._set_running(False))
            return
        otp = dlg.otp() or None
        if otp:
            self._submitted.add(otp)
        dlg.deleteLater()
        if retry:
            code = otp or ""
            run_in_background(lambda: self.bridge.retry_otp(code), self._connected, self._submit_error)
            return
        run_in_background(lambda: self.bridge.submit_otp(otp), self._connected, self._submit_error)

    def _connected(self, _: Any) -> None:
        self._set_running(False)

    def _submit_error(self, exc: BaseException) -> None:
        from denshi_client.errors import ValidationError
        from denshi_client.session.model import OtpRefused, Phase

        phase = self.bridge.phase()
        if isinstance(exc, ValidationError) and phase is Phase.AWAITING_OTP:
            msg, _hint = error_text(exc)
            self.ask_otp(msg)
            return
        if isinstance(exc, (OtpRefused, ValidationError)) and phase is Phase.AWAITING_OTP_RETRY:
            msg, _hint = error_text(exc)  # the service refused it: the VPN is kept up, the same code again
            self.ask_otp(msg, retry=True)
            return
        self._error(exc)

    def _error(self, exc: BaseException) -> None:
        self._set_running(False)
        if self._failed_step:
            self.steps.set_step(self._failed_step, "failed")
        msg, hint = error_text(exc)
        log.info("connect flow failed: %s", getattr(exc, "code", type(exc).__name__))
        self.failed.emit(msg, hint)

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.busy_changed.emit(running)

    @property
    def running(self) -> bool:
        return self._running


def _wall_now() -> datetime:
    from denshi_client.clock import SystemClock

    return SystemClock().now()


def show_error(parent: QWidget, title: str, message: str, hint: str) -> QMessageBox:
    """Non-blocking error box: the event loop (and the session clock) keeps running."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if hint:
        box.setInformativeText(hint)
    give_text_room(box)
    box.open()
    return box
