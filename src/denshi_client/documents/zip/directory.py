"""Reading the archive's table of contents: the central directory (via the stdlib `zipfile`, robust and
ZIP64-aware), what each entry is (encryption, real method, link, directory), and the local headers
that say where each entry's data really is."""

from __future__ import annotations

import io
import itertools
import stat
import struct
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from denshi_client.documents import zipnames
from denshi_client.documents.zip.errors import (
    corrupt,
    err,
    into_directory,
    name_not_utf8,
    not_a_zip,
    os_error,
    overlap,
    truncated,
)
from denshi_client.documents.zip.model import (
    AES_EXTRA,
    AES_STRENGTH,
    DOS_REPARSE_POINT,
    FLAG_ENCRYPTED,
    FLAG_STRONG,
    LOCAL_SIG,
    METHOD_AES,
    EntryInfo,
    method_name,
)


@dataclass
class Entry:
    info: zipfile.ZipInfo
    name: str
    safe: str
    encryption: str
    compression: int  # real compression method (inside AES)
    aes_key_len: int = 0
    aes_vendor_version: int = 0
    is_dir: bool = False
    is_link: bool = False
    data_start: int = -1  # from the local header (see locate)
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
        if hid == AES_EXTRA and len(body) >= 7 and body[2:4] == b"AE":
            ver, _vendor, strength, method = struct.unpack_from("<H2sBH", body)
            return ver, strength, method
    return None


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) == stat.S_IFLNK:
        return True
    return bool(info.external_attr & DOS_REPARSE_POINT)


def _classify(info: zipfile.ZipInfo) -> Entry:
    name = zipnames.decode_entry_name(info.orig_filename, info.flag_bits, info.extra)
    is_dir = name.endswith(("/", "\\"))
    encryption, method, key_len, ver = "none", info.compress_type, 0, 0
    if info.flag_bits & FLAG_ENCRYPTED:
        if info.compress_type == METHOD_AES:
            aes = _aes_extra(info.extra)
            if aes is None:
                raise corrupt(name, "AES entry without its extra field")
            ver, strength, method = aes
            key_len = AES_STRENGTH.get(strength, 0)
            if not key_len:
                raise corrupt(name, f"unknown AES strength {strength}")
            encryption = f"aes{key_len * 8}"
        elif info.flag_bits & FLAG_STRONG:
            encryption = "pkware-strong"
        else:
            encryption = "zipcrypto"
    return Entry(info, name, zipnames.safe_name(name), encryption, method, key_len, ver, is_dir, _is_link(info))


def read_directory(archive: Path) -> tuple[list[Entry], int]:
    """The classified entries and where the central directory starts (the end of all entry data)."""
    try:
        with zipfile.ZipFile(archive) as z:
            infos = z.infolist()
            cd_start: int = z.start_dir
    except FileNotFoundError:
        raise err("not_found", f"ファイル「{archive.name}」が見つかりません。",
                  f"File '{archive.name}' was not found.") from None
    except IsADirectoryError:
        raise not_a_zip(archive) from None
    except OSError as e:
        raise os_error(e) from None
    except UnicodeDecodeError as e:  # zipfile decodes names with bit 11 set as UTF-8
        raise name_not_utf8(bytes(e.object)) from None
    except NotImplementedError:  # zipfile: "version needed to extract" beyond 6.3
        raise err("unsupported", f"「{archive.name}」は対応していない ZIP の形式で作られています。",
                  f"'{archive.name}' uses a ZIP format version that is not supported.",
                  "7-Zip などで標準の ZIP（Deflate）形式に作り直すよう送信元にご依頼ください。",
                  "Ask the sender to make a standard ZIP (Deflate).") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, EOFError):
        with open(archive, "rb") as f:
            head = f.read(4)
        if head == LOCAL_SIG:
            raise truncated("no central directory") from None
        raise not_a_zip(archive) from None
    except Exception as e:  # zipfile on hostile bytes: whatever else it raises is still a broken archive
        raise corrupt(archive.name, f"unreadable central directory ({type(e).__name__})") from None
    return [_classify(i) for i in infos], cd_start


def _dos_datetime(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time)
    except ValueError:
        return None


def list_entries(archive: Path) -> list[EntryInfo]:
    """What is inside, without a password (ZIP never encrypts names or sizes)."""
    out = []
    for e in read_directory(Path(archive))[0]:
        comp = method_name(e.compression)
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


def locate(f: io.BufferedReader, files: list[Entry], cd_start: int, archive_size: int) -> None:
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
            raise truncated("local header")
        if head[:4] != LOCAL_SIG:
            raise corrupt(e.name, "bad local header")
        e.dos_time = struct.unpack_from("<H", head, 10)[0]
        nlen, xlen = struct.unpack_from("<HH", head, 26)
        e.data_start = e.info.header_offset + 30 + nlen + xlen
        end = e.data_start + e.info.compress_size
        if end > archive_size:
            raise truncated("entry data beyond end of file")
        if end > cd_start:
            raise into_directory(e.name)
        spans.append((e.info.header_offset, end, e.name))
    spans.sort()
    for (_s1, end1, n1), (s2, _e2, n2) in itertools.pairwise(spans):
        if s2 < end1:
            raise overlap(n1, n2)
