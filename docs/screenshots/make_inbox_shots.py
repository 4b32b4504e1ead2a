"""The inbox's saved/unsaved column and the offline ZIP-password dialog (issue 14, items 5 and 6).

    python3 dev.py xrun .venv/bin/python docs/screenshots/make_inbox_shots.py   # 1366x768 Xvfb

The real app in demo mode, on a fake clock (same pictures every run). Writes
40-inbox-new-only.png and 41-zip-password-offline.png beside this file.
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

    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import JST, FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.session import Phase
    from denshi_client.store.secrets import ZIP_PASSWORD
    from denshi_client.ui import i18n
    from denshi_client.ui.bootstrap import _pending_found
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

    def shot(widget: object, name: str) -> None:
        pump(lambda: True)
        path = HERE / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        print("saved", path.name)

    bridge = SessionBridge(env.services, demo=env, tick_ms=200)
    w = MainWindow(bridge, demo=env)
    w.quit_app = lambda: None  # type: ignore[method-assign]
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
    pump(lambda: w.inbox.table.rowCount() > 0, what="inbox listed")
    inbox = w.inbox
    profile = bridge.active_profile()
    assert profile is not None
    secrets = env.services.transfers.secrets
    right = secrets.require(profile.id, ZIP_PASSWORD)
    mine = [d for d in inbox.docs if d.establishment == profile.establishment]
    env.services.transfers.download(profile, mine[:2])  # two saved earlier
    secrets.set(profile.id, ZIP_PASSWORD, "a-wrong-password")  # then the fund changed it
    got: list[object] = []
    inbox.downloaded.connect(got.append)
    inbox.refresh()
    pump(lambda: "未保存" in inbox.summary.text() and inbox.download_new_button.isEnabled(), what="saved column")
    inbox.table.selectRow(2)
    inbox.download_selected()
    pump(lambda: inbox.held_panel.isVisible(), what="held")
    secrets.set(profile.id, ZIP_PASSWORD, right)
    inbox.refresh()
    pump(lambda: inbox.download_new_button.isEnabled(), what="relisted")
    shot(w, "40-inbox-new-only")

    env.services.machine.end()
    pump(lambda: env.services.machine.phase is Phase.ENDED, what="ended")
    _pending_found(w, bridge.pending_transfers())
    inbox.open_held_selected()
    pd = inbox.password_dialog
    assert pd is not None
    pump(lambda: pd.isVisible(), what="dialog")
    pd.password.setText("x" * 12)
    pd.remember.setChecked(True)
    shot(w, "41-zip-password-offline-main")
    shot(pd, "41-zip-password-offline")
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
