"""The steps of a visit up to READY: hours → OTP → VPN → login (a refused OTP typed again with the
VPN up) → ready. A part of `SessionMachine` (see `machine_parts.py`).

The OTP must be in hand before the VPN is up (e-mail stops working then), so the only road to the
VPN goes through `submit_otp()`, which is accepted only after the OTP step. A step that fails
disconnects (`ending.py`) and raises; an end asked for meanwhile (`_abort`) wins over the step.
"""

from __future__ import annotations

import logging
import re

from denshi_client.errors import DenshiError, SessionError, ValidationError
from denshi_client.portal.errors import AuthError
from denshi_client.redact import register_secret
from denshi_client.session.machine_parts import BEFORE_VPN, LOGGER, TERMINAL, MachineParts
from denshi_client.session.model import EndCause, OtpRefused, Phase, SessionMode, SessionProfile

log = logging.getLogger(LOGGER)


class Connecting(MachineParts):
    """Starting a visit, the OTP, the VPN connect and the login."""

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
            if self._phase in TERMINAL:  # cancelled meanwhile
                return
            self._error = err
            self._end_cause = None
            self._otp = None
        self._set_phase(Phase.FAILED, only_from=BEFORE_VPN)

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
