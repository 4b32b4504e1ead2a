"""Password ZIP: pack (AES-256 or ZipCrypto) and a paranoid, streaming, all-or-nothing unpack.

Why our own reader/writer instead of pyzipper: pyzipper cannot write ZipCrypto, reads
ZipCrypto in pure Python (0.5 MiB/s), checks AES with a slow HMAC and offers only
extract(), which trusts names. Here the central directory is parsed by the stdlib
`zipfile` (robust, ZIP64-aware), and each entry's raw bytes are read, decrypted
(WinZip AES in winzip_aes.py, ZipCrypto via stream-unzip's compiled decryptor) and
inflated by us in 1 MiB chunks, hashing on a second thread.
See docs/zip.md for the rules (names, limits, collisions) and their reasons.
"""

from __future__ import annotations

import bz2
import contextlib
import enum
import errno
import functools
import hashlib
import hmac
import io
import itertools
import logging
import os
import re
import secrets
import shutil
import socket
import stat
import struct
import sys
import time
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from denshi_client.documents import winzip_aes, zipcrypto, zipnames
from denshi_client.errors import ArchiveError

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
Progress = Callable[[int, int], None]

# Tiny files compress absurdly well (a page of blanks); the ratio limit only bites past this size.
RATIO_FLOOR_BYTES = 1024 * 1024
# Uncompressed sizes from here on get ZIP64 fields (Deflate may grow incompressible data a little).
ZIP64_THRESHOLD = 0xF000_0000
# Sample size used to decide Store vs Deflate (scanned PDFs are already compressed).
_SAMPLE = 256 * 1024

