"""Running vpncmd safely and reading its `/CSV` output in English or Japanese.

Every call is an argument list (no shell) with `/PROGRAMMING` (without it a
prompt on a closed stdin hangs forever), stdin closed, UTF-8 forced, and a
time-out that kills the whole process tree. The process runner is injectable:
the lab wraps it in `nsenter`, replay tests return recorded output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from denshi_client.redact import redact
from denshi_client.vpn import errors as E
from denshi_client.vpn.model import ConnState

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class RunResult:
    code: int
    stdout: bytes
    elapsed: float = 0.0


class ProcessRunner(Protocol):
    def __call__(self, argv: Sequence[str], timeout: float) -> RunResult:
        """Run argv with stdin closed; raise `VpnTimeout` (after killing the tree) when it overruns."""
        ...


class SubprocessRunner:
    """The real runner. `prefix` wraps every call (the lab: `nsenter -t PID -n -m --`)."""

    def __init__(self, prefix: Sequence[str] = ()) -> None:
        self.prefix = list(prefix)

    def __call__(self, argv: Sequence[str], timeout: float) -> RunResult:
        full = [*self.prefix, *argv]
        env = dict(os.environ)
        kwargs: dict[str, object] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        else:
            # Japanese output is EUC-JP without a UTF-8 locale (notes §6).
            env["LANG"] = "C.UTF-8"
            env["LC_ALL"] = "C.UTF-8"
            kwargs["start_new_session"] = True
        t0 = time.monotonic()
        proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,  # type: ignore[call-overload]
                                stderr=subprocess.STDOUT, env=env, **kwargs)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            with contextlib.suppress(Exception):
                proc.communicate(timeout=5)
            raise E.timeout_error(argv[-1] if argv else "vpncmd", timeout) from None
        return RunResult(proc.returncode, out or b"", time.monotonic() - t0)


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, timeout=10,
                           creationflags=subprocess.CREATE_NO_WINDOW)
        with contextlib.suppress(OSError):
            proc.kill()
    else:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)


@dataclass(frozen=True)
class VpncmdResult:
    code: int
    text: str
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.code == 0

    def rows(self) -> list[list[str]]:
        return parse_csv(self.text)


class Vpncmd:
    """vpncmd in client-management mode: `vpncmd localhost /CLIENT /PROGRAMMING /CSV /CMD ...`."""

    def __init__(self, exe: str, runner: ProcessRunner | None = None, timeout: float = DEFAULT_TIMEOUT_S,
                 host: str = "localhost") -> None:
        self.exe = exe
        self.runner: ProcessRunner = runner or SubprocessRunner()
        self.timeout = timeout
        self.host = host

    def base_argv(self) -> list[str]:
        return [self.exe, self.host, "/CLIENT", "/PROGRAMMING", "/CSV"]

    def cmd(self, *args: str, timeout: float | None = None) -> VpncmdResult:
        """One command. Never pass a secret in `args`: use `batch_secret()`."""
        argv = [*self.base_argv(), "/CMD", *args]
        r = self.runner(argv, timeout or self.timeout)
        text = r.stdout.decode("utf-8", errors="replace")
        log.debug("vpncmd %s -> %d in %.0f ms", redact(" ".join(args)), r.code, r.elapsed * 1000)
        return VpncmdResult(r.code, text, r.elapsed)

    def batch_secret(self, lines: Sequence[str], timeout: float | None = None) -> int:
        """Run commands that carry a secret through a private `/IN:` file; return the exit code only.

        vpncmd echoes every batch line (the password too) to stdout, so the output is
        dropped unread; the file is 0600 in a 0700 folder and is removed at once.
        """
        tmpdir = tempfile.mkdtemp(prefix="denshi-vpn-")
        path = Path(tmpdir) / "in.txt"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write("\n".join(lines) + "\n")
            r = self.runner([*self.base_argv(), f"/IN:{path}"], timeout or self.timeout)
            log.debug("vpncmd batch (%d lines, output discarded) -> %d", len(lines), r.code)
            return r.code
        finally:
            with contextlib.suppress(OSError):
                _overwrite(path)
            shutil.rmtree(tmpdir, ignore_errors=True)


def _overwrite(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.write(b"\0" * size)


# ----- parsing ------------------------------------------------------------------------------

def parse_csv(text: str) -> list[list[str]]:
    """Rows of a `/CSV` answer, without the "Connected to VPN Client ..." line (any language).

    The banner line is followed by one blank line; the table starts after it.
    Fields use Excel quoting (`"2,576 bytes"`), which the csv module handles.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # a lone CR (cut output) is a break
    start = 0
    for i, line in enumerate(lines):
        if not line.strip():
            start = i + 1
            break
    body = "\n".join(lines[start:])
    try:
        return [row for row in csv.reader(io.StringIO(body)) if any(c.strip() for c in row)]
    except csv.Error as e:
        raise _unreadable(str(e)) from None


