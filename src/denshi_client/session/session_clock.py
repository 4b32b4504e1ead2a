"""The session clock: the part of `SessionMachine` that decides by the time.

Whether a visit may start now (service hours), the deadline (90-minute limit or the 20:00
close, less the graceful margin), the warnings, idleness, the VPN status poll, sleep and
resume, and the time budget of a transfer. Kept apart from the visit's steps (`connecting.py`)
so each reads on its own; `SessionMachine` is the only class that uses it, and the state it
reads is the machine's (declared in `machine_parts.py` for the type checker).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from denshi_client.clock import JST
from denshi_client.errors import SessionError
from denshi_client.session.machine_parts import CLOCKED, LOGGER, TERMINAL, Cancellable, MachineParts
from denshi_client.session.model import EndCause, Phase, TransferVerdict
from denshi_client.vpn.model import ConnState
from denshi_client.vpn.monitor import VpnMonitor

log = logging.getLogger(LOGGER)


def minutes(seconds: float) -> int:
    """Whole minutes, rounded up: '1 minute left' until the last second."""
    return max(0, int((seconds + 59) // 60))


def _hm(at: datetime) -> str:
    return at.astimezone(JST).strftime("%H:%M")


def _mdhm(at: datetime) -> str:
    j = at.astimezone(JST)
    return f"{j.month}月{j.day}日 {j:%H:%M}"


class SessionClock(MachineParts):
    """Service hours, deadline, warnings, idle, VPN polling, sleep and the transfer budget of a visit."""

    # ----- service hours (before a visit starts) ------------------------------------------
    def _check_hours(self) -> None:
        cal = self.deps.calendar
        if cal is None or not self.config.enforce_hours:
            return
        now = self.clock.now()
        if not cal.is_open(now):
            nxt = cal.next_open(now)
            when_ja = f"次の利用開始は{_mdhm(nxt)}です。" if nxt else ""
            when_en = f" It opens next on {nxt.astimezone(JST):%Y-%m-%d %H:%M} (JST)." if nxt else ""
            raise SessionError(
                f"現在は電子連携サービスの利用時間外です。{when_ja}",
                f"The service is closed now.{when_en}",
                code="closed",
            )
        closes = cal.closes_at(now)
        if closes is not None and (closes - now).total_seconds() < self.config.min_session_s:
            raise SessionError(
                f"本日のサービス終了時刻（{_hm(closes)}）まで時間が足りないため、接続を開始できません。"
                "次の利用時間に接続してください。",
                f"The service closes at {_hm(closes)} (JST), too soon to start a session. "
                "Please connect during the next service hours.",
                code="too_late",
            )

    def _compute_deadline(self, since: datetime) -> None:
        deadline = since + timedelta(seconds=self.config.session_limit_s)
        kind = "limit"
        cal = self.deps.calendar
        if cal is not None and self.config.enforce_hours:
            closes = cal.closes_at(since)
            if closes is not None and closes < deadline:
                deadline, kind = closes, "close"
        self._deadline, self._deadline_kind = deadline, kind

    def _init_clock_state(self) -> None:
        """Warnings already in the past are not replayed; the nearest one still fires at once."""
        remaining = self.remaining_s() or 0.0
        passed = sorted((m for m in self.config.warn_minutes if remaining <= m * 60), reverse=True)
        self._warned = set(passed[:-1]) if passed else set()
        self._idle_warned = False
        self._last_activity = self.clock.monotonic()
        p = self._profile
        assert p is not None
        self._monitor = VpnMonitor(self.deps.vpn, p.vpn_account, self.clock,
                                           poll_interval=self.config.vpn_poll_s,
                                           confirm_interval=self.config.vpn_confirm_s)
        self._monitor.seed(ConnState.CONNECTED, self._since)
        self._monitor.add_listener(self.on_vpn_event)
        self._next_poll = self.clock.monotonic()


    # ----- the clock ---------------------------------------------------------------------
    def tick(self) -> None:
        """Call about once a second (UI timer). Cheap: slow work goes through run_async."""
        try:
            self._tick()
        finally:
            self._run_tick_hooks()

    def _tick(self) -> None:
        gap = self._sleep.check()
        if gap is not None:
            self._on_resume(gap)
        with self._lock:
            if self._phase not in CLOCKED or self._ending:
                return
            remaining = self.remaining_s() or 0.0
            kind = self._deadline_kind
        if remaining <= 0:
            self._end_async(EndCause.SERVICE_CLOSE if kind == "close" else EndCause.LIMIT)
            return
        warn: int | None = None
        with self._lock:
            crossed = [m for m in self.config.warn_minutes if m not in self._warned and remaining <= m * 60]
            if crossed:
                self._warned.update(crossed)
                warn = min(crossed)
        if warn is not None:
            self._emit("warning", minutes_left=warn)
        if self._check_idle():
            return
        self._maybe_poll_vpn()
        self._emit("tick")

    def _check_idle(self) -> bool:
        t = self.config.idle_timeout_s
        if t <= 0:
            return False
        with self._lock:
            if self._busy:
                self._last_activity = self.clock.monotonic()
                return False
            idle = self.clock.monotonic() - self._last_activity
            warn = not self._idle_warned and idle >= t - self.config.idle_warning_s
            if warn:
                self._idle_warned = True
        if idle >= t:
            self._end_async(EndCause.IDLE)
            return True
        if warn:
            self._emit("idle_warning", minutes_left=minutes(t - idle))
        return False

    def _maybe_poll_vpn(self) -> None:
        with self._lock:
            mon = self._monitor
            if mon is None or self._polling or self.clock.monotonic() < self._next_poll:
                return
            self._polling = True

        def run() -> None:
            try:
                mon.poll()
            except Exception:
                log.exception("VPN poll failed")
            finally:
                with self._lock:
                    self._polling = False
                    self._next_poll = self.clock.monotonic() + mon.next_delay()
        self._run_async(run)

    def _on_resume(self, gap: float) -> None:
        log.info("resume from sleep noticed (gap %.0f s)", gap)
        self._emit("resumed")
        with self._lock:
            phase = self._phase
            end = self.ends_at()
            kind = self._deadline_kind
        if phase in CLOCKED:
            if end is not None and self.clock.now() >= end:
                self._end_async(EndCause.SERVICE_CLOSE if kind == "close" else EndCause.LIMIT)
            else:
                self._end_async(EndCause.SLEEP)
        elif phase in TERMINAL and self.deps.state_file is not None:
            self._run_async(self._recover_after_resume)

    def _recover_after_resume(self) -> None:
        from denshi_client.session.recovery import recover

        try:
            recover(self.deps.vpn, self.deps.state_file, accounts=())
        except Exception:
            log.exception("check after resume failed")

    def touch(self) -> None:
        """User activity (keys, mouse): restarts the idle count."""
        with self._lock:
            self._last_activity = self.clock.monotonic()
            self._idle_warned = False

    @contextlib.contextmanager
    def busy(self, cancel: Cancellable | None = None) -> Iterator[None]:
        """A transfer is running: no idle end meanwhile, and an end cancels it first."""
        with self._lock:
            self._busy += 1
            if cancel is not None:
                self._cancels.append(cancel)
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1
                if cancel is not None and cancel in self._cancels:
                    self._cancels.remove(cancel)
            self.touch()

    # ----- transfers ---------------------------------------------------------------------
    def record_throughput(self, n_bytes: int, seconds: float) -> None:
        """Measured by the transfers; small samples say more about latency than bandwidth."""
        if seconds <= 0 or n_bytes < 64 * 1024:
            return
        bps = n_bytes / seconds
        with self._lock:
            self._throughput = bps if self._throughput is None else 0.5 * self._throughput + 0.5 * bps

    def estimate_s(self, size_bytes: int) -> float:
        with self._lock:
            bps = self._throughput or self.config.default_throughput_bps
        return size_bytes / bps * self.config.throughput_safety + self.config.transfer_overhead_s

    def check_transfer(self, size_bytes: int) -> TransferVerdict:
        """Refuse what cannot finish before the app ends the session."""
        est = self.estimate_s(size_bytes)
        with self._lock:
            ready = self._phase is Phase.READY and not self._ending
            remaining = self.remaining_s() if ready else None
        if not ready or remaining is None:
            return TransferVerdict(False, est, None, "VPNに接続していないため、送受信できません。",
                                   "Not connected: nothing can be sent or received now.")
        if est > remaining:
            return TransferVerdict(
                False, est, remaining,
                f"接続の残り時間（約{minutes(remaining)}分）では送受信が終わらない見込み（約{minutes(est)}分）のため、"
                "開始しませんでした。次回の接続で行ってください。",
                f"Not started: it would take about {minutes(est)} min but only about {minutes(remaining)} min "
                "of the session remain. Please do it in the next session.",
            )
        return TransferVerdict(True, est, remaining)

    def require_transfer(self, size_bytes: int) -> None:
        """`check_transfer` as an exception, for the transfer code paths."""
        v = self.check_transfer(size_bytes)
        if not v.ok:
            raise SessionError(v.reason_ja, v.reason_en, code="no_time")
