"""CLI: `denshi-client history list|export` — the send/receive history (送受信履歴)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from denshi_client.cli.output import EXIT_OK, add_json_flag, emit
from denshi_client.clock import JST
from denshi_client.errors import ValidationError
from denshi_client.i18n import pick

if TYPE_CHECKING:
    from denshi_client.store.history import HistoryQuery


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="send/receive history (送受信履歴)")
    add_json_flag(p)
    hs = p.add_subparsers(dest="history_cmd", metavar="ACTION")

    ls = hs.add_parser("list", help="newest first; filters combine")
    _filters(ls)
    ls.add_argument("--limit", type=int, default=50, help="rows per page (default 50)")
    ls.add_argument("--offset", type=int, default=0, help="skip this many rows (paging)")
    add_json_flag(ls)
    ls.set_defaults(handler=_list)

    ex = hs.add_parser("export", help="CSV for Excel (UTF-8 with BOM)")
    _filters(ex)
    ex.add_argument("-o", "--output", required=True, type=Path, help="CSV file to write")
    ex.add_argument("--limit", type=int, default=None, help="at most this many rows (default: all)")
    add_json_flag(ex)
    ex.set_defaults(handler=_export)

    p.set_defaults(handler=_list, search="", establishment="", profile="", direction="", result="", since=None,
                   until=None, limit=50, offset=0)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--search", default="", help="text in file names, details, server id or receipt")
    p.add_argument("--establishment", default="", help="establishment number")
    p.add_argument("--profile", default="", help="profile id")
    p.add_argument("--direction", choices=["send", "receive"], default="")
    p.add_argument("--result", choices=["ok", "failed", "cancelled", "pending"], default="")
    p.add_argument("--since", help="from this day or time (YYYY-MM-DD = Japan time, or ISO 8601)")
    p.add_argument("--until", help="up to and including this day (YYYY-MM-DD), or before this ISO 8601 time")


def parse_when(text: str | None, *, end: bool) -> datetime | None:
    """A day means the whole Japanese day; `end` turns it into the next midnight (exclusive bound)."""
    if not text:
        return None
    t = text.strip()
    try:
        if len(t) == 10:
            d = date.fromisoformat(t)
            start = datetime.combine(d, time(0), tzinfo=JST)
            return start + timedelta(days=1) if end else start
        dt = datetime.fromisoformat(t)
    except ValueError:
        raise ValidationError(f"日付・時刻「{text}」を読み取れません（例: 2024-05-24 または 2024-05-24T09:00+09:00）。",
                              f"Cannot read the date/time “{text}” (example: 2024-05-24 or 2024-05-24T09:00+09:00).",
                              code="history_date") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=JST)


def _query(ns: argparse.Namespace, *, limit: int | None, offset: int = 0) -> HistoryQuery:
    from denshi_client.store.history import HistoryQuery

    return HistoryQuery(text=ns.search or "", establishment=ns.establishment or "", profile_id=ns.profile or "",
                        direction=ns.direction or "", result=ns.result or "", since=parse_when(ns.since, end=False),
                        until=parse_when(ns.until, end=True), limit=limit, offset=offset)


_DIR = {"send": ("送信", "sent"), "receive": ("受信", "received")}
_RES = {"ok": ("成功", "ok"), "failed": ("失敗", "failed"), "cancelled": ("取消", "cancelled"),
        "pending": ("未完了", "pending")}


def _list(ns: argparse.Namespace) -> int:
    from denshi_client.store.history import History, local_text

    if ns.limit is not None and ns.limit < 0:
        raise ValidationError("--limit には 0 以上を指定してください。", "--limit must be 0 or more.", code="usage")
    q = _query(ns, limit=ns.limit, offset=ns.offset)
    with History() as h:
        rows = h.search(q)
        total = h.count(q)
    if not rows:
        text = pick("該当する履歴はありません。", "No matching history.")
    else:
        lines = [pick("日時（日本時間）  事業所  方向  結果  ファイル名", "Time (JST)  Est.  Dir.  Result  File name")]
        for r in rows:
            lines.append(f"{local_text(r.time)}  {r.establishment}  {pick(*_DIR[r.direction])}  "
                         f"{pick(*_RES[r.result])}  {r.file_name}")
        lines.append(pick(f"{total} 件中 {ns.offset + 1}〜{ns.offset + len(rows)} 件目",
                          f"rows {ns.offset + 1}-{ns.offset + len(rows)} of {total}"))
        text = "\n".join(lines)
    emit({"total": total, "offset": ns.offset, "records": [r.to_dict() for r in rows]}, ns.json, text)
    return EXIT_OK


def _export(ns: argparse.Namespace) -> int:
    from denshi_client.store.history import History

    q = _query(ns, limit=ns.limit)
    with History() as h:
        n = h.export_csv(ns.output, q)
    emit({"ok": True, "file": str(ns.output), "rows": n}, ns.json,
         pick(f"{n} 件の履歴を {ns.output} に書き出しました（Excel で開けます）。",
              f"Exported {n} record(s) to {ns.output} (opens in Excel)."))
    return EXIT_OK