_LOCAL_SIG = b"PK\x03\x04"
_CENTRAL_SIG = b"PK\x01\x02"
_EOCD_SIG = b"PK\x05\x06"
_EOCD64_SIG = b"PK\x06\x06"
_EOCD64_LOC_SIG = b"PK\x06\x07"
_AES_EXTRA = 0x9901
_ZIP64_EXTRA = 0x0001
_METHOD_STORE, _METHOD_DEFLATE, _METHOD_BZIP2, _METHOD_AES = 0, 8, 12, 99
_METHOD_NAMES = {0: "store", 8: "deflate", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd", 95: "xz"}
_AES_STRENGTH = {1: 16, 2: 24, 3: 32}  # key bytes; salt is half of it
_FLAG_ENCRYPTED, _FLAG_DESCRIPTOR, _FLAG_STRONG = 0x1, 0x8, 0x40
_DOS_REPARSE_POINT = 0x400
# "Version made by": host NTFS (11), spec 6.3. Debian's Info-ZIP unzip garbles UTF-8 names from a
# FAT (0) host despite bit 11, NTFS works everywhere. Legacy CP932 archives mimic Windows tools (FAT).
_MADE_BY_NTFS, _MADE_BY_FAT = (11 << 8) | 63, (0 << 8) | 63


class ZipFormat(enum.Enum):
    AES256 = "aes256"
    ZIPCRYPTO = "zipcrypto"


@dataclass(frozen=True)
class UnpackLimits:
    max_total_bytes: int = 2 * 1024**3
    max_entries: int = 1000
    max_ratio: float = 200.0
    max_entry_bytes: int = 1024**3


@dataclass(frozen=True)
class ExtractedFile:
    name: str
    path: Path
    size: int
    sha256: str
    original_name: str  # raw name as in archive (decoded)


@dataclass(frozen=True)
class UnpackResult:
    files: list[ExtractedFile]
    renamed: dict[str, str]  # original -> safe name


@dataclass(frozen=True)
class PackResult:
    path: Path
    size: int
    sha256: str
    entries: list[str]


@dataclass(frozen=True)
class EntryInfo:
    name: str  # decoded path as stored in the archive (NFC)
    safe_name: str  # the file name unpack would use (before "(2)" numbering)
    size: int
    compressed_size: int
    encrypted: bool
    encryption: str  # "aes256" | "aes192" | "aes128" | "zipcrypto" | "none"
    compression: str  # "store" | "deflate" | "bzip2" | ...
    method: str  # e.g. "aes256+deflate"
    is_dir: bool
    is_link: bool
    utf8_flag: bool
    modified: datetime | None


# ---------------------------------------------------------------------------------------------- errors


def _err(code: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> ArchiveError:
    return ArchiveError(ja, en, code=code, hint_ja=hint_ja, hint_en=hint_en)


def _wrong_password() -> ArchiveError:
    return _err(
        "wrong_password",
        "パスワードが違うため、ZIP ファイルを開けませんでした。",
        "The password is wrong, so the ZIP file could not be opened.",
        "基金から通知されたパスワードをご確認ください。ファイルは何も保存していません。",
        "Check the password the fund gave you. No file was saved.",
    )


def _corrupt(entry: str, detail_en: str = "") -> ArchiveError:
    return _err(
        "corrupt",
        f"ZIP ファイルの中身「{entry}」が壊れているか、改ざんされています（またはパスワードが違います）。",
        f"The entry '{entry}' is damaged or was tampered with (or the password is wrong)."
        + (f" ({detail_en})" if detail_en else ""),
        "もう一度ダウンロードしてください。ファイルは何も保存していません。",
        "Download it again. No file was saved.",
    )


def _truncated(what: str = "") -> ArchiveError:
    return _err(
        "truncated",
        "ZIP ファイルが途中で切れています（ダウンロードが完了していない可能性があります）。",
        "The ZIP file is cut short (the download may not have finished)." + (f" ({what})" if what else ""),
        "もう一度ダウンロードしてください。ファイルは何も保存していません。",
        "Download it again. No file was saved.",
    )


def _not_a_zip(path: Path) -> ArchiveError:
    return _err(
        "not_a_zip",
        f"「{path.name}」は ZIP ファイルではありません。",
        f"'{path.name}' is not a ZIP file.",
    )


def _cancelled() -> ArchiveError:
    return _err("cancelled", "処理を中止しました。途中のファイルは削除しました。",
                "Cancelled. Partial files were removed.")


def _disk_full() -> ArchiveError:
    return _err(
        "disk_full",
        "保存先の空き容量が足りません。途中のファイルは削除しました。",
        "Not enough free space at the destination. Partial files were removed.",
        "不要なファイルを削除するか、別の保存先を選んでください。",
        "Free some space or choose another folder.",
    )


def _bomb(entry: str, why_en: str) -> ArchiveError:
    return _err(
        "bomb",
        f"ZIP ファイル内の「{entry}」が大きすぎるため、安全のため展開を中止しました。",
        f"Stopped for safety: '{entry}' would expand too much ({why_en}).",
        "送信元にご確認ください。ファイルは何も保存していません。",
        "Please check with the sender. No file was saved.",
    )


def _overlap(first: str, second: str) -> ArchiveError:
    return _err(
        "bomb",
        f"ZIP ファイル内の「{first}」と「{second}」のデータが重なっています。1 つのデータを何度も展開させる"
        "不正な作り（ZIP 爆弾）のおそれがあるため、展開しませんでした。",
        f"The data of '{first}' and '{second}' in the ZIP file overlap, a layout used by zip bombs; "
        "nothing was unpacked.",
        "送信元にご確認ください。ファイルは何も保存していません。",
        "Please check with the sender. No file was saved.",
    )


def _into_directory(entry: str) -> ArchiveError:
    return _err(
        "bomb",
        f"ZIP ファイル内の「{entry}」のデータが、ZIP の目次（セントラルディレクトリ）と重なっています。"
        "不正に作られた ZIP ファイルのおそれがあるため、展開しませんでした。",
        f"The data of '{entry}' runs into the ZIP file's central directory (a forged layout); "
        "nothing was unpacked.",
        "送信元にご確認ください。ファイルは何も保存していません。",
        "Please check with the sender. No file was saved.",
    )


def _name_not_utf8(raw: bytes) -> ArchiveError:
    """Flag bit 11 says UTF-8 but the bytes are not: a tool that sets the flag and writes Shift_JIS."""
    shown = "".join(c if c.isprintable() else "?" for c in raw.decode("cp932", "replace"))[:120]
    return _err(
        "name_encoding",
        f"ZIP ファイル内のファイル名「{shown}」を読み取れません。この ZIP は名前を UTF-8 で記録したと"
        "示していますが、実際には別の文字コード（Shift_JIS など）で記録されています。",
        f"The file name '{shown}' in the ZIP file cannot be read: the ZIP says its names are UTF-8, "
        "but they are stored in another encoding (such as Shift_JIS).",
        "送信元に、7-Zip または Windows 標準の「圧縮（zip 形式）フォルダー」で ZIP ファイルを作り直して"
        "いただくようご依頼ください。ファイルは何も保存していません。",
        "Ask the sender to re-create the ZIP file with 7-Zip or Windows' built-in "
        "'Compressed (zipped) folder'. No file was saved.",
    )


def _os_error(e: OSError) -> ArchiveError:
    if e.errno == errno.ENOSPC or getattr(e, "winerror", None) in (39, 112):
        return _disk_full()
    return _err("io", f"ファイルの読み書きに失敗しました（{e.strerror or type(e).__name__}）。",
                f"Reading or writing a file failed ({e.strerror or type(e).__name__}).")


def _check_cancel(cancel: object | None) -> None:
    if cancel is not None and getattr(cancel, "cancelled", False):
        raise _cancelled()


# ------------------------------------------------------------------------------------------- reading


@dataclass
class _Entry:
    info: zipfile.ZipInfo
    name: str
    safe: str
    encryption: str
    compression: int  # real compression method (inside AES)
    aes_key_len: int = 0
    aes_vendor_version: int = 0
    is_dir: bool = False
    is_link: bool = False
    data_start: int = -1  # from the local header (see _locate)
    dos_time: int = 0  # from the local header (the ZipCrypto check byte with a data descriptor)

    @property
    def encrypted(self) -> bool:
        return self.encryption != "none"


def _aes_extra(extra: bytes) -> tuple[int, int, int] | None:
    """(vendor_version, strength, real_method) from the WinZip AES extra field."""
    i = 0
    while i + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        i += 4 + size
        if hid == _AES_EXTRA and len(body) >= 7 and body[2:4] == b"AE":
            ver, _vendor, strength, method = struct.unpack_from("<H2sBH", body)
            return ver, strength, method
    return None


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) == stat.S_IFLNK:
        return True
    return bool(info.external_attr & _DOS_REPARSE_POINT)


def _classify(info: zipfile.ZipInfo) -> _Entry:
    name = zipnames.decode_entry_name(info.orig_filename, info.flag_bits, info.extra)
    is_dir = name.endswith(("/", "\\"))
    encryption, method, key_len, ver = "none", info.compress_type, 0, 0
    if info.flag_bits & _FLAG_ENCRYPTED:
        if info.compress_type == _METHOD_AES:
            aes = _aes_extra(info.extra)
            if aes is None:
                raise _corrupt(name, "AES entry without its extra field")
            ver, strength, method = aes
            key_len = _AES_STRENGTH.get(strength, 0)
            if not key_len:
                raise _corrupt(name, f"unknown AES strength {strength}")
            encryption = f"aes{key_len * 8}"
        elif info.flag_bits & _FLAG_STRONG:
            encryption = "pkware-strong"
        else:
            encryption = "zipcrypto"
    return _Entry(info, name, zipnames.safe_name(name), encryption, method, key_len, ver, is_dir, _is_link(info))


def _read_directory(archive: Path) -> tuple[list[_Entry], int]:
    """The classified entries and where the central directory starts (the end of all entry data)."""
    try:
        with zipfile.ZipFile(archive) as z:
            infos = z.infolist()
            cd_start: int = z.start_dir
    except FileNotFoundError:
        raise _err("not_found", f"ファイル「{archive.name}」が見つかりません。",
                   f"File '{archive.name}' was not found.") from None
    except IsADirectoryError:
        raise _not_a_zip(archive) from None
    except OSError as e:
        raise _os_error(e) from None
    except UnicodeDecodeError as e:  # zipfile decodes names with bit 11 set as UTF-8
        raise _name_not_utf8(bytes(e.object)) from None
    except NotImplementedError:  # zipfile: "version needed to extract" beyond 6.3
        raise _err("unsupported", f"「{archive.name}」は対応していない ZIP の形式で作られています。",
                   f"'{archive.name}' uses a ZIP format version that is not supported.",
                   "7-Zip などで標準の ZIP（Deflate）形式に作り直すよう送信元にご依頼ください。",
                   "Ask the sender to make a standard ZIP (Deflate).") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, EOFError):
        with open(archive, "rb") as f:
            head = f.read(4)
        if head == _LOCAL_SIG:
            raise _truncated("no central directory") from None
        raise _not_a_zip(archive) from None
    except Exception as e:  # zipfile on hostile bytes: whatever else it raises is still a broken archive
        raise _corrupt(archive.name, f"unreadable central directory ({type(e).__name__})") from None
    return [_classify(i) for i in infos], cd_start


