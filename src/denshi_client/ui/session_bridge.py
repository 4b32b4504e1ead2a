"""The only place the UI meets the core: `AppServices` in, Qt signals out.

Listeners of the session machine are called on worker, tick or VPN-monitor threads; the
bridge re-emits each event as a signal of a QObject living on the GUI thread, so every
slot runs on the GUI thread. Blocking core calls are handed to `worker.run_in_background`
by the views; this class only adapts names and holds the active establishment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from denshi_client.ui import none_guard

if TYPE_CHECKING:  # the types only: the core itself is loaded after the first paint (ui/bootstrap.py)
    from denshi_client.demo import DemoEnvironment
    from denshi_client.portal.model import CancelToken, InboxDocument
    from denshi_client.services import AppServices, History, HistoryRecord
    from denshi_client.session import EndCause, Phase, SessionEvent, SessionMachine, SessionProfile, Snapshot
    from denshi_client.session.browser_mode import BrowserEvent
    from denshi_client.session.recovery import Leftover, RecoveryReport
    from denshi_client.session.transfers import FiledDocument, Notice, QueueItem, UploadResult

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]


def settings_language() -> str | None:
    """The user's language setting before any window exists (`services` is light to import: the core
    is not loaded with it)."""
    from denshi_client.services import current_ui_settings

    return current_ui_settings().language


class SessionBridge(QObject):
    # SessionEvent, on the GUI thread. The name hides QObject.event() (Qt's handler is not used here).
    event = Signal(object)  # type: ignore[assignment]
    snapshot_changed = Signal(object)  # Snapshot after every event
    warning = Signal(int, object)      # minutes_left, Snapshot
    idle_warning = Signal(int, object)
    ended = Signal(object)             # Snapshot with end_cause and the messages
    profiles_changed = Signal()
    active_changed = Signal(str)
    services_ready = Signal()          # attach() done: profiles, session and transfers are usable
    browser_event = Signal(object)     # session.browser_mode.BrowserEvent (filed / failed / watching)
    _from_core = Signal(object)        # any thread → GUI thread
    _from_browser = Signal(object)

    def __init__(self, services: AppServices | None = None, *, demo: DemoEnvironment | None = None, tick_ms: int = 1000,
                 parent: QObject | None = None) -> None:
        """Without `services` the window can paint at once; `attach()` brings the core in later."""
        super().__init__(parent)
        self.services: AppServices | None = None
        self.demo = demo
        self.machine: SessionMachine | None = None
        self._active_id: str | None = None
        self._from_core.connect(self._dispatch)
        self._from_browser.connect(self.browser_event)
        self.timer = QTimer(self)
        self.timer.setObjectName("sessionTick")
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)
        if services is not None:
            self.attach(services, demo)

    def attach(self, services: AppServices, demo: DemoEnvironment | None = None) -> None:
        self.services = services
        if demo is not None:
            self.demo = demo
        self.machine = services.machine
        self.machine.add_listener(self._listener)
        browser = getattr(services, "browser", None)
        if browser is not None:
            browser.add_listener(self._browser_listener)
        self._pick_initial_profile()
        self.timer.start()
        self.services_ready.emit()

    @property
    def ready(self) -> bool:
        return self.services is not None

    def _core(self) -> tuple[AppServices, SessionMachine]:
        """The services and the machine, for calls that only run once `attach()` is done."""
        if self.services is None or self.machine is None:
            raise RuntimeError("the core is not loaded yet")
        return self.services, self.machine

    # ----- events --------------------------------------------------------------------------
    def _listener(self, ev: SessionEvent) -> None:  # any thread: no widget access, only a signal
        self._from_core.emit(ev)

    def _browser_listener(self, ev: BrowserEvent) -> None:  # worker/tick thread
        self._from_browser.emit(ev)

    @Slot(object)
    def _dispatch(self, ev: SessionEvent) -> None:
        self.event.emit(ev)
        self.snapshot_changed.emit(ev.snapshot)
        if ev.kind == "warning":
            self.warning.emit(int(ev.minutes_left or 0), ev.snapshot)
        elif ev.kind == "idle_warning":
            self.idle_warning.emit(int(ev.minutes_left or 0), ev.snapshot)
        elif ev.kind == "ended":
            self.ended.emit(ev.snapshot)

    def _tick(self) -> None:
        none_guard.top_up()  # every second, whatever the state: see ui/none_guard.py
        if self.machine is None:
            return
        try:
            self.machine.tick()
        except Exception:  # a bug in one tick must not stop the clock
            log.exception("session tick failed")

    def snapshot(self) -> Snapshot | None:
        """The core's Snapshot, or None while the services are still loading."""
        return self.machine.snapshot() if self.machine is not None else None

    def phase(self) -> Phase | None:
        return self.machine.snapshot().phase if self.machine is not None else None

    def touch(self) -> None:
        if self.machine is not None:
            self.machine.touch()

    # ----- profiles ------------------------------------------------------------------------
    def profiles(self) -> list[SessionProfile]:
        if self.services is None:
            return []
        try:
            return list(self.services.profiles_for_ui())
        except Exception as exc:
            log.warning("profiles unavailable: %s", exc)
            return []

    def _pick_initial_profile(self) -> None:
        ids = [p.id for p in self.profiles()]
        active = None
        try:
            active = self.services.active_profile_id() if self.services is not None else None
        except Exception:
            active = None
        self._active_id = active if active in ids else (ids[0] if ids else None)

    def active_id(self) -> str | None:
        return self._active_id

    def active_profile(self) -> SessionProfile | None:
        if self._active_id is None or self.services is None:
            return None
        try:
            return self.services.session_profile(self._active_id)
        except Exception:
            return None

    def set_active(self, profile_id: str) -> None:
        if profile_id == self._active_id:
            return
        self._active_id = profile_id
        try:
            if self.services is not None:
                self.services.use_profile(profile_id)
        except Exception as exc:  # a demo profile may live outside the store
            log.debug("could not persist the active profile: %s", exc)
        self.active_changed.emit(profile_id)

    def reload_profiles(self) -> None:
        reload = getattr(self.services, "reload_profiles", None)
        if callable(reload):
            reload()
        self._pick_initial_profile()
        self.profiles_changed.emit()

    def is_busy_with(self, profile_id: str) -> bool:
        snap = self.snapshot()
        return bool(snap is not None and snap.phase.busy and snap.profile_id == profile_id)

    def current_establishment(self) -> str:
        p = self.active_profile()
        return p.establishment if p else ""

    def is_browser_mode(self) -> bool:
        p = self.active_profile()
        if p is None:
            return False
        from denshi_client.session.model import SessionMode

        return p.mode is SessionMode.BROWSER

    def settings_changed(self) -> None:
        if self.services is None:
            return
        apply = getattr(self.services, "apply_settings", None)
        if callable(apply):
            apply()

    # ----- the visit (blocking: call through run_in_background) -------------------------------
    def start(self, profile_id: str, *, request_otp: bool = True) -> None:
        services, machine = self._core()
        machine.start(services.session_profile(profile_id), request_otp=request_otp)

    def submit_otp(self, otp: str | None) -> None:
        self._core()[1].submit_otp(otp)

    def retry_otp(self, otp: str) -> None:
        self._core()[1].retry_otp(otp)

    def end(self, cause: EndCause) -> None:
        self._core()[1].end(cause)

    def end_async(self, cause: EndCause, on_done: Callable[[Any], None] | None = None) -> None:
        from denshi_client.ui.worker import run_in_background

        machine = self._core()[1]
        run_in_background(lambda: machine.end(cause), on_done, on_done)

    def end_bounded(self, cause: EndCause, timeout: float) -> bool:
        """Quit, log-off and shutdown paths: the event loop may not run again, so wait here, bounded."""
        from denshi_client.ui.worker import run_bounded

        machine = self._core()[1]
        return run_bounded(lambda: machine.end(cause, wait_s=timeout), timeout)

    def demo_otp(self) -> str | None:
        if self.demo is None:
            return None
        try:
            return self.demo.demo_otp()
        except Exception:
            return None

    # ----- recovery -------------------------------------------------------------------------
    def recovery_check(self) -> list[Leftover]:
        return self._core()[0].recovery_check()

    def recover(self) -> RecoveryReport:
        return self._core()[0].recover()

    # ----- transfers ------------------------------------------------------------------------
    def can_transfer(self) -> bool:
        snap = self.snapshot()
        if snap is None:
            return False
        from denshi_client.session.model import Phase

        return snap.phase is Phase.READY

    def transfer_refusal(self, size: int) -> str:
        """Why a transfer of `size` bytes must not start now ("" = it may)."""
        from denshi_client import i18n

        if not self.can_transfer():
            return self.tr("接続していないため送受信できません。先に「接続」してください。")
        verdict = self._core()[1].check_transfer(size)
        if verdict.ok:
            return ""
        return i18n.pick(verdict.reason_ja, verdict.reason_en)

    def new_cancel_token(self) -> CancelToken:
        from denshi_client.portal.model import CancelToken

        return CancelToken()

    def _profile(self) -> SessionProfile:
        return self._core()[0].session_profile(self._active_id or "")

    def inbox(self) -> list[InboxDocument]:
        return list(self._core()[0].transfers.inbox())

    def download(self, docs: list[InboxDocument], progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None, *, only_new: bool = False) -> list[FiledDocument]:
        """Downloaded, verified, decrypted and filed by the core (`only_new`: the unsaved ones only)."""
        return list(self._core()[0].transfers.download(self._profile(), docs, progress=progress, cancel=cancel,
                                                       only_new=only_new))

    def saved_files(self, docs: list[InboxDocument]) -> dict[str, list[Path] | None]:
        """doc id -> where it was filed ([] = saved, since moved), None = not saved (worker thread)."""
        t = self._core()[0].transfers
        return {d.id: t.saved(d) for d in docs}

    def filed_paths(self, sha256: str) -> list[Path] | None:
        """Where the received ZIP with this digest was filed, when all its files are still there (else None)."""
        if self.services is None or not sha256:
            return None
        seen = self.services.transfers.queue.filed(sha256)
        return [Path(p) for p in seen] if seen is not None else None

    def held_documents(self) -> list[QueueItem]:
        """ZIPs of the active establishment waiting for the right password (no visit needed)."""
        if self.services is None or self._active_id is None:
            return []
        return list(self.services.transfers.held(self._active_id))

    def open_held(self, item: QueueItem, password: str, remember: bool) -> FiledDocument:
        """Offline: open a held ZIP with the typed password and file it (worker thread)."""
        return self._core()[0].transfers.open_held(self._profile(), item, password, remember=remember)

    def transfer_notices(self) -> list[Notice]:
        """Named lines about the active establishment's unfinished documents."""
        if self.services is None or self._active_id is None:
            return []
        names = {p.establishment: p.name for p in self.profiles()}
        return list(self.services.transfers.notices(self._active_id, names))

    def upload_form_names(self) -> list[str]:
        try:
            from denshi_client.documents.forms import load_forms

            return load_forms().upload_names()
        except Exception as exc:
            log.warning("form list unavailable: %s", exc)
            return []

    def check_pdf(self, path: Path) -> tuple[bool, str]:
        from denshi_client.documents.pdfcheck import check_pdf

        res = check_pdf(path)
        if res.errors:
            return False, " ".join(f.message() for f in res.errors)
        parts = []
        if res.pages:
            parts.append(self.tr("%1ページ").replace("%1", str(res.pages)))
        if res.version:
            parts.append(f"PDF {res.version}")
        text = self.tr("問題ありません") + (f"（{'、'.join(parts)}）" if parts else "")
        if res.warnings:
            text += " ⚠ " + " ".join(f.message() for f in res.warnings)
        return True, text

    def prepare(self, source: Path, form: str, filing_date: date | str | None) -> QueueItem:
        """A named, checked, password-zipped copy; in browser mode it is placed in the
        upload-ready folder. The source file is never touched. No date: the core says it is missing."""
        return self._core()[0].transfers.prepare_upload(self._profile(), source, form_name=form,
                                                        filing_date=filing_date if filing_date is not None else "")

    def upload_prepared(self, item: QueueItem, progress: ProgressFn | None = None,
                        cancel: CancelToken | None = None) -> UploadResult:
        """Direct mode: send a prepared item (a retry reuses its client id)."""
        return self._core()[0].transfers.upload(self._profile(), item, progress=progress, cancel=cancel)

    def upload_ready_dir(self) -> Path | None:
        """The active profile's folder (`services.to_session_profile` fills it from the settings)."""
        p = self.active_profile()
        return Path(p.upload_folder) if p is not None and p.upload_folder else None

    def documents_dir(self) -> Path | None:
        """The active profile's documents folder, else the settings' root (both decided by services)."""
        p = self.active_profile()
        if p is not None and p.documents_folder:
            return Path(p.documents_folder)
        try:
            return self.services.documents_root() if self.services is not None else None
        except Exception:
            return None

    def open_service_page(self) -> None:
        if self.machine is not None and not self.machine.open_auth_page():
            p = self.active_profile()
            if p is not None and p.auth_url:
                from PySide6.QtCore import QUrl
                from PySide6.QtGui import QDesktopServices

                QDesktopServices.openUrl(QUrl(p.auth_url))

    def pending_transfers(self) -> list[QueueItem]:
        """Transfers an earlier run left unfinished, for the active establishment (core's queue)."""
        if self.services is None or self._active_id is None:
            return []
        return list(self.services.transfers.pending(self._active_id))

    # ----- history --------------------------------------------------------------------------
    def history(self) -> History | None:
        return self.services.history if self.services is not None else None

    def today(self) -> date:
        """Today in Japan by the core's clock (a fake one in tests and the demo); the PC's date before it loads."""
        if self.machine is None:
            return date.today()
        from denshi_client.clock import JST

        return self.machine.clock.now().astimezone(JST).date()

    def sent_today(self, establishment: str, file_name: str) -> HistoryRecord | None:
        """The send of this exact name for the establishment today, if there was one (the history decides)."""
        h = self.history()
        return h.sent_today(establishment, file_name) if h is not None else None

    def close(self) -> None:
        self.timer.stop()
        if self.machine is None:
            return
        self.machine.remove_listener(self._listener)
        browser = getattr(self.services, "browser", None)
        if browser is not None:
            browser.remove_listener(self._browser_listener)
