"""Reasons for failed or ended sessions, read from the VPN Client's own log.

No vpncmd command tells why a session is Retrying or Offline; only
`client_log/client_YYYYMMDD.log` does, in the client's language:

    2026-11-27 09:45:40.123 VPN Connection Setting "x": The connection ... Cause: <text> (code 9)
    2026-11-27 09:45:40.123 接続設定 "x": 接続が切断されたか、接続に失敗しました。理由: <text> (コード 9)

Only the tail of today's and yesterday's files is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

_TAIL_BYTES = 256 * 1024

_LINE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\s+.*?\"(?P<name>[^\"]*)\"\s*[:：].*?"
    r"(?:Cause|理由)\s*[:：]\s*(?P<cause>.*?)\s*[(（](?:code|コード)\s*(?P<code>\d+)[)）]\s*$"
)


@dataclass(frozen=True)
class LogCause:
    at: datetime  # aware, local zone of the PC
    account: str
    code: int
    cause: str


def parse_line(line: str) -> LogCause | None:
    m = _LINE.match(line.strip())
    if not m:
        return None
    try:
        at = datetime.fromisoformat(m.group("ts")).astimezone()
    except ValueError:
        return None
    return LogCause(at, m.group("name"), int(m.group("code")), m.group("cause"))


def _read_tail(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - _TAIL_BYTES))
            data = f.read()
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


class ClientLog:
    def __init__(self, log_dir: Path | None) -> None:
        self.log_dir = log_dir

    def causes(self, account: str, since: datetime | None = None, now: datetime | None = None) -> list[LogCause]:
        """Cause lines for `account`, oldest first, optionally only at/after `since`."""
        if self.log_dir is None:
            return []
        now = (now or datetime.now().astimezone()).astimezone()
        days = [now.date() - timedelta(days=1), now.date()]
        if since is not None and since.astimezone().date() == now.date():
            days = [now.date()]
        out: list[LogCause] = []
        for day in days:
            text = _read_tail(self.log_dir / f"client_{day:%Y%m%d}.log")
            for line in text.splitlines():
                c = parse_line(line)
                if c and c.account == account and (since is None or c.at >= since):
                    out.append(c)
        return out

    def last_cause(self, account: str, since: datetime | None = None,
                   now: datetime | None = None) -> LogCause | None:
        found = self.causes(account, since, now)
        return found[-1] if found else None
