"""The VPN driver's contract, shared by the SoftEther driver and the demo stand-in.

The session layer and the UI only see this interface.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class ConnState(enum.Enum):
    OFFLINE = "offline"
    CONNECTING = "connecting"  # includes SoftEther's Retrying/Negotiating/Authenticating
    CONNECTED = "connected"    # session established


@dataclass(frozen=True)
class AccountInfo:
    name: str
    state: ConnState
    server: str = ""
    hub: str = ""
    nic: str = ""


@dataclass(frozen=True)
class VpnStatus:
    account: str
    state: ConnState
    established_since: datetime | None = None  # aware; the session clock runs from it
    server: str = ""
    detail: str = ""  # raw session status text (localised), for diagnostics only


class EndReason(enum.Enum):
    BY_US = "by_us"                  # we asked for the disconnect
    SESSION_LIMIT = "session_limit"  # server policy AutoDisconnect (SoftEther code 126): the 90-minute cut
    LOST = "lost"                    # server gone / network down / kicked (client starts retrying)
    AUTH_FAILED = "auth_failed"      # never established: wrong password etc.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VpnEvent:
    kind: str  # "connected" | "disconnected"
    account: str
    reason: EndReason | None = None
    at: datetime | None = None
    detail: str = ""


VpnListener = Callable[[VpnEvent], None]


@dataclass(frozen=True)
class SessionEnd:
    """Why an account's last session ended, as far as the driver knows (added; optional capability).

    `code` is SoftEther's error code (126 = AutoDisconnect policy, 13 = time-out, 9 = auth ...)
    when it came from the client log; `requested` is True when this process asked for it.
    """

    reason: EndReason
    code: int | None = None
    detail: str = ""
    at: datetime | None = None
    requested: bool = False


class ExplainsEnds(Protocol):
    """Optional driver capability used by `vpn.monitor.VpnMonitor` to name the reason of a drop."""

    def last_end(self, account: str) -> SessionEnd | None: ...


class VpnDriver(Protocol):
    """Blocking calls; run them off the UI thread."""

    def list_accounts(self) -> list[AccountInfo]: ...

    def status(self, account: str) -> VpnStatus: ...

    def import_account(self, vpn_file: str, name: str) -> AccountInfo: ...

    def set_password(self, account: str, username: str | None, password: str) -> None: ...

    def connect(self, account: str, timeout: float = 30.0) -> VpnStatus:
        """Start the connection and wait until established; raises a VpnError with the cause otherwise."""
        ...

    def disconnect(self, account: str, timeout: float = 15.0) -> None:
        """Idempotent: disconnecting an offline account is not an error."""
        ...

    def connected_accounts(self) -> list[str]: ...
