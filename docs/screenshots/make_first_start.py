"""Screenshots of a first start (issue 14, item 3): the empty main window, every page of the set-up wizard
walked to the end, and the main window ready to connect. A fresh home, the real `AppServices`, the stand-in
VPN driver holding the setting the fund's installer made.

    python3 dev.py xrun .venv/bin/python docs/screenshots/make_first_start.py     # Xvfb 1366x768

Writes docs/screenshots/60-first-start.png, 61a..61e-wizard-*.png, 62-ready.png, and the settings' list of
establishments filtered (63) and the profile dialog with its browse buttons and the VPN setting list (64).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> int:
    if not os.environ.get("DISPLAY"):
        sys.exit("run it under an X display: python3 dev.py xrun .venv/bin/python " + __file__)
    tmp = Path(tempfile.mkdtemp(prefix="denshi-first-start-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(tmp / "home")
    os.environ["DENSHI_CLIENT_SITE_DIR"] = str(tmp / "site")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(tmp / "xdg")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtWidgets import QApplication, QWizard

    from denshi_client.clock import JST, FakeClock
    from denshi_client.services import AppServices
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge
    from denshi_client.vpn.standin import StandInVpnDriver

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    vpn = StandInVpnDriver(FakeClock(datetime(2024, 5, 24, 10, 0, tzinfo=JST)), connect_delay_s=0)
    vpn.add_account("年金基金 電子連携", password="pw")  # noqa: S106  (the installer's setting; stand-in)
    services = AppServices.from_settings(vpn=vpn, enforce_hours=False, open_url=lambda url: None)

    def pump(pred: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not pred():
            app.processEvents()
            if time.monotonic() > end:
                raise TimeoutError(what or "condition")
            time.sleep(0.02)

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(widget: object, name: str) -> None:
        settle()
        path = HERE / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        print("saved", path.relative_to(ROOT), widget.size())  # type: ignore[attr-defined]

    bridge = SessionBridge(services, tick_ms=200)
    w = MainWindow(bridge)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    w.show()  # the app's own (clamped) first size
    pump(lambda: w.isVisible() and w.empty_state.isVisible(), what="empty state")
    shot(w, "60-first-start")

    wiz = w.open_setup()
    pump(lambda: wiz.isVisible(), what="wizard")
    wiz.intro.register_radio.setChecked(True)  # walk every page: the form first
    shot(wiz, "61a-wizard-intro")
    wiz.next()
    f = wiz.form
    f.establishment.setText("123")
    f.name.setText("電子 太郎")
    f.kana.setText("デンシ タロウ")
    f.email.setText("taro@example.co.jp")
    f.user_id.setText("sakura01")
    f.office.setText("株式会社さくら商事")
    f.pcs.setValue(2)
    f.out_dir.setText(str(tmp / "登録届"))
    shot(wiz, "61b-wizard-form")
    wiz.next()
    pump(lambda: wiz.send.pkg is not None, what="registration package")
    shot(wiz, "61c-wizard-send")
    wiz.next()
    pump(lambda: wiz.vpn.existing.count() > 0, what="VPN settings listed")
    shot(wiz, "61d-wizard-vpn")
    wiz.next()
    p = wiz.profile
    p.zip_password.setText("Zip-Pass-2026")
    p.zip_confirm.setText("Zip-Pass-2026")
    shot(wiz, "61e-wizard-establishment")
    wiz.button(QWizard.WizardButton.FinishButton).click()
    pump(lambda: not wiz.isVisible() and w.connect_button.isEnabled(), what="ready")
    shot(w, "62-ready")

    from denshi_client.ui.profiles_page import ProfileDialog, ProfilesPage

    editor = services.profile_editor()
    for n, name in ((789, "有限会社テスト工業"), (456, "株式会社みどり物産 大阪支店"), (1001, "医療法人さくら会")):
        editor.create(establishment=str(n), name=name, user_id=f"user{n}", mode="browser", zip_password=f"pw{n}")
    page = ProfilesPage(bridge)
    page.resize(760, 360)
    page.show()
    page.filter.setText("大阪")
    shot(page, "63-establishments-filter")
    page.hide()
    dlg = ProfileDialog(editor.store.get(bridge.active_id() or ""), w, services=services)
    dlg.show()
    pump(lambda: dlg.vpn_account.count() > 0, what="VPN settings in the dialog")
    dlg.vpn_account.showPopup()
    shot(dlg, "64-profile-dialog")
    dlg.vpn_account.hidePopup()
    dlg.reject()
    w.hide()
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
