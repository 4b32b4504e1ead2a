"""UI tests: real widgets on a real X server (xcb, Xvfb with a tray host) against the real stand-in
service and stand-in VPN.

The session core runs on a FakeClock so a 90-minute visit, its warnings and its end take no
time; everything else is real: HTTP on 127.0.0.1, password ZIPs, SQLite history, the file
keyring. Tests wait on signals and conditions (qtbot), never on sleeps.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.portal.standin.pdfgen import make_pdf
from denshi_client.portal.standin.server import StandInService
from denshi_client.session import SessionConfig, SessionDeps, SessionMachine, SessionMode, SessionProfile
from denshi_client.session.browser_mode import BrowserMode
from denshi_client.session.recovery import StateFile, recover
from denshi_client.session.transfers import TransferQueue, Transfers
from denshi_client.store.history import History
from denshi_client.store.paths import app_paths
from denshi_client.store.secrets import SecretStore
from denshi_client.vpn.standin import StandInVpnDriver
from tests.conftest import require_tool

pytestmark = pytest.mark.qt

NOW = datetime(2024, 5, 24, 10, 0, tzinfo=JST)  # a Friday morning, inside service hours


@dataclass
class Services:
    """The shape of `AppServices` the bridge uses, composed from the real core parts."""

    machine: SessionMachine
    transfers: Transfers
    browser: BrowserMode
    history: History
    vpn: StandInVpnDriver
    state_file: StateFile
    profiles: list[SessionProfile] = field(default_factory=list)

    def profiles_for_ui(self) -> list[SessionProfile]:
        return list(self.profiles)

    def session_profile(self, profile_id: str) -> SessionProfile:
        return next(p for p in self.profiles if p.id == profile_id)

    def recover(self) -> Any:
        return recover(self.vpn, self.state_file, accounts=[p.vpn_account for p in self.profiles])

    def close(self) -> None:
        pass


@dataclass
class World:
    tmp: Path
    clock: FakeClock
    svc: StandInService
    client: HttpPortalClient
    services: Services

    @property
    def machine(self) -> SessionMachine:
        return self.services.machine

    def otp(self) -> str:
        otp = self.svc.latest_otp("demo")
        assert otp
        return otp

    def pdf(self, name: str, title: str = "資格取得届") -> Path:
        p = self.tmp / "mine" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(make_pdf(title, ["被保険者 山田 太郎", "資格取得年月日 令和6年5月1日"]))
        return p


def _profile(tmp: Path, mode: SessionMode = SessionMode.DIRECT) -> SessionProfile:
    return SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", "denshi-0123", user_id="demo", mode=mode,
                          documents_folder=str(tmp / "docs" / "0123"), download_dir=str(tmp / "downloads"),
                          upload_folder=str(tmp / "docs" / "0123" / "送信準備"),
                          auth_url="http://127.0.0.1:9/auth")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FakeClock(NOW)
    svc = StandInService(tmp_path / "standin", clock)
    svc.start()
    client = HttpPortalClient(svc.base_url, retries=1, backoff_s=0, sleep=lambda s: None)
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account("denshi-0123", password="pw")
    state = StateFile(app_paths().ensure().state_file)
    config = SessionConfig(idle_timeout_s=0, enforce_hours=False, sleep_gap_s=1e9, vpn_poll_s=30)
    machine = SessionMachine(SessionDeps(vpn=vpn, portal_for=lambda p: client, state_file=state,
                                         open_url=lambda url: None), clock, config)
    SecretStore().set("e0123", "zip_password", DEMO_ZIP_PASSWORDS["0123"])
    history = History(tmp_path / "history.sqlite3", clock=clock)
    transfers = Transfers(gate=machine, secrets=SecretStore(), history=history,
                          queue=TransferQueue(tmp_path / "queue.json"), cache_dir=tmp_path / "cache", clock=clock)
    browser = BrowserMode(machine, transfers, clock)
    services = Services(machine, transfers, browser, history, vpn, state, [_profile(tmp_path)])
    w = World(tmp_path, clock, svc, client, services)
    yield w
    machine.end(wait_s=5)
    browser.detach()
    history.close()
    client.close()
    svc.stop()


@pytest.fixture
def window(qtbot: Any, world: World) -> Iterator[Any]:
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    bridge = SessionBridge(world.services, tick_ms=50)
    w = MainWindow(bridge, install_hooks=False)
    w.quits: list[int] = []  # type: ignore[attr-defined]
    w.quit_app = lambda: w.quits.append(1)  # type: ignore[attr-defined]
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    bridge.close()


@contextmanager
def demo_app(qtbot: Any, home: Path, seed: Callable[[Any], None] | None = None) -> Iterator[tuple[Any, Any]]:
    """The app in demo mode, as `denshi-client --demo` builds it (the demo clock on a fixed weekday);
    `seed` fills the demo service before the window opens. Yields (window, DemoEnvironment)."""
    from denshi_client.demo import DemoEnvironment
    from denshi_client.session.model import EndCause
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    env = DemoEnvironment.start(None, home=home, base_clock=FakeClock(NOW), browser_delay_s=0,
                                open_url=lambda url: pytest.fail(f"a real browser was opened: {url}"))
    if seed is not None:
        seed(env)
    bridge = SessionBridge(env.services, demo=env, tick_ms=50)
    w = MainWindow(bridge, demo=env, install_hooks=False)
    w.quit_app = lambda: None
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        yield w, env
    finally:
        env.services.machine.end(EndCause.QUIT)
        bridge.close()
        env.stop()


@pytest.fixture
def demo_window(qtbot: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    with demo_app(qtbot, tmp_path / "demo") as pair:
        yield pair


@pytest.fixture(autouse=True)
def _manual_visit() -> None:
    """These tests drive each step by hand (download, send, disconnect): the routine visit's automatic work
    and its countdown are off here. tests/ui/test_routine_visit.py turns them back to the defaults."""
    from denshi_client.store.settings import set_user_value

    for key, value in (("visit.send_queue", False), ("visit.fetch_new", False),
                       ("visit.disconnect_countdown_seconds", 0)):
        set_user_value(key, value)


@pytest.fixture(autouse=True)
def _tray_icons_leave_with_their_test(qapp: Any) -> Iterator[None]:
    """A closed window lives on until it is collected, and so would its tray icon: hide them, so that
    the icons of earlier tests do not crowd the tray host and move the icon a tray test points at."""
    yield
    from PySide6.QtWidgets import QApplication

    for w in QApplication.topLevelWidgets():
        tray = getattr(w, "tray", None)
        if tray is not None and hasattr(tray, "hide"):
            tray.hide()


def connect(qtbot: Any, w: Any, world: World, *, type_otp: bool = True) -> None:
    """The guided connect, as a user does it: 接続 → read the OTP mail → type it → VPN接続を開始."""
    from PySide6.QtCore import Qt

    from denshi_client.session import Phase

    with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=10000) as blocker:
        qtbot.mouseClick(w.connect_button, Qt.MouseButton.LeftButton)
    dlg = blocker.args[0]
    if type_otp:  # browser mode: the OTP is typed into the service's page, not here
        qtbot.keyClicks(dlg.edit, world.otp())
    qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: world.machine.phase is Phase.READY, timeout=10000)
    qtbot.waitUntil(lambda: w.header.state == "connected", timeout=5000)


@dataclass(frozen=True)
class XWindow:
    id: int
    x: int  # absolute, on the screen
    y: int
    width: int
    height: int
    viewable: bool


class X11:
    """The test display seen from outside Qt, with the X tools (xdotool, xwininfo, xprop) a desktop user's
    session answers to: which client's window holds which, and real pointer and key input."""

    def __init__(self) -> None:
        self.tools = {t: require_tool(t) for t in ("xdotool", "xwininfo", "xprop")}

    def _run(self, tool: str, *args: str) -> str:
        p = subprocess.run([self.tools[tool], *args], capture_output=True, text=True, timeout=20)
        return p.stdout

    def windows_of(self, pid: int) -> list[int]:
        return [int(w) for w in self._run("xdotool", "search", "--pid", str(pid)).split()]

    def info(self, wid: int) -> XWindow:
        out = self._run("xwininfo", "-id", str(wid))

        def num(label: str) -> int:
            m = re.search(rf"{label}:\s+(-?\d+)", out)
            assert m, out
            return int(m.group(1))

        return XWindow(wid, num("Absolute upper-left X"), num("Absolute upper-left Y"), num("Width"),
                       num("Height"), "Map State: IsViewable" in out)

    def parent(self, wid: int) -> int:
        out = self._run("xwininfo", "-children", "-id", str(wid))
        m = re.search(r"Parent window id: (0x[0-9a-f]+)", out)
        assert m, out
        return int(m.group(1), 16)

    def root(self, wid: int) -> int:
        m = re.search(r"Root window id: (0x[0-9a-f]+)", self._run("xwininfo", "-children", "-id", str(wid)))
        assert m
        return int(m.group(1), 16)

    def top_level(self, wid: int) -> int:
        """The child of the root window that `wid` lives in (itself when nobody reparented it)."""
        root = self.root(wid)
        while (up := self.parent(wid)) not in (root, 0):
            wid = up
        return wid

    def pid_of(self, wid: int) -> int | None:
        m = re.search(r"= (\d+)", self._run("xprop", "-id", str(wid), "_NET_WM_PID"))
        return int(m.group(1)) if m else None

    def click(self, x: int, y: int, button: int = 1) -> None:
        self._run("xdotool", "mousemove", str(x), str(y), "click", str(button))

    def move(self, x: int, y: int) -> None:
        self._run("xdotool", "mousemove", str(x), str(y))

    def key(self, name: str) -> None:
        self._run("xdotool", "key", name)


@pytest.fixture
def x11(tray_host: None) -> X11:
    """The X tools on the test display (which has a tray host: see tests/conftest.py)."""
    assert os.environ.get("DISPLAY")
    return X11()
