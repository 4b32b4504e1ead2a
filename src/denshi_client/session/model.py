"""Public types of the session layer: what the UI and the CLI see of a visit.

Kept apart from the machine so the UI can import them cheaply and so the
texts shown at every end live in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from denshi_client.errors import DenshiError
from denshi_client.portal.errors import AuthError
from denshi_client.portal.model import PortalClient
from denshi_client.store.settings.sections import SessionSettings, VpnSettings
from denshi_client.vpn.model import VpnDriver

if TYPE_CHECKING:
    from denshi_client.session.recovery import StateFile


class Phase(enum.Enum):
    IDLE = "idle"
    CHECKING_HOURS = "checking_hours"
    REQUESTING_OTP = "requesting_otp"
    AWAITING_OTP = "awaiting_otp"          # e-mail still works: the user reads the OTP now
    CONNECTING_VPN = "connecting_vpn"
    LOGGING_IN = "logging_in"              # direct: portal login; browser: opening the auth page
    AWAITING_OTP_RETRY = "awaiting_otp_retry"  # direct: the service refused the OTP; VPN kept up, retype it
    READY = "ready"
    ENDING = "ending"                      # logout + disconnect
    VERIFYING_INTERNET = "verifying_internet"
    ENDED = "ended"
    FAILED = "failed"

    @property
    def active(self) -> bool:
        """True while a VPN may be up (the clock is shown, quitting must disconnect)."""
        return self in (Phase.CONNECTING_VPN, Phase.LOGGING_IN, Phase.AWAITING_OTP_RETRY, Phase.READY,
                        Phase.ENDING)

    @property
    def busy(self) -> bool:
        """True while a visit is under way (start() is refused)."""
        return self not in (Phase.IDLE, Phase.ENDED, Phase.FAILED)

    @property
    def label_ja(self) -> str:
        return _PHASE_JA[self]

    @property
    def label_en(self) -> str:
        return _PHASE_EN[self]


_PHASE_JA = {
    Phase.IDLE: "未接続",
    Phase.CHECKING_HOURS: "サービス時間を確認しています",
    Phase.REQUESTING_OTP: "ワンタイムパスワードをリクエストしています",
    Phase.AWAITING_OTP: "ワンタイムパスワードの入力待ち",
    Phase.CONNECTING_VPN: "VPNに接続しています",
    Phase.LOGGING_IN: "ログインしています",
    Phase.AWAITING_OTP_RETRY: "ワンタイムパスワードの再入力待ち（VPN接続中）",
    Phase.READY: "接続中",
    Phase.ENDING: "ログアウトしてVPNを切断しています",
    Phase.VERIFYING_INTERNET: "インターネット接続を確認しています",
    Phase.ENDED: "切断済み",
    Phase.FAILED: "接続できませんでした",
}
_PHASE_EN = {
    Phase.IDLE: "Not connected",
    Phase.CHECKING_HOURS: "Checking service hours",
    Phase.REQUESTING_OTP: "Requesting a one-time password",
    Phase.AWAITING_OTP: "Waiting for the one-time password",
    Phase.CONNECTING_VPN: "Connecting the VPN",
    Phase.LOGGING_IN: "Logging in",
    Phase.AWAITING_OTP_RETRY: "Waiting for the one-time password again (VPN connected)",
    Phase.READY: "Connected",
    Phase.ENDING: "Logging out and disconnecting the VPN",
    Phase.VERIFYING_INTERNET: "Checking the internet connection",
    Phase.ENDED: "Disconnected",
    Phase.FAILED: "Could not connect",
}


# The visit's road, in one table: `SessionMachine._move` refuses every other step. Before the
# VPN a visit can stop at once (ENDED when cancelled, FAILED on an error); once the VPN may be
# up, every end goes through ENDING and VERIFYING_INTERNET, so the VPN is always dropped and
# the internet checked. IDLE is where a new visit starts (from rest, without an announcement).
# A wrong OTP refused at login waits in AWAITING_OTP_RETRY with the VPN up (the same OTP may be
# typed again; a new one cannot come by e-mail while the VPN is up), and goes back to LOGGING_IN.
PHASE_TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.IDLE: frozenset({Phase.CHECKING_HOURS}),
    Phase.CHECKING_HOURS: frozenset({Phase.REQUESTING_OTP, Phase.ENDED, Phase.FAILED}),
    Phase.REQUESTING_OTP: frozenset({Phase.AWAITING_OTP, Phase.ENDED, Phase.FAILED}),
    Phase.AWAITING_OTP: frozenset({Phase.CONNECTING_VPN, Phase.ENDED, Phase.FAILED}),
    Phase.CONNECTING_VPN: frozenset({Phase.LOGGING_IN, Phase.ENDING}),
    Phase.LOGGING_IN: frozenset({Phase.READY, Phase.AWAITING_OTP_RETRY, Phase.ENDING}),
    Phase.AWAITING_OTP_RETRY: frozenset({Phase.LOGGING_IN, Phase.ENDING}),
    Phase.READY: frozenset({Phase.ENDING}),
    Phase.ENDING: frozenset({Phase.VERIFYING_INTERNET}),
    Phase.VERIFYING_INTERNET: frozenset({Phase.ENDED, Phase.FAILED}),
    Phase.ENDED: frozenset({Phase.IDLE}),
    Phase.FAILED: frozenset({Phase.IDLE}),
}


class OtpRefused(AuthError):
    """The service refused the OTP as wrong and it may be typed again: the VPN is still up.

    Raised by `SessionMachine.submit_otp`/`retry_otp` in AWAITING_OTP_RETRY; `attempts_left` is
    what the machine still allows (the service may refuse sooner, which ends the visit)."""

    code = "otp_retry"

    def __init__(self, attempts_left: int) -> None:
        super().__init__(
            "ワンタイムパスワードが正しくありません。メールの内容を確認して、もう一度入力してください。"
            f"（VPN接続は維持しています。あと{attempts_left}回入力できます）",
            "The one-time password is not correct. Check the e-mail and type it again "
            f"(the VPN stays connected; {attempts_left} more tries).",
            hint_ja="新しいワンタイムパスワードは不要です。先ほどのメールのワンタイムパスワードを入力してください。",
            hint_en="No new one-time password is needed: type the one from the same e-mail.",
        )
        self.attempts_left = attempts_left


class PhaseError(RuntimeError):
    """A phase change the table does not allow: a bug in the machine, never a user's mistake."""

    def __init__(self, frm: Phase, to: Phase) -> None:
        super().__init__(f"session phase {frm.value} -> {to.value} is not allowed")
        self.frm, self.to = frm, to


