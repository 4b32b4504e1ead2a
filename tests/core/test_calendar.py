"""The service calendar: hours, weekends, national holidays (incl. 振替休日 / 国民の休日), year-end, config."""

from __future__ import annotations

import os
import time as time_mod
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from denshi_client.clock import JST, FakeClock
from denshi_client.errors import ConfigError
from denshi_client.service_calendar import CalendarConfig, ServiceCalendar

CAL = ServiceCalendar()


def jst(y: int, mo: int, d: int, h: int = 10, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=JST)


# --------------------------------------------------------------------------- hours


def test_open_on_a_weekday_inside_the_hours() -> None:
    at = jst(2024, 5, 24, 10)  # Friday
    assert CAL.is_open(at)
    assert CAL.closes_at(at) == jst(2024, 5, 24, 20)
    assert CAL.next_open(at) == jst(2024, 5, 27, 8)  # the next session, Monday
    assert CAL.remaining(at) == timedelta(hours=10)


def test_boundaries_opening_minute_is_open_closing_minute_is_closed() -> None:
    assert not CAL.is_open(jst(2024, 5, 24, 7, 59, 59))
    assert CAL.next_open(jst(2024, 5, 24, 7, 59, 59)) == jst(2024, 5, 24, 8)
    assert CAL.is_open(jst(2024, 5, 24, 8, 0, 0))
    assert CAL.is_open(jst(2024, 5, 24, 19, 59, 59))
    assert CAL.remaining(jst(2024, 5, 24, 19, 59, 59)) == timedelta(seconds=1)
    assert not CAL.is_open(jst(2024, 5, 24, 20, 0, 0))
    assert CAL.closes_at(jst(2024, 5, 24, 20, 0, 0)) is None
    assert CAL.remaining(jst(2024, 5, 24, 20)) == timedelta(0)


def test_weekend_is_closed() -> None:
    for d in (25, 26):  # Saturday, Sunday
        at = jst(2024, 5, d, 12)
        assert not CAL.is_open(at)
        assert CAL.next_open(at) == jst(2024, 5, 27, 8)
    reason = CAL.status(jst(2024, 5, 25, 12)).reason
    assert reason is not None and (reason.code, reason.ja) == ("weekend", "土曜日")


def test_answers_do_not_depend_on_the_zone_of_the_input() -> None:
    # 2024-05-24 10:30 UTC = 19:30 JST (open); 11:00 UTC = 20:00 JST (closed).
    assert CAL.is_open(datetime(2024, 5, 24, 10, 30, tzinfo=UTC))
    assert not CAL.is_open(datetime(2024, 5, 24, 11, 0, tzinfo=UTC))
    ny = ZoneInfo("America/New_York")
    # Thursday 19:00 in New York is Friday 08:00 in Tokyo: open, although it is evening "here".
    at = datetime(2024, 5, 23, 19, 0, tzinfo=ny)
    assert CAL.is_open(at)
    assert CAL.closes_at(at) == jst(2024, 5, 24, 20)
    assert CAL.closes_at(at).utcoffset() == timedelta(hours=9)  # type: ignore[union-attr]


