"""Every benchmark in benchmarks/, one after the other in one run, and one table of ratios.

Why one command: each bench_*.py already measures our figure and its reference side by side (7-Zip,
curl, a bare PySide6 window, raw vpncmd, bare sqlite3, an idle event loop); this runs whichever of
them exist, collects their JSON from benchmarks/out/, and writes the ratio table to
benchmarks/out/all.json and into the benchmark section of docs/quality.md.

    .venv/bin/python benchmarks/run_all.py            # full sizes (1 GiB transfers, 500,000 history rows)
    .venv/bin/python benchmarks/run_all.py --quick    # small sizes, a couple of minutes
    .venv/bin/python benchmarks/run_all.py --only zip transfer

A script that is missing, fails or writes no fresh JSON shows up as such in the table; it never
stops the others. The VPN benchmark needs root (the SoftEther lab in network namespaces).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
QUALITY = REPO / "docs" / "quality.md"
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"

Row = dict[str, Any]


def _row(metric: str, ours: str, reference: str, ratio: float | None, target: str, ok: bool | None,
         note: str = "") -> Row:
    return {"metric": metric, "ours": ours, "reference": reference,
            "ratio": None if ratio is None else round(ratio, 2), "target": target, "ok": ok, "note": note}


# ----------------------------------------------------------------------------- per-benchmark readers
def _zip(d: dict[str, Any]) -> list[Row]:
    rows = []
    for r in d.get("rows", []):
        t = r.get("target")
        rows.append(_row(f"ZIP {r['operation']} ({d.get('size_mib')} MiB)", f"{r['ours_mib_s']} MiB/s",
                         f"{r['7zz_mib_s']} MiB/s (7-Zip 7zz)", r.get("ratio"), f">= {t}x" if t else "-",
                         r.get("meets_target"), r.get("note", "")))
    if d.get("rows"):
        peak = max(r.get("ours_peak_rss_mib", 0) for r in d["rows"])
        half = max(r.get("ours_peak_rss_mib_half_size", 0) for r in d["rows"])
        ref = max(r.get("7zz_peak_rss_mib", 0) for r in d["rows"])
        rows.append(_row(f"ZIP peak memory ({d.get('size_mib')} MiB file; half size: {half} MiB)", f"{peak} MiB",
                         f"{ref} MiB (7-Zip)", peak / ref if ref else None, "flat in file size",
                         abs(peak - half) < 16))
    return rows


def _transfer(d: dict[str, Any]) -> list[Row]:
    rows = []
    size = d.get("size_mib") or (round(d["size_bytes"] / 2**20) if d.get("size_bytes") else "?")
    for r in d.get("rows", []):
        rows.append(_row(f"{r['direction']} over loopback ({size} MiB)", f"{r['ours_mib_s']} MiB/s",
                         f"{r['curl_mib_s']} MiB/s (curl)", r["ratio"], ">= 0.8x", r.get("throughput_ok"),
                         f"median per-round ratio {r.get('median_round_ratio')}; {d.get('pinning', 'not pinned')}"))
        rows.append(_row(f"peak memory, {r['direction']} of a {size} MiB file", f"{r['ours_peak_rss_mib']} MiB",
                         f"{r['curl_peak_rss_mib']} MiB (curl)", None, "<= 150 MiB", r.get("rss_ok")))
    return rows


def _startup(d: dict[str, Any]) -> list[Row]:
    med = d.get("median_s", {})
    return [_row(f"start-up to first paint ({d.get('platform')}, n={d.get('n')})", f"{med.get('app', 0) * 1000:.0f} ms",
                 f"{med.get('bare', 0) * 1000:.0f} ms (bare PySide6 window)", d.get("ratio"), "<= 1.3x", d.get("ok"))]


def _vpn(d: dict[str, Any]) -> list[Row]:
    return [
        _row(f"VPN connect to established (real SoftEther lab, {d.get('runs')} runs)",
             f"{d['median_ours_ms']:.0f} ms", f"{d['median_raw_ms']:.0f} ms (raw vpncmd)", d.get("ratio"),
             "<= raw + 300 ms", d.get("pass"), f"difference {d.get('diff_ms', 0):+.0f} ms"),
        _row("VPN status poll (one vpncmd call)", f"{d.get('status_poll_median_ms', 0):.0f} ms", "-", None,
             "sets the poll interval", None),
        _row("VPN wrong password reported", f"{d.get('auth_fail_median_ms') or 0:.0f} ms", "-", None,
             "test safety limit 12 s", None),
    ]


def _limits(d: dict[str, Any]) -> list[Row]:
    rows = []
    for key, what in (("vpncmd_timeout", "hung vpncmd given up and killed (0.5 s time-out)"),
                      ("probe_unreachable", "after-disconnect probe reports unreachable")):
        r = d.get(key, {})
        rows.append(_row(what, f"{r.get('median_s', 0) * 1000:.0f} ms (max {r.get('max_s', 0) * 1000:.0f})", "-",
                         None, f"test safety limit {r.get('limit_s')} s", None))
    pk = d.get("package", {})
    if pk.get("total_s") is not None:
        rows.append(_row("packaging script (.ci/package.sh, last run)", f"{pk['total_s']} s", "-", None,
                         f"test safety limit {pk.get('limit_s')} s", None, str(pk.get("steps_s"))))
    return rows


def _history(d: dict[str, Any]) -> list[Row]:
    n = d.get("rows")
    scale = f"{n:,} rows = 50 establishments x {n // 50:,}" if isinstance(n, int) else "? rows"
    rows = []
    for q in d.get("queries", []):
        rows.append(_row(f"history search: {q['query']} ({scale})", f"{q['ours_ms']:.2f} ms",
                         f"{q['sqlite3_ms']:.2f} ms (bare sqlite3)", q.get("ratio"), "-", None,
                         f"{q.get('rows', '?')} rows returned; naive/full scan "
                         f"{q.get('naive_ms', q.get('full_scan_ms', 0)):.0f} ms"))
    ins = d.get("insert_bulk")
    if ins:
        rows.append(_row(f"history bulk insert ({scale})", f"{ins['ours_s']:.2f} s",
                         f"{ins['executemany_s']:.2f} s (bare executemany)", ins.get("ratio"), "-", None))
    return rows


def _eventloop(d: dict[str, Any]) -> list[Row]:
    busy, idle = d.get("busy", {}), d.get("idle", {})
    return [_row(f"event-loop stall during a {d.get('size_mib')} MiB download + decrypt",
                 f"{busy.get('max_stall_ms', 0):.1f} ms", f"{idle.get('max_stall_ms', 0):.1f} ms (idle loop)",
                 None, f"<= {d.get('target_ms', 50):.0f} ms", d.get("ok"),
                 f"download+decrypt {d.get('download_s', 0):.1f} s")]


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    out: str
    quick: tuple[str, ...]
    full: tuple[str, ...]
    read: Callable[[dict[str, Any]], list[Row]]
    what: str


BENCHES = (
    Bench("zip", "bench_zip.py", "zip.json", ("--size-mib", "32", "--repeat", "1"), (), _zip, "ZIP vs 7-Zip"),
    Bench("transfer", "bench_transfer.py", "transfer.json", ("--size-mib", "64", "--repeat", "1"),
          ("--size-mib", "1024"), _transfer, "transfers vs curl, peak memory"),
    Bench("startup", "bench_startup.py", "startup.json", ("-n", "2"), (), _startup, "start-up vs bare PySide6"),
    Bench("vpn", "bench_vpn_connect.py", "vpn.json", ("--runs", "2"), (), _vpn, "connect vs raw vpncmd"),
    Bench("history", "bench_history.py", "bench_history.json",
          ("--rows-per-establishment", "400", "--repeat", "2", "--events", "50", "--ref-rows", "5000"),
          ("--rows-per-establishment", "10000"), _history, "history search, 50 x 10,000 rows"),
    Bench("eventloop", "bench_eventloop.py", "eventloop.json", ("--size-mib", "64", "--idle-s", "1"),
          ("--size-mib", "1024"), _eventloop, "event-loop stalls"),
    Bench("limits", "bench_limits.py", "limits.json", ("--runs", "3"), (), _limits,
          "figures behind the tests' safety limits"),
)


def run_one(b: Bench, quick: bool, timeout: float) -> dict[str, Any]:
    script = REPO / "benchmarks" / b.script
    res: dict[str, Any] = {"name": b.name, "script": b.script, "what": b.what, "rows": []}
    if not script.exists():
        res["status"] = "not present"
        return res
    args = list(b.quick if quick else b.full)
    out = OUT / b.out
    t0 = time.time()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONUTF8="1")
    try:
        r = subprocess.run([sys.executable, str(script), *args], cwd=REPO, capture_output=True, text=True,
                           encoding="utf-8", errors="replace", timeout=timeout, env=env)
        res["exit"] = r.returncode
        res["stdout_tail"] = r.stdout[-3000:]
        res["stderr_tail"] = r.stderr[-1500:]
    except subprocess.TimeoutExpired:
        res["exit"] = None
        res["status"] = f"timed out after {timeout:.0f} s"
    res["seconds"] = round(time.time() - t0, 1)
    res["args"] = args
    if out.exists() and out.stat().st_mtime >= t0 - 1:
        try:
            data = json.loads(out.read_text(encoding="utf-8"))
            res["rows"] = b.read(data)
            res.setdefault("status", "ok" if res.get("exit") == 0 else f"ran (exit {res.get('exit')}: a target missed)")
        except (ValueError, KeyError, TypeError) as e:
            res["status"] = f"unreadable result ({type(e).__name__}: {e})"
    else:
        tail = (res.get("stderr_tail") or res.get("stdout_tail") or "").strip().splitlines()
        res.setdefault("status", f"failed (exit {res.get('exit')}): {tail[-1][:200] if tail else 'no output'}")
    return res


def render(all_data: dict[str, Any]) -> str:
    """The benchmark section of docs/quality.md (Markdown)."""
    lines = [START, "",
             f"Run: `{all_data['command']}` — {all_data['generated_at']} on {all_data['host']} "
             f"({all_data['cpus']} CPUs, load average at start {all_data['load_average']}, Python "
             f"{all_data['python']}). Ratio = ours / reference for speeds (higher is better), "
             "ours / reference for times and memory (lower is better); every pair was measured in the same run.",
             "", "| metric | ours | reference (same run) | ratio | target | verdict | note |",
             "|---|---|---|---|---|---|---|"]
    for b in all_data["benchmarks"]:
        for r in b["rows"]:
            verdict = {True: "meets", False: "**misses**", None: "-"}[r["ok"]]
            ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
            lines.append(f"| {r['metric']} | {r['ours']} | {r['reference']} | {ratio} | {r['target']} | {verdict} | "
                         f"{r['note']} |")
    lines += ["", "| benchmark script | measures | status | seconds |", "|---|---|---|---|"]
    for b in all_data["benchmarks"]:
        lines.append(f"| `{b['script']}` {' '.join(b.get('args', []))} | {b['what']} | {b['status']} | "
                     f"{b.get('seconds', '-')} |")
    lines += ["", END]
    return "\n".join(lines)


def write_quality_section(section: str) -> None:
    """Replace the marked section in docs/quality.md (report.py writes the rest of the file)."""
    if QUALITY.exists():
        text = QUALITY.read_text(encoding="utf-8")
        if START in text and END in text:
            text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: section, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n## Benchmarks\n\n" + section + "\n"
    else:
        text = "# Quality report\n\n(Run `.venv/bin/python tests/proof/report.py --run` for the full report.)\n\n" \
               "## Benchmarks\n\n" + section + "\n"
    QUALITY.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (CI smoke, a few minutes)")
    ap.add_argument("--only", nargs="*", choices=[b.name for b in BENCHES], help="run only these")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark script")
    ap.add_argument("--no-docs", action="store_true", help="do not touch docs/quality.md")
    ns = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = [b for b in BENCHES if not ns.only or b.name in ns.only]
    cmd = "benchmarks/run_all.py" + (" --quick" if ns.quick else "") + (f" --only {' '.join(ns.only)}" if ns.only
                                                                        else "")
    all_data: dict[str, Any] = {
        "command": ".venv/bin/python " + cmd, "quick": ns.quick,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "host": platform.node(),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_average": ", ".join(f"{x:.1f}" for x in os.getloadavg()), "benchmarks": []}
    for b in chosen:
        print(f"== {b.script} {' '.join(b.quick if ns.quick else b.full)}", flush=True)
        res = run_one(b, ns.quick, ns.timeout)
        all_data["benchmarks"].append(res)
        print(f"   {res['status']} ({res.get('seconds', 0)} s, {len(res['rows'])} rows)", flush=True)
    if ns.only and (OUT / "all.json").exists():  # keep the other benchmarks' last results
        old = json.loads((OUT / "all.json").read_text(encoding="utf-8"))
        done = {b["name"] for b in all_data["benchmarks"]}
        all_data["benchmarks"] = [b for b in old.get("benchmarks", []) if b["name"] not in done] + \
            all_data["benchmarks"]
        order = [b.name for b in BENCHES]
        all_data["benchmarks"].sort(key=lambda b: order.index(b["name"]) if b["name"] in order else 99)
    (OUT / "all.json").write_text(json.dumps(all_data, ensure_ascii=False, indent=1), encoding="utf-8")
    section = render(all_data)
    print(section)
    if not ns.no_docs:
        write_quality_section(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
