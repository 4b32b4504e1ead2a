"""The figures behind the tests' wall-clock safety limits.

Tests assert generous limits (a hung call must fail, a slow machine must not); the measured figures
live here, so a regression shows as a number, not as a flaky test:

- vpncmd time-out: how long SubprocessRunner takes to give up on a hung vpncmd (0.5 s time-out) and kill
  its process tree (tests/vpn/test_vpncmd_runner.py, limit 5 s);
- after-disconnect probe: how long http_probe takes to report "unreachable" (1 s time-out, 2 attempts;
  tests/core/test_session_probe.py, limit 5 s);
- the packaging script: its step times from the last `.ci/package.sh` run, read from
  .work/package-summary.json (tests/packaging/test_package.py, limit 1400 s). It is not built here (10 min).

The wrong-password detection time (tests/vpn/test_softether_real.py, limit 12 s) needs the SoftEther
lab and is measured by bench_vpn_connect.py.

    .venv/bin/python benchmarks/bench_limits.py [--runs 5]

Writes benchmarks/out/limits.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from denshi_client.session.probe import http_probe  # noqa: E402
from denshi_client.vpn import errors as E  # noqa: E402
from denshi_client.vpn.vpncmd import SubprocessRunner  # noqa: E402

OUT = REPO / "benchmarks" / "out"
WORK = Path(os.environ.get("DENSHI_PACKAGE_WORK", REPO / ".work"))


def vpncmd_timeout_s() -> float:
    t0 = time.monotonic()
    try:
        SubprocessRunner()(["sh", "-c", "sleep 30 & wait"], timeout=0.5)
    except E.VpnTimeout:
        return time.monotonic() - t0
    raise AssertionError("no time-out")


def probe_unreachable_s() -> float:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = http_probe(f"http://127.0.0.1:{port}/", timeout_s=1.0, attempts=2, pause_s=0.05)
    assert not r.ok
    return r.elapsed_s


def _stats(xs: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(xs), 3), "max_s": round(max(xs), 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    res: dict[str, Any] = {"platform": platform.platform(), "cpus": os.cpu_count(), "runs": a.runs}
    res["vpncmd_timeout"] = _stats([vpncmd_timeout_s() for _ in range(a.runs)]) | {"limit_s": 5.0}
    res["probe_unreachable"] = _stats([probe_unreachable_s() for _ in range(a.runs)]) | {"limit_s": 5.0}
    summary = WORK / "package-summary.json"
    if summary.exists():
        d = json.loads(summary.read_text(encoding="utf-8"))
        res["package"] = {"total_s": d.get("total_seconds"), "steps_s": d.get("times"), "limit_s": 1400,
                          "from": str(summary)}
    else:
        res["package"] = {"note": f"no {summary}: run bash .ci/package.sh (about 10 minutes) first"}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "limits.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
