"""Transfers during a visit: inbox → filed PDFs, outbox → uploaded password ZIPs, with history.

Why this layer and not the portal client alone: a transfer here is a whole business
step — refuse what cannot finish before the session ends, record it in the history
*before* it starts (so a crash leaves a visible 'pending' row), keep a small queue
on disk so an interrupted download or upload is listed and resumed on the next
start (an upload keeps its client id, so the retry is idempotent on the service),
decrypt with the profile's stored ZIP password and file the PDFs into the
establishment's folder tree. Source PDFs are never modified: they are copied.

Folder tree (`documents_folder` is `<documents_root>/<establishment 4 digits>` by default):

    <documents_folder>/受信/<YYYY>/<YYYYMM>/<PDFs from the fund>
    <documents_folder>/送信/<YYYY>/<YYYYMM>/<PDFs we sent, under their upload names>

Received documents go by the document's date (from the inbox; the arrival date in
browser mode), sent ones by the day they were sent.

The parts: `transfer_model.py` (folder names, protocols, results), `transfer_queue.py` (the queue on
disk), `transfer_base.py` (shared helpers), `filing.py` (filing and held ZIPs), `downloads.py` (the
inbox and downloads) and `uploads.py` (the outbox); callers import the names from here.
"""

from __future__ import annotations

import shutil

from denshi_client.hashing import sha256_file
from denshi_client.portal.model import CancelToken, ProgressCallback
from denshi_client.session.downloads import _Downloads
from denshi_client.session.model import SessionProfile
from denshi_client.session.transfer_model import (
    HOLD_CODES,
    HOLDING_DIR,
    RECEIVED_DIR,
    SENT_DIR,
    FiledDocument,
    HistoryLog,
    Notice,
    SecretSource,
    SessionGate,
    UploadResult,
    _doc_from_dict,
    filing_folder,
    holding_folder,
    login_lost_error,
)
from denshi_client.session.transfer_queue import FILED_INDEX_LIMIT, QueueItem, TransferQueue, TransferState
from denshi_client.session.uploads import _Uploads

__all__ = [
    "FILED_INDEX_LIMIT", "HOLDING_DIR", "HOLD_CODES", "RECEIVED_DIR", "SENT_DIR", "FiledDocument", "HistoryLog",
    "Notice", "QueueItem", "SecretSource", "SessionGate", "TransferQueue", "TransferState", "Transfers",
    "UploadResult", "filing_folder", "holding_folder", "login_lost_error", "sha256_file",
]


class Transfers(_Downloads, _Uploads):
    """Blocking; run on a worker thread. Progress via `progress(done, total)`, stop via CancelToken."""

    # ----- after a crash / cut --------------------------------------------------------------------
    def pending(self, profile_id: str | None = None) -> list[QueueItem]:
        """Unfinished transfers for the UI to list at start (and offer to resume)."""
        return [i for i in self.queue.items(profile_id) if i.resumable]

    def resume(self, profile: SessionProfile, item: QueueItem, *, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> UploadResult | FiledDocument:
        if item.kind == "upload":
            return self.upload(profile, item, progress=progress, cancel=cancel)
        doc = _doc_from_dict(item.doc)
        self._portal()
        if self.gate is not None:
            self.gate.require_transfer(doc.size)
        return self._download_one(profile, doc, item, progress, cancel, 0, doc.size)

    def discard(self, item: QueueItem) -> None:
        """The user gives up on an item: forget it (and our working copy, never the source)."""
        self.queue.remove(item.id)
        work = self.cache_dir / "outbox" / item.id
        if work.is_dir():
            shutil.rmtree(work, ignore_errors=True)
