"""Injectable time, so a 90-minute session can be tested in milliseconds."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware current time (UTC or any zone)."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2024, 5, 24, 9, 0, tzinfo=JST)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._mono = 1000.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds

    def set(self, when: datetime) -> None:
        with self._lock:
            delta = (when - self._now).total_seconds()
            self._now = when
            self._mono += max(delta, 0.0)


class ScaledClock:
    """Real time running `factor` times faster from a start point (demo mode)."""

    def __init__(self, factor: float, start: datetime | None = None, base: Clock | None = None):
        self._base = base or SystemClock()
        self._factor = factor
        self._start_real = self._base.monotonic()
        self._start = start or self._base.now()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(self._base.monotonic() - self._start_real) * self._factor)

    def monotonic(self) -> float:
        return self._start_real + (self._base.monotonic() - self._start_real) * self._factor
