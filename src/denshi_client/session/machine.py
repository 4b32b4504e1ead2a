"""One state machine for a whole visit: hours → OTP → VPN → login → ready → logout → disconnect → confirm.

Why a machine and not a script: the visit can end from many sides (the user, the
90-minute clock, the 20:00 close, idleness, the VPN server, the network, sleep,
quitting) and from several threads, and every one of those ends must leave the
VPN down and say why. The OTP must be in hand before the VPN is up (e-mail stops
working then), so the only road to the VPN goes through `submit_otp()`, which is
accepted only after the OTP step.

The machine is Qt-free; blocking methods run on worker threads, `tick()` is cheap
and runs on the UI thread. See docs/dev/session-api.md. Its parts: the steps up to READY
`connecting.py`, the end `ending.py`, the clock `session_clock.py` (shared declarations in
`machine_parts.py`); this module holds the phase (`_move`, the one place it changes), the
listeners and the read side.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from denshi_client.clock import Clock
from denshi_client.errors import DenshiError
from denshi_client.portal.model import PortalClient
from denshi_client.session.connecting import Connecting
from denshi_client.session.ending import Ending
from denshi_client.session.machine_parts import CLOCKED, LOGGER, Cancellable
from denshi_client.session.model import (
    PHASE_TRANSITIONS,
    EndCause,
    Phase,
    PhaseError,
    ProbeResult,
    SessionConfig,
    SessionDeps,
    SessionEvent,
    SessionListener,
    SessionProfile,
    Snapshot,
)
from denshi_client.session.session_clock import SessionClock
from denshi_client.session.sleep import SleepDetector
from denshi_client.vpn.monitor import VpnMonitor

__all__ = ["SessionMachine"]  # the model types are exported by the package (`denshi_client.session`)

log = logging.getLogger(LOGGER)


def _thread_runner(fn: Callable[[], None]) -> None:
    threading.Thread(target=fn, name="session-worker", daemon=True).start()


class SessionMachine(Connecting, Ending, SessionClock):
    """Thread-safe; listeners get `SessionEvent`s on the thread that made the change.

    The visit's steps live in `connecting.Connecting`, its ending in `ending.Ending`, the clock while
    the VPN is up (deadline, warnings, idle, VPN poll, sleep, transfer budget) in
    `session_clock.SessionClock`; the phase changes only here, in `_move`."""

    def __init__(self, deps: SessionDeps, clock: Clock, config: SessionConfig | None = None) -> None:
        self.deps = deps
        self.clock = clock
        self.config = config or SessionConfig()
        self._run_async = deps.run_async or _thread_runner
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._listeners: list[SessionListener] = []
        self._tick_hooks: list[Callable[[], None]] = []
        self._sleep = SleepDetector(clock, self.config.sleep_gap_s)
        self._throughput: float | None = None
        self._phase = Phase.IDLE
        self._reset(None)

    def _reset(self, profile: SessionProfile | None) -> None:
        """A new visit's bookkeeping. The flags below are per-visit details *within* a phase
        (logged in yet, end already claimed, a poll running, the idle warning shown); the phase
        itself changes only in `_move`."""
        self._profile = profile
        self._portal: PortalClient | None = None
        self._logged_in = False
        self._otp: str | None = None
        self._otp_requested_at: datetime | None = None
        self._otp_wrong = 0  # OTPs the service refused as wrong in this visit
        self._since: datetime | None = None
        self._deadline: datetime | None = None
        self._deadline_kind: str | None = None
        self._warned: set[int] = set()
        self._idle_warned = False
        self._last_activity = self.clock.monotonic()
        self._busy = 0
        self._cancels: list[Cancellable] = []
        self._ending = False
        self._abort: EndCause | None = None
        self._end_cause: EndCause | None = None
        self._error: DenshiError | None = None
        self._internet: ProbeResult | None = None
        self._monitor: VpnMonitor | None = None
        self._next_poll = 0.0
        self._polling = False

    # ----- listeners ---------------------------------------------------------------------
    def add_listener(self, cb: SessionListener) -> None:
        with self._lock:
            self._listeners.append(cb)

    def remove_listener(self, cb: SessionListener) -> None:
        with self._lock:
            if cb in self._listeners:
                self._listeners.remove(cb)

    def add_tick_hook(self, fn: Callable[[], None]) -> None:
        """Run `fn` on every tick, after the clock rules (browser mode's folder watch). Keep it cheap."""
        with self._lock:
            self._tick_hooks.append(fn)

    def remove_tick_hook(self, fn: Callable[[], None]) -> None:
        with self._lock:
            if fn in self._tick_hooks:
                self._tick_hooks.remove(fn)

    def _run_tick_hooks(self) -> None:
        with self._lock:
            hooks = list(self._tick_hooks)
        for fn in hooks:
            try:
                fn()
            except Exception:
                log.exception("tick hook failed")

    def _emit(self, kind: str, *, minutes_left: int | None = None, cause: EndCause | None = None) -> None:
        snap = self.snapshot()
        with self._lock:
            listeners = list(self._listeners)
        ev = SessionEvent(kind, snap, minutes_left, cause)
        for cb in listeners:
            try:
                cb(ev)
            except Exception:  # a broken listener must never stop a disconnect
                log.exception("session listener failed on %s", kind)

    def _move(self, to: Phase) -> bool:
        """The one place the phase changes (caller holds the lock). Only `PHASE_TRANSITIONS`
        steps are taken; any other raises `PhaseError`. False when already in `to`."""
        frm = self._phase
        if frm is to:
            return False
        if to not in PHASE_TRANSITIONS[frm]:
            raise PhaseError(frm, to)
        log.info("session phase %s -> %s", frm.value, to.value)
        self._phase = to
        self._changed.notify_all()
        return True

    def _set_phase(self, phase: Phase, *, only_from: tuple[Phase, ...] = ()) -> bool:
        """Move and announce. With `only_from`, a visit that has meanwhile left those phases
        (ended by another thread) is left alone and False returned."""
        with self._lock:
            if only_from and self._phase not in only_from:
                return False
            moved = self._move(phase)
        if moved:
            self._emit("phase_changed")
        return moved

    # ----- read side ---------------------------------------------------------------------
    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def profile(self) -> SessionProfile | None:
        return self._profile

    @property
    def portal(self) -> PortalClient | None:
        """The logged-in portal client while READY in direct mode (transfers use it)."""
        with self._lock:
            return self._portal if self._logged_in and self._phase is Phase.READY else None

    def ends_at(self) -> datetime | None:
        with self._lock:
            if self._deadline is None:
                return None
            return self._deadline - timedelta(seconds=self.config.graceful_margin_s)

    def remaining_s(self) -> float | None:
        end = self.ends_at()
        if end is None:
            return None
        return max(0.0, (end - self.clock.now()).total_seconds())

    def snapshot(self) -> Snapshot:
        with self._lock:
            remaining = self.remaining_s() if self._phase in CLOCKED else None
            next_warning = None
            if remaining is not None:
                pending = [m for m in self.config.warn_minutes if m not in self._warned]
                next_warning = max(pending) if pending else None
            idle_left = None
            if self._phase in CLOCKED and self.config.idle_timeout_s > 0:
                idle_left = max(0.0, self.config.idle_timeout_s - (self.clock.monotonic() - self._last_activity))
            cause = self._end_cause
            p = self._profile
            return Snapshot(
                phase=self._phase,
                profile_id=p.id if p else None,
                mode=p.mode if p else None,
                established_since=self._since,
                deadline=self._deadline,
                deadline_kind=self._deadline_kind,
                ends_at=self.ends_at(),
                remaining_s=remaining,
                next_warning_min=next_warning,
                idle_remaining_s=idle_left,
                end_cause=cause,
                end_message_ja=self._limit_text(cause.message_ja, "分") if cause else "",
                end_message_en=self._limit_text(cause.message_en, " minutes") if cause else "",
                error=self._error,
                internet=self._internet,
                otp_requested_at=self._otp_requested_at,
                throughput_bps=self._throughput,
            )

    def _limit_text(self, text: str, unit: str) -> str:
        """The texts name the fund's 90 minutes; say the configured limit when IT changed it."""
        minutes = round(self.config.session_limit_s / 60)
        return text if minutes == 90 else text.replace(f"90{unit}", f"{minutes}{unit}")
