#!/usr/bin/env python3
"""Sets everything up and runs Denshi Client — the README's two commands.

    python3 dev.py demo    # install what is needed, start the app in demo mode
    python3 dev.py test    # install what is needed, run the whole test suite (CI runs this)
    python3 dev.py xrun CMD...   # run CMD on the tests' private X display (Xvfb + tray host)

On Debian/Ubuntu it installs the system packages the tests need (SoftEther VPN
server/client/vpncmd, 7-Zip, Xvfb, a tray host, a CJK font, ...) with apt-get when
run as root (or with sudo). On Windows it needs only Python 3.11+.
Everything Python goes into ./.venv.

`test` always runs as CI does (CI=true: a missing tool fails, never skips). On Linux
it starts its own Xvfb (screen XVFB_SCREEN) and a system-tray host (trayer) on it,
runs the Qt tests there on the xcb platform, and stops both afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
IS_WIN = os.name == "nt"
APT_PACKAGES_FILE = ROOT / ".ci" / "apt-packages.txt"
ON_X11 = sys.platform.startswith("linux")
XVFB_SCREEN = "1366x768x24"  # the common office-laptop screen; the main window (1100x760) fits
# A small XEmbed system-tray host (freedesktop system-tray spec), as a panel at the top right.
TRAY_HOST = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
             "--transparent", "false"]


def log(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if IS_WIN else "bin/python")


def run(cmd: list[str], **kw) -> int:
    log("$ " + " ".join(map(str, cmd)))
    return subprocess.call([str(c) for c in cmd], **kw)


def apt_install() -> None:
    if IS_WIN or not shutil.which("apt-get") or not APT_PACKAGES_FILE.exists():
        return
    pkgs = [ln.split("#")[0].strip() for ln in APT_PACKAGES_FILE.read_text().splitlines()]
    pkgs = [p for p in pkgs if p]
    missing = [p for p in pkgs if subprocess.call(["dpkg", "-s", p], stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL) != 0]
    if not missing:
        return
    sudo: list[str] = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else [])
    if os.geteuid() != 0 and not sudo:
        log("cannot install system packages (not root, no sudo): " + " ".join(missing))
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*sudo, "apt-get", "update", "-qq"], env=env)
    rc = run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
    if rc != 0:
        sys.exit(f"apt-get install failed ({rc})")
    # The Debian packages try to start their daemons; our tests start private instances.
    for svc in ("softether-vpnserver", "softether-vpnclient"):
        subprocess.call([*sudo, "sh", "-c", f"command -v systemctl >/dev/null && systemctl disable --now {svc}"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ensure_venv(extras: str) -> Path:
    py = venv_python()
    if not py.exists():
        log("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras}"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        rc = run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f".[{extras}]"], cwd=ROOT)
        if rc != 0:
            sys.exit(f"pip install failed ({rc})")
        stamp.touch()
    return py


def cmd_demo(args: list[str]) -> int:
    apt_install()
    py = ensure_venv("test")
    return run([py, "-m", "denshi_client", "--demo", *args], cwd=ROOT)


def _tray_selection_owned(display: str) -> bool:
    """Whether a system-tray host owns _NET_SYSTEM_TRAY_S0 on `display` (asked with libX11 directly)."""
    lib = ctypes.util.find_library("X11")
    if not lib:
        return False
    x11 = ctypes.cdll.LoadLibrary(lib)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XGetSelectionOwner.restype = ctypes.c_ulong
    x11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(display.encode())
    if not dpy:
        return False
    try:
        return bool(x11.XGetSelectionOwner(dpy, x11.XInternAtom(dpy, b"_NET_SYSTEM_TRAY_S0", 0)))
    finally:
        x11.XCloseDisplay(dpy)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def x_session(env: dict[str, str]) -> Iterator[None]:
    """A private Xvfb with a system-tray host for the Qt tests; sets DISPLAY in `env`, stops both after.

    Private so the tests never draw on a developer's desktop and always see the same screen and tray.
    Exits with a message when Xvfb or the tray host is missing or does not come up.
    """
    for tool in ("Xvfb", TRAY_HOST[0]):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (it is in .ci/apt-packages.txt; run dev.py as root or with sudo)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", XVFB_SCREEN, "-nolisten", "tcp",
                             "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    tray: subprocess.Popen[bytes] | None = None
    try:
        ready, _, _ = select.select([read_fd], [], [], 30)
        number = os.read(read_fd, 64).decode().strip() if ready else ""
        if not number:
            sys.exit("Xvfb did not start")
        display = f":{number}"
        env["DISPLAY"] = display
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # a desktop's D-Bus tray would take the icon off this display
        env.pop("DENSHI_TEST_QT_OFFSCREEN", None)  # the local opt-in does not apply here
        tray = subprocess.Popen(TRAY_HOST, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not _tray_selection_owned(display):
            if tray.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the tray host ({TRAY_HOST[0]}) did not take the system tray on {display}")
            time.sleep(0.1)
        env["DENSHI_TEST_TRAY_HOST_PID"] = str(tray.pid)
        log(f"X display {display} (Xvfb {XVFB_SCREEN}) with the tray host {TRAY_HOST[0]} (pid {tray.pid})")
        yield
    finally:
        os.close(read_fd)
        if tray is not None:
            _stop(tray)
        _stop(xvfb)


def cmd_test(args: list[str]) -> int:
    apt_install()
    py = ensure_venv("test")
    env = dict(os.environ)
    env.setdefault("PYTHONUTF8", "1")
    env["CI"] = "true"  # the README's command is CI's command: a missing tool fails, never skips
    bindir = py.parent
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    rc = run([py, "-m", "ruff", "check", "src", "tests", "benchmarks", "dev.py"], cwd=ROOT, env=env)
    rc |= run([py, "-m", "mypy"], cwd=ROOT, env=env)
    cmd = [py, "-m", "pytest", "-p", "no:cacheprovider", "--durations=15", *args]
    with x_session(env) if ON_X11 else contextlib.nullcontext():
        prc = run(cmd, cwd=ROOT, env=env)
    if prc == 5:
        log("pytest collected no tests: treating as failure")
    if prc != 0 or rc != 0:
        log(f"FAILED (lint/type rc={rc}, pytest rc={prc})")
        return 1
    log("all checks passed")
    return 0


def cmd_xrun(args: list[str]) -> int:
    """Any command (e.g. one pytest file) on the same private X display and tray host as `test`."""
    if not args:
        sys.exit("usage: python3 dev.py xrun COMMAND [ARGS...]")
    if not ON_X11:
        return run(args)
    env = dict(os.environ)
    with x_session(env):
        return run(args, env=env)


def main() -> int:
    commands = {"demo": cmd_demo, "test": cmd_test, "xrun": cmd_xrun}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
