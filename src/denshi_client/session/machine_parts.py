"""What the parts of `SessionMachine` share: the groups of phases they test, and the machine's state
and methods each part reads (declared here for the type checker; set and defined by the parts).

The machine is split by what each part decides: the steps of a visit up to READY (`connecting.py`),
its end (`ending.py`), the clock while the VPN is up (`session_clock.py`). The phase itself, the
listeners and the read side stay in `machine.py`: `SessionMachine._move` is the one place the phase
changes, and only along `PHASE_TRANSITIONS`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from denshi_client.clock import Clock
from denshi_client.errors import DenshiError
from denshi_client.portal.model import PortalClient
from denshi_client.session.model import (
    EndCause,
    Phase,
    ProbeResult,
    SessionConfig,
    SessionDeps,
    SessionProfile,
)
from denshi_client.session.sleep import SleepDetector
from denshi_client.vpn.model import VpnEvent
from denshi_client.vpn.monitor import VpnMonitor

LOGGER = "denshi_client.session.machine"  # one logger for the whole machine, whichever part speaks

TERMINAL = (Phase.IDLE, Phase.ENDED, Phase.FAILED)
# The VPN is up and the clock's rules apply: also while a refused OTP is typed again.
CLOCKED = (Phase.READY, Phase.AWAITING_OTP_RETRY)
# No VPN touched yet: an end here is only a cancel.
BEFORE_VPN = (Phase.CHECKING_HOURS, Phase.REQUESTING_OTP, Phase.AWAITING_OTP)


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class MachineParts:
    """The base of every part. Its methods are the ones a part calls in another; each is defined
    once, by the part named beside it (they come before this class in the machine's MRO)."""

    # set in SessionMachine.__init__ / _reset
    deps: SessionDeps
    clock: Clock
    config: SessionConfig
    _lock: threading.RLock
    _changed: threading.Condition
    _run_async: Callable[[Callable[[], None]], None]
    _sleep: SleepDetector
    _throughput: float | None
    _phase: Phase
    _profile: SessionProfile | None
    _portal: PortalClient | None
    _logged_in: bool
    _otp: str | None
    _otp_requested_at: datetime | None
    _otp_wrong: int
    _since: datetime | None
    _deadline: datetime | None
    _deadline_kind: str | None
    _warned: set[int]
    _idle_warned: bool
    _last_activity: float
    _busy: int
    _cancels: list[Cancellable]
    _ending: bool
    _abort: EndCause | None
    _end_cause: EndCause | None
    _error: DenshiError | None
    _internet: ProbeResult | None
    _monitor: VpnMonitor | None
    _next_poll: float
    _polling: bool

    # machine.py
    def _move(self, to: Phase) -> bool:
        raise NotImplementedError

    def _set_phase(self, phase: Phase, *, only_from: tuple[Phase, ...] = ()) -> bool:
        raise NotImplementedError

    def _emit(self, kind: str, *, minutes_left: int | None = None, cause: EndCause | None = None) -> None:
        raise NotImplementedError

    def _reset(self, profile: SessionProfile | None) -> None:
        raise NotImplementedError

    def _run_tick_hooks(self) -> None:
        raise NotImplementedError

    def remaining_s(self) -> float | None:
        raise NotImplementedError

    def ends_at(self) -> datetime | None:
        raise NotImplementedError

    # session_clock.py
    def _check_hours(self) -> None:
        raise NotImplementedError

    def _compute_deadline(self, since: datetime) -> None:
        raise NotImplementedError

    def _init_clock_state(self) -> None:
        raise NotImplementedError

    # connecting.py
    def open_auth_page(self) -> bool:
        raise NotImplementedError

    # ending.py
    def end(self, cause: EndCause = EndCause.USER, *, wait_s: float | None = None) -> None:
        raise NotImplementedError

    def _teardown(self, cause: EndCause, *, error: DenshiError | None = None) -> None:
        raise NotImplementedError

    def _end_async(self, cause: EndCause) -> None:
        raise NotImplementedError

    def on_vpn_event(self, ev: VpnEvent) -> None:
        raise NotImplementedError
