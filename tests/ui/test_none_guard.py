"""PySide6 6.12.0 (Linux wheels) on Python 3.11 takes a reference away from None on every void Qt
call and from True on every signal emit; the app's guard (ui/none_guard.py) keeps a reserve so a long
session cannot exhaust either."""

from __future__ import annotations

import sys
from typing import Any

import pytest


def test_void_qt_calls_and_emits_cannot_exhaust_none_or_true(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QObject, QTimer, Signal

    from denshi_client.ui import none_guard

    if not none_guard.needed():  # Python 3.12+: None and True are immortal, nothing to guard
        assert sys.getrefcount(None) > 1 << 30 and sys.getrefcount(True) > 1 << 30
        return

    class Ping(QObject):
        ping = Signal()

    monkeypatch.setattr(none_guard, "_LOW", 1 << 40)
    none_guard.top_up()  # every count is "low": a chunk is added for each singleton
    start_none, start_true = sys.getrefcount(None), sys.getrefcount(True)
    assert start_none >= none_guard._CHUNK and start_true >= none_guard._CHUNK
    t, p = QTimer(), Ping()
    for _ in range(20_000):  # more than a fresh 3.11 process holds (about 5,000 None, 600 True)
        t.setInterval(5)
        p.ping.emit()
    after_none, after_true = sys.getrefcount(None), sys.getrefcount(True)
    assert 0 < after_none <= start_none and 0 < after_true <= start_true  # any leak came out of the reserve
    none_guard.top_up()  # still "low" (the patched threshold): another chunk each
    assert sys.getrefcount(None) >= after_none + none_guard._CHUNK - 100
    assert sys.getrefcount(True) >= after_true + none_guard._CHUNK - 100
