"""PySide6 6.12.0 on Python 3.11 takes a reference away from None on every void Qt call; the app's
guard (ui/none_guard.py) keeps a reserve so a long session cannot exhaust it."""

from __future__ import annotations

import sys
from typing import Any

import pytest


def test_void_qt_calls_cannot_exhaust_none(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QTimer

    from denshi_client.ui import none_guard

    if not none_guard.needed():  # Python 3.12+: None is immortal, nothing to guard
        assert sys.getrefcount(None) > 1 << 30
        return
    monkeypatch.setattr(none_guard, "_LOW", 1 << 40)
    none_guard.top_up()  # the count is "low": a chunk is added
    start = sys.getrefcount(None)
    assert start >= none_guard._CHUNK
    t = QTimer()
    for _ in range(20_000):  # more than a fresh 3.11 process holds (about 5,000)
        t.setInterval(5)
    after = sys.getrefcount(None)
    assert after > 0 and after <= start  # the leak (if this PySide still has it) came out of the reserve
    none_guard.top_up()  # still "low" (the patched threshold): another chunk
    assert sys.getrefcount(None) >= after + none_guard._CHUNK - 100  # topped up when low
