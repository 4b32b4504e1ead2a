"""The persistent transfer queue: one small JSON file, so an interrupted download or upload is listed
and resumed on the next start (an upload keeps its client id)."""

from __future__ import annotations

import enum
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from denshi_client.store.atomic import atomic_write_text

log = logging.getLogger(__name__)

FILED_INDEX_LIMIT = 5000  # remembered ZIP digests (to avoid filing one twice)


class TransferState(enum.StrEnum):
    """Where a queued transfer stands. A StrEnum, so the queue file keeps its plain strings."""

    READY = "ready"              # queued, not started
    PREPARED = "prepared"        # upload: renamed and packed, not sent (browser mode hands it over)
    RUNNING = "running"
    INTERRUPTED = "interrupted"  # the line or the app went away: resumed on the next visit
    FAILED = "failed"
    CANCELLED = "cancelled"      # the user stopped it; still listed, still resumable
    HELD = "held"                # download: verified ZIP kept in the holding folder until a password opens it
    DONE = "done"


_RESUMABLE = frozenset({TransferState.READY, TransferState.RUNNING, TransferState.INTERRUPTED,
                        TransferState.FAILED, TransferState.CANCELLED})


@dataclass
class QueueItem:
    """One transfer that must not be forgotten: listed on the next start until done."""

    id: str                      # the upload's client id (idempotency key) / a download's own id
    kind: str                    # "upload" | "download"
    profile_id: str
    establishment: str
    file_name: str               # upload name (…pdf) or the ZIP's name
    state: TransferState = TransferState.READY
    created_at: str = ""
    form_name: str = ""
    filing_date: str = ""
    source: str = ""             # the user's original file (never modified)
    pdf: str = ""                # our renamed copy
    zip_path: str = ""           # upload: the packed ZIP
    size: int = 0
    sha256: str = ""
    doc: dict[str, Any] = field(default_factory=dict)  # download: the InboxDocument
    history_id: int | None = None
    attempts: int = 0
    error_ja: str = ""
    error_en: str = ""
    server_id: str = ""
    reason: str = ""             # held: the archive's error code (wrong_password / zip_password_missing ...)

    def __post_init__(self) -> None:
        self.state = TransferState(self.state)  # from the queue file: a plain string

    @property
    def resumable(self) -> bool:
        return self.state in _RESUMABLE


class TransferQueue:
    """A small JSON file (atomic writes) of unfinished transfers and of ZIPs already filed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            log.warning("transfer queue %s unreadable; starting a new one", self.path)
        return {"items": {}, "filed": {}}

    def _save(self, data: dict[str, Any]) -> None:
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    def put(self, item: QueueItem) -> None:
        with self._lock:
            data = self._load()
            data.setdefault("items", {})[item.id] = asdict(item)
            self._save(data)

    def get(self, item_id: str) -> QueueItem | None:
        with self._lock:
            d = self._load().get("items", {}).get(item_id)
        return QueueItem(**d) if d else None

    def remove(self, item_id: str) -> None:
        with self._lock:
            data = self._load()
            if data.get("items", {}).pop(item_id, None) is not None:
                self._save(data)

    def items(self, profile_id: str | None = None) -> list[QueueItem]:
        with self._lock:
            raw = list(self._load().get("items", {}).values())
        out = [QueueItem(**d) for d in raw]
        return sorted((i for i in out if profile_id is None or i.profile_id == profile_id), key=lambda i: i.created_at)

    def filed(self, sha256: str) -> list[str] | None:
        with self._lock:
            paths = self._load().get("filed", {}).get(sha256)
        if paths and all(Path(p).exists() for p in paths):
            return list(paths)
        return None

    def mark_filed(self, sha256: str, paths: Sequence[Path]) -> None:
        with self._lock:
            data = self._load()
            filed = data.setdefault("filed", {})
            filed.pop(sha256, None)
            filed[sha256] = [str(p) for p in paths]
            for old in list(filed)[:-FILED_INDEX_LIMIT]:  # oldest first: years of ZIPs stay small
                del filed[old]
            self._save(data)
