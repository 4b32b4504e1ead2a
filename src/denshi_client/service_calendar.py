"""When the fund's service is open: weekdays 08:00–20:00 Japan time, minus holidays.

The fund says these hours apply "for the time being", so hours, open weekdays, the
year-end closure and extra closed days come from `CalendarConfig` (settings), never
from constants elsewhere. Japanese national holidays — including 振替休日 and
国民の休日 — come from the `holidays` package, which computes them by rule (the
equinox days too), so future years work without a data update.

Every answer takes an aware datetime and works in the service's zone, so a PC set
to another zone (a consultant abroad, a mis-set VM) gets the same answers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from denshi_client import i18n
from denshi_client.errors import ConfigError

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_JA = ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEARCH_DAYS = 800  # next_open gives up after this many days (only a config with no open day gets there)


@dataclass(frozen=True)
class CalendarConfig:
    """The service hours. Defaults are the fund's published hours."""

    open_time: time = time(8, 0)
    close_time: time = time(20, 0)
    open_weekdays: frozenset[int] = frozenset(range(5))  # Monday=0 … Friday=4
    closed_dates: tuple[date, ...] = ()
    year_end_closed: bool = True
    year_end_start: tuple[int, int] = (12, 29)  # (month, day), inclusive
    year_end_end: tuple[int, int] = (1, 3)  # (month, day), inclusive
    national_holidays: bool = True
    timezone: str = "Asia/Tokyo"

    def __post_init__(self) -> None:
        if self.close_time <= self.open_time:
            raise ConfigError(
                f"受付時間の設定が正しくありません（開始 {self.open_time:%H:%M} が"
                f"終了 {self.close_time:%H:%M} 以降です）。",
                f"Invalid service hours: open {self.open_time:%H:%M} is not before close {self.close_time:%H:%M}.",
                code="calendar_hours",
            )
        if not self.open_weekdays or not set(self.open_weekdays) <= set(range(7)):
            raise ConfigError("受付する曜日の設定が正しくありません。", "Invalid open weekdays.",
                              code="calendar_weekdays")
        for md in (self.year_end_start, self.year_end_end):
            _check_month_day(md, "year_end")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ConfigError(f"タイムゾーン「{self.timezone}」が見つかりません。",
                              f"Unknown time zone {self.timezone!r}.", code="calendar_tz") from e

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any], *, source: str = "[service]", strict: bool = True) -> CalendarConfig:
        """Build from a settings table such as::

            [service]
            open = "08:00"
            close = "20:00"
            closed_dates = [2025-08-13, "2025-08-14"]   # TOML dates or strings
            year_end_closed = true
            year_end_start = "12-29"                    # optional, MM-DD
            year_end_end = "01-03"
            open_weekdays = ["mon", "tue", "wed", "thu", "fri"]
            national_holidays = true
            timezone = "Asia/Tokyo"

        With `strict`, an unknown key is an error (a typo must not silently keep the default).
        """
        if not isinstance(m, Mapping):
            raise _cfg(source, "", "表形式で指定してください。", "must be a table.")
        known = {"open", "close", "closed_dates", "year_end_closed", "year_end_start", "year_end_end",
                 "open_weekdays", "national_holidays", "timezone"}
        unknown = sorted(set(m) - known)
        if strict and unknown:
            keys = ", ".join(unknown)
            raise _cfg(source, keys, f"不明な項目です（使える項目: {', '.join(sorted(known))}）。",
                       f"unknown key (known keys: {', '.join(sorted(known))}).")
        kw: dict[str, Any] = {}
        if "open" in m:
            kw["open_time"] = _parse_hhmm(m["open"], source, "open")
        if "close" in m:
            kw["close_time"] = _parse_hhmm(m["close"], source, "close")
        if "closed_dates" in m:
            kw["closed_dates"] = _parse_dates(m["closed_dates"], source)
        for key in ("year_end_closed", "national_holidays"):
            if key in m:
                if not isinstance(m[key], bool):
                    raise _cfg(source, key, "true か false で指定してください。", "must be true or false.")
                kw[key] = m[key]
        for key in ("year_end_start", "year_end_end"):
            if key in m:
                kw[key] = _parse_month_day(m[key], source, key)
        if "open_weekdays" in m:
            kw["open_weekdays"] = _parse_weekdays(m["open_weekdays"], source)
        if "timezone" in m:
            if not isinstance(m["timezone"], str):
                raise _cfg(source, "timezone", "文字列で指定してください（例: \"Asia/Tokyo\"）。",
                           'must be a string such as "Asia/Tokyo".')
            kw["timezone"] = m["timezone"]
        try:
            return cls(**kw)
        except ConfigError as e:
            raise ConfigError(f"{source}: {e.ja}", f"{source}: {e.en}", code=e.code) from None


