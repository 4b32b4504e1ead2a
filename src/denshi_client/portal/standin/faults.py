"""Fault injection for the stand-in only: the real fund never sees these knobs.

Tests arm faults through the Python API (`service.faults.add(Fault(...))`); a standalone sandbox
accepts the same thing as JSON on `POST /_standin/faults` (and `DELETE` clears them). Each armed
fault fires on the next `times` matching requests, then disarms itself.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# What a fault does:
#   slow        - limit the body to rate_bps bytes/s (download: response; upload: request body)
#   reset       - drop the TCP connection (RST) after after_bytes body bytes
#   status      - answer `status` (e.g. 500, 503) with a JSON error before doing anything
#   expire      - expire every session now (the request then gets 401 session_expired)
#   corrupt     - flip one byte at after_bytes (download body; for uploads: the stored copy)
Kind = Literal["slow", "reset", "status", "expire", "corrupt"]
KINDS = ("slow", "reset", "status", "expire", "corrupt")
# Which requests a fault applies to.
Target = Literal["download", "upload", "commit", "login", "otp", "inbox", "any"]
TARGETS = ("download", "upload", "commit", "login", "otp", "inbox", "any")


@dataclass
class Fault:
    kind: Kind
    target: Target = "any"
    times: int = 1  # -1 = until cleared
    after_bytes: int = 0
    rate_bps: int = 0
    status: int = 503
    fired: int = field(default=0, compare=False)

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
        if kind == "status" and not 400 <= ints["status"] <= 599:
            raise ValueError("status must be 400..599")
        if kind == "slow" and ints["rate_bps"] <= 0:
            raise ValueError("rate_bps must be > 0 for slow")
        return cls(kind=kind, target=target, **ints)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultPlan:
    """Thread-safe list of armed faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def armed(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, target: str, kinds: tuple[str, ...] = KINDS) -> list[Fault]:
        """The faults that fire for this request (consumes one shot of each)."""
        out: list[Fault] = []
        with self._lock:
            for f in list(self._faults):
                if f.kind not in kinds or f.target not in (target, "any"):
                    continue
                f.fired += 1
                out.append(f)
                if f.times >= 0 and f.fired >= f.times:
                    self._faults.remove(f)
        return out
