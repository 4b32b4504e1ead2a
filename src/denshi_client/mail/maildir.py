"""A local Maildir as a mail source: the demo's stand-in delivers its OTP mail here.

Arrival time = the file's modification time (what Dovecot reports as INTERNALDATE for the same file).
Only reads; files stay where they are.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from denshi_client.mail.recognise import RawMail, since_floor
from denshi_client.mail.source import Sleeper, real_sleep


class MaildirSource:
    idling = False

    def __init__(self, root: Path, *, poll_seconds: float = 0.5, sleep: Sleeper = real_sleep):
        self.root = root
        self.poll_seconds = poll_seconds
        self._sleep = sleep

    def connect(self) -> None:
        for sub in ("new", "cur", "tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def fetch_since(self, since: datetime) -> list[RawMail]:
        floor = since_floor(since)
        out = []
        for sub in ("new", "cur"):
            folder = self.root / sub
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                when = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
                if when < floor:
                    continue
                try:
                    raw = Path(entry.path).read_bytes()
                except OSError:  # moved between new/ and cur/ meanwhile
                    continue
                out.append(RawMail(when, raw, f"maildir:{entry.name}"))
        return out

    def wait(self, seconds: float) -> None:
        self._sleep(max(0.0, min(seconds, self.poll_seconds)))

    def close(self) -> None:
        pass


def deliver(root: Path, raw: bytes, name: str) -> Path:
    """Write one message as an MDA does: tmp/ first, then an atomic rename into new/."""
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    tmp = root / "tmp" / name
    tmp.write_bytes(raw)
    dest = root / "new" / name
    os.replace(tmp, dest)
    return dest
