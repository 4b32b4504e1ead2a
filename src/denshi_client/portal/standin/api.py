"""The API's vocabulary: paths, limits, field patterns, the error answer, and the small readers of
JSON fields, query parameters and Range headers that every route uses."""

from __future__ import annotations

import re
from typing import Any

API_PREFIX = "/api/v1"
CONTROL_PREFIX = "/_standin"
CHUNK = 1 << 20
MAX_JSON = 64 * 1024

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_USER_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_EST = re.compile(r"^[0-9]{4}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_OTP = re.compile(r"^[0-9]{6}$")
_BAD_NAME = re.compile(r"[/\\\x00-\x1f]")


class ApiError(Exception):
    """An answer other than success; raised anywhere in a handler."""

    def __init__(self, status: int, code: str, ja: str, en: str, headers: dict[str, str] | None = None):
        super().__init__(en)
        self.status, self.code, self.ja, self.en = status, code, ja, en
        self.headers = headers or {}


def bad_request(en: str, ja: str = "リクエストの形式が正しくありません。") -> ApiError:
    return ApiError(400, "invalid_request", ja, en)


class _Reset(Exception):
    """The connection was dropped on purpose (fault) or by the peer."""


def _pct(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


def _string_field(body: dict[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    v = body.get(key)
    if not isinstance(v, str) or not pattern.match(v):
        raise bad_request(f"{key} is missing or malformed")
    return v


def _no_extra(body: dict[str, Any], allowed: set[str]) -> None:
    extra = set(body) - allowed
    if extra:
        raise bad_request(f"unknown field(s): {', '.join(sorted(extra))}")


def _query(q: dict[str, list[str]], key: str, pattern: re.Pattern[str]) -> str | None:
    vals = q.get(key)
    if not vals:
        return None
    if len(vals) > 1 or not pattern.match(vals[0]):
        raise bad_request(f"query parameter {key} is malformed")
    return vals[0]


def _parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """One `bytes=` range -> (start, end); 'unsatisfiable'; None = ignore the header (RFC 9110 §14.2)."""
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or (m.group(1) == "" and m.group(2) == ""):
        return None
    a, b = m.group(1), m.group(2)
    if a == "":
        n = int(b)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(size - n, 0), size - 1
    start = int(a)
    end = int(b) if b else size - 1
    if end < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)
