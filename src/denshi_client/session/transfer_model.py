"""What transfers share: the folder tree's names, what they need from the session, history and
secrets (protocols), and the results they return."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from denshi_client.documents import winnames
from denshi_client.errors import SessionError
from denshi_client.portal.model import CancelToken, InboxDocument, PortalClient, UploadReceipt
from denshi_client.session.model import SessionMode, SessionProfile
from denshi_client.session.transfer_queue import QueueItem

RECEIVED_DIR = "受信"
SENT_DIR = "送信"
HOLDING_DIR = "未開封"  # <documents_folder>/受信/未開封: verified ZIPs that did not open (wrong password)
# Why a ZIP is held instead of dropped: the bytes are verified, only the password is missing or wrong.
# "corrupt" too: a wrong ZipCrypto password passes the check byte once in 256 and fails the CRC only.
HOLD_CODES = frozenset({"wrong_password", "no_password", "zip_password_missing", "corrupt"})


# The fund's file names start with <date>_<establishment>_ (browser mode has no other metadata).
_EST_IN_NAME = re.compile(r"^\d{8}_(\d{4})_")


class SecretSource(Protocol):
    def require(self, profile_id: str, kind: str) -> str: ...

    def set(self, profile_id: str, kind: str, value: str) -> None: ...


class HistoryLog(Protocol):
    """The subset of `store.history.History` used here."""

    def start(self, *, establishment: str, profile_id: str, direction: str, file_name: str, mode: str,
              original_name: str = "", size: int | None = None, sha256: str | None = None,
              detail: str = "") -> int: ...

    def finish(self, record_id: int, result: str, *, server_id: str | None = None, receipt: str | None = None,
               detail: str | None = None, size: int | None = None, sha256: str | None = None) -> Any: ...

    def find_by_sha256(self, sha256: str) -> Sequence[Any]: ...


class SessionGate(Protocol):
    """The subset of `SessionMachine` transfers need (time left, throughput, the portal)."""

    @property
    def portal(self) -> PortalClient | None: ...

    def require_transfer(self, size_bytes: int) -> None: ...

    def record_throughput(self, n_bytes: int, seconds: float) -> None: ...

    def busy(self, cancel: CancelToken | None = None) -> contextlib.AbstractContextManager[None]: ...

    def login_lost(self, portal: PortalClient | None = None) -> bool: ...


def filing_folder(profile: SessionProfile, direction: str, when: date, *, root: Path | None = None) -> Path:
    """`<documents_folder>/<受信|送信>/<YYYY>/<YYYYMM>`; one place for the tree's shape."""
    base = (Path(profile.documents_folder) if profile.documents_folder
            else (root or Path.cwd()) / winnames.safe_component(profile.establishment))
    sub = RECEIVED_DIR if direction == "receive" else SENT_DIR
    return base / sub / f"{when:%Y}" / f"{when:%Y%m}"


def holding_folder(profile: SessionProfile, *, root: Path | None = None) -> Path:
    """Per establishment, beside its received documents (not a temp folder: it must outlive the cache)."""
    return filing_folder(profile, "receive", date(2000, 1, 1), root=root).parent.parent / HOLDING_DIR




@dataclass(frozen=True)
class FiledDocument:
    """A received password ZIP, decrypted and filed."""

    zip_name: str
    folder: Path
    files: list[Path]
    sha256: str
    size: int
    doc_id: str = ""
    already_filed: bool = False
    history_id: int | None = None

    @property
    def message_ja(self) -> str:
        """What the user reads; an already-saved document points at the file it already is."""
        if self.already_filed:
            where = str(self.files[0]) if self.files else str(self.folder)
            return f"「{self.zip_name}」は保存済みです（{where}）。同じ書類は二重に保存しません。"
        return f"「{self.zip_name}」を復号して保存しました（{self.folder}）。"

    @property
    def message_en(self) -> str:
        if self.already_filed:
            where = str(self.files[0]) if self.files else str(self.folder)
            return f"'{self.zip_name}' is already saved ({where}); the same document is never saved twice."
        return f"'{self.zip_name}' was decrypted and saved ({self.folder})."


@dataclass(frozen=True)
class Notice:
    """A start-up/banner line about one unfinished document, naming its establishment and title."""

    kind: str          # "held" (opens offline with the right password) | "interrupted" (continues online)
    item_id: str
    establishment: str
    title: str
    ja: str
    en: str


@dataclass(frozen=True)
class UploadResult:
    item: QueueItem
    receipt: UploadReceipt
    filed_copy: Path | None


def login_lost_error() -> SessionError:
    """What a transfer says when the service refused our login mid-visit (the visit ends with it)."""
    return SessionError("電子連携サービスへのログインが無効になったため、送受信できませんでした。",
                        "The login to the document exchange service is no longer valid, so nothing could be "
                        "sent or received.", code="login_lost",
                        hint_ja="もう一度接続してください。途中の送受信は、次回の接続で続きから行えます。",
                        hint_en="Please connect again. An interrupted transfer continues in the next session.")


def _mode(profile: SessionProfile) -> str:
    return "browser" if profile.mode is SessionMode.BROWSER else "direct"


def _doc_to_dict(doc: InboxDocument) -> dict[str, Any]:
    d = asdict(doc)
    d["date"] = doc.date.isoformat()
    return d


def _doc_from_dict(d: dict[str, Any]) -> InboxDocument:
    return InboxDocument(**{**d, "date": date.fromisoformat(d["date"])})