class EndCause(enum.Enum):
    """Why a visit ended. Every end is shown to the user with `message_ja`/`message_en`."""

    USER = "user"
    LIMIT = "limit"                  # we ended it before the 90-minute cut
    SERVICE_CLOSE = "service_close"  # we ended it before the service closed (20:00)
    IDLE = "idle"
    SERVER_CUT = "server_cut"        # the VPN server ended it (AutoDisconnect, code 126)
    NETWORK_LOST = "network_lost"
    QUIT = "quit"
    SHUTDOWN = "shutdown"            # Windows log-off / shutdown
    SLEEP = "sleep"                  # suspend notification, or a resume noticed by the clock
    RECOVERY = "recovery"            # a connection left up by an earlier run
    ERROR = "error"                  # a failure while connecting / logging in
    LOGIN_LOST = "login_lost"        # the service dropped our login while READY (restart, early expiry)
    OTP_ABANDONED = "otp_abandoned"  # the user stopped retyping a refused OTP

    @property
    def message_ja(self) -> str:
        return _END_JA[self]

    @property
    def message_en(self) -> str:
        return _END_EN[self]


_END_JA = {
    EndCause.USER: "ログアウトしてVPNを切断しました。",
    EndCause.LIMIT: "VPN接続の上限時間（90分）が近づいたため、ログアウトしてVPNを切断しました。",
    EndCause.SERVICE_CLOSE: "サービスの終了時刻が近づいたため、ログアウトしてVPNを切断しました。",
    EndCause.IDLE: "一定時間操作がなかったため、ログアウトしてVPNを切断しました。",
    EndCause.SERVER_CUT: "VPN接続の上限時間に達したため、サーバー側で接続が切断されました。",
    EndCause.NETWORK_LOST: "ネットワークが切断されたため、VPN接続を終了しました。",
    EndCause.QUIT: "アプリケーションの終了に伴い、ログアウトしてVPNを切断しました。",
    EndCause.SHUTDOWN: "Windowsのログオフまたはシャットダウンに伴い、VPNを切断しました。",
    EndCause.SLEEP: "PCがスリープしたため、VPNを切断しました。必要に応じて、もう一度接続してください。",
    EndCause.RECOVERY: "前回の終了時に残っていたVPN接続を切断しました。",
    EndCause.ERROR: "接続中にエラーが発生したため、VPNを切断しました。",
    EndCause.LOGIN_LOST: "電子連携サービスへのログインが無効になったため、VPNを切断しました。"
                         "お手数ですが、もう一度接続してください。",
    EndCause.OTP_ABANDONED: "ワンタイムパスワードの再入力を取りやめたため、VPNを切断しました"
                            "（ログインはしていません）。もう一度接続する場合は、"
                            "「接続」から新しいワンタイムパスワードをリクエストしてください。",
}
_END_EN = {
    EndCause.USER: "Logged out and disconnected the VPN.",
    EndCause.LIMIT: "The VPN session limit (90 minutes) was near, so the app logged out and disconnected.",
    EndCause.SERVICE_CLOSE: "The service was about to close, so the app logged out and disconnected.",
    EndCause.IDLE: "Nothing was done for a while, so the app logged out and disconnected.",
    EndCause.SERVER_CUT: "The VPN server ended the session (time limit reached).",
    EndCause.NETWORK_LOST: "The network connection was lost, so the VPN session was ended.",
    EndCause.QUIT: "The app is closing, so it logged out and disconnected the VPN.",
    EndCause.SHUTDOWN: "Windows is logging off or shutting down, so the VPN was disconnected.",
    EndCause.SLEEP: "The PC went to sleep, so the VPN was disconnected. Connect again if needed.",
    EndCause.RECOVERY: "A VPN connection left up by an earlier run was disconnected.",
    EndCause.ERROR: "An error occurred while connecting, so the VPN was disconnected.",
    EndCause.LOGIN_LOST: "The login to the document exchange service is no longer valid, so the VPN was "
                         "disconnected. Please connect again.",
    EndCause.OTP_ABANDONED: "The one-time password was not typed again, so the VPN was disconnected (not logged "
                            "in). To connect again, request a new one-time password with Connect.",
}


