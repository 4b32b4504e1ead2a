"""Outbox screenshots at 1366x768 (issue 14): two forms added, each under its own name, with the original
file names beside them; a third file whose name is already queued, refused with the reason.

Run on the real X display of `dev.py xrun` (Xvfb 1366x768):
    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_outbox_forms.py
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="denshi-shots-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(tmp / "home")
    os.environ["DENSHI_CLIENT_SITE_DIR"] = str(tmp / "site")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(tmp / "xdg")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import JST, FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.portal.standin.pdfgen import make_pdf
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    clock = FakeClock(datetime(2026, 12, 2, 10, 0, tzinfo=JST))
    env = DemoEnvironment.start(accelerate=1.0, base_clock=clock, browser_delay_s=0.05)

    def pump(pred: Callable[[], bool], timeout: float = 20.0) -> None:
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
    pump(lambda: w.isVisible())
    w.show_tab(w.outbox)
    out = w.outbox
    mine = tmp / "スキャン"
    mine.mkdir()
    files = []
    for name, title in (("scan0001.pdf", "資格喪失届"), ("scan0002.pdf", "資格取得届"), ("scan0003.pdf", "資格取得届")):
        p = mine / name
        p.write_bytes(make_pdf(title, ["被保険者 山田 太郎", "令和8年12月1日"]))
        files.append(p)
    out.add_files(files)
    a = out.assistant
    for form in ("資格喪失届", "資格取得届"):
        a.form.setCurrentText(form)
        a.date.setDate(QDate(2026, 12, 2))
        pump(lambda: out.can_queue())
        out.queue_current()
    a.form.setCurrentText("資格取得届")  # the third file under the second one's name: refused, with why
    a.date.setDate(QDate(2026, 12, 2))
    pump(lambda: a.pdf_result.text().startswith(("✔", "✖")) and out.add_reason.text() != "")
    path = HERE / "30-outbox-two-forms.png"
    w.grab().save(str(path))
    print("saved", path, w.size().width(), "x", w.size().height())
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
