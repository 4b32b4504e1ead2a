"""Where unpacked bytes wait and how they are placed: partial files that name their writer (so the next
unpack can remove what a killed one left), and placing without ever replacing an existing file."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import secrets
import socket
import sys
import time
from pathlib import Path

from denshi_client.documents import zipnames

log = logging.getLogger(__name__)


# .~denshi-<host tag>-<pid>-<process start>-<random>-<entry>.part: who wrote it is in its name, so the
# next unpack into the folder can remove what a killed one left (docs/zip.md, "Partial files").
_PART = re.compile(r"^\.~denshi-([0-9a-f]{8})-([0-9]{1,10})-([0-9]{1,20})-[0-9a-f]{8}-[0-9]{1,5}\.part$")


@functools.cache
def _host_tag() -> str:
    """Names a PC without revealing it: a shared network folder may hold other PCs' live partial files."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _process_start(pid: int) -> int | None:
    """When `pid` started, in a unit that never changes while it runs (None: unknown or gone).

    With the pid it identifies a process: a pid reused by a later process has another start.
    Linux: clock ticks since boot (/proc/PID/stat); Windows: the creation FILETIME.
    """
    if sys.platform == "win32":
        return _win_process(pid)[1]
    st = _linux_stat(pid)
    return st[1] if st is not None else None


def _linux_stat(pid: int) -> tuple[bytes, int] | None:
    """(state letter, start time in ticks) from /proc/PID/stat, or None."""
    try:
        line = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = line[line.rfind(b")") + 2 :].split()  # the command name in (...) may hold spaces
    if len(fields) < 20 or not fields[19].isdigit():
        return None
    return fields[0], int(fields[19])


def _win_process(pid: int) -> tuple[bool | None, int | None]:
    """(gone?, creation FILETIME) for a Windows pid; gone is None when it cannot be told."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:  # ERROR_INVALID_PARAMETER: no such process; access denied: it exists
        return (True if ctypes.get_last_error() == 87 else None), None  # type: ignore[attr-defined,unused-ignore]
    try:
        code = wintypes.DWORD()
        if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value != 259:  # STILL_ACTIVE
            return True, None
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None, None
        return False, (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime
    finally:
        kernel32.CloseHandle(handle)


def _writer_gone(pid: int, start: int) -> bool:
    """True only when the process that wrote a partial file surely no longer runs; unknown is "runs"."""
    if pid == os.getpid():
        return start != (_process_start(pid) or 0)  # same pid, other start: an earlier process of ours
    if sys.platform == "win32":
        gone, now = _win_process(pid)
        return bool(gone) or (now is not None and now != start)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: another user's process, alive
        return False
    st = _linux_stat(pid)
    if st is None:  # exited since os.kill (Linux), or no /proc on this system (unknown: keep)
        return Path("/proc/self/stat").exists()
    state, now = st
    return state in (b"Z", b"X") or now != start  # a zombie writes no more; another start: pid reused


def part_prefix() -> str:
    start = _process_start(os.getpid()) or 0  # 0: unknown here (then only a dead pid counts as gone)
    return f".~denshi-{_host_tag()}-{os.getpid()}-{start}-{secrets.token_hex(4)}"


def remove_stale_parts(dest_dir: Path) -> None:
    """Delete partial files that an unpack on this PC left when it was killed (kill -9, power cut of
    the process, crash); never a file of another PC, of a running unpack, or not named by us."""
    try:
        names = os.listdir(dest_dir)
    except OSError:
        return
    for name in names:
        m = _PART.match(name)
        if m is None or m.group(1) != _host_tag():
            continue
        if _writer_gone(int(m.group(2)), int(m.group(3))):
            with contextlib.suppress(OSError):
                (dest_dir / name).unlink()
                log.info("removed a partial file left by an interrupted unpack: %s", name)


def taken_names(dest_dir: Path) -> set[str]:
    return {zipnames.fold(n) for n in os.listdir(dest_dir)}


def place(tmp: Path, final: Path) -> None:
    """Move into place without ever replacing an existing file (FileExistsError if taken)."""
    if os.name == "nt":
        for attempt in range(5):  # a virus scanner may hold the fresh file for a moment
            try:
                os.rename(tmp, final)  # fails on an existing target on Windows
                return
            except PermissionError:
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))
    try:
        os.link(tmp, final)  # atomic "create if absent"
    except FileExistsError:
        raise
    except OSError:
        if final.exists():
            raise FileExistsError(str(final)) from None
        os.replace(tmp, final)
        return
    os.unlink(tmp)
