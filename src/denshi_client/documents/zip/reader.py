"""Unpack: a paranoid, streaming, all-or-nothing extraction. Each entry's raw bytes are read, decrypted
(WinZip AES in winzip_aes.py, ZipCrypto via stream-unzip's compiled decryptor) and inflated by us in
1 MiB chunks, hashing on a second thread; nothing is placed until every entry has checked out."""

from __future__ import annotations

import contextlib
import hmac
import io
import os
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from denshi_client.documents import winzip_aes, zipcrypto, zipnames
from denshi_client.documents.zip.directory import Entry, locate, read_directory
from denshi_client.documents.zip.errors import (
    bomb,
    check_cancel,
    corrupt,
    disk_full,
    err,
    os_error,
    truncated,
    wrong_password,
)
from denshi_client.documents.zip.model import (
    CHUNK,
    FLAG_DESCRIPTOR,
    ExtractedFile,
    Progress,
    UnpackLimits,
    UnpackResult,
)
from denshi_client.documents.zip.policy import check_size, precheck
from denshi_client.documents.zip.staging import part_prefix, place, remove_stale_parts, taken_names
from denshi_client.documents.zip.streams import HashAndWrite, Offload, RawReader, Ring, Workers, inflater
from denshi_client.errors import ArchiveError

DEFAULT_LIMITS = UnpackLimits()


def _password_candidates(password: str) -> list[bytes]:
    """UTF-8 (WinZip AES spec, 7-Zip) and, for non-ASCII passwords, CP932 (Japanese Windows tools)."""
    cands = [password.encode("utf-8")]
    with contextlib.suppress(UnicodeEncodeError):
        sj = password.encode("cp932")
        if sj not in cands:
            cands.append(sj)
    return cands


@dataclass
class _Budget:
    limits: UnpackLimits
    total_expected: int
    done: int = 0
    progress: Progress | None = None
    cancel: object | None = None
    workers: Workers | None = None
    ring: Ring = field(default_factory=lambda: Ring())
    hash_files: bool = True


def _extract_one(f: io.BufferedReader, e: Entry, pw_cands: list[bytes], out: BinaryIO,
                 budget: _Budget) -> tuple[int, str]:
    """Stream one entry into `out`; raise unless size, CRC and (AES) HMAC all check out."""
    info = e.info
    assert e.data_start >= 0, "locate() first"
    dos_time = e.dos_time
    raw = RawReader(f, e.data_start, info.compress_size)
    inflate = inflater(e.compression, e.name)
    size = 0
    wk = budget.workers
    hasher = HashAndWrite(out, with_crc=True, with_sha=budget.hash_files)
    sha = Offload(wk.a if wk else None, hasher)
    limits = budget.limits
    mac: Offload | None = None
    decrypt: Callable[[Any], bytes | memoryview] | None = None
    check_crc = True
    first = CHUNK
    ring = budget.ring

    if e.encryption.startswith("aes"):
        salt_len = winzip_aes.SALT_LEN[e.aes_key_len]
        if info.compress_size < salt_len + winzip_aes.PWV_LEN + winzip_aes.MAC_LEN:
            raise truncated("AES header")
        salt, pwv = raw.read(salt_len), raw.read(winzip_aes.PWV_LEN)
        for pw in pw_cands:
            key, mac_key, check = winzip_aes.derive_keys(pw, salt, e.aes_key_len)
            if hmac.compare_digest(check, pwv):
                break
        else:
            raise wrong_password()
        mac = Offload(wk.b if wk else None, winzip_aes.new_mac(mac_key))
        ctr = winzip_aes.CtrLE(key)

        def decrypt(ct: memoryview) -> memoryview:
            plain = ring.next_out(len(ct))
            ctr.process_into(ct, plain)
            return plain

        check_crc = hasher.with_crc = e.aes_vendor_version == 1 or info.CRC != 0  # AE-2 stores no CRC
        first = CHUNK - winzip_aes.BLOCK
    elif e.encryption == "zipcrypto":
        if info.compress_size < zipcrypto.HEADER_LEN:
            raise truncated("ZipCrypto header")
        enc_head = raw.read(zipcrypto.HEADER_LEN)
        check_byte = (dos_time >> 8) & 0xFF if info.flag_bits & FLAG_DESCRIPTOR else (info.CRC >> 24) & 0xFF
        for pw in pw_cands:
            dec = zipcrypto.decryptor(pw)
            if dec(enc_head)[-1] == check_byte:
                decrypt = dec
                break
        else:
            raise wrong_password()
    elif e.encrypted:
        raise err("unsupported", f"「{e.name}」の暗号化方式には対応していません。",
                  f"The encryption of '{e.name}' is not supported.")

    def sink(plain: bytes | memoryview) -> None:
        nonlocal size
        size += len(plain)
        budget.done += len(plain)
        if size > info.file_size:  # a header that lies about the size is how bombs pass checks
            raise bomb(e.name, "more data than the header declares")
        check_size(e.name, size, info.compress_size, budget.done, limits, declared=False)
        sha.update(plain)  # hashes and writes on the worker

    tail = winzip_aes.MAC_LEN if mac is not None else 0
    try:
        for chunk in raw.chunks(None if e.encryption == "zipcrypto" else ring, keep_tail=tail, first=first):
            check_cancel(budget.cancel)
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
            error = ex
        elif isinstance(ex, OSError) and ex.errno is not None:  # disk full, I/O error ...
            raise os_error(ex) from None
        else:  # zlib/bz2/deflate64 stream errors
            error = corrupt(e.name, f"{type(ex).__name__}: {ex}")
        if mac is not None and error.code in ("bomb", "corrupt") and not _mac_ok_after(raw, ring, mac):
            # A tampered AES entry decrypts to garbage that may look like a bomb or a bad
            # stream; the HMAC over the rest of the entry tells which it really is.
            raise corrupt(e.name, "HMAC check failed") from None
        raise error from None

    if mac is not None:
        auth = raw.read(winzip_aes.MAC_LEN)
        if not hmac.compare_digest(mac.digest()[: winzip_aes.MAC_LEN], auth):
            raise corrupt(e.name, "HMAC check failed")
    if inflate is not None and not inflate.done():  # type: ignore[attr-defined]
        # every byte the directory promised was there: the stream itself is inconsistent
        raise corrupt(e.name, "compressed stream ends early")
    if size != info.file_size:
        raise corrupt(e.name, "size differs from header")
    if check_crc and (hasher.crc & 0xFFFFFFFF) != info.CRC:
        raise corrupt(e.name, "CRC mismatch")
    return size, digest


