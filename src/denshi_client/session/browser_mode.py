"""Browser mode: the user works in the fund's web page; the app files what the browser downloads.

Why polling on the session tick and not a file-system notification API: no extra
dependency, it behaves the same on every Windows file system (network drives
included), it runs on the injected clock in tests, and a one-second scan of one
folder costs nothing. A download counts as finished only when it is not a browser
temporary (`.crdownload`, `.part`, `.partial`, `.tmp`, `.download`), has no such
sibling, is not empty (Firefox's placeholder) and kept the same size and time over
two polls. Only files that arrive during the session are taken; the user's old
downloads are left alone, and nothing in the download folder is ever deleted.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from denshi_client.clock import Clock
from denshi_client.errors import DenshiError
from denshi_client.session.machine import SessionMachine
from denshi_client.session.model import Phase, SessionEvent, SessionMode, SessionProfile
from denshi_client.session.transfers import FiledDocument, Transfers

log = logging.getLogger(__name__)

TEMP_SUFFIXES = (".crdownload", ".part", ".partial", ".tmp", ".download", ".opdownload")


@dataclass(frozen=True)
class _Seen:
    size: int
    mtime_ns: int
    polls: int  # how many polls in a row it had this size and time


class DownloadWatcher:
    """Reports each finished ZIP once; `poll()` is cheap and synchronous."""

    def __init__(self, folder: Path, *, settle_polls: int = 2, suffixes: tuple[str, ...] = (".zip",),
                 baseline: bool = True, not_baseline: frozenset[str] = frozenset()) -> None:
        self.folder = Path(folder)
        self.settle_polls = settle_polls
        self.suffixes = tuple(s.lower() for s in suffixes)
        self._seen: dict[str, _Seen] = {}
        self._done: dict[str, tuple[int, int]] = {}  # name -> (size, mtime) already reported
        if baseline:
            for name, size, mtime in self._scan():
                if name not in not_baseline:  # an earlier visit saw it arrive but could not take it
                    self._done[name] = (size, mtime)

    def unsettled(self) -> frozenset[str]:
        """Files seen arriving but not yet reported (the next visit must not take them for old ones)."""
        return frozenset(self._seen)

    def _scan(self) -> list[tuple[str, int, int]]:
        out: list[tuple[str, int, int]] = []
        try:
            with os.scandir(self.folder) as it:
                for e in it:
                    try:
                        if not e.is_file():
                            continue
                        # os.stat, not the entry's cached stat: on NTFS the directory entry's size
                        # of a file still open for writing lags behind the real size.
                        st = os.stat(e.path)
                    except OSError:
                        continue  # vanished or locked between listing and stat
                    out.append((e.name, st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            return []
        except OSError as ex:
            log.warning("cannot read the download folder %s: %s", self.folder, ex)
            return []
        return out

    def forget(self, path: Path) -> None:
        """Report this file again once it is stable (a retry after a passing lock)."""
        self._done.pop(path.name, None)
        self._seen.pop(path.name, None)

    def poll(self, *, final: bool = False) -> list[Path]:
        """`final`: the visit is ending — take every complete-looking file now, settled or not
        (a truncated one then fails to open and is reported, never silently skipped)."""
        entries = self._scan()
        names = {n.lower() for n, _s, _m in entries}
        ready: list[Path] = []
        current: dict[str, _Seen] = {}
        for name, size, mtime in entries:
            low = name.lower()
            if low.endswith(TEMP_SUFFIXES) or not low.endswith(self.suffixes):
                continue
            if any((low + sfx) in names for sfx in TEMP_SUFFIXES):
                continue  # the browser still writes beside it (Firefox: empty file + .part)
            if self._done.get(name) == (size, mtime):
                continue
            prev = self._seen.get(name)
            polls = prev.polls + 1 if prev is not None and (prev.size, prev.mtime_ns) == (size, mtime) else 1
            current[name] = _Seen(size, mtime, polls)
            if size > 0 and (polls >= self.settle_polls or final):
                ready.append(self.folder / name)
                self._done[name] = (size, mtime)
                del current[name]
        self._seen = current
        return ready


@dataclass(frozen=True)
class BrowserEvent:
    """kind: "filed" (document set) | "failed" (error set) | "watching" | "stopped"."""

    kind: str
    path: Path | None = None
    document: FiledDocument | None = None
    error: DenshiError | None = None


BrowserListener = Callable[[BrowserEvent], None]


class BrowserMode:
    """Attached to the machine: watches from the VPN connect to the end of a browser-mode visit."""

    def __init__(self, machine: SessionMachine, transfers: Transfers, clock: Clock, *,
                 run_async: Callable[[Callable[[], None]], None] | None = None, settle_polls: int = 2) -> None:
        self.machine = machine
        self.transfers = transfers
        self.clock = clock
        self.settle_polls = settle_polls
        self._run_async = run_async or machine.deps.run_async or _thread
        self._lock = threading.RLock()
        self._listeners: list[BrowserListener] = []
        self._watcher: DownloadWatcher | None = None
        self._profile: SessionProfile | None = None
        self._queue: list[Path] = []
        self._working = False
        self._retries: dict[str, int] = {}
        self._carry: dict[str, frozenset[str]] = {}  # folder -> files an ended visit saw arriving
        self.max_retries = 3
        self.filed: list[FiledDocument] = []
        self.failed: list[tuple[Path, DenshiError]] = []
        machine.add_listener(self._on_session)
        machine.add_tick_hook(self.poll)

    def detach(self) -> None:
        self.machine.remove_listener(self._on_session)
        self.machine.remove_tick_hook(self.poll)

    def add_listener(self, cb: BrowserListener) -> None:
        with self._lock:
            self._listeners.append(cb)

    def remove_listener(self, cb: BrowserListener) -> None:
        with self._lock:
            if cb in self._listeners:
                self._listeners.remove(cb)

    def _emit(self, ev: BrowserEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for cb in listeners:
            try:
                cb(ev)
            except Exception:
                log.exception("browser-mode listener failed")

    @property
    def watching(self) -> Path | None:
        w = self._watcher
        return w.folder if w is not None else None

    def _on_session(self, ev: SessionEvent) -> None:
        if ev.kind != "phase_changed":
            return
        phase = ev.snapshot.phase
        profile = self.machine.profile
        if phase is Phase.CONNECTING_VPN and profile is not None and profile.mode is SessionMode.BROWSER:
            # Baseline before the auth page opens: nothing from the service can be there yet,
            # and a download finishing before READY is not missed.
            self.start(profile)
        elif phase in (Phase.ENDING, Phase.ENDED, Phase.FAILED) and self._watcher is not None:
            self.poll(final=True)  # whatever finished before the cut, even if seen only now
            self.stop()

    def _retry_later(self, path: Path, e: BaseException) -> bool:
        with self._lock:
            w = self._watcher
            n = self._retries.get(path.name, 0) + 1
            self._retries[path.name] = n
        if w is None or not _transient(e) or n > self.max_retries:
            return False
        log.info("%s is busy (%s); trying again shortly", path.name, type(e).__name__)
        w.forget(path)
        return True

    def start(self, profile: SessionProfile) -> None:
        folder = Path(profile.download_dir) if profile.download_dir else None
        if folder is None:
            log.warning("browser mode without a download folder: nothing to watch")
            return
        with self._lock:
            self._profile = profile
            self._watcher = DownloadWatcher(folder, settle_polls=self.settle_polls,
                                            not_baseline=self._carry.get(str(folder), frozenset()))
        log.info("watching %s for the fund's ZIP files", folder)
        self._emit(BrowserEvent("watching", folder))

    def stop(self) -> None:
        with self._lock:
            w, self._watcher = self._watcher, None
            if w is not None:
                self._carry[str(w.folder)] = w.unsettled()  # still arriving: the next visit takes them
        if w is not None:
            self._emit(BrowserEvent("stopped", w.folder))

    def take_download(self, profile: SessionProfile, path: Path) -> None:
        """A download the embedded page finished: filed by the same worker, with no folder watching."""
        with self._lock:
            if self._profile is None or self._profile.id != profile.id:
                self._profile = profile
            self._queue.append(Path(path))
            if self._working:
                return
            self._working = True
        self._run_async(self._drain)

    def record_picked_uploads(self, profile: SessionProfile, paths: list[Path]) -> None:
        """Files the user picked for upload in the embedded page, into the history: the page sends them, so
        the history can only say they were picked. Never raises: the history must not stop the upload."""
        from denshi_client.hashing import sha256_file
        from denshi_client.store.history import bilingual

        history = self.transfers.history
        if history is None:
            return
        for p in paths:
            try:
                size, digest = p.stat().st_size, sha256_file(p)
                hid = history.start(establishment=profile.establishment, profile_id=profile.id, direction="send",
                                    file_name=p.name, mode="browser", size=size, sha256=digest,
                                    detail="embedded page")
                history.finish(hid, "ok", detail=bilingual("アプリ内ブラウザーで送信ファイルとして選択",
                                                           "picked for upload in the embedded page"))
            except Exception:
                log.exception("could not record the upload of %s", p.name)

    def poll(self, *, final: bool = False) -> None:
        """Cheap scan (tick thread); decrypting and filing go to a worker, one ZIP at a time."""
        with self._lock:
            w = self._watcher
        if w is None:
            return
        ready = w.poll(final=final)
        if not ready:
            return
        with self._lock:
            self._queue.extend(ready)
            if self._working:
                return
            self._working = True
        self._run_async(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._working = False
                    return
                path = self._queue.pop(0)
                profile = self._profile
            if profile is None:
                continue
            try:
                doc = self.transfers.file_zip(profile, path)
            except (DenshiError, OSError) as e:
                if self._retry_later(path, e):
                    continue
                err = e if isinstance(e, DenshiError) else DenshiError(
                    f"「{path.name}」を読み取れませんでした。", f"Could not read '{path.name}'.", code="io")
                log.warning("could not file %s: %s", path.name, err.en)
                with self._lock:
                    self.failed.append((path, err))
                self._emit(BrowserEvent("failed", path, error=err))
                continue
            except Exception:  # never lose the worker over one bad file
                log.exception("filing %s failed", path.name)
                err = DenshiError(f"「{path.name}」を保存できませんでした。", f"Could not file '{path.name}'.",
                                  code="file_failed")
                self._emit(BrowserEvent("failed", path, error=err))
                continue
            with self._lock:
                self.filed.append(doc)
            self._emit(BrowserEvent("filed", path, document=doc))


def _transient(e: BaseException) -> bool:
    """A file held open for a moment (virus scanner, indexer, the browser itself on Windows)."""
    if isinstance(e, OSError):
        return True
    return isinstance(e, DenshiError) and e.code in ("io", "file_failed")


def _thread(fn: Callable[[], None]) -> None:
    threading.Thread(target=fn, name="browser-mode-filing", daemon=True).start()
