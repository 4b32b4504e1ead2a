"""Checking one value against its key's type, and the error that names the file and line."""

from __future__ import annotations

import datetime as _dt
import math
import re
import string
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from denshi_client.errors import ConfigError
from denshi_client.store.settings.schema import TEMPLATE_FIELDS, KeySpec, spec_or_error


class SettingsFileError(ConfigError):
    """A problem in one settings or policy file, with where it is."""

    def __init__(self, path: Path, line: int | None, ja_what: str, en_what: str, *, key: str | None = None,
                 column: int | None = None, code: str = "config_file", hint_ja: str = "", hint_en: str = ""):
        self.path = path
        self.line = line
        self.column = column
        self.key = key
        self.what_ja = ja_what
        self.what_en = en_what
        if line is not None:
            where_ja = f"設定ファイル {path} の {line} 行目" + (f" {column} 文字目" if column else "")
            where_en = f"Settings file {path}, line {line}" + (f", column {column}" if column else "")
        else:
            where_ja = f"設定ファイル {path}"
            where_en = f"Settings file {path}"
        super().__init__(f"{where_ja}: {ja_what}", f"{where_en}: {en_what}", code=code, hint_ja=hint_ja,
                         hint_en=hint_en)

    def location(self) -> str:
        """`file:line` for tools and editors."""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def to_dict(self) -> dict[str, str]:
        d = super().to_dict()
        d["file"] = str(self.path)
        if self.line is not None:
            d["line"] = str(self.line)
        if self.key:
            d["key"] = self.key
        return d


class _BadValue(Exception):
    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja = ja
        self.en = en


# --------------------------------------------------------------------------- value checks

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL_RE = re.compile(rf"^[^@\s\"<>,;]+@{_LABEL}(?:\.{_LABEL})+$")
_KIND_WORD = {
    "str": ("文字列", "a string"),
    "url": ("URL の文字列", "a URL string"),
    "path": ("パスの文字列", "a path string"),
    "email": ("メールアドレスの文字列", "an e-mail address string"),
    "time": ('"HH:MM" 形式の文字列', 'an "HH:MM" string'),
    "choice": ("文字列", "a string"),
    "template": ("文字列", "a string"),
    "bool": ("true または false", "true or false"),
    "int": ("整数", "an integer"),
    "float": ("数値", "a number"),
    "dates": ("日付の配列", "a list of dates"),
    "regex": ("正規表現の文字列", "a regular expression string"),
    "minutes": ("整数の配列", "a list of integers"),
}


def _bad(spec: KeySpec, ja_reason: str = "", en_reason: str = "") -> _BadValue:
    ja = f"\"{spec.name}\" の値が正しくありません（例: {spec.example}）。"
    en = f"the value of \"{spec.name}\" is not valid (example: {spec.example})."
    if ja_reason:
        ja = f"\"{spec.name}\" の値が正しくありません。{ja_reason}（例: {spec.example}）。"
        en = f"the value of \"{spec.name}\" is not valid: {en_reason} (example: {spec.example})."
    return _BadValue(ja, en)


def _wrong_type(spec: KeySpec, value: Any) -> _BadValue:
    ja_t, en_t = _KIND_WORD[spec.kind]
    return _BadValue(f"\"{spec.name}\" には{ja_t}を指定してください（例: {spec.example}）。",
                     f"\"{spec.name}\" must be {en_t} (example: {spec.example}), not {type(value).__name__}.")


def _range(spec: KeySpec, v: float) -> None:
    if (spec.low is not None and v < spec.low) or (spec.high is not None and v > spec.high):
        raise _bad(spec, f"{spec.low:g}〜{spec.high:g} の範囲で指定してください",
                   f"it must be between {spec.low:g} and {spec.high:g}")


