"""SHA-256 of a file: the one helper the queue, the ZIP writer, the portal client and the stand-in share.

Reads in 1 MiB chunks into one reused buffer (hashlib releases the GIL on large updates), so
hashing a large upload neither holds the file in memory nor stalls other threads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


def sha256_prefix(path: Path, upto: int | None = None) -> tuple[Any, int]:
    """(hash object, bytes read) over the first `upto` bytes (all when None): a resumed download
    keeps feeding the returned object."""
    h = hashlib.sha256()
    done = 0
    buf = bytearray(CHUNK)
    mv = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while upto is None or done < upto:
            want = len(buf) if upto is None else min(len(buf), upto - done)
            n = f.readinto(mv[:want])
            if not n:
                break
            h.update(mv[:n])
            done += n
    return h, done


def sha256_file(path: Path) -> str:
    """The file's SHA-256 as lowercase hex (what the fund's document list and our queue record)."""
    return sha256_prefix(path)[0].hexdigest()
