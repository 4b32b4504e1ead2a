"""The fund-service client's contract (direct mode), shared by the httpx client and tests.

Documents and receipts are plain data; the wire format lives in docs/openapi.yaml.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

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


# ---- answers from the service: validated here, in one place ---------------------------------------------
# Every answer passes through these before anything else looks at it; whatever breaks docs/openapi.yaml
# (wrong types, overly deep nesting, bad UTF-8, huge numbers) becomes a ProtocolError (exit 7). Numbers
# must be JSON integers where the contract says integer: 1e999 or NaN (floats) are refused, never int()-ed.
MAX_TEXT = 2000  # characters in one text field (a title, a name); longer is not a real answer
MAX_SIZE = 1 << 44  # 16 TiB: anything larger in `size` is nonsense


def _bad(what_ja: str = "電子連携サービスの応答", what_en: str = "The service's answer") -> Exception:
    from denshi_client.portal import errors as pe

    return pe.bad_response(what_ja, what_en)


def decode_json(raw: bytes, what_ja: str = "電子連携サービスの応答",
                what_en: str = "The service's answer") -> dict[str, Any]:
    """A JSON object from an answer body, or ProtocolError (never RecursionError/OverflowError/ValueError)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise _bad(what_ja, what_en) from None
    if not isinstance(data, dict):
        raise _bad(what_ja, what_en)
    return data


def text(d: dict[str, Any], key: str, *, required: bool = True, default: str = "") -> str:
    v = d.get(key)
    if v is None and not required:
        return default
    if isinstance(v, bool) or not isinstance(v, str | int) or len(str(v)) > MAX_TEXT:
        raise ValueError(key)
    return str(v)


def size_field(d: dict[str, Any], key: str) -> int:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_SIZE:
        raise ValueError(key)
    return v


def parse_dt(v: Any) -> datetime | None:
    if not isinstance(v, str) or len(v) > 64:
        return None
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        return None


def list_field(d: dict[str, Any], key: str, what_ja: str, what_en: str) -> list[Any]:
    v = d.get(key, [])
    if not isinstance(v, list):
        raise _bad(what_ja, what_en)
    return v


def parse_document(d: Any) -> InboxDocument:
    """One inbox entry; ValueError when it breaks the contract (the caller skips it and logs)."""
    if not isinstance(d, dict):
        raise ValueError("entry")
    sha = text(d, "sha256").lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise ValueError("sha256")
    unread = d.get("unread", True)
    return InboxDocument(
        id=text(d, "id"), doc_type=text(d, "type"), title=text(d, "title"),
        establishment=text(d, "establishment"), date=date.fromisoformat(text(d, "date")),
        size=size_field(d, "size"), sha256=sha, file_name=text(d, "file_name"),
        unread=unread if isinstance(unread, bool) else True,
    )


def parse_login(data: dict[str, Any]) -> tuple[str, LoginSession]:
    """(token, session) from the login answer; ProtocolError when it cannot be used."""
    what = ("ログイン応答", "The login answer")
    token = data.get("token")
    if not isinstance(token, str) or not token or len(token) > 4096:
        raise _bad(*what)
    return token, parse_session(data, *what)


def parse_session(data: dict[str, Any], what_ja: str = "セッション情報",
                  what_en: str = "The session answer") -> LoginSession:
    ests = list_field(data, "establishments", what_ja, what_en)
    try:
        if not all(isinstance(e, dict) for e in ests):
            raise ValueError("establishments")
        numbers = [text(e, "number") for e in ests]
        names = {text(e, "number"): text(e, "name", required=False) for e in ests}
        user = text(data, "user_id", required=False)
    except ValueError:
        raise _bad(what_ja, what_en) from None
    for key in ("expires_at", "issued_at"):
        if data.get(key) is not None and parse_dt(data.get(key)) is None:
            raise _bad(what_ja, what_en)
    return LoginSession(user_id=user, establishments=numbers, expires_at=parse_dt(data.get("expires_at")),
                        establishment_names=names, issued_at=parse_dt(data.get("issued_at")))


def parse_receipt(d: Any) -> tuple[UploadReceipt, str]:
    """(receipt, status) of an upload; ProtocolError when it cannot be read."""
    what = ("受付情報", "The receipt")
    if not isinstance(d, dict):
        raise _bad(*what)
    try:
        rec = UploadReceipt(
            server_id=text(d, "server_id"), client_id=text(d, "client_id"),
            received_size=size_field(d, "received_size"), sha256=text(d, "sha256").lower(),
            received_at=parse_dt(d.get("received_at")) or datetime.min,
            file_name=text(d, "file_name", required=False), form_name=text(d, "form_name", required=False),
            establishment=text(d, "establishment", required=False),
        )
        status = text(d, "status", required=False, default="received")
    except ValueError:
        raise _bad(*what) from None
    if "received_at" not in d:
        raise _bad(*what)
    return rec, status