def _method_name(m: int) -> str:
    return _METHOD_NAMES.get(m, f"method-{m}")


def _dos_datetime(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time)
    except ValueError:
        return None


def list_entries(archive: Path) -> list[EntryInfo]:
    """What is inside, without a password (ZIP never encrypts names or sizes)."""
    out = []
    for e in _read_directory(Path(archive))[0]:
        comp = _method_name(e.compression)
        out.append(
            EntryInfo(
                name=e.name, safe_name=e.safe, size=e.info.file_size, compressed_size=e.info.compress_size,
                encrypted=e.encrypted, encryption=e.encryption, compression=comp,
                method=f"{e.encryption}+{comp}" if e.encrypted else comp,
                is_dir=e.is_dir, is_link=e.is_link, utf8_flag=bool(e.info.flag_bits & zipnames.UTF8_FLAG),
                modified=_dos_datetime(e.info),
            )
        )
    return out


def _password_candidates(password: str) -> list[bytes]:
    """UTF-8 (WinZip AES spec, 7-Zip) and, for non-ASCII passwords, CP932 (Japanese Windows tools)."""
    cands = [password.encode("utf-8")]
    with contextlib.suppress(UnicodeEncodeError):
        sj = password.encode("cp932")
        if sj not in cands:
            cands.append(sj)
    return cands


class _RawReader:
    """Exactly `length` bytes from `offset` of the archive, in chunks; short reads mean truncation."""

    def __init__(self, f: io.BufferedReader, offset: int, length: int) -> None:
        self.f, self.left = f, length
        f.seek(offset)

    def read(self, n: int) -> bytes:
        n = min(n, self.left)
        data = self.f.read(n)
        if len(data) != n:
            raise _truncated("entry data cut short")
        self.left -= n
        return data

    def chunks(self, ring: _Ring | None, keep_tail: int = 0, first: int = CHUNK) -> Iterator[bytes | memoryview]:
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
                raise _truncated("entry data cut short")
            self.left -= n
            yield view
            size = CHUNK


