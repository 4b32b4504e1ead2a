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
