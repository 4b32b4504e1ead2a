"""History search at scale: 50 establishments x 10,000 rows = 500,000 transfers.

Run:  .venv/bin/python benchmarks/bench_history.py [--rows-per-establishment 10000] [--repeat 5]

For each typical query it prints our time (History API: query building, row
objects), the same SQL run through the bare sqlite3 module in the same run
(reference: what SQLite itself costs), their ratio, and the same query forced
to a full table scan (`NOT INDEXED`) to show what the indices buy. Inserts are
compared with a bare `executemany` into an identical schema. JSON goes to
benchmarks/out/bench_history.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from denshi_client.store import history as hist
from denshi_client.store.history import History, HistoryQuery

ESTABLISHMENTS = 50
FORMS = ["資格取得届", "資格喪失届", "氏名変更届", "住所変更届", "報酬月額変更届", "賞与支払届"]
RECEIVED = ["決定通知書", "掛金の計算書", "納入告知書"]
START = datetime(2023, 4, 1, tzinfo=UTC)
END = datetime(2026, 11, 27, tzinfo=UTC)


def rows(per_est: int) -> Iterator[dict[str, Any]]:
    span = (END - START).total_seconds()
    total = per_est * ESTABLISHMENTS
    for i in range(total):
        est = i % ESTABLISHMENTS + 1
        t = START + timedelta(seconds=span * i / total)
        send = i % 3 != 0
        name = (f"{t:%Y%m%d}_{est:04d}_{FORMS[i % len(FORMS)]}.zip" if send
                else f"{RECEIVED[i % len(RECEIVED)]}_{t:%Y%m}_{i}.zip")
        result = "failed" if i % 97 == 0 else "cancelled" if i % 211 == 0 else "pending" if i % 50_000 == 7 else "ok"
        yield {"establishment": str(est), "profile_id": f"e{est:04d}", "direction": "send" if send else "receive",
               "file_name": name, "original_name": name.replace(".zip", ".pdf"), "size": 50_000 + i % 900_000,
               "sha256": f"{i:064x}", "result": result, "server_id": f"D{i:08d}",
               "receipt": f"R-{i:07d}" if send else "", "detail": "", "mode": "browser" if i % 2 else "direct",
               "time": t}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows-per-establishment", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--events", type=int, default=500, help="single-event transactions to time")
    ap.add_argument("--ref-rows", type=int, default=100_000, help="rows in the bulk-insert comparison")
    args = ap.parse_args()
    per_est, repeat = args.rows_per_establishment, args.repeat
    total = per_est * ESTABLISHMENTS
    work = Path(tempfile.mkdtemp(prefix="bench-history-"))
    results: dict[str, Any] = {"rows": total, "sqlite": sqlite3.sqlite_version, "python": sys.version.split()[0]}
    try:
        db = work / "history.sqlite3"
        h = History(db)

        # ---- bulk insert: ours vs bare executemany into the same schema (same indices and triggers)
        ref_n = min(args.ref_rows, total)
        all_rows = rows(per_est)
        first = [next(all_rows) for _ in range(ref_n)]
        t0 = time.perf_counter()
        h.import_records(first)
        ours_ins = time.perf_counter() - t0
        t0 = time.perf_counter()
        h.import_records(all_rows)
        rest_s = time.perf_counter() - t0
        ref_db = work / "ref.sqlite3"
        ref = sqlite3.connect(ref_db, isolation_level=None)
        ref.execute("PRAGMA journal_mode = WAL")
        ref.execute("PRAGMA synchronous = FULL")
        ref.execute("BEGIN")
        for _, _, step in hist.MIGRATIONS:
            if callable(step):
                step(ref)
            else:
                for sql in step:
                    ref.execute(sql)
        t0 = time.perf_counter()
        ref.executemany(hist._INSERT, (h._row(**r) for r in first))
        ref.execute("COMMIT")
        ref_ins = time.perf_counter() - t0
        ref.close()

        # ---- one event = one transaction (what the app does per file)
        def events(n: int) -> None:
            for i in range(n):
                rid = h.start(establishment="1", profile_id="e0001", direction="send", file_name=f"ev{i}.zip",
                              mode="direct")
                h.finish(rid, "ok")
        t0 = time.perf_counter()
        events(args.events)
        ours_ev = (time.perf_counter() - t0) / (2 * args.events)
        raw = sqlite3.connect(db, isolation_level=None)
        raw.execute("PRAGMA synchronous = FULL")
        t0 = time.perf_counter()
        for i in range(args.events * 2):
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(hist._INSERT, h._row(establishment="2", profile_id="e0002", direction="send",
                                             file_name=f"raw{i}.zip", mode="direct"))
            raw.execute("COMMIT")
        ref_ev = (time.perf_counter() - t0) / (2 * args.events)

        # ---- searches
        now = END
        est = "0017"
        queries = {
            "newest page (50)": HistoryQuery(limit=50),
            "establishment page (50)": HistoryQuery(establishment=est, limit=50),
            "establishment, last 30 days": HistoryQuery(establishment=est, since=now - timedelta(days=30),
                                                        until=now, limit=100),
            "establishment, page 100 (offset 5000)": HistoryQuery(establishment=est, limit=50, offset=5000),
            "text, common word (50)": HistoryQuery(text="資格喪失届", limit=50),
            "text, rare (receipt no.)": HistoryQuery(text="R-0123457", limit=50),
            "text within establishment": HistoryQuery(text="決定通知書", establishment=est, limit=50),
            "failed sends, one year": HistoryQuery(direction="send", result="failed",
                                                   since=now - timedelta(days=365), until=now, limit=100),
            "date range, one week": HistoryQuery(since=now - timedelta(days=400), until=now - timedelta(days=393),
                                                 limit=500),
            "pending (interrupted)": HistoryQuery(result="pending", limit=100),
        }
        table = []
        for label, q in queries.items():
            fts = h._use_fts(q)
            lim = [] if q.limit is None else [q.limit, q.offset]
            tail = " ORDER BY time DESC, id DESC" + (" LIMIT ? OFFSET ?" if lim else "")
            where, qargs = q.where(fts=fts)
            sql = hist._SELECT + where + tail
            ours, got = timed(lambda q=q: h.search(q), repeat)
            ref_t, ref_rows = timed(lambda sql=sql, a=qargs + lim: raw.execute(sql, a).fetchall(), repeat)
            assert len(got) == len(ref_rows), label
            # naive: no text index and no other index either (what a plain table would cost)
            nwhere, nargs = q.where(fts=False)
            naive_sql = hist._SELECT.replace("FROM transfers", "FROM transfers NOT INDEXED") + nwhere + tail
            naive_t, naive_rows = timed(lambda s=naive_sql, a=nargs + lim: raw.execute(s, a).fetchall(),
                                        max(1, repeat // 2))
            assert [r[0] for r in naive_rows] == [r.id for r in got], label
            plan = " ".join(r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, qargs + lim))
            table.append({"query": label, "rows": len(got), "ours_ms": ours * 1000, "sqlite3_ms": ref_t * 1000,
                          "ratio": ours / ref_t if ref_t else float("nan"), "naive_ms": naive_t * 1000,
                          "text_index": fts, "plan": plan})

        counts = {
            "count: one establishment": HistoryQuery(establishment=est, limit=None),
            "count: failed, all time": HistoryQuery(result="failed", limit=None),
            "count: text, whole table": HistoryQuery(text="氏名変更届", limit=None),
        }
        for label, q in counts.items():
            fts = h._has_fts and len(q.text) >= 3
            where, qargs = q.where(fts=fts)
            sql = "SELECT COUNT(*) FROM transfers" + where
            ours, n = timed(lambda q=q: h.count(q), repeat)
            ref_t, _ = timed(lambda sql=sql, a=qargs: raw.execute(sql, a).fetchone(), repeat)
            nwhere, nargs = q.where(fts=False)
            naive_t, naive_n = timed(lambda s="SELECT COUNT(*) FROM transfers NOT INDEXED" + nwhere, a=nargs:
                                     raw.execute(s, a).fetchone()[0], max(1, repeat // 2))
            assert naive_n == n, label
            table.append({"query": label, "rows": n, "ours_ms": ours * 1000, "sqlite3_ms": ref_t * 1000,
                          "ratio": ours / ref_t if ref_t else float("nan"), "naive_ms": naive_t * 1000,
                          "text_index": fts, "plan": ""})

        # ---- sqlite3 CLI reference for one literal query, when the tool is installed
        cli = shutil.which("sqlite3")
        if cli:
            lit = f"SELECT COUNT(*) FROM transfers WHERE establishment = '{est}';"
            t0 = time.perf_counter()
            subprocess.run([cli, str(db), lit], check=True, capture_output=True)
            cli_total = time.perf_counter() - t0
            t0 = time.perf_counter()
            subprocess.run([cli, ":memory:", "SELECT 1;"], check=True, capture_output=True)
            cli_start = time.perf_counter() - t0
            results["sqlite3_cli_count_one_establishment_ms"] = max(0.0, cli_total - cli_start) * 1000

        # ---- CSV export of one establishment
        out_csv = work / "export.csv"
        ours_csv, n_csv = timed(lambda: h.export_csv(out_csv, HistoryQuery(establishment=est, limit=None)), 3)
        raw.close()
        h.close()
        results.update({
            "insert_bulk": {"rows": ref_n, "ours_s": ours_ins, "executemany_s": ref_ins, "ratio": ours_ins / ref_ins,
                            "rows_per_s": ref_n / ours_ins, "remaining_rows_s": rest_s},
            "insert_event": {"ours_ms": ours_ev * 1000, "sqlite3_ms": ref_ev * 1000, "ratio": ours_ev / ref_ev},
            "queries": table,
            "csv_export_one_establishment": {"rows": n_csv, "seconds": ours_csv},
            "db_mib": db.stat().st_size / 2**20,
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"History benchmark — {total:,} rows ({ESTABLISHMENTS} establishments x {per_est:,}), "
          f"SQLite {results['sqlite']}, median of {repeat}")
    ib, ie = results["insert_bulk"], results["insert_event"]
    print(f"bulk insert of {ib['rows']:,} rows in one transaction: ours {ib['ours_s']:.2f} s "
          f"({ib['rows_per_s']:,.0f} rows/s), bare executemany {ib['executemany_s']:.2f} s, ratio {ib['ratio']:.2f} "
          f"(remaining {total - ib['rows']:,} rows: {ib['remaining_rows_s']:.1f} s)")
    print(f"one event per transaction (synchronous=FULL): ours {ie['ours_ms']:.3f} ms, bare sqlite3 "
          f"{ie['sqlite3_ms']:.3f} ms, ratio {ie['ratio']:.2f}")
    print(f"database size {results['db_mib']:.0f} MiB")
    print()
    print("ours = History API; sqlite3 = the same SQL on a bare sqlite3 connection (ratio = our overhead);")
    print("naive = the same filter with no index at all (NOT INDEXED, plain LIKE): what the indices buy.")
    print(f"{'query':40} {'rows':>7} {'ours ms':>9} {'sqlite3 ms':>11} {'ratio':>6} {'naive ms':>9} "
          f"{'speed-up':>9}  text index")
    for r in results["queries"]:
        print(f"{r['query']:40} {r['rows']:>7} {r['ours_ms']:>9.2f} {r['sqlite3_ms']:>11.2f} {r['ratio']:>6.2f} "
              f"{r['naive_ms']:>9.1f} {r['naive_ms'] / r['ours_ms']:>8.0f}x  {'yes' if r['text_index'] else '-'}")
    if "sqlite3_cli_count_one_establishment_ms" in results:
        print(f"\nsqlite3 CLI, COUNT(*) one establishment (minus CLI start-up): "
              f"{results['sqlite3_cli_count_one_establishment_ms']:.1f} ms")
    c = results["csv_export_one_establishment"]
    print(f"CSV export, one establishment: {c['rows']:,} rows in {c['seconds'] * 1000:.0f} ms")
    out_dir = Path(__file__).resolve().parent / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "bench_history.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
