"""Noticing that the PC slept, from the clock alone.

Why two signals: on Linux the monotonic clock stops during suspend while the wall
clock does not (a jump between them); on Windows `time.monotonic()` keeps counting
through sleep, so the sign there is a long gap between two ticks of a timer that
runs every second. Either means the network was gone and the VPN session is in
limbo. A user changing the system time by hand looks the same; ending the session
then is a safe mistake. `gap_s` is in clock seconds (scale it with a ScaledClock).
"""

from __future__ import annotations

import threading

from denshi_client.clock import Clock


class SleepDetector:
    def __init__(self, clock: Clock, gap_s: float = 90.0) -> None:
        self.clock = clock
        self.gap_s = gap_s
        self._lock = threading.Lock()
        self._last: tuple[float, float] | None = None  # (wall timestamp, monotonic)

    def reset(self) -> None:
        with self._lock:
            self._last = None

    def check(self) -> float | None:
        """Call on every tick; returns the sleep length (seconds) when a resume is noticed."""
        wall = self.clock.now().timestamp()
        mono = self.clock.monotonic()
        with self._lock:
            last, self._last = self._last, (wall, mono)
        if last is None:
            return None
        d_wall, d_mono = wall - last[0], mono - last[1]
        if d_mono > self.gap_s:
            return d_mono
        if d_wall - d_mono > self.gap_s:
            return d_wall - d_mono
        return None
