"""The HTTP plumbing under the routes: the threaded server, JSON answers, dropped lines, reading
request bodies (Content-Length or chunked), and sending a body with the armed faults."""

from __future__ import annotations

import array
import contextlib
import io
import json
import logging
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from denshi_client.portal.standin.api import CHUNK, MAX_JSON, ApiError, _Reset, bad_request
from denshi_client.portal.standin.faults import Fault

if TYPE_CHECKING:
    from denshi_client.portal.standin.service import StandInService

log = logging.getLogger(__name__)


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


class _HandlerBase(BaseHTTPRequestHandler):
    """Everything a handler does below the routes: answer, reset, read bodies, send bodies with faults."""

    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60  # idle keep-alive connections
    server_version = "DenshiStandIn/1.0"
    sys_version = ""

    # set per request by `_Handler._dispatch` / `_prepare_body` / `_faults`
    _body_left: int | None
    _chunked: bool
    _chunk_left: int
    _chunk_eof: bool
    _body_faults: list[Fault]  # slow/reset/corrupt that may act on this request's one body
    _answer_faults: list[Fault]  # lose_answer
    _request_body_faults: bool  # uploads: the body faults act on the request, never on the answer

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

    # ---- sending a body ---------------------------------------------------------------------------
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
