"""Keys and clicks anywhere in the app restart the session's idle count.

It watches the app's top-level windows (each window that gets the focus: the main window, dialogs),
not the whole application: every input event reaches its QWindow before any widget, and an
application-wide filter would make PySide wrap every QObject that receives any event — with the
embedded web page (Qt WebEngine's internal objects) that crashes PySide 6.12's type lookup.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication

from denshi_client.ui.session_bridge import SessionBridge

log = logging.getLogger(__name__)


class ActivityFilter(QObject):
    """Tells the bridge about user input, at most once a second."""

    def __init__(self, bridge: SessionBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self._last = 0.0
        self._kinds = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

    def watch(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)  # installing again only moves it to the front

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in self._kinds:
            now = time.monotonic()
            if now - self._last > 1.0:
                self._last = now
                try:
                    self.bridge.touch()
                except Exception:
                    log.debug("touch failed", exc_info=True)
        return False


def watch_activity(bridge: SessionBridge, main: QWindow | None) -> ActivityFilter | None:
    """A filter on the main window, the focused window, and every window that gets the focus later
    (None without a QApplication)."""
    app = QApplication.instance()
    if app is None:
        return None
    activity = ActivityFilter(bridge)
    activity.watch(main)
    activity.watch(QGuiApplication.focusWindow())
    if isinstance(app, QGuiApplication):
        app.focusWindowChanged.connect(activity.watch)
    return activity
