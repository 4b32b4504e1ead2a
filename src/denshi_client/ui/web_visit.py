"""Browser mode's page inside the app: when the visit opens the fund's authentication page, show it in an
embedded Chromium view (ui/web_page.py) instead of the system browser.

This module is imported with the main window and imports no Qt WebEngine: the engine (≈100 MB of
Chromium) loads on the first visit that needs it, never before the first paint. It routes the machine's
`open_url` (called when the VPN is up) to the embedded page; when the setting says no, or the engine
cannot start, the system browser opens the page as before. Filing, history and the VPN stay with the
core: downloads go to `BrowserMode.take_download`, logging out in the page ends the visit as 切断 does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from denshi_client.session import Phase, SessionMode
from denshi_client.session.model import EndCause

log = logging.getLogger(__name__)

MIN_CHROMIUM = 106  # the fund supports Chrome / Edge 106 or later


def browser_settings() -> Any:
    """The `browser.*` settings (defaults when the files cannot be read: the visit must not fail on them)."""
    from denshi_client.services import current_settings, default_settings

    try:
        return current_settings().browser
    except Exception:
        log.warning("browser settings unreadable; using the defaults", exc_info=True)
        return default_settings().browser


class WebVisit(QObject):
    """Owns the embedded page of a visit (created on demand, cleared and closed when the visit ends)."""

    opened = Signal(object)      # the EmbeddedPage widget, shown
    closed = Signal()
    fell_back = Signal(str)      # the engine could not start: the system browser was used (reason)
    _open_requested = Signal(str)  # any thread → GUI thread

    def __init__(self, bridge: Any, window: Any, *, settings: Callable[[], Any] = browser_settings) -> None:
        super().__init__(window)
        self.bridge = bridge
        self.window = window
        self.settings = settings
        self.page: Any = None  # EmbeddedPage while a visit shows it
        self._system_open: Callable[[str], object] | None = None
        self._installed_on: Any = None
        self._open_requested.connect(self._open)
        bridge.snapshot_changed.connect(self._on_snapshot)
        if bridge.ready:
            self.install()
        bridge.services_ready.connect(self.install)

    # ----- routing the machine's open_url ----------------------------------------------------------
    @Slot()
    def install(self) -> None:
        machine = getattr(self.bridge, "machine", None)
        if machine is None or machine is self._installed_on:
            return
        self._installed_on = machine
        self._system_open = machine.deps.open_url
        machine.deps.open_url = self._route

    def _route(self, url: str) -> object:
        """Called by the machine (a worker thread) once the VPN is up, or by 認証ページを開く."""
        machine = self._installed_on
        profile = machine.profile if machine is not None else None
        demo = getattr(self.bridge, "demo", None)
        if demo is not None and demo.simulates(url):
            return self._system(url)  # the demo browser's own pages: it plays the user in a browser
        in_visit = machine is not None and machine.phase in (Phase.LOGGING_IN, Phase.READY)
        if not in_visit:
            return self._system(url)  # the OTP request page, before the VPN: the page comes with the visit
        if profile is not None and profile.mode is SessionMode.BROWSER and self.wants_embedded():
            self._open_requested.emit(url)
            return True
        return self._system(url)

    def wants_embedded(self) -> bool:
        try:
            return bool(self.settings().embedded)
        except Exception:
            return True

    def _system(self, url: str) -> object:
        if self._system_open is not None:
            return self._system_open(url)
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(QUrl(url))

    # ----- the page ---------------------------------------------------------------------------------
    @Slot(str)
    def _open(self, url: str) -> None:
        machine = self._installed_on
        if machine is None or machine.phase not in (Phase.LOGGING_IN, Phase.READY):
            return  # the visit ended meanwhile
        if self.page is not None:
            self.page.load(url)
            self.window.show_web_page(self.page)
            return
        try:
            from denshi_client.ui import web_page

            version = web_page.chromium_version()
            if version.major < MIN_CHROMIUM:
                raise RuntimeError(f"Chromium {version.text} is older than {MIN_CHROMIUM}")
            s = self.settings()
            self.page = web_page.EmbeddedPage(self, machine.profile, otp=machine.browser_otp(),
                                              otp_selector=s.otp_selector, logout_pattern=s.logout_url_pattern,
                                              form_selector=s.form_selector,
                                              parent=None)
        except Exception as e:  # no engine (missing files, GPU/sandbox trouble): the system browser
            log.warning("the embedded page cannot start (%s); opening the system browser", e)
            self.page = None
            self.fell_back.emit(str(e))
            self._system(url)
            return
        self.page.logged_out.connect(self._on_logged_out)
        self.page.load(url)
        self.window.show_web_page(self.page)
        self.opened.emit(self.page)

    def downloaded(self, path: Any) -> None:
        """A finished download of the page: into the core's filing worker (decrypt, file, history)."""
        machine = self._installed_on
        services = getattr(self.bridge, "services", None)
        if machine is None or services is None or machine.profile is None:
            log.warning("a download finished outside a visit: left in %s", path)
            return
        services.browser.take_download(machine.profile, path)

    def record_page_uploads(self, profile: Any, paths: list[Path]) -> None:
        """Files picked for upload in the page, into the history (browser mode's core; none before the core)."""
        services = getattr(self.bridge, "services", None)
        if services is not None:
            services.browser.record_picked_uploads(profile, paths)

    @Slot()
    def _on_logged_out(self) -> None:
        log.info("logged out in the page: ending the visit")
        if self.bridge.phase() is Phase.READY:
            self.bridge.end_async(EndCause.USER)

    @Slot(object)
    def _on_snapshot(self, snap: Any) -> None:
        over = (Phase.ENDING, Phase.ENDED, Phase.FAILED, Phase.IDLE)
        if self.page is None or snap is None or snap.phase not in over:
            return
        machine = self._installed_on
        if machine is not None and machine.phase not in over:
            return  # a queued snapshot of the previous visit, arriving after this visit's page opened
        self.close()

    def close(self) -> None:
        page, self.page = self.page, None
        if page is None:
            return
        page.finish_visit()  # cookies and cache cleared, clipboard OTP removed
        self.window.hide_web_page(page)
        page.deleteLater()
        self.closed.emit()
