"""What every transfer step uses: the gate to the visit, history rows, the ZIP password, the clock
and which profile a document belongs to."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from denshi_client.clock import JST, Clock
from denshi_client.documents import archive, winnames
from denshi_client.errors import DenshiError, SessionError
from denshi_client.portal.errors import SessionExpired
from denshi_client.portal.model import CancelToken, PortalClient
from denshi_client.session.model import SessionProfile
from denshi_client.session.transfer_model import (
    HistoryLog,
    SecretSource,
    SessionGate,
    _mode,
    filing_folder,
    login_lost_error,
)
from denshi_client.session.transfer_queue import QueueItem, TransferQueue, TransferState
from denshi_client.store.history import bilingual
from denshi_client.store.secrets import ZIP_PASSWORD as ZIP_PASSWORD_KIND

log = logging.getLogger(__name__)


T = TypeVar("T")


class _TransfersBase:
    """Blocking; run on a worker thread. Progress via `progress(done, total)`, stop via CancelToken."""

    def __init__(self, *, gate: SessionGate | None, secrets: SecretSource, history: HistoryLog | None,
                 queue: TransferQueue, cache_dir: Path, clock: Clock,
                 zip_format: archive.ZipFormat = archive.ZipFormat.AES256, documents_root: Path | None = None,
                 profile_for_establishment: Callable[[str], SessionProfile | None] | None = None) -> None:
        """`profile_for_establishment`: one login may see several establishments (複数事業所管理);
        their documents go to their own folder, opened with their own ZIP password."""
        self.profile_for_establishment = profile_for_establishment
        self.gate = gate
        self.secrets = secrets
        self.history = history
        self.queue = queue
        self.cache_dir = cache_dir
        self.clock = clock
        self.zip_format = zip_format
        self.documents_root = documents_root

    # ----- helpers -----------------------------------------------------------------------
    def _portal(self) -> PortalClient:
        portal = self.gate.portal if self.gate is not None else None
        if portal is None:
            raise SessionError("電子連携サービスにログインしていないため、送受信できません。先に接続してください。",
                               "Not logged in to the service: connect first.", code="not_ready")
        return portal

    def _login_lost(self, portal: PortalClient) -> None:
        """The service refused the login (restarted, or dropped the token early): end the visit.

        Called after the transfer is recorded as interrupted, so nothing is lost. A new login needs
        a new OTP by e-mail, which does not work while the VPN is up, so the visit cannot go on.
        """
        if self.gate is not None:
            self.gate.login_lost(portal)

    def _transfer(self, item: QueueItem, portal: PortalClient, size: int, cancel: CancelToken,
                  call: Callable[[], T]) -> T:
        """One download or upload while the session knows a transfer runs (an end waits for it or cancels it).
        A refused login or any other error leaves the item interrupted in the queue before it is raised, so
        the next visit resumes it (a download keeps its .part, an upload its client id: never sent twice);
        a finished one feeds the session's throughput figure."""
        t0 = time.monotonic()
        try:
            with self.gate.busy(cancel) if self.gate is not None else contextlib.nullcontext():
                result = call()
        except SessionExpired as e:
            err = login_lost_error()
            self._interrupted(item, err)
            self._login_lost(portal)
            raise err from e
        except DenshiError as e:
            self._interrupted(item, e)
            raise
        if self.gate is not None:
            self.gate.record_throughput(size, time.monotonic() - t0)
        return result

    def _hist_start(self, profile: SessionProfile, direction: str, file_name: str, **kw: Any) -> int | None:
        if self.history is None:
            return None
        try:
            return self.history.start(establishment=profile.establishment, profile_id=profile.id,
                                      direction=direction, file_name=file_name, mode=_mode(profile), **kw)
        except DenshiError as e:  # a history problem must not lose the document itself
            log.error("history start failed: %s", e.en)
            return None

    def _hist_finish(self, hid: int | None, result: str, **kw: Any) -> None:
        if self.history is None or hid is None:
            return
        try:
            self.history.finish(hid, result, **kw)
        except DenshiError as e:
            log.error("history finish failed: %s", e.en)

    def _interrupted(self, item: QueueItem, e: DenshiError) -> None:
        cancelled = e.code == "cancelled"
        item.state = TransferState.CANCELLED if cancelled else TransferState.INTERRUPTED
        item.error_ja, item.error_en = e.ja, e.en
        self._hist_finish(item.history_id, "cancelled" if cancelled else "failed", detail=bilingual(e.ja, e.en))
        item.history_id = None
        self.queue.put(item)

    def _zip_password(self, profile: SessionProfile) -> str:
        return self.secrets.require(profile.id, ZIP_PASSWORD_KIND)

    def _today(self) -> date:
        return self.clock.now().astimezone(JST).date()

    def _now_iso(self) -> str:
        return self.clock.now().isoformat()

    def folder_for(self, profile: SessionProfile, direction: str, when: date) -> Path:
        return filing_folder(profile, direction, when, root=self.documents_root)

    def owner_of(self, profile: SessionProfile, establishment: str) -> SessionProfile:
        """The profile whose folder and ZIP password a document of `establishment` belongs to."""
        if not establishment or establishment == profile.establishment:
            return profile
        other = self.profile_for_establishment(establishment) if self.profile_for_establishment else None
        if other is not None:
            return other
        # No profile of its own: a sibling folder, and (same login) this profile's password. The number
        # comes from the server: as a folder name it passes the Windows file-name policy first.
        folder_name = winnames.safe_component(establishment)
        base = Path(profile.documents_folder) if profile.documents_folder else None
        if base is not None and base.name == profile.establishment:
            base = base.parent / folder_name
        elif base is not None:
            base = base / folder_name
        return replace(profile, establishment=establishment, documents_folder=str(base) if base else "")

