"""History screenshot at 1366x768 (issue 14, item 9): a received row chosen, with ファイルを開く /
フォルダーを開く / 印刷 for its filed PDF.

    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_history_open_print.py
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

    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import JST, FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.session import Phase
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    clock = FakeClock(datetime(2024, 5, 24, 10, 0, tzinfo=JST))
    env = DemoEnvironment.start(accelerate=1.0, base_clock=clock, browser_delay_s=0.05)

    def pump(pred: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not pred():
            app.processEvents()
            if time.monotonic() > end:
                raise TimeoutError(what or "condition")
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
    w.after_shown()
    pump(lambda: w.isVisible(), what="window")
    dialogs: list[object] = []
    w.flow.otp_dialog_shown.connect(dialogs.append)
    w.connect_button.click()
    pump(lambda: bool(dialogs) and bool(env.demo_otp()), what="OTP")
    dlg = dialogs[0]
    dlg.edit.setText(env.demo_otp() or "")  # type: ignore[attr-defined]
    dlg.buttons.buttons()[0].click()  # type: ignore[attr-defined]
    pump(lambda: env.services.machine.phase is Phase.READY, what="ready")
    inbox = w.inbox
    pump(lambda: inbox.download_new_button.isEnabled(), what="inbox listed")
    inbox.download_new()
    pump(lambda: inbox.filed.count() > 0 and inbox.cancel_token is None, what="downloaded")
    hist = w.history
    w.show_tab(hist)
    hist.refresh()
    pump(lambda: any(r.direction == "receive" for r in hist.records), what="history")
    row = next(i for i, r in enumerate(hist.records) if r.direction == "receive" and r.result == "ok")
    hist.table.selectRow(row)
    pump(lambda: hist.open_file_button.isEnabled(), what="buttons")
    path = HERE / "42-history-open-print.png"
    w.grab().save(str(path))
    print("saved", path, w.size().width(), "x", w.size().height())
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
