"""What the stand-in remembers about one OTP, one login session and one upload."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass
class _Otp:
    code: str
    expires_at: datetime
    attempts: int = 0
    used: bool = False


@dataclass
class _Session:
    token: str
    user_id: str
    issued_at: datetime
    expires_at: datetime


@dataclass
class UploadRecord:
    server_id: str
    client_id: str
    user_id: str
    status: str  # staged | received
    received_size: int
    sha256: str
    received_at: str
    file_name: str
    form_name: str
    establishment: str
    path: str

    def to_api(self) -> dict[str, Any]:
        d = asdict(self)
        del d["path"], d["user_id"]
        return d
