"""Never stranded, Qt side: every way the app can go away ends the session first.

Users' most common failure is a VPN left up (no internet, no e-mail). So: closing the window
while connected asks a clear question; quitting ends the session (QUIT); Windows log-off and
shutdown end it through the session manager (SHUTDOWN), synchronously but bounded, because
the event loop will not run again; a suspend notice on Windows ends it (SLEEP) before the
network goes; elsewhere the core's clock-jump detector notices the resume.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from denshi_client.ui.message_box import give_text_room

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

log = logging.getLogger(__name__)

WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x0004
END_TIMEOUT_S = 20.0      # quit / log-off: long enough for logout + vpncmd disconnect
SLEEP_TIMEOUT_S = 1.5     # Windows gives a suspend notice about two seconds


class CloseChoice:
    KEEP_IN_TRAY = "tray"
    DISCONNECT_AND_QUIT = "quit"
    CANCEL = "cancel"


def ask_close_choice(parent: QWidget, tray_available: bool, remaining_text: str) -> tuple[QMessageBox, dict]:
    """The window is closing while connected: keep running (tray) or disconnect and quit.

    Returns the (not yet shown) box and a mapping button → choice, so tests can click.
    """
    box = QMessageBox(parent)
    box.setObjectName("closeChoice")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("CloseChoice", "VPN接続中です"))
    box.setText(QCoreApplication.translate("CloseChoice", "VPNに接続したままです。どうしますか？"))
    info = QCoreApplication.translate("CloseChoice", "VPN接続中は、このPCでインターネットとメールが使えません。")
    if remaining_text:
        info += "\n" + QCoreApplication.translate("CloseChoice", "自動切断まで %1 です。").replace("%1", remaining_text)
    box.setInformativeText(info)
    give_text_room(box)
    if tray_available:
        keep_text = QCoreApplication.translate("CloseChoice", "タスクトレイで実行を続ける(&T)")
    else:
        keep_text = QCoreApplication.translate("CloseChoice", "最小化して実行を続ける(&M)")
    keep: QPushButton = box.addButton(keep_text, QMessageBox.ButtonRole.AcceptRole)
    quit_text = QCoreApplication.translate("CloseChoice", "切断して終了(&D)")
    quit_btn: QPushButton = box.addButton(quit_text, QMessageBox.ButtonRole.DestructiveRole)
    cancel_text = QCoreApplication.translate("CloseChoice", "キャンセル")
    cancel: QPushButton = box.addButton(cancel_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(quit_btn)
    box.setEscapeButton(cancel)
    keep.setObjectName("keepRunning")
    quit_btn.setObjectName("disconnectAndQuit")
    cancel.setObjectName("cancelClose")
    return box, {keep: CloseChoice.KEEP_IN_TRAY, quit_btn: CloseChoice.DISCONNECT_AND_QUIT,
                 cancel: CloseChoice.CANCEL}


class SuspendFilter(QAbstractNativeEventFilter):
    """Windows only: WM_POWERBROADCAST / PBT_APMSUSPEND → end the session with SLEEP."""

    def __init__(self, on_suspend: Any) -> None:
        super().__init__()
        self._on_suspend = on_suspend

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:
        try:
            if bytes(event_type) == b"windows_generic_MSG":
                import ctypes.wintypes

                msg = ctypes.wintypes.MSG.from_address(int(message))
                if msg.message == WM_POWERBROADCAST and msg.wParam == PBT_APMSUSPEND:
                    self._on_suspend()
        except Exception:  # never let a filter bug break the event loop
            log.exception("suspend filter failed")
        return False, 0


def install_platform_hooks(app: Any, bridge: SessionBridge, owner: QObject) -> list[Any]:
    """Session manager + suspend hooks; returns what must be kept alive."""
    keep: list[Any] = []

    def end_if_active(cause_name: str, timeout: float) -> None:
        from denshi_client.session.model import EndCause

        cause = EndCause[cause_name]
        snap = bridge.snapshot()
        if snap is not None and snap.phase.active:
            log.info("ending the session: %s", cause.value)
            bridge.end_bounded(cause, timeout)

    def on_commit(manager: Any) -> None:  # Windows log-off / shutdown
        end_if_active("SHUTDOWN", END_TIMEOUT_S)

    app.commitDataRequest.connect(on_commit)
    app.aboutToQuit.connect(lambda: end_if_active("QUIT", END_TIMEOUT_S))
    if sys.platform == "win32":
        f = SuspendFilter(lambda: end_if_active("SLEEP", SLEEP_TIMEOUT_S))
        app.installNativeEventFilter(f)
        keep.append(f)
    keep.append(on_commit)
    _ = owner
    return keep


class QuitFlow:
    """How the main window goes away: the close question while connected, the tray, and quitting
    (end the session with QUIT first, bounded, then release the core and leave the event loop).

    The window keeps what tests and slots read (`close_box`, `last_close_choice`, `quit_app`);
    this class holds the decisions.
    """

    QUIT_LIMIT_MS = 25000  # a stuck logout or vpncmd cannot hold the app open longer

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.quitting = False
        self._done = False
        self._tray_hint_shown = False

    def on_close(self, event: QCloseEvent) -> None:
        w = self.w
        if self.quitting:
            event.accept()
            return
        event.ignore()
        snap = w.bridge.snapshot()
        if snap is not None and (snap.phase.busy or (w.flow is not None and w.flow.running)):
            from denshi_client.ui.status_header import format_remaining

            remaining = format_remaining(int(snap.remaining_s)) if snap.remaining_s is not None else ""
            box, choices = ask_close_choice(w, w.tray_available(), remaining)
            w.close_box = box

            def chosen(_: int) -> None:
                choice = choices.get(box.clickedButton(), CloseChoice.CANCEL)
                w.close_box = None
                self.apply_choice(choice)

            box.finished.connect(chosen)
            box.open()
            return
        if w.tray_available() and _minimize_to_tray_setting():
            w.hide()
            if not self._tray_hint_shown:
                self._tray_hint_shown = True
                w.tray.notify(QCoreApplication.translate("MainWindow", "電子連携クライアント"),
                              QCoreApplication.translate("MainWindow", "タスクトレイで実行を続けています。"))
            return
        self.request_quit()

    def apply_choice(self, choice: str) -> None:
        w = self.w
        w.last_close_choice = choice
        if choice == CloseChoice.KEEP_IN_TRAY:
            if w.tray_available():
                w.hide()
                text = QCoreApplication.translate(
                    "MainWindow", "タスクトレイで実行を続けています。切断はアイコンのメニューからできます。")
                w.tray.notify(QCoreApplication.translate("MainWindow", "VPN接続中です"), text)
            else:
                w.showMinimized()
        elif choice == CloseChoice.DISCONNECT_AND_QUIT:
            self.request_quit()

    def request_quit(self) -> None:
        """Quit = end the session (QUIT) first, then leave; bounded so a stuck vpncmd cannot hold us."""
        from PySide6.QtCore import QTimer

        from denshi_client.session.model import EndCause

        w = self.w
        if self.quitting:
            return
        self.quitting = True
        if w.views_built:
            w.outbox.cancel_all()
            w.inbox.cancel()
        snap = w.bridge.snapshot()
        if snap is not None and snap.phase.busy:
            w.header.set_state("ending", QCoreApplication.translate(
                "MainWindow", "ログアウトしてVPNを切断しています。終了までお待ちください..."))
            w.setEnabled(False)
            QTimer.singleShot(self.QUIT_LIMIT_MS, self._finish)
            w.bridge.end_async(EndCause.QUIT, lambda *_: self._finish())
        else:
            self._finish()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        w = self.w
        if w.tray is not None:
            w.tray.hide()
        w.bridge.close()
        try:
            if w.bridge.services is not None:
                w.bridge.services.close()
            if w.demo is not None and hasattr(w.demo, "stop"):
                w.demo.stop()
        except Exception:
            log.exception("closing services failed")
        w.close()
        w.quit_app()


def _minimize_to_tray_setting() -> bool:
    """Read on every close, so a change made in the settings meanwhile counts."""
    try:
        from denshi_client.services import current_ui_settings

        return bool(current_ui_settings().minimize_to_tray)
    except Exception:
        return False