def _unreadable(why: str) -> E.VpnCommandFailed:
    return E.VpnCommandFailed(
        "VPNクライアントの応答を読み取れませんでした。もう一度お試しください。",
        f"Could not read the VPN client's answer ({why}). Please try again.", code="bad_output")


# AccountList "Status" column (CM_ACCOUNT_*), en + ja.
_LIST_STATES = {
    "offline": ConnState.OFFLINE, "オフライン": ConnState.OFFLINE,
    "connecting": ConnState.CONNECTING, "接続処理中": ConnState.CONNECTING,
    "connected": ConnState.CONNECTED, "接続完了": ConnState.CONNECTED,
}

# AccountStatusGet "Session Status" values (CM_ST_*), en + ja.
SESSION_ESTABLISHED = {"Connection Completed (Session Established)", "接続完了 (セッション確立済み)"}
SESSION_RETRYING = {"Retrying", "再試行中"}
SESSION_CONNECTING = {
    "Trying to Connect", "接続試行中", "Connection to VPN Server Started", "VPN サーバーに接続開始中",
    "Negotiating", "ネゴシエーション中", "Authenticating User", "ユーザー認証中",
    "Connection is Established", "コネクション確立済み", "Idle", "アイドル状態", *SESSION_RETRYING,
}
_STATUS_KEYS = {"Session Status", "セッション接続状態"}
_CURRENT_SINCE_KEYS = {"Current Session has been Established since", "現在のセッションの確立時刻"}


@dataclass(frozen=True)
class AccountRow:
    name: str
    state: ConnState
    server: str
    hub: str
    nic: str
    raw_status: str


def parse_account_list(text: str) -> list[AccountRow]:
    """AccountList: name, status, server, hub, adapter, by column position."""
    rows = parse_csv(text)
    out: list[AccountRow] = []
    for row in rows[1:]:  # rows[0] is the localised header
        if len(row) < 5:  # cut or garbled: skipping it could hide a connected account from recovery
            raise _unreadable(f"an account row has {len(row)} of 5 fields")
        status = row[1].strip()
        state = _LIST_STATES.get(status.lower(), _LIST_STATES.get(status))
        if state is None:  # unknown wording: anything not known as offline counts as active
            state = ConnState.CONNECTING
        server = re.sub(r"\s*\(.*\)\s*$", "", row[2].strip())
        out.append(AccountRow(row[0], state, server, row[3], row[4], status))
    return out


@dataclass(frozen=True)
class SessionRow:
    name: str
    state: ConnState
    session_status: str
    established_since: datetime | None
    server: str
    retrying: bool


def parse_account_status(text: str) -> SessionRow:
    """AccountStatusGet (exit 0): Item,Value rows.

    The status row is found by its en/ja name, else by position (row 2 of the table);
    "established since" by name, else the third date of the table (connection
    started / first established / current established).
    """
    rows = [r for r in parse_csv(text) if len(r) >= 2][1:]  # drop the "Item,Value" header
    if not rows:
        raise E.VpnCommandFailed("VPNクライアントの応答を読み取れませんでした。",
                                 "Could not read the VPN client's answer.")
    items = [(r[0].strip(), r[1].strip()) for r in rows]
    name = items[0][1]
    status = next((v for k, v in items if k in _STATUS_KEYS), items[1][1] if len(items) > 1 else "")
    if status in SESSION_ESTABLISHED:
        state = ConnState.CONNECTED
    else:
        state = ConnState.CONNECTING
    since = next((parse_vpncmd_datetime(v) for k, v in items if k in _CURRENT_SINCE_KEYS), None)
    if since is None and state is ConnState.CONNECTED:
        dates = [d for d in (parse_vpncmd_datetime(v) for _, v in items) if d is not None]
        since = dates[2] if len(dates) >= 3 else (dates[-1] if dates else None)
    server = items[3][1] if state is ConnState.CONNECTED and len(items) > 3 else ""
    return SessionRow(name, state, status, since if state is ConnState.CONNECTED else None, server,
                      status in SESSION_RETRYING)


_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*[-/年]\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?\s*(?:\([^)]*\))?\s*"
    r"(\d{1,2})\s*[:時]\s*(\d{1,2})\s*[:分]\s*(\d{1,2})\s*秒?\s*$"
)


def parse_vpncmd_datetime(value: str) -> datetime | None:
    """`2026-11-27 (Fri) 09:34:40` or `2026年11月27日(金)  9時38分39秒` -> aware, PC's local zone.

    vpncmd prints the client PC's local time without a zone.
    """
    m = _DATE_RE.match(value)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s).astimezone()
    except ValueError:
        return None
