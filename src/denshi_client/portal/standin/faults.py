"""Fault injection for the stand-in only: the real fund never sees these knobs.

Tests arm faults through the Python API (`service.faults.add(Fault(...))`); a standalone sandbox
accepts the same thing as JSON on `POST /_standin/faults` (`GET` lists what is armed and every fault's
`fired` count; `DELETE` disarms). A fault applies to the next matching requests and disarms itself after
it fired `times` times. `fired` counts only effects that really happened (a reset at byte N of a shorter
body, or a status fault on an endpoint nobody called, did not fire), because the proof suites count a
case only when its fault fired.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# What a fault does:
#   slow        - pace the body at rate_bps bytes/s from its first byte (download/JSON answer; upload: request)
#   reset       - deliver exactly after_bytes body bytes (flushed, acknowledged), then drop the line (RST)
#   status      - answer `status` (e.g. 500, 503) with a JSON error before doing anything
#   expire      - expire every session now (the request then gets 401 session_expired)
#   corrupt     - flip one byte at after_bytes (download body; for uploads: the stored copy)
#   lose_answer - do the work (e.g. commit the upload), then drop the line (RST) instead of answering
Kind = Literal["slow", "reset", "status", "expire", "corrupt", "lose_answer"]
KINDS = ("slow", "reset", "status", "expire", "corrupt", "lose_answer")
BODY_KINDS = ("slow", "reset", "corrupt")
# Which requests a fault applies to.
Target = Literal["download", "upload", "commit", "login", "otp", "inbox", "any"]
TARGETS = ("download", "upload", "commit", "login", "otp", "inbox", "any")


@dataclass(eq=False)
class Fault:
    """One armed fault. Identity matters: the object a test added is the one whose `fired` grows."""

    kind: Kind
    target: Target = "any"
    times: int = 1  # -1 = until cleared
    after_bytes: int = 0
    rate_bps: int = 0
    status: int = 503
    fired: int = field(default=0)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fault:
        kind = d.get("kind")
        target = d.get("target", "any")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if target not in TARGETS:
            raise ValueError(f"target must be one of {', '.join(TARGETS)}")
        ints = {}
        for k, default in (("times", 1), ("after_bytes", 0), ("rate_bps", 0), ("status", 503)):
            v = d.get(k, default)
            if not isinstance(v, int) or isinstance(v, bool):
                raise ValueError(f"{k} must be an integer")
            ints[k] = v
        if ints["times"] == 0 or ints["times"] < -1:
            raise ValueError("times must be >= 1, or -1 (until cleared)")
        if ints["after_bytes"] < 0:
            raise ValueError("after_bytes must be >= 0")
        if kind == "status" and not 400 <= ints["status"] <= 599:
            raise ValueError("status must be 400..599")
        if kind == "slow" and ints["rate_bps"] <= 0:
            raise ValueError("rate_bps must be > 0 for slow")
        return cls(kind=kind, target=target, **ints)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def exhausted(self) -> bool:
        return self.times >= 0 and self.fired >= self.times


class FaultPlan:
    """Thread-safe list of armed faults, plus every fault ever added (for the fired counts)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._history: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            if fault.exhausted:
                raise ValueError("this fault already fired its times")
            self._faults.append(fault)
            if fault not in self._history:
                self._history.append(fault)
                del self._history[:-1000]  # a long-running sandbox stays bounded
        return fault

    def clear(self) -> None:
        """Disarm everything; the fired counts stay readable (`history()`)."""
        with self._lock:
            self._faults.clear()

    def armed(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def history(self) -> list[Fault]:
        with self._lock:
            return list(self._history)

    def take(self, target: str, kinds: tuple[str, ...] = KINDS) -> list[Fault]:
        """The armed faults that may act on this request. Nothing is counted yet: call `fire` when the
        effect really happens."""
        with self._lock:
            return [f for f in self._faults if f.kind in kinds and f.target in (target, "any")]

    def fire(self, fault: Fault) -> bool:
        """Count one effect of `fault` now; False (do nothing) if it was disarmed or used up meanwhile."""
        with self._lock:
            if fault not in self._faults or fault.exhausted:
                return False
            fault.fired += 1
            if fault.exhausted:
                self._faults.remove(fault)
            return True
