"""CLI: `denshi-client hours [--at TIME]` — is the fund's service open?

Exit code 0 whether open or closed (scripts read `--json`: `open`, `closes_at`,
`next_open`); 1 for an unreadable --at; 3 for unusable service-hours settings.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from denshi_client import i18n
from denshi_client.cli.output import EXIT_OK, add_json_flag, emit
from denshi_client.clock import JST, SystemClock
from denshi_client.errors import ValidationError

if TYPE_CHECKING:
    from denshi_client.service_calendar import CalendarConfig


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hours", help="受付時間の確認 / is the service open now (or at --at)?",
                       description="電子連携サービスの受付時間（平日8時~20時、日本時間）/ "
                                   "the service hours (Japan time)")
    p.add_argument("--at", metavar="ISO-8601",
                   help="この時刻で判定（例: 2024-05-24T19:30+09:00。時差なしは日本時間）/ "
                        "judge this moment instead of now (without an offset: Japan time)")
    add_json_flag(p)
    p.set_defaults(handler=_hours)


def calendar_config() -> CalendarConfig:
    """The effective service hours (`[service]` in the settings and IT's policy)."""
    from denshi_client.store.settings import load_effective_settings

    return load_effective_settings().service.calendar


def _parse_at(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"--at の日時「{text}」を読み取れませんでした（例: 2024-05-24T19:30+09:00）。",
            f"Cannot read the --at time {text!r} (e.g. 2024-05-24T19:30+09:00).",
            code="invalid_time",
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=JST)


def _fmt(dt: datetime) -> str:
    return f"{dt:%Y-%m-%d %H:%M} ({dt.isoformat()[-6:]})"


def _hours(ns: argparse.Namespace) -> int:
    at = _parse_at(ns.at) if ns.at else SystemClock().now()
    from denshi_client.service_calendar import ServiceCalendar

    cal = ServiceCalendar(calendar_config())
    st = cal.status(at)
    if ns.json:
        emit(st.to_dict(), True)
        return EXIT_OK
    lines = [f"{i18n.pick('日時', 'Time')}: {_fmt(st.at)}"]
    if st.open:
        assert st.closes_at is not None
        mins = int(st.remaining.total_seconds()) // 60
        left_ja = f"あと{mins // 60}時間{mins % 60}分" if mins >= 60 else f"あと{mins}分"
        left_en = f"{mins // 60} h {mins % 60} min left" if mins >= 60 else f"{mins} min left"
        lines += [
            i18n.pick("状態: 受付中", "Status: open"),
            i18n.pick(f"受付終了: {_fmt(st.closes_at)}（{left_ja}）", f"Closes at: {_fmt(st.closes_at)} ({left_en})"),
        ]
    else:
        why = f"（{st.reason.ja}）" if st.reason else ""
        why_en = f" ({st.reason.en})" if st.reason else ""
        lines.append(i18n.pick(f"状態: 受付時間外{why}", f"Status: closed{why_en}"))
    lines.append(i18n.pick(f"次の受付開始: {_fmt(st.next_open)}", f"Next opens at: {_fmt(st.next_open)}"))
    emit(None, False, "\n".join(lines))
    return EXIT_OK
