"""Writes docs/quality.md from the proof suites' JSON (tests/proof/out/) and the benchmarks' (benchmarks/out/).

The one command that regenerates the whole report with fresh numbers:

    .venv/bin/python tests/proof/report.py --run

It runs the proof suites twice — the default (CI) form, timed, then the long form
(DENSHI_PROOF_LONG=1: more faults, bigger files, bigger fuzz budgets) — then every benchmark at full
size (benchmarks/run_all.py), then writes docs/quality.md. Without --run it only re-renders from the
last results. `--quick` = default-form suites + `run_all.py --quick` (minutes, for trying it out).
`--run --suites default --no-bench` = the default (CI) form only; the report then says that the long form
and the benchmarks were not re-run (the benchmark table is kept from the last run, marked as such).
Needs root for the SoftEther lab and the tmpfs (as CI has).

A fault case counts only if its fault fired (`fired` in the suites' rows: the stand-in's fault counter, the
killed process, the link that went down, ...); the tables say how many fired and list any that did not.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = HERE / "out"
QUALITY = REPO / "docs" / "quality.md"
BENCH_ALL = REPO / "benchmarks" / "out" / "all.json"
DEFECTS = REPO / "docs" / "dev" / "defects.md"
PY = sys.executable
RUN_MODES = ["default", "long"]  # narrowed by main() to the forms run for this report


def _load(name: str) -> dict[str, Any] | None:
    p = OUT / f"{name}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None


def _cell(v: Any) -> str:
    """One table cell: hostile names carry NUL and control characters, shown escaped (\\x00)."""
    s = "" if v is None else str(v)
    s = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", s)
    return s.replace("|", "\\|")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return out


def _mark(ok: bool) -> str:
    return "yes" if ok else "**NO**"


# ------------------------------------------------------------------------------------------ running
def run_suites(long: bool) -> dict[str, Any]:
    env = dict(os.environ, DENSHI_PROOF_LONG="1" if long else "0", PYTHONUTF8="1")
    t0 = time.monotonic()
    r = subprocess.run([PY, "-m", "pytest", "tests/proof", "-q", "-p", "no:cacheprovider"],
                       cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace")
    secs = round(time.monotonic() - t0, 1)
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    summary = next((ln.strip("= ") for ln in reversed(lines) if re.search(r"\d+ (passed|failed)", ln)), "")
    rec = {"mode": "long" if long else "default (CI)", "seconds": secs, "exit": r.returncode, "summary": summary,
           "at": datetime.now(UTC).isoformat(timespec="seconds")}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"run-{'long' if long else 'default'}.json").write_text(json.dumps(rec, indent=1), encoding="utf-8")
    if r.returncode:
        sys.stderr.write(r.stdout[-6000:])
    print(f"proof suites ({rec['mode']}): {summary} in {secs} s", flush=True)
    return rec


def run_benchmarks(quick: bool) -> None:
    subprocess.run([PY, str(REPO / "benchmarks" / "run_all.py"), "--no-docs", *(["--quick"] if quick else [])],
                   cwd=REPO, check=False)


# ------------------------------------------------------------------------------------------ sections
def _fired(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(counted, not counted): a case counts only if its fault demonstrably fired."""
    return [r for r in rows if r.get("fired") is True], [r for r in rows if r.get("fired") is not True]


