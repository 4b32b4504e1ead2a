"""Entry names inside ZIP archives: decoding legacy bytes and making names safe on Windows.

Names in a received archive are attacker-controlled. Everything here is pure string
work so it can be property-tested; the unpacker decides what to refuse.
"""

from __future__ import annotations

import os
import re
import struct
import unicodedata
import zlib

# The Windows rules themselves (device names, characters, lengths) live in winnames; the unpacker knows
# them as zipnames.* and gets the very same functions.
from denshi_client.documents.winnames import (
    FALLBACK_NAME,
    MAX_UTF8_BYTES,
    MAX_UTF16_UNITS,
    cap_length,
    fold,
    is_reserved,
    numbered,
    safe_name,
    split_path,
)

__all__ = [
    "FALLBACK_NAME",
    "MAX_UTF8_BYTES",
    "MAX_UTF16_UNITS",
    "UNICODE_PATH_EXTRA",
    "UTF8_FLAG",
    "cap_length",
    "decode_entry_name",
    "fold",
    "is_reserved",
    "is_safe_member_name",
    "is_traversal",
    "numbered",
    "raw_name_bytes",
    "safe_name",
    "split_path",
    "unicode_path_extra",
]

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA = 0x7075


def raw_name_bytes(orig_filename: str, flag_bits: int) -> bytes:
    """The name exactly as stored. zipfile decoded it as cp437 (lossless) unless bit 11 was set.

    `orig_filename` is used because `filename` has had os.sep replaced, which breaks CP932
    names whose trail byte is 0x5C (表, ソ, 能) on Windows.
    """
    if flag_bits & UTF8_FLAG:
        return orig_filename.encode("utf-8", "surrogateescape")
    return orig_filename.encode("cp437")


def unicode_path_extra(extra: bytes, raw_name: bytes) -> str | None:
    """Info-ZIP Unicode Path (0x7075), honoured only when its CRC matches the stored name (as the spec says)."""
    i = 0
    while i + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        i += 4 + size
        if hid != UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        (crc,) = struct.unpack_from("<I", body, 1)
        if crc != zlib.crc32(raw_name):
            return None
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def decode_entry_name(orig_filename: str, flag_bits: int, extra: bytes = b"") -> str:
    """Readable name of an entry, NFC.

    Order: bit 11 → UTF-8; Unicode Path extra; then UTF-8 before CP932 (UTF-8 bytes often
    decode as CP932 garbage, never the other way round), never shift_jis (no ①, 髙).
    """
    raw = raw_name_bytes(orig_filename, flag_bits)
    if flag_bits & UTF8_FLAG:
        name = orig_filename
    else:
        name = unicode_path_extra(extra, raw) or ""
        if not name:
            for enc in ("utf-8", "cp932"):
                try:
                    name = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                name = orig_filename  # cp437 view: ugly but lossless and harmless
    return unicodedata.normalize("NFC", name)


def is_traversal(name: str) -> bool:
    """True for names that try to leave the target folder: absolute, drive, UNC or `..` paths."""
    if name.startswith(("/", "\\")):
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    # Win32 trims trailing dots/spaces, so "... " and ".. " act like ".." there.
    return any(part.rstrip(" .") == "" and ".." in part for part in split_path(name))


def is_safe_member_name(name: str) -> bool:
    """True when `name` can be used as-is as an entry name we write (pack side)."""
    return bool(name) and safe_name(name) == name and os.sep not in name
