"""The stand-in's state and lifecycle: OTPs, sessions, documents and uploads, behind one lock.

`StandInService` holds what the fund knows; the HTTP side (`http.py`, `routes.py`, `uploads.py`) only
reads requests and calls it."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import ssl
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from denshi_client.clock import JST, Clock, SystemClock
from denshi_client.hashing import sha256_file
from denshi_client.portal.standin import mail
from denshi_client.portal.standin.api import _DOC_ID, API_PREFIX, ApiError, bad_request
from denshi_client.portal.standin.data import ESTABLISHMENTS, USERS, DocRecord, DocumentIndex
from denshi_client.portal.standin.faults import FaultPlan
from denshi_client.portal.standin.http import _Server
from denshi_client.portal.standin.records import UploadRecord, _Otp, _Session
from denshi_client.portal.standin.routes import _Handler
from denshi_client.service_calendar import ServiceCalendar

log = logging.getLogger(__name__)


def default_service_hours(now: datetime) -> bool:
    """The fund's published hours and holidays (the session engineer's calendar, default config)."""
    return _calendar().is_open(now)


_CAL: ServiceCalendar | None = None


def _calendar() -> ServiceCalendar:
    global _CAL
    if _CAL is None:
        _CAL = ServiceCalendar()
    return _CAL


class StandInService:
    """In-process stand-in. `start()` returns the API base URL; use as a context manager in tests.

    `enforce_hours` is off by default (demo mode runs any time; the app keeps its own hours rule);
    tests of the hours rule and `denshi-client sandbox` (without --ignore-hours) turn it on.
    """

    def __init__(self, data_dir: Path, clock: Clock | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 tls: bool = False, enforce_hours: bool = False,
                 service_hours: Callable[[datetime], bool] | None = None, otp_ttl_s: int = 600,
                 session_minutes: int = 90, max_upload_bytes: int = 8 << 30, otp_requests_per_10min: int = 10):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the stand-in listens on loopback only")
        self.data_dir = Path(data_dir)
        self.clock: Clock = clock or SystemClock()
        self.host, self.port, self.tls = host, port, tls
        self.enforce_hours = enforce_hours
        self.service_hours = service_hours or default_service_hours
        self.otp_ttl = timedelta(seconds=otp_ttl_s)
        self.session_length = timedelta(minutes=session_minutes)
        self.max_upload_bytes = max_upload_bytes
        self.otp_rate = otp_requests_per_10min
        self.faults = FaultPlan()
        self.outbox = self.data_dir / "outbox"
        self.ca_bundle: Path | None = None
        self._lock = threading.RLock()
        self._otps: dict[str, _Otp] = {}
        self._otp_times: dict[str, deque[float]] = {}
        self._sessions: dict[str, _Session] = {}
        self._uploads: dict[tuple[str, str], UploadRecord] = {}
        self._docs = DocumentIndex(self.data_dir / "documents")
        self._up_dir = self.data_dir / "uploads"
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> str:
        for d in (self.data_dir, self.outbox, self._up_dir / "received", self._up_dir / "staging"):
            d.mkdir(parents=True, exist_ok=True)
        if self.service_hours is default_service_hours:
            _calendar()  # build the holiday tables now, not inside the first request
        self._docs.load_or_seed(self.clock.now())
        self._load_uploads()
        httpd = _Server((self.host, self.port), _Handler)
        httpd.service = self
        if self.tls:
            try:
                from denshi_client.portal.standin.tlsca import ensure_test_ca
            except ImportError as e:  # `cryptography` comes with keyring's Linux backend, not on Windows
                raise RuntimeError("the stand-in's TLS needs the 'cryptography' package") from e

            paths = ensure_test_ca(self.data_dir / "tls")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(paths.server_cert, paths.server_key)
            httpd.ssl_context = ctx
            self.ca_bundle = paths.ca_cert
        self._httpd = httpd
        self.port = httpd.server_address[1]
        scheme = "https" if self.tls else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}{API_PREFIX}"
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="standin-http", daemon=True)
        self._thread.start()
        log.info("stand-in service listening on %s (data %s)", self.base_url, self.data_dir)
        return self.base_url

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_all()
        httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        log.info("stand-in service stopped")

    def __enter__(self) -> StandInService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- helpers for demo and tests ---------------------------------------------------------------
    def latest_otp(self, user_id: str | None = None) -> str | None:
        """Read the newest OTP e-mail from the outbox, as a user would."""
        return mail.latest_otp(self.outbox, user_id)

    def expire_sessions(self) -> None:
        with self._lock:
            for s in self._sessions.values():
                s.expires_at = self.clock.now() - timedelta(seconds=1)

    def add_document(self, source: Path, *, establishment: str, doc_type: str = "掛金計算書",
                     title: str = "", file_name: str | None = None, doc_date: date | None = None,
                     copy: bool = True) -> str:
        """Put a file into the inbox (tests, benchmark). `copy=False` serves it in place."""
        source = Path(source)
        if establishment not in ESTABLISHMENTS:
            raise ValueError(f"unknown establishment {establishment}")
        doc_id = "X" + uuid.uuid4().hex[:16]
        if copy:
            dest = self._docs.dir / f"{doc_id}.zip"
            self._docs.dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            path = dest.name
        else:
            path = str(source.resolve())
        full = self._docs.dir / path if copy else Path(path)
        d = doc_date or self.clock.now().astimezone(JST).date()
        rec = DocRecord(id=doc_id, doc_type=doc_type, title=title or doc_type, establishment=establishment,
                        date=d.isoformat(), size=full.stat().st_size, sha256=sha256_file(full),
                        file_name=file_name or source.name, path=path)
        with self._lock:
            self._docs.records[doc_id] = rec
            self._docs.save()
        return doc_id

    def documents(self) -> list[DocRecord]:
        with self._lock:
            return list(self._docs.records.values())

    def upload_records(self) -> list[UploadRecord]:
        with self._lock:
            return list(self._uploads.values())

    def upload_path(self, rec: UploadRecord) -> Path:
        return self._up_dir / rec.path

    # ---- state ---------------------------------------------------------------------------------------
    def _load_uploads(self) -> None:
        f = self._up_dir / "index.json"
        if f.exists():
            for d in json.loads(f.read_text(encoding="utf-8"))["uploads"]:
                rec = UploadRecord(**d)
                self._uploads[(rec.user_id, rec.client_id)] = rec
        # Staged bodies do not survive a restart (the client re-sends them).
        for k, rec in list(self._uploads.items()):
            if rec.status != "received":
                del self._uploads[k]
        for p in (self._up_dir / "staging").glob("*"):
            with contextlib.suppress(OSError):
                p.unlink()

    def _save_uploads(self) -> None:
        f = self._up_dir / "index.json"
        data = {"uploads": [asdict(r) for r in self._uploads.values() if r.status == "received"]}
        tmp = f.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, f)

    def check_open(self) -> None:
        if self.enforce_hours and not self.service_hours(self.clock.now()):
            raise ApiError(403, "service_closed", "現在はサービス提供時間外です。",
                           "The service is closed now (outside service hours).")

    def session_for(self, auth: str | None) -> _Session:
        if not auth or not auth.startswith("Bearer "):
            raise ApiError(401, "unauthorized", "ログインが必要です。", "Authorization: Bearer <token> is required.",
                           {"WWW-Authenticate": "Bearer"})
        token = auth[7:].strip()
        with self._lock:
            s = self._sessions.get(token)
            if s is None:
                raise ApiError(401, "unauthorized", "ログインが必要です。", "Unknown or logged-out session token.",
                               {"WWW-Authenticate": "Bearer"})
            if self.clock.now() >= s.expires_at:
                del self._sessions[token]
                raise ApiError(401, "session_expired", "セッションの有効期限が切れました。",
                               "The session has expired (90-minute limit).",
                               {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return s

    def request_otp(self, user_id: str) -> dict[str, Any]:
        self.check_open()
        now = self.clock.now()
        with self._lock:
            times = self._otp_times.setdefault(user_id, deque())
            mono = self.clock.monotonic()
            while times and mono - times[0] > 600:
                times.popleft()
            if len(times) >= self.otp_rate:
                raise ApiError(429, "too_many_requests", "ワンタイムパスワードの発行回数が多すぎます。",
                               "Too many OTP requests; wait a few minutes.")
            times.append(mono)
            user = USERS.get(user_id)
            if user is None:
                log.info("stand-in: OTP requested for unknown user id (answered 202 anyway)")
                return {"accepted": True, "expires_in": int(self.otp_ttl.total_seconds())}
            code = f"{secrets.randbelow(1_000_000):06d}"
            otp = _Otp(code, now + self.otp_ttl)
            self._otps[user_id] = otp
        mail.write_otp_mail(self.outbox, user_id=user_id, to_addr=user.email, otp=code,
                            expires_at=otp.expires_at, sent_at=now)
        return {"accepted": True, "expires_in": int(self.otp_ttl.total_seconds())}

    def login(self, user_id: str, code: str) -> dict[str, Any]:
        self.check_open()
        now = self.clock.now()
        refused = ApiError(401, "otp_invalid", "ユーザーIDまたはワンタイムパスワードが正しくありません。",
                           "Wrong user id or one-time password.")
        with self._lock:
            otp = self._otps.get(user_id)
            if otp is None or user_id not in USERS:
                raise refused
            if otp.used:
                raise ApiError(401, "otp_used", "このワンタイムパスワードは使用済みです。",
                               "This one-time password was already used.")
            if now >= otp.expires_at:
                raise ApiError(401, "otp_expired", "ワンタイムパスワードの有効期限が切れています。",
                               "The one-time password has expired.")
            if not secrets.compare_digest(otp.code, code):
                otp.attempts += 1
                if otp.attempts >= 5:
                    otp.used = True  # too many tries: this OTP is burnt
                raise refused
            otp.used = True
            token = secrets.token_urlsafe(32)
            s = _Session(token, user_id, now, now + self.session_length)
            self._sessions[token] = s
        body = self.session_json(s)
        body["token"] = token
        return body

    def session_json(self, s: _Session) -> dict[str, Any]:
        user = USERS[s.user_id]
        return {
            "user_id": s.user_id, "issued_at": s.issued_at.isoformat(), "expires_at": s.expires_at.isoformat(),
            "establishments": [{"number": n, "name": ESTABLISHMENTS[n].name} for n in user.establishments],
        }

    def logout(self, s: _Session) -> None:
        with self._lock:
            self._sessions.pop(s.token, None)

    def establishments_of(self, s: _Session) -> tuple[str, ...]:
        return USERS[s.user_id].establishments

    def doc_for(self, s: _Session, doc_id: str) -> DocRecord:
        if not _DOC_ID.match(doc_id):
            raise bad_request("malformed document id")
        with self._lock:
            rec = self._docs.records.get(doc_id)
        if rec is None:
            raise ApiError(404, "not_found", "書類が見つかりません。", "No such document.")
        if rec.establishment not in self.establishments_of(s):
            raise ApiError(403, "forbidden", "この書類を参照する権限がありません。",
                           "This document belongs to another establishment.")
        return rec

    def mark_read(self, rec: DocRecord) -> None:
        with self._lock:
            if rec.unread:
                rec.unread = False
                self._docs.save()

    def find_upload(self, s: _Session, client_id: str) -> UploadRecord | None:
        with self._lock:
            return self._uploads.get((s.user_id, client_id))

    def stage(self, rec: UploadRecord) -> None:
        with self._lock:
            old = self._uploads.get((rec.user_id, rec.client_id))
            if old is not None and old.status == "received":  # a parallel send won the race: ask again
                raise ApiError(409, "staged_replaced", "この送信IDは並行して受け付けられました。",
                               "This client id was received meanwhile; ask GET /uploads/{client_id}.")
            if old is not None:
                with contextlib.suppress(OSError):
                    (self._up_dir / old.path).unlink()
            self._uploads[(rec.user_id, rec.client_id)] = rec

    def commit(self, rec: UploadRecord) -> UploadRecord:
        """Move a staged body to received/ and record it (caller verified the digest)."""
        with self._lock:
            if self._uploads.get((rec.user_id, rec.client_id)) is not rec or rec.status != "staged":
                raise ApiError(409, "staged_replaced", "送信内容が並行して更新されました。再度送信してください。",
                               "the staged upload was replaced meanwhile; send again")
            src = self._up_dir / rec.path
            dest_rel = f"received/{rec.server_id}.zip"  # the name is metadata: any string is safe on disk
            os.replace(src, self._up_dir / dest_rel)
            rec.path = dest_rel
            rec.status = "received"
            rec.received_at = self.clock.now().isoformat()
            self._uploads[(rec.user_id, rec.client_id)] = rec
            self._save_uploads()
        log.info("stand-in: upload %s received (%d bytes)", rec.server_id, rec.received_size)
        return rec

    def discard(self, rec: UploadRecord) -> None:
        with self._lock:
            if self._uploads.get((rec.user_id, rec.client_id)) is rec and rec.status == "staged":
                del self._uploads[(rec.user_id, rec.client_id)]
        with contextlib.suppress(OSError):
            (self._up_dir / rec.path).unlink()


