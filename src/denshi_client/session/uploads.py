"""The outbox: a PDF renamed and packed into a password ZIP (kept upload-ready in browser mode), sent
with its client id, and a copy filed under 送信."""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

from denshi_client.documents import archive, naming, pdfcheck
from denshi_client.errors import DenshiError, SessionError, StoreError, ValidationError
from denshi_client.hashing import sha256_file
from denshi_client.portal.model import CancelToken, ProgressCallback
from denshi_client.session.model import SessionMode, SessionProfile
from denshi_client.session.transfer_base import _TransfersBase
from denshi_client.session.transfer_model import (
    UploadResult,
)
from denshi_client.session.transfer_queue import QueueItem, TransferState
from denshi_client.store.history import bilingual

log = logging.getLogger(__name__)


class _Uploads(_TransfersBase):
    """Prepare, send and file a copy of one upload."""

    def prepare_upload(self, profile: SessionProfile, source: Path, *, form_name: str, filing_date: date | str,
                       strict_forms: bool = False) -> QueueItem:
        """Copy, name, check and pack one PDF; queue it with its client id. The source is untouched."""
        source = Path(source)
        if not source.is_file():
            raise ValidationError(f"ファイル「{source.name}」が見つかりません。",
                                  f"File '{source.name}' was not found.", code="not_found")
        name = naming.compose(filing_date, profile.establishment, form_name, strict_forms=strict_forms)
        check = pdfcheck.check_pdf(source)
        if not check.ok:
            first = check.errors[0]
            raise ValidationError(f"「{source.name}」はPDFとして送信できません：{first.ja}",
                                  f"'{source.name}' cannot be sent as a PDF: {first.en}", code=f"pdf_{first.code}")
        cid = uuid.uuid4().hex
        work = self.cache_dir / "outbox" / cid
        pdf = work / name
        zip_path = work / (Path(name).stem + ".zip")
        try:
            work.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, pdf)  # a copy: the user's file is never renamed or changed
            packed = archive.pack([pdf], zip_path, self._zip_password(profile), fmt=self.zip_format,
                                  arcnames=[name])
        except (OSError, DenshiError) as e:
            shutil.rmtree(work, ignore_errors=True)  # nothing half-made stays on a full disk
            if isinstance(e, DenshiError):
                raise
            raise StoreError(f"送信の準備ができませんでした（{e.strerror or type(e).__name__}）。"
                             "作業フォルダーの空き容量と権限をご確認ください。元のファイルは変更していません。",
                             f"Could not prepare the upload ({e.strerror or type(e).__name__}). Please check free "
                             "space and permissions of the work folder. The original file was not changed.",
                             code="disk_full" if getattr(e, "errno", None) == 28 else "prepare_failed") from None
        item = QueueItem(id=cid, kind="upload", profile_id=profile.id, establishment=profile.establishment,
                         file_name=name, created_at=self._now_iso(), form_name=form_name,
                         filing_date=str(naming.parse_date(filing_date)), source=str(source), pdf=str(pdf),
                         zip_path=str(zip_path), size=packed.size, sha256=packed.sha256)
        if profile.mode is SessionMode.BROWSER:
            return self._place_upload_ready(profile, item)  # the browser sends it: nothing to queue
        self.queue.put(item)
        return item

    def _place_upload_ready(self, profile: SessionProfile, item: QueueItem) -> QueueItem:
        """Browser mode: the ZIP goes to the upload-ready folder; the user picks it in the browser."""
        folder = Path(profile.upload_folder) if profile.upload_folder else self.cache_dir / "upload-ready" / profile.id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(item.zip_path).name
        n = 2
        while target.exists() and sha256_file(target) != item.sha256:
            target = folder / f"{Path(item.zip_path).stem} ({n}).zip"
            n += 1
        shutil.copyfile(item.zip_path, target)
        hid = self._hist_start(profile, "send", item.file_name, original_name=Path(item.source).name, size=item.size,
                               sha256=item.sha256, detail=f"upload-ready: {target}")
        self._hist_finish(hid, "ok", detail=bilingual(f"送信準備フォルダーに作成: {target}", f"prepared in {target}"))
        return replace(item, zip_path=str(target), state=TransferState.PREPARED)

    def upload(self, profile: SessionProfile, item: QueueItem, *, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> UploadResult:
        """Send a queued item (direct mode); a retry reuses the item's client id."""
        portal = self._portal()
        zip_path = Path(item.zip_path)
        if not zip_path.is_file():
            raise StoreError("送信用のZIPファイルが見つかりません。もう一度、送信の準備からやり直してください。",
                             "The ZIP to send is missing. Please prepare the upload again.", code="upload_missing")
        if self.gate is not None:
            self.gate.require_transfer(item.size)
        if item.history_id is None:
            item.history_id = self._hist_start(profile, "send", item.file_name, original_name=Path(item.source).name,
                                               size=item.size, sha256=item.sha256, detail=item.form_name)
        item.state, item.attempts = TransferState.RUNNING, item.attempts + 1
        self.queue.put(item)
        token = cancel or CancelToken()  # so that an end of the session can stop it cleanly
        receipt = self._transfer(item, portal, item.size, token, lambda: portal.upload(
            zip_path, form_name=item.form_name, establishment=item.establishment, client_id=item.id,
            progress=progress, cancel=token, sha256=item.sha256 or None))  # sha256 known from packing: one pass
        if receipt.received_size != item.size or receipt.sha256 != item.sha256 or receipt.client_id != item.id:
            err = SessionError("送信の受領内容が送ったファイルと一致しません。もう一度送信してください。",
                               "The receipt does not match the file sent. Please send it again.",
                               code="receipt_mismatch")
            self._interrupted(item, err)
            raise err
        self._hist_finish(item.history_id, "ok", server_id=receipt.server_id,
                          receipt=json.dumps({"server_id": receipt.server_id, "client_id": receipt.client_id,
                                              "received_at": receipt.received_at.isoformat(),
                                              "size": receipt.received_size, "sha256": receipt.sha256},
                                             ensure_ascii=False))
        copy = self._file_sent_copy(profile, item)
        self.queue.remove(item.id)
        if zip_path.parent.parent == self.cache_dir / "outbox":  # our working copy, not a user folder
            shutil.rmtree(zip_path.parent, ignore_errors=True)
        return UploadResult(replace(item, state=TransferState.DONE, server_id=receipt.server_id), receipt, copy)

    def _file_sent_copy(self, profile: SessionProfile, item: QueueItem) -> Path | None:
        pdf = Path(item.pdf)
        if not pdf.is_file():
            return None
        folder = self.folder_for(profile, "send", self._today())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / pdf.name
            n = 2
            while target.exists():
                target = folder / f"{pdf.stem} ({n}){pdf.suffix}"
                n += 1
            shutil.copyfile(pdf, target)
            return target
        except OSError as e:
            log.warning("could not keep a copy of the sent file: %s", e)
            return None

