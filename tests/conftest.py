"""Shared test set-up: every test gets its own app folders and a real (file) keyring.

Real components: in CI (CI=true) a missing external tool is a failure, never a skip.
Qt runs on the xcb platform against a real X server (the Xvfb and tray host that `dev.py test`
starts), so windows, focus and the notification-area icon behave as on a desktop;
DENSHI_TEST_QT_OFFSCREEN=1 is a developer's opt-in for a machine without X, refused in CI.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PYTHONUTF8", "1")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REPO = Path(__file__).resolve().parent.parent

# --- Qt WebEngine (browser mode's embedded page) -------------------------------------------------
# Chromium refuses to run as root with its sandbox, and CI (.ci/run) runs as root: the sandbox is off for
# the whole test session, set here before anything imports Qt. Tests and CI only, never the app.
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")  # Xvfb has no GPU

# --- Qt platform -------------------------------------------------------------------------------
QT_OFFSCREEN = os.environ.get("DENSHI_TEST_QT_OFFSCREEN", "") == "1"
ON_X11 = sys.platform.startswith("linux")
if QT_OFFSCREEN:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
elif ON_X11:
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # whatever the caller's environment said: tests see what users see


def require_tool(name: str) -> str:
    """Path of an external tool; fails in CI and skips locally when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"required tool {name!r} is not installed (dev.py should install it)")
    pytest.skip(f"{name} not installed")
    raise AssertionError  # unreachable


def require(condition: bool, why: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(why)
    pytest.skip(why)


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A real small filesystem (a tmpfs of `size`, e.g. "2m") mounted on `folder`; unmounted afterwards."""
    require(os.name == "posix" and os.geteuid() == 0 and shutil.which("mount") is not None,
            "mounting a small tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
                       capture_output=True, text=True)
    require(r.returncode == 0, f"mount tmpfs failed: {r.stderr}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and QT_OFFSCREEN:
        raise pytest.UsageError("DENSHI_TEST_QT_OFFSCREEN=1 is a local opt-in; CI runs Qt on xcb under Xvfb")


@pytest.fixture(scope="session")
def qapp_args(pytestconfig: pytest.Config) -> list[str]:
    """Checks the X server before pytest-qt's `qapp` creates the QApplication.

    Qt aborts the whole process when xcb cannot open the display, so this must come first:
    a missing display fails every Qt test in CI and skips them locally.
    """
    if ON_X11 and not QT_OFFSCREEN:
        display = os.environ.get("DISPLAY", "")
        require(bool(display), "no X display (DISPLAY is unset): run the tests with `python3 dev.py test`, "
                               "or set DENSHI_TEST_QT_OFFSCREEN=1 to run Qt offscreen")
        probe = subprocess.run([require_tool("xdpyinfo"), "-display", display], capture_output=True, timeout=20)
        require(probe.returncode == 0, f"X display {display!r} does not answer: {probe.stderr[-300:]!r}")
    return [pytestconfig.getini("qt_qapp_name")]


@pytest.fixture(scope="session")
def tray_host(qapp: object) -> None:
    """A system-tray host is running on the test display (fails in CI, skips locally otherwise)."""
    from PySide6.QtWidgets import QSystemTrayIcon

    require(not QT_OFFSCREEN, "the offscreen platform has no system tray")
    require(QSystemTrayIcon.isSystemTrayAvailable(),
            "no system-tray host on the test display: `python3 dev.py test` starts one (trayer)")


@pytest.fixture(autouse=True)
def _isolated_app(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Own app home, policy folder and keyring file for every test."""
    base = tmp_path_factory.mktemp("app")
    home = base / "home"
    site = base / "site"
    home.mkdir()
    site.mkdir()
    monkeypatch.setenv("DENSHI_CLIENT_HOME", str(home))
    monkeypatch.setenv("DENSHI_CLIENT_SITE_DIR", str(site))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    monkeypatch.delenv("DENSHI_LANG", raising=False)
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    kr = PlaintextKeyring()  # file under $XDG_DATA_HOME, shared with child CLI processes
    prev = keyring.get_keyring()
    keyring.set_keyring(kr)
    from denshi_client import i18n

    i18n.set_language(None)
    yield home
    keyring.set_keyring(prev)


@pytest.fixture
def app_home(_isolated_app: Path) -> Path:
    return _isolated_app


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real `denshi-client` CLI in a child process (same isolated env)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "denshi_client", *args], input=input, capture_output=True,
                          text=True, encoding="utf-8", env=e, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli
