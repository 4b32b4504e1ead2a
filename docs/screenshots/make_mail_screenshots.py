"""Screenshots of the OTP read from the mailbox (issue 15), from the real app in demo mode under Xvfb.

    .venv/bin/python docs/screenshots/make_mail_screenshots.py    # re-runs itself under xvfb-run, 1366x768

The demo's stand-in delivers its OTP mail into its Maildir; the connect flow watches that Maildir through
the same MailSource interface as a real mailbox. The settings shot logs in to the private Dovecot of
tests/mail (when Dovecot is installed) with 「メール設定をテスト」. Dialogs are captured with QWidget.grab(),
the whole 1366x768 screen with QScreen.grabWindow(0).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _reexec_under_xvfb() -> None:
    if os.environ.get("DENSHI_SHOTS_INNER"):
        return
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        sys.exit("xvfb-run is not installed (apt-get install xvfb)")
    env = dict(os.environ, DENSHI_SHOTS_INNER="1", QT_QPA_PLATFORM="xcb")
    cmd = [xvfb, "-a", "-s", "-screen 0 1366x768x24", sys.executable, __file__, *sys.argv[1:]]
    raise SystemExit(subprocess.call(cmd, env=env))


def main() -> int:
    _reexec_under_xvfb()
    tmp = Path(tempfile.mkdtemp(prefix="denshi-mail-shots-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(tmp / "home")
    os.environ["DENSHI_CLIENT_SITE_DIR"] = str(tmp / "site")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(tmp / "xdg")
    (tmp / "site").mkdir(parents=True)
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import JST, FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.session import Phase
    from denshi_client.session.model import EndCause
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    clock = FakeClock(datetime(2024, 5, 24, 10, 0, tzinfo=JST))  # Friday 10:00 JST: inside service hours
    env = DemoEnvironment.start(accelerate=1.0, base_clock=clock, browser_delay_s=0.05)

    def pump(pred: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not pred():
            app.processEvents()
            if time.monotonic() > end:
                raise TimeoutError(what or "condition")
            time.sleep(0.02)
        for _ in range(5):
            app.processEvents()

    def save(image: Any, name: str) -> None:
        path = HERE / f"{name}.png"
        image.save(str(path))
        print("saved", path.relative_to(ROOT))

    bridge = SessionBridge(env.services, demo=env, tick_ms=200)
    w = MainWindow(bridge, demo=env)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    w.resize(1100, 700)
    w.show()
    w.after_shown()
    pump(lambda: w.isVisible() and w.flow is not None, what="window shown")
    pump(lambda: w.connect_button.isEnabled(), what="core attached")

    # 1) the dialog as it is shown: 「メールを確認しています…」 (grabbed in the slot, before the worker's answer)
    dialogs: list[Any] = []

    def shown(dlg: Any) -> None:
        dialogs.append(dlg)
        dlg.adjustSize()
        save(dlg.grab(), "20-otp-mail-waiting")

    w.flow.otp_dialog_shown.connect(shown)
    w.connect_button.click()
    pump(lambda: bool(dialogs), what="OTP dialog")
    dlg = dialogs[0]
    # 2) the code from the demo's Maildir, filled in by the worker's signal
    pump(lambda: dlg.edit.text() != "", what="code filled in")
    save(dlg.grab(), "21-otp-mail-filled")
    save(app.primaryScreen().grabWindow(0), "21b-otp-mail-filled-screen")
    dlg.buttons.buttons()[0].click()
    pump(lambda: env.services.machine.phase is Phase.READY, what="ready")
    env.services.machine.end(EndCause.USER)
    pump(lambda: not env.services.machine.phase.busy, 30, what="ended")

    # 3) typed before the mail came: the typing stays, the mail's code is offered
    dialogs.clear()
    w.flow.otp_dialog_shown.disconnect(shown)

    def typed_first(d: Any) -> None:
        dialogs.append(d)
        d.edit.setText("12345")

    w.flow.otp_dialog_shown.connect(typed_first)
    w.connect_button.click()
    pump(lambda: bool(dialogs), what="OTP dialog 2")
    dlg = dialogs[0]
    pump(lambda: dlg.use_mail_code.isVisible(), what="mail code offered")
    dlg.adjustSize()
    save(dlg.grab(), "22-otp-mail-typed-kept")
    dlg.reject()
    pump(lambda: not env.services.machine.phase.busy, 30, what="cancelled")

    # 4) settings → メール, tested against the private Dovecot when it is installed
    dovecot = None
    try:
        from tests.mail.dovecot import USER, Dovecot, dovecot_binary

        binary = dovecot_binary()
        if binary:
            dovecot = Dovecot.start(binary)
    except Exception as exc:  # no Dovecot here: the shot shows the form without a test result
        print("no private Dovecot:", exc)
    s = w.open_settings()
    pump(lambda: s.isVisible(), what="settings")
    s.tabs.setCurrentIndex(s.tabs.count() - 1)
    s.resize(760, 700)
    if dovecot is not None:
        from tests.mail.dovecot import PASSWORD

        proto = s.editor_for("mail.protocol").editor
        proto.setCurrentIndex(proto.findData("imap"))
        s.editor_for("mail.host").editor.setText("127.0.0.1")
        s.editor_for("mail.port").editor.setValue(dovecot.imaps_port)
        s.editor_for("mail.user").editor.setText(USER)
        from PySide6.QtWidgets import QLineEdit

        s.editor_for("mail.ca_bundle").editor.findChild(QLineEdit).setText(str(dovecot.ca_cert))
        s.editor_for("otp_mail.sender").editor.setText("no-reply@standin.invalid")
        s.editor_for("otp_mail.subject_contains").editor.setText("ワンタイムパスワード")
        s.mail_password.setText(PASSWORD)
        s.mail_test_button.click()
        pump(lambda: s.mail_test_button.isEnabled(), 30, what="mail test")
    pump(lambda: True)
    save(s.grab(), "23-settings-mail")
    s.reject()

    # 5) the first-start wizard's optional mail step
    from denshi_client.ui.onboarding_wizard import OnboardingWizard

    wiz = OnboardingWizard(w, driver=env.driver, demo=True)
    wiz.show()
    wiz.intro.vpn_radio.setChecked(True)
    wiz.next()
    wiz.next()
    pump(lambda: wiz.isVisible(), what="wizard")
    save(wiz.grab(), "24-wizard-mail-step")
    wiz.reject()
    if dovecot is not None:
        dovecot.stop()
    env.services.machine.end(EndCause.QUIT)
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
