"""Screenshots of every screen, taken from the real app in demo mode under Xvfb.

    .venv/bin/python docs/screenshots/make_screenshots.py      # re-runs itself under xvfb-run

Needs Xvfb and a CJK font (fonts-ipafont-gothic). The demo runs on a fake clock set to a
weekday morning, so the countdown and the warnings are the same on every run; the clock is
moved in one-minute steps (a bigger jump would look like the PC slept, and the core would end
the session for that reason). Windows and dialogs are captured with QWidget.grab().
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
    tmp = Path(tempfile.mkdtemp(prefix="denshi-shots-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(tmp / "home")
    os.environ["DENSHI_CLIENT_SITE_DIR"] = str(tmp / "site")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(tmp / "xdg")
    site = tmp / "site"
    site.mkdir(parents=True)
    # IT has fixed the ZIP format for this company: the settings screen must show it locked.
    (site / "policy.toml").write_text('[zip]\nformat = "zipcrypto"\n\n[lock]\nkeys = ["zip.format"]\n',
                                      encoding="utf-8")

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import JST, FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.portal.standin.pdfgen import make_pdf
    from denshi_client.session import Phase
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    clock = FakeClock(datetime(2024, 5, 24, 10, 0, tzinfo=JST))  # Friday 10:00 JST
    env = DemoEnvironment.start(accelerate=1.0, base_clock=clock, browser_delay_s=0.05)
    shots: list[str] = []

    def pump(pred: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not pred():
            app.processEvents()
            if time.monotonic() > end:
                raise TimeoutError(what or "condition")
            time.sleep(0.02)
        for _ in range(5):
            app.processEvents()

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(widget: object, name: str) -> None:
        settle()
        path = HERE / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        shots.append(path.name)
        print("saved", path.relative_to(ROOT))

    def advance_to(remaining_s: float) -> None:
        """Move the fake clock in 60-second steps until the countdown shows `remaining_s` or less."""
        while (snap := env.services.machine.snapshot()).remaining_s is not None and snap.remaining_s > remaining_s:
            clock.advance(min(60.0, snap.remaining_s - remaining_s + 1))
            env.services.machine.touch()  # the user is working (or the idle end would come first)
            env.services.machine.tick()
            app.processEvents()

    def make_window() -> MainWindow:
        bridge = SessionBridge(env.services, demo=env, tick_ms=200)
        w = MainWindow(bridge, demo=env)
        w.quit_app = lambda: None  # type: ignore[method-assign]
        # the app's own first size (clamped to the usable area of the 1366x768 screen)
        w.show()
        w.after_shown()
        pump(lambda: w.isVisible(), what="window shown")
        return w

    def connect(w: MainWindow) -> None:
        dialogs: list[object] = []
        w.flow.otp_dialog_shown.connect(dialogs.append)
        w.connect_button.click()
        pump(lambda: bool(dialogs), what="OTP dialog")
        dlg = dialogs[0]
        pump(lambda: bool(env.demo_otp()), what="OTP mail")
        return dlg  # type: ignore[return-value]

    w = make_window()
    pump(lambda: w.history.status.text() != "", what="history loaded")
    shot(w, "01-main-offline")

    dlg = connect(w)
    shot(dlg, "02-otp-dialog")
    dlg.edit.setText(env.demo_otp() or "")  # type: ignore[attr-defined]
    dlg.buttons.buttons()[0].click()  # type: ignore[attr-defined]
    pump(lambda: env.services.machine.phase is Phase.READY, what="ready")
    pump(lambda: w.inbox.table.rowCount() > 0, what="inbox listed")
    for step in (60, 60, 60, 12):  # a few minutes into the visit (small steps: a big jump looks like sleep)
        clock.advance(step)
        env.services.machine.tick()
    w.inbox.table.selectRow(0)
    shot(w, "03-connected-countdown")

    got: list[object] = []
    w.inbox.downloaded.connect(got.append)
    w.inbox.download_all()
    try:
        pump(lambda: bool(got), 60, what="download")
    except TimeoutError:
        print("inbox says:", w.inbox.message.text(), w.inbox.summary.text(), w.bridge.current_establishment(),
              [d.establishment for d in w.inbox.docs], w.inbox.cancel_token, w.bridge.active_id())
        raise
    w.inbox.filed.setCurrentRow(0)
    shot(w, "04-inbox-downloaded")

    # 送信: a scanned form whose name says nothing useful; the establishment number is mistyped.
    mine = tmp / "スキャン"
    mine.mkdir()
    src = mine / "scan_0001.pdf"
    src.write_bytes(make_pdf("資格取得届", ["被保険者 山田 太郎", "資格取得年月日 令和6年5月1日"]))
    w.show_tab(w.outbox)
    w.outbox.add_files([src])
    a = w.outbox.assistant
    a.form.setCurrentText("資格取得届")
    a.date.setDate(QDate(2024, 5, 24))
    a.establishment.setText("12345")
    pump(lambda: a.pdf_result.text().startswith(("✔", "✖")), what="pdf check")
    shot(w, "05-outbox-naming-error")

    a.establishment.setText("0123")
    pump(lambda: w.outbox.can_queue(), what="name ok")
    w.outbox.queue_current()
    second = mine / "20240524_資格喪失届_鈴木.pdf"
    second.write_bytes(make_pdf("資格喪失届", ["被保険者 鈴木 花子", "資格喪失年月日 令和6年5月20日"]))
    w.outbox.add_files([second])
    pump(lambda: w.outbox.can_queue(), what="second name ok")
    w.outbox.queue_current()
    done: list[object] = []
    w.outbox.upload_finished.connect(done.append)
    w.outbox.send_waiting()
    pump(lambda: len(done) >= 2, 60, what="uploads")
    w.outbox.queue.selectRow(0)
    shot(w, "06-upload-queue-receipt")

    w.show_tab(w.history)
    w.history.refresh()
    pump(lambda: w.history.table.rowCount() >= 3, what="history rows")
    shot(w, "07-history")

    dlg = w.open_settings()
    pump(lambda: dlg.isVisible(), what="settings")
    dlg.tabs.setCurrentIndex(4)  # Zipファイル: locked by IT
    shot(dlg, "08-settings-locked")
    dlg.tabs.setCurrentIndex(0)
    shot(dlg, "08b-settings-establishments")
    dlg.reject()

    w.show_tab(w.inbox)
    advance_to(15 * 60 - 30)
    try:
        pump(lambda: "あと約15分" in w.banner_label.text(), what="warning")
    except TimeoutError:
        print("banner:", w.banner_label.text(), env.services.machine.snapshot())
        raise
    shot(w, "09-warning")

    w.close()
    pump(lambda: w.close_box is not None and w.close_box.isVisible(), what="close choice")
    shot(w.close_box, "10-close-choice")
    next(b for b in w.close_box.buttons() if b.objectName() == "cancelClose").click()
    settle()

    advance_to(0)
    env.services.machine.tick()
    pump(lambda: w.end_box is not None and w.end_box.isVisible(), 30, what="end box")
    pump(lambda: w.header.state == "offline", what="offline after the end")
    shot(w.end_box, "11-session-ended")
    w.end_box.accept()
    shot(w, "11b-main-after-end")

    # Browser mode (the real service today): 0789 works in the browser; the app files what it downloads
    # and prepares named, password-zipped uploads for the browser's upload dialog.
    w.bridge.set_active("demo-0789")
    w.reload_profiles()
    dlg = connect(w)
    dlg.buttons.buttons()[0].click()  # type: ignore[attr-defined]  (the OTP goes into the service's page)
    pump(lambda: env.services.machine.phase is Phase.READY, what="ready (browser)")
    pump(lambda: w.inbox.filed.count() >= 2, 60, what="browser downloads filed")
    shot(w, "13-browser-mode-inbox")
    w.show_tab(w.outbox)
    third = mine / "資格取得届_佐藤.pdf"
    third.write_bytes(make_pdf("資格取得届", ["被保険者 佐藤 一郎", "資格取得年月日 令和6年5月21日"]))
    w.outbox.add_files([third])
    a.date.setDate(QDate(2024, 5, 24))
    pump(lambda: w.outbox.can_queue(), what="browser name ok")
    w.outbox.queue_current()
    done.clear()
    w.outbox.send_waiting()
    pump(lambda: len(done) >= 1 and w.outbox.ready.count() >= 1, 30, what="upload-ready zip")
    w.outbox.ready.setCurrentRow(0)
    shot(w, "14-browser-mode-upload-ready")
    env.services.machine.end()
    pump(lambda: w.header.state == "offline", 30, what="browser visit ended")

    # English: a second window with the English catalogue, connected.
    i18n.install(app, "en")
    w.hide()
    we = make_window()
    we.bridge.set_active("demo-0123")
    we.reload_profiles()
    dlg = connect(we)
    dlg.edit.setText(env.demo_otp() or "")  # type: ignore[attr-defined]
    dlg.buttons.buttons()[0].click()  # type: ignore[attr-defined]
    pump(lambda: env.services.machine.phase is Phase.READY, what="ready (en)")
    pump(lambda: we.inbox.table.rowCount() > 0, what="inbox (en)")
    shot(we, "12-main-english")
    env.services.machine.end()
    env.stop()
    print("screenshots:", ", ".join(shots))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
