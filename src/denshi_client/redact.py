"""Keeps secrets out of logs: every secret the app handles is registered here,
and the log filter replaces it wherever it appears."""

from __future__ import annotations

import logging
import re
import threading

_lock = threading.Lock()
_secrets: set[str] = set()
MASK = "********"

# Values that look like secrets even when not registered (key=value forms).
_PATTERNS = [
    re.compile(r"(?i)(/PASSWORD:)(\S+)"),
    re.compile(r"(?i)((?:password|passwd|otp|token|secret|authorization)[\"']?\s*[:=]\s*[\"']?)([^\s\"',;&]+)"),
    re.compile(r"(?i)(Bearer\s+)(\S+)"),
    # userinfo of any URL (scheme://user:password@host): masked even if a check upstream was bypassed
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/?#\s@\"'<>]+)(?=@)"),
]


def register_secret(value: str | None) -> None:
    if value and len(value) >= 3:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for s in secrets:
        if s in text:
            text = text.replace(s, MASK)
    for p in _PATTERNS:
        text = p.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:
            msg = str(record.msg)
        record.msg = redact(msg)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