class SessionMode(enum.Enum):
    DIRECT = "direct"    # the app talks to the service (portal client)
    BROWSER = "browser"  # the user works in the browser; the app does everything around it


@dataclass(frozen=True)
class SessionProfile:
    """What a visit needs to know about an establishment (built from store.profiles)."""

    id: str
    establishment: str                 # 4-digit establishment number, e.g. "0123"
    name: str                          # 事業所名, e.g. 株式会社さくら商事
    vpn_account: str                   # SoftEther account name
    user_id: str = ""
    mode: SessionMode = SessionMode.DIRECT
    auth_url: str = ""                 # browser mode: the service's authentication page
    otp_url: str = ""                  # browser mode: the public OTP-request page (opened if set)
    download_dir: str = ""             # browser mode: the browser's download folder to watch
    documents_folder: str = ""         # filing root of this establishment (…/電子連携/0123)
    upload_folder: str = ""            # browser mode: upload-ready password ZIPs


class Calendar(Protocol):
    """The subset of `service_calendar.ServiceCalendar` the machine uses."""

    def is_open(self, at: datetime) -> bool: ...

    def closes_at(self, at: datetime) -> datetime | None: ...

    def next_open(self, at: datetime) -> datetime | None: ...


@dataclass(frozen=True)
class ProbeResult:
    """Whether normal internet is back after the disconnect (never blocks for long)."""

    ok: bool
    detail: str = ""
    elapsed_s: float = 0.0
    url: str = ""

    @classmethod
    def run(cls, probe: Callable[[], ProbeResult]) -> ProbeResult:
        """Run a probe; a probe that raises counts as "not confirmed", never as an error."""
        try:
            return probe()
        except Exception as e:
            return cls(False, f"probe failed: {type(e).__name__}")


def clock_rules(session: SessionSettings, vpn: VpnSettings) -> dict[str, Any]:
    """The settings-backed part of `SessionConfig`, in its units: the one conversion from `[session]`/`[vpn]`."""
    return {
        "session_limit_s": session.session_limit_minutes * 60.0,
        "warn_minutes": tuple(sorted(set(session.warn_minutes), reverse=True)),
        "graceful_margin_s": session.graceful_margin_minutes * 60.0,
        "idle_timeout_s": session.idle_minutes * 60.0,
        "vpn_poll_s": max(vpn.poll_seconds, 1.0),
    }


