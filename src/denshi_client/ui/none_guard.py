"""A stopgap for a refcount bug in PySide6 6.12.0 on Python 3.11 (found 2026-12-02).

Every call of a Qt method that returns void takes one reference away from `None` (measured: 1,000
`QTimer.setInterval` calls lower `sys.getrefcount(None)` by 1,000). From Python 3.12 on, `None` is
immortal and nothing happens; on 3.11 (the Windows build's interpreter) `None` starts with a few
thousand references, and when they run out Python aborts with "none_dealloc" — a long session would
crash. Until the app moves to Python 3.12+ or a fixed PySide6, we hold a reserve of references to
`None` and top it up from the session's one-second tick, so the count can never reach zero.
"""

from __future__ import annotations

import sys

_RESERVE: list[None] = []
_CHUNK = 1_000_000  # 8 MB of pointers: a million void calls of headroom per top-up
_LOW = 250_000


def needed() -> bool:
    return sys.version_info < (3, 12)


def top_up() -> None:
    """Cheap when there is headroom (one getrefcount); adds a chunk when the count runs low."""
    if needed() and sys.getrefcount(None) < _LOW:
        _RESERVE.extend([None] * _CHUNK)
