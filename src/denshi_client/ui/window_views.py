"""The main window's three tabs and what comes with them, built once right after the first paint:
the tray and its menu, the connect flow, the platform's log-off/shutdown hooks, the inbox, outbox
and history views (each scrolling in its tab), the routine visit's panel and the embedded web page.

Texts keep the main window's translation context ("MainWindow").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QTabWidget, QWidget

if TYPE_CHECKING:
    from denshi_client.ui.main_window import MainWindow


class _FitArea(QScrollArea):
    """Gives the view the whole viewport and scrolls only below the view's minimum. (A resizable
    QScrollArea takes a word-wrapped label's height-for-width as the minimum: the inbox scrolled at
    1366x728 with 140 px its table could have given up.)"""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()  # its minimum may have changed (a panel shown or hidden)
        return super().eventFilter(obj, event)  # QScrollArea watches its widget (set in setWidget) too

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        view = self.widget()
        if view is None:
            return
        port = self.viewport().size()
        view.resize(max(port.width(), view.minimumSizeHint().width()),
                    max(port.height(), view.minimumSizeHint().height()))


def scrolled(view: QWidget) -> QWidget:
    """A view inside a frameless scroll area that resizes it: when the window is smaller than the view's
    minimum, the tab scrolls instead of pushing the window off the screen."""
    area = _FitArea()
    area.setObjectName(view.objectName() + "Scroll" if view.objectName() else "tabScroll")
    area.setWidget(view)
    area.setWidgetResizable(False)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def build_views(window: MainWindow) -> None:
    """Tray, connect flow, hooks, the tabs, the menus' actions, the visit panel and the web visit."""
    from denshi_client.ui import window_menus
    from denshi_client.ui.connect_flow import ConnectFlow
    from denshi_client.ui.history_view import HistoryView
    from denshi_client.ui.icons import app_icon
    from denshi_client.ui.inbox_view import InboxView
    from denshi_client.ui.lifecycle import install_platform_hooks
    from denshi_client.ui.outbox_view import OutboxView
    from denshi_client.ui.tray import Tray

    window.tray = window._tray_arg if window._tray_arg is not None else Tray(window)
    window.tray.connect_requested.connect(window._connect_from_tray)
    window.tray.disconnect_requested.connect(window.disconnect)
    window.tray.show_requested.connect(window.bring_to_front)
    window.tray.quit_requested.connect(window.request_quit)
    window.flow = ConnectFlow(window.bridge, window.steps, window)
    window.flow.failed.connect(window._flow_failed)
    window.flow.busy_changed.connect(lambda *_: window._render(window.bridge.snapshot()))
    app = QApplication.instance()
    if window._install_hooks and app is not None:
        window._hooks = install_platform_hooks(app, window.bridge, window)

    window.inbox = InboxView(window.bridge)
    window.outbox = OutboxView(window.bridge)
    window.history = HistoryView(window.bridge)
    window.tabs = tabs = QTabWidget()
    tabs.setObjectName("mainTabs")
    # each view scrolls inside its tab instead of making the window taller than the screen
    tabs.addTab(scrolled(window.inbox), QCoreApplication.translate("MainWindow", "受信箱(&1)"))
    tabs.addTab(scrolled(window.outbox), QCoreApplication.translate("MainWindow", "送信(&2)"))
    tabs.addTab(scrolled(window.history), QCoreApplication.translate("MainWindow", "送受信履歴(&3)"))
    central = window._central
    stretch = central.itemAt(central.count() - 1)
    if stretch is not None:
        central.removeItem(stretch)
    central.addWidget(tabs, 1)
    window.setTabOrder(window.disconnect_button, tabs)
    window.setWindowIcon(app_icon())
    window.header.show_icons()
    window.views_built = True
    window_menus.build_actions(window)
    window_menus.install_shortcuts(window)
    window.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    tabs.currentChanged.connect(window._tab_changed)
    window.notices.watch_views()
    window.outbox.upload_finished.connect(lambda *_: window.history.refresh())
    build_visit(window)
    from denshi_client.ui.web_visit import WebVisit  # light: the web engine loads on the first visit

    window.web = WebVisit(window.bridge, window)


def build_visit(window: MainWindow) -> None:
    """The routine visit (ui/visit_panel.py): the line under the steps says what the next visit does;
    once connected the work runs by itself, then a countdown disconnects."""
    from denshi_client.ui.visit_panel import VisitController, VisitPanel

    window.visit_panel = VisitPanel()
    window._central.insertWidget(window._central.indexOf(window.steps) + 1, window.visit_panel)
    window.visit = visit = VisitController(window, window.visit_panel)
    window.flow.preflight = visit.preflight
    refresh = visit.refresh_summary
    window.bridge.active_changed.connect(lambda *_: refresh())
    window.bridge.services_ready.connect(refresh)
    window.tabs.currentChanged.connect(lambda *_: refresh())
    model = window.outbox.queue.model()
    model.rowsInserted.connect(lambda *_: refresh())
    model.rowsRemoved.connect(lambda *_: refresh())
    refresh()
