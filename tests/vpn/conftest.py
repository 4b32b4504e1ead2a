"""Fixtures for the real SoftEther lab (module-scoped: one lab start per test module)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.vpn.lab import SECRETS, SoftEtherLab, lab_available


class CmdlineSampler:
    """Reads every /proc/*/cmdline in a background thread and records any that shows a secret."""

    def __init__(self, secrets: tuple[str, ...], interval: float = 0.02) -> None:
        self.secrets = [s.encode() for s in secrets]
        self.interval = interval
        self.hits: list[str] = []
        self.samples = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def add(self, secret: str) -> None:
        self.secrets.append(secret.encode())

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                for s in self.secrets:
                    if s in raw:
                        self.hits.append(raw.replace(b"\0", b" ").decode(errors="replace"))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> CmdlineSampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join(5)


@pytest.fixture(scope="module")
def cmdline_sampler() -> Iterator[CmdlineSampler]:
    with CmdlineSampler(SECRETS) as s:
        yield s
    assert s.samples > 10
    assert not s.hits, f"a password was visible in a process command line: {s.hits[:3]}"


@pytest.fixture(scope="module")
def lab(cmdline_sampler: CmdlineSampler) -> Iterator[SoftEtherLab]:
    ok, why = lab_available()
    require(ok, why)
    with SoftEtherLab("pytest") as the_lab:
        yield the_lab
