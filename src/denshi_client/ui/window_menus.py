"""The main window's menu actions, shortcuts and the windows they open (settings, the set-up
wizard, the diagnostics, help, version). Built right after the first paint, so the window itself
stays a layout and a renderer of the session's state.

Texts keep the main window's translation context ("MainWindow").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from denshi_client import APP_DISPLAY_NAME_EN, APP_DISPLAY_NAME_JA, __version__

if TYPE_CHECKING:
    from denshi_client.ui.main_window import MainWindow



def install_shortcuts(window: MainWindow) -> None:
    """Keyboard shortcuts (after the first paint: the first QKeySequence costs ~30 ms of PySide6 set-up)."""
    from PySide6.QtGui import QKeySequence

    window.act_settings.setShortcut(QKeySequence("Ctrl+,"))
    window.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
    window.act_connect.setShortcut(QKeySequence("Ctrl+K"))
    window.act_disconnect.setShortcut(QKeySequence("Ctrl+D"))
    window.act_refresh.setShortcut(QKeySequence("F5"))
    window.act_howto.setShortcut(QKeySequence("F1"))


def build_actions(window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    m_file, m_conn, m_tools, m_help = window._menus
    window.act_settings = QAction(QCoreApplication.translate("MainWindow", "設定(&S)..."), window)
    window.act_settings.triggered.connect(window.open_settings)
    window.act_quit = QAction(QCoreApplication.translate("MainWindow", "終了(&X)"), window)
    window.act_quit.triggered.connect(window.request_quit)
    m_file.addAction(window.act_settings)
    m_file.addSeparator()
    m_file.addAction(window.act_quit)

    window.act_connect = QAction(QCoreApplication.translate("MainWindow", "接続(&C)"), window)
    window.act_connect.triggered.connect(window.start_connect)
    window.act_have_otp = QAction(
        QCoreApplication.translate("MainWindow", "ワンタイムパスワードを受信済みの場合の接続(&O)..."), window)
    window.act_have_otp.triggered.connect(lambda: window.start_connect(request_otp=False))
    window.act_disconnect = QAction(QCoreApplication.translate("MainWindow", "切断(&D)"), window)
    window.act_disconnect.triggered.connect(window.disconnect)
    window.act_refresh = QAction(QCoreApplication.translate("MainWindow", "最新の情報に更新(&R)"), window)
    window.act_refresh.triggered.connect(window.refresh_current)
    for a in (window.act_connect, window.act_have_otp, window.act_disconnect):
        m_conn.addAction(a)
    m_conn.addSeparator()
    m_conn.addAction(window.act_refresh)
    window.addAction(window.act_refresh)

    window.act_onboarding = QAction(QCoreApplication.translate("MainWindow", "初期設定アシスタント(&W)..."), window)
    window.act_onboarding.triggered.connect(window.open_onboarding)
    window.act_doctor = QAction(QCoreApplication.translate("MainWindow", "動作環境の診断(&G)..."), window)
    window.act_doctor.triggered.connect(window.open_doctor)
    m_tools.addAction(window.act_onboarding)
    m_tools.addAction(window.act_doctor)

    act_howto = QAction(QCoreApplication.translate("MainWindow", "使い方(&U)"), window)
    window.act_howto = act_howto
    act_howto.triggered.connect(lambda: show_help(window))
    act_about = QAction(QCoreApplication.translate("MainWindow", "バージョン情報(&A)"), window)
    act_about.triggered.connect(lambda: show_about(window))
    m_help.addAction(act_howto)
    m_help.addAction(act_about)


def open_settings(window: MainWindow) -> Any:
    from denshi_client.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(window.bridge, window)
    dlg.profiles_page.changed.connect(window.profiles_edited)
    dlg.open()
    window.settings_dialog = dlg
    return dlg


def open_onboarding(window: MainWindow, *, setup_first: bool = False) -> Any:
    """The set-up wizard, imported only when asked for (not needed for a visit). With the core loaded it lists
    the VPN client's settings through the app's driver and creates the establishment through `AppServices`;
    the window shows the new establishment as soon as it exists."""
    from denshi_client.ui import onboarding_wizard

    if window.onboarding_wizard is not None and window.onboarding_wizard.isVisible():
        window.onboarding_wizard.raise_()
        window.onboarding_wizard.activateWindow()
        return window.onboarding_wizard
    w = onboarding_wizard.show_onboarding_wizard(window, demo=window.demo_mode, services=window.bridge.services,
                                                 setup_first=setup_first)
    w.profile_created.connect(lambda *_: window.profiles_edited())
    w.finished.connect(lambda *_: _wizard_closed(window))
    window.onboarding_wizard = w
    return w


def _wizard_closed(window: MainWindow) -> None:
    window.onboarding_wizard = None  # it deletes itself on close
    window.profiles_edited()


def open_doctor(window: MainWindow) -> Any:
    """The diagnostics page in its own window."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

    from denshi_client.ui.doctor_page import DoctorPage

    dlg = QDialog(window)
    dlg.setObjectName("doctorDialog")
    dlg.setWindowTitle(QCoreApplication.translate("MainWindow", "動作環境の診断"))
    lay = QVBoxLayout(dlg)
    page = DoctorPage(dlg, demo=window.demo_mode)
    lay.addWidget(page)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dlg.reject)
    lay.addWidget(buttons)
    dlg.resize(760, 560)
    dlg.open()
    return dlg


def show_help(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    text = QCoreApplication.translate(
        "MainWindow",
        "<b>毎日の使い方</b><ol>"
        "<li>「事業所」を選び、「接続」を押します。</li>"
        "<li>ワンタイムパスワードのリクエストが送られます。届いたメールを<b>すぐに</b>開き、"
        "ワンタイムパスワードを入力します（VPN接続中はメールが使えません）。</li>"
        "<li>VPN接続とログインが終わると「接続済み」になり、残り時間が表示されます。</li>"
        "<li>「受信箱」で書類をダウンロードし、「送信」で届書を送ります。</li>"
        "<li>用事が済んだら「切断」を押します。上限時間（90分）やサービス終了（20時）の前には自動で切断します。</li>"
        "</ol>")
    QMessageBox.information(window, QCoreApplication.translate("MainWindow", "使い方"), text)


def show_about(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.about(window, QCoreApplication.translate("MainWindow", "バージョン情報"),
                      f"<b>{APP_DISPLAY_NAME_JA}</b> ({APP_DISPLAY_NAME_EN})<br>"
                      + QCoreApplication.translate("MainWindow", "バージョン %1").replace("%1", __version__) + "<br>"
                      + QCoreApplication.translate(
                          "MainWindow", "企業年金基金の電子連携サービスを、安全な手順で利用するためのアプリです。"))
