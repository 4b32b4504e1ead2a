"""The notification-area icon: state at a glance, remaining time on hover, connect/disconnect.

Users forget that the VPN is up, so the tray is the reminder once the window is closed.
The app must also work where there is no tray (some Windows shells, offscreen tests): then
every call here is a no-op and the window keeps the user informed instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from denshi_client.ui.icons import state_icon


class Tray(QObject):
    connect_requested = Signal()
    disconnect_requested = Signal()
    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, force: bool | None = None) -> None:
        super().__init__(parent)
        available = QSystemTrayIcon.isSystemTrayAvailable() if force is None else force
        self.icon: QSystemTrayIcon | None = None
        self.menu = QMenu(parent)
        self.menu.setObjectName("trayMenu")
        self.act_connect = QAction(self.tr("接続(&C)"), self)
        self.act_disconnect = QAction(self.tr("切断(&D)"), self)
        self.act_show = QAction(self.tr("ウィンドウを表示(&W)"), self)
        self.act_quit = QAction(self.tr("終了(&Q)"), self)
        self.act_connect.triggered.connect(self.connect_requested)
        self.act_disconnect.triggered.connect(self.disconnect_requested)
        self.act_show.triggered.connect(self.show_requested)
        self.act_quit.triggered.connect(self.quit_requested)
        for a in (self.act_connect, self.act_disconnect, self.act_show):
            self.menu.addAction(a)
        self.menu.addSeparator()
        self.menu.addAction(self.act_quit)
        self.state = "offline"
        self.tooltip = ""
        if available:
            self.icon = QSystemTrayIcon(state_icon("offline"), self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.show()
        self.set_state("offline", self.tr("電子連携クライアント（未接続）"))

    @property
    def available(self) -> bool:
        return self.icon is not None

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def set_state(self, state: str, tooltip: str) -> None:
        """`state`: offline | connecting | connected | warning."""
        self.state = state
        self.tooltip = tooltip
        self.act_connect.setEnabled(state == "offline")
        self.act_disconnect.setEnabled(state != "offline")
        if self.icon is not None:
            self.icon.setIcon(state_icon(state))
            self.icon.setToolTip(tooltip)

    def notify(self, title: str, message: str, *, critical: bool = False, msecs: int = 10000) -> None:
        if self.icon is None or not QSystemTrayIcon.supportsMessages():
            return
        kind = QSystemTrayIcon.MessageIcon.Critical if critical else QSystemTrayIcon.MessageIcon.Information
        self.icon.showMessage(title, message, kind, msecs)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
