"""History on real SQLite files: migrations, crash safety, search, threads and Excel CSV."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from denshi_client.clock import JST, FakeClock
from denshi_client.errors import StoreError, ValidationError
from denshi_client.store import history as hist
from denshi_client.store.history import History, HistoryQuery
from denshi_client.store.paths import app_paths

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=JST)


def ev(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"establishment": "123", "profile_id": "e0123", "direction": "send",
                               "file_name": "20261102_0123_資格取得届.zip", "mode": "browser", "result": "ok"}
    base.update(kw)
    return base


def objects(db: Path) -> set[str]:
    with sqlite3.connect(db) as c:
        return {r[0] for r in c.execute("SELECT name FROM sqlite_master")}


def test_new_database_is_wal_and_latest(app_home: Path) -> None:
    with History() as h:
        assert h.schema_version() == hist.LATEST_VERSION
    db = app_paths().history_db
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {"transfers", "ix_transfers_est_time", "ix_transfers_time"} <= objects(db)


def test_migrates_from_v0_and_from_v1_keeping_rows(tmp_path: Path) -> None:
    v0 = tmp_path / "v0.sqlite3"
    sqlite3.connect(v0).close()  # an empty file at user_version 0
    with History(v0) as h:
        assert h.schema_version() == hist.LATEST_VERSION
    v1 = tmp_path / "v1.sqlite3"
    with sqlite3.connect(v1) as c:
        for sql in hist.MIGRATIONS[0][2]:
            c.execute(sql)
        c.execute("PRAGMA user_version = 1")
        c.execute("INSERT INTO transfers (time, establishment, direction, file_name, result, mode) "
                  "VALUES ('2025-01-01T00:00:00.000Z', '0123', 'receive', '決定通知書.zip', 'ok', 'browser')")
    c.close()
    with History(v1) as h:
        assert h.schema_version() == hist.LATEST_VERSION
        assert [r.file_name for r in h.search()] == ["決定通知書.zip"]
        assert [r.file_name for r in h.search(HistoryQuery(text="通知書"))] == ["決定通知書.zip"]  # index rebuilt
    assert "ix_transfers_est_time" in objects(v1)


def test_failed_migration_rolls_back_completely(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite3"
    History(db).close()
    latest = hist.LATEST_VERSION
    broken = [*hist.MIGRATIONS, (latest + 1, "broken step", ["CREATE TABLE half_done (x)", "THIS IS NOT SQL"])]
    monkeypatch.setattr(hist, "MIGRATIONS", broken)
    monkeypatch.setattr(hist, "LATEST_VERSION", latest + 1)
    with pytest.raises(StoreError):
        History(db)
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == latest
    assert "half_done" not in objects(db)


def test_newer_or_foreign_files_are_refused_untouched(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as c:
        c.execute("PRAGMA user_version = 99")
    c.close()
    before = newer.read_bytes()
    with pytest.raises(StoreError) as ei:
        History(newer)
    assert ei.value.code == "history_newer" and str(newer) in ei.value.ja
    assert newer.read_bytes() == before
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database, just some bytes " * 200)
    before = junk.read_bytes()
    with pytest.raises(StoreError) as ei:
        History(junk)
    assert str(junk) in ei.value.ja
    assert junk.read_bytes() == before


CRASH_CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from denshi_client.store.history import History
    h = History(Path(sys.argv[1]))
    def rows():
        for i in range(100_000):
            yield dict(establishment="7", profile_id="p", direction="receive", file_name=f"f{i}.zip",
                       mode="direct", result="ok")
    def progress(n):
        if n >= 30_000:
            os._exit(3)   # the process dies mid-transaction: no commit, no rollback, no close
    h.import_records(rows(), progress)
""")


