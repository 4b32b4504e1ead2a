"""Crash-safe file replacement for the small files the store owns.

A settings or profiles file is either the old version or the new one, never
half of each: write a temporary sibling, flush it to disk, then `os.replace`.
On Windows the replace can fail for a moment while an antivirus scanner or an
indexer holds the target open, so it is retried briefly before giving up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_REPLACE_ATTEMPTS = 10
_REPLACE_PAUSE_S = 0.05


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        for attempt in range(_REPLACE_ATTEMPTS):
            try:
                os.replace(tmp, path)
                break
            except PermissionError:
                if attempt == _REPLACE_ATTEMPTS - 1:
                    raise
                time.sleep(_REPLACE_PAUSE_S)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8", newline: str = "\n") -> None:
    """Text with a fixed newline, so files look the same whoever wrote them."""
    if newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Exclusive lock on `<path>.lock` around a read-modify-write, so the app and a CLI run
    at the same moment cannot lose each other's change (the atomic replace alone only
    prevents torn files). Blocks; on Windows msvcrt retries for about 10 s, then OSError."""
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as f:
        if sys.platform == "win32":
            import msvcrt

            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def write_problem(exc: OSError) -> tuple[str, str]:
    """Why a write failed, in words a user can act on: (ja, en)."""
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "ディスクの空き容量が不足しています", "the disk is full"
    if exc.errno == errno.ENAMETOOLONG:
        return "パスが長すぎます", "the path is too long"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "同じ名前のファイルがあります（フォルダーではありません）", "a file (not a folder) has that name"
    return "書き込みできません（読み取り専用か、権限がありません）", "it is read-only or not permitted"
