"""The main window: establishment switcher, status header with countdown, 接続/切断, three tabs.

It only presents the session core's `Snapshot` and schedules its calls; the rules (order of
the visit, the clock, the warnings, the reasons) live in `denshi_client.session`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from denshi_client import APP_DISPLAY_NAME_EN, APP_DISPLAY_NAME_JA
from denshi_client import i18n as core_i18n
from denshi_client.errors import error_text
from denshi_client.ui.connect_steps import ConnectSteps
from denshi_client.ui.session_bridge import SessionBridge
from denshi_client.ui.status_header import StatusHeader

if TYPE_CHECKING:  # classes whose first import builds many PySide6 enums: loaded after the first paint
    from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
    from PySide6.QtWidgets import QDialog, QMessageBox

    from denshi_client.ui.lifecycle import QuitFlow
    from denshi_client.ui.tray import Tray

log = logging.getLogger(__name__)



def _hm(dt: Any) -> str:
    if dt is None:
        return ""
    from denshi_client.clock import JST

    return dt.astimezone(JST).strftime("%H:%M")


DEFAULT_SIZE = (1100, 700)  # fits a 1366x768 screen with a taskbar (1366x728 usable)
TASKBAR_PX = 40  # room for a taskbar when the platform does not say where it is (X without a panel)


def usable_area(widget: QWidget) -> tuple[int, int]:
    """Width and height a window may take on its screen: the available geometry (the taskbar already
    left out on Windows), less a taskbar's height when the platform reports the whole screen as free."""
    import math

    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return DEFAULT_SIZE
    avail = screen.availableGeometry()
    height = avail.height()
    if avail == screen.geometry():
        height -= math.ceil(TASKBAR_PX / screen.devicePixelRatio())
    return avail.width(), height


def first_size(widget: QWidget) -> tuple[int, int]:
    """The default window size, clamped to the screen (a frame's title bar and borders included)."""
    width, height = usable_area(widget)
    frame_w, frame_h = 16, 40  # a Windows title bar and borders at 100 %
    return min(DEFAULT_SIZE[0], width - frame_w), min(DEFAULT_SIZE[1], height - frame_h)