def test_process_killed_mid_transaction_leaves_db_consistent(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    with History(db) as h:
        h.record(**ev())  # type: ignore[arg-type]
    r = subprocess.run([sys.executable, "-c", CRASH_CHILD, str(db)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, r.stderr
    with History(db) as h:
        assert h.count() == 1
        h.record(**ev(file_name="after.zip"))  # type: ignore[arg-type]
        assert h.count() == 2
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_start_finish_and_pending() -> None:
    clock = FakeClock(T0)
    with History(clock=clock) as h:
        rid = h.start(establishment="123", profile_id="e0123", direction="send", file_name="a.zip", mode="direct",
                      size=10)
        assert [r.id for r in h.pending()] == [rid]
        assert h.get(rid).finished_at is None
        clock.advance(5)
        done = h.finish(rid, "ok", receipt="R-0001", sha256="ab" * 32)
        assert done.result == "ok" and done.receipt == "R-0001" and done.size == 10
        assert done.time == "2026-11-02T00:00:00.000Z" and done.finished_at == "2026-11-02T00:00:05.000Z"
        assert h.pending() == []
        with pytest.raises(StoreError):
            h.finish(rid, "failed")
        with pytest.raises(StoreError):
            h.finish(99999, "ok")
        with pytest.raises(ValidationError):
            h.finish(rid, "pending")
        with pytest.raises(ValidationError):
            h.record(**ev(direction="sideways"))  # type: ignore[arg-type]
        assert [r.id for r in h.find_by_sha256("ab" * 32)] == [rid]


def test_interrupted_transfer_stays_visible_after_restart() -> None:
    h = History()
    rid = h.start(establishment="5", profile_id="p", direction="receive", file_name="b.zip", mode="browser")
    h.close()  # the app ended without finishing
    with History() as h2:
        assert [r.id for r in h2.pending()] == [rid]
        assert h2.search(HistoryQuery(result="pending"))[0].result == "pending"


def test_search_filters_paging_and_counts() -> None:
    rows = []
    for i in range(60):
        rows.append(ev(establishment=str(100 + i % 3), direction="send" if i % 2 else "receive",
                       file_name=f"20261102_{100 + i % 3:04d}_資格取得届_{i}.zip" if i % 5 else f"決定通知書_{i}.zip",
                       result="failed" if i % 7 == 0 else "ok", time=T0 + timedelta(hours=i),
                       detail="100%_done" if i == 42 else ""))
    with History() as h:
        assert h.import_records(rows) == 60
        assert h.count() == 60
        assert h.count(HistoryQuery(establishment="０１００")) == 20
        assert h.count(HistoryQuery(text="決定通知書")) == 12
        assert h.count(HistoryQuery(text="100%_")) == 1  # % and _ are literal
        assert h.count(HistoryQuery(direction="send", result="failed")) == sum(
            1 for i in range(60) if i % 2 and i % 7 == 0)
        since, until = T0 + timedelta(hours=10), T0 + timedelta(hours=20)
        assert h.count(HistoryQuery(since=since, until=until)) == 10
        page1 = h.search(HistoryQuery(limit=25))
        page3 = h.search(HistoryQuery(limit=25, offset=50))
        assert len(page1) == 25 and len(page3) == 10
        assert page1[0].time > page1[-1].time > page3[0].time  # newest first
        assert page1[0].file_name.endswith("_59.zip")
        with pytest.raises(ValidationError):
            h.search(HistoryQuery(direction="up"))


def test_threads_can_record_at_once() -> None:
    errors: list[BaseException] = []
    with History() as h:
        def worker(n: int) -> None:
            try:
                for i in range(40):
                    rid = h.start(establishment=str(n + 1), profile_id="p", direction="send",
                                  file_name=f"t{n}_{i}.zip", mode="direct")
                    h.finish(rid, "ok")
                    h.search(HistoryQuery(establishment=str(n + 1), limit=5))
            except BaseException as e:
                errors.append(e)
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == []
        assert h.count() == 240 and h.pending() == []


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_export_for_excel(tmp_path: Path) -> None:
    with History(clock=FakeClock(T0)) as h:
        h.record(**ev(file_name='名前, "引用" 付き.zip', original_name="元\n改行.pdf", size=1234,  # type: ignore[arg-type]
                      server_id="S-1", receipt="R-9", detail="受付済み"))
        h.record(**ev(file_name="=HYPERLINK(\"http://x\")", direction="receive", result="failed"))  # type: ignore[arg-type]
        out = tmp_path / "履歴.csv"
        assert h.export_csv(out) == 2
    raw = out.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\r\n") == 3
    rows = read_csv(out)
    assert rows[0][:4] == ["日時", "事業所番号", "方向", "ファイル名"]
    by_name = {r[3]: r for r in rows[1:]}
    first = by_name['名前, "引用" 付き.zip']
    assert first[0] == "2026-11-02 09:00:00" and first[1] == "0123" and first[2] == "送信"
    assert first[4] == "元\n改行.pdf" and first[5] == "1234" and first[7] == "成功" and first[9] == "R-9"
    assert "'=HYPERLINK(\"http://x\")" in by_name  # formula neutralised for Excel
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_export_filters_and_english(tmp_path: Path) -> None:
    with History() as h:
        h.import_records([ev(establishment="1"), ev(establishment="2"), ev(establishment="2", direction="receive")])
        out = tmp_path / "x.csv"
        assert h.export_csv(out, HistoryQuery(establishment="2", limit=None), lang="en") == 2
    rows = read_csv(out)
    assert rows[0][0] == "Time (JST)" and {r[1] for r in rows[1:]} == {"0002"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                        min_size=1, max_size=40), min_size=1, max_size=5))
def test_csv_roundtrips_any_file_name(tmp_path_factory: pytest.TempPathFactory, names: list[str]) -> None:
    d = tmp_path_factory.mktemp("csvprop")
    with History(d / "h.sqlite3") as h:
        h.import_records([ev(file_name=n, time=T0 + timedelta(seconds=i)) for i, n in enumerate(names)])
        h.export_csv(d / "o.csv")
    got = [r[3] for r in read_csv(d / "o.csv")[1:]]
    expected = [("'" + n if n[0] in "=+-@\t\r" else n) for n in reversed(names)]
    assert got == expected


def test_utc_iso_is_fixed_width_and_ordered() -> None:
    a = hist.utc_iso(datetime(2026, 1, 1, 8, 59, tzinfo=JST))
    b = hist.utc_iso(datetime(2026, 1, 1, 0, 0, 0, 1000, tzinfo=UTC))
    assert a == "2025-12-31T23:59:00.000Z" and len(a) == len(b) and a < b


def test_trigram_index_gives_the_same_answers_as_a_scan() -> None:
    names = ["20261102_0123_資格取得届.zip", "決定通知書_202611.zip", "掛金の計算書.zip", "ABC-def.zip", "x'\"y.zip"]
    with History() as h:
        assert h._has_fts
        h.import_records([ev(file_name=names[i % len(names)] + f"_{i}", receipt=f"R-{i:05d}",
                             time=T0 + timedelta(minutes=i)) for i in range(3000)])
        rid = h.start(establishment="1", profile_id="p", direction="send", file_name="late.zip", mode="direct")
        h.finish(rid, "ok", receipt="UNIQUE-RECEIPT-42", detail="受付番号を確認")
        terms = ["資格取得", "通知書", "abc", "R-0299", "UNIQUE-RECEIPT", "'\"y", "計算", "受付番号", "zz-none", "_1"]
        queries = [HistoryQuery(text=t, limit=lim) for t in terms for lim in (20, None)]
        with_index = [([r.id for r in h.search(q)], h.count(q)) for q in queries]
        h._has_fts = False
        without = [([r.id for r in h.search(q)], h.count(q)) for q in queries]
        assert with_index == without
        assert with_index[terms.index("UNIQUE-RECEIPT") * 2][1] == 1
