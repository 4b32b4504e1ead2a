"""Where a download's bytes live on disk, and the rules that keep a hostile server or a second process
from damaging anything there.

- Every name comes from `winnames`: the server's file name (or its id) becomes one safe Windows name,
  and the final path is checked to be a direct child of the target folder.
- A document's partial file, its validator and its lock are hidden files keyed by a hash of the
  document id (`.~denshi-dl-<key>.partial/.json/.lock`): they can never be a final name (winnames never
  makes a name with that prefix) nor another document's partial, so a download only ever deletes files
  of its own.
- Downloads of one document into one folder are exclusive across processes (an OS file lock, which the
  OS releases when a process dies, so a killed download never blocks the next one).
- The final name is taken without replacing anything (a hard link, or rename where the OS refuses to
  replace): only the download that verified the bytes writes it, and never over another file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import json
import os
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from denshi_client.documents import winnames
from denshi_client.errors import DiskFullError, PortalError, StoreError
from denshi_client.portal import errors as pe
from denshi_client.portal.transport import translate_os_error

PREFIX = winnames.TEMP_PREFIX + "dl-"
_DISK_FULL_WINERRORS = (39, 112)  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL


def download_name(file_name: str, doc_id: str) -> str:
    """The final file name for a document: the server's name made safe, else its id + `.zip`."""
    name = winnames.safe_name(file_name, fallback="")
    if not name:
        stem = winnames.safe_component(doc_id, fallback="document")
        name = winnames.safe_name(stem + ".zip")
    return name


