"""HTTP/1.1 transport for every call to the fund (generic; knows nothing of the fund's paths).

Every exchange runs under an overall deadline: a watchdog shuts the socket down when it passes, which wakes
a read that a per-read timeout would never end (a server dripping one byte every few seconds). JSON answers
are read in pieces up to a size cap, so memory stays bounded whatever the server sends.

Why not httpx for bodies: httpx/h11 hand out the body in 64 KiB `bytes` and copy each one twice on the way,
which at loopback or LAN speed halves throughput and doubles CPU. `http.client` reads straight into our
own reusable 1 MiB buffers (`readinto`) and sends from them, so every byte is copied once by the kernel,
once to disk and read once by SHA-256 — on a writer thread, overlapping the network. JSON calls
use the same connection code (one deadline mechanism, one TLS context).
"""

from __future__ import annotations

import http.client
import json
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any
from urllib.parse import urlencode, urlsplit

from denshi_client.errors import PortalError
from denshi_client.portal import errors as pe

CHUNK = 1 << 20
RECV_MAX = 4 << 20
# Writes are cut to 256 KiB: with 1 MiB write() calls Linux 6.16+ (ext4 large folios) spent up to 3x the
# CPU copying into the page cache after another process had freed a large file (A/B on this 2-core VM:
# 1 GiB download 0.9-1.0 s in 4 of 4 runs, vs 0.9-2.8 s). On a busier VM the copy still slows at times.
WRITE_STEP = 256 * 1024
MIN_CHUNK = 64 * 1024
MAX_ERROR_BODY = 64 * 1024
# A JSON answer larger than this is refused (the longest real listing is a few hundred kB).
MAX_JSON_BYTES = 4 << 20
JSON_PIECE = 64 * 1024


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


class Watchdog:
    """Shuts `sock` down at `deadline` (time.monotonic), waking any read blocked on it.

    A per-read timeout never fires while a server drips a byte every few seconds; this does. `fired` tells
    the caller that the end it saw (EOF, reset) was ours. `cancel()` before closing the socket: the lock
    makes sure the shutdown never reaches a descriptor number that was closed and reused meanwhile.
    """

    def __init__(self, sock: socket.socket, deadline: float):
        self.fired = False
        self._sock = sock
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            try:  # the plain socket's shutdown, also for an SSLSocket (its own would drop the TLS object)
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()


def too_large(limit: int) -> PortalError:
    return pe.ServerError(
        f"電子連携サービスの応答が大きすぎるため読み取りを中止しました（上限 {limit // (1 << 20)} MiB）。"
        "時間をおいて再度お試しください。",
        f"The service's answer was too large and was not read (limit {limit // (1 << 20)} MiB). "
        "Please try again later.",
        code="too_large",
    )


