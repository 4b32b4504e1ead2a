"""Windows file-name rules, in one place: what Windows refuses, and how to make any untrusted name safe.

Used by the fund's naming rules (`naming`: explain what is wrong with a name a person typed), by ZIP
unpack (`zipnames`: entry names from an archive) and by downloads (names, ids, titles and establishment
numbers a server sends). Everything here is pure string work, so it can be property-tested.

Sources: Microsoft, "Naming Files, Paths, and Namespaces" (reserved names incl. COM0/LPT0 and the
superscript digits; forbidden characters; no trailing dot or space) plus the legacy CONIN$, CONOUT$ and
CLOCK$ devices — a superset is harmless, a missing name is a file nobody can open or delete.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

FORBIDDEN_CHARS = '<>:"/\\|?*'
"""Characters Windows refuses in a name component (control characters come on top)."""

_FORBIDDEN_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
RESERVED_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]}
)
MAX_UTF16_UNITS = 255  # NTFS limit per path component
MAX_UTF8_BYTES = 255  # ext4 & co. (so Linux CI behaves like Windows instead of failing with ENAMETOOLONG)
FALLBACK_NAME = "_"
TEMP_PREFIX = ".~denshi-"
"""Our own hidden temporary files start with this; no name made safe here ever does."""


def utf16_units(text: str) -> int:
    """Length as Windows counts it (UTF-16 code units), not as Python or Linux does."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def is_control(c: str) -> bool:
    return ord(c) < 32 or c == "\x7f"


def forbidden_chars(name: str) -> list[str]:
    """The characters of `name` Windows refuses (sorted, each once; control characters excluded)."""
    return sorted({c for c in name if c in FORBIDDEN_CHARS})


def is_reserved(name: str) -> bool:
    """Windows device names match on the part before the first dot, ignoring trailing spaces, any case."""
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem in RESERVED_DEVICE_NAMES


def _fits(s: str) -> bool:
    return utf16_units(s) <= MAX_UTF16_UNITS and len(s.encode("utf-8", "surrogatepass")) <= MAX_UTF8_BYTES


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


def split_path(name: str) -> list[str]:
    """Components of a path; both separators count (Windows tools write backslashes)."""
    return re.split(r"[/\\]", name)


def safe_name(name: str, fallback: str = FALLBACK_NAME) -> str:
    """A single, harmless Windows file name: the last path component of `name`, cleaned.

    Never contains a separator or control character, is never a reserved device name, never ends in
    dot or space, is never `.`/`..`, never starts with our TEMP_PREFIX and fits NTFS and POSIX limits.
    When nothing usable is left, `fallback` is returned (pass "" to find out).
    """
    name = unicodedata.normalize("NFC", name)
    base = split_path(name)[-1]
    base = "".join("_" if 0xD800 <= ord(c) <= 0xDFFF else c for c in base)  # lone surrogates
    base = _FORBIDDEN_RE.sub("_", base).rstrip(" .").lstrip(" ")
    if base in ("", ".", ".."):
        return fallback
    if is_reserved(base) or base.startswith(TEMP_PREFIX):
        base = "_" + base
    base = cap_length(base)
    if is_reserved(base):  # cutting "CON" + 300 spaces + "x.pdf" leaves "CON.pdf"
        base = "_" + base
    return base


def safe_component(text: str, fallback: str = FALLBACK_NAME) -> str:
    """Like safe_name, but for a value that is not meant to be a path at all (an id, a title, an
    establishment number): separators become `_` instead of cutting the text."""
    return safe_name(re.sub(r"[/\\]", "_", text), fallback)


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


def child_path(folder: Path, name: str) -> Path:
    """`folder/name`, refusing anything that would not be a direct child of `folder` (the last guard
    before a path built from untrusted text is written)."""
    if safe_name(name, "") != name:
        raise ValueError(f"not a safe file name: {name!r}")
    path = folder / name
    if os.path.dirname(os.path.abspath(path)) != os.path.abspath(folder):
        raise ValueError(f"{name!r} is not inside {folder}")
    return path
