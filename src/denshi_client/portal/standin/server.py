"""The stand-in fund service: a real HTTP(S) server on 127.0.0.1 speaking docs/openapi.yaml.

Used in-process by demo mode and the tests (`with StandInService(dir, clock) as svc: svc.base_url`)
and standalone by `denshi-client sandbox`. Bodies stream in both directions (sendfile for downloads,
fixed-size reads for uploads), so a 1 GiB transfer costs the server a few MiB of memory.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import io
import json
import logging
import os
import re
import secrets
import shutil
import socket
import ssl
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from denshi_client.clock import JST, Clock, SystemClock
from denshi_client.hashing import sha256_file
from denshi_client.portal.standin import mail
from denshi_client.portal.standin.data import ESTABLISHMENTS, USERS, DocRecord, DocumentIndex
from denshi_client.portal.standin.faults import BODY_KINDS, Fault, FaultPlan
from denshi_client.portal.transport import write_all
from denshi_client.service_calendar import ServiceCalendar

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
CONTROL_PREFIX = "/_standin"
CHUNK = 1 << 20
MAX_JSON = 64 * 1024

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_USER_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_EST = re.compile(r"^[0-9]{4}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_OTP = re.compile(r"^[0-9]{6}$")
_BAD_NAME = re.compile(r"[/\\\x00-\x1f]")


class ApiError(Exception):
    """An answer other than success; raised anywhere in a handler."""

    def __init__(self, status: int, code: str, ja: str, en: str, headers: dict[str, str] | None = None):
        super().__init__(en)
        self.status, self.code, self.ja, self.en = status, code, ja, en
        self.headers = headers or {}


def bad_request(en: str, ja: str = "リクエストの形式が正しくありません。") -> ApiError:
    return ApiError(400, "invalid_request", ja, en)


def default_service_hours(now: datetime) -> bool:
    """The fund's published hours and holidays (the session engineer's calendar, default config)."""
    return _calendar().is_open(now)


_CAL: ServiceCalendar | None = None


def _calendar() -> ServiceCalendar:
    global _CAL
    if _CAL is None:
        _CAL = ServiceCalendar()
    return _CAL


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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    service: StandInService
    ssl_context: ssl.SSLContext | None = None

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("stand-in: connection from %s ended with an error", client_address, exc_info=True)

    def close_all(self) -> None:
        """Drop idle keep-alive connections so stop() does not leave threads reading forever."""
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)


def _wait_acknowledged(sock: socket.socket, limit_s: float = 10.0) -> None:
    """Wait until the peer acknowledged everything sent (Linux: SIOCOUTQ = 0), at most limit_s.

    Elsewhere (the sandbox on Windows) a short pause does roughly the same for a reading peer.
    """
    try:
        import fcntl
        import termios
    except ImportError:
        time.sleep(0.2)
        return
    left = array.array("i", [0])
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, left, True)
        if left[0] == 0:
            return
        time.sleep(0.002)


class _Reset(Exception):
    """The connection was dropped on purpose (fault) or by the peer."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60  # idle keep-alive connections
    server_version = "DenshiStandIn/1.0"
    sys_version = ""

    # ---- plumbing -----------------------------------------------------------------------------------
    def setup(self) -> None:
        ctx = self.server.ssl_context
        if ctx is not None:
            self.request.settimeout(10)
            try:
                self.request = ctx.wrap_socket(self.request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                log.debug("stand-in: TLS handshake failed: %s", e)
                self.request.close()
                raise _Reset from e
            with self.server._conns_lock:
                self.server._conns.add(self.request)
        super().setup()

    def handle(self) -> None:
        with contextlib.suppress(_Reset, ConnectionError, TimeoutError, ssl.SSLError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()
        if isinstance(self.request, ssl.SSLSocket):
            with self.server._conns_lock:
                self.server._conns.discard(self.request)
            with contextlib.suppress(OSError):
                self.request.close()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("stand-in: %s " + format, self.address_string(), *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The request line may carry query knobs but never secrets (those are in bodies/headers).
        path = urlsplit(getattr(self, "path", "") or "").path
        log.debug("stand-in: %s %s -> %s", getattr(self, "command", None), path, code)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors from http.server (bad request line, ...) as JSON too."""
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # unparsable request line: still answer with a status line
        with contextlib.suppress(OSError):
            self._json(code if code < 500 else 400, {"code": "invalid_request",
                                                      "message_ja": "リクエストの形式が正しくありません。",
                                                      "message_en": message or "bad request"})

    def _json(self, status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        if 200 <= status < 300:
            plan = self.server.service.faults
            for f in getattr(self, "_answer_faults", ()):
                if plan.fire(f):  # the work is done; the answer never leaves
                    self._reset()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if data and self.command != "HEAD":
            if getattr(self, "_body_faults", None) and not getattr(self, "_request_body_faults", False):
                self._send_body(io.BytesIO(data), 0, len(data))
            else:
                self.wfile.write(data)

    def _reset(self, *, deliver: bool = False) -> None:
        """Drop the TCP connection with RST, like a broken line.

        `deliver`: first wait (bounded) until the peer acknowledged every byte written so far; an RST
        discards whatever still sits in our send buffer, so without this a "reset at byte N" would cut
        the body wherever the kernel happened to be.
        """
        self.close_connection = True
        with contextlib.suppress(OSError):
            if deliver:
                _wait_acknowledged(self.connection)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        raise _Reset

    def _dispatch(self) -> None:
        svc = self.server.service
        self._body_left: int | None = None
        self._chunked = False
        self._body_faults: list[Fault] = []  # slow/reset/corrupt that may act on this request's one body
        self._answer_faults: list[Fault] = []  # lose_answer
        self._request_body_faults = False  # uploads: the body faults act on the request, never on the answer
        try:
            self._prepare_body()
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path.startswith(CONTROL_PREFIX):
                self._control(svc, path[len(CONTROL_PREFIX):])
            elif path == "/web" or path.startswith("/web/"):  # the fund's web pages (browser mode)
                from denshi_client.portal.standin import web

                web.handle(self, svc, path)
            elif path == API_PREFIX or path.startswith(API_PREFIX + "/"):
                self._route(svc, path[len(API_PREFIX):] or "/", parse_qs(parts.query, keep_blank_values=True))
            else:
                raise ApiError(404, "not_found", "見つかりません。", f"No such path: {parts.path}")
        except ApiError as e:
            if not self._body_consumed():
                self.close_connection = True  # unread request body: the connection cannot be reused
            self._json(e.status, {"code": e.code, "message_ja": e.ja, "message_en": e.en}, e.headers)
        except (_Reset, ConnectionError, TimeoutError, ssl.SSLError):
            self.close_connection = True
            raise _Reset from None
        except Exception:
            log.exception("stand-in: internal error on %s %s", self.command, urlsplit(self.path).path)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._json(500, {"code": "internal", "message_ja": "サービス内部でエラーが発生しました。",
                                 "message_en": "internal error"})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_TRACE = _dispatch

    # ---- request bodies -------------------------------------------------------------------------------
    def _prepare_body(self) -> None:
        te = self.headers.get("Transfer-Encoding", "")
        cl = self.headers.get("Content-Length")
        if te:
            if te.strip().lower() != "chunked":
                self.close_connection = True
                raise ApiError(400, "invalid_request", "リクエストの形式が正しくありません。",
                               "only Transfer-Encoding: chunked is supported")
            self._chunked = True
            self._body_left = None
            self._chunk_left = 0
            self._chunk_eof = False
        elif cl is not None:
            if not cl.strip().isdigit():
                self.close_connection = True
                raise bad_request("bad Content-Length")
            self._body_left = int(cl)
        else:
            self._body_left = 0

    def _body_consumed(self) -> bool:
        return self._chunk_eof if self._chunked else not self._body_left

    def _has_body(self) -> bool:
        return self._chunked or bool(self._body_left)

    def _read_line(self) -> bytes:
        line = self.rfile.readline(1026)
        if not line:
            raise _Reset
        if not line.endswith(b"\n"):
            self.close_connection = True
            raise bad_request("chunk header too long")
        return line

    def _read_body(self, buf: memoryview) -> int:
        """Fill buf with the next body bytes; 0 at the end of the body."""
        if not self._chunked:
            if not self._body_left:
                return 0
            want = min(len(buf), self._body_left)
            n = self.rfile.readinto(buf[:want])
            if not n:
                raise _Reset
            self._body_left -= n
            return n
        if self._chunk_eof:
            return 0
        if self._chunk_left == 0:
            head = self._read_line().split(b";", 1)[0].strip()
            try:
                size = int(head, 16)
            except ValueError:
                self.close_connection = True
                raise bad_request("bad chunk size") from None
            if size < 0:
                raise bad_request("bad chunk size")
            if size == 0:
                while self._read_line() not in (b"\r\n", b"\n"):  # trailers
                    pass
                self._chunk_eof = True
                return 0
            self._chunk_left = size
        want = min(len(buf), self._chunk_left)
        n = self.rfile.readinto(buf[:want])
        if not n:
            raise _Reset
        self._chunk_left -= n
        if self._chunk_left == 0 and self._read_line() not in (b"\r\n", b"\n"):
            self.close_connection = True
            raise bad_request("chunk not terminated by CRLF")
        return n

    def _json_body(self) -> dict[str, Any]:
        if self._body_left is not None and self._body_left > MAX_JSON:
            raise ApiError(413, "too_large", "リクエストが大きすぎます。", "JSON body too large")
        raw = bytearray()
        buf = memoryview(bytearray(16384))
        while n := self._read_body(buf):
            raw += buf[:n]
            if len(raw) > MAX_JSON:
                self.close_connection = True
                raise ApiError(413, "too_large", "リクエストが大きすぎます。", "JSON body too large")
        ctype = self.headers.get("Content-Type", "")
        if "json" not in ctype.lower():
            raise ApiError(415, "unsupported_media_type", "リクエストの形式が正しくありません。",
                           "Content-Type must be application/json")
        try:
            data = json.loads(bytes(raw).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise bad_request("body is not valid JSON") from None
        if not isinstance(data, dict):
            raise bad_request("body must be a JSON object")
        return data

    def _drain(self) -> None:
        if self._has_body() and not self._body_consumed():
            buf = memoryview(bytearray(65536))
            while self._read_body(buf):
                pass

    # ---- routing ------------------------------------------------------------------------------------
    def _route(self, svc: StandInService, path: str, q: dict[str, list[str]]) -> None:
        m = self.command
        seg = [s for s in path.split("/") if s]
        if seg == ["health"] and m == "GET":
            return self._json(200, {"status": "ok", "service_open": svc.service_hours(svc.clock.now()),
                                    "server_time": svc.clock.now().isoformat()})
        if seg == ["otp", "requests"] and m == "POST":
            self._faults(svc, "otp")
            body = self._json_body()
            uid = _string_field(body, "user_id", _USER_ID)
            _no_extra(body, {"user_id"})
            return self._json(202, svc.request_otp(uid))
        if seg == ["sessions"] and m == "POST":
            self._faults(svc, "login")
            body = self._json_body()
            uid = _string_field(body, "user_id", _USER_ID)
            otp = _string_field(body, "otp", _OTP)
            _no_extra(body, {"user_id", "otp"})
            return self._json(201, svc.login(uid, otp))
        known = {("sessions", "current"), ("documents",), ("uploads",)}
        if not (tuple(seg) in known or (len(seg) == 3 and seg[0] == "documents" and seg[2] in ("content", "read"))
                or (len(seg) in (2, 3) and seg[0] == "uploads" and (len(seg) == 2 or seg[2] == "commit"))):
            raise ApiError(404, "not_found", "見つかりません。", f"No such path: {path}")
        target = ("download" if seg[-1] == "content" else "upload" if len(seg) == 2 and seg[0] == "uploads"
                  and m == "PUT" else "commit" if seg[-1] == "commit" else "inbox")
        self._faults(svc, target)
        s = svc.session_for(self.headers.get("Authorization"))
        svc.check_open()
        if seg == ["sessions", "current"]:
            if m == "GET":
                return self._json(200, svc.session_json(s))
            if m == "DELETE":
                svc.logout(s)
                return self._json(204, None)
        elif seg == ["documents"] and m == "GET":
            est = _query(q, "establishment", _EST)
            unread = _query(q, "unread", re.compile(r"^(true|false)$"))
            ests = svc.establishments_of(s)
            if est is not None and est not in ests:
                raise ApiError(403, "forbidden", "この事業所番号は参照できません。",
                               "Establishment not in this account.")
            docs = svc._docs.listing([est] if est else ests)
            if unread is not None:
                docs = [d for d in docs if d.unread == (unread == "true")]
            return self._json(200, {"documents": [d.to_api() for d in docs]})
        elif seg[0] == "documents" and seg[2] == "content" and m in ("GET", "HEAD"):
            return self._download(svc, svc.doc_for(s, seg[1]))
        elif seg[0] == "documents" and seg[2] == "read" and m == "POST":
            svc.mark_read(svc.doc_for(s, seg[1]))
            self._drain()
            return self._json(204, None)
        elif seg == ["uploads"] and m == "GET":
            ests = svc.establishments_of(s)
            recs = [r for r in svc.upload_records() if r.user_id == s.user_id and r.status == "received"
                    and r.establishment in ests]
            recs.sort(key=lambda r: r.received_at, reverse=True)
            return self._json(200, {"uploads": [r.to_api() for r in recs]})
        elif seg[0] == "uploads" and len(seg) == 2:
            if not _CLIENT_ID.match(seg[1]):
                raise bad_request("client_id must be 8-64 characters of A-Z a-z 0-9 _ -")
            if m == "GET":
                rec = svc.find_upload(s, seg[1])
                if rec is None:
                    raise ApiError(404, "not_found", "送信記録がありません。", "No upload with this client id.")
                return self._json(200, rec.to_api())
            if m == "PUT":
                return self._upload(svc, s, seg[1], q)
        elif seg[0] == "uploads" and seg[2] == "commit" and m == "POST":
            if not _CLIENT_ID.match(seg[1]):
                raise bad_request("client_id must be 8-64 characters of A-Z a-z 0-9 _ -")
            return self._commit(svc, s, seg[1])
        raise ApiError(405, "method_not_allowed", "この操作はできません。", f"{m} is not allowed here")

    def _faults(self, svc: StandInService, target: str) -> None:
        """Status/expire faults act now; body and answer faults are picked up to act (and count) later."""
        plan = svc.faults
        for f in plan.take(target, ("status", "expire")):
            if not plan.fire(f):
                continue
            if f.kind == "expire":
                svc.expire_sessions()
            else:
                raise ApiError(f.status, "injected", "（試験用）障害を発生させました。", "injected fault")
        self._body_faults = plan.take(target, BODY_KINDS)
        self._request_body_faults = target == "upload"
        self._answer_faults = plan.take(target, ("lose_answer",))

    # ---- download -----------------------------------------------------------------------------------
    def _download(self, svc: StandInService, rec: DocRecord) -> None:
        size = rec.size
        etag = f'"{rec.sha256}"'
        start, end = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and (if_range is None or if_range.strip() == etag):
            parsed = _parse_range(rng, size)
            if parsed == "unsatisfiable":
                raise ApiError(416, "range_not_satisfiable", "指定された範囲は取得できません。",
                               f"Range not satisfiable (size {size})", {"Content-Range": f"bytes */{size}"})
            if isinstance(parsed, tuple):
                start, end = parsed
                status = 206
        length = max(end - start + 1, 0)
        self.send_response(status)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("X-Content-SHA256", rec.sha256)
        self.send_header("Content-Disposition", "attachment; filename*=UTF-8''" + _pct(rec.file_name))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD" or length == 0:
            return
        with open(svc._docs.path_of(rec), "rb") as f:
            if not self._body_faults and self.server.ssl_context is None:
                sent = 0
                while sent < length:
                    n = self.connection.sendfile(f, start + sent, length - sent)
                    if not n:
                        raise _Reset
                    sent += n
                return
            self._send_body(f, start, length)

    def _send_body(self, f: Any, start: int, length: int) -> None:
        """Send `length` bytes of f from `start` (a file offset) with this request's body faults.

        slow paces from the first byte (so a 1 KB body takes 1 KB / rate seconds too); reset delivers
        exactly `after_bytes` body bytes, then drops the line; corrupt flips the byte at file offset
        `after_bytes`. Each fault counts as fired only when its effect happened in this body.
        """
        plan = self.server.service.faults
        faults, self._body_faults = self._body_faults, []  # a body fault acts on one body only
        rate = 0
        if length > 0:
            rate = min((x.rate_bps for x in faults if x.kind == "slow" and plan.fire(x)), default=0)
        resets = sorted((x for x in faults if x.kind == "reset" and x.after_bytes < length),
                        key=lambda x: x.after_bytes)
        flips = [x for x in faults if x.kind == "corrupt" and start <= x.after_bytes < start + length]
        chunk = max(1, min(CHUNK, rate // 2)) if rate else CHUNK  # half-second steps: a line, not a drip
        f.seek(start)
        sent = 0
        t0 = time.monotonic()
        while True:
            while resets and resets[0].after_bytes <= sent:
                r = resets.pop(0)
                if r.after_bytes == sent and plan.fire(r):
                    self._reset(deliver=True)
            if sent >= length:
                return
            n = min(chunk, length - sent)
            if resets:
                n = min(n, resets[0].after_bytes - sent)
            data = bytearray(f.read(n))
            if not data:
                raise _Reset
            for x in list(flips):
                pos = x.after_bytes - start - sent
                if 0 <= pos < len(data) and plan.fire(x):
                    data[pos] ^= 0xFF
                    flips.remove(x)
            if rate:
                ahead = (sent + len(data)) / rate - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)  # a slow line, in real seconds on purpose
            self.wfile.write(data)
            sent += len(data)

    # ---- upload -------------------------------------------------------------------------------------
    def _upload(self, svc: StandInService, s: _Session, client_id: str, q: dict[str, list[str]]) -> None:
        form = _query(q, "form_name", re.compile(r"^.{1,100}$", re.S))
        est = _query(q, "establishment", _EST)
        name = _query(q, "file_name", re.compile(r"^.{1,200}$", re.S))
        want_sha = _query(q, "sha256", _SHA)
        if form is None or est is None or name is None:
            raise bad_request("form_name, establishment and file_name are required")
        if _BAD_NAME.search(name) or _BAD_NAME.search(form):
            raise bad_request("file_name/form_name contain characters that are not allowed")
        if est not in svc.establishments_of(s):
            raise ApiError(403, "forbidden", "この事業所番号では送信できません。", "Establishment not in this account.")
        if not self._chunked and self.headers.get("Content-Length") is None:
            self.close_connection = True
            raise ApiError(411, "length_required", "送信サイズが不明です。", "Content-Length or chunked body required")
        if self._body_left is not None and self._body_left > svc.max_upload_bytes:
            raise ApiError(413, "too_large", "ファイルが大きすぎます。", "upload too large")
        server_id = "U" + uuid.uuid4().hex[:20]
        tmp_rel = f"staging/{server_id}.part"
        tmp = svc._up_dir / tmp_rel
        size, digest = self._receive_to(svc, tmp)
        existing = svc.find_upload(s, client_id)  # after the body: a parallel send may have finished meanwhile
        if existing is not None and existing.status == "received":
            with contextlib.suppress(OSError):
                tmp.unlink()
            if digest == existing.sha256 and size == existing.received_size:
                return self._json(200, existing.to_api())
            raise ApiError(409, "conflict", "この送信IDでは別のファイルが送信済みです。",
                           "This client id was already received with different content.")
        rec = UploadRecord(server_id=server_id, client_id=client_id, user_id=s.user_id, status="staged",
                           received_size=size, sha256=digest, received_at=svc.clock.now().isoformat(),
                           file_name=name, form_name=form, establishment=est, path=tmp_rel)
        if want_sha is not None and want_sha != digest:
            svc.discard(rec)
            raise ApiError(422, "checksum_mismatch", "受信内容が SHA-256 と一致しません。",
                           "received bytes do not match sha256")
        try:
            svc.stage(rec)
        except ApiError:
            svc.discard(rec)  # received meanwhile by a parallel request: keep nothing of this one
            raise
        if want_sha is not None:
            return self._json(201, svc.commit(rec).to_api())
        return self._json(202, rec.to_api())

    def _receive_to(self, svc: StandInService, dest: Path) -> tuple[int, str]:
        """Stream the request body to dest, hashing it; the body faults act here (not on the answer).

        reset: read exactly `after_bytes` bytes, then drop the line (fires only if more was coming);
        slow: pace the reading; corrupt: flip the byte at `after_bytes` of what is stored.
        """
        plan = svc.faults
        faults, self._body_faults = self._body_faults, []
        slows = [x for x in faults if x.kind == "slow"]
        resets = sorted((x for x in faults if x.kind == "reset"), key=lambda x: x.after_bytes)
        flips = [x for x in faults if x.kind == "corrupt"]
        rate = 0
        h = hashlib.sha256()
        buf = bytearray(CHUNK if not slows else max(1, min(CHUNK, min(x.rate_bps for x in slows) // 2)))
        mv = memoryview(buf)
        got = 0
        t0 = time.monotonic()
        ok = False
        try:
            with open(dest, "wb", buffering=0) as out:
                while True:
                    while resets and resets[0].after_bytes <= got:
                        r = resets.pop(0)
                        if r.after_bytes == got and not self._body_consumed() and plan.fire(r):
                            self._reset()
                    lim = len(buf)
                    if resets:
                        lim = min(lim, resets[0].after_bytes - got)
                    n = self._read_body(mv[:lim])
                    if n == 0:
                        break
                    if got == 0 and slows:
                        rate = min((x.rate_bps for x in slows if plan.fire(x)), default=0)
                    for x in list(flips):
                        if got <= x.after_bytes < got + n and plan.fire(x):
                            buf[x.after_bytes - got] ^= 0xFF
                            flips.remove(x)
                    h.update(mv[:n])
                    write_all(out, mv[:n])
                    got += n
                    if got > svc.max_upload_bytes:
                        self.close_connection = True
                        raise ApiError(413, "too_large", "ファイルが大きすぎます。", "upload too large")
                    if rate:
                        ahead = got / rate - (time.monotonic() - t0)
                        if ahead > 0:
                            time.sleep(ahead)
            ok = True
        finally:
            if not ok:
                with contextlib.suppress(OSError):
                    dest.unlink()
        return got, h.hexdigest()

    def _commit(self, svc: StandInService, s: _Session, client_id: str) -> None:
        body = self._json_body()
        sha = _string_field(body, "sha256", _SHA)
        size = body.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise bad_request("size must be a non-negative integer")
        _no_extra(body, {"sha256", "size"})
        rec = svc.find_upload(s, client_id)
        if rec is None:
            raise ApiError(404, "not_found", "送信記録がありません。", "Nothing staged for this client id.")
        if rec.status == "received":
            if rec.sha256 == sha and rec.received_size == size:
                return self._json(200, rec.to_api())
            raise ApiError(409, "conflict", "この送信IDでは別のファイルが送信済みです。",
                           "This client id was already received with different content.")
        if rec.sha256 != sha or rec.received_size != size:
            svc.discard(rec)
            raise ApiError(422, "checksum_mismatch", "受信内容が送信元の SHA-256 と一致しません。",
                           "staged bytes do not match the declared sha256/size; discarded, send again")
        return self._json(201, svc.commit(rec).to_api())

    # ---- stand-in control (never part of the fund's API) --------------------------------------------
    def _control(self, svc: StandInService, path: str) -> None:
        if path == "/faults":
            if self.command == "GET":
                return self._json(200, {"faults": [f.to_dict() for f in svc.faults.armed()],
                                        "history": [f.to_dict() for f in svc.faults.history()]})
            if self.command == "POST":
                body = self._json_body()
                try:
                    fault = svc.faults.add(Fault.from_dict(body))
                except ValueError as e:
                    raise bad_request(str(e)) from None
                return self._json(201, fault.to_dict())
            if self.command == "DELETE":
                svc.faults.clear()
                return self._json(204, None)
        if path == "/sessions/expire" and self.command == "POST":
            svc.expire_sessions()
            self._drain()
            return self._json(204, None)
        raise ApiError(404, "not_found", "見つかりません。", "No such control endpoint.")


def _pct(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


def _string_field(body: dict[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    v = body.get(key)
    if not isinstance(v, str) or not pattern.match(v):
        raise bad_request(f"{key} is missing or malformed")
    return v


def _no_extra(body: dict[str, Any], allowed: set[str]) -> None:
    extra = set(body) - allowed
    if extra:
        raise bad_request(f"unknown field(s): {', '.join(sorted(extra))}")


def _query(q: dict[str, list[str]], key: str, pattern: re.Pattern[str]) -> str | None:
    vals = q.get(key)
    if not vals:
        return None
    if len(vals) > 1 or not pattern.match(vals[0]):
        raise bad_request(f"query parameter {key} is malformed")
    return vals[0]


def _parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """One `bytes=` range -> (start, end); 'unsatisfiable'; None = ignore the header (RFC 9110 §14.2)."""
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or (m.group(1) == "" and m.group(2) == ""):
        return None
    a, b = m.group(1), m.group(2)
    if a == "":
        n = int(b)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(size - n, 0), size - 1
    start = int(a)
    end = int(b) if b else size - 1
    if end < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)
