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

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA = 0x7075

# Windows forbids these in a name component; control characters are never wanted either.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]}
)
MAX_UTF16_UNITS = 255  # NTFS limit per path component
MAX_UTF8_BYTES = 255  # ext4 & co. (so Linux CI behaves like Windows instead of failing with ENAMETOOLONG)
FALLBACK_NAME = "_"


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


def split_path(name: str) -> list[str]:
    """Components of an archive path; both separators count (Windows tools write backslashes)."""
    return [p for p in re.split(r"[/\\]", name)]


def is_traversal(name: str) -> bool:
    """True for names that try to leave the target folder: absolute, drive, UNC or `..` paths."""
    if name.startswith(("/", "\\")):
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    # Win32 trims trailing dots/spaces, so "... " and ".. " act like ".." there.
    return any(part.rstrip(" .") == "" and ".." in part for part in split_path(name))


def is_reserved(name: str) -> bool:
    """Windows device names match on the part before the first dot, ignoring trailing spaces, any case."""
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem in _RESERVED


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _fits(s: str) -> bool:
    return _utf16_len(s) <= MAX_UTF16_UNITS and len(s.encode("utf-8", "surrogatepass")) <= MAX_UTF8_BYTES


def cap_length(name: str, reserve: int = 0) -> str:
    """Shorten to fit NTFS (255 UTF-16 units) and POSIX (255 bytes), keeping a short extension."""
    if _fits(name + "x" * reserve):
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext, dot = name, "", ""
    suffix = dot + ext
    while stem and not _fits(stem + suffix + "x" * reserve):
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    return (stem or FALLBACK_NAME) + suffix


def safe_name(name: str) -> str:
    """A single, harmless Windows file name for an archive entry (basename only).

    Never contains a separator, never a reserved device name, never ends in dot or space,
    never empty, `.` or `..`, and fits NTFS and POSIX limits.
    """
    name = unicodedata.normalize("NFC", name)
    base = split_path(name)[-1]
    if _has_surrogate(base):  # lone surrogates cannot be written on Windows
        base = "".join("_" if 0xD800 <= ord(c) <= 0xDFFF else c for c in base)
    base = _FORBIDDEN.sub("_", base)
    base = base.strip(" ").rstrip(".")
    base = base.rstrip(" .")
    if base in ("", ".", ".."):
        base = FALLBACK_NAME
    if is_reserved(base):
        base = "_" + base
    base = cap_length(base)
    if is_reserved(base):  # cannot happen after the prefix, kept as a guard
        base = "_" + base
    return base


def _has_surrogate(s: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def fold(name: str) -> str:
    """Key under which two names are the same file on NTFS (case-insensitive)."""
    return unicodedata.normalize("NFC", name).casefold()


def numbered(name: str, n: int) -> str:
    """`name (n).ext` for n >= 2, still within length limits."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    tag = f" ({n})"
    candidate = cap_length(stem + dot + ext, reserve=len(tag))
    stem2, dot2, ext2 = candidate.rpartition(".")
    if not dot2 or not stem2 or not dot:
        return candidate + tag
    return f"{stem2}{tag}.{ext2}"


def is_safe_member_name(name: str) -> bool:
    """True when `name` can be used as-is as an entry name we write (pack side)."""
    return bool(name) and safe_name(name) == name and os.sep not in name