@dataclass(frozen=True)
class Slot:
    """A document's working files in one folder (all hidden, all keyed by the document id)."""

    folder: Path
    doc_id: str

    @property
    def key(self) -> str:
        return hashlib.sha256(self.doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    @property
    def partial(self) -> Path:
        return self.folder / f"{PREFIX}{self.key}.partial"

    @property
    def meta(self) -> Path:
        return self.folder / f"{PREFIX}{self.key}.json"

    @property
    def lock(self) -> Path:
        return self.folder / f"{PREFIX}{self.key}.lock"

    def validator(self, size: int) -> str | None:
        """The validator (ETag) of the bytes in the partial, if they belong to this document and size."""
        try:
            data = json.loads(self.meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("id") != self.doc_id or data.get("size") != size:
            return None
        etag = data.get("etag")
        return etag if isinstance(etag, str) and etag else None

    def start(self, etag: str, size: int) -> None:
        """Record what the bytes about to be written from byte 0 are (before any of them is written)."""
        self.meta.write_text(json.dumps({"id": self.doc_id, "size": size, "etag": etag}), encoding="utf-8")

    def discard(self) -> None:
        """Drop the partial and its validator (ours by name: nothing else can be called that)."""
        for p in (self.partial, self.meta):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


class TargetLock:
    """An exclusive, cross-process lock on one document's slot; the OS drops it if the holder dies."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self, cancelled: Callable[[], bool], poll_s: float = 0.1) -> None:
        """Wait for the lock (another process may be fetching the same document); `cancelled` stops it."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if _try_lock(fd) and self._same_file(fd):
                    self._fd = fd
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # closing also drops a lock taken on a file the last holder just removed
            if cancelled():
                raise pe.cancelled()
            time.sleep(poll_s)

    def _same_file(self, fd: int) -> bool:
        """The previous holder removes the file when done: a lock on that removed file is no lock."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (st.st_ino, st.st_dev) == (mine.st_ino, mine.st_dev)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if os.name != "nt":
            with contextlib.suppress(OSError):
                self.path.unlink()  # while still held: a waiter then sees a removed file and retries
        os.close(fd)
        if os.name == "nt":
            with contextlib.suppress(OSError):
                self.path.unlink()  # fails while another process has it open: it is theirs then

    def __enter__(self) -> TargetLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def find_identical(folder: Path, name: str, size: int, matches: Callable[[Path], bool]) -> Path | None:
    """A file already saved under `name` or one of its numbered forms whose content `matches`."""
    for n in range(1, 1000):
        p = folder / (name if n == 1 else winnames.numbered(name, n))
        if not os.path.lexists(p):
            return None
        if p.is_file() and not p.is_symlink() and p.stat().st_size == size and matches(p):
            return p
    return None


def place(partial: Path, folder: Path, name: str) -> Path:
    """Give the verified partial its final name, numbered `name (2).ext` if taken; never replaces a file."""
    for n in range(1, 1000):
        target = winnames.child_path(folder, name if n == 1 else winnames.numbered(name, n))
        if os.path.lexists(target):
            continue
        try:
            _link_without_replacing(partial, target)
        except FileExistsError:
            continue  # someone took the name a moment ago
        return target
    raise StoreError("保存先に同名のファイルが多すぎます。", "Too many files with the same name in the folder.",
                     code="save_failed")


def _link_without_replacing(src: Path, dst: Path) -> None:
    if os.name == "nt":
        os.rename(src, dst)  # Windows refuses to rename over an existing file
        return
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): claim the name, then move onto it
        os.close(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(src, dst)
        return
    os.unlink(src)


def is_disk_full(e: OSError) -> bool:
    return e.errno in (errno.ENOSPC, errno.EDQUOT) or getattr(e, "winerror", None) in _DISK_FULL_WINERRORS


def save_error(e: OSError, folder: Path, name: str) -> StoreError:
    """A local failure while saving a download, in words that point at the disk, not the network."""
    if is_disk_full(e):
        return DiskFullError(
            f"保存先のディスクの空き容量が不足しているため、「{name}」を保存できませんでした（保存先：{folder}）。"
            "不要なファイルを削除して空き容量を確保してから、もう一度お試しください。"
            "途中まで受信したデータは削除しました。",
            f"The disk is full: '{name}' could not be saved in {folder}. Please free up space and try again. "
            "The partly received data was removed.",
            code="disk_full")
    reason = e.strerror or type(e).__name__
    return StoreError(
        f"「{name}」を保存できませんでした（保存先：{folder}、{reason}）。保存先フォルダーの権限と空き容量をご確認ください。",
        f"Could not save '{name}' in {folder} ({reason}). Please check the folder's permissions and free space.",
        code="save_failed")


# ---- the body on its way to the partial -------------------------------------------------------------------
def validator_of(r: http.client.HTTPResponse, listed_sha256: str) -> str:
    """What identifies the bytes of this answer: its ETag, else its digest header, else the listed digest."""
    etag = r.getheader("ETag")
    if etag:
        return etag
    digest = r.getheader("X-Content-SHA256") or listed_sha256
    return f'"{digest.lower()}"'


class KeepOnBreak:
    """The body as receive_body reads it, with a break turned into its end: the bytes already read are
    written and hashed like any others, and the reason for the break is kept in `error`."""

    def __init__(self, resp: http.client.HTTPResponse):
        self._resp = resp
        self.error: PortalError | None = None

    def readinto(self, b: Any) -> int:
        """At most one read from the socket per call: a buffered reader that fails in its second read
        drops what its first one already copied (that lost a whole stalled buffer's bytes)."""
        if self.error is not None:
            return 0
        r = self._resp
        try:
            if r.chunked or r.length is None:
                return r.readinto(b)  # not what the service sends (it always gives Content-Length)
            with memoryview(b) as whole, whole[: r.length] as mv:
                n = r.fp.readinto1(mv) if len(mv) else 0
            r.length -= n
            return n
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            self.error = translate_os_error(e)
            return 0


class LocalFile:
    """The partial as receive_body writes it: a failed write names the file, so it reads as a local problem
    (a full disk), never as a network one."""

    def __init__(self, raw: Any, path: Path):
        self._raw = raw
        self._path = path

    def write(self, b: Any) -> int:
        try:
            n: int = self._raw.write(b)
        except OSError as e:
            raise OSError(e.errno, e.strerror, str(self._path)) from e
        return n
