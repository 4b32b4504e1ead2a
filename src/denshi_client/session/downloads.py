"""The inbox and downloads (direct mode): each document queued before it starts, fetched, filed."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence

from denshi_client.errors import DenshiError
from denshi_client.portal.errors import SessionExpired
from denshi_client.portal.model import CancelToken, InboxDocument, ProgressCallback
from denshi_client.session.filing import _Filing
from denshi_client.session.model import SessionProfile
from denshi_client.session.transfer_model import (
    HOLD_CODES,
    FiledDocument,
    _doc_to_dict,
    login_lost_error,
)
from denshi_client.session.transfer_queue import QueueItem, TransferState

log = logging.getLogger(__name__)


class _Downloads(_Filing):
    """The inbox list and downloads, each recorded and queued first so a cut resumes."""

    def inbox(self) -> list[InboxDocument]:
        portal = self._portal()
        try:
            return portal.inbox()
        except SessionExpired as e:
            self._login_lost(portal)
            raise login_lost_error() from e

    def download(self, profile: SessionProfile, docs: Sequence[InboxDocument], *,
                 progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                 only_new: bool = False) -> list[FiledDocument]:
        """Download, verify, decrypt, file, mark read — one document after the other.

        `only_new`: skip documents already saved (the default of the inbox's main button; one
        chosen on purpose is fetched again, and still not filed twice). `progress(done, total)`
        covers all documents' bytes. The first failure stops the rest and is raised; what was
        filed before stays filed, the failed one stays queued for resume (or held, see `hold`).
        """
        self._portal()
        if only_new:
            docs = self.unsaved(docs)
        total = sum(d.size for d in docs)
        if self.gate is not None:
            self.gate.require_transfer(total)
        out: list[FiledDocument] = []
        done_before = 0
        for doc in docs:
            item = self._queue_download(profile, doc)
            filed = self._download_one(profile, doc, item, progress, cancel, done_before, total)
            out.append(filed)
            done_before += doc.size
        return out

    def _queue_download(self, profile: SessionProfile, doc: InboxDocument) -> QueueItem:
        item_id = f"dl-{profile.id}-{doc.id}"
        item = self.queue.get(item_id) or QueueItem(
            id=item_id, kind="download", profile_id=profile.id, establishment=profile.establishment,
            file_name=doc.file_name, created_at=self._now_iso(), size=doc.size, sha256=doc.sha256,
            doc=_doc_to_dict(doc))
        self.queue.put(item)
        return item

    def _download_one(self, profile: SessionProfile, doc: InboxDocument, item: QueueItem,
                      progress: ProgressCallback | None, cancel: CancelToken | None, offset: int,
                      total: int) -> FiledDocument:
        portal = self._portal()
        cache = self.cache_dir / "downloads" / profile.id
        if item.history_id is None:
            item.history_id = self._hist_start(self.owner_of(profile, doc.establishment), "receive", doc.file_name,
                                               size=doc.size, sha256=doc.sha256, detail=doc.title)
        item.state, item.attempts = TransferState.RUNNING, item.attempts + 1
        self.queue.put(item)

        def prog(done: int, _tot: int) -> None:
            if progress is not None:
                progress(offset + done, total)

        token = cancel or CancelToken()  # an end of the session cancels it: the download, then the filing
        path = self._transfer(item, portal, doc.size, token,
                              lambda: portal.download(doc, cache, progress=prog, cancel=token))
        try:
            filed = self.file_zip(profile, path, doc=doc, cancel=token, history_id=item.history_id)
        except DenshiError as e:
            if e.code in HOLD_CODES and not path.exists():  # held: listed as such, opened offline
                self.queue.remove(item.id)
                raise
            item.state = TransferState.CANCELLED if e.code == "cancelled" else TransferState.FAILED
            item.error_ja, item.error_en = e.ja, e.en
            item.history_id = None  # the history row is closed; a retry opens a new one
            self.queue.put(item)
            raise
        mark = getattr(portal, "mark_read", None)
        lost = False
        if callable(mark):
            try:
                mark(doc)
            except DenshiError as e:  # filed is what matters; the mark comes again next time
                log.warning("could not mark %s read: %s", doc.id, e.en)
                lost = isinstance(e, SessionExpired)
        with contextlib.suppress(OSError):
            path.unlink()  # the PDFs are filed; the ZIP can be fetched again
        self.queue.remove(item.id)
        if lost:
            self._login_lost(portal)
        return filed
