"""Pack: AES-256 (WinZip AE-2) or ZipCrypto, streamed, written to a temp file and then moved into place.
Our own writer because pyzipper cannot write ZipCrypto and no maintained library streams it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import struct
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from denshi_client.documents import winzip_aes, zipcrypto, zipnames
from denshi_client.documents.zip.errors import (
    check_cancel,
    err,
    os_error,
)
from denshi_client.documents.zip.model import (
    CENTRAL_SIG,
    CHUNK,
    EOCD64_LOC_SIG,
    EOCD64_SIG,
    EOCD_SIG,
    FLAG_ENCRYPTED,
    LOCAL_SIG,
    MADE_BY_FAT,
    MADE_BY_NTFS,
    METHOD_AES,
    METHOD_DEFLATE,
    METHOD_STORE,
    ZIP64_EXTRA,
    PackResult,
    Progress,
    ZipFormat,
)
from denshi_client.documents.zip.streams import Offload, Workers
from denshi_client.hashing import sha256_file

# Uncompressed sizes from here on get ZIP64 fields (Deflate may grow incompressible data a little).
ZIP64_THRESHOLD = 0xF000_0000


# Sample size used to decide Store vs Deflate (scanned PDFs are already compressed).
_SAMPLE = 256 * 1024


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
    made_by: int = MADE_BY_NTFS


class _HashingWriter:
    """Append-only file writer that hashes as it goes; a back-patch marks the hash stale."""

    def __init__(self, f: BinaryIO, pool: ThreadPoolExecutor | None = None) -> None:
        self.f = f
        self.pos = 0
        self.sha = Offload(pool, hashlib.sha256())
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
            check_cancel(cancel)
            crc = zlib.crc32(chunk, crc)
    return crc


def _write_entry(w: _HashingWriter, src: Path, name_bytes: bytes, utf8: bool, fmt: ZipFormat, password: bytes,
                 st: _PackState, mac_pool: ThreadPoolExecutor | None) -> _Written:
    info = src.stat()
    size = info.st_size
    method = METHOD_DEFLATE if _looks_compressible(src) else METHOD_STORE
    dos_time, dos_date = _dos_stamp(info.st_mtime)
    flags = FLAG_ENCRYPTED | (zipnames.UTF8_FLAG if utf8 else 0)
    zip64 = size >= ZIP64_THRESHOLD
    offset = w.pos
    if fmt is ZipFormat.AES256:
        overhead = 16 + 2 + 10
        field_method, extra, crc_field, needed = METHOD_AES, _aes_extra_field(method), 0, 51
    else:
        overhead = zipcrypto.HEADER_LEN
        crc_field = _file_crc(src, st.cancel)
        field_method, extra, needed = method, b"", 20
    if zip64:
        needed = max(needed, 45)
    csize = size + overhead if method == METHOD_STORE else 0  # Deflate: patched afterwards
    local_extra = (struct.pack("<HHQQ", ZIP64_EXTRA, 16, size, csize) if zip64 else b"") + extra
    header = struct.pack(
        "<4sHHHHHIIIHH", LOCAL_SIG, needed, flags, field_method, dos_time, dos_date, crc_field,
        0xFFFFFFFF if zip64 else csize, 0xFFFFFFFF if zip64 else size, len(name_bytes), len(local_extra),
    )
    w.write(header + name_bytes + local_extra)
    data_start = w.pos

    encrypt: Callable[[bytes], bytes]
    mac: Offload | None = None
    first = CHUNK
    if fmt is ZipFormat.AES256:
        salt = os.urandom(winzip_aes.SALT_LEN[32])
        key, mac_key, check = winzip_aes.derive_keys(password, salt, 32)
        mac = Offload(mac_pool, winzip_aes.new_mac(mac_key))
        w.write(salt + check)
        encrypt = winzip_aes.CtrLE(key).process
        first = CHUNK - winzip_aes.BLOCK  # keeps Store chunks on counter-span boundaries
    else:
        zc, head = zipcrypto.encryption_header(password, crc_field >> 24)
        w.write(head)
        encrypt = zc.encrypt

    comp = zlib.compressobj(6, zlib.DEFLATED, -15) if method == METHOD_DEFLATE else None
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
            check_cancel(st.cancel)
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
        raise err("source_changed", f"「{src.name}」が圧縮中に変更されました。",
                  f"'{src.name}' changed while packing.",
                  "ファイルを閉じてからもう一度お試しください。", "Close the file and try again.")
    real_csize = w.pos - data_start
    if method != METHOD_STORE:
        if zip64:
            w.patch(offset + 30 + len(name_bytes) + 4, struct.pack("<QQ", size, real_csize))
        elif real_csize >= 0xFFFFFFFF:  # pragma: no cover - would need a >3.75 GiB expansion
            raise err("too_large", "ファイルが大きすぎます。", "The file is too large.")
        else:
            w.patch(offset + 18, struct.pack("<I", real_csize))
    return _Written(name_bytes, flags, field_method, dos_time, dos_date, crc_field, real_csize, size, offset,
                    needed, extra, zip64, MADE_BY_NTFS if utf8 else MADE_BY_FAT)


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
            z64 = struct.pack(f"<HH{len(vals)}Q", ZIP64_EXTRA, 8 * len(vals), *vals)
        extra = z64 + it.aes_extra
        needed = max(it.version_needed, 45 if vals else 0)
        w.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII", CENTRAL_SIG, it.made_by, needed, it.flags, it.method, it.dos_time, it.dos_date,
                it.crc, csize, usize, len(it.name_bytes), len(extra), 0, 0, 0, 0x20, off,
            )
            + it.name_bytes
            + extra
        )
    cd_size = w.pos - cd_start
    n = len(items)
    if n >= 0xFFFF or cd_start >= 0xFFFFFFFF or cd_size >= 0xFFFFFFFF or any(i.zip64 for i in items):
        eocd64_at = w.pos
        w.write(struct.pack("<4sQHHIIQQQQ", EOCD64_SIG, 44, 45, 45, 0, 0, n, n, cd_size, cd_start))
        w.write(struct.pack("<4sIQI", EOCD64_LOC_SIG, 0, eocd64_at, 1))
    w.write(
        struct.pack("<4sHHHHIIH", EOCD_SIG, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                    min(cd_size, 0xFFFFFFFF), min(cd_start, 0xFFFFFFFF), 0)
    )


def _encode_name(name: str, legacy_cp932: bool) -> tuple[bytes, bool]:
    if not legacy_cp932:
        return name.encode("utf-8"), True
    try:
        return name.encode("cp932"), False
    except UnicodeEncodeError:
        raise err("unsafe_entry", f"「{name}」は CP932（Shift_JIS）で表せない文字を含みます。",
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
        raise err("no_password", "パスワードが指定されていません。", "No password was given.")
    if not sources:
        raise err("no_sources", "ZIP にするファイルが指定されていません。", "No files were given to pack.")
    names = list(arcnames) if arcnames is not None else [s.name for s in sources]
    if len(names) != len(sources):
        raise ValueError("arcnames must match sources one to one")
    seen: dict[str, str] = {}
    for src, name in zip(sources, names, strict=True):
        if not src.is_file():
            raise err("not_found", f"ファイル「{src}」が見つかりません。", f"File '{src}' was not found.")
        name = name if arcnames is not None else zipnames.safe_name(name)
        if not zipnames.is_safe_member_name(name):
            raise err("unsafe_entry", f"「{name}」は ZIP 内のファイル名として使えません。",
                      f"'{name}' cannot be used as a file name inside the ZIP.")
        key = zipnames.fold(name)
        if key in seen:
            raise err("case_collision", f"「{seen[key]}」と「{name}」は Windows では同じ名前になります。",
                      f"'{seen[key]}' and '{name}' would be the same file on Windows.")
        seen[key] = name
    names = list(seen.values())
    pw = password.encode("utf-8")
    st = _PackState(total=sum(s.stat().st_size for s in sources), progress=progress, cancel=cancel)
    tmp = out.parent / f".~{secrets.token_hex(4)}.zip.part"
    try:
        with open(tmp, "xb") as f, Workers() as wk:
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
            digest = sha256_file(tmp)
        os.replace(tmp, out)
    except BaseException as ex:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(ex, OSError):
            raise os_error(ex) from None
        raise
    return PackResult(out, w.pos, digest, names)