class _Ring:
    """Reused 1 MiB input/output buffers: a fresh 1 MiB bytearray per chunk costs page faults
    worth more than AES itself. Size > _Offload depth + 1, so a buffer is never refilled while
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


class _Offload:
    """Feed a hash object from its own worker thread, in order, at most `depth` chunks behind.

    hashlib/hmac (OpenSSL) release the GIL on large buffers, so SHA-256 and HMAC-SHA1 run on
    the second core while the caller decrypts and writes: that is what puts AES unpack near 7-Zip.
    """

    def __init__(self, pool: ThreadPoolExecutor | None, h: Any, depth: int = 4) -> None:
        assert depth + 2 <= _Ring.size
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


class _HashAndWrite:
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


class _Workers:
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

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _locate(f: io.BufferedReader, files: list[_Entry], cd_start: int, archive_size: int) -> None:
    """Read every local header; refuse entries whose bytes overlap another's or the central directory.

    The span of an entry is its local header, name, extra field and data, measured with the LOCAL
    header's own name and extra lengths: a forger pads local names so that entries whose headers
    lie far apart all point at one shared block ("better zip bomb"), or runs one entry's data over
    the next entry or the directory. Sets `data_start` and `dos_time` for the extraction.
    """
    spans = []
    for e in files:
        f.seek(e.info.header_offset)
        head = f.read(30)
        if len(head) < 30:
            raise _truncated("local header")
        if head[:4] != _LOCAL_SIG:
            raise _corrupt(e.name, "bad local header")
        e.dos_time = struct.unpack_from("<H", head, 10)[0]
        nlen, xlen = struct.unpack_from("<HH", head, 26)
        e.data_start = e.info.header_offset + 30 + nlen + xlen
        end = e.data_start + e.info.compress_size
        if end > archive_size:
            raise _truncated("entry data beyond end of file")
        if end > cd_start:
            raise _into_directory(e.name)
        spans.append((e.info.header_offset, end, e.name))
    spans.sort()
    for (_s1, end1, n1), (s2, _e2, n2) in itertools.pairwise(spans):
        if s2 < end1:
            raise _overlap(n1, n2)


def _inflater(method: int, name: str) -> Callable[[bytes | memoryview], Iterator[bytes]] | None:
    """A bounded decompressor: never returns more than CHUNK per step, whatever the input ratio."""
    if method == _METHOD_STORE:
        return None
    if method == _METHOD_DEFLATE:
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
    if method == _METHOD_BZIP2:
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
    raise _err(
        "unsupported",
        f"「{name}」の圧縮方式（{_method_name(method)}）には対応していません。",
        f"The compression method of '{name}' ({_method_name(method)}) is not supported.",
        "7-Zip などで「ZIP・Deflate」形式に作り直すよう送信元にご依頼ください。",
        "Ask the sender to use ZIP with Deflate.",
    )


@dataclass
class _Budget:
    limits: UnpackLimits
    total_expected: int
    done: int = 0
    progress: Progress | None = None
    cancel: object | None = None
    workers: _Workers | None = None
    ring: _Ring = field(default_factory=lambda: _Ring())
    hash_files: bool = True


def _extract_one(f: io.BufferedReader, e: _Entry, pw_cands: list[bytes], out: BinaryIO,
                 budget: _Budget) -> tuple[int, str]:
    """Stream one entry into `out`; raise unless size, CRC and (AES) HMAC all check out."""
    info = e.info
    assert e.data_start >= 0, "_locate() first"
    dos_time = e.dos_time
    raw = _RawReader(f, e.data_start, info.compress_size)
    inflate = _inflater(e.compression, e.name)
    size = 0
    wk = budget.workers
    hasher = _HashAndWrite(out, with_crc=True, with_sha=budget.hash_files)
    sha = _Offload(wk.a if wk else None, hasher)
    limits = budget.limits
    mac: _Offload | None = None
    decrypt: Callable[[Any], bytes | memoryview] | None = None
    check_crc = True
    first = CHUNK
    ring = budget.ring

    if e.encryption.startswith("aes"):
        salt_len = winzip_aes.SALT_LEN[e.aes_key_len]
        if info.compress_size < salt_len + winzip_aes.PWV_LEN + winzip_aes.MAC_LEN:
            raise _truncated("AES header")
        salt, pwv = raw.read(salt_len), raw.read(winzip_aes.PWV_LEN)
        for pw in pw_cands:
            key, mac_key, check = winzip_aes.derive_keys(pw, salt, e.aes_key_len)
            if hmac.compare_digest(check, pwv):
                break
        else:
            raise _wrong_password()
        mac = _Offload(wk.b if wk else None, winzip_aes.new_mac(mac_key))
        ctr = winzip_aes.CtrLE(key)

        def decrypt(ct: memoryview) -> memoryview:
            plain = ring.next_out(len(ct))
            ctr.process_into(ct, plain)
            return plain

        check_crc = hasher.with_crc = e.aes_vendor_version == 1 or info.CRC != 0  # AE-2 stores no CRC
        first = CHUNK - winzip_aes.BLOCK
    elif e.encryption == "zipcrypto":
        if info.compress_size < zipcrypto.HEADER_LEN:
            raise _truncated("ZipCrypto header")
        enc_head = raw.read(zipcrypto.HEADER_LEN)
        check_byte = (dos_time >> 8) & 0xFF if info.flag_bits & _FLAG_DESCRIPTOR else (info.CRC >> 24) & 0xFF
        for pw in pw_cands:
            dec = zipcrypto.decryptor(pw)
            if dec(enc_head)[-1] == check_byte:
                decrypt = dec
                break
        else:
            raise _wrong_password()
    elif e.encrypted:
        raise _err("unsupported", f"「{e.name}」の暗号化方式には対応していません。",
                   f"The encryption of '{e.name}' is not supported.")

    def sink(plain: bytes | memoryview) -> None:
        nonlocal size
        size += len(plain)
        budget.done += len(plain)
        if size > info.file_size:  # a header that lies about the size is how bombs pass checks
            raise _bomb(e.name, "more data than the header declares")
        if size > limits.max_entry_bytes:
            raise _bomb(e.name, "entry larger than allowed")
        if budget.done > limits.max_total_bytes:
            raise _bomb(e.name, "total larger than allowed")
        if size > RATIO_FLOOR_BYTES and size > limits.max_ratio * max(info.compress_size, 1):
            raise _bomb(e.name, "compression ratio too high")
        sha.update(plain)  # hashes and writes on the worker

    tail = winzip_aes.MAC_LEN if mac is not None else 0
    try:
        for chunk in raw.chunks(None if e.encryption == "zipcrypto" else ring, keep_tail=tail, first=first):
            _check_cancel(budget.cancel)
            if mac is not None:
                mac.update(chunk)
            plain = decrypt(chunk) if decrypt is not None else chunk
            if inflate is None:
                sink(plain)
            else:
                for piece in inflate(plain):
                    sink(piece)
            if budget.progress is not None:
                budget.progress(budget.done, budget.total_expected)
        digest = sha.hexdigest()  # waits for the last writes, so hasher.crc is final too
    except (ArchiveError, OSError, zlib.error, EOFError) as ex:
        if isinstance(ex, ArchiveError):
            err = ex
        elif isinstance(ex, OSError) and ex.errno is not None:  # disk full, I/O error ...
            raise _os_error(ex) from None
        else:  # zlib/bz2/deflate64 stream errors
            err = _corrupt(e.name, f"{type(ex).__name__}: {ex}")
        if mac is not None and err.code in ("bomb", "corrupt") and not _mac_ok_after(raw, ring, mac):
            # A tampered AES entry decrypts to garbage that may look like a bomb or a bad
            # stream; the HMAC over the rest of the entry tells which it really is.
            raise _corrupt(e.name, "HMAC check failed") from None
        raise err from None

    if mac is not None:
        auth = raw.read(winzip_aes.MAC_LEN)
        if not hmac.compare_digest(mac.digest()[: winzip_aes.MAC_LEN], auth):
            raise _corrupt(e.name, "HMAC check failed")
    if inflate is not None and not inflate.done():  # type: ignore[attr-defined]
        # every byte the directory promised was there: the stream itself is inconsistent
        raise _corrupt(e.name, "compressed stream ends early")
    if size != info.file_size:
        raise _corrupt(e.name, "size differs from header")
    if check_crc and (hasher.crc & 0xFFFFFFFF) != info.CRC:
        raise _corrupt(e.name, "CRC mismatch")
    return size, digest


def _extract_trying_candidates(f: io.BufferedReader, e: _Entry, pw_cands: list[bytes], out: BinaryIO,
                               budget: _Budget) -> tuple[int, str]:
    """`_extract_one`, moving on to the next password encoding when a wrong one slipped through.

    ZipCrypto checks a password by one byte and WinZip AES by two, so the UTF-8 form of a
    Japanese password passes for a CP932-encrypted entry once in 256 (or 65,536) archives; the
    CRC/HMAC then fails. Only the later candidates are tried, and a real defect keeps its error.
    """
    first_error: ArchiveError | None = None
    done_before = budget.done
    for start in range(len(pw_cands)):
        try:
            return _extract_one(f, e, pw_cands[start:], out, budget)
        except BaseException as ex:
            if budget.workers is not None:
                budget.workers.quiesce()  # no write may still be running when `out` is reset or closed
            if not isinstance(ex, ArchiveError):
                raise
            if first_error is None:
                first_error = ex
            retry = ex.code == "corrupt" and e.encrypted and start + 1 < len(pw_cands)
            if not retry:
                raise (first_error if ex.code == "wrong_password" else ex) from None
            out.seek(0)
            out.truncate()
            budget.done = done_before
    raise AssertionError("unreachable")  # pragma: no cover


def _mac_ok_after(raw: _RawReader, ring: _Ring, mac: _Offload) -> bool:
    """Finish the HMAC over the entry's remaining ciphertext (no decryption): was it authentic?"""
    try:
        for chunk in raw.chunks(ring, keep_tail=winzip_aes.MAC_LEN):
            mac.update(chunk)
        return hmac.compare_digest(mac.digest()[: winzip_aes.MAC_LEN], raw.read(winzip_aes.MAC_LEN))
    except ArchiveError:
        return False


