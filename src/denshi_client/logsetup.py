"""Rotating, redacted log files in the user's log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from denshi_client.redact import RedactingFilter, redact

_configured = False


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(log_dir: Path, level: int = logging.INFO, *, console: bool = False) -> Path:
    global _configured
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "denshi-client.log"
    root = logging.getLogger()
    if _configured:
        return path
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    fmt = _RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    handler.setFormatter(fmt)
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    if console:
        ch = logging.StreamHandler()
        ch.setFormatter(fmt)
        ch.addFilter(RedactingFilter())
        root.addHandler(ch)
    root.setLevel(level)
    _configured = True
    return path