def _extract_trying_candidates(f: io.BufferedReader, e: Entry, pw_cands: list[bytes], out: BinaryIO,
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


def _mac_ok_after(raw: RawReader, ring: Ring, mac: Offload) -> bool:
    """Finish the HMAC over the entry's remaining ciphertext (no decryption): was it authentic?"""
    try:
        for chunk in raw.chunks(ring, keep_tail=winzip_aes.MAC_LEN):
            mac.update(chunk)
        return hmac.compare_digest(mac.digest()[: winzip_aes.MAC_LEN], raw.read(winzip_aes.MAC_LEN))
    except ArchiveError:
        return False


def unpack(archive: Path, dest_dir: Path, password: str, *, limits: UnpackLimits = DEFAULT_LIMITS,
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
    entries, cd_start = read_directory(archive)
    files = precheck(entries, limits)
    try:
        with open(archive, "rb") as f:
            locate(f, files, cd_start, os.fstat(f.fileno()).st_size)
    except OSError as ex:
        raise os_error(ex) from None
    if not dest_dir.is_dir():
        raise err("no_destination", f"保存先フォルダー「{dest_dir}」がありません。",
                  f"The destination folder '{dest_dir}' does not exist.")
    remove_stale_parts(dest_dir)  # first: what a killed unpack left counts against the free space
    total = sum(e.info.file_size for e in files)
    with contextlib.suppress(OSError):
        if shutil.disk_usage(dest_dir).free < total + CHUNK:
            raise disk_full()
    if any(e.encrypted for e in files) and not password:
        raise err("no_password", "パスワードが指定されていません。", "No password was given.")
    pw_cands = _password_candidates(password)
    prefix = part_prefix()
    staged: list[tuple[Entry, Path, int, str]] = []
    placed: list[Path] = []
    budget = _Budget(limits, total, progress=progress, cancel=cancel, hash_files=hash_files)
    try:
        with open(archive, "rb") as f, Workers() as budget.workers:
            for i, e in enumerate(files):
                check_cancel(cancel)
                tmp = dest_dir / f"{prefix}-{i}.part"
                with open(tmp, "xb") as out:
                    staged.append((e, tmp, 0, ""))
                    size, digest = _extract_trying_candidates(f, e, pw_cands, out, budget)
                staged[-1] = (e, tmp, size, digest)
        check_cancel(cancel)
        result: list[ExtractedFile] = []
        renamed: dict[str, str] = {}
        taken = taken_names(dest_dir)
        for e, tmp, size, digest in staged:
            n = 1
            while True:
                name = e.safe if n == 1 else zipnames.numbered(e.safe, n)
                n += 1
                if zipnames.fold(name) in taken:
                    continue
                try:
                    place(tmp, dest_dir / name)
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
            raise os_error(ex) from None
        raise
