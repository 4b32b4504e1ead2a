"""Send/receive history in SQLite: the establishment's record of what went where.

One transaction per event, WAL so the UI can read while a worker writes, and
a transfer is written as 'pending' before it starts, so one cut short by a
crash, a VPN drop or a power cut stays visible instead of vanishing. The
schema evolves through numbered migrations recorded in PRAGMA user_version.
"""

from __future__ import annotations

import csv
import functools
import math
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from denshi_client import i18n
from denshi_client.clock import JST, Clock, SystemClock
from denshi_client.errors import StoreError, ValidationError
from denshi_client.store.paths import app_paths

Direction = Literal["send", "receive"]
Result = Literal["ok", "failed", "cancelled", "pending"]
DIRECTIONS: tuple[str, ...] = ("send", "receive")
RESULTS: tuple[str, ...] = ("ok", "failed", "cancelled", "pending")
FINAL_RESULTS: tuple[str, ...] = ("ok", "failed", "cancelled")
MODES: tuple[str, ...] = ("direct", "browser")

# --------------------------------------------------------------------------- migrations
# Never edit a released step: append a new one. Each runs in one transaction
# together with its PRAGMA user_version, so a crash leaves the old version intact.

Step = Sequence[str] | Callable[[sqlite3.Connection], None]

_FTS_ADD = ("INSERT INTO transfers_fts (rowid, file_name, original_name, detail, server_id, receipt) "
            "VALUES (new.id, new.file_name, new.original_name, new.detail, new.server_id, new.receipt);")
_FTS_DROP = ("INSERT INTO transfers_fts (transfers_fts, rowid, file_name, original_name, detail, server_id, receipt) "
             "VALUES ('delete', old.id, old.file_name, old.original_name, old.detail, old.server_id, old.receipt);")


def _v3_text_index(conn: sqlite3.Connection) -> None:
    """Substring search without a table scan: an FTS5 trigram index (detail=none keeps it ~10 % of the table).

    Only a candidate filter; the LIKE on the table still decides, so results are the same with or
    without it. An SQLite built without FTS5/trigram (< 3.34) skips it and search falls back to LIKE.
    """
    try:
        conn.execute("CREATE VIRTUAL TABLE transfers_fts USING fts5(file_name, original_name, detail, server_id, "
                     "receipt, content='transfers', content_rowid='id', tokenize='trigram', detail=none, "
                     "columnsize=0)")
    except sqlite3.OperationalError:
        return
    conn.execute("CREATE TRIGGER transfers_fts_ai AFTER INSERT ON transfers BEGIN " + _FTS_ADD + " END")
    conn.execute("CREATE TRIGGER transfers_fts_ad AFTER DELETE ON transfers BEGIN " + _FTS_DROP + " END")
    conn.execute("CREATE TRIGGER transfers_fts_au AFTER UPDATE OF file_name, original_name, detail, server_id, "
                 "receipt ON transfers BEGIN " + _FTS_DROP + " " + _FTS_ADD + " END")
    conn.execute("INSERT INTO transfers_fts (transfers_fts) VALUES ('rebuild')")


