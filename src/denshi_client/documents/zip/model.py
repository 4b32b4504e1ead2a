"""The ZIP format's numbers (signatures, methods, flags) and the public types of the package."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CHUNK = 1024 * 1024
Progress = Callable[[int, int], None]

LOCAL_SIG = b"PK\x03\x04"
CENTRAL_SIG = b"PK\x01\x02"
EOCD_SIG = b"PK\x05\x06"
EOCD64_SIG = b"PK\x06\x06"
EOCD64_LOC_SIG = b"PK\x06\x07"
AES_EXTRA = 0x9901
ZIP64_EXTRA = 0x0001
METHOD_STORE, METHOD_DEFLATE, METHOD_BZIP2, METHOD_AES = 0, 8, 12, 99
METHOD_NAMES = {0: "store", 8: "deflate", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd", 95: "xz"}
AES_STRENGTH = {1: 16, 2: 24, 3: 32}  # key bytes; salt is half of it
FLAG_ENCRYPTED, FLAG_DESCRIPTOR, FLAG_STRONG = 0x1, 0x8, 0x40
DOS_REPARSE_POINT = 0x400

# "Version made by": host NTFS (11), spec 6.3. Debian's Info-ZIP unzip garbles UTF-8 names from a
# FAT (0) host despite bit 11, NTFS works everywhere. Legacy CP932 archives mimic Windows tools (FAT).
MADE_BY_NTFS, MADE_BY_FAT = (11 << 8) | 63, (0 << 8) | 63


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


def method_name(m: int) -> str:
    return METHOD_NAMES.get(m, f"method-{m}")
