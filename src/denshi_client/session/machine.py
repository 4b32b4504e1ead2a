"""One state machine for a whole visit: hours → OTP → VPN → login → ready → logout → disconnect → confirm.

Why a machine and not a script: the visit can end from many sides (the user, the
90-minute clock, the 20:00 close, idleness, the VPN server, the network, sleep,
quitting) and from several threads, and every one of those ends must leave the
VPN down and say why. The OTP must be in hand before the VPN is up (e-mail stops
working then), so the only road to the VPN goes through `submit_otp()`, which is
accepted only after the OTP step.

The machine is Qt-free; blocking methods run on worker threads, `tick()` is cheap
and runs on the UI thread. See docs/dev/session-api.md.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from denshi_client.clock import Clock
from denshi_client.errors import DenshiError, SessionError, ValidationError, VpnError
from denshi_client.portal.errors import AuthError
from denshi_client.portal.model import PortalClient
from denshi_client.redact import register_secret
from denshi_client.session.model import (
    PHASE_TRANSITIONS,
    EndCause,
    OtpRefused,
    Phase,
    PhaseError,
    ProbeResult,
    SessionConfig,
    SessionDeps,
    SessionEvent,
    SessionListener,
    SessionMode,
    SessionProfile,
    Snapshot,
)
from denshi_client.session.session_clock import CLOCKED, TERMINAL, Cancellable, SessionClock
from denshi_client.session.sleep import SleepDetector
from denshi_client.vpn.model import ConnState, EndReason, VpnEvent
from denshi_client.vpn.monitor import VpnMonitor

__all__ = ["SessionMachine"]  # the model types are exported by the package (`denshi_client.session`)

log = logging.getLogger(__name__)

_TERMINAL = TERMINAL
_BEFORE_VPN = (Phase.CHECKING_HOURS, Phase.REQUESTING_OTP, Phase.AWAITING_OTP)
# The VPN is up and the clock rules (limit, close, idle, VPN poll, sleep) apply.
_CLOCKED = CLOCKED
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


def _thread_runner(fn: Callable[[], None]) -> None:
    threading.Thread(target=fn, name="session-worker", daemon=True).start()


class SessionMachine(SessionClock):
    """Thread-safe; listeners get `SessionEvent`s on the thread that made the change.

    The visit's steps and its ending live here; the clock while the VPN is up (deadline,
    warnings, idle, VPN poll, sleep, transfer budget) in `session_clock.SessionClock`."""

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
            remaining = self.remaining_s() if self._phase in _CLOCKED else None
            next_warning = None
            if remaining is not None:
                pending = [m for m in self.config.warn_minutes if m not in self._warned]
                next_warning = max(pending) if pending else None
            idle_left = None
            if self._phase in _CLOCKED and self.config.idle_timeout_s > 0:
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

    # ----- the visit ---------------------------------------------------------------------
    def start(self, profile: SessionProfile, *, request_otp: bool = True) -> None:
        """Hours check, then the OTP request, ending in AWAITING_OTP. No VPN is touched.

        `request_otp=False` when the user already holds a fresh OTP. Raises `SessionError`
        (closed hours, too late, a visit already under way) or the portal's error.
        """
        with self._lock:
            if self._phase.busy:
                raise SessionError(
                    "すでに接続の手続き中です。いったん切断してから、もう一度お試しください。",
                    "A session is already in progress. Disconnect first, then try again.",
                    code="busy",
                )
            self._reset(profile)
            self._move(Phase.IDLE)
        try:
            self._set_phase(Phase.CHECKING_HOURS)
            self._check_hours()
            self._clear_leftover(profile)
            if not self._set_phase(Phase.REQUESTING_OTP, only_from=(Phase.CHECKING_HOURS,)):
                return  # ended meanwhile
            if request_otp:
                self._request_otp(profile)
        except DenshiError as e:
            self._fail_before_vpn(e)
            raise
        except Exception as e:
            err = SessionError("ワンタイムパスワードの準備中に予期しないエラーが発生しました。",
                               "An unexpected error occurred while preparing the one-time password.",
                               code="internal")
            log.exception("start failed")
            self._fail_before_vpn(err)
            raise err from e
        self._set_phase(Phase.AWAITING_OTP, only_from=(Phase.REQUESTING_OTP,))

    def _clear_leftover(self, profile: SessionProfile) -> None:
        """A VPN left up (crash, another tool) blocks e-mail: drop ours before asking for an OTP."""
        from denshi_client.session.recovery import recover

        report = recover(self.deps.vpn, self.deps.state_file, [profile.vpn_account],
                         timeout=self.config.disconnect_timeout_s)
        if report.skipped:
            raise SessionError(
                "別のウィンドウ（または別のプログラム）でVPN接続中です。そちらで切断してから、もう一度お試しください。",
                "Another instance of the app holds a VPN connection. Disconnect it there, then try again.",
                code="busy",
            )
        if report.failed:
            raise report.failed[0][1]

    def _request_otp(self, profile: SessionProfile) -> None:
        if profile.mode is SessionMode.DIRECT:
            if self.deps.portal_for is None:
                raise SessionError("直接モードの接続先が設定されていません。", "Direct mode has no service configured.",
                                   code="config")
            portal = self.deps.portal_for(profile)
            with self._lock:
                self._portal = portal
            portal.request_otp(profile.user_id)
        elif profile.otp_url and self.deps.open_url is not None:
            self.deps.open_url(profile.otp_url)
        with self._lock:
            self._otp_requested_at = self.clock.now()

    def _fail_before_vpn(self, err: DenshiError) -> None:
        with self._lock:
            if self._phase in _TERMINAL:  # cancelled meanwhile
                return
            self._error = err
            self._end_cause = None
            self._otp = None
        self._set_phase(Phase.FAILED, only_from=_BEFORE_VPN)

    def submit_otp(self, otp: str | None) -> None:
        """The only way to the VPN: accepted in AWAITING_OTP only (the OTP is in hand).

        Direct mode needs the OTP (format-checked; a typo keeps AWAITING_OTP). Browser mode
        accepts None: the user types the OTP into the service's page. Blocks through connect
        and login; on failure the VPN is disconnected and the error raised.
        """
        profile = self._profile
        with self._lock:
            if self._phase is not Phase.AWAITING_OTP or profile is None:
                raise SessionError(
                    "ワンタイムパスワードを受け取る前にVPNへ接続することはできません。先に「接続」から始めてください。",
                    "The VPN can only be connected once the one-time password is in hand. Start with Connect.",
                    code="order",
                )
            self._otp = self._checked_otp(otp, required=profile.mode is SessionMode.DIRECT)
        try:
            self._check_hours()  # the user may have waited past the close
        except DenshiError as e:
            self._fail_before_vpn(e)
            raise
        if not self._set_phase(Phase.CONNECTING_VPN, only_from=(Phase.AWAITING_OTP,)):
            return  # cancelled while the hours were checked: the VPN is not touched
        try:
            self._connect(profile)
        except OtpRefused:
            raise  # the VPN stays up: AWAITING_OTP_RETRY, the user types it again (`retry_otp`)
        except Exception as e:
            self._connect_failed(e)
            return
        self._end_if_aborted()

    def retry_otp(self, otp: str) -> None:
        """The OTP the service refused, typed again with the VPN still up (AWAITING_OTP_RETRY only).

        No new OTP is requested (its mail could not arrive while the VPN is up). A typo of the
        wrong shape raises `ValidationError` and keeps waiting; another wrong one raises
        `OtpRefused` and keeps waiting, until `config.otp_attempts`; any other refusal (used,
        expired, too many) disconnects and raises, like `submit_otp`. Blocks through the login.
        """
        profile = self._profile
        with self._lock:
            if self._phase is not Phase.AWAITING_OTP_RETRY or self._ending or profile is None:
                raise SessionError(
                    "再入力を待っているワンタイムパスワードはありません。「接続」から始めてください。",
                    "No one-time password is waiting to be typed again. Start with Connect.",
                    code="order",
                )
            self._otp = self._checked_otp(otp, required=True)
            self._move(Phase.LOGGING_IN)
        self._emit("phase_changed")
        try:
            self._login(profile)
            self._ready()
        except OtpRefused:
            raise
        except Exception as e:
            self._connect_failed(e)
            return
        self._end_if_aborted()

    def _checked_otp(self, otp: str | None, *, required: bool) -> str | None:
        """The OTP stripped and shape-checked (caller holds the lock); None when optional and empty."""
        clean = (otp or "").strip()
        if required or clean:
            if not re.match(self.config.otp_pattern, clean):
                raise ValidationError(
                    "ワンタイムパスワードの形式が正しくありません。メールに記載された文字を確認して入力してください。",
                    "The one-time password is not in the expected format. Check the e-mail and type it again.",
                    code="otp_format",
                )
            register_secret(clean)
        return clean or None

    def _connect_failed(self, e: Exception) -> None:
        """A connect or login failed: disconnect; raise unless the user had asked to end meanwhile."""
        with self._lock:
            abort = self._abort
        if abort is not None:  # end() during the connect: not an error, the user asked
            self._teardown(abort)
            return
        err = e if isinstance(e, DenshiError) else SessionError(
            "接続中に予期しないエラーが発生しました。VPNは切断しました。",
            "An unexpected error occurred while connecting. The VPN was disconnected.",
            code="internal")
        if err is not e:
            log.exception("connect failed")
        self._teardown(EndCause.ERROR, error=err)
        if err is e:
            raise e
        raise err from e

    def _end_if_aborted(self) -> None:
        with self._lock:
            abort = self._abort
        if abort is not None:
            self._teardown(abort)

    def _connect(self, profile: SessionProfile) -> None:
        drv = self.deps.vpn
        sf = self.deps.state_file
        if sf is not None:  # written before connecting: a crash mid-connect is recoverable too
            sf.write(profile.vpn_account, profile.id, None)
        status = drv.connect(profile.vpn_account, timeout=self.config.connect_timeout_s)
        since = status.established_since or self.clock.now()
        with self._lock:
            self._since = since
            self._compute_deadline(since)
            if self._abort is not None:
                return
        if sf is not None:
            sf.write(profile.vpn_account, profile.id, since)
        self._set_phase(Phase.LOGGING_IN)
        if profile.mode is SessionMode.DIRECT:
            self._login(profile)
        else:
            self.open_auth_page()
        self._ready()

    def _login(self, profile: SessionProfile) -> None:
        """Direct mode: log in with the OTP in hand.

        A wrong OTP (the service's `otp_invalid`) keeps the VPN up: AWAITING_OTP_RETRY, the clock
        running, `OtpRefused` raised, until `config.otp_attempts` wrong ones. Every other failure
        propagates and the caller disconnects."""
        portal = self._portal or (self.deps.portal_for(profile) if self.deps.portal_for else None)
        if portal is None:
            raise SessionError("直接モードの接続先が設定されていません。", "Direct mode has no service configured.",
                               code="config")
        with self._lock:
            self._portal = portal
            otp = self._otp or ""
        try:
            portal.login(profile.user_id, otp)
        except AuthError as e:
            if e.code != "otp_invalid":
                raise
            with self._lock:
                self._otp = None
                self._otp_wrong += 1
                left = self.config.otp_attempts - self._otp_wrong
                if self._abort is not None:
                    raise  # the user is ending the visit anyway
                if left > 0:
                    if self._monitor is None:  # the clock starts with the VPN, not with the login
                        self._init_clock_state()
                    self._move(Phase.AWAITING_OTP_RETRY)
            if left <= 0:
                raise AuthError(
                    f"ワンタイムパスワードが{self._otp_wrong}回続けて受け付けられなかったため、VPNを切断しました。"
                    "「接続」からもう一度始めて、新しいワンタイムパスワードで接続してください。",
                    f"The one-time password was refused {self._otp_wrong} times, so the VPN was disconnected. "
                    "Start again with Connect and use a new one-time password.",
                    code="otp_attempts",
                ) from e
            log.info("the service refused the OTP (%d of %d): VPN kept up for a retry",
                     self._otp_wrong, self.config.otp_attempts)
            self._emit("phase_changed")
            raise OtpRefused(left) from e
        with self._lock:
            self._logged_in = True
            self._otp = None

    def _ready(self) -> None:
        with self._lock:
            if self._abort is not None:
                return
            if self._monitor is None:
                self._init_clock_state()
            else:  # already running since a refused OTP: the retry counts as activity
                self._last_activity = self.clock.monotonic()
                self._idle_warned = False
        self._set_phase(Phase.READY)

    def browser_otp(self) -> str | None:
        """Browser mode: the OTP typed before the VPN, for the embedded page to fill in (None if none)."""
        with self._lock:
            return self._otp if self._profile is not None and self._profile.mode is SessionMode.BROWSER else None

    def open_auth_page(self) -> bool:
        """Browser mode: (re)open the service's authentication page; False when it could not."""
        p = self._profile
        if p is None or not p.auth_url or self.deps.open_url is None:
            return False
        try:
            self.deps.open_url(p.auth_url)
            return True
        except Exception:  # no browser is not a reason to drop the VPN: the UI offers the link
            log.exception("could not open the authentication page")
            return False

    # ----- ending ------------------------------------------------------------------------
    def end(self, cause: EndCause = EndCause.USER, *, wait_s: float | None = None) -> None:
        """Log out, disconnect, confirm internet. Idempotent; never raises.

        Returns when the visit is over (the VPN is down or its disconnect has been tried),
        or after `wait_s` if another thread is still connecting/ending.
        """
        with self._lock:
            phase = self._phase
            if phase in _TERMINAL:
                return
            if phase in _BEFORE_VPN:
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
                self._changed.wait_for(lambda: self._phase in _TERMINAL, timeout=limit)
            return
        self._teardown(cause)

    def _teardown(self, cause: EndCause, *, error: DenshiError | None = None) -> None:
        """Runs once per visit, on the thread that owns the end."""
        with self._lock:
            self._ending = True
            if self._phase in _TERMINAL:
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
            if self._phase not in _CLOCKED or self._ending:
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
            return self._changed.wait_for(lambda: self._phase in _TERMINAL, timeout=timeout)
