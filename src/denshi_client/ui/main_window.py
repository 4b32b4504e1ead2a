"""The main window: establishment switcher, status header with countdown, 接続/切断, three tabs.

It only presents the session core's `Snapshot` and schedules its calls; the rules (order of
the visit, the clock, the warnings, the reasons) live in `denshi_client.session`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
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

from denshi_client import APP_DISPLAY_NAME_EN, APP_DISPLAY_NAME_JA, __version__
from denshi_client import i18n as core_i18n
from denshi_client.ui.connect_steps import ConnectSteps
from denshi_client.ui.session_bridge import SessionBridge
from denshi_client.ui.status_header import StatusHeader, format_remaining

if TYPE_CHECKING:  # classes whose first import builds many PySide6 enums: loaded after the first paint
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QMessageBox

    from denshi_client.ui.tray import Tray

log = logging.getLogger(__name__)



def _hm(dt: Any) -> str:
    if dt is None:
        return ""
    from denshi_client.clock import JST

    return dt.astimezone(JST).strftime("%H:%M")


class _ActivityFilter(QObject):
    """Keys and clicks anywhere in the app restart the idle count (at most once a second)."""

    def __init__(self, bridge: SessionBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self._last = 0.0
        self._kinds = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

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
    def __init__(self, bridge: SessionBridge, *, demo: Any = None, tray: Tray | None = None,
                 install_hooks: bool = True, demo_mode: bool | None = None, lazy_views: bool = False) -> None:
        """`lazy_views`: the three tabs are built by `ensure_views()` right after the first paint,
        so the window (header, buttons, menus) appears as fast as a bare Qt window."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.bridge = bridge
        self.demo = demo
        self.demo_mode = (demo is not None) if demo_mode is None else demo_mode
        self._quitting = False
        self._quit_done = False
        self.close_box: QMessageBox | None = None
        self.end_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.last_close_choice: str | None = None
        self.quit_app = QApplication.quit  # tests replace it: quitting ends pytest-qt's event loops
        self._tray_hint_shown = False
        self._update_title()
        self.resize(1100, 760)

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
        self.auth_button = QPushButton(self.tr("認証画面を開く(&A)"))
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

    def _install_shortcuts(self) -> None:
        """Keyboard shortcuts (after the first paint: the first QKeySequence costs ~30 ms of PySide6 set-up)."""
        from PySide6.QtGui import QKeySequence

        self.act_settings.setShortcut(QKeySequence("Ctrl+,"))
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.act_connect.setShortcut(QKeySequence("Ctrl+K"))
        self.act_disconnect.setShortcut(QKeySequence("Ctrl+D"))
        self.act_refresh.setShortcut(QKeySequence("F5"))
        self.act_howto.setShortcut(QKeySequence("F1"))

    def _install_activity_filter(self) -> None:
        """User activity anywhere in the app restarts the idle count (installed once the core is in)."""
        app = QApplication.instance()
        if self._activity is None and app is not None:
            self._activity = _ActivityFilter(self.bridge)
            app.installEventFilter(self._activity)

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
        self.tabs.addTab(self.inbox, self.tr("受信箱(&1)"))
        self.tabs.addTab(self.outbox, self.tr("送信(&2)"))
        self.tabs.addTab(self.history, self.tr("送受信履歴(&3)"))
        stretch = self._central.itemAt(self._central.count() - 1)
        if stretch is not None:
            self._central.removeItem(stretch)
        self._central.addWidget(self.tabs, 1)
        self.setTabOrder(self.disconnect_button, self.tabs)
        from denshi_client.ui.icons import app_icon

        self.setWindowIcon(app_icon())
        self.header.show_icons()
        self.views_built = True
        self._build_actions()
        self._install_shortcuts()
        from PySide6.QtCore import Qt

        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.inbox.new_documents.connect(self._on_new_documents)
        self.inbox.downloaded.connect(self._on_downloaded)
        self.outbox.upload_finished.connect(lambda *_: self.history.refresh())
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

    def load_services(self, opts: Any, *, then: Any = None) -> None:
        """Build the core off the GUI thread after the first paint; attach it when ready."""
        def done(result: Any) -> None:
            services, env = result
            self.bridge.attach(services, env)
            self.after_shown()
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            from denshi_client.ui.connect_flow import error_text

            log.error("services failed to start: %s", exc, exc_info=exc)
            msg, hint = error_text(exc)
            self.header.set_state("offline", self.tr("起動できませんでした。") + msg)
            self.show_banner(self.tr("起動できませんでした。") + "\n" + msg + (("\n" + hint) if hint else ""),
                             "error")

        from denshi_client.ui.worker import run_in_background

        run_in_background(lambda: build_services(opts), done, failed)

    # ----- menus --------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """The menu titles paint with the window; their actions follow the first paint (`_build_actions`,
        ~3 ms: QAction's first use sets up its enums). Nobody opens a menu in the 20 ms between."""
        mb = self.menuBar()
        self._menus = (mb.addMenu(self.tr("ファイル(&F)")), mb.addMenu(self.tr("接続(&C)")),
                       mb.addMenu(self.tr("ツール(&T)")), mb.addMenu(self.tr("ヘルプ(&H)")))

    def _build_actions(self) -> None:
        from PySide6.QtGui import QAction

        m_file, m_conn, m_tools, m_help = self._menus
        self.act_settings = QAction(self.tr("設定(&S)..."), self)
        self.act_settings.triggered.connect(self.open_settings)
        self.act_quit = QAction(self.tr("終了(&X)"), self)
        self.act_quit.triggered.connect(self.request_quit)
        m_file.addAction(self.act_settings)
        m_file.addSeparator()
        m_file.addAction(self.act_quit)

        self.act_connect = QAction(self.tr("接続(&C)"), self)
        self.act_connect.triggered.connect(self.start_connect)
        self.act_have_otp = QAction(self.tr("ワンタイムパスワードを受信済みの場合の接続(&O)..."), self)
        self.act_have_otp.triggered.connect(lambda: self.start_connect(request_otp=False))
        self.act_disconnect = QAction(self.tr("切断(&D)"), self)
        self.act_disconnect.triggered.connect(self.disconnect)
        self.act_refresh = QAction(self.tr("最新の情報に更新(&R)"), self)
        self.act_refresh.triggered.connect(self.refresh_current)
        for a in (self.act_connect, self.act_have_otp, self.act_disconnect):
            m_conn.addAction(a)
        m_conn.addSeparator()
        m_conn.addAction(self.act_refresh)
        self.addAction(self.act_refresh)

        self.act_onboarding = QAction(self.tr("初期設定アシスタント(&W)..."), self)
        self.act_onboarding.triggered.connect(self.open_onboarding)
        self.act_doctor = QAction(self.tr("動作環境の診断(&G)..."), self)
        self.act_doctor.triggered.connect(self.open_doctor)
        m_tools.addAction(self.act_onboarding)
        m_tools.addAction(self.act_doctor)

        act_howto = QAction(self.tr("使い方(&U)"), self)
        self.act_howto = act_howto
        act_howto.triggered.connect(self.show_help)
        act_about = QAction(self.tr("バージョン情報(&A)"), self)
        act_about.triggered.connect(self.show_about)
        m_help.addAction(act_howto)
        m_help.addAction(act_about)

    # ----- profiles -----------------------------------------------------------------------
    def reload_profiles(self) -> None:
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for p in self.bridge.profiles():
            mode = self.tr("ブラウザー") if p.mode.value == "browser" else self.tr("直接")
            self.profile_combo.addItem(f"{p.establishment}  {p.name}（{mode}）", p.id)
        idx = self.profile_combo.findData(self.bridge.active_id())
        self.profile_combo.setCurrentIndex(max(0, idx))
        if self.profile_combo.count() == 0:
            self.profile_combo.addItem(self.tr("（事業所が登録されていません）"), None)
        self.profile_combo.blockSignals(False)
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

        msg = core_i18n.pick(snap.end_message_ja, snap.end_message_en) or self.tr("VPNを切断しました。")
        if snap.error is not None:
            err = snap.error
            msg = err.message() + "\n" + msg
        self.show_banner(msg, "info" if snap.end_cause in (EndCause.USER, None) else "warning")
        self.tray.notify(self.tr("VPNを切断しました"), msg)
        self.inbox.clear()
        self.outbox.cancel_all()
        self.steps.reset()
        self.history.refresh()
        if snap.end_cause not in (EndCause.USER, EndCause.QUIT, None) and not self._quitting and snap.error is None:
            self.end_box = QMessageBox(QMessageBox.Icon.Information, self.tr("VPNを切断しました"), msg,
                                       QMessageBox.StandardButton.Ok, self)
            self.end_box.setObjectName("endBox")
            self.end_box.setInformativeText(self._after_disconnect_text(getattr(snap, "internet", None)))
            from denshi_client.ui.message_box import give_text_room

            give_text_room(self.end_box)
            self.end_box.open()

    def _after_disconnect_text(self, internet: Any) -> str:
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
        w = self.tabs.currentWidget()
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

    def _tab_changed(self, index: int) -> None:
        if index == 2:
            self.history.refresh()

    def open_settings(self) -> Any:
        from denshi_client.ui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.bridge, self)
        dlg.profiles_page.changed.connect(self._profiles_edited)
        dlg.open()
        self.settings_dialog = dlg
        return dlg

    def _profiles_edited(self) -> None:
        self.bridge.reload_profiles()
        self.reload_profiles()

    def _missing(self, what: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, what, self.tr("この機能はこのバージョンには含まれていません。"))

    def open_onboarding(self) -> Any:
        """The IT engineer's set-up wizard, imported only when asked for (absent in some builds)."""
        try:
            from denshi_client.ui import onboarding_wizard
        except ImportError:
            self._missing(self.tr("初期設定アシスタント"))
            return None
        w = onboarding_wizard.show_onboarding_wizard(self, demo=self.demo_mode)
        w.finished.connect(lambda *_: self._profiles_edited())
        return w

    def open_doctor(self) -> Any:
        """The diagnostics page in its own window."""
        try:
            from denshi_client.ui.doctor_page import DoctorPage
        except ImportError:
            self._missing(self.tr("動作環境の診断"))
            return None
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        dlg = QDialog(self)
        dlg.setObjectName("doctorDialog")
        dlg.setWindowTitle(self.tr("動作環境の診断"))
        lay = QVBoxLayout(dlg)
        page = DoctorPage(dlg, demo=self.demo_mode)
        lay.addWidget(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dlg.reject)
        lay.addWidget(buttons)
        dlg.resize(760, 560)
        dlg.open()
        return dlg

    def show_help(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        text = self.tr(
            "<b>毎日の使い方</b><ol>"
            "<li>「事業所」を選び、「接続」を押します。</li>"
            "<li>ワンタイムパスワードのリクエストが送られます。届いたメールを<b>すぐに</b>開き、"
            "ワンタイムパスワードを入力します（VPN接続中はメールが使えません）。</li>"
            "<li>VPN接続とログインが終わると「接続済み」になり、残り時間が表示されます。</li>"
            "<li>「受信箱」で書類をダウンロードし、「送信」で届書を送ります。</li>"
            "<li>用事が済んだら「切断」を押します。上限時間（90分）やサービス終了（20時）の前には自動で切断します。</li>"
            "</ol>")
        QMessageBox.information(self, self.tr("使い方"), text)

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("バージョン情報"),
                          f"<b>{APP_DISPLAY_NAME_JA}</b> ({APP_DISPLAY_NAME_EN})<br>"
                          + self.tr("バージョン %1").replace("%1", __version__) + "<br>"
                          + self.tr("企業年金基金の電子連携サービスを、安全な手順で利用するためのアプリです。"))

    # ----- start-up -------------------------------------------------------------------------
    def tray_available(self) -> bool:
        return bool(self.tray is not None and self.tray.available)

    def after_shown(self) -> None:
        """Start-up work that needs the window: recovery of a leftover VPN, the demo hint."""
        if self.demo_mode:
            hint = core_i18n.pick(getattr(self.demo, "hint_ja", ""), getattr(self.demo, "hint_en", ""))
            if not hint:
                hint = self.tr("デモモードで起動しています。基金のサービスとVPNは、このPCの中の練習用のものです。")
            self.show_banner(hint, "info")
        from denshi_client.ui.worker import run_in_background

        run_in_background(self.bridge.recover, self._recovered, self._recovery_failed)
        run_in_background(self.bridge.pending_transfers, self._pending_found,
                          lambda e: log.warning("pending transfers unavailable: %s", e))
        self.history.refresh()

    def _pending_found(self, queued: list[Any]) -> None:
        """Nothing lost: what an earlier run left unfinished is listed, with how to finish it."""
        if not queued:
            return
        uploads = self.outbox.add_interrupted(queued)
        downloads = sum(1 for q in queued if getattr(q, "kind", "") == "download")
        parts = []
        if uploads:
            parts.append(self.tr("送信 %1件（「送信」タブで接続後に「再試行」）").replace("%1", str(uploads)))
        if downloads:
            parts.append(self.tr("受信 %1件（接続後にもう一度ダウンロードすると続きから受信します）").replace(
                "%1", str(downloads)))
        if parts:
            self.show_banner(self.tr("前回完了しなかった送受信があります: ") + "、".join(parts), "warning")

    def _recovery_failed(self, exc: BaseException) -> None:
        """The VPN's state could not be read (e.g. the SoftEther service is stopped): say so, gently."""
        from denshi_client.ui.connect_flow import error_text

        log.warning("start-up VPN check failed: %s", getattr(exc, "code", type(exc).__name__))
        msg, hint = error_text(exc)
        self.show_banner(self.tr("VPNの状態を確認できませんでした。") + "\n" + msg + (("\n" + hint) if hint else ""),
                         "warning")

    def _recovered(self, report: Any) -> None:
        if report is None:
            return
        gone = list(getattr(report, "disconnected", []) or [])
        failed = list(getattr(report, "failed", []) or [])
        if gone:
            from denshi_client.session.model import EndCause

            msg = core_i18n.pick(EndCause.RECOVERY.message_ja, EndCause.RECOVERY.message_en)
            self.show_banner(msg + self._after_disconnect_text(getattr(report, "internet", None)), "warning")
            self.tray.notify(self.tr("VPNを切断しました"), msg)
        if failed:
            acc, err = failed[0]
            self.show_banner(self.tr("前回のVPN接続（%1）を切断できませんでした: ").replace("%1", acc) + err.message(),
                             "error")

    # ----- closing and quitting ----------------------------------------------------------------
    def bring_to_front(self) -> None:
        self.show()
        from PySide6.QtCore import Qt

        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quitting:
            event.accept()
            return
        event.ignore()
        from denshi_client.ui.lifecycle import ask_close_choice

        snap = self.bridge.snapshot()
        if snap is not None and (snap.phase.busy or (self.flow is not None and self.flow.running)):
            remaining = format_remaining(int(snap.remaining_s)) if snap.remaining_s is not None else ""
            box, choices = ask_close_choice(self, self.tray_available(), remaining)
            self.close_box = box

            def chosen(_: int) -> None:
                from denshi_client.ui.lifecycle import CloseChoice

                choice = choices.get(box.clickedButton(), CloseChoice.CANCEL)
                self.close_box = None
                self.apply_close_choice(choice)

            box.finished.connect(chosen)
            box.open()
            return
        if self.tray_available() and self._minimize_to_tray_setting():
            self.hide()
            if not self._tray_hint_shown:
                self._tray_hint_shown = True
                self.tray.notify(self.tr("電子連携クライアント"), self.tr("タスクトレイで実行を続けています。"))
            return
        self.request_quit()

    def apply_close_choice(self, choice: str) -> None:
        from denshi_client.ui.lifecycle import CloseChoice

        self.last_close_choice = choice
        if choice == CloseChoice.KEEP_IN_TRAY:
            if self.tray_available():
                self.hide()
                self.tray.notify(self.tr("VPN接続中です"),
                                 self.tr("タスクトレイで実行を続けています。切断はアイコンのメニューからできます。"))
            else:
                self.showMinimized()
        elif choice == CloseChoice.DISCONNECT_AND_QUIT:
            self.request_quit()

    @staticmethod
    def _minimize_to_tray_setting() -> bool:
        try:
            from denshi_client.services import current_ui_settings

            return bool(current_ui_settings().minimize_to_tray)
        except Exception:
            return False

    def request_quit(self) -> None:
        """Quit = end the session (QUIT) first, then leave; bounded so a stuck vpncmd cannot hold us."""
        from denshi_client.session.model import EndCause

        if self._quitting:
            return
        self._quitting = True
        if self.views_built:
            self.outbox.cancel_all()
            self.inbox.cancel()
        snap = self.bridge.snapshot()
        if snap is not None and snap.phase.busy:
            self.header.set_state("ending", self.tr("ログアウトしてVPNを切断しています。終了までお待ちください..."))
            self.setEnabled(False)
            QTimer.singleShot(25000, self._finish_quit)
            self.bridge.end_async(EndCause.QUIT, lambda *_: self._finish_quit())
        else:
            self._finish_quit()

    def _finish_quit(self) -> None:
        if self._quit_done:
            return
        self._quit_done = True
        if self.tray is not None:
            self.tray.hide()
        self.bridge.close()
        try:
            close = getattr(self.bridge.services, "close", None)
            if callable(close):
                close()
            if self.demo is not None and hasattr(self.demo, "stop"):
                self.demo.stop()
        except Exception:
            log.exception("closing services failed")
        self.close()
        self.quit_app()


def build_services(opts: Any) -> tuple[Any, Any]:
    """(services, demo environment or None) for the app's options."""
    if getattr(opts, "demo", False):
        from denshi_client.demo import DemoEnvironment

        env = DemoEnvironment.start(accelerate=getattr(opts, "accelerate", 1.0))
        return env.services, env
    from denshi_client.services import AppServices

    return AppServices.from_settings(), None


def tick_interval_ms(accelerate: float) -> int:
    """An accelerated clock needs faster ticks for a smooth countdown (1 s real = N s demo)."""
    return max(100, min(1000, int(1000 / max(1.0, accelerate))))


def build_main_window(opts: Any) -> MainWindow:
    """The window paints first; `load_services(opts)` then brings the core in (see app.run_app)."""
    bridge = SessionBridge(None, tick_ms=tick_interval_ms(getattr(opts, "accelerate", 1.0)))
    return MainWindow(bridge, demo_mode=bool(getattr(opts, "demo", False)), lazy_views=True)
