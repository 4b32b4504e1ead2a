"""The one way the UI runs long work: a thread pool plus signals back to the GUI thread.

Modelled on Anki's `aqt.operations`: the work function never touches a widget; its result,
error and progress arrive on the GUI thread through queued signals, so the event loop never
waits for I/O. Progress is throttled so a fast 1 GiB transfer cannot flood the event queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
_PROGRESS_INTERVAL = 0.05  # seconds between progress signals (20 Hz is plenty for a bar)


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted by the pool thread are queued to it."""

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 on_progress: ProgressFn | None) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)
        self.progressed.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_done(self, value: Any) -> None:
        try:
            if self._on_done:
                self._on_done(value)
        finally:
            _forget(self)

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        try:
            if self._on_error:
                self._on_error(exc)
            else:
                log.error("background task failed: %s", exc, exc_info=exc)
        finally:
            _forget(self)

    @Slot(int, int)
    def _deliver_progress(self, done: int, total: int) -> None:
        if self._on_progress:
            self._on_progress(done, total)


_live: set[_Relay] = set()
_live_lock = threading.Lock()


def _forget(relay: _Relay) -> None:
    with _live_lock:
        _live.discard(relay)


class _Throttle:
    """Calls through at most every `_PROGRESS_INTERVAL` seconds, and always for the final value."""

    def __init__(self, emit: ProgressFn) -> None:
        self._emit = emit
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total > 0 or now - self._last >= _PROGRESS_INTERVAL:
            self._last = now
            self._emit(int(done), int(total))


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, wants_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay
        self._wants_progress = wants_progress

    def run(self) -> None:  # pool thread: no widget access here
        relay = self._relay
        try:
            try:
                if self._wants_progress:
                    result = self._fn(_Throttle(relay.progressed.emit))
                else:
                    result = self._fn()
            except BaseException as exc:
                relay.failed.emit(exc)
            else:
                relay.done.emit(result)
        except RuntimeError:  # the app is shutting down and the relay is gone: nobody to tell
            log.debug("background result dropped at shutdown")


GUI_SWITCH_INTERVAL_S = 0.002


def tune_for_gui() -> None:
    """The GUI thread shares the GIL with transfer threads (HTTP, hashing, AES); a 2 ms switch
    interval (default 5 ms) bounds how long a repaint or a click waits for it."""
    import sys

    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def pool() -> QThreadPool:
    return QThreadPool.globalInstance()


_waits: QThreadPool | None = None


def wait_pool() -> QThreadPool:
    """A separate pool for jobs that mostly wait (the OTP mail watch: minutes of IMAP IDLE), so they never
    hold one of the global pool's few threads (2 on a 2-core PC) that the visit's own calls need."""
    global _waits
    if _waits is None:
        _waits = QThreadPool()
        _waits.setMaxThreadCount(2)
    return _waits


def run_in_background(fn: Callable[..., Any], on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_progress: ProgressFn | None = None, *, waits: bool = False) -> None:
    """Run `fn` on the pool (`waits=True`: on the waiting pool); callbacks run later on the GUI thread.

    With `on_progress`, `fn` is called as `fn(progress)` where `progress(done, total)` is safe to
    call from the worker thread; otherwise `fn()`.
    """
    relay = _Relay(on_done, on_error, on_progress)
    with _live_lock:
        _live.add(relay)
    (wait_pool() if waits else pool()).start(_Job(fn, relay, on_progress is not None))


def pending() -> int:
    """How many background jobs have not delivered their result yet (tests, quit)."""
    with _live_lock:
        return len(_live)


def run_bounded(fn: Callable[[], Any], timeout: float) -> bool:
    """Run `fn` on a plain thread and wait at most `timeout` s (quit/log-off paths, where no event
    loop will run our callbacks anymore). True when it finished in time."""
    t = threading.Thread(target=_swallow, args=(fn,), name="bounded-end", daemon=True)
    t.start()
    t.join(timeout)
    return not t.is_alive()


def _swallow(fn: Callable[[], Any]) -> None:
    try:
        fn()
    except Exception:
        log.exception("bounded task failed")