def _cfg(source: str, key: str, ja: str, en: str) -> ConfigError:
    where = f"{source} {key}".strip()
    return ConfigError(f"設定 {where} が正しくありません: {ja}", f"Setting {where} is invalid: {en}",
                       code="calendar_config")


def _parse_hhmm(value: Any, source: str, key: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (m := re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)):
        h, mi = int(m[1]), int(m[2])
        if h < 24 and mi < 60:
            return time(h, mi)
    raise _cfg(source, key, f"「{value}」は時刻として読めません。\"08:00\" のように指定してください。",
               f'{value!r} is not a time; write it like "08:00".')


def _parse_dates(value: Any, source: str) -> tuple[date, ...]:
    if not isinstance(value, list | tuple):
        raise _cfg(source, "closed_dates", "日付のリストで指定してください（例: [\"2025-08-13\"]）。",
                   'must be a list of dates such as ["2025-08-13"].')
    out: list[date] = []
    for item in value:
        if isinstance(item, datetime):
            item = item.date()
        if isinstance(item, date):
            out.append(item)
            continue
        try:
            out.append(date.fromisoformat(str(item).strip()))
        except ValueError:
            raise _cfg(source, "closed_dates", f"「{item}」は日付として読めません（例: 2025-08-13）。",
                       f"{item!r} is not a date (e.g. 2025-08-13).") from None
    return tuple(sorted(set(out)))


def _check_month_day(md: tuple[int, int], key: str) -> None:
    try:
        date(2000, md[0], md[1])  # a leap year, so 02-29 is allowed
    except (ValueError, TypeError, IndexError):
        raise ConfigError(f"{key} の月日が正しくありません。", f"{key}: invalid month-day.",
                          code="calendar_config") from None


