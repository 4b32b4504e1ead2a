"""Password ZIP, as the rest of the app imports it: a facade over the `documents.zip` package.

The code lives in documents/zip/ (one module per concern, see its docstring); this name stays so
that callers (`archive.pack`, `archive.unpack`, `archive.ZipFormat` ...) need not change.
"""

from __future__ import annotations

from denshi_client.documents.zip import (
    EntryInfo,
    ExtractedFile,
    PackResult,
    UnpackLimits,
    UnpackResult,
    ZipFormat,
    list_entries,
    pack,
    unpack,
)
from denshi_client.errors import ArchiveError

__all__ = [
    "ArchiveError", "EntryInfo", "ExtractedFile", "PackResult", "UnpackLimits", "UnpackResult", "ZipFormat",
    "list_entries", "pack", "unpack",
]
