"""The routine visit at 1366x768 (issue 13), in demo mode with two forms queued and three new notices:

70 before connecting (what the visit will do), 71 the work running by itself, 72 the countdown to the
disconnect, 73 disconnected. Run on the real X display of `dev.py xrun` (Xvfb 1366x768):
    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_visit.py
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _seed(env: Any, tmp: Path) -> None:
    from denshi_client.documents.archive import ZipFormat, pack
    from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
    from denshi_client.portal.standin.pdfgen import make_pdf
    from denshi_client.session.outbox_queue import SendQueue

    svc = env.service
    for rec in svc.documents():
        svc.mark_read(rec)
    for i, (est, title) in enumerate([("0123", "決定通知書"), ("0123", "掛金計算書"), ("0456", "納入告知書")]):
        pdf = tmp / f"n{i}.pdf"
        pdf.write_bytes(make_pdf(title, [title, "見本"]))
        z = tmp / f"20261202_{est}_{title}.zip"
        pack([pdf], z, DEMO_ZIP_PASSWORDS[est], fmt=ZipFormat.AES256, arcnames=[f"{title}.pdf"])
        svc.add_document(z, establishment=est, doc_type="決定通知書", title=title)
    s = env.services
    q = SendQueue(s.transfers, s.history, s.transfers.clock)
    for pid, name, form in (("demo-0123", "取得 スキャン.pdf", "資格取得届"),
                            ("demo-0456", "喪失 スキャン.pdf", "資格喪失届")):
        src = tmp / name
        src.write_bytes(make_pdf(form, ["被保険者 山田 太郎"]))
        q.add(s.session_profile(pid), [src], form_name=form, filing_date="2026-12-02")


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="denshi-shots-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(tmp / "home")
    os.environ["DENSHI_CLIENT_SITE_DIR"] = str(tmp / "site")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(tmp / "xdg")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import JST, FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.session import Phase
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    clock = FakeClock(datetime(2026, 12, 2, 10, 0, tzinfo=JST))
    env = DemoEnvironment.start(accelerate=1.0, base_clock=clock, browser_delay_s=0.05)
    work = tmp / "mine"
    work.mkdir()
    _seed(env, work)

    def pump(pred: Callable[[], bool], timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while not pred():
            app.processEvents()
            if time.monotonic() > end:
                raise TimeoutError
            time.sleep(0.02)
        for _ in range(10):
            app.processEvents()
            time.sleep(0.02)

    bridge = SessionBridge(env.services, demo=env, tick_ms=200)
    w = MainWindow(bridge, demo=env)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    screen = app.primaryScreen().availableGeometry()
    w.resize(min(1366, screen.width()), min(728, screen.height()))
    w.show()
    pump(lambda: w.isVisible() and "送信待ち 2件" in w.visit_panel.summary.text())

    def save(name: str) -> None:
        path = HERE / name
        w.grab().save(str(path))
        print("saved", path, w.size().width(), "x", w.size().height(), "|", w.visit_panel.summary.text(), "|",
              w.visit_panel.status.text(), "|", w.banner_label.text())

    save("70-visit-before.png")
    shots: list[str] = []

    def on_visit_event(ev: Any) -> None:  # after the panel has shown it (connected after the controller)
        if ev.kind == "filed" and "71" not in shots:
            shots.append("71")
            save("71-visit-working.png")

    w.visit._from_worker.connect(on_visit_event)
    dialogs: list[Any] = []
    w.flow.otp_dialog_shown.connect(dialogs.append)
    w.connect_button.click()
    pump(lambda: bool(dialogs) and dialogs[0].edit.text() != "")
    dialogs[0].buttons.buttons()[0].click()
    pump(lambda: w.visit_panel.countdown.isVisible(), timeout=60)
    pump(lambda: "28秒後" in w.visit_panel.countdown_label.text(), timeout=10)
    save("72-visit-countdown.png")
    pump(lambda: env.services.machine.phase in (Phase.ENDED, Phase.IDLE) and "VPNは切断しました" in
         w.visit_panel.status.text(), timeout=60)
    pump(lambda: "送信待ちなし" in w.visit_panel.summary.text())
    save("73-visit-done.png")
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
