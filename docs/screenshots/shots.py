"""What every screenshot script here does first: an isolated home, Qt in Japanese, the demo on a fake clock,
the main window at 1366x728, and a pump that waits for a condition (never a fixed sleep).

    from shots import start_demo   # the scripts run from this folder: `python docs/screenshots/<script>.py`
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass
class Demo:
    tmp: Path  # the run's own folder (home, site, and room for the script's files)
    app: Any   # the QApplication
    env: Any   # the DemoEnvironment

    def pump(self, pred: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
        """Runs the event loop until `pred` holds, then a little longer so the screen has painted."""
        end = time.monotonic() + timeout
        while not pred():
            self.app.processEvents()
            if time.monotonic() > end:
                raise TimeoutError(what or "condition")
            time.sleep(0.02)
        for _ in range(10):
            self.app.processEvents()
            time.sleep(0.02)

    def main_window(self) -> Any:
        """The demo's main window as an office screen shows it (1366x728 when the screen allows), shown."""
        from denshi_client.ui.main_window import MainWindow
        from denshi_client.ui.session_bridge import SessionBridge

        bridge = SessionBridge(self.env.services, demo=self.env, tick_ms=200)
        w = MainWindow(bridge, demo=self.env)
        w.quit_app = lambda: None
        screen = self.app.primaryScreen().availableGeometry()
        w.resize(min(1366, screen.width()), min(728, screen.height()))
        w.show()
        return w

    def connect(self, w: Any) -> None:
        """接続, the demo's OTP typed into the dialog, VPN接続を開始; returns once the session is ready."""
        from denshi_client.session import Phase

        dialogs: list[Any] = []
        w.flow.otp_dialog_shown.connect(dialogs.append)
        w.connect_button.click()
        self.pump(lambda: bool(dialogs) and bool(self.env.demo_otp()), what="OTP")
        dialogs[0].edit.setText(self.env.demo_otp() or "")
        dialogs[0].buttons.buttons()[0].click()
        self.pump(lambda: self.env.services.machine.phase is Phase.READY, what="ready")

    def save(self, widget: Any, name: str) -> Path:
        path = HERE / name
        widget.grab().save(str(path))
        return path


def start_demo(at: datetime) -> Demo:
    """A fresh home (nothing of the user's is read or written), then the demo whose clock starts at `at`."""
    tmp = Path(tempfile.mkdtemp(prefix="denshi-shots-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(tmp / "home")
    os.environ["DENSHI_CLIENT_SITE_DIR"] = str(tmp / "site")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(tmp / "xdg")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtWidgets import QApplication

    from denshi_client.clock import FakeClock
    from denshi_client.demo import DemoEnvironment
    from denshi_client.ui import i18n

    app = QApplication(["denshi-client"])
    i18n.install(app, "ja")
    env = DemoEnvironment.start(accelerate=1.0, base_clock=FakeClock(at), browser_delay_s=0.05)
    return Demo(tmp, app, env)
