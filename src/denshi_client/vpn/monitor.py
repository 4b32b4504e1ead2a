"""Turns status polls of any `VpnDriver` into connected/disconnected events.

One event source for both drivers: SoftEther pushes nothing to its callers, so
the monitor polls `driver.status()` (one vpncmd call, about 0.2 s) and reports
each confirmed change to its listeners. A change counts only when two polls in a
row agree: right after a cut, SoftEther's RPCs briefly disagree (notes §0.7), and
a lone odd answer must not end a session in the UI. The confirming poll comes
`confirm_interval` after the first, not a whole `poll_interval` later.

Why a session ended comes from `driver.last_end()` (client log / our own request)
when the driver has it, else from the pattern: Offline after Connected without
our request = the server's session limit (SoftEther does not retry after 126);
Retrying after Connected = lost (server gone, network down).

`poll()` is one synchronous step, so tests drive it by hand with a FakeClock;
`start()` runs it on a daemon thread. Listeners run on that thread: the UI must
hand events over to its own thread (e.g. a Qt signal).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from denshi_client.clock import Clock
from denshi_client.errors import VpnError
from denshi_client.vpn import errors as E
from denshi_client.vpn.model import ConnState, EndReason, SessionEnd, VpnDriver, VpnEvent, VpnListener

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL_S = 5.0
DEFAULT_CONFIRM_INTERVAL_S = 1.0


class VpnMonitor:
    def __init__(self, driver: VpnDriver, account: str, clock: Clock,
                 poll_interval: float = DEFAULT_POLL_INTERVAL_S,
                 confirm_interval: float = DEFAULT_CONFIRM_INTERVAL_S) -> None:
        self.driver = driver
        self.account = account
        self.clock = clock
        self.poll_interval = poll_interval
        self.confirm_interval = confirm_interval
        self._listeners: list[VpnListener] = []
        self._lock = threading.RLock()
        self._state: ConnState | None = None  # confirmed
        self._since: datetime | None = None   # confirmed established_since
        self._pending: tuple[ConnState, datetime | None] | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._service_down = False

    # ----- listeners ----------------------------------------------------------------
    def add_listener(self, cb: VpnListener) -> None:
        with self._lock:
            self._listeners.append(cb)

    def remove_listener(self, cb: VpnListener) -> None:
        with self._lock:
            if cb in self._listeners:
                self._listeners.remove(cb)

    @property
    def state(self) -> ConnState | None:
        """Last confirmed state (None before the first confirmed poll)."""
        return self._state

    @property
    def established_since(self) -> datetime | None:
        return self._since

    def seed(self, state: ConnState, since: datetime | None) -> None:
        """Start from a state the caller just confirmed (e.g. connect() returned established).

        Why: without it the first confirmed poll becomes the baseline, so a cut in the first
        second or two after connecting would never be reported.
        """
        with self._lock:
            self._state, self._since, self._pending = state, since, None

    # ----- one step ---------------------------------------------------------------------
    def poll(self) -> list[VpnEvent]:
        """Observe once; return (and send to listeners) the events this poll confirmed."""
        obs = self._observe()
        if obs is None:
            return []
        with self._lock:
            events = self._step(*obs)
            listeners = list(self._listeners)
        for ev in events:
            for cb in listeners:
                try:
                    cb(ev)
                except Exception:  # a broken listener must not stop the monitor
                    log.exception("VPN event listener failed")
        return events

    def next_delay(self) -> float:
        """Seconds until the next poll: short while a change waits for confirmation."""
        return self.confirm_interval if self._pending is not None else self.poll_interval

    def _observe(self) -> tuple[ConnState, datetime | None] | None:
        try:
            st = self.driver.status(self.account)
        except E.VpnAccountNotFound:
            return ConnState.OFFLINE, None
        except E.VpnServiceNotRunning:
            self._service_down = True  # a stopped service has no sessions: lost, not a limit
            return ConnState.OFFLINE, None
        except VpnError as e:  # time-out etc.: no observation this round
            log.warning("VPN status poll failed: %s", e.en)
            return None
        self._service_down = False
        return st.state, (st.established_since if st.state is ConnState.CONNECTED else None)

    def _step(self, state: ConnState, since: datetime | None) -> list[VpnEvent]:
        cur = (self._state, self._since)
        if (state, since) == cur:
            self._pending = None
            return []
        if self._pending != (state, since):
            self._pending = (state, since)
            return []
        self._pending = None
        prev_state, prev_since = cur
        self._state, self._since = state, since
        events: list[VpnEvent] = []
        if prev_state is ConnState.CONNECTED:
            # Gone, or a new session replaced the old one between two polls.
            events.append(self._ended(state, prev_since))
        if state is ConnState.CONNECTED:
            events.append(VpnEvent("connected", self.account, None, since or self.clock.now()))
        return events

    def _ended(self, new_state: ConnState, prev_since: datetime | None) -> VpnEvent:
        end: SessionEnd | None = None
        explain = getattr(self.driver, "last_end", None)
        if callable(explain):
            try:
                end = explain(self.account)
            except Exception:
                log.exception("last_end failed")
        if end is not None and prev_since is not None and end.at is not None and end.at < prev_since:
            end = None  # about an older session
        if self._service_down:
            reason, detail, at = EndReason.LOST, "VPN client service stopped", None
        elif end is not None:
            reason, detail, at = end.reason, end.detail, end.at
            if reason is EndReason.AUTH_FAILED:  # a re-login that failed after a drop
                reason = EndReason.LOST
        elif new_state is ConnState.OFFLINE:
            reason, detail, at = EndReason.SESSION_LIMIT, "offline after connected, not requested", None
        else:
            reason, detail, at = EndReason.LOST, "retrying after connected", None
        return VpnEvent("disconnected", self.account, reason, at or self.clock.now(), detail)

    # ----- background thread -------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"vpn-monitor-{self.account}", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Poll now (e.g. right after connect()/disconnect()) instead of at the next tick."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        t, self._thread = self._thread, None
        if t is not None and t is not threading.current_thread():
            t.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:
                log.exception("VPN monitor poll failed")
            self._wake.wait(self.next_delay())
            self._wake.clear()
