"""Password ZIP: pack (AES-256 or ZipCrypto) and a paranoid, streaming, all-or-nothing unpack.

Why our own reader/writer instead of pyzipper: pyzipper cannot write ZipCrypto, reads ZipCrypto in
pure Python (0.5 MiB/s), checks AES with a slow HMAC and offers only extract(), which trusts names.
See docs/zip.md for the rules (names, limits, collisions) and their reasons.

    model      the format's numbers and the public types
    errors     every refusal as an ArchiveError (Japanese/English, code, hint)
    directory  central directory, entry classification, local headers and overlaps
    policy     what is refused before writing, and the one zip-bomb size rule
    streams    chunked reads, reused buffers, hashing on a second thread, bounded inflaters
    staging    partial files (and cleaning stale ones), placing without replacing
    reader     unpack
    writer     pack
"""

from __future__ import annotations

from denshi_client.documents.zip.directory import list_entries
from denshi_client.documents.zip.model import (
    EntryInfo,
    ExtractedFile,
    PackResult,
    UnpackLimits,
    UnpackResult,
    ZipFormat,
)
from denshi_client.documents.zip.reader import unpack
from denshi_client.documents.zip.writer import pack

__all__ = [
    "EntryInfo", "ExtractedFile", "PackResult", "UnpackLimits", "UnpackResult", "ZipFormat",
    "list_entries", "pack", "unpack",
]
