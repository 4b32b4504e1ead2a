"""Start-up: time from process start to the main window's first paint, vs a bare PySide6 window.

Both run as fresh child processes in the same run (N times each, alternating), on the same Qt
platform (offscreen by default, `--platform xcb` under Xvfb). The child prints the wall time of
its first paint; the parent subtracts the time it spawned the child, so interpreter start-up and
imports are included for both. Target: median ratio <= 1.3.

    .venv/bin/python benchmarks/bench_startup.py [-n 5] [--platform offscreen|xcb]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.setWindowTitle("bare")
if len(sys.argv) > 1:  # second reference: the same window with one line of Japanese text
    from PySide6.QtWidgets import QLabel
    w.setCentralWidget(QLabel("電子連携クライアント"))
w.resize(1100, 760)
class F(QObject):
    done = False
    def eventFilter(self, o, e):
        if not self.done and e.type() == QEvent.Type.Paint:
            self.done = True
            print(f"first-paint {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
f = F()
w.installEventFilter(f)
w.show()
app.exec()
"""


def _run(kind: str, platform: str, home: Path) -> tuple[float, float | None]:
    """(seconds to first paint, seconds until the core services are attached — app only)."""
    env = dict(os.environ, QT_QPA_PLATFORM=platform, DENSHI_CLIENT_HOME=str(home),
               DENSHI_CLIENT_SITE_DIR=str(home / "site"), DENSHI_CLIENT_EXIT_ON_SHOWN="1",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring", XDG_DATA_HOME=str(home / "xdg"))
    if kind == "bare":
        cmd = [sys.executable, "-c", BARE]
    elif kind == "bare_text":
        cmd = [sys.executable, "-c", BARE, "text"]
    else:
        cmd = [sys.executable, "-m", "denshi_client"]
    t0 = time.time()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    paint = ready = None
    for line in p.stdout.splitlines():
        if line.startswith("first-paint "):
            paint = float(line.split()[1]) - t0
        elif line.startswith("services-ready "):
            ready = float(line.split()[1]) - t0
        elif line.startswith("web-engine-loaded ") and line.split()[1] != "0":
            raise RuntimeError("Qt WebEngine was loaded during start-up: it must wait for the first visit")
    if paint is not None:
        return paint, ready
    raise RuntimeError(f"{kind}: no first paint (rc={p.returncode})\n{p.stdout}\n{p.stderr[-2000:]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = ap.parse_args()
    results: dict[str, list[float]] = {"bare": [], "app": [], "bare_text": []}
    ready: list[float] = []
    # The shipped app (PyInstaller) carries compiled bytecode; a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would recompile ~40 modules on every start and measure the compiler.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "src" / "denshi_client"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        home = Path(tmp)
        _run("app", args.platform, home)  # warm the file cache and create the app folders once
        _run("bare", args.platform, home)
        for _ in range(args.n):
            for kind in ("bare", "app", "bare_text"):
                paint, when_ready = _run(kind, args.platform, home)
                results[kind].append(paint)
                if when_ready is not None:
                    ready.append(when_ready)
    med = {k: statistics.median(v) for k, v in results.items()}
    # The machine may be shared: besides median vs median, the median of the per-round ratios (each
    # round runs bare and app back to back) and best vs best are less sensitive to other load.
    rounds = [a / b for a, b in zip(results["app"], results["bare"], strict=True)]
    ratio = statistics.median(rounds)
    best = min(results["app"]) / min(results["bare"])
    print(f"{'start-up to first paint':<28}{'median ms':>10}{'min ms':>10}{'max ms':>10}")
    for k, label in (("app", "Denshi Client main window"), ("bare", "bare PySide6 QMainWindow"),
                     ("bare_text", "bare + one Japanese QLabel")):
        v = results[k]
        print(f"{label:<28}{med[k] * 1000:>10.0f}{min(v) * 1000:>10.0f}{max(v) * 1000:>10.0f}")
    if ready:
        print(f"{'(app: core services attached)':<28}{statistics.median(ready) * 1000:>10.0f}"
              f"{min(ready) * 1000:>10.0f}{max(ready) * 1000:>10.0f}")
    verdict = "OK" if ratio <= 1.3 else "OVER TARGET"
    print(f"{'ratio median vs median':<28}{med['app'] / med['bare']:>10.2f}")
    print(f"{'ratio best vs best':<28}{best:>10.2f}")
    text_rounds = [a / b for a, b in zip(results["app"], results["bare_text"], strict=True)]
    print(f"{'ratio vs bare + text':<28}{statistics.median(text_rounds):>10.2f}  (median of rounds; the first"
          " text pays Qt's font set-up)")
    print(f"{'ratio, median of rounds':<28}{ratio:>10.2f}  (target <= 1.3) {verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / "startup.json"
    out.write_text(json.dumps({"platform": args.platform, "n": args.n, "runs_s": results, "median_s": med,
                               "services_ready_s": ready, "ratio": ratio,
                               "ratio_median_vs_median": med["app"] / med["bare"], "ratio_best": best,
                               "round_ratios": rounds, "ratio_vs_bare_text": statistics.median(text_rounds),
                               "loadavg": os.getloadavg(), "target": 1.3,
                               "ok": ratio <= 1.3}, indent=2))
    print(f"written {out}")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
