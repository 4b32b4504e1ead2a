"""Browser mode in the embedded page: time from the logout click in the page to the VPN down.

The whole app as in demo mode: the real main window (real Qt, real Chromium via Qt WebEngine), the
stand-in service's web UI on 127.0.0.1, the stand-in VPN driver (0.1 s connect). Each run: connect the
browser-mode establishment, the OTP filled in by the app, ログイン in the page, then ログアウト clicked in the
page; the clock runs from the click until the VPN driver reports the account not connected (polled
every 2 ms), and until the session machine reports the visit ended. What it covers: the page's logout
navigation, the app seeing the logout URL, ending the visit (history, state file) and the disconnect.

    python3 dev.py xrun .venv/bin/python benchmarks/bench_web_logout.py [--runs 5]

Each run is a fresh app process (one visit each, like a user's morning): the figures are not
influenced by a previous visit's leftovers, and a crash in one run is reported, not averaged away.

No target in the issue: a safety figure (the user leaves the page, the VPN must not stay up). Writes
benchmarks/out/web_logout.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
# PySide6 6.12 on Python 3.11 drops one reference to None on every call of a method returning void
# (QTimer.setInterval, QCoreApplication.processEvents, ...): it counts on None being immortal, as it is
# from Python 3.12. The polling below makes thousands of such calls; without extra references Python
# aborts ("none_dealloc") within a few visits. 5 million references (40 MB) hold for this benchmark.
_NONE_BALLAST = [None] * 5_000_000


def _wait(app: Any, cond: Callable[[], bool], timeout: float, what: str, step_ms: int = 2) -> float:
    """Process Qt events until cond() holds; returns perf_counter() at that moment."""
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + timeout
    while True:
        if cond():
            return time.perf_counter()
        if time.perf_counter() > end:
            raise TimeoutError(f"timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, step_ms)


def _collector() -> tuple[list[Any], Callable[..., None]]:
    """A list and a slot that appends to it (a signal's one argument, or all of them)."""
    box: list[Any] = []

    def put(*args: Any) -> None:
        box.append(args[0] if len(args) == 1 else args)

    return box, put


def _js(app: Any, page: Any, script: str) -> Any:
    box, put = _collector()
    page.web.runJavaScript(script, 0, put)
    _wait(app, lambda: bool(box), 10, "a script result")
    return box[0]


def one_visit() -> dict[str, Any]:
    """One app process, one browser-mode visit: the seconds from the logout click to the VPN down."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses root with its sandbox
    home = Path(tempfile.mkdtemp(prefix="bench-web-logout-"))
    os.environ["DENSHI_CLIENT_HOME"] = str(home)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")

    from PySide6.QtWidgets import QApplication

    from denshi_client.demo import DemoEnvironment
    from denshi_client.session import Phase
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge
    from denshi_client.vpn.model import ConnState

    app = QApplication.instance() or QApplication(sys.argv)
    env = DemoEnvironment.start(None, home=home / "demo", browser_delay_s=0.05, open_url=lambda url: None)
    bridge = SessionBridge(env.services, demo=env, tick_ms=200)
    w = MainWindow(bridge, demo=env, install_hooks=False)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    w.show()
    pid = "demo-0789"
    account = env.services.session_profile(pid).vpn_account
    machine = env.services.machine
    driver: Any = env.driver
    opened, on_opened = _collector()
    filled, on_filled = _collector()

    def watch(page: Any) -> None:  # at once: the page may fill the OTP before the next poll
        on_opened(page)
        page.otp_filled.connect(on_filled)

    try:
        _wait(app, lambda: bridge.ready, 20, "the services")
        bridge.set_active(pid)
        w.web.opened.connect(watch)
        bridge.start(pid)  # the OTP request page (the demo browser plays it): the OTP mail
        _wait(app, lambda: bool(env.demo_otp()), 20, "the OTP mail")
        otp = env.demo_otp()
        bridge.submit_otp(otp)  # typed into the app's OTP dialog; the page gets it filled in
        _wait(app, lambda: machine.phase is Phase.READY and bool(opened), 30, "the page")
        page = opened[0]
        _wait(app, lambda: filled == [True], 30, "the OTP filled in")
        assert _js(app, page, "document.getElementById('otp').value") == otp
        loaded, on_loaded = _collector()
        page.web.loadFinished.connect(on_loaded)
        page.web.runJavaScript("document.getElementById('login').click()")
        _wait(app, lambda: page.web.url().path() == "/web/menu" and bool(loaded), 20, "the menu")
        assert driver.status(account).state is ConnState.CONNECTED
        t0 = time.perf_counter()
        assert _js(app, page, "document.getElementById('logout').click(); true") is True
        t_down = _wait(app, lambda: driver.status(account).state is not ConnState.CONNECTED, 30, "the VPN down")
        t_end = _wait(app, lambda: machine.phase in (Phase.ENDED, Phase.IDLE), 30, "the visit ended")
        _wait(app, lambda: w.web.page is None, 10, "the page closed")
    finally:
        if machine.phase is Phase.READY:
            machine.end()
        bridge.close()
        w.hide()
        env.stop()
    from PySide6.QtWebEngineCore import qWebEngineChromiumVersion

    return {"vpn_down_s": t_down - t0, "ended_s": t_end - t0, "chromium": str(qWebEngineChromiumVersion()),
            "platform": app.platformName()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print("RESULT " + json.dumps(one_visit()), flush=True)
        return 0
    down: list[float] = []
    ended: list[float] = []
    failed: list[str] = []
    info: dict[str, Any] = {}
    for run in range(args.runs):
        p = subprocess.run([sys.executable, __file__, "--one"], capture_output=True, text=True, timeout=180)
        line = next((x for x in p.stdout.splitlines() if x.startswith("RESULT ")), None)
        if p.returncode != 0 or line is None:
            failed.append(f"run {run + 1}: rc={p.returncode} {(p.stderr.strip().splitlines() or [''])[-1][:200]}")
            print(failed[-1], flush=True)
            continue
        r = json.loads(line[len("RESULT "):])
        info = {"chromium": r["chromium"], "platform": r["platform"]}
        down.append(r["vpn_down_s"])
        ended.append(r["ended_s"])
        print(f"run {run + 1}: logout click -> VPN down {r['vpn_down_s']:.3f} s, -> visit ended {r['ended_s']:.3f} s",
              flush=True)
    if not down:
        print("no run finished", file=sys.stderr)
        return 1
    res = {
        "runs": args.runs, "finished": len(down), "failed": failed, **info,
        "click_to_vpn_down_s": {"median": round(statistics.median(down), 3), "max": round(max(down), 3),
                                "all": [round(x, 3) for x in down]},
        "click_to_visit_ended_s": {"median": round(statistics.median(ended), 3), "max": round(max(ended), 3)},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "web_logout.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(json.dumps(res, indent=2))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
