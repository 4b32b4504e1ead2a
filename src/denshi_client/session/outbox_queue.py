"""The send queue, prepared offline: named, PDF-checked and password-zipped before any VPN.

Why: while the VPN is up the PC has no internet and no e-mail, so everything that can be done
before connecting is done before connecting. A queued upload is an ordinary `QueueItem` of the
transfers' persistent queue (it survives restarts and keeps its client id, so a retry cannot
send it twice); this module adds the rules of *adding* to it:

- the fund names each upload `<filing date>_<establishment>_<form>.pdf`, so a second file with
  the same target name would overwrite or duplicate the first: refused when that name is already
  queued for the establishment, or was sent today according to the history;
- several files are checked together first and queued all or nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from denshi_client.clock import JST, Clock
from denshi_client.documents import naming, pdfcheck
from denshi_client.errors import ValidationError
from denshi_client.session.model import SessionProfile
from denshi_client.session.transfers import QueueItem, Transfers, TransferState
from denshi_client.store.secrets import ZIP_PASSWORD

log = logging.getLogger(__name__)

_OPEN = frozenset({TransferState.READY, TransferState.RUNNING, TransferState.INTERRUPTED,
                   TransferState.FAILED, TransferState.CANCELLED})


@dataclass(frozen=True)
class OutboxEntry:
    """One queued upload as `outbox list` and the main screen show it."""

    id: str
    profile_id: str
    establishment: str
    original_name: str
    target_name: str
    form_name: str
    filing_date: str
    state: str
    size: int
    zip_path: str
    created_at: str
    error_ja: str = ""
    error_en: str = ""

    @classmethod
    def of(cls, item: QueueItem) -> OutboxEntry:
        return cls(item.id, item.profile_id, item.establishment, Path(item.source).name if item.source else "",
                   item.file_name, item.form_name, item.filing_date, str(item.state), item.size, item.zip_path,
                   item.created_at, item.error_ja, item.error_en)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "profile_id": self.profile_id, "establishment": self.establishment,
                "original_name": self.original_name, "target_name": self.target_name, "form_name": self.form_name,
                "filing_date": self.filing_date, "state": self.state, "size": self.size, "zip_path": self.zip_path,
                "created_at": self.created_at, "error_ja": self.error_ja, "error_en": self.error_en}


class SendQueue:
    """Adding to, listing and removing from the per-establishment send queue (no network)."""

    def __init__(self, transfers: Transfers, history: Any, clock: Clock) -> None:
        self.transfers = transfers
        self.history = history
        self.clock = clock

    # ----- reading -------------------------------------------------------------------------
    def items(self, profile_ids: Iterable[str] | None = None) -> list[QueueItem]:
        """Queued uploads not yet sent, oldest first (optionally of some profiles only)."""
        wanted = set(profile_ids) if profile_ids is not None else None
        return [i for i in self.transfers.queue.items() if i.kind == "upload" and i.state in _OPEN
                and (wanted is None or i.profile_id in wanted)]

    def entries(self, profile_ids: Iterable[str] | None = None) -> list[OutboxEntry]:
        return [OutboxEntry.of(i) for i in self.items(profile_ids)]

    def total_size(self, profile_ids: Iterable[str] | None = None) -> int:
        return sum(i.size for i in self.items(profile_ids))

    # ----- the duplicate rule -----------------------------------------------------------------
    def _sent_today(self, establishment: str, name: str) -> bool:
        if self.history is None:
            return False
        from denshi_client.store.history import HistoryQuery

        today = self.clock.now().astimezone(JST).date()
        since = datetime.combine(today, time(0, 0), tzinfo=JST)
        rows = self.history.search(HistoryQuery(establishment=establishment, direction="send", result="ok",
                                                since=since, text=name, limit=None))
        return any(r.file_name == name for r in rows)

    def check_name(self, profile: SessionProfile, name: str, *, also: Sequence[str] = ()) -> None:
        """Refuse a target name already queued, already sent today, or given twice in one go."""
        est = profile.establishment
        if name in also or any(i.establishment == est and i.file_name == name for i in self.items()):
            raise ValidationError(
                f"「{name}」は送信待ちにすでにあります。同じ名前のファイルは一度に一つしか送れません。",
                f"“{name}” is already in the send queue. Only one file of that name can be sent.",
                code="already_queued",
                hint_ja="別の書類であれば届書名か提出日を見直してください。差し替える場合は、先に "
                        "`denshi-client outbox remove` で送信待ちから取り消してください。",
                hint_en="If it is a different document, check the form name or the filing date. To replace it, "
                        "remove the queued one first (`denshi-client outbox remove`).")
        if self._sent_today(est, name):
            raise ValidationError(
                f"「{name}」は本日すでに送信しています。同じ名前で二度送ることはできません。",
                f"“{name}” was already sent today. The same name cannot be sent twice.",
                code="already_sent",
                hint_ja="送信済みの内容は「送受信履歴」でご確認ください。訂正の届出は基金の指示に従ってください。",
                hint_en="See the send/receive history for what was sent. For a correction, follow the fund's "
                        "instructions.")

    # ----- changing -----------------------------------------------------------------------------
    def add(self, profile: SessionProfile, sources: Sequence[Path], *, form_name: str,
            filing_date: date | str, strict_forms: bool = False) -> list[QueueItem]:
        """Check every file first (PDF, name, duplicates, ZIP password), then prepare them all."""
        if not sources:
            raise ValidationError("送信するPDFファイルを指定してください。", "Name at least one PDF file to send.",
                                  code="no_files")
        name = naming.compose(filing_date, profile.establishment, form_name, strict_forms=strict_forms)
        planned: list[str] = []
        for src in sources:
            src = Path(src)
            if not src.is_file():
                raise ValidationError(f"ファイル「{src.name}」が見つかりません。", f"File '{src.name}' was not found.",
                                      code="not_found")
            check = pdfcheck.check_pdf(src)
            if not check.ok:
                first = check.errors[0]
                raise ValidationError(f"「{src.name}」はPDFとして送信できません：{first.ja}",
                                      f"'{src.name}' cannot be sent as a PDF: {first.en}", code=f"pdf_{first.code}")
            self.check_name(profile, name, also=planned)
            planned.append(name)
        self.transfers.secrets.require(profile.id, ZIP_PASSWORD)  # SecretError (exit 4) before any work
        out: list[QueueItem] = []
        try:
            for src in sources:
                out.append(self.transfers.prepare_upload(profile, Path(src), form_name=form_name,
                                                         filing_date=filing_date, strict_forms=strict_forms))
        except BaseException:
            for item in out:  # all or nothing
                self.transfers.discard(item)
            raise
        log.info("outbox: %d file(s) queued for %s", len(out), profile.establishment)
        return out

    def remove(self, item_id: str) -> QueueItem:
        item = self.transfers.queue.get(item_id)
        if item is None or item.kind != "upload":
            raise ValidationError(f"送信待ちに「{item_id}」は見つかりません。"
                                  "`denshi-client outbox list` で番号をご確認ください。",
                                  f"No queued upload “{item_id}”. See `denshi-client outbox list`.",
                                  code="not_queued")
        self.transfers.discard(item)
        return item