def _parse_month_day(value: Any, source: str, key: str) -> tuple[int, int]:
    if isinstance(value, str) and (m := re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", value)):
        md = (int(m[1]), int(m[2]))
        try:
            _check_month_day(md, key)
            return md
        except ConfigError:
            pass
    raise _cfg(source, key, f"「{value}」は月日として読めません。\"12-29\" のように指定してください。",
               f'{value!r} is not a month-day; write it like "12-29".')


def _parse_weekdays(value: Any, source: str) -> frozenset[int]:
    if isinstance(value, list | tuple) and value:
        out = set()
        for item in value:
            key = str(item).strip().lower()[:3]
            if key not in WEEKDAY_KEYS:
                break
            out.add(WEEKDAY_KEYS.index(key))
        else:
            return frozenset(out)
    raise _cfg(source, "open_weekdays",
               '曜日のリストで指定してください（例: ["mon", "tue", "wed", "thu", "fri"]）。',
               'must be a list of weekdays such as ["mon", "tue", "wed", "thu", "fri"].')


@dataclass(frozen=True)
class ClosedReason:
    """Why a whole day is closed, in words for the user."""

    code: str  # weekend, holiday, year_end, closed_date
    ja: str
    en: str

    def message(self, lang: str | None = None) -> str:
        return i18n.pick(self.ja, self.en, lang)


@dataclass(frozen=True)
class ServiceStatus:
    at: datetime
    open: bool
    closes_at: datetime | None
    next_open: datetime
    reason: ClosedReason | None = None  # why it is closed (a closed day, or outside the hours); None while open
    remaining: timedelta = field(default=timedelta(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "open": self.open,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "next_open": self.next_open.isoformat(),
            "remaining_seconds": int(self.remaining.total_seconds()),
            "reason": None if self.reason is None else
            {"code": self.reason.code, "message_ja": self.reason.ja, "message_en": self.reason.en},
        }


class ServiceCalendar:
    """Answers "is the service open?" for any aware moment. Thread-safe."""

    def __init__(self, config: CalendarConfig | None = None):
        self.config = config or CalendarConfig()
        self._tz = self.config.tz
        self._closed = frozenset(self.config.closed_dates)
        self._lock = threading.Lock()
        # The holidays object fills itself per year on lookup, which is not thread-safe.
        self._holidays = holidays_lib.country_holidays("JP", language="ja")
        self._holidays_en = holidays_lib.country_holidays("JP", language="en_US")

    # -- days

    def holiday_name(self, d: date, lang: str | None = None) -> str | None:
        """The national holiday's name (e.g. 振替休日, 国民の休日) or None."""
        with self._lock:
            table = self._holidays_en if (lang or i18n.language()) == "en" else self._holidays
            return table.get(d)

    def closed_reason(self, d: date) -> ClosedReason | None:
        """Why the service is closed all day on `d` (a date in the service's zone), or None."""
        if d in self._closed:
            return ClosedReason("closed_date", "休業日", "closed day")
        if self.config.year_end_closed and self._in_year_end(d):
            return ClosedReason("year_end", "年末年始の休業期間", "year-end holidays")
        if self.config.national_holidays:
            ja = self.holiday_name(d, "ja")
            if ja:
                en = self.holiday_name(d, "en") or "national holiday"
                return ClosedReason("holiday", f"祝日（{ja}）", f"national holiday ({en})")
        if d.weekday() not in self.config.open_weekdays:
            wd = d.weekday()
            return ClosedReason("weekend" if wd >= 5 else "weekday_closed", _WEEKDAY_JA[wd], _WEEKDAY_EN[wd])
        return None

    def is_service_day(self, d: date) -> bool:
        return self.closed_reason(d) is None

    def _in_year_end(self, d: date) -> bool:
        md = (d.month, d.day)
        start, end = self.config.year_end_start, self.config.year_end_end
        if start <= end:
            return start <= md <= end
        return md >= start or md <= end  # spans New Year

    def service_days(self, start: date, end: date) -> Iterable[date]:
        d = start
        while d <= end:
            if self.is_service_day(d):
                yield d
            d += timedelta(days=1)

    # -- moments

    def _local(self, at: datetime) -> datetime:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("ServiceCalendar needs an aware datetime (with a time zone), got a naive one")
        return at.astimezone(self._tz)

    def _bounds(self, d: date) -> tuple[datetime, datetime]:
        return (datetime.combine(d, self.config.open_time, self._tz),
                datetime.combine(d, self.config.close_time, self._tz))

    def is_open(self, at: datetime) -> bool:
        """Open from the opening minute up to (not including) the closing minute."""
        local = self._local(at)
        if not self.is_service_day(local.date()):
            return False
        opens, closes = self._bounds(local.date())
        return opens <= local < closes

    def closes_at(self, at: datetime) -> datetime | None:
        """Today's closing time (service zone) while open; None while closed."""
        local = self._local(at)
        if not self.is_open(local):
            return None
        return self._bounds(local.date())[1]

    def remaining(self, at: datetime) -> timedelta:
        """Time left before closing (zero when closed) — the session clock's 20:00 countdown."""
        closes = self.closes_at(at)
        return max(closes - at, timedelta(0)) if closes else timedelta(0)

    def next_open(self, at: datetime) -> datetime:
        """The next moment the service opens strictly after `at`.

        While open this is the start of the next service day, so "next opens" never
        repeats the current session.
        """
        local = self._local(at)
        d = local.date()
        for _ in range(_SEARCH_DAYS):
            if self.is_service_day(d):
                opens = self._bounds(d)[0]
                if opens > local:
                    return opens
            d += timedelta(days=1)
        raise ConfigError("受付日が見つかりません。サービス時間の設定をご確認ください。",
                          "No service day found; please check the service-hours settings.", code="calendar_never_open")

    def status(self, at: datetime) -> ServiceStatus:
        """Everything the hours display needs, in one consistent answer."""
        local = self._local(at)
        is_open = self.is_open(local)
        reason = None if is_open else self.closed_reason(local.date())
        if not is_open and reason is None:
            o, c = self.config.open_time, self.config.close_time
            if local.time() < o:
                reason = ClosedReason("before_hours", f"受付開始前です（受付は{o:%H:%M}から）",
                                      f"not open yet (opens at {o:%H:%M})")
            else:
                reason = ClosedReason("after_hours", f"本日の受付は終了しました（受付は{c:%H:%M}まで）",
                                      f"closed for today (closes at {c:%H:%M})")
        return ServiceStatus(
            at=local,
            open=is_open,
            closes_at=self.closes_at(local),
            next_open=self.next_open(local),
            reason=reason,
            remaining=self.remaining(local),
        )
