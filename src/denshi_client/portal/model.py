"""The fund-service client's contract (direct mode), shared by the httpx client and tests.

Documents and receipts are plain data; the wire format lives in docs/openapi.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

# progress(done_bytes, total_bytes); returning False (or a set cancel flag) stops the transfer.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class InboxDocument:
    id: str
    doc_type: str  # 決定通知書 / 掛金計算書 / 納入告知書 ...
    title: str
    establishment: str  # establishment number as the service gives it
    date: date
    size: int
    sha256: str
    file_name: str  # suggested name (a password ZIP)
    unread: bool = True


@dataclass(frozen=True)
class UploadReceipt:
    server_id: str
    client_id: str
    received_size: int
    sha256: str
    received_at: datetime
    file_name: str = ""
    form_name: str = ""
    establishment: str = ""


@dataclass(frozen=True)
class LoginSession:
    user_id: str
    establishments: list[str] = field(default_factory=list)
    expires_at: datetime | None = None
    # number -> name as the service gives it (複数事業所管理); issued_at starts the 90-minute clock.
    establishment_names: dict[str, str] = field(default_factory=dict)
    issued_at: datetime | None = None


class CancelToken:
    """Set from any thread to stop a transfer at the next chunk."""

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class PortalClient(Protocol):
    def request_otp(self, user_id: str) -> None: ...

    def login(self, user_id: str, otp: str) -> LoginSession: ...

    def inbox(self) -> list[InboxDocument]: ...

    def download(self, doc: InboxDocument, dest_dir: Path, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> Path:
        """Resumable (.part + Range), verified (size + SHA-256), renamed only when complete."""
        ...

    def upload(self, path: Path, *, form_name: str, establishment: str, client_id: str,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
               sha256: str | None = None) -> UploadReceipt:
        """Idempotent by client_id; the receipt is verified against the local file.

        Pass `sha256` when known (archive.pack returns it): the service verifies it and the client skips
        hashing the file again.
        """
        ...

    def uploads(self) -> list[UploadReceipt]: ...

    def logout(self) -> None: ...
