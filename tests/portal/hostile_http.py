"""A small hostile HTTP/1.1 server on 127.0.0.1 for the client's answer handling (JSON, limits, errors).

Each request is handed to a route function with the raw socket, so a test can answer normally, drip bytes,
send an endless body or odd JSON. The fund's real service is the one thing we stand in for; this one
misbehaves on purpose. One thread per connection; `stop()` ends every drip and closes every socket.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from typing import Any

# route(server, method, path, body, sock) -> None; the route writes the whole answer itself.
Route = Callable[["HostileServer", str, str, bytes, socket.socket], None]


def answer(status: int, body: bytes, *, content_type: str = "application/json", length: int | None = None,
           extra: str = "") -> bytes:
    """The head (and body) of a plain answer; `length` may lie about the body's size."""
    n = len(body) if length is None else length
    head = (f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {n}\r\n"
            f"Connection: close\r\n{extra}\r\n")
    return head.encode("latin-1") + body


def json_answer(obj: Any, status: int = 200) -> bytes:
    return answer(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))


LOGIN = {"token": "hostile-token-0001", "user_id": "demo", "expires_at": "2030-01-01T00:00:00+09:00",
         "issued_at": "2029-12-31T22:30:00+09:00", "establishments": [{"number": "0123", "name": "本社"}]}


def doc_entry(**over: Any) -> dict[str, Any]:
    d = {"id": "d1", "type": "決定通知書", "title": "決定通知書", "establishment": "0123", "date": "2024-05-24",
         "size": 1000, "sha256": "0" * 64, "file_name": "d1.zip", "unread": True}
    d.update(over)
    return d


class HostileServer:
    """`routes` maps "METHOD /path-suffix" (after the API prefix) to a route; the default answers login."""

    PREFIX = "/api/v1"

    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = {
            "POST /otp/requests": lambda s, m, p, b, sock: sock.sendall(json_answer({"ok": True}, 202)),
            "POST /sessions": lambda s, m, p, b, sock: sock.sendall(json_answer(LOGIN, 201)),
            "DELETE /sessions/current": lambda s, m, p, b, sock: sock.sendall(answer(204, b"")),
        }
        self.routes.update(routes or {})
        self.stopping = threading.Event()
        self.sent = 0  # bytes the slow/endless helpers pushed (a fault that is counted must have fired)
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True, name="hostile-accept")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.PREFIX}"

    def __enter__(self) -> HostileServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._listener.close()
        with self._lock:
            socks = list(self._socks)
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        for t in self._threads:
            t.join(timeout=5)

    def count(self, n: int) -> None:
        with self._lock:
            self.sent += n

    # ---- helpers for routes ----------------------------------------------------------------------------
    def drip(self, sock: socket.socket, data: bytes, every_s: float) -> None:
        """One byte every `every_s` seconds until done or the server stops."""
        for i in range(len(data)):
            if self.stopping.wait(every_s if i else 0):
                return
            sock.sendall(data[i:i + 1])
            self.count(1)

    def endless(self, sock: socket.socket, head: bytes, piece: bytes, limit: int = 1 << 40) -> None:
        """`head`, then `piece` over and over (up to `limit` bytes) until the client hangs up."""
        sock.sendall(head)
        sent = 0
        while sent < limit and not self.stopping.is_set():
            sock.sendall(piece)
            sent += len(piece)
            self.count(len(piece))

    # ---- plumbing ----------------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._socks.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True, name="hostile-conn")
            self._threads.append(t)
            t.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            buf = b""
            while b"\r\n\r\n" not in buf:
                got = sock.recv(65536)
                if not got:
                    return
                buf += got
            head, _, body = buf.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                k, _, v = line.partition(":")
                if k.strip().lower() == "content-length":
                    length = int(v.strip())
            while len(body) < length:
                got = sock.recv(65536)
                if not got:
                    break
                body += got
            path = target.split("?", 1)[0]
            if path.startswith(self.PREFIX):
                path = path[len(self.PREFIX):]
            route = self.routes.get(f"{method} {path}")
            if route is None:
                sock.sendall(json_answer({"code": "not_found", "message_en": "no"}, 404))
            else:
                route(self, method, path, body, sock)
        except OSError:
            pass  # the client hung up: that is what most tests want
        finally:
            try:
                sock.close()
            except OSError:
                pass