def test_the_pcs_own_zone_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(time_mod, "tzset"):
        pytest.skip("time.tzset is POSIX-only")
    answers = []
    for tz in ("UTC", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"):
        monkeypatch.setenv("TZ", tz)
        time_mod.tzset()
        at = datetime(2024, 5, 24, 10, 59, tzinfo=UTC)
        answers.append((CAL.is_open(at), CAL.closes_at(at), CAL.next_open(at)))
    monkeypatch.delenv("TZ")
    time_mod.tzset()
    assert len(set(answers)) == 1
    assert os.environ.get("TZ") is None


def test_naive_datetime_is_an_error() -> None:
    naive = datetime(2024, 5, 24, 10)
    for fn in (CAL.is_open, CAL.closes_at, CAL.next_open, CAL.status, CAL.remaining):
        with pytest.raises(ValueError, match="aware"):
            fn(naive)  # type: ignore[operator]


def test_works_with_the_fake_clock() -> None:
    clock = FakeClock(jst(2024, 5, 24, 19, 0))
    assert CAL.is_open(clock.now())
    clock.advance(3600)
    assert not CAL.is_open(clock.now())


# --------------------------------------------------------------------------- national holidays


@pytest.mark.parametrize(("day", "name"), [
    (date(2019, 4, 29), "昭和の日"),
    (date(2019, 4, 30), "国民の休日"),  # between 昭和の日 and the enthronement day
    (date(2019, 5, 1), "天皇の即位の日"),
    (date(2019, 5, 2), "国民の休日"),  # between the enthronement day and 憲法記念日
    (date(2019, 5, 3), "憲法記念日"),
    (date(2019, 5, 4), "みどりの日"),
    (date(2019, 5, 5), "こどもの日"),
    (date(2019, 5, 6), "振替休日"),  # こどもの日 fell on a Sunday
    (date(2024, 5, 6), "振替休日"),  # こどもの日 2024 was a Sunday
    (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 (21st) and 秋分の日 (23rd)
    (date(2020, 7, 24), "スポーツの日"),  # moved for the Olympics
    (date(2021, 7, 23), "スポーツの日"),
])
def test_holidays_include_substitute_and_citizens_holidays(day: date, name: str) -> None:
    assert CAL.holiday_name(day, "ja") == name
    assert not CAL.is_open(datetime.combine(day, time(12), JST))
    reason = CAL.closed_reason(day)
    assert reason is not None and reason.code == "holiday" and name in reason.ja


def test_golden_week_2019_closed_ten_days() -> None:
    closed = [date(2019, 4, 27) + timedelta(days=i) for i in range(10)]  # Sat 27 Apr … Mon 6 May
    for d in closed:
        assert not CAL.is_service_day(d), d
    assert CAL.is_service_day(date(2019, 4, 26))
    assert CAL.next_open(jst(2019, 4, 26, 20)) == jst(2019, 5, 7, 8)


def test_silver_week_2026() -> None:
    # 2026-09-19 Sat … 09-23 Wed: 敬老の日 21st, 国民の休日 22nd, 秋分の日 23rd.
    assert CAL.next_open(jst(2026, 9, 18, 20)) == jst(2026, 9, 24, 8)


def test_holiday_names_in_english() -> None:
    assert CAL.holiday_name(date(2024, 5, 6), "en") == "Substitute Holiday"
    assert CAL.holiday_name(date(2024, 5, 7), "en") is None


# --------------------------------------------------------------------------- year end and extra days


def test_year_end_closed_by_default() -> None:
    assert CAL.is_service_day(date(2024, 12, 27))  # Friday
    for d in (date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 2), date(2025, 1, 3)):
        assert not CAL.is_service_day(d)
        assert CAL.closed_reason(d).code == "year_end"  # type: ignore[union-attr]
    assert CAL.next_open(jst(2024, 12, 27, 20)) == jst(2025, 1, 6, 8)  # 4th/5th are a weekend


def test_year_end_can_be_switched_off_and_moved() -> None:
    off = ServiceCalendar(CalendarConfig(year_end_closed=False))
    assert off.is_service_day(date(2024, 12, 30))
    assert not off.is_service_day(date(2025, 1, 1))  # 元日 is still a national holiday
    moved = ServiceCalendar(CalendarConfig(year_end_start=(12, 28), year_end_end=(1, 5)))
    assert not moved.is_service_day(date(2027, 1, 5))
    assert CAL.is_service_day(date(2027, 1, 5))


def test_extra_closed_dates() -> None:
    cal = ServiceCalendar(CalendarConfig(closed_dates=(date(2024, 5, 24),)))
    assert not cal.is_open(jst(2024, 5, 24, 10))
    assert cal.closed_reason(date(2024, 5, 24)).code == "closed_date"  # type: ignore[union-attr]
    assert cal.next_open(jst(2024, 5, 23, 21)) == jst(2024, 5, 27, 8)


def test_other_hours_and_weekdays() -> None:
    cal = ServiceCalendar(CalendarConfig(open_time=time(9, 30), close_time=time(17, 0),
                                         open_weekdays=frozenset({0, 1, 2, 3, 4, 5})))
    assert not cal.is_open(jst(2024, 5, 24, 9, 29))
    assert cal.is_open(jst(2024, 5, 25, 9, 30))  # Saturday now open
    assert cal.closes_at(jst(2024, 5, 25, 12)) == jst(2024, 5, 25, 17)
    assert cal.next_open(jst(2024, 5, 25, 17)) == jst(2024, 5, 27, 9, 30)


def test_status_explains_why_it_is_closed() -> None:
    assert CAL.status(jst(2024, 5, 24, 7)).reason.code == "before_hours"  # type: ignore[union-attr]
    after = CAL.status(jst(2024, 5, 24, 21)).reason
    assert after is not None and after.code == "after_hours" and "20:00" in after.ja
    assert CAL.status(jst(2024, 5, 24, 10)).reason is None
    d = CAL.status(datetime(2024, 5, 24, 1, 0, tzinfo=UTC)).to_dict()
    assert d == {"at": "2024-05-24T10:00:00+09:00", "open": True, "closes_at": "2024-05-24T20:00:00+09:00",
                 "next_open": "2024-05-27T08:00:00+09:00", "remaining_seconds": 36000, "reason": None}


# --------------------------------------------------------------------------- config from settings


def test_from_mapping_as_the_settings_file_gives_it() -> None:
    import tomllib

    table = tomllib.loads('[service]\nopen = "08:30"\nclose = "19:00"\n'
                          'closed_dates = [2025-08-13, "2025-08-14"]\nyear_end_closed = false\n')["service"]
    cfg = CalendarConfig.from_mapping(table)
    assert cfg.open_time == time(8, 30) and cfg.close_time == time(19, 0)
    assert cfg.closed_dates == (date(2025, 8, 13), date(2025, 8, 14))
    assert cfg.year_end_closed is False
    assert CalendarConfig.from_mapping({}) == CalendarConfig()


def test_from_mapping_optional_keys() -> None:
    cfg = CalendarConfig.from_mapping({"year_end_start": "12-28", "year_end_end": "01-04",
                                       "open_weekdays": ["Mon", "tue", "wednesday", "thu", "fri", "sat"],
                                       "national_holidays": True, "timezone": "Asia/Tokyo"})
    assert cfg.year_end_start == (12, 28) and cfg.year_end_end == (1, 4)
    assert cfg.open_weekdays == frozenset(range(6))


@pytest.mark.parametrize(("mapping", "fragment"), [
    ({"open": "8am"}, "open"),
    ({"open": "25:00"}, "open"),
    ({"close": 20}, "close"),
    ({"open": "20:00", "close": "08:00"}, "受付時間"),
    ({"open": "08:00", "close": "08:00"}, "受付時間"),
    ({"closed_dates": "2025-08-13"}, "closed_dates"),
    ({"closed_dates": ["2025-02-30"]}, "2025-02-30"),
    ({"year_end_closed": "yes"}, "year_end_closed"),
    ({"year_end_start": "13-01"}, "year_end_start"),
    ({"open_weekdays": []}, "open_weekdays"),
    ({"open_weekdays": ["funday"]}, "open_weekdays"),
    ({"timezone": "Mars/Olympus"}, "Mars/Olympus"),
    ({"opne": "08:00"}, "opne"),
])
def test_from_mapping_errors_are_clear(mapping: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as ei:
        CalendarConfig.from_mapping(mapping)
    assert fragment in ei.value.ja
    assert ei.value.en and ei.value.en != ei.value.ja
    assert ei.value.exit_code == 3


def test_from_mapping_can_ignore_foreign_keys() -> None:
    cfg = CalendarConfig.from_mapping({"open": "09:00", "auth_page_url": "https://x.example"}, strict=False)
    assert cfg.open_time == time(9, 0)


# --------------------------------------------------------------------------- properties

aware = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31),
                     timezones=st.sampled_from([UTC, JST, ZoneInfo("America/New_York"), ZoneInfo("Europe/London"),
                                                ZoneInfo("Australia/Lord_Howe")]))


@settings(max_examples=200, deadline=None)
@given(aware)
def test_answers_are_consistent(at: datetime) -> None:
    is_open = CAL.is_open(at)
    closes = CAL.closes_at(at)
    nxt = CAL.next_open(at)
    assert is_open == (closes is not None)
    assert nxt > at and CAL.is_open(nxt)
    assert not CAL.is_open(nxt - timedelta(seconds=1))
    assert nxt.astimezone(JST).time() == time(8, 0)
    assert nxt - at < timedelta(days=12)  # the longest closure (year end + weekend + holidays) is shorter
    if closes is not None:
        assert at < closes <= at + timedelta(hours=12)
        assert not CAL.is_open(closes) and CAL.is_open(closes - timedelta(seconds=1))
    for other in (UTC, ZoneInfo("America/Los_Angeles")):
        assert CAL.is_open(at.astimezone(other)) == is_open
        assert CAL.next_open(at.astimezone(other)) == nxt