# The schema's defaults (store/settings/schema.py) in SessionConfig's units: never written twice.
_DEFAULT_RULES = clock_rules(SessionSettings(), VpnSettings())


@dataclass(frozen=True)
class SessionConfig:
    """Every rule of the session clock; the settings-backed ones default to the settings' defaults."""

    session_limit_s: float = _DEFAULT_RULES["session_limit_s"]
    warn_minutes: tuple[int, ...] = _DEFAULT_RULES["warn_minutes"]
    graceful_margin_s: float = _DEFAULT_RULES["graceful_margin_s"]
    idle_timeout_s: float = _DEFAULT_RULES["idle_timeout_s"]     # 0 = off
    idle_warning_s: float = 60.0
    min_session_s: float = 5 * 60        # refuse to start when the service closes sooner
    enforce_hours: bool = True
    default_throughput_bps: float = 128 * 1024  # conservative until a transfer was measured
    throughput_safety: float = 1.5
    transfer_overhead_s: float = 10.0
    sleep_gap_s: float = 90.0            # a gap between ticks this long = the PC slept
    vpn_poll_s: float = _DEFAULT_RULES["vpn_poll_s"]  # status poll while ready (one vpncmd call each)
    vpn_confirm_s: float = 1.0
    connect_timeout_s: float = 30.0
    disconnect_timeout_s: float = 15.0
    logout_timeout_s: float = 5.0        # a hanging logout never delays the disconnect longer
    otp_pattern: str = r"^[0-9A-Za-z]{4,12}$"
    # Wrong OTPs typed at login before the visit gives up (the stand-in, like the fund, burns an OTP
    # after five); the service's own "used"/"expired" answer ends it sooner.
    otp_attempts: int = 5

    @classmethod
    def from_settings(cls, session: SessionSettings, vpn: VpnSettings, **overrides: Any) -> SessionConfig:
        """The rules `[session]` and `[vpn]` ask for; overrides for demo and tests."""
        return cls(**{**clock_rules(session, vpn), **overrides})


@dataclass(frozen=True)
class Snapshot:
    """Everything the header, the tray tooltip and the CLI show; immutable, cheap to copy."""

    phase: Phase
    profile_id: str | None = None
    mode: SessionMode | None = None
    established_since: datetime | None = None
    deadline: datetime | None = None       # when the server would end it (limit or close)
    deadline_kind: str | None = None       # "limit" | "close"
    ends_at: datetime | None = None        # when the app ends it: deadline - graceful margin
    remaining_s: float | None = None       # until ends_at (what the countdown shows)
    next_warning_min: int | None = None
    idle_remaining_s: float | None = None
    end_cause: EndCause | None = None
    end_message_ja: str = ""
    end_message_en: str = ""
    error: DenshiError | None = None
    internet: ProbeResult | None = None    # after the disconnect
    otp_requested_at: datetime | None = None
    throughput_bps: float | None = None    # measured, None before the first transfer


@dataclass(frozen=True)
class SessionEvent:
    """kind: "phase_changed" | "warning" | "idle_warning" | "ended" | "tick" | "internet_checked" | "resumed"."""

    kind: str
    snapshot: Snapshot
    minutes_left: int | None = None
    cause: EndCause | None = None


SessionListener = Callable[[SessionEvent], None]


@dataclass(frozen=True)
class TransferVerdict:
    ok: bool
    estimated_s: float
    remaining_s: float | None
    reason_ja: str = ""
    reason_en: str = ""


@dataclass
class SessionDeps:
    """Collaborators, injected so tests use the real stand-ins and a fake clock."""

    vpn: VpnDriver
    portal_for: Callable[[SessionProfile], PortalClient] | None = None   # direct mode
    calendar: Calendar | None = None
    probe: Callable[[], ProbeResult] | None = None
    open_url: Callable[[str], object] | None = None
    state_file: StateFile | None = None  # crash-recovery marker; None = not kept (tests)
    run_async: Callable[[Callable[[], None]], None] | None = None  # default: a daemon thread
    extra: dict[str, object] = field(default_factory=dict)