MIGRATIONS: list[tuple[int, str, Step]] = [
    (1, "transfers table", [
        """CREATE TABLE transfers (
            id            INTEGER PRIMARY KEY,
            time          TEXT NOT NULL,                 -- UTC, ISO 8601 with Z, fixed width
            finished_at   TEXT,
            establishment TEXT NOT NULL,
            profile_id    TEXT NOT NULL DEFAULT '',
            direction     TEXT NOT NULL CHECK (direction IN ('send', 'receive')),
            file_name     TEXT NOT NULL,
            original_name TEXT NOT NULL DEFAULT '',
            size          INTEGER CHECK (size IS NULL OR size >= 0),
            sha256        TEXT,
            result        TEXT NOT NULL CHECK (result IN ('ok', 'failed', 'cancelled', 'pending')),
            server_id     TEXT NOT NULL DEFAULT '',
            receipt       TEXT NOT NULL DEFAULT '',
            detail        TEXT NOT NULL DEFAULT '',
            mode          TEXT NOT NULL CHECK (mode IN ('direct', 'browser'))
        )""",
    ]),
    # Indices kept apart from the table so they can be tuned without touching data.
    (2, "search indices", [
        "CREATE INDEX ix_transfers_time ON transfers (time)",
        "CREATE INDEX ix_transfers_est_time ON transfers (establishment, time)",
        "CREATE INDEX ix_transfers_pending ON transfers (result) WHERE result = 'pending'",
        "CREATE INDEX ix_transfers_sha256 ON transfers (sha256) WHERE sha256 IS NOT NULL",
    ]),
    (3, "trigram text index", _v3_text_index),
    # "Show me what failed": without it a result filter reads the whole table (260 ms at 500k rows).
    (4, "result index", ["CREATE INDEX ix_transfers_result_time ON transfers (result, time)"]),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def utc_iso(dt: datetime) -> str:
    """Fixed-width UTC text, so string order is time order in SQL."""
    if dt.tzinfo is None:
        raise ValueError("aware datetime required")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def local_text(iso: str | None) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


DETAIL_SEP = "\x1f"  # between the Japanese and the English of a detail written by the app


def bilingual(ja: str, en: str) -> str:
    """A detail in both languages, so the history shows it in the UI's language (not the English
    an error carries for logs)."""
    return f"{ja}{DETAIL_SEP}{en}"


def detail_text(detail: str, lang: str | None = None) -> str:
    """The detail in `lang` (default: the UI language); a plain detail (file names, older rows) as stored."""
    if DETAIL_SEP not in detail:
        return detail
    ja, en = detail.split(DETAIL_SEP, 1)
    return en if (lang or i18n.language()) == "en" else ja


@dataclass(frozen=True)
class HistoryRecord:
    id: int
    time: str
    finished_at: str | None
    establishment: str
    profile_id: str
    direction: str
    file_name: str
    original_name: str
    size: int | None
    sha256: str | None
    result: str
    server_id: str
    receipt: str
    detail: str
    mode: str

    @property
    def time_dt(self) -> datetime:
        return datetime.fromisoformat(self.time)

    def detail_in(self, lang: str | None = None) -> str:
        return detail_text(self.detail, lang)

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["detail"] = detail_text(self.detail, "en")
        d["detail_ja"] = detail_text(self.detail, "ja")
        return d


_COLUMNS = [f.name for f in fields(HistoryRecord)]
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM transfers"  # noqa: S608  (fixed column names)


@dataclass(frozen=True)
class HistoryQuery:
    """Filters for search, count and export. `until` is exclusive; times are aware datetimes."""

    text: str = ""
    establishment: str = ""
    profile_id: str = ""
    direction: str = ""
    result: str = ""
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = 100
    offset: int = 0

    def where(self, *, fts: bool = False) -> tuple[str, list[Any]]:
        """SQL WHERE and its arguments; `fts` adds the trigram index as a candidate filter."""
        clauses: list[str] = []
        args: list[Any] = []
        if self.establishment:
            from denshi_client.store.profiles import normalize_establishment

            clauses.append("establishment = ?")
            args.append(normalize_establishment(self.establishment))
        if self.profile_id:
            clauses.append("profile_id = ?")
            args.append(self.profile_id)
        if self.direction:
            _check_choice("direction", self.direction, DIRECTIONS)
            clauses.append("direction = ?")
            args.append(self.direction)
        if self.result:
            _check_choice("result", self.result, RESULTS)
            clauses.append("result = ?")
            args.append(self.result)
        if self.since:
            clauses.append("time >= ?")
            args.append(utc_iso(self.since))
        if self.until:
            clauses.append("time < ?")
            args.append(utc_iso(self.until))
        text = self.text.strip()
        if fts and len(text) >= 3:
            clauses.append("id IN (SELECT rowid FROM transfers_fts WHERE transfers_fts MATCH ?)")
            args.append(fts_query(text))
        if text:
            pat = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cols = ("file_name", "original_name", "detail", "server_id", "receipt")
            clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in cols) + ")")
            args += [pat] * len(cols)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def fts_query(text: str) -> str:
    """All trigrams of the text, ANDed (detail=none has no phrases); LIKE then checks the order."""
    grams = dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2))
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _check_choice(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValidationError(f"{name} に「{value}」は指定できません（{' / '.join(allowed)}）。",
                              f"{name} cannot be “{value}” (use {', '.join(allowed)}).", code=f"history_{name}")


_F = TypeVar("_F", bound=Callable[..., Any])


def _db_guard(fn: _F) -> _F:
    """A damaged database found while reading or writing rows -> StoreError (exit 8), never a crash."""

    @functools.wraps(fn)
    def wrapper(self: History, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except sqlite3.DatabaseError as e:
            raise self._damaged(e) from None

    return cast(_F, wrapper)


class History:
    """The history database. One connection guarded by a lock: safe from any worker thread."""

    def __init__(self, path: Path | None = None, *, clock: Clock | None = None):
        self.path = path or app_paths().history_db
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._has_fts = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = self._connect(self.path)
        except sqlite3.DatabaseError as e:
            raise self._db_error(e) from None
        try:
            self._migrate()
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise self._db_error(e) from None
        except BaseException:
            self._conn.close()
            raise

    @staticmethod
    def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
        if readonly:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def _set_wal(self) -> None:
        """Only after the version check: a file we refuse must stay byte-identical."""
        mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.DatabaseError(f"journal_mode stayed {mode}")
        # FULL: an event the user saw as done must survive a power cut, and events are few.
        self._conn.execute("PRAGMA synchronous = FULL")

    def _db_error(self, e: BaseException) -> StoreError:
        return StoreError(
            f"送受信履歴のデータベース {self.path} を開けませんでした（{type(e).__name__}: {e}）。",
            f"The history database {self.path} could not be opened ({type(e).__name__}: {e}).",
            code="history_db", hint_ja="ファイルは変更していません。バックアップから戻すか、サポートにご連絡ください。",
            hint_en="The file was left untouched; restore it from a backup or contact support.")

    def _damaged(self, e: BaseException) -> StoreError:
        return StoreError(
            f"送受信履歴のデータベース {self.path} を読み取れませんでした（ファイルが壊れている可能性があります："
            f"{type(e).__name__}）。",
            f"The history database {self.path} could not be read (the file may be damaged: {type(e).__name__}).",
            code="history_damaged",
            hint_ja="ファイルは変更していません。バックアップから戻すか、サポートにご連絡ください。",
            hint_en="The file was left untouched; restore it from a backup or contact support.")

    def _migrate(self) -> None:
        with self._lock:
            version = self.schema_version()
            if version > LATEST_VERSION:
                raise StoreError(
                    f"送受信履歴 {self.path} は新しいバージョンのアプリで作られています（形式 {version}）。",
                    f"The history database {self.path} was created by a newer version of the app (schema {version}).",
                    code="history_newer", hint_ja="アプリを最新版に更新してください。", hint_en="Update the app.")
            self._set_wal()
            for number, _why, step in MIGRATIONS:
                if number <= version:
                    continue
                with self._transaction() as conn:
                    if callable(step):
                        step(conn)
                    else:
                        for sql in step:
                            conn.execute(sql)
                    conn.execute(f"PRAGMA user_version = {int(number)}")
            self._has_fts = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'transfers_fts'").fetchone() is not None

    class _Tx:
        def __init__(self, history: History):
            self.h = history

        def __enter__(self) -> sqlite3.Connection:
            self.h._lock.acquire()
            try:
                self.h._conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.h._lock.release()
                raise
            return self.h._conn

        def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
            try:
                if exc_type is None:
                    self.h._conn.execute("COMMIT")
                else:
                    self.h._conn.execute("ROLLBACK")
            finally:
                self.h._lock.release()

    def _transaction(self) -> History._Tx:
        return History._Tx(self)

    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- events

    def start(self, *, establishment: str, profile_id: str, direction: str, file_name: str, mode: str,
              original_name: str = "", size: int | None = None, sha256: str | None = None, detail: str = "") -> int:
        """Record a transfer about to begin; returns its id for `finish`."""
        return self.record(establishment=establishment, profile_id=profile_id, direction=direction,
                           file_name=file_name, mode=mode, original_name=original_name, size=size, sha256=sha256,
                           detail=detail, result="pending")

    @_db_guard
    def record(self, *, establishment: str, profile_id: str, direction: str, file_name: str, mode: str,
               result: str = "ok", original_name: str = "", size: int | None = None, sha256: str | None = None,
               server_id: str = "", receipt: str = "", detail: str = "", time: datetime | None = None) -> int:
        """One finished (or pending) event in one transaction."""
        row = self._row(establishment=establishment, profile_id=profile_id, direction=direction,
                        file_name=file_name, mode=mode, result=result, original_name=original_name, size=size,
                        sha256=sha256, server_id=server_id, receipt=receipt, detail=detail, time=time)
        with self._transaction() as conn:
            cur = conn.execute(_INSERT, row)
            return int(cur.lastrowid or 0)

    @_db_guard
    def finish(self, record_id: int, result: str, *, server_id: str | None = None, receipt: str | None = None,
               detail: str | None = None, size: int | None = None, sha256: str | None = None) -> HistoryRecord:
        """Close a pending transfer with its outcome (ok / failed / cancelled)."""
        _check_choice("result", result, FINAL_RESULTS)
        sets = ["result = ?", "finished_at = ?"]
        args: list[Any] = [result, utc_iso(self.clock.now())]
        for col, val in (("server_id", server_id), ("receipt", receipt), ("detail", detail), ("size", size),
                         ("sha256", sha256)):
            if val is not None:
                sets.append(f"{col} = ?")
                args.append(val)
        with self._transaction() as conn:
            cur = conn.execute(f"UPDATE transfers SET {', '.join(sets)} WHERE id = ? AND result = 'pending'",  # noqa: S608
                               [*args, record_id])
            if cur.rowcount != 1:
                exists = conn.execute("SELECT result FROM transfers WHERE id = ?", (record_id,)).fetchone()
                if exists is None:
                    raise _not_found(record_id)
                raise StoreError(f"履歴 {record_id} はすでに完了しています（{exists[0]}）。",
                                 f"History record {record_id} is already finished ({exists[0]}).",
                                 code="history_finished")
        return self.get(record_id)

    @_db_guard
    def import_records(self, records: Iterable[Mapping[str, Any]],
                       progress: Callable[[int], None] | None = None) -> int:
        """Many rows in ONE transaction (imports, benchmarks): all or nothing."""
        n = 0
        with self._transaction() as conn:
            for rec in records:
                conn.execute(_INSERT, self._row(**rec))
                n += 1
                if progress and n % 10_000 == 0:
                    progress(n)
        return n

    def _row(self, *, establishment: str, profile_id: str, direction: str, file_name: str, mode: str,
             result: str = "ok", original_name: str = "", size: int | None = None, sha256: str | None = None,
             server_id: str = "", receipt: str = "", detail: str = "", time: datetime | None = None,
             finished_at: datetime | None = None) -> tuple[Any, ...]:
        from denshi_client.store.profiles import normalize_establishment

        _check_choice("direction", direction, DIRECTIONS)
        _check_choice("result", result, RESULTS)
        _check_choice("mode", mode, MODES)
        if not file_name:
            raise ValidationError("ファイル名が空です。", "The file name is empty.", code="history_file_name")
        now = time or self.clock.now()
        done = finished_at or (None if result == "pending" else now)
        return (utc_iso(now), utc_iso(done) if done else None, normalize_establishment(establishment), profile_id,
                direction, file_name, original_name, size, sha256, result, server_id, receipt, detail, mode)

    # ----------------------------------------------------------------- reading

    @_db_guard
    def get(self, record_id: int) -> HistoryRecord:
        with self._lock:
            row = self._conn.execute(_SELECT + " WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise _not_found(record_id)
        return HistoryRecord(*row)

    @_db_guard
    def search(self, query: HistoryQuery | None = None) -> list[HistoryRecord]:
        """Newest first, one page (`limit`/`offset`)."""
        q = query or HistoryQuery()
        with self._lock:
            where, args = q.where(fts=self._use_fts(q))
            sql = _SELECT + where + " ORDER BY time DESC, id DESC"
            if q.limit is not None:
                sql += " LIMIT ? OFFSET ?"
                args += [int(q.limit), int(q.offset)]
            return [HistoryRecord(*r) for r in self._conn.execute(sql, args).fetchall()]

    def _use_fts(self, q: HistoryQuery) -> bool:
        """Trigram filter when it pays: for counts and exports always; for a page only when the text is rare.

        A page of a common word is found fastest by walking the time index until the page is full;
        a rare one by the index (a walk would read the whole table). The cut-off balances the two:
        a walk reads about (limit+offset) * rows / matches rows, the filter about `matches`.
        """
        text = q.text.strip()
        if not (self._has_fts and len(text) >= 3):
            return False
        if q.limit is None:
            return True
        if q.establishment or q.profile_id:
            return False  # the establishment index already bounds the scan to one establishment's rows
        rows = int(self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM transfers").fetchone()[0])
        cutoff = min(50_000, max(1_000, int(math.sqrt((q.limit + q.offset) * max(rows, 1)))))
        found = self._conn.execute(
            "SELECT COUNT(*) FROM (SELECT rowid FROM transfers_fts WHERE transfers_fts MATCH ? LIMIT ?)",
            (fts_query(text), cutoff + 1)).fetchone()[0]
        return int(found) <= cutoff

    @_db_guard
    def count(self, query: HistoryQuery | None = None) -> int:
        q = query or HistoryQuery(limit=None)
        with self._lock:
            where, args = q.where(fts=self._has_fts and len(q.text.strip()) >= 3)
            return int(self._conn.execute("SELECT COUNT(*) FROM transfers" + where, args).fetchone()[0])  # noqa: S608

    @_db_guard
    def pending(self) -> list[HistoryRecord]:
        """Transfers started but never finished: interrupted, or still running elsewhere."""
        with self._lock:
            rows = self._conn.execute(_SELECT + " WHERE result = 'pending' ORDER BY time").fetchall()
        return [HistoryRecord(*r) for r in rows]

    @_db_guard
    def find_by_sha256(self, sha256: str) -> list[HistoryRecord]:
        """Has this exact file been handled before (browser mode sees re-downloads)."""
        with self._lock:
            rows = self._conn.execute(_SELECT + " WHERE sha256 = ? ORDER BY time", (sha256,)).fetchall()
        return [HistoryRecord(*r) for r in rows]

    @_db_guard
    def sent_today(self, establishment: str, file_name: str) -> HistoryRecord | None:
        """A send of exactly this name for the establishment today (JST, by the injected clock) that went
        out or may have (ok / pending): the fund would get two different files under one name."""
        from denshi_client.store.profiles import normalize_establishment

        now = self.clock.now().astimezone(JST)
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self._lock:
            row = self._conn.execute(
                _SELECT + " WHERE establishment = ? AND time >= ? AND direction = 'send' AND file_name = ? "
                "AND result IN ('ok', 'pending') ORDER BY time DESC LIMIT 1",
                (normalize_establishment(establishment), utc_iso(start), file_name)).fetchone()
        return HistoryRecord(*row) if row is not None else None

    def iter_records(self, query: HistoryQuery | None = None, batch: int = 2000) -> Iterator[HistoryRecord]:
        """All matches, newest first, on a separate read-only connection so writers are not held up."""
        q = query or HistoryQuery(limit=None)
        where, args = q.where(fts=self._has_fts and len(q.text.strip()) >= 3 and q.limit is None)
        sql = _SELECT + where + " ORDER BY time DESC, id DESC"
        if q.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(q.limit), int(q.offset)]
        try:
            conn = self._connect(self.path, readonly=True)
        except sqlite3.DatabaseError as e:
            raise self._damaged(e) from None
        try:
            cur = conn.execute(sql, args)
            while rows := cur.fetchmany(batch):
                yield from (HistoryRecord(*r) for r in rows)
        except sqlite3.DatabaseError as e:
            raise self._damaged(e) from None
        finally:
            conn.close()

    @_db_guard
    def export_csv(self, out: Path, query: HistoryQuery | None = None, *, lang: str | None = None) -> int:
        """CSV for Excel (UTF-8 with BOM, CRLF); written to a temp file and renamed. Returns rows written."""
        q = query or HistoryQuery(limit=None)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        n = 0
        try:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                n = write_csv(f, self.iter_records(q), lang=lang)
            tmp.replace(out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return n


def _not_found(record_id: int) -> StoreError:
    return StoreError(f"履歴 {record_id} は見つかりません。", f"History record {record_id} does not exist.",
                      code="history_not_found")


_INSERT = ("INSERT INTO transfers (time, finished_at, establishment, profile_id, direction, file_name, original_name, "
           "size, sha256, result, server_id, receipt, detail, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

CSV_HEADERS = {
    "ja": ["日時", "事業所番号", "方向", "ファイル名", "元のファイル名", "サイズ(バイト)", "SHA-256", "結果",
           "サーバー上のID", "受付番号", "詳細", "方式", "プロファイル", "完了日時", "記録ID"],
    "en": ["Time (JST)", "Establishment", "Direction", "File name", "Original name", "Size (bytes)", "SHA-256",
           "Result", "Server ID", "Receipt", "Detail", "Mode", "Profile", "Finished (JST)", "Record ID"],
}
_WORDS = {
    "ja": {"send": "送信", "receive": "受信", "ok": "成功", "failed": "失敗", "cancelled": "取消",
           "pending": "未完了", "direct": "直接", "browser": "ブラウザー"},
    "en": {"send": "sent", "receive": "received", "ok": "ok", "failed": "failed", "cancelled": "cancelled",
           "pending": "pending", "direct": "direct", "browser": "browser"},
}


def _cell(text: str) -> str:
    """Excel would run '=…', '+…', '-…', '@…' as formulas; names come from outside, so neutralise them."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def write_csv(f: Any, records: Iterable[HistoryRecord], *, lang: str | None = None) -> int:
    lang = "en" if (lang or i18n.language()) == "en" else "ja"
    words = _WORDS[lang]
    w = csv.writer(f, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(CSV_HEADERS[lang])
    n = 0
    for r in records:
        w.writerow([
            local_text(r.time), r.establishment, words.get(r.direction, r.direction), _cell(r.file_name),
            _cell(r.original_name), "" if r.size is None else r.size, r.sha256 or "", words.get(r.result, r.result),
            _cell(r.server_id), _cell(r.receipt), _cell(detail_text(r.detail, lang)), words.get(r.mode, r.mode),
            _cell(r.profile_id),
            local_text(r.finished_at), r.id,
        ])
        n += 1
    return n
