"""The guided connect sequence, as the user sees it.

The order itself (hours → OTP request → OTP entry → VPN → login → ready) is enforced by the
core's `SessionMachine`; this controller only schedules its blocking calls on the worker,
asks for the OTP at the one moment e-mail still works, and keeps the step list and the
error texts in view.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from denshi_client.errors import error_text
from denshi_client.ui.connect_steps import ConnectSteps
from denshi_client.ui.message_box import give_text_room
from denshi_client.ui.otp_dialog import OtpDialog
from denshi_client.ui.worker import run_in_background

log = logging.getLogger(__name__)

# Phase value → (step to mark active, steps already done)
_PHASE_STEPS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "checking_hours": ("hours", ()),
    "requesting_otp": ("otp_request", ("hours",)),
    "awaiting_otp": ("otp_entry", ("hours", "otp_request")),
    "connecting_vpn": ("vpn", ("hours", "otp_request", "otp_entry")),
    "logging_in": ("login", ("hours", "otp_request", "otp_entry", "vpn")),
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
        run_in_background(lambda: self.bridge.start(pid, request_otp=request_otp), self._otp_requested, self._error)

    def _otp_requested(self, _: Any) -> None:
        from denshi_client.session.model import Phase

        if self.bridge.phase() is not Phase.AWAITING_OTP:  # cancelled meanwhile
            self._set_running(False)
            return
        self.ask_otp()

    def ask_otp(self, error: str = "") -> None:
        demo_otp = self.bridge.demo_otp()
        hint = ""
        if demo_otp:
            hint = self.tr("デモモード: 基金からのメールの代わりに、ワンタイムパスワードは「%1」です。").replace(
                "%1", demo_otp)
        prof = self.bridge.active_profile()
        self.dialog = OtpDialog(self.parent_widget, user_id=getattr(prof, "user_id", ""), demo_hint=hint,
                                required=not self.bridge.is_browser_mode(), error=error)
        self.dialog.finished.connect(self._otp_dialog_done)
        self.dialog.open()
        self.otp_dialog_shown.emit(self.dialog)

    def _otp_dialog_done(self, result: int) -> None:
        dlg = self.dialog
        self.dialog = None
        if dlg is None:
            return
        if result != QDialog.DialogCode.Accepted:
            from denshi_client.session.model import EndCause

            self.steps.reset()
            self.bridge.end_async(EndCause.USER, lambda *_: self._set_running(False))
            return
        otp = dlg.otp() or None
        dlg.deleteLater()
        run_in_background(lambda: self.bridge.submit_otp(otp), self._connected, self._submit_error)

    def _connected(self, _: Any) -> None:
        self._set_running(False)

    def _submit_error(self, exc: BaseException) -> None:
        from denshi_client.errors import ValidationError
        from denshi_client.session.model import Phase

        if isinstance(exc, ValidationError) and self.bridge.phase() is Phase.AWAITING_OTP:
            msg, _hint = error_text(exc)
            self.ask_otp(msg)
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


def show_error(parent: QWidget, title: str, message: str, hint: str) -> QMessageBox:
    """Non-blocking error box: the event loop (and the session clock) keeps running."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if hint:
        box.setInformativeText(hint)
    give_text_room(box)
    box.open()
    return box
