"""Never stranded: find and drop a VPN connection that an earlier run left up.

A left-up VPN means no e-mail and no internet for the user, so two sources are
checked at start-up: our own marker file (written before the VPN connects,
removed only after a confirmed disconnect) and the driver's list of connected
accounts, restricted to accounts the app knows (never someone else's VPN).
A marker written by a process that is still alive belongs to another running
instance (e.g. the GUI while the CLI runs) and is left alone unless forced.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from denshi_client.errors import DenshiError
from denshi_client.store.atomic import atomic_write_text
from denshi_client.vpn.model import VpnDriver

if TYPE_CHECKING:
    from denshi_client.session.model import ProbeResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateRecord:
    account: str
    profile_id: str
    pid: int
    host: str
    since: datetime | None
    written_at: datetime | None


class StateFile:
    """The crash-recovery marker at `app_paths().state_file` (small JSON, written atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, account: str, profile_id: str, since: datetime | None) -> None:
        data = {
            "account": account,
            "profile_id": profile_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": since.isoformat() if since else None,
            "written_at": datetime.now().astimezone().isoformat(),
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    def read(self) -> StateRecord | None:
        try:
            d = json.loads(self.path.read_text(encoding="utf-8"))
            return StateRecord(
                account=str(d["account"]),
                profile_id=str(d.get("profile_id", "")),
                pid=int(d.get("pid", 0)),
                host=str(d.get("host", "")),
                since=datetime.fromisoformat(d["since"]) if d.get("since") else None,
                written_at=datetime.fromisoformat(d["written_at"]) if d.get("written_at") else None,
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("unreadable session state file %s: treating it as a leftover of unknown account",
                        self.path)
            return None

    def exists(self) -> bool:
        return self.path.exists()

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (never signals it: os.kill on Windows terminates)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Leftover:
    account: str
    connected: bool                 # the driver reports it connected (or connecting/retrying)
    from_state_file: bool
    profile_id: str = ""
    since: datetime | None = None
    owner_alive: bool = False       # the process that wrote the marker still runs (another instance)


@dataclass
class RecoveryReport:
    disconnected: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)     # owned by a running instance
    failed: list[tuple[str, DenshiError]] = field(default_factory=list)
    marker_cleared: bool = False
    internet: ProbeResult | None = None  # checked after a leftover was disconnected (when a probe is set)

    @property
    def ok(self) -> bool:
        return not self.failed


def find_leftover(driver: VpnDriver, state_file: StateFile | None, accounts: Iterable[str] = ()) -> list[Leftover]:
    """What an earlier run left: the marker's account, plus any known account still connected."""
    rec = state_file.read() if state_file is not None else None
    connected = set(driver.connected_accounts())
    known = set(accounts)
    out: list[Leftover] = []
    if rec is not None:
        alive = rec.pid != os.getpid() and rec.host == socket.gethostname() and pid_alive(rec.pid)
        out.append(Leftover(rec.account, rec.account in connected, True, rec.profile_id, rec.since, alive))
        known.discard(rec.account)
    for acc in sorted(known & connected):
        out.append(Leftover(acc, True, False))
    return out


def recover(driver: VpnDriver, state_file: StateFile | None, accounts: Iterable[str] = (), *,
            force: bool = False, timeout: float = 15.0) -> RecoveryReport:
    """Disconnect every leftover; the marker goes only when nothing of ours stays up."""
    report = RecoveryReport()
    for lo in find_leftover(driver, state_file, accounts):
        if lo.owner_alive and not force:
            report.skipped.append(lo.account)
            continue
        if not lo.connected:
            continue
        try:
            driver.disconnect(lo.account, timeout=timeout)
            report.disconnected.append(lo.account)
            log.warning("disconnected a VPN connection left by an earlier run: %s", lo.account)
        except DenshiError as e:
            report.failed.append((lo.account, e))
    if state_file is not None and not report.failed and not report.skipped and state_file.exists():
        state_file.clear()
        report.marker_cleared = True
    return report
