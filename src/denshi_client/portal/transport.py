"""Bulk body transport for downloads and uploads (generic HTTP/1.1; knows nothing of the fund's paths).

Why not httpx here: httpx/h11 hand out the body in 64 KiB `bytes` and copy each one twice on the way,
which at loopback or LAN speed halves throughput and doubles CPU. `http.client` reads straight into our
own reusable 1 MiB buffers (`readinto`) and sends from them, so every byte is copied once by the kernel,
once to disk and read once by SHA-256 — on a writer thread, overlapping the network. httpx still does
every other call (JSON, sessions); both use the same TLS context and timeouts.
"""

from __future__ import annotations

import http.client
import json
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import IO, Any
from urllib.parse import urlencode, urlsplit

from denshi_client.errors import PortalError
from denshi_client.portal import errors as pe

CHUNK = 1 << 20
MIN_CHUNK = 64 * 1024
MAX_ERROR_BODY = 64 * 1024


def interrupted() -> PortalError:
    return pe.ServerError(
        "電子連携サービスとの通信が途中で切断されました。VPN接続の状態をご確認のうえ、再度お試しください。",
        "The connection to the service was interrupted. Please check the VPN connection and try again.",
        code="interrupted",
    )


def translate_os_error(exc: BaseException, *, connecting: bool = False) -> PortalError:
    """socket/ssl/http.client failure -> typed error (never with the URL or headers in it)."""
    if isinstance(exc, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return pe.tls_untrusted()
    if isinstance(exc, TimeoutError | socket.timeout):
        return pe.unreachable() if connecting else pe.timeout()
    if connecting:
        return pe.unreachable()
    return interrupted()


class BulkTransport:
    """Opens one HTTP/1.1 connection per transfer to the API base URL."""

    def __init__(self, base_url: str, ssl_context: ssl.SSLContext | None, connect_timeout: float,
                 read_timeout: float, user_agent: str):
        u = urlsplit(base_url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise pe.PortalError("電子連携サービスの URL が正しくありません。設定をご確認ください。",
                                 "The service URL is not valid. Please check the settings.", code="bad_url")
        self.https = u.scheme == "https"
        self.host = u.hostname
        self.port = u.port or (443 if self.https else 80)
        self.base_path = u.path.rstrip("/")
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.user_agent = user_agent

    def path(self, path: str, params: dict[str, str] | None = None) -> str:
        return self.base_path + path + ("?" + urlencode(params) if params else "")

    def connect(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self.https:
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.connect_timeout,
                                               context=self.ssl_context)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        try:
            conn.connect()
        except (OSError, ssl.SSLError) as e:
            conn.close()
            raise translate_os_error(e, connecting=True) from None
        assert conn.sock is not None
        conn.sock.settimeout(self.read_timeout)
        return conn

    def headers(self, extra: dict[str, str]) -> dict[str, str]:
        return {"User-Agent": self.user_agent, "Accept": "*/*", **extra}


def error_body(resp: http.client.HTTPResponse) -> Any:
    """The JSON error of a non-success answer (bounded read), or None."""
    try:
        raw = resp.read(MAX_ERROR_BODY)
        return json.loads(raw.decode("utf-8"))
    except (ValueError, OSError, http.client.HTTPException):
        return None


class _WriterThread:
    """Writes and hashes filled buffers while the caller receives into the next free one.

    Writing and hashing run on two threads of their own (both release the GIL), so on a multi-core
    PC the slower of the two, not their sum, sets the pace. A buffer is reused once both are done.
    """

    def __init__(self, out: IO[Any], hasher: Any, nbuf: int, size: int):
        self.free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(nbuf):
            self.free.put(bytearray(size))
        self._queues: list[queue.Queue[tuple[bytearray, int] | None]] = [queue.Queue(), queue.Queue()]
        self._pending: dict[int, int] = {}
        self._lock = threading.Lock()
        self._out = out
        self._h = hasher
        self.error: BaseException | None = None
        self._threads = [
            threading.Thread(target=self._run, args=(self._queues[0], self._write), name="portal-writer",
                             daemon=True),
            threading.Thread(target=self._run, args=(self._queues[1], self._hash), name="portal-hasher",
                             daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _write(self, mv: memoryview) -> None:
        while mv:
            w = self._out.write(mv)
            mv = mv[w:] if w else mv[len(mv):]

    def _hash(self, mv: memoryview) -> None:
        self._h.update(mv)

    def _run(self, q: queue.Queue[tuple[bytearray, int] | None], work: Callable[[memoryview], None]) -> None:
        while True:
            item = q.get()
            if item is None:
                return
            buf, n = item
            if self.error is None:
                try:
                    with memoryview(buf) as whole, whole[:n] as mv:
                        work(mv)
                except BaseException as e:
                    self.error = e
            with self._lock:
                self._pending[id(buf)] -= 1
                done = self._pending[id(buf)] == 0
            if done:
                self.free.put(buf)

    def submit(self, buf: bytearray, n: int) -> None:
        with self._lock:
            self._pending[id(buf)] = 2
        for q in self._queues:  # the same order on both: the hash sees the bytes in file order
            q.put((buf, n))

    def finish(self) -> None:
        for q in self._queues:
            q.put(None)
        for t in self._threads:
            t.join()
        if self.error is not None:
            raise self.error


def receive_body(resp: http.client.HTTPResponse, out: IO[Any], hasher: Any, done: int, total: int,
                 tick: Callable[[int], None]) -> int:
    """Stream the response body to `out` (hashing it); returns the new byte count.

    `tick(done)` runs after every buffer (progress + cancel; it may raise). The request size adapts to the
    link: 1 MiB buffers on a fast line, down to 64 KiB on a slow one, so cancel stays responsive.
    """
    writer = _WriterThread(out, hasher, nbuf=4, size=CHUNK)
    want = CHUNK
    try:
        while True:
            if writer.error is not None:
                break
            buf = writer.free.get()
            t0 = time.monotonic()
            mv = memoryview(buf)[:want]
            got = 0
            while got < want:
                n = resp.readinto(mv[got:])
                if not n:
                    break
                got += n
            del mv
            if got == 0:
                writer.free.put(buf)
                break
            if done + got > total:
                writer.free.put(buf)
                raise _TooLong
            writer.submit(buf, got)
            done += got
            tick(done)
            if got < want:
                break  # end of body
            elapsed = time.monotonic() - t0
            if elapsed > 1.0:  # a slow line (< 1 MiB/s): smaller reads keep progress and cancel responsive
                want = max(MIN_CHUNK, want // 2)
            elif elapsed < 0.25 and want < CHUNK:  # not on one busy moment of a shared PC
                want = min(CHUNK, want * 2)
    finally:
        writer.finish()
    return done


class _TooLong(Exception):
    """The server sent more than the listed size."""


class FileReader:
    """Reads (and hashes) the next buffers of a file on a thread while the caller sends the previous one.

    The hash is of exactly the bytes handed out, so it is the digest of what was sent even if the file
    changes underneath. Why not mmap (one copy less): a mapped file on a network share that drops, or
    one truncated by another program, crashes the process (SIGBUS / in-page error) instead of raising.
    """

    def __init__(self, f: Any, size: int, hasher: Any, chunk: int = CHUNK, nbuf: int = 3):
        self._f = f
        self._size = size
        self._h = hasher
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(nbuf):
            self._free.put(bytearray(chunk))
        self._full: queue.Queue[tuple[bytearray, int] | BaseException | None] = queue.Queue()
        self._stop = threading.Event()
        self._current: bytearray | None = None
        self._t = threading.Thread(target=self._run, name="portal-reader", daemon=True)
        self._t.start()

    def _run(self) -> None:
        left = self._size
        try:
            while left > 0 and not self._stop.is_set():
                buf = self._free.get()
                if self._stop.is_set():
                    break
                mv = memoryview(buf)[: min(len(buf), left)]
                n = self._f.readinto(mv)
                if not n:
                    self._free.put(buf)
                    break
                if self._h is not None:
                    self._h.update(mv[:n])
                del mv
                left -= n
                self._full.put((buf, n))
            self._full.put(None)
        except BaseException as e:
            self._full.put(e)

    def next(self) -> memoryview | None:
        """The next filled buffer, or None at the end of the file."""
        if self._current is not None:
            self._free.put(self._current)
            self._current = None
        item = self._full.get()
        if item is None:
            return None
        if isinstance(item, BaseException):
            raise item
        buf, n = item
        self._current = buf
        return memoryview(buf)[:n]

    def close(self) -> None:
        self._stop.set()
        if self._current is not None:
            self._free.put(self._current)
            self._current = None
        self._free.put(bytearray(0))  # wake a reader waiting for a buffer
        self._t.join()

    def send_all(self, sock: socket.socket, tick: Callable[[int], None]) -> int:
        """Send the whole file; returns the bytes sent."""
        sent = 0
        try:
            while (mv := self.next()) is not None:
                sock.sendall(mv)
                sent += len(mv)
                del mv
                tick(sent)
        finally:
            self.close()
        return sent