def _not_counted(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    return ["", f"**Not counted** ({len(rows)}): the fault of these cases did not fire in this run.", "",
            *_table(["case", "why"], [[r["case"], r.get("fired_note", "") or "no fired record"] for r in rows])]


def sec_stranded(d: dict[str, Any] | None) -> tuple[list[str], str]:
    if not d:
        return ["(no results: run the suite)"], "not run"
    rows, unfired = _fired(d["rows"])
    n_ok = sum(r["ok"] for r in rows)
    real = [r for r in rows if r.get("half") == "real SoftEther"]
    at_once = sum(r["ok"] and r["outcome"] == "VPN down at once" for r in rows)
    later = n_ok - at_once
    lines = [f"{len(rows) + len(unfired)} forced endings of a connected session; **{len(rows)} fired** (the ending "
             "really happened: the stand-in's fault counter, the killed process, the link shown down, the phase at "
             f"quit) and are counted: {len(real)} against the real SoftEther server and client in the loopback lab, "
             f"{len(rows) - len(real)} with the stand-ins in direct and browser mode. After {n_ok} of {len(rows)}: "
             f"the VPN was down — {at_once} at once, {later} at the next start (allowed only after `kill -9` of the "
             "app: the recovery marker + the driver's list of connected accounts).", ""]
    lines += _table(["#", "ending", "where", "mode", "outcome", "session end cause", "how we know it fired", "s"],
                    [[i + 1, r["ending"], r["half"], r["mode"], r["outcome"] if r["ok"] else f"**{r['outcome']}**",
                      r.get("end_cause", ""), r.get("fired_note", "") or r.get("detail", ""), r.get("seconds", "")]
                     for i, r in enumerate(rows)])
    lines += _not_counted(unfired)
    return lines, (f"{n_ok}/{len(rows)} endings left the VPN down ({at_once} at once, {later} at the next start "
                   f"after kill -9); {len(rows)}/{len(rows) + len(unfired)} faults fired")


def sec_lost(d: dict[str, Any] | None) -> tuple[list[str], str]:
    if not d:
        return ["(no results: run the suite)"], "not run"
    rows, unfired = _fired([r for r in d["rows"] if not r["case"].startswith("ledger")])
    ledger = d.get("extra", {}).get("ledger", {})
    lost = sum(r.get("lost", 0) for r in rows)
    corrupted = sum(r.get("corrupted", 0) for r in rows)
    auto = sum("automatically" in r.get("first_attempt", "") for r in rows)
    reported = sum(r.get("first_attempt", "").startswith(("reported", "refused", "killed")) for r in rows)
    unclear = sum(r.get("reported_clearly") is False for r in rows)
    ok = sum(r["ok"] for r in rows)
    lines = [f"{len(rows) + len(unfired)} injected transfer faults, **{len(rows)} fired** (each case asserts it: the "
             "stand-in's per-fault counter — `times=k` exactly k —, the child's SIGKILL exit, the full disk's free "
             "space, the visit's end cause) and are counted below; "
             "against the real stand-in service on 127.0.0.1 (session machine, "
             "httpx client, on-disk queue, real password ZIPs, SQLite history, a real 2 MiB tmpfs for the full disk, "
             "real `kill -9` of a child process). "
             f"**{lost} files lost, {corrupted} corrupted**; {auto} completed by the client's own resume, {reported} "
             f"were reported (clear Japanese + English message{'' if not unclear else f'; {unclear} unclear'}) and "
             "then resumed or redone in the next visit / a new process; no half-written file under a final name.", ""]
    if ledger:
        lines += [f"Ledger at the end: the service holds {ledger.get('uploads_received')} uploads from this suite, "
                  f"the history has {ledger.get('history_send_ok')} 'ok' send rows with the same server ids "
                  f"({ledger.get('duplicates')} duplicates, {ledger.get('missing_on_service')} missing), "
                  f"{ledger.get('history_receive_ok')} 'ok' receive rows, {ledger.get('history_pending')} rows left "
                  f"pending, {ledger.get('queued_after')} transfers still queued.", ""]
    lines += _table(["#", "fault", "fired", "first attempt", "final", "lost", "corrupted", "note", "s"],
                    [[i + 1, r["case"], r.get("fired_note", ""), r.get("first_attempt", ""), r.get("final", ""),
                      r.get("lost", ""), r.get("corrupted", ""), r.get("note", ""), r.get("seconds", "")]
                     for i, r in enumerate(rows)])
    lines += _not_counted(unfired)
    return lines, (f"{len(rows)}/{len(rows) + len(unfired)} faults fired: {lost} lost, {corrupted} corrupted, "
                   f"{ok}/{len(rows)} resumed or reported")


def sec_hostile(d: dict[str, Any] | None) -> tuple[list[str], str]:
    if not d:
        return ["(no results: run the suite)"], "not run"
    corpus = [r for r in d["rows"] if r.get("family") == "corpus"]
    other = [r for r in d["rows"] if r.get("family") != "corpus"]
    outside = sum(r.get("outside_writes", 0) for r in d["rows"])
    known_fuzz = sum(r.get("known_crashes", 0) for r in other)
    crashes = sum(r.get("crashes", 0) for r in other) - known_fuzz + \
        sum(r["outcome"].startswith("CRASH") and not r.get("known_defect") for r in corpus)
    unclear = sum(r.get("unclear", 0) for r in other) + sum(not r.get("clear_error", True) for r in corpus)
    inputs = sum(r.get("inputs", 0) for r in other)
    known = [r for r in corpus if r.get("known_defect")]
    known_ids = ", ".join(sorted({r["known_defect"] for r in known})) or "D1"
    lines = [f"Committed corpus: {len(corpus)} hostile ZIPs in `tests/proof/corpus/` (made by "
             "`tests/proof/make_corpus.py`, expected outcomes in `manifest.json`), each unpacked into a target folder "
             f"inside a sentinel tree compared before and after. Plus {inputs:,} generated inputs (fuzzing and "
             f"contract tests). **{outside} bytes/files written outside the target, {crashes} crashes, "
             f"{unclear} unclear errors.**" + (f" Besides: {known_fuzz + len(known)} crashes with the signature of the "
                                                f"documented open defect(s) {known_ids}"
                                                " (see below)." if known or known_fuzz else ""), "",
             "### Corpus", ""]
    lines += _table(["file", "hostile because", "expected", "got", "outside", "as expected", "message (ja)"],
                    [[r["case"], r.get("why", ""), r.get("expected", ""), r["outcome"], r.get("outside_writes", 0),
                      _mark(r["ok"]), r.get("message_ja", "")] for r in corpus])
    lines += ["", "### Fuzzing, contract, parsers, settings", ""]
    lines += _table(["input family", "result", "inputs", "crashes", "outside writes", "unclear errors", "ok"],
                    [[r["case"], r["outcome"], r.get("inputs", ""), r.get("crashes", ""), r.get("outside_writes", ""),
                      r.get("unclear", ""), _mark(r["ok"])] for r in other])
    extra = f" (+{known_fuzz + len(known)} of open defect {known_ids})" if known or known_fuzz else ""
    return lines, (f"{len(corpus)} corpus files + {inputs:,} generated inputs: {outside} outside writes, "
                   f"{crashes} crashes{extra}, {unclear} unclear errors")


def sec_secrets(d: dict[str, Any] | None) -> tuple[list[str], str]:
    if not d:
        return ["(no results: run the suite)"], "not run"
    rows = d["rows"]
    hits = sum(r.get("hits", 0) for r in rows)
    info = d.get("extra", {}).get("secrets", {})
    lines = [f"{info.get('count', '?')} secrets used by the suites ({', '.join(info.get('kinds', []))}) searched in "
             f"{', '.join(info.get('forms', []))} form. The keyring file (the OS credential store's stand-in) and "
             f"the stand-in fund's own data are not app artefacts and are not scanned. **{hits} hits.**", ""]
    lines += _table(["where", "scanned", "hits", "ok"],
                    [[r["case"], r["outcome"], r.get("hits", ""), _mark(r["ok"])] for r in rows])
    return lines, f"{hits} hits in {len(rows)} kinds of artefact"


def sec_defects() -> list[str]:
    if not DEFECTS.exists():
        return ["(none recorded)"]
    text = DEFECTS.read_text(encoding="utf-8")
    table = [ln for ln in text.splitlines() if ln.startswith("|")]
    return ["Details, reproducers and fixes: `docs/dev/defects.md`.", "", *table]


def sec_runtimes() -> list[str]:
    rows = []
    for mode in RUN_MODES:
        p = OUT / f"run-{mode}.json"
        if p.exists():
            r = json.loads(p.read_text(encoding="utf-8"))
            rows.append([f"`pytest tests/proof` ({r['mode']})", f"{r['seconds']} s", r["summary"], r["at"]])
    per = []
    for name in ("stranded", "lost", "hostile", "secrets"):
        d = _load(name)
        if d:
            per.append([name, "long" if d.get("long") else "default", len(d["rows"]), f"{d.get('seconds', '?')} s"])
    lines = _table(["run", "wall time", "result", "at (UTC)"], rows) if rows else ["(no timed run recorded)"]
    if not any("long" in r[0] for r in rows):
        lines += ["", "The long form (`DENSHI_PROOF_LONG=1`) was not run for this report."]
    lines += ["", "Per suite (time from its first to its last recorded case, in the run the tables come from):", ""]
    lines += _table(["suite", "mode", "rows", "time"], per)
    return lines


def _previous_bench() -> str | None:
    """The benchmark block of the current docs/quality.md (benchmarks/out/ is not committed)."""
    from benchmarks.run_all import END, START

    if not QUALITY.exists():
        return None
    m = re.search(re.escape(START) + r".*?" + re.escape(END), QUALITY.read_text(encoding="utf-8"), flags=re.S)
    return m.group(0) if m else None


def render(mode_note: str, bench_fresh: bool = True) -> str:
    from benchmarks.run_all import END, START
    from benchmarks.run_all import render as render_bench

    stranded, s1 = sec_stranded(_load("stranded"))
    lost, s2 = sec_lost(_load("lost"))
    hostile, s3 = sec_hostile(_load("hostile"))
    secrets_, s4 = sec_secrets(_load("secrets"))
    if BENCH_ALL.exists():
        bench = render_bench(json.loads(BENCH_ALL.read_text(encoding="utf-8")))
    else:
        bench = _previous_bench() or \
            f"{START}\n\n(no benchmark run yet: `.venv/bin/python benchmarks/run_all.py`)\n\n{END}"
    if not bench_fresh:
        bench = ("**Not re-run in this regeneration** (too long for this run); the table below is from the last "
                 "benchmark run, whose date it states.\n\n" + bench)
    modes = {n: (_load(n) or {}).get("long") for n in ("stranded", "lost", "hostile", "secrets")}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    out = [
        "# Quality report: proof in numbers",
        "",
        "<!-- GENERATED by tests/proof/report.py — do not edit by hand. -->",
        "**Regenerate (one command, needs root for the SoftEther lab and the tmpfs):** "
        "`.venv/bin/python tests/proof/report.py --run` — runs the proof suites in their default (CI) form "
        "(timed) and in long form (`DENSHI_PROOF_LONG=1`), every benchmark at full size "
        "(`benchmarks/run_all.py`), then rewrites this file. `report.py` alone re-renders from the last results; "
        "`report.py --quick` is a few-minute version. The default CI run is simply `pytest tests/proof`.",
        "",
        f"Generated {datetime.now(UTC).isoformat(timespec='seconds')} at commit {commit.strip()} — {mode_note}; "
        "tables from runs in mode: " + ", ".join(f"{k} = {'long' if v else 'default'}" for k, v in modes.items()
                                                   if v is not None) + ".",
        "",
        "## Summary",
        "",
        *_table(["claim", "result"], [["Never stranded", s1], ["Nothing lost", s2], ["Hostile input", s3],
                                      ["No leaked secrets", s4]]),
        "",
        "## Never stranded",
        "",
        *stranded,
        "",
        "## Nothing lost",
        "",
        *lost,
        "",
        "## Hostile input",
        "",
        *hostile,
        "",
        "## Secrets",
        "",
        *secrets_,
        "",
        "## Benchmarks",
        "",
        "One command: `.venv/bin/python benchmarks/run_all.py` (full sizes; `--quick` for small ones).",
        "",
        bench,
        "",
        "## Defects found by the suites",
        "",
        *sec_defects(),
        "",
        "## Test runtimes",
        "",
        *sec_runtimes(),
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", action="store_true", help="run suites (default + long) and full benchmarks first")
    ap.add_argument("--quick", action="store_true", help="run suites (default form) and quick benchmarks first")
    ap.add_argument("--no-bench", action="store_true", help="with --run/--quick: skip the benchmarks")
    ap.add_argument("--suites", choices=["both", "default", "long"], default="both",
                    help="with --run: which forms of the suites to run (default: both)")
    ns = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    failed = False
    note = "re-rendered from the last results"
    bench_fresh = True
    if ns.run or ns.quick:
        RUN_MODES.clear()
        if ns.quick or ns.suites in ("both", "default"):
            RUN_MODES.append("default")
            failed = run_suites(long=False)["exit"] != 0
        if ns.run and ns.suites in ("both", "long"):
            RUN_MODES.append("long")
            failed = run_suites(long=True)["exit"] != 0 or failed
        if not ns.no_bench:
            run_benchmarks(quick=ns.quick)
        bench_fresh = not ns.no_bench
        args = " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
        note = f"fresh run (`report.py {args}`)"
        if failed:
            note += " — **the proof suites FAILED in this run**"
    QUALITY.write_text(render(note, bench_fresh), encoding="utf-8")
    print(f"written {QUALITY}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