def _precheck(entries: list[_Entry], limits: UnpackLimits) -> list[_Entry]:
    """Refuse before writing a byte: links, traversal, bombs by header, collisions (overlaps: _locate)."""
    if len(entries) > limits.max_entries:
        raise _err("too_many_entries",
                   f"ZIP ファイルのファイル数が多すぎます（{len(entries)} 件、上限 {limits.max_entries} 件）。",
                   f"The ZIP file holds too many entries ({len(entries)}, limit {limits.max_entries}).")
    files: list[_Entry] = []
    total = 0
    seen: dict[str, str] = {}
    for e in entries:
        if e.is_link:
            raise _err("link",
                       f"ZIP ファイルにリンク（ショートカット）「{e.name}」が含まれているため、展開しません。",
                       f"The ZIP file contains a link ('{e.name}'); it is not unpacked.",
                       "送信元にご確認ください。", "Please check with the sender.")
        if zipnames.is_traversal(e.name):
            raise _err("unsafe_entry",
                       f"ZIP ファイルに保存先フォルダーの外を指す名前「{e.name}」が含まれているため、展開しません。",
                       f"The ZIP file contains a name pointing outside the folder ('{e.name}'); it is not unpacked.",
                       "送信元にご確認ください。", "Please check with the sender.")
        if e.is_dir:
            continue
        size = e.info.file_size
        if size > limits.max_entry_bytes:
            raise _bomb(e.name, f"{size} bytes declared")
        total += size
        if total > limits.max_total_bytes:
            raise _bomb(e.name, f"{total} bytes declared in total")
        if size > RATIO_FLOOR_BYTES and size > limits.max_ratio * max(e.info.compress_size, 1):
            raise _bomb(e.name, "declared compression ratio too high")
        key = zipnames.fold(e.safe)
        if key in seen:
            raise _err("case_collision",
                       f"ZIP ファイル内の「{seen[key]}」と「{e.name}」は Windows では同じ名前になるため、"
                       "展開しません。",
                       f"'{seen[key]}' and '{e.name}' in the ZIP file would be the same file on Windows; "
                       "nothing was unpacked.",
                       "送信元にご確認ください。", "Please check with the sender.")
        seen[key] = e.name
        files.append(e)
    return files


# ------------------------------------------------------------------------------------- partial files
# .~denshi-<host tag>-<pid>-<process start>-<random>-<entry>.part: who wrote it is in its name, so the
# next unpack into the folder can remove what a killed one left (docs/zip.md, "Partial files").
_PART = re.compile(r"^\.~denshi-([0-9a-f]{8})-([0-9]{1,10})-([0-9]{1,20})-[0-9a-f]{8}-[0-9]{1,5}\.part$")


