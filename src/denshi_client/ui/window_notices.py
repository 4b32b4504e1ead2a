"""What the main window says when the session moves: connected, warned, about to go idle, ended,
new documents in, documents saved. The banner, the status line, the tray's balloon and the
"disconnected" box are all spoken from here; the window itself only lays them out.

A QObject child of the window, so its slots disconnect when the window goes. Texts keep the main
window's translation context ("MainWindow").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from denshi_client import i18n as core_i18n
from denshi_client.errors import error_text

if TYPE_CHECKING:
    from denshi_client.session import SessionEvent, Snapshot
    from denshi_client.session.model import ProbeResult
    from denshi_client.session.transfers import FiledDocument
    from denshi_client.ui.main_window import MainWindow


def after_disconnect_text(internet: ProbeResult | None) -> str:
    """Says only what the check after the disconnect saw (no check configured: the usual line)."""
    if internet is not None and not internet.ok:
        return QCoreApplication.translate(
            "MainWindow", "インターネットへの接続をまだ確認できません。しばらくしてからお試しください。")
    return QCoreApplication.translate("MainWindow", "インターネットとメールは通常どおり使えます。")


class WindowNotices(QObject):
    """Listens to the bridge and the views for the window (made in `MainWindow.__init__`)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        bridge = window.bridge
        bridge.event.connect(self.on_event)
        bridge.warning.connect(self.on_warning)
        bridge.idle_warning.connect(self.on_idle_warning)
        bridge.ended.connect(self.on_ended)

    def watch_views(self) -> None:
        """The inbox's news (after `ensure_views`)."""
        self.window.inbox.new_documents.connect(self.on_new_documents)
        self.window.inbox.downloaded.connect(self.on_downloaded)

    def on_event(self, ev: SessionEvent) -> None:
        from denshi_client.session.model import Phase

        w = self.window
        if ev.kind == "phase_changed" and ev.snapshot.phase is Phase.READY:
            if w.bridge.is_browser_mode() and w.web.wants_embedded():  # the status line says: log out there
                w.show_banner(QCoreApplication.translate(
                    "MainWindow", "接続しました。基金のページをこの画面に開きます。"), "ok")
            else:
                w.show_banner(QCoreApplication.translate(
                    "MainWindow", "接続しました。用事が済んだら「切断」を押してください。"), "ok")
            if not w.bridge.is_browser_mode():
                w.inbox.refresh()
        elif ev.kind == "internet_checked" and ev.snapshot.internet is not None:
            ok = ev.snapshot.internet.ok
            extra = QCoreApplication.translate("MainWindow", "インターネットへの接続が戻ったことを確認しました。") \
                if ok else after_disconnect_text(ev.snapshot.internet)
            w.statusBar().showMessage(extra, 15000)

    def on_warning(self, minutes: int, snap: Snapshot) -> None:
        which = QCoreApplication.translate("MainWindow", "サービス終了時刻") if snap.deadline_kind == "close" \
            else QCoreApplication.translate("MainWindow", "90分の接続上限")
        text = QCoreApplication.translate("MainWindow", "あと約%1分で自動的にログアウトしてVPNを切断します（%2）。"
                                                        "送受信中の作業は早めに済ませてください。")
        text = text.replace("%1", str(minutes)).replace("%2", which)
        self.window.show_banner(text, "warning")
        self.window.tray.notify(QCoreApplication.translate("MainWindow", "まもなく自動切断します"), text,
                                critical=minutes <= 1)

    def on_idle_warning(self, minutes: int, snap: Snapshot) -> None:
        text = QCoreApplication.translate(
            "MainWindow", "操作がないため、あと約%1分で自動的に切断します。続ける場合は画面を操作してください。")
        text = text.replace("%1", str(minutes))
        self.window.show_banner(text, "warning")
        self.window.tray.notify(QCoreApplication.translate("MainWindow", "まもなく自動切断します"), text)

    def on_ended(self, snap: Snapshot) -> None:
        from PySide6.QtWidgets import QMessageBox

        from denshi_client.session.model import EndCause

        w = self.window
        if self._ended_before_vpn(snap):
            return
        msg = core_i18n.pick(snap.end_message_ja, snap.end_message_en) or QCoreApplication.translate(
            "MainWindow", "VPNを切断しました。")
        if snap.error is not None:
            msg = error_text(snap.error)[0] + "\n" + msg
        w.show_banner(msg, "info" if snap.end_cause in (EndCause.USER, None) else "warning")
        w.tray.notify(QCoreApplication.translate("MainWindow", "VPNを切断しました"), msg)
        w.inbox.clear()
        w.outbox.cancel_all()
        w.steps.reset()
        w.history.refresh()
        if snap.end_cause not in (EndCause.USER, EndCause.QUIT, None) and not w.quitting and snap.error is None:
            w.end_box = QMessageBox(QMessageBox.Icon.Information,
                                    QCoreApplication.translate("MainWindow", "VPNを切断しました"), msg,
                                    QMessageBox.StandardButton.Ok, w)
            w.end_box.setObjectName("endBox")
            w.end_box.setInformativeText(after_disconnect_text(getattr(snap, "internet", None)))
            from denshi_client.ui.message_box import give_text_room

            give_text_room(w.end_box)
            w.end_box.open()

    def _ended_before_vpn(self, snap: Snapshot) -> bool:
        """Cancelled before the VPN started (the OTP dialog closed): nothing was disconnected, so say so."""
        from denshi_client.session.model import EndCause

        w = self.window
        visit = getattr(w, "visit", None)
        if visit is None or visit.vpn_was_up or snap.end_cause is not EndCause.USER or snap.error is not None:
            return False
        w.show_banner(QCoreApplication.translate(
            "MainWindow", "接続を取りやめました。VPNには接続していません。"), "info")
        w.steps.reset()
        return True

    def on_new_documents(self, n: int) -> None:
        text = QCoreApplication.translate("MainWindow", "基金から新しい書類が%1件届いています。").replace("%1", str(n))
        self.window.statusBar().showMessage(text, 15000)
        self.window.tray.notify(QCoreApplication.translate("MainWindow", "新着の書類"), text)

    def on_downloaded(self, filed: list[FiledDocument]) -> None:
        """Replaces a "N new documents" line that is no longer true once they are saved."""
        self.window.history.refresh()
        if filed:
            self.window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "%1件の書類を保存しました。").replace("%1", str(len(filed))),
                8000)
