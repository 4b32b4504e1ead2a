"""How a visit ends: log out, disconnect, confirm the internet is back — whoever ends it (the user,
the clock, the VPN server, the network, the service refusing the login, quitting). A part of
`SessionMachine` (see `machine_parts.py`).

Every end must leave the VPN down and say why; `end()` never raises, and one thread owns the
teardown while the others wait for it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from denshi_client.errors import DenshiError, VpnError
from denshi_client.portal.model import PortalClient
from denshi_client.session.machine_parts import BEFORE_VPN, CLOCKED, LOGGER, TERMINAL, MachineParts
from denshi_client.session.model import EndCause, Phase, ProbeResult
from denshi_client.vpn.model import ConnState, EndReason, VpnEvent

log = logging.getLogger(LOGGER)

# The PC is going away: checking the internet would only delay it.
_NO_PROBE = (EndCause.QUIT, EndCause.SHUTDOWN, EndCause.SLEEP)


def _bounded(fn: Callable[[], object], timeout: float, what: str) -> bool:
    """Run fn on a helper thread and wait at most `timeout`; False when it failed or is still running."""
    ok: list[bool] = []

    def run() -> None:
        try:
            fn()
            ok.append(True)
        except Exception as e:  # the disconnect matters more than a clean logout
            log.warning("%s failed: %s", what, getattr(e, "en", type(e).__name__))

    t = threading.Thread(target=run, name=f"session-{what}", daemon=True)
    t.start()
    t.join(timeout)
    return bool(ok)


class Ending(MachineParts):
    """`end()` and the ends that come from outside the user's hand."""

    def end(self, cause: EndCause = EndCause.USER, *, wait_s: float | None = None) -> None:
        """Log out, disconnect, confirm internet. Idempotent; never raises.

        Returns when the visit is over (the VPN is down or its disconnect has been tried),
        or after `wait_s` if another thread is still connecting/ending.
        """
        with self._lock:
            phase = self._phase
            if phase in TERMINAL:
                return
            if phase in BEFORE_VPN:
                self._end_cause = cause
                self._otp = None
                self._abort = cause
                self._move(Phase.ENDED)
                quick = True
            elif self._ending or phase in (Phase.CONNECTING_VPN, Phase.LOGGING_IN):
                if self._abort is None:
                    self._abort = cause
                quick = False
                mine = False
            else:
                self._ending = True
                quick = False
                mine = True
        if quick:
            self._emit("phase_changed")
            self._emit("ended", cause=cause)
            return
        if not mine:
            # Someone else is connecting or ending: make sure the VPN drops, then wait for them.
            p = self._profile
            if phase is Phase.CONNECTING_VPN and p is not None:
                with contextlib.suppress(Exception):
                    self.deps.vpn.disconnect(p.vpn_account, timeout=self.config.disconnect_timeout_s)
            c = self.config
            limit = wait_s if wait_s is not None else c.connect_timeout_s + c.disconnect_timeout_s + 15
            with self._changed:
                self._changed.wait_for(lambda: self._phase in TERMINAL, timeout=limit)
            return
        self._teardown(cause)

    def _teardown(self, cause: EndCause, *, error: DenshiError | None = None) -> None:
        """Runs once per visit, on the thread that owns the end."""
        with self._lock:
            self._ending = True
            if self._phase in TERMINAL:
                return
            self._end_cause = cause
            if error is not None:
                self._error = error
            p = self._profile
            portal = self._portal if self._logged_in else None
            self._monitor = None
            self._otp = None
        self._set_phase(Phase.ENDING)
        with self._lock:
            running = list(self._cancels)
        for token in running:  # transfers stop cleanly (and stay resumable) before the line goes
            token.cancel()
        vpn_gone = cause in (EndCause.SERVER_CUT, EndCause.NETWORK_LOST)
        if portal is not None and not vpn_gone:
            if not _bounded(portal.logout, self.config.logout_timeout_s, "logout"):
                log.warning("logout did not finish in time; disconnecting anyway")
        with self._lock:
            self._logged_in = False
        down = True
        if p is not None:
            down = self._disconnect(p.vpn_account)
        self._set_phase(Phase.VERIFYING_INTERNET)
        if self.deps.probe is not None and cause not in _NO_PROBE:
            result = ProbeResult.run(self.deps.probe)
            with self._lock:
                self._internet = result
            self._emit("internet_checked")
        with self._lock:
            final = Phase.FAILED if (cause is EndCause.ERROR or not down) else Phase.ENDED
        self._set_phase(final)
        self._emit("ended", cause=cause)

    def _disconnect(self, account: str) -> bool:
        """Disconnect and confirm; the recovery marker goes only once the VPN is confirmed down."""
        drv = self.deps.vpn
        last: DenshiError | None = None
        for _attempt in range(2):
            try:
                drv.disconnect(account, timeout=self.config.disconnect_timeout_s)
                st = drv.status(account)
                if st.state is ConnState.OFFLINE:
                    if self.deps.state_file is not None:
                        self.deps.state_file.clear()
                    return True
            except DenshiError as e:
                last = e
                log.warning("disconnect failed: %s", e.en)
        with self._lock:
            if self._error is None:
                self._error = VpnError(
                    "VPNの切断を確認できませんでした。SoftEther VPN クライアントで接続が切れているか確認してください。",
                    "Could not confirm the VPN disconnect. Check the connection in SoftEther VPN Client.",
                    code="disconnect_unconfirmed",
                ) if last is None else last
        return False

    def on_vpn_event(self, ev: VpnEvent) -> None:
        """From the VPN monitor: a drop while the session is up ends it with the right cause."""
        p = self._profile
        if ev.kind != "disconnected" or p is None or ev.account != p.vpn_account:
            return
        with self._lock:
            if self._phase not in (Phase.READY, Phase.LOGGING_IN, Phase.AWAITING_OTP_RETRY) or self._ending:
                return
        if ev.reason is EndReason.SESSION_LIMIT:
            cause = EndCause.SERVER_CUT
        elif ev.reason is EndReason.BY_US:
            cause = EndCause.USER
        else:
            cause = EndCause.NETWORK_LOST
        log.info("VPN dropped (%s): ending the session", ev.reason)
        self.end(cause)

    def login_lost(self, portal: PortalClient | None = None) -> bool:
        """The service no longer accepts our login while READY (it restarted, or expired the token early).

        A new login needs a new OTP, and the OTP comes by e-mail, which does not work while the
        VPN is up: so the only way on is to end the visit and say why. No logout is attempted
        (the token is already gone). `portal`: the client that was refused; a refusal seen by a
        client of an earlier visit is ignored. Idempotent, any thread; blocks like `end()`.
        True when this call ended the visit.
        """
        with self._lock:
            if self._phase is not Phase.READY or self._ending:
                return False
            if portal is not None and portal is not self._portal:
                return False
            # Claimed here, as `end()` does for READY, so a concurrent end cannot slip in between.
            self._ending = True
            self._logged_in = False  # no logout on the way out, and no new transfer starts meanwhile
        log.warning("the service no longer accepts the login: ending the session")
        self._teardown(EndCause.LOGIN_LOST)
        return True

    def _end_async(self, cause: EndCause) -> None:
        with self._lock:
            if self._phase not in CLOCKED or self._ending:
                return
            self._ending = True  # claims the end now, so a second tick cannot schedule another
        def run() -> None:
            with self._lock:
                self._ending = False
            self.end(cause)
        self._run_async(run)

    def wait_until_terminal(self, timeout: float) -> bool:
        """For the CLI and tests: block until the visit is over."""
        with self._changed:
            return self._changed.wait_for(lambda: self._phase in TERMINAL, timeout=timeout)
