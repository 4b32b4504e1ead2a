"""The only place the UI meets the core: `AppServices` in, Qt signals out.

Listeners of the session machine are called on worker, tick or VPN-monitor threads; the
bridge re-emits each event as a signal of a QObject living on the GUI thread, so every
slot runs on the GUI thread. Blocking core calls are handed to `worker.run_in_background`
by the views; this class only adapts names and holds the active establishment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)


def settings_language() -> str | None:
    """The user's language setting before any window exists (a broken file → None)."""
    from denshi_client.store.settings import load_effective_settings

    return load_effective_settings().ui.language


class SessionBridge(QObject):
    event = Signal(object)            # SessionEvent, on the GUI thread
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

    def __init__(self, services: Any = None, *, demo: Any = None, tick_ms: int = 1000,
                 parent: QObject | None = None) -> None:
        """Without `services` the window can paint at once; `attach()` brings the core in later."""
        super().__init__(parent)
        self.services: Any = None
        self.demo = demo
        self.machine: Any = None
        self._active_id: str | None = None
        self._from_core.connect(self._dispatch)
        self._from_browser.connect(self.browser_event)
        self.timer = QTimer(self)
        self.timer.setObjectName("sessionTick")
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)
        if services is not None:
            self.attach(services, demo)

    def attach(self, services: Any, demo: Any = None) -> None:
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

    # ----- events --------------------------------------------------------------------------
    def _listener(self, ev: Any) -> None:  # any thread: no widget access, only a signal
        self._from_core.emit(ev)

    def _browser_listener(self, ev: Any) -> None:  # worker/tick thread
        self._from_browser.emit(ev)

    @Slot(object)
    def _dispatch(self, ev: Any) -> None:
        self.event.emit(ev)
        self.snapshot_changed.emit(ev.snapshot)
        if ev.kind == "warning":
            self.warning.emit(int(ev.minutes_left or 0), ev.snapshot)
        elif ev.kind == "idle_warning":
            self.idle_warning.emit(int(ev.minutes_left or 0), ev.snapshot)
        elif ev.kind == "ended":
            self.ended.emit(ev.snapshot)

    def _tick(self) -> None:
        if self.machine is None:
            return
        try:
            self.machine.tick()
        except Exception:  # a bug in one tick must not stop the clock
            log.exception("session tick failed")

    def snapshot(self) -> Any:
        """The core's Snapshot, or None while the services are still loading."""
        return self.machine.snapshot() if self.machine is not None else None

    def phase(self) -> Any:
        return self.machine.snapshot().phase if self.machine is not None else None

    def touch(self) -> None:
        if self.machine is not None:
            self.machine.touch()

    # ----- profiles ------------------------------------------------------------------------
    def profiles(self) -> list[Any]:
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
            from denshi_client.store.profiles import ProfileStore

            active = ProfileStore().active_id()
        except Exception:
            active = None
        self._active_id = active if active in ids else (ids[0] if ids else None)

    def active_id(self) -> str | None:
        return self._active_id

    def active_profile(self) -> Any:
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
            from denshi_client.store.profiles import ProfileStore

            ProfileStore().use(profile_id)
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
        return getattr(p, "establishment", "") if p else ""

    def is_browser_mode(self) -> bool:
        p = self.active_profile()
        if p is None:
            return False
        from denshi_client.session.model import SessionMode

        return bool(p is not None and p.mode is SessionMode.BROWSER)

    def settings_changed(self) -> None:
        if self.services is None:
            return
        apply = getattr(self.services, "apply_settings", None)
        if callable(apply):
            apply()

    # ----- the visit (blocking: call through run_in_background) -------------------------------
    def start(self, profile_id: str, *, request_otp: bool = True) -> None:
        self.machine.start(self.services.session_profile(profile_id), request_otp=request_otp)

    def submit_otp(self, otp: str | None) -> None:
        self.machine.submit_otp(otp)

    def end(self, cause: Any) -> None:
        self.machine.end(cause)

    def end_async(self, cause: Any, on_done: Callable[[Any], None] | None = None) -> None:
        from denshi_client.ui.worker import run_in_background

        run_in_background(lambda: self.machine.end(cause), on_done, on_done)

    def end_bounded(self, cause: Any, timeout: float) -> bool:
        """Quit, log-off and shutdown paths: the event loop may not run again, so wait here, bounded."""
        from denshi_client.ui.worker import run_bounded

        return run_bounded(lambda: self.machine.end(cause, wait_s=timeout), timeout)

    def demo_otp(self) -> str | None:
        if self.demo is None:
            return None
        try:
            return self.demo.demo_otp()
        except Exception:
            return None

    # ----- recovery -------------------------------------------------------------------------
    def recovery_check(self) -> Any:
        return self.services.recovery_check()

    def recover(self) -> Any:
        return self.services.recover()

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
        verdict = self.machine.check_transfer(size)
        if verdict.ok:
            return ""
        return i18n.pick(verdict.reason_ja, verdict.reason_en)

    def new_cancel_token(self) -> Any:
        from denshi_client.portal.model import CancelToken

        return CancelToken()

    def _profile(self) -> Any:
        return self.services.session_profile(self._active_id)

    def inbox(self) -> list[Any]:
        return list(self.services.transfers.inbox())

    def download(self, docs: list[Any], progress: Any = None, cancel: Any = None) -> list[Any]:
        """→ [FiledDocument]: downloaded, verified, decrypted and filed by the core."""
        return list(self.services.transfers.download(self._profile(), docs, progress=progress, cancel=cancel))

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

    def prepare(self, source: Path, form: str, filing_date: Any) -> Any:
        """A named, checked, password-zipped copy (QueueItem); in browser mode it is placed in the
        upload-ready folder. The source file is never touched."""
        return self.services.transfers.prepare_upload(self._profile(), source, form_name=form,
                                                      filing_date=filing_date)

    def upload_prepared(self, item: Any, progress: Any = None, cancel: Any = None) -> Any:
        """Direct mode: send a prepared item (a retry reuses its client id) → UploadResult."""
        return self.services.transfers.upload(self._profile(), item, progress=progress, cancel=cancel)

    def upload_ready_dir(self) -> Path | None:
        p = self.active_profile()
        folder = getattr(p, "upload_folder", "") if p else ""
        if not folder and self._active_id:
            try:
                from denshi_client.store.profiles import ProfileStore

                prof = ProfileStore().find(self._active_id)
                folder = prof.upload_folder if prof else ""
            except Exception:
                folder = ""
        return Path(folder) if folder else None

    def documents_dir(self) -> Path | None:
        p = self.active_profile()
        if p is not None and getattr(p, "documents_folder", ""):
            return Path(p.documents_folder)
        try:
            from denshi_client.store.profiles import ProfileStore

            prof = ProfileStore().find(self._active_id or "")
            if prof and prof.documents_folder:
                return Path(prof.documents_folder)
        except Exception as exc:
            log.debug("profile folder unavailable: %s", exc)
        try:
            from denshi_client.store.settings import load_effective_settings

            return load_effective_settings().folders.documents_root_path()
        except Exception:
            return None

    def open_service_page(self) -> None:
        if self.machine is not None and not self.machine.open_auth_page():
            p = self.active_profile()
            if p is not None and p.auth_url:
                from PySide6.QtCore import QUrl
                from PySide6.QtGui import QDesktopServices

                QDesktopServices.openUrl(QUrl(p.auth_url))

    def pending_transfers(self) -> list[Any]:
        """Transfers an earlier run left unfinished, for the active establishment (core's queue)."""
        if self.services is None or self._active_id is None:
            return []
        return list(self.services.transfers.pending(self._active_id))

    # ----- history --------------------------------------------------------------------------
    def history(self) -> Any:
        return getattr(self.services, "history", None)

    def close(self) -> None:
        self.timer.stop()
        if self.machine is None:
            return
        self.machine.remove_listener(self._listener)
        browser = getattr(self.services, "browser", None)
        if browser is not None:
            browser.remove_listener(self._browser_listener)