def _scrolled(view: QWidget) -> QWidget:
    """A view inside a frameless scroll area that resizes it: when the window is smaller than the view's
    minimum, the tab scrolls instead of pushing the window off the screen."""
    from PySide6.QtWidgets import QScrollArea

    area = QScrollArea()
    area.setObjectName(view.objectName() + "Scroll" if view.objectName() else "tabScroll")
    area.setWidget(view)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class _ActivityFilter(QObject):
    """Keys and clicks anywhere in the app restart the idle count (at most once a second).

    It watches the app's top-level windows (each window that gets the focus: the main window, dialogs),
    not the whole application: every input event reaches its QWindow before any widget, and an
    application-wide filter would make PySide wrap every QObject that receives any event — with the
    embedded web page (Qt WebEngine's internal objects) that crashes PySide 6.12's type lookup.
    """

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
            import time

            now = time.monotonic()
            if now - self._last > 1.0:
                self._last = now
                try:
                    self.bridge.touch()
                except Exception:
                    log.debug("touch failed", exc_info=True)
        return False


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
        self._build_empty_state()

        # --- banner for warnings, ends and the demo hint
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_label = QLabel()
        self.banner_label.setObjectName("bannerText")
        self.banner_label.setWordWrap(True)
        close_banner = QToolButton()
        close_banner.setText("×")
        close_banner.setAutoRaise(True)
        close_banner.setToolTip(self.tr("閉じる"))
        close_banner.clicked.connect(self.banner.hide)
        bl = QHBoxLayout(self.banner)
        bl.setContentsMargins(8, 4, 4, 4)
        bl.addWidget(self.banner_label, 1)
        bl.addWidget(close_banner)
        self.banner.hide()

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
        bridge.event.connect(self._on_event)
        bridge.warning.connect(self._on_warning)
        bridge.idle_warning.connect(self._on_idle_warning)
        bridge.ended.connect(self._on_ended)
        bridge.active_changed.connect(lambda *_: self._profile_switched())
        bridge.services_ready.connect(self._services_ready)
        self._activity: _ActivityFilter | None = None

        if not lazy_views:
            self.ensure_views()
        if bridge.ready:
            self.reload_profiles()
            self._install_activity_filter()
        self._render(bridge.snapshot())

    def _build_empty_state(self) -> None:
        """A first start (no establishment): say what to do and offer the set-up wizard, instead of a greyed
        接続 and an empty list. Shown by `reload_profiles` once the core is in and the list is empty."""
        self.onboarding_wizard: Any = None
        self.empty_state = QFrame()
        self.empty_state.setObjectName("emptyState")
        self.empty_state.setStyleSheet("QFrame#emptyState { background: #e8f0fe; border-radius: 6px; }"
                                       " QLabel#emptyText { color: #174ea6; }")
        self.empty_text = QLabel(self.tr(
            "まだ事業所が登録されていません。［事業所を登録］から、事業所番号・ユーザーID・ZIPパスワード・"
            "VPN接続設定を登録してください。登録が済むと「接続」を押せるようになります。"))
        self.empty_text.setObjectName("emptyText")
        self.empty_text.setWordWrap(True)
        self.setup_button = QPushButton(self.tr("事業所を登録(&W)..."))
        self.setup_button.setObjectName("setupButton")
        self.setup_button.clicked.connect(self.open_setup)
        row = QHBoxLayout(self.empty_state)
        row.setContentsMargins(12, 10, 12, 10)
        row.addWidget(self.empty_text, 1)
        row.addWidget(self.setup_button)
        self.empty_state.hide()

    def open_setup(self) -> Any:
        """The empty state's button: the wizard, on the path for an establishment the fund has registered."""
        from denshi_client.ui import window_menus

        return window_menus.open_onboarding(self, setup_first=True)

    def _install_activity_filter(self) -> None:
        """User activity anywhere in the app restarts the idle count (installed once the core is in)."""
        app = QApplication.instance()
        if self._activity is None and app is not None:
            self._activity = _ActivityFilter(self.bridge)
            self._activity.watch(self.windowHandle())
            self._activity.watch(QGuiApplication.focusWindow())
            if isinstance(app, QGuiApplication):
                app.focusWindowChanged.connect(self._activity.watch)

    def ensure_views(self) -> None:
        """Build the inbox, outbox and history views (once)."""
        if self.views_built:
            return
        from denshi_client.ui.connect_flow import ConnectFlow
        from denshi_client.ui.history_view import HistoryView
        from denshi_client.ui.inbox_view import InboxView
        from denshi_client.ui.lifecycle import install_platform_hooks
        from denshi_client.ui.outbox_view import OutboxView
        from denshi_client.ui.tray import Tray

        self.tray = self._tray_arg if self._tray_arg is not None else Tray(self)
        self.tray.connect_requested.connect(self._connect_from_tray)
        self.tray.disconnect_requested.connect(self.disconnect)
        self.tray.show_requested.connect(self.bring_to_front)
        self.tray.quit_requested.connect(self.request_quit)
        self.flow = ConnectFlow(self.bridge, self.steps, self)
        self.flow.failed.connect(self._flow_failed)
        self.flow.busy_changed.connect(lambda *_: self._render(self.bridge.snapshot()))
        app = QApplication.instance()
        if self._install_hooks and app is not None:
            self._hooks = install_platform_hooks(app, self.bridge, self)

        from PySide6.QtWidgets import QTabWidget

        self.inbox = InboxView(self.bridge)
        self.outbox = OutboxView(self.bridge)
        self.history = HistoryView(self.bridge)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        # each view scrolls inside its tab instead of making the window taller than the screen
        self.tabs.addTab(_scrolled(self.inbox), self.tr("受信箱(&1)"))
        self.tabs.addTab(_scrolled(self.outbox), self.tr("送信(&2)"))
        self.tabs.addTab(_scrolled(self.history), self.tr("送受信履歴(&3)"))
        stretch = self._central.itemAt(self._central.count() - 1)
        if stretch is not None:
            self._central.removeItem(stretch)
        self._central.addWidget(self.tabs, 1)
        self.setTabOrder(self.disconnect_button, self.tabs)
        from denshi_client.ui.icons import app_icon

        self.setWindowIcon(app_icon())
        self.header.show_icons()
        self.views_built = True
        from denshi_client.ui import window_menus

        window_menus.build_actions(self)
        window_menus.install_shortcuts(self)
        from PySide6.QtCore import Qt

        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.inbox.new_documents.connect(self._on_new_documents)
        self.inbox.downloaded.connect(self._on_downloaded)
        self.outbox.upload_finished.connect(lambda *_: self.history.refresh())
        self._build_visit()
        from denshi_client.ui.web_visit import WebVisit  # light: the web engine loads on the first visit

        self.web = WebVisit(self.bridge, self)
        if self.bridge.ready:
            self.reload_profiles()
        self._render(self.bridge.snapshot())

    def _build_visit(self) -> None:
        """The routine visit (ui/visit_panel.py): the line under the steps says what the next visit does;
        once connected the work runs by itself, then a countdown disconnects."""
        from denshi_client.ui.visit_panel import VisitController, VisitPanel

        self.visit_panel = VisitPanel()
        self._central.insertWidget(self._central.indexOf(self.steps) + 1, self.visit_panel)
        self.visit = VisitController(self, self.visit_panel)
        self.flow.preflight = self.visit.preflight
        refresh = self.visit.refresh_summary
        self.bridge.active_changed.connect(lambda *_: refresh())
        self.bridge.services_ready.connect(refresh)
        self.tabs.currentChanged.connect(lambda *_: refresh())
        model = self.outbox.queue.model()
        model.rowsInserted.connect(lambda *_: refresh())
        model.rowsRemoved.connect(lambda *_: refresh())
        refresh()

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

    def _on_event(self, ev: Any) -> None:
        from denshi_client.session.model import Phase

        if ev.kind == "phase_changed" and ev.snapshot.phase is Phase.READY:
            if self.bridge.is_browser_mode() and self.web.wants_embedded():  # the status line says: log out there
                self.show_banner(self.tr("接続しました。基金のページをこの画面に開きます。"), "ok")
            else:
                self.show_banner(self.tr("接続しました。用事が済んだら「切断」を押してください。"), "ok")
            if not self.bridge.is_browser_mode():
                self.inbox.refresh()
        elif ev.kind == "internet_checked" and ev.snapshot.internet is not None:
            ok = ev.snapshot.internet.ok
            extra = self.tr("インターネットへの接続が戻ったことを確認しました。") if ok else self.tr(
                "インターネットへの接続をまだ確認できません。しばらくしてからお試しください。")
            self.statusBar().showMessage(extra, 15000)

    def _on_warning(self, minutes: int, snap: Any) -> None:
        which = self.tr("サービス終了時刻") if snap.deadline_kind == "close" else self.tr("90分の接続上限")
        text = self.tr("あと約%1分で自動的にログアウトしてVPNを切断します（%2）。"
                       "送受信中の作業は早めに済ませてください。")
        text = text.replace("%1", str(minutes)).replace("%2", which)
        self.show_banner(text, "warning")
        self.tray.notify(self.tr("まもなく自動切断します"), text, critical=minutes <= 1)

    def _on_idle_warning(self, minutes: int, snap: Any) -> None:
        text = self.tr("操作がないため、あと約%1分で自動的に切断します。続ける場合は画面を操作してください。").replace(
            "%1", str(minutes))
        self.show_banner(text, "warning")
        self.tray.notify(self.tr("まもなく自動切断します"), text)

    def _on_ended(self, snap: Any) -> None:
        from PySide6.QtWidgets import QMessageBox

        from denshi_client.session.model import EndCause

        if self._ended_before_vpn(snap):
            return
        msg = core_i18n.pick(snap.end_message_ja, snap.end_message_en) or self.tr("VPNを切断しました。")
        if snap.error is not None:
            msg = error_text(snap.error)[0] + "\n" + msg
        self.show_banner(msg, "info" if snap.end_cause in (EndCause.USER, None) else "warning")
        self.tray.notify(self.tr("VPNを切断しました"), msg)
        self.inbox.clear()
        self.outbox.cancel_all()
        self.steps.reset()
        self.history.refresh()
        if snap.end_cause not in (EndCause.USER, EndCause.QUIT, None) and not self.quitting and snap.error is None:
            self.end_box = QMessageBox(QMessageBox.Icon.Information, self.tr("VPNを切断しました"), msg,
                                       QMessageBox.StandardButton.Ok, self)
            self.end_box.setObjectName("endBox")
            self.end_box.setInformativeText(self.after_disconnect_text(getattr(snap, "internet", None)))
            from denshi_client.ui.message_box import give_text_room

            give_text_room(self.end_box)
            self.end_box.open()

    def _ended_before_vpn(self, snap: Any) -> bool:
        """Cancelled before the VPN started (the OTP dialog closed): nothing was disconnected, so say so."""
        from denshi_client.session.model import EndCause

        visit = getattr(self, "visit", None)
        if visit is None or visit.vpn_was_up or snap.end_cause is not EndCause.USER or snap.error is not None:
            return False
        self.show_banner(self.tr("接続を取りやめました。VPNには接続していません。"), "info")
        self.steps.reset()
        return True

    def after_disconnect_text(self, internet: Any) -> str:
        """Says only what the check after the disconnect saw (no check configured: the usual line)."""
        if internet is not None and not internet.ok:
            return self.tr("インターネットへの接続をまだ確認できません。しばらくしてからお試しください。")
        return self.tr("インターネットとメールは通常どおり使えます。")

    def _on_new_documents(self, n: int) -> None:
        text = self.tr("基金から新しい書類が%1件届いています。").replace("%1", str(n))
        self.statusBar().showMessage(text, 15000)
        self.tray.notify(self.tr("新着の書類"), text)

    def _on_downloaded(self, filed: list[Any]) -> None:
        """Replaces a "N new documents" line that is no longer true once they are saved."""
        self.history.refresh()
        if filed:
            self.statusBar().showMessage(self.tr("%1件の書類を保存しました。").replace("%1", str(len(filed))), 8000)

    def show_banner(self, text: str, kind: str = "info") -> None:
        colors = {"info": ("#e8f0fe", "#174ea6"), "ok": ("#e6f4ea", "#0d652d"),
                  "warning": ("#fef7e0", "#8a4b00"), "error": ("#fce8e6", "#a50e0e")}
        bg, fg = colors.get(kind, colors["info"])
        self.banner.setStyleSheet(f"QFrame#banner {{ background: {bg}; border-radius: 4px; }}"
                                  f" QLabel#bannerText {{ color: {fg}; }}")
        self.banner_label.setText(text)
        self.banner.show()

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