@functools.cache
def _host_tag() -> str:
    """Names a PC without revealing it: a shared network folder may hold other PCs' live partial files."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _process_start(pid: int) -> int | None:
    """When `pid` started, in a unit that never changes while it runs (None: unknown or gone).

    With the pid it identifies a process: a pid reused by a later process has another start.
    Linux: clock ticks since boot (/proc/PID/stat); Windows: the creation FILETIME.
    """
    if sys.platform == "win32":
        return _win_process(pid)[1]
    st = _linux_stat(pid)
    return st[1] if st is not None else None


def _linux_stat(pid: int) -> tuple[bytes, int] | None:
    """(state letter, start time in ticks) from /proc/PID/stat, or None."""
    try:
        line = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = line[line.rfind(b")") + 2 :].split()  # the command name in (...) may hold spaces
    if len(fields) < 20 or not fields[19].isdigit():
        return None
    return fields[0], int(fields[19])


def _win_process(pid: int) -> tuple[bool | None, int | None]:
    """(gone?, creation FILETIME) for a Windows pid; gone is None when it cannot be told."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:  # ERROR_INVALID_PARAMETER: no such process; access denied: it exists
        return (True if ctypes.get_last_error() == 87 else None), None  # type: ignore[attr-defined,unused-ignore]
    try:
        code = wintypes.DWORD()
        if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value != 259:  # STILL_ACTIVE
            return True, None
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None, None
        return False, (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime
    finally:
        kernel32.CloseHandle(handle)


def _writer_gone(pid: int, start: int) -> bool:
    """True only when the process that wrote a partial file surely no longer runs; unknown is "runs"."""
    if pid == os.getpid():
        return start != (_process_start(pid) or 0)  # same pid, other start: an earlier process of ours
    if sys.platform == "win32":
        gone, now = _win_process(pid)
        return bool(gone) or (now is not None and now != start)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: another user's process, alive
        return False
    st = _linux_stat(pid)
    if st is None:  # exited since os.kill (Linux), or no /proc on this system (unknown: keep)
        return Path("/proc/self/stat").exists()
    state, now = st
    return state in (b"Z", b"X") or now != start  # a zombie writes no more; another start: pid reused


def _part_prefix() -> str:
    start = _process_start(os.getpid()) or 0  # 0: unknown here (then only a dead pid counts as gone)
    return f".~denshi-{_host_tag()}-{os.getpid()}-{start}-{secrets.token_hex(4)}"


def _remove_stale_parts(dest_dir: Path) -> None:
    """Delete partial files that an unpack on this PC left when it was killed (kill -9, power cut of
    the process, crash); never a file of another PC, of a running unpack, or not named by us."""
    try:
        names = os.listdir(dest_dir)
    except OSError:
        return
    for name in names:
        m = _PART.match(name)
        if m is None or m.group(1) != _host_tag():
            continue
        if _writer_gone(int(m.group(2)), int(m.group(3))):
            with contextlib.suppress(OSError):
                (dest_dir / name).unlink()
                log.info("removed a partial file left by an interrupted unpack: %s", name)


def _taken_names(dest_dir: Path) -> set[str]:
    return {zipnames.fold(n) for n in os.listdir(dest_dir)}


def _place(tmp: Path, final: Path) -> None:
    """Move into place without ever replacing an existing file (FileExistsError if taken)."""
    if os.name == "nt":
        for attempt in range(5):  # a virus scanner may hold the fresh file for a moment
            try:
                os.rename(tmp, final)  # fails on an existing target on Windows
                return
            except PermissionError:
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))
    try:
        os.link(tmp, final)  # atomic "create if absent"
    except FileExistsError:
        raise
    except OSError:
        if final.exists():
            raise FileExistsError(str(final)) from None
        os.replace(tmp, final)
        return
    os.unlink(tmp)


def unpack(archive: Path, dest_dir: Path, password: str, *, limits: UnpackLimits = UnpackLimits(),
           progress: Progress | None = None, cancel: object | None = None,
           hash_files: bool = True) -> UnpackResult:
    """Extract every file into `dest_dir` (flat), or nothing at all.

    `hash_files=False` leaves `ExtractedFile.sha256` empty: integrity is still proven by the
    archive's own CRC/HMAC, and filing received documents needs no per-file digest (it costs a
    third of AES unpack time on two cores).

    All entries are first written to hidden temp files inside dest_dir and verified; only
    then are they renamed into place, without ever replacing an existing file.
    """
    archive, dest_dir = Path(archive), Path(dest_dir)
    entries, cd_start = _read_directory(archive)
    files = _precheck(entries, limits)
    try:
        with open(archive, "rb") as f:
            _locate(f, files, cd_start, os.fstat(f.fileno()).st_size)
    except OSError as ex:
        raise _os_error(ex) from None
    if not dest_dir.is_dir():
        raise _err("no_destination", f"保存先フォルダー「{dest_dir}」がありません。",
                   f"The destination folder '{dest_dir}' does not exist.")
    _remove_stale_parts(dest_dir)  # first: what a killed unpack left counts against the free space
    total = sum(e.info.file_size for e in files)
    with contextlib.suppress(OSError):
        if shutil.disk_usage(dest_dir).free < total + CHUNK:
            raise _disk_full()
    if any(e.encrypted for e in files) and not password:
        raise _err("no_password", "パスワードが指定されていません。", "No password was given.")
    pw_cands = _password_candidates(password)
    prefix = _part_prefix()
    staged: list[tuple[_Entry, Path, int, str]] = []
    placed: list[Path] = []
    budget = _Budget(limits, total, progress=progress, cancel=cancel, hash_files=hash_files)
    try:
        with open(archive, "rb") as f, _Workers() as budget.workers:
            for i, e in enumerate(files):
                _check_cancel(cancel)
                tmp = dest_dir / f"{prefix}-{i}.part"
                with open(tmp, "xb") as out:
                    staged.append((e, tmp, 0, ""))
                    size, digest = _extract_trying_candidates(f, e, pw_cands, out, budget)
                staged[-1] = (e, tmp, size, digest)
        _check_cancel(cancel)
        result: list[ExtractedFile] = []
        renamed: dict[str, str] = {}
        taken = _taken_names(dest_dir)
        for e, tmp, size, digest in staged:
            n = 1
            while True:
                name = e.safe if n == 1 else zipnames.numbered(e.safe, n)
                n += 1
                if zipnames.fold(name) in taken:
                    continue
                try:
                    _place(tmp, dest_dir / name)
                except FileExistsError:
                    continue
                break
            taken.add(zipnames.fold(name))
            placed.append(dest_dir / name)
            if name != e.name:
                renamed[e.name] = name
            result.append(ExtractedFile(name, dest_dir / name, size, digest, e.name))
        if progress is not None:
            progress(total, total)
        return UnpackResult(result, renamed)
    except BaseException as ex:
        for _e, tmp, _s, _d in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for p in placed:
            with contextlib.suppress(OSError):
                p.unlink()
        if isinstance(ex, OSError):
            raise _os_error(ex) from None
        raise


