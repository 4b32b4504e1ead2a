"""Chunked I/O for extraction and packing: raw reads, reused 1 MiB buffers, hashing on a second thread,
and bounded decompressors (never more than CHUNK per step, whatever the ratio)."""

from __future__ import annotations

import bz2
import hashlib
import io
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO

from denshi_client.documents.zip.errors import (
    err,
    truncated,
)
from denshi_client.documents.zip.model import (
    CHUNK,
    METHOD_BZIP2,
    METHOD_DEFLATE,
    METHOD_STORE,
    method_name,
)


class RawReader:
    """Exactly `length` bytes from `offset` of the archive, in chunks; short reads mean truncation."""

    def __init__(self, f: io.BufferedReader, offset: int, length: int) -> None:
        self.f, self.left = f, length
        f.seek(offset)

    def read(self, n: int) -> bytes:
        n = min(n, self.left)
        data = self.f.read(n)
        if len(data) != n:
            raise truncated("entry data cut short")
        self.left -= n
        return data

    def chunks(self, ring: Ring | None, keep_tail: int = 0, first: int = CHUNK) -> Iterator[bytes | memoryview]:
        """Views into reused ring buffers (safe while fewer than ring.size chunks are in flight),
        or fresh bytes without a ring (stream-unzip's ZipCrypto runs 3x slower on memoryviews)."""
        size = first  # AES: a first chunk of CHUNK-16 keeps later chunks on counter-span boundaries
        while self.left > keep_tail:
            n = min(size, self.left - keep_tail)
            if ring is None:
                yield self.read(n)
                size = CHUNK
                continue
            view = ring.next_in()[:n]
            got = self.f.readinto(view)
            if got != n:
                raise truncated("entry data cut short")
            self.left -= n
            yield view
            size = CHUNK


class Ring:
    """Reused 1 MiB input/output buffers: a fresh 1 MiB bytearray per chunk costs page faults
    worth more than AES itself. Size > Offload depth + 1, so a buffer is never refilled while
    a hashing thread may still read it."""

    size = 8

    def __init__(self) -> None:
        self._in = [bytearray(CHUNK) for _ in range(self.size)]
        self._out: list[bytearray] = []
        self._i = self._o = -1

    def next_in(self) -> memoryview:
        self._i = (self._i + 1) % self.size
        return memoryview(self._in[self._i])

    def next_out(self, n: int) -> memoryview:
        if not self._out:
            self._out = [bytearray(CHUNK) for _ in range(self.size)]
        self._o = (self._o + 1) % self.size
        return memoryview(self._out[self._o])[:n]


class Offload:
    """Feed a hash object from its own worker thread, in order, at most `depth` chunks behind.

    hashlib/hmac (OpenSSL) release the GIL on large buffers, so SHA-256 and HMAC-SHA1 run on
    the second core while the caller decrypts and writes: that is what puts AES unpack near 7-Zip.
    """

    def __init__(self, pool: ThreadPoolExecutor | None, h: Any, depth: int = 4) -> None:
        assert depth + 2 <= Ring.size
        self.pool, self.h, self.depth = pool, h, depth
        self.pending: deque[Future[None]] = deque()

    def update(self, data: bytes | bytearray | memoryview) -> None:
        if self.pool is None or len(data) < 65536:
            self.drain()
            self.h.update(data)
            return
        self.pending.append(self.pool.submit(self.h.update, data))
        if len(self.pending) > self.depth:
            self.pending.popleft().result()

    def drain(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def digest(self) -> bytes:
        self.drain()
        d: bytes = self.h.digest()
        return d

    def hexdigest(self) -> str:
        self.drain()
        d: str = self.h.hexdigest()
        return d


class HashAndWrite:
    """SHA-256 (for the caller), CRC-32 (for the check) and the write, in order, on the hashing
    thread: the main thread is left with reading and decrypting, which balances the two cores."""

    def __init__(self, out: BinaryIO, with_crc: bool, with_sha: bool = True) -> None:
        self.out = out
        self.sha = hashlib.sha256() if with_sha else None
        self.crc = 0
        self.with_crc = with_crc

    def update(self, data: bytes | bytearray | memoryview) -> None:
        if self.sha is not None:
            self.sha.update(data)
        if self.with_crc:
            self.crc = zlib.crc32(data, self.crc)
        self.out.write(data)

    def hexdigest(self) -> str:
        return self.sha.hexdigest() if self.sha is not None else ""


class Workers:
    """Two single-thread pools (ordering per hash is guaranteed by one worker each)."""

    def __init__(self) -> None:
        self.a = ThreadPoolExecutor(1, thread_name_prefix="zip-hash")
        self.b = ThreadPoolExecutor(1, thread_name_prefix="zip-mac")

    def quiesce(self) -> None:
        """Wait until both threads are idle (earlier tasks' errors stay with their futures)."""
        self.a.submit(int).result()
        self.b.submit(int).result()

    def close(self) -> None:
        self.a.shutdown(wait=True)
        self.b.shutdown(wait=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def inflater(method: int, name: str) -> Callable[[bytes | memoryview], Iterator[bytes]] | None:
    """A bounded decompressor: never returns more than CHUNK per step, whatever the input ratio."""
    if method == METHOD_STORE:
        return None
    if method == METHOD_DEFLATE:
        d = zlib.decompressobj(-15)

        def inflate(data: bytes | memoryview) -> Iterator[bytes]:
            buf = data
            while buf and not d.eof:
                out = d.decompress(buf, CHUNK)
                if out:
                    yield out
                elif len(d.unconsumed_tail) == len(buf):  # no progress: never spin on hostile data
                    break
                buf = d.unconsumed_tail
            while not d.eof and not buf:  # drain what zlib still holds
                out = d.decompress(b"", CHUNK)
                if not out:
                    break
                yield out

        inflate.done = lambda: d.eof  # type: ignore[attr-defined]
        return inflate
    if method == METHOD_BZIP2:
        b = bz2.BZ2Decompressor()

        def unbz(data: bytes | memoryview) -> Iterator[bytes]:
            buf = data
            while not b.eof:
                out = b.decompress(buf, CHUNK)
                buf = b""
                if out:
                    yield out
                if b.needs_input or not out:  # (no output and no request for input: never spin)
                    break

        unbz.done = lambda: b.eof  # type: ignore[attr-defined]
        return unbz
    raise err(
        "unsupported",
        f"「{name}」の圧縮方式（{method_name(method)}）には対応していません。",
        f"The compression method of '{name}' ({method_name(method)}) is not supported.",
        "7-Zip などで「ZIP・Deflate」形式に作り直すよう送信元にご依頼ください。",
        "Ask the sender to use ZIP with Deflate.",
    )
