"""The visit to the fund's service: state machine and clock, recovery, transfers, browser mode.

See docs/dev/session-api.md.
"""

from denshi_client.session.machine import SessionMachine
from denshi_client.session.model import (
    EndCause,
    Phase,
    ProbeResult,
    SessionConfig,
    SessionDeps,
    SessionEvent,
    SessionMode,
    SessionProfile,
    Snapshot,
    TransferVerdict,
)

__all__ = [
    "EndCause",
    "Phase",
    "ProbeResult",
    "SessionConfig",
    "SessionDeps",
    "SessionEvent",
    "SessionMachine",
    "SessionMode",
    "SessionProfile",
    "Snapshot",
    "TransferVerdict",
]
