#!/usr/bin/env python3
"""Sets everything up and runs Denshi Client — the README's two commands.

    python3 dev.py demo    # install what is needed, start the app in demo mode
    python3 dev.py test    # install what is needed, run the whole test suite (CI runs this)

On Debian/Ubuntu it installs the system packages the tests need (SoftEther VPN
server/client/vpncmd, 7-Zip, Xvfb, a CJK font, ...) with apt-get when run as
root (or with sudo). On Windows it needs only Python 3.11+.
Everything Python goes into ./.venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
IS_WIN = os.name == "nt"
APT_PACKAGES_FILE = ROOT / ".ci" / "apt-packages.txt"


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


def cmd_test(args: list[str]) -> int:
    apt_install()
    py = ensure_venv("test")
    env = dict(os.environ)
    env.setdefault("PYTHONUTF8", "1")
    bindir = py.parent
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    rc = run([py, "-m", "ruff", "check", "src", "tests", "benchmarks", "dev.py"], cwd=ROOT, env=env)
    rc |= run([py, "-m", "mypy"], cwd=ROOT, env=env)
    cmd = [py, "-m", "pytest", "-p", "no:cacheprovider", "--durations=15", *args]
    if not IS_WIN and shutil.which("xvfb-run") and not env.get("DISPLAY"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x900x24", *cmd]
    prc = run(cmd, cwd=ROOT, env=env)
    if prc == 5:
        log("pytest collected no tests: treating as failure")
    if prc != 0 or rc != 0:
        log(f"FAILED (lint/type rc={rc}, pytest rc={prc})")
        return 1
    log("all checks passed")
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        print(__doc__)
        return 2
    return {"demo": cmd_demo, "test": cmd_test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
