"""A small hostile HTTP server speaking just enough of docs/openapi.yaml for the download path.

The stand-in (portal/standin) plays a well-behaved fund with injectable faults; this one plays a
misbehaving or malicious server, with exact control over what reaches the client: odd names and ids,
a break after exactly N body bytes (delivered first, then the connection ends), a stall, a document
that changes between two requests. Every request is recorded so a test can check what the client sent.

Shared test helper: import `HostileServer` and `HostileDoc`; add hooks here rather than a second server.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

API = "/api/v1"
TOKEN = "hostile-token"
_SIOCOUTQ = 0x5411  # Linux: bytes not yet acknowledged by the peer


@dataclass
class HostileDoc:
    """One inbox entry; `data` is what the content endpoint serves (change it to change the document)."""

    id: str
    file_name: str
    data: bytes
    establishment: str = "0123"
    title: str = "掛金計算書"
    doc_type: str = "掛金計算書"
    date: str = "2024-05-24"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def listing(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.doc_type, "title": self.title, "establishment": self.establishment,
                "date": self.date, "size": len(self.data), "sha256": self.sha256, "file_name": self.file_name,
                "unread": True}


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    status: int = 0
    body_sent: int = 0


@dataclass
class Behaviour:
    """How the content endpoint misbehaves. Counts are per response (a resume starts a new count)."""

    break_every: int | None = None  # deliver this many body bytes, then end the connection
    break_times: int = -1  # how many responses break (-1: all)
    break_by_reset: bool = False  # end with a TCP RST (after the peer has acknowledged every byte)
    stall_after: int | None = None  # deliver this many bytes, then go silent for stall_s
    stall_s: float = 5.0
    ignore_range: bool = False  # always answer 200 with the whole body
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take_break(self) -> int | None:
        with self.lock:
            if self.break_every is None or self.break_times == 0:
                return None
            if self.break_times > 0:
                self.break_times -= 1
            return self.break_every


class HostileServer:
    """`with HostileServer() as srv:` — srv.base_url, srv.docs, srv.behaviour, srv.seen."""

    def __init__(self, docs: list[HostileDoc] | None = None):
        self.docs: dict[str, HostileDoc] = {d.id: d for d in docs or []}
        self.behaviour = Behaviour()
        self.seen: list[Seen] = []
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.reset = set()
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hostile-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{API}"

    def add(self, doc: HostileDoc) -> HostileDoc:
        self.docs[doc.id] = doc
        return doc

    def content_requests(self) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith("/content")]

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class _Server(ThreadingHTTPServer):
    """Ends a connection marked for reset with a bare RST (the base class would send a FIN first)."""

    reset: set[socket.socket]

    def shutdown_request(self, request: Any) -> None:
        if request in getattr(self, "reset", ()):
            self.reset.discard(request)
            self.close_request(request)  # SO_LINGER 0: close() sends RST
            return
        super().shutdown_request(request)


def _make_handler(srv: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: object, seen: Seen) -> None:
            raw = json.dumps(body).encode()
            seen.status = status
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _seen(self) -> Seen:
            s = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            srv.seen.append(s)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            return s

        def do_POST(self) -> None:
            seen = self._seen()
            path = urlsplit(self.path).path
            if path == API + "/otp/requests":
                self._json(202, {"accepted": True}, seen)
            elif path == API + "/sessions":
                ests = sorted({d.establishment for d in srv.docs.values()}) or ["0123"]
                self._json(201, {"token": TOKEN, "user_id": "demo", "expires_at": "2099-01-01T00:00:00+09:00",
                                 "establishments": [{"number": e, "name": "事業所"} for e in ests]}, seen)
            elif path.endswith("/read"):
                seen.status = 204
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._json(404, {"error": {"code": "not_found", "message": "not found"}}, seen)

        def do_GET(self) -> None:
            seen = self._seen()
            path = urlsplit(self.path).path
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._json(401, {"error": {"code": "unauthorized", "message": "login"}}, seen)
                return
            if path == API + "/documents":
                self._json(200, {"documents": [d.listing() for d in srv.docs.values()]}, seen)
                return
            m = re.fullmatch(re.escape(API) + r"/documents/(.+)/content", path)
            doc = srv.docs.get(unquote(m.group(1))) if m else None
            if doc is None:
                self._json(404, {"error": {"code": "not_found", "message": "no such document"}}, seen)
                return
            self._content(doc, seen)

        def _content(self, doc: HostileDoc, seen: Seen) -> None:
            data, b = doc.data, srv.behaviour
            etag = f'"{doc.sha256}"'
            start = 0
            rng = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
            if_range = self.headers.get("If-Range")
            if rng and not b.ignore_range and (if_range is None or if_range == etag):
                start = int(rng.group(1))
            body = data[start:]
            seen.status = 206 if start else 200
            self.send_response(seen.status)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Accept-Ranges", "bytes")
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            cut = b.take_break()
            limit = len(body) if cut is None else min(cut, len(body))
            if b.stall_after is not None:
                limit = min(limit, b.stall_after)
            self.wfile.write(body[:limit])
            self.wfile.flush()
            seen.body_sent = limit
            if limit == len(body):
                return
            if b.stall_after is not None and limit == b.stall_after:
                time.sleep(b.stall_s)
            self._end(b.break_by_reset)

        def _end(self, reset: bool) -> None:
            """Break off: the bytes written so far reach the client first, then the connection ends."""
            sock = self.connection
            if reset:
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline and _unacked(sock) > 0:
                    time.sleep(0.005)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                server = self.server
                assert isinstance(server, _Server)
                server.reset.add(sock)
            else:
                sock.shutdown(socket.SHUT_WR)
            self.close_connection = True

    return Handler


def _unacked(sock: socket.socket) -> int:
    import fcntl

    try:
        raw = fcntl.ioctl(sock.fileno(), _SIOCOUTQ, b"\0\0\0\0")
    except OSError:
        return 0
    return int(struct.unpack("i", raw)[0])