def check_value(spec: KeySpec, value: Any) -> Any:
    """The value in its normal form, or _BadValue. TOML dates become ISO strings."""
    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise _wrong_type(spec, value)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong_type(spec, value)
        _range(spec, value)
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong_type(spec, value)
        if not math.isfinite(value):
            raise _bad(spec)
        _range(spec, float(value))
        return float(value)
    if kind == "minutes":
        if not isinstance(value, list | tuple):
            raise _wrong_type(spec, value)
        out: list[int] = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int):
                raise _wrong_type(spec, value)
            _range(spec, item)
            out.append(item)
        return tuple(sorted(set(out), reverse=True))
    if kind == "dates":
        if not isinstance(value, list | tuple):
            raise _wrong_type(spec, value)
        dates: list[str] = []
        for item in value:
            if isinstance(item, _dt.datetime) or not isinstance(item, str | _dt.date):
                raise _wrong_type(spec, value)
            if isinstance(item, str):
                try:
                    item = _dt.date.fromisoformat(item.strip())
                except ValueError:
                    raise _bad(spec, f"「{item}」は日付として読めません", f"“{item}” is not a date") from None
            dates.append(item.isoformat())
        return tuple(sorted(set(dates)))
    if not isinstance(value, str):
        raise _wrong_type(spec, value)
    if kind == "time":
        m = _TIME_RE.match(value)
        if not m or (m.group(1) == "24" and m.group(2) != "00"):
            raise _bad(spec)
        return value
    if kind == "choice":
        if value not in spec.choices:
            raise _bad(spec, f"{' / '.join(spec.choices)} のいずれかを指定してください",
                       f"it must be one of {', '.join(spec.choices)}")
        return value
    if kind == "url":
        if value == "":
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in value):
            raise _bad(spec, "http:// または https:// で始まる URL を指定してください",
                       "it must be an http:// or https:// URL")
        if "@" in parts.netloc:  # user:password@ would end up in logs and support bundles
            raise _bad(spec, "URL にユーザー名やパスワード（user:password@）を含めることはできません",
                       "a URL must not contain a user name or password (user:password@)")
        return value
    if kind == "email":
        if value and not _EMAIL_RE.match(value):
            raise _bad(spec, "メールアドレスの形式ではありません", "it is not an e-mail address")
        return value
    if kind == "regex":
        try:
            re.compile(value)
        except re.error as e:
            raise _bad(spec, f"正規表現として読めません（{e}）", f"it is not a regular expression ({e})") from None
        return value
    if kind == "path":
        if any(ord(c) < 32 for c in value):
            raise _bad(spec, "制御文字は使えません", "control characters are not allowed")
        return value
    if kind == "template":
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError:
            raise _bad(spec, "{ } の対応が取れていません", "its braces do not match") from None
        unknown = [n for n in names if n not in TEMPLATE_FIELDS]
        if unknown or not value.strip():
            raise _bad(spec, f"使える差し込み項目は {' '.join('{' + f + '}' for f in TEMPLATE_FIELDS)} です",
                       f"the allowed fields are {' '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}")
        return value
    return value


def parse_cli_value(key: str, text: str) -> Any:
    """A value typed on the command line (`config set`), read by the key's type."""
    spec = spec_or_error(key)
    t = text.strip()
    try:
        if spec.kind == "bool":
            low = t.lower()
            if low in ("true", "yes", "on", "1"):
                return True
            if low in ("false", "no", "off", "0"):
                return False
            raise _bad(spec)
        if spec.kind == "int":
            return int(t)
        if spec.kind == "float":
            return float(t)
        if spec.kind in ("minutes", "dates"):
            if t.startswith("["):
                return tomllib.loads(f"v = {t}")["v"]
            items = [p.strip() for p in t.split(",") if p.strip()]
            return [int(p) for p in items] if spec.kind == "minutes" else items
    except (ValueError, tomllib.TOMLDecodeError, _BadValue):
        b = _bad(spec)
        raise ConfigError(f"「{key}」: {b.ja}", f"“{key}”: {b.en}", code="config_value") from None
    return text