# ------------------------------------------------------------------------------------------- writing


@dataclass
class _Written:
    name_bytes: bytes
    flags: int
    method: int  # field value (99 for AES)
    dos_time: int
    dos_date: int
    crc: int
    csize: int
    usize: int
    offset: int
    version_needed: int
    aes_extra: bytes = b""
    zip64: bool = False
    made_by: int = _MADE_BY_NTFS


class _HashingWriter:
    """Append-only file writer that hashes as it goes; a back-patch marks the hash stale."""

    def __init__(self, f: BinaryIO, pool: ThreadPoolExecutor | None = None) -> None:
        self.f = f
        self.pos = 0
        self.sha = _Offload(pool, hashlib.sha256())
        self.patched = False

    def write(self, data: bytes) -> None:
        self.f.write(data)
        self.sha.update(data)
        self.pos += len(data)

    def patch(self, offset: int, data: bytes) -> None:
        self.f.seek(offset)
        self.f.write(data)
        self.f.seek(self.pos)
        self.patched = True


def _dos_stamp(mtime: float) -> tuple[int, int]:
    t = time.localtime(mtime)
    year = min(max(t.tm_year, 1980), 2107)
    dos_date = ((year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday
    dos_time = (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2)
    return dos_time, dos_date


def _aes_extra_field(method: int) -> bytes:
    return winzip_aes.aes_extra_field(2, 3, method)  # AE-2 (no CRC), 256-bit


def _looks_compressible(path: Path) -> bool:
    with open(path, "rb") as f:
        sample = f.read(_SAMPLE)
    if len(sample) < 64:
        return False
    return len(zlib.compress(sample, 1)) < 0.95 * len(sample)


@dataclass
class _PackState:
    total: int
    progress: Progress | None
    cancel: object | None
    done: int = 0
    source_crc: dict[Path, int] = field(default_factory=dict)

    def tick(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)


def _file_crc(path: Path, cancel: object | None) -> int:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            _check_cancel(cancel)
            crc = zlib.crc32(chunk, crc)
    return crc


def _write_entry(w: _HashingWriter, src: Path, name_bytes: bytes, utf8: bool, fmt: ZipFormat, password: bytes,
                 st: _PackState, mac_pool: ThreadPoolExecutor | None) -> _Written:
    info = src.stat()
    size = info.st_size
    method = _METHOD_DEFLATE if _looks_compressible(src) else _METHOD_STORE
    dos_time, dos_date = _dos_stamp(info.st_mtime)
    flags = _FLAG_ENCRYPTED | (zipnames.UTF8_FLAG if utf8 else 0)
    zip64 = size >= ZIP64_THRESHOLD
    offset = w.pos
    if fmt is ZipFormat.AES256:
        overhead = 16 + 2 + 10
        field_method, extra, crc_field, needed = _METHOD_AES, _aes_extra_field(method), 0, 51
    else:
        overhead = zipcrypto.HEADER_LEN
        crc_field = _file_crc(src, st.cancel)
        field_method, extra, needed = method, b"", 20
    if zip64:
        needed = max(needed, 45)
    csize = size + overhead if method == _METHOD_STORE else 0  # Deflate: patched afterwards
    local_extra = (struct.pack("<HHQQ", _ZIP64_EXTRA, 16, size, csize) if zip64 else b"") + extra
    header = struct.pack(
        "<4sHHHHHIIIHH", _LOCAL_SIG, needed, flags, field_method, dos_time, dos_date, crc_field,
        0xFFFFFFFF if zip64 else csize, 0xFFFFFFFF if zip64 else size, len(name_bytes), len(local_extra),
    )
    w.write(header + name_bytes + local_extra)
    data_start = w.pos

    encrypt: Callable[[bytes], bytes]
    mac: _Offload | None = None
    first = CHUNK
    if fmt is ZipFormat.AES256:
        salt = os.urandom(winzip_aes.SALT_LEN[32])
        key, mac_key, check = winzip_aes.derive_keys(password, salt, 32)
        mac = _Offload(mac_pool, winzip_aes.new_mac(mac_key))
        w.write(salt + check)
        encrypt = winzip_aes.CtrLE(key).process
        first = CHUNK - winzip_aes.BLOCK  # keeps Store chunks on counter-span boundaries
    else:
        zc, head = zipcrypto.encryption_header(password, crc_field >> 24)
        w.write(head)
        encrypt = zc.encrypt

    comp = zlib.compressobj(6, zlib.DEFLATED, -15) if method == _METHOD_DEFLATE else None
    crc = 0
    read = 0

    def emit(plain: bytes) -> None:
        if not plain:
            return
        ct = encrypt(plain)
        if mac is not None:
            mac.update(ct)
        w.write(ct)

    with open(src, "rb") as f:
        while chunk := f.read(first):
            first = CHUNK
            _check_cancel(st.cancel)
            if fmt is ZipFormat.ZIPCRYPTO:
                crc = zlib.crc32(chunk, crc)
            read += len(chunk)
            emit(comp.compress(chunk) if comp is not None else chunk)
            st.tick(len(chunk))
    if comp is not None:
        emit(comp.flush())
    if mac is not None:
        w.write(mac.digest()[: winzip_aes.MAC_LEN])
    if read != size or (fmt is ZipFormat.ZIPCRYPTO and crc != crc_field):
        raise _err("source_changed", f"「{src.name}」が圧縮中に変更されました。",
                   f"'{src.name}' changed while packing.",
                   "ファイルを閉じてからもう一度お試しください。", "Close the file and try again.")
    real_csize = w.pos - data_start
    if method != _METHOD_STORE:
        if zip64:
            w.patch(offset + 30 + len(name_bytes) + 4, struct.pack("<QQ", size, real_csize))
        elif real_csize >= 0xFFFFFFFF:  # pragma: no cover - would need a >3.75 GiB expansion
            raise _err("too_large", "ファイルが大きすぎます。", "The file is too large.")
        else:
            w.patch(offset + 18, struct.pack("<I", real_csize))
    return _Written(name_bytes, flags, field_method, dos_time, dos_date, crc_field, real_csize, size, offset,
                    needed, extra, zip64, _MADE_BY_NTFS if utf8 else _MADE_BY_FAT)


def _write_central(w: _HashingWriter, items: list[_Written]) -> None:
    cd_start = w.pos
    for it in items:
        z64 = b""
        usize, csize, off = it.usize, it.csize, it.offset
        vals = []
        if it.zip64 or usize >= 0xFFFFFFFF:
            vals.append(usize)
            usize = 0xFFFFFFFF
        if it.zip64 or csize >= 0xFFFFFFFF:
            vals.append(csize)
            csize = 0xFFFFFFFF
        if off >= 0xFFFFFFFF:
            vals.append(off)
            off = 0xFFFFFFFF
        if vals:
            z64 = struct.pack(f"<HH{len(vals)}Q", _ZIP64_EXTRA, 8 * len(vals), *vals)
        extra = z64 + it.aes_extra
        needed = max(it.version_needed, 45 if vals else 0)
        w.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII", _CENTRAL_SIG, it.made_by, needed, it.flags, it.method, it.dos_time, it.dos_date,
                it.crc, csize, usize, len(it.name_bytes), len(extra), 0, 0, 0, 0x20, off,
            )
            + it.name_bytes
            + extra
        )
    cd_size = w.pos - cd_start
    n = len(items)
    if n >= 0xFFFF or cd_start >= 0xFFFFFFFF or cd_size >= 0xFFFFFFFF or any(i.zip64 for i in items):
        eocd64_at = w.pos
        w.write(struct.pack("<4sQHHIIQQQQ", _EOCD64_SIG, 44, 45, 45, 0, 0, n, n, cd_size, cd_start))
        w.write(struct.pack("<4sIQI", _EOCD64_LOC_SIG, 0, eocd64_at, 1))
    w.write(
        struct.pack("<4sHHHHIIH", _EOCD_SIG, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                    min(cd_size, 0xFFFFFFFF), min(cd_start, 0xFFFFFFFF), 0)
    )


