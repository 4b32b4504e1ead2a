"""Filing dates as people type them: ISO, 2024/5/24, 20240524, 2024年5月24日 and Japanese eras
(each era checked against its real span)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from denshi_client.documents.naming.rules import normalize
from denshi_client.errors import ValidationError

# (name, aliases, first day). An era's year 1 starts on its first day; it ends the day before the next era.
_ERAS: tuple[tuple[str, tuple[str, ...], date], ...] = (
    ("令和", ("令和", "令", "R"), date(2019, 5, 1)),
    ("平成", ("平成", "平", "H"), date(1989, 1, 8)),
    ("昭和", ("昭和", "昭", "S"), date(1926, 12, 25)),
    ("大正", ("大正", "大", "T"), date(1912, 7, 30)),
)
_ERA_BY_ALIAS = {alias.upper(): era for era in _ERAS for alias in era[1]}
_ERA_ALT = "|".join(sorted((re.escape(a) for a in _ERA_BY_ALIAS), key=len, reverse=True))

_ERA_RE = re.compile(
    rf"^(?P<era>{_ERA_ALT})\s*(?P<y>元|\d{{1,2}})\s*(?:年\s*|[./\-]\s*)"
    rf"(?P<m>\d{{1,2}})\s*(?:月\s*|[./\-]\s*)(?P<d>\d{{1,2}})\s*日?$",
    re.IGNORECASE,
)
_WESTERN_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:年\s*|[./\-]\s*)(?P<m>\d{1,2})\s*(?:月\s*|[./\-]\s*)(?P<d>\d{1,2})\s*日?$"
)
_COMPACT_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")

_DATE_HELP_JA = "例: 2024-05-24、2024/5/24、令和6年5月24日、R6.5.24"
_DATE_HELP_EN = "e.g. 2024-05-24, 2024/5/24, 令和6年5月24日, R6.5.24"


def _ja_date(d: date) -> str:
    # strftime's %-m is not portable (Windows has no "-" flag).
    return f"{d.year}年{d.month}月{d.day}日"


def _impossible_date(shown: str) -> ValidationError:
    return ValidationError(
        f"「{shown}」は存在しない日付です。届出年月日をご確認ください。",
        f"{shown!r} is not a real date. Please check the filing date.",
        code="date_impossible",
    )


def _make_date(y: int, m: int, d: int, shown: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise _impossible_date(shown) from None


def parse_date(value: str | date) -> date:
    """A filing date from what people type: ISO, 2024/5/24, 20240524, 2024年5月24日 or a Japanese era.

    Era dates are checked against the era's real span: 平成31年5月1日 does not exist
    (that day is 令和元年5月1日), nor does 令和元年4月30日.
    """
    if isinstance(value, date):
        return value
    text = normalize(str(value)).text.strip()
    if not text:
        raise ValidationError("届出年月日を入力してください。", "Please enter the filing date.", code="date_missing")
    if m := _ERA_RE.match(text):
        era_name, _aliases, first = _ERA_BY_ALIAS[m["era"].upper()]
        era_year = 1 if m["y"] == "元" else int(m["y"])
        if era_year < 1:
            raise _impossible_date(text)
        d = _make_date(first.year + era_year - 1, int(m["m"]), int(m["d"]), text)
        idx = [e[0] for e in _ERAS].index(era_name)
        end = _ERAS[idx - 1][2] if idx > 0 else None
        if d < first or (end is not None and d >= end):
            last = end - timedelta(days=1) if end else None
            span_ja = f"{_ja_date(first)}から" + (f"{_ja_date(last)}まで" if last else "")
            span_en = f"from {first.isoformat()}" + (f" to {last.isoformat()}" if last else "")
            raise ValidationError(
                f"「{text}」は存在しない日付です（{era_name}は{span_ja}です）。",
                f"{text!r} does not exist: the {era_name} era runs {span_en}.",
                code="date_impossible",
            )
        return d
    for rx in (_WESTERN_RE, _COMPACT_RE):
        if m := rx.match(text):
            return _make_date(int(m["y"]), int(m["m"]), int(m["d"]), text)
    raise ValidationError(
        f"届出年月日「{text}」を日付として読み取れませんでした（{_DATE_HELP_JA}）。",
        f"Cannot read the filing date {text!r} ({_DATE_HELP_EN}).",
        code="date_unreadable",
    )


def to_japanese_era(d: date) -> str:
    """令和6年5月24日 — for showing a date the way the fund's letters write it."""
    for name, _aliases, first in _ERAS:
        if d >= first:
            y = d.year - first.year + 1
            return f"{name}{'元' if y == 1 else y}年{d.month}月{d.day}日"
    return f"{d.year}年{d.month}月{d.day}日"
