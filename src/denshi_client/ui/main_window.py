"""The main window: establishment switcher, status header with countdown, 接続/切断, three tabs.

It only lays out and presents the session core's `Snapshot` and schedules its calls; the rules (order
of the visit, the clock, the warnings, the reasons) live in `denshi_client.session`. Beside it: the tabs
and what comes with them `window_views.py`, what it says when the session moves `window_notices.py`,
its menus `window_menus.py`, its first size `window_geometry.py`, the idle watch `activity_watch.py`,
start-up `bootstrap.py` and going away `lifecycle.py`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from denshi_client import APP_DISPLAY_NAME_EN, APP_DISPLAY_NAME_JA
from denshi_client import i18n as core_i18n
from denshi_client.ui import window_parts
from denshi_client.ui.connect_steps import ConnectSteps
from denshi_client.ui.session_bridge import SessionBridge
from denshi_client.ui.status_header import StatusHeader
from denshi_client.ui.window_geometry import first_size
from denshi_client.ui.window_notices import WindowNotices

if TYPE_CHECKING:  # classes whose first import builds many PySide6 enums: loaded after the first paint
    from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
    from PySide6.QtWidgets import QDialog, QMessageBox, QTabWidget

    from denshi_client.ui.activity_watch import ActivityFilter
    from denshi_client.ui.history_view import HistoryView
    from denshi_client.ui.inbox_view import InboxView
    from denshi_client.ui.lifecycle import QuitFlow
    from denshi_client.ui.outbox_view import OutboxView
    from denshi_client.ui.tray import Tray
    from denshi_client.ui.visit_panel import VisitController, VisitPanel
    from denshi_client.ui.web_visit import WebVisit

log = logging.getLogger(__name__)


def _hm(dt: Any) -> str:
    if dt is None:
        return ""
    from denshi_client.clock import JST

    return dt.astimezone(JST).strftime("%H:%M")


class MainWindow(QMainWindow):
    # menu actions: built right after the first paint by ui/window_menus.py
    act_settings: QAction
    act_quit: QAction
    act_connect: QAction
    act_have_otp: QAction
    act_disconnect: QAction
    act_refresh: QAction
    act_onboarding: QAction
    act_doctor: QAction
    act_howto: QAction
    settings_dialog: QDialog
    # the tabs and what comes with them: built right after the first paint by ui/window_views.py
    tabs: QTabWidget
    inbox: InboxView
    outbox: OutboxView
    history: HistoryView
    visit_panel: VisitPanel
    visit: VisitController
    web: WebVisit

    def __init__(self, bridge: SessionBridge, *, demo: Any = None, tray: Tray | None = None,
                 install_hooks: bool = True, demo_mode: bool | None = None, lazy_views: bool = False) -> None:
        """`lazy_views`: the three tabs are built by `ensure_views()` right after the first paint,
        so the window (header, buttons, menus) appears as fast as a bare Qt window."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.bridge = bridge
        self.demo = demo
        self.demo_mode = (demo is not None) if demo_mode is None else demo_mode
        self._quit: QuitFlow | None = None  # ui/lifecycle.py, made on first use (not before the first paint)
        self.close_box: QMessageBox | None = None
        self.end_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.last_close_choice: str | None = None
        self.quit_app = QApplication.quit  # tests replace it: quitting ends pytest-qt's event loops
        self._update_title()
        self.resize(*first_size(self))

        # --- top: establishment + buttons
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setMinimumWidth(280)
        self.profile_combo.activated.connect(self._profile_chosen)
        lab = QLabel(self.tr("事業所(&E):"))
        lab.setBuddy(self.profile_combo)
        self.connect_button = QPushButton(self.tr("接続(&C)"))
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.connect_button.setMinimumWidth(110)
        self.connect_button.clicked.connect(self.start_connect)
        self.disconnect_button = QPushButton(self.tr("切断(&D)"))
        self.disconnect_button.setObjectName("disconnectButton")
        self.disconnect_button.setMinimumWidth(110)
        self.disconnect_button.clicked.connect(self.disconnect)
        self.auth_button = QPushButton(self.tr("認証画面を開く(&B)"))
        self.auth_button.setObjectName("authButton")
        self.auth_button.clicked.connect(self.bridge.open_service_page)
        top = QHBoxLayout()
        top.addWidget(lab)
        top.addWidget(self.profile_combo, 1)
        top.addStretch(1)
        top.addWidget(self.auth_button)
        top.addWidget(self.connect_button)
        top.addWidget(self.disconnect_button)

        self.header = StatusHeader()
        self.steps = ConnectSteps()
        self.onboarding_wizard: Any = None
        # a first start (no establishment): shown by `reload_profiles` once the core is in and the list is empty
        self.empty_state, self.empty_text, self.setup_button = window_parts.empty_state()
        self.setup_button.clicked.connect(self.open_setup)

        self.banner, self.banner_label = window_parts.banner()  # warnings, ends and the demo hint

        # --- the tabs and their views come in ensure_views() (after the first paint when lazy:
        # the first QTabWidget alone costs ~18 ms of style set-up)
        self.views_built = False
        central = QWidget()
        lay = self._central = QVBoxLayout(central)
        lay.addLayout(top)
        lay.addWidget(self.header)
        lay.addWidget(self.empty_state)
        lay.addWidget(self.steps)
        lay.addWidget(self.banner)
        lay.addStretch(1)
        self.setCentralWidget(central)
        self.setTabOrder(self.profile_combo, self.connect_button)
        self.setTabOrder(self.connect_button, self.disconnect_button)
        self.menuBar().setNativeMenuBar(False)

        self._build_menus()
        # tray, connect flow and platform hooks come with the views (after the first paint when lazy)
        self._tray_arg = tray
        self._install_hooks = install_hooks
        self.tray: Any = None
        self.flow: Any = None
        self._hooks: list[Any] = []

        bridge.snapshot_changed.connect(self._render)
        self.notices = WindowNotices(self)  # banner, status line, tray balloon, the end box
        bridge.active_changed.connect(lambda *_: self._profile_switched())
        bridge.services_ready.connect(self._services_ready)
        self._activity: ActivityFilter | None = None

        if not lazy_views:
            self.ensure_views()
        if bridge.ready:
            self.reload_profiles()
            self._install_activity_filter()
        self._render(bridge.snapshot())

    def open_setup(self) -> Any:
        """The empty state's button: the wizard, on the path for an establishment the fund has registered."""
        from denshi_client.ui import window_menus

        return window_menus.open_onboarding(self, setup_first=True)

    def _install_activity_filter(self) -> None:
        """User activity anywhere in the app restarts the idle count (installed once the core is in)."""
        if self._activity is None:
            from denshi_client.ui.activity_watch import watch_activity

            self._activity = watch_activity(self.bridge, self.windowHandle())

    def ensure_views(self) -> None:
        """Build the inbox, outbox and history views (once): ui/window_views.py."""
        if self.views_built:
            return
        from denshi_client.ui.window_views import build_views

        build_views(self)
        if self.bridge.ready:
            self.reload_profiles()
        self._render(self.bridge.snapshot())

    def _services_ready(self) -> None:
        self.demo = self.bridge.demo
        self.ensure_views()
        self._install_activity_filter()
        self.outbox.refresh_forms()
        self.reload_profiles()
        self._render(self.bridge.snapshot())

    # ----- menus --------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """The menu titles paint with the window; their actions follow the first paint (`_build_actions`,
        ~3 ms: QAction's first use sets up its enums). Nobody opens a menu in the 20 ms between."""
        mb = self.menuBar()
        self._menus = (mb.addMenu(self.tr("ファイル(&F)")), mb.addMenu(self.tr("接続(&N)")),
                       mb.addMenu(self.tr("ツール(&T)")), mb.addMenu(self.tr("ヘルプ(&H)")))

    # ----- profiles -----------------------------------------------------------------------
    def reload_profiles(self) -> None:
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for p in self.bridge.profiles():
            mode = self.tr("ブラウザー") if p.mode.value == "browser" else self.tr("直接")
            self.profile_combo.addItem(f"{p.establishment}  {p.name}（{mode}）", p.id)
        idx = self.profile_combo.findData(self.bridge.active_id())
        self.profile_combo.setCurrentIndex(max(0, idx))
        empty = self.profile_combo.count() == 0
        if empty:
            self.profile_combo.addItem(self.tr("（事業所が登録されていません）"), None)
        self.profile_combo.blockSignals(False)
        self.empty_state.setVisible(empty and self.bridge.ready)
        if self.views_built:
            self.history.reload_establishments()
        self._profile_switched()

    def _profile_chosen(self, index: int) -> None:
        pid = self.profile_combo.itemData(index)
        if pid:
            self.bridge.set_active(pid)

    def _profile_switched(self) -> None:
        if not self.views_built:
            return
        self.inbox.profile_changed()
        self.outbox.profile_changed()
        self._update_title()
        self._render(self.bridge.snapshot())

    def _update_title(self) -> None:
        name = APP_DISPLAY_NAME_EN if core_i18n.language() == "en" else APP_DISPLAY_NAME_JA
        if self.demo_mode:
            name += " — " + self.tr("デモモード")
        self.setWindowTitle(name)

    # ----- rendering the session ------------------------------------------------------------
    def _render(self, snap: Any) -> None:
        if snap is None or not self.views_built:  # the core is still loading (first paint comes before it)
            self.header.set_state("offline", self.tr("準備しています..."))
            self._loading_shown = True
            actions = [getattr(self, n) for n in ("act_connect", "act_have_otp", "act_disconnect") if hasattr(self, n)]
            for w in (self.connect_button, self.disconnect_button, self.profile_combo, *actions):
                w.setEnabled(False)  # the menu actions come right after the first paint
            self.auth_button.setVisible(False)
            return
        from denshi_client.session.model import Phase

        phase = snap.phase
        busy = phase.busy or self.flow.running
        if phase is Phase.READY:
            state = "connected"
        elif phase in (Phase.ENDING, Phase.VERIFYING_INTERNET):
            state = "ending"
        elif busy:
            state = "connecting"
        else:
            state = "offline"
        detail = ""
        if state in ("connecting", "ending"):
            detail = core_i18n.pick(phase.label_ja, phase.label_en)
        elif state == "offline" and phase is Phase.FAILED:
            detail = self.tr("接続できませんでした。VPNは切断されています。")
        if self.header.state != state or detail or getattr(self, "_loading_shown", False):
            self.header.set_state(state, detail)  # also replaces "準備しています..." once the core is in
            self._loading_shown = False
        remaining = snap.remaining_s
        tray_state = {"ending": "connecting"}.get(state, state)
        tip = self.tr("電子連携クライアント") + " — " + self.header.state_text()
        if phase.active and remaining is not None and snap.established_since is not None:
            level = 2 if remaining <= 5 * 60 else (1 if remaining <= 15 * 60 else 0)
            self.header.set_countdown(int(remaining), snap.deadline_kind or "limit", _hm(snap.ends_at),
                                      _hm(snap.deadline), level)
            tip += "\n" + self.header.countdown_text() + "（" + self.header.which_text() + "）"
            if level == 2 and state == "connected":
                tray_state = "warning"
        self.tray.set_state(tray_state, tip)
        has_profile = self.bridge.active_id() is not None
        self.connect_button.setEnabled(has_profile and not busy)
        self.act_connect.setEnabled(has_profile and not busy)
        self.act_have_otp.setEnabled(has_profile and not busy)
        self.disconnect_button.setEnabled(busy)
        self.act_disconnect.setEnabled(busy)
        self.profile_combo.setEnabled(not busy)
        self.auth_button.setVisible(self.bridge.is_browser_mode())
        self.auth_button.setEnabled(phase is Phase.READY)
        if self.views_built:
            self.inbox._update_buttons()
            self.outbox._update_buttons()

    def show_banner(self, text: str, kind: str = "info") -> None:
        window_parts.show_in_banner(self.banner, self.banner_label, text, kind)

    # ----- actions ----------------------------------------------------------------------------
    def start_connect(self, *, request_otp: bool = True) -> None:
        if self.flow is None:
            return
        self.banner.hide()
        self.flow.start(request_otp=request_otp)

    def _connect_from_tray(self) -> None:
        self.bring_to_front()
        self.start_connect()

    def disconnect(self) -> None:  # type: ignore[override]  # the 切断 action; QObject.disconnect is unused here
        from denshi_client.session.model import EndCause

        if self.flow is not None and self.flow.dialog is not None:
            self.flow.dialog.reject()
            return
        self.disconnect_button.setEnabled(False)
        self.bridge.end_async(EndCause.USER)

    def _flow_failed(self, message: str, hint: str) -> None:
        from denshi_client.ui.connect_flow import show_error

        self.show_banner(message + (("\n" + hint) if hint else ""), "error")
        self.error_box = show_error(self, self.tr("接続できませんでした"), message, hint)

    def refresh_current(self) -> None:
        if not self.views_built:
            return
        views = [self.inbox, self.outbox, self.history]
        w = views[self.tabs.currentIndex()] if self.tabs.currentIndex() < len(views) else None
        if w is self.inbox:
            self.inbox.refresh()
        elif w is self.history:
            self.history.refresh()
        elif w is self.outbox:
            self.outbox.refresh_ready()

    def show_tab(self, view: QWidget) -> None:
        """Bring one of the three views to the front."""
        self.ensure_views()
        self.tabs.setCurrentIndex([self.inbox, self.outbox, self.history].index(view))

    def show_web_page(self, page: Any) -> None:
        """Browser mode's embedded page: a fourth tab, under the header with its countdown and 切断."""
        if self.tabs.indexOf(page) < 0:
            self.tabs.addTab(page, self.tr("基金のページ(&4)"))
        self.tabs.setCurrentWidget(page)

    def hide_web_page(self, page: Any) -> None:
        i = self.tabs.indexOf(page)
        if i >= 0:
            self.tabs.removeTab(i)

    def _tab_changed(self, index: int) -> None:
        if index == 2:
            self.history.refresh()

    def open_settings(self) -> Any:
        from denshi_client.ui import window_menus

        return window_menus.open_settings(self)

    def open_onboarding(self) -> Any:
        from denshi_client.ui import window_menus

        return window_menus.open_onboarding(self)

    def open_doctor(self) -> Any:
        from denshi_client.ui import window_menus

        return window_menus.open_doctor(self)

    def profiles_edited(self) -> None:
        self.bridge.reload_profiles()
        self.reload_profiles()

    # ----- start-up and quitting: decided in ui/bootstrap.py and ui/lifecycle.py ---------------
    def tray_available(self) -> bool:
        return bool(self.tray is not None and self.tray.available)

    def after_shown(self) -> None:
        """The core is in: the start-up checks (leftover VPN, unfinished transfers, demo hint)."""
        from denshi_client.ui.bootstrap import run_startup_checks

        run_startup_checks(self)

    def _quit_flow(self) -> QuitFlow:
        if self._quit is None:
            from denshi_client.ui.lifecycle import QuitFlow

            self._quit = QuitFlow(self)
        return self._quit

    @property
    def quitting(self) -> bool:
        return self._quit is not None and self._quit.quitting

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._activity is not None:
            self._activity.watch(self.windowHandle())  # the native window exists from the first show on

    def closeEvent(self, event: QCloseEvent) -> None:
        self._quit_flow().on_close(event)

    def apply_close_choice(self, choice: str) -> None:
        self._quit_flow().apply_choice(choice)

    def request_quit(self) -> None:
        """Ends the session first (QUIT), bounded; then leaves."""
        self._quit_flow().request_quit()

    # ----- closing and quitting ----------------------------------------------------------------
    def bring_to_front(self) -> None:
        self.show()
        from PySide6.QtCore import Qt

        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()