def _encode_name(name: str, legacy_cp932: bool) -> tuple[bytes, bool]:
    if not legacy_cp932:
        return name.encode("utf-8"), True
    try:
        return name.encode("cp932"), False
    except UnicodeEncodeError:
        raise _err("unsafe_entry", f"「{name}」は CP932（Shift_JIS）で表せない文字を含みます。",
                   f"'{name}' has characters that CP932 (Shift_JIS) cannot encode.") from None


def pack(sources: Sequence[Path], out: Path, password: str, *, fmt: ZipFormat = ZipFormat.AES256,
         arcnames: Sequence[str] | None = None, legacy_cp932_names: bool = False,
         progress: Progress | None = None, cancel: object | None = None) -> PackResult:
    """Write a password ZIP (flat, one entry per source) atomically: temp file, then replace `out`.

    AES-256 is WinZip AE-2 with UTF-8 names; ZipCrypto exists for recipients on Windows Explorer.
    """
    out = Path(out)
    sources = [Path(s) for s in sources]
    if not password:
        raise _err("no_password", "パスワードが指定されていません。", "No password was given.")
    if not sources:
        raise _err("no_sources", "ZIP にするファイルが指定されていません。", "No files were given to pack.")
    names = list(arcnames) if arcnames is not None else [s.name for s in sources]
    if len(names) != len(sources):
        raise ValueError("arcnames must match sources one to one")
    seen: dict[str, str] = {}
    for src, name in zip(sources, names, strict=True):
        if not src.is_file():
            raise _err("not_found", f"ファイル「{src}」が見つかりません。", f"File '{src}' was not found.")
        name = name if arcnames is not None else zipnames.safe_name(name)
        if not zipnames.is_safe_member_name(name):
            raise _err("unsafe_entry", f"「{name}」は ZIP 内のファイル名として使えません。",
                       f"'{name}' cannot be used as a file name inside the ZIP.")
        key = zipnames.fold(name)
        if key in seen:
            raise _err("case_collision", f"「{seen[key]}」と「{name}」は Windows では同じ名前になります。",
                       f"'{seen[key]}' and '{name}' would be the same file on Windows.")
        seen[key] = name
    names = list(seen.values())
    pw = password.encode("utf-8")
    st = _PackState(total=sum(s.stat().st_size for s in sources), progress=progress, cancel=cancel)
    tmp = out.parent / f".~{secrets.token_hex(4)}.zip.part"
    try:
        with open(tmp, "xb") as f, _Workers() as wk:
            w = _HashingWriter(f, wk.a)
            items = []
            for src, name in zip(sources, names, strict=True):
                nb, utf8 = _encode_name(name, legacy_cp932_names)
                items.append(_write_entry(w, src, nb, utf8, fmt, pw, st, wk.b))
            _write_central(w, items)
            f.flush()
            os.fsync(f.fileno())
            digest = w.sha.hexdigest()
        if w.patched:
            digest = _sha256_file(tmp)
        os.replace(tmp, out)
    except BaseException as ex:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(ex, OSError):
            raise _os_error(ex) from None
        raise
    return PackResult(out, w.pos, digest, names)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


__all__ = [
    "EntryInfo", "ExtractedFile", "PackResult", "UnpackLimits", "UnpackResult", "ZipFormat",
    "list_entries", "pack", "unpack",
]