def read_capped(resp: http.client.HTTPResponse, limit: int) -> bytes:
    """The whole body, read in pieces; more than `limit` bytes (declared or sent) -> too_large."""
    declared = resp.getheader("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_large(limit)
    buf = bytearray()
    while True:
        piece = resp.read(JSON_PIECE)
        if not piece:
            return bytes(buf)
        if len(buf) + len(piece) > limit:
            raise too_large(limit)
        buf += piece


class BulkTransport:
    """Opens one HTTP/1.1 connection per transfer to the API base URL."""

    def __init__(self, base_url: str, ssl_context: ssl.SSLContext | None, connect_timeout: float,
                 read_timeout: float, user_agent: str):
        u = urlsplit(base_url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise pe.PortalError("電子連携サービスの URL が正しくありません。設定をご確認ください。",
                                 "The service URL is not valid. Please check the settings.", code="bad_url")
        if "@" in u.netloc:  # never the URL itself in the message: it holds a password
            raise pe.PortalError("電子連携サービスの URL にユーザー名やパスワード（user:password@）を"
                                 "含めることはできません。",
                                 "The service URL must not contain a user name or password (user:password@).",
                                 code="bad_url")
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

    def connect_within(self, deadline: float) -> http.client.HTTPConnection:
        """connect(), but never waiting past `deadline`; PortalTimeout when it has already passed."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise pe.timeout()
        return self.connect(min(self.connect_timeout, left))

    @contextmanager
    def guard(self, conn: http.client.HTTPConnection, deadline: float) -> Iterator[http.client.HTTPConnection]:
        """Use `conn` until `deadline` (time.monotonic) at most; closes it. PortalTimeout after the deadline.

        Whatever the block raised after the watchdog fired (EOF, reset, a short body, a retry request), it
        becomes one PortalTimeout, which callers do not retry: the operation's time is used up.
        """
        assert conn.sock is not None
        dog = Watchdog(conn.sock, deadline)
        try:
            yield conn
        except Exception:
            if dog.fired:
                raise pe.timeout() from None
            raise
        finally:
            dog.cancel()
            conn.close()
        if dog.fired:
            raise pe.timeout()

    def exchange(self, method: str, path: str, *, params: dict[str, str] | None = None, body: bytes | None = None,
                 headers: dict[str, str], deadline: float, limit: int = MAX_JSON_BYTES) -> tuple[int, bytes]:
        """One request with a small body; returns (status, answer bytes). Network failures -> typed errors."""
        try:
            with self.guard(self.connect_within(deadline), deadline) as conn:
                hdrs = {"User-Agent": self.user_agent, "Accept": "application/json", **headers}
                if body is not None:
                    hdrs.setdefault("Content-Type", "application/json")
                conn.request(method, self.path(path, params), body=body, headers=hdrs)
                r = conn.getresponse()
                if 200 <= r.status < 300:
                    return r.status, read_capped(r, limit)
                return r.status, r.read(MAX_ERROR_BODY)  # an error's first 64 KiB, for the log only
        except (OSError, ssl.SSLError) as e:
            raise translate_os_error(e) from None
        except http.client.HTTPException:
            raise pe.bad_response() from None

    def connect(self, timeout: float | None = None) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self.https:
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=timeout or self.connect_timeout,
                                               context=self.ssl_context)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.connect_timeout)
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


def write_all(out: IO[Any], mv: memoryview) -> None:
    """Write every byte, in WRITE_STEP pieces (a raw file may also take fewer bytes than offered)."""
    while mv:
        w = out.write(mv[:WRITE_STEP])
        mv = mv[w:] if w else mv[len(mv):]


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
        write_all(self._out, mv)

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
    link: up to 4 MiB on a fast line (each buffer is handed between three threads; fewer hand-offs took
    ~20 % less CPU per GiB), down to 64 KiB on a slow one, so progress and cancel stay responsive.
    """
    writer = _WriterThread(out, hasher, nbuf=4, size=RECV_MAX)
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
            elif elapsed < 0.25 and want < RECV_MAX:  # not on one busy moment of a shared PC
                want = min(RECV_MAX, want * 2)
    finally:
        writer.finish()
    return done


class _TooLong(Exception):
    """The server sent more than the listed size."""


def send_file(sock: socket.socket, f: Any, size: int, hasher: Any, tick: Callable[[int], None],
              chunk: int = CHUNK) -> int:
    """Send `size` bytes of the open file `f` on `sock` (hashing exactly what is sent); returns the bytes sent.

    One thread, one reused buffer: read, send, hash. Measured against a read-ahead thread and against
    sendfile() with a side hasher, this plain loop was the fastest on two cores (1 GiB: 0.92-1.08 s vs
    1.0-1.7 s) — the receiving end, not our CPU, sets the pace, and extra threads only add hand-offs.
    `tick(sent)` runs after every buffer (progress + cancel; it may raise).
    """
    sent = 0
    with memoryview(bytearray(chunk)) as mv:
        while sent < size:
            n = f.readinto(mv[: min(chunk, size - sent)])
            if not n:
                break  # the file became shorter: the caller sees sent != size
            sock.sendall(mv[:n])
            if hasher is not None:
                hasher.update(mv[:n])
            sent += n
            tick(sent)
    return sent
