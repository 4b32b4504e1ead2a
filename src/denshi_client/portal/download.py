"""Downloading a document: into a hidden partial keyed by the document id, resumed with Range/If-Range,
hashed as it arrives, and given its final name only when size and SHA-256 match."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import logging
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import quote

from denshi_client.errors import PortalError
from denshi_client.hashing import sha256_prefix
from denshi_client.portal import errors as pe
from denshi_client.portal.calls import _RETRY_STATUS, _interrupted, _PortalCalls, _Retryable
from denshi_client.portal.download_files import (
    KeepOnBreak,
    LocalFile,
    Slot,
    TargetLock,
    download_name,
    find_identical,
    is_disk_full,
    place,
    save_error,
    validator_of,
)
from denshi_client.portal.model import (
    CancelToken,
    InboxDocument,
    ProgressCallback,
)
from denshi_client.portal.transport import (
    _TooLong,
    error_body,
    receive_body,
    translate_os_error,
)

log = logging.getLogger(__name__)


@dataclass
class _PartState:
    """What we know about a partial between attempts: its hash so far (so a resume hashes only new bytes)."""

    hasher: Any = None
    hashed: int = -1
    last: int = -1
    gained: int = 0
    restarted: bool = False


_EARN_ATTEMPT_BYTES = 512 * 1024


class _Downloads(_PortalCalls):
    """GET /documents/{id}/content, resumed and checked; see `download`."""

    def download(self, doc: InboxDocument, dest_dir: Path, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> Path:
        """Resumable (hidden partial + Range/If-Range), verified (size + SHA-256), named only when complete.

        Whatever the server sends as name or id, the file lands in `dest_dir` under a safe Windows name
        (download_files). Downloads of one document into one folder are exclusive across processes. On
        cancel or a final network failure the partial stays for the next call to resume; on a digest
        mismatch it is deleted and IntegrityError raised; on a full disk it is deleted and DiskFullError
        raised. Returns the final path (a numbered name if another file already has the suggested one).
        """
        dest_dir = Path(dest_dir)
        name = download_name(doc.file_name, doc.id)
        slot = Slot(dest_dir, doc.id)
        try:
            dest_dir.mkdir(parents=True, exist_ok=True)
            lock = TargetLock(slot.lock)
            lock.acquire(lambda: cancel is not None and cancel.cancelled)
        except OSError as e:
            raise save_error(e, dest_dir, name) from None
        with lock:
            try:
                result = self._download_locked(doc, slot, name, progress, cancel, self._deadline(doc.size))
            except OSError as e:
                if is_disk_full(e):
                    slot.discard()  # a partial must not keep the disk full; the next try starts over
                raise save_error(e, dest_dir, name) from None
        log.info("portal: downloaded %s (%d bytes) to %s", doc.id, doc.size, result)
        return result

    def _download_locked(self, doc: InboxDocument, slot: Slot, name: str, progress: ProgressCallback | None,
                         cancel: CancelToken | None, deadline: float) -> Path:
        same = find_identical(slot.folder, name, doc.size, lambda p: sha256_prefix(p)[0].hexdigest() == doc.sha256)
        if same is not None:
            return same  # already here, identical (e.g. another process just finished it)
        part = slot.partial
        st = _PartState()
        deadline = self._deadline(doc.size)

        def prefix() -> tuple[Any, int]:
            have = part.stat().st_size if part.exists() else 0
            if have and (have > doc.size or slot.validator(doc.size) is None):
                slot.discard()  # bytes we cannot vouch for: start over
                have = 0
            if st.hasher is None or st.hashed != have:
                st.hasher, st.hashed = sha256_prefix(part, have) if have else (hashlib.sha256(), 0)
            return st.hasher, have

        def moved() -> bool:
            now = part.stat().st_size if part.exists() else 0
            grew = now > st.last
            st.gained += max(now - max(st.last, 0), 0) if grew else 0
            st.last = now
            return grew

        def attempt() -> Path:
            hasher, have = prefix()
            resumed = have > 0
            st.last = max(st.last, have)
            if have < doc.size:
                hasher, have, broke = self._fetch(doc, slot, hasher, have, progress, cancel, deadline)
                st.hasher, st.hashed = hasher, have
                if broke is not None:
                    raise _Retryable(broke)
            elif not part.exists():
                part.touch()  # an empty document still gets its (empty) file
            if have != doc.size:
                raise _Retryable(_interrupted())
            if hasher.hexdigest() != doc.sha256:
                slot.discard()
                st.hasher = None
                log.warning("portal: %s failed SHA-256 verification; partial removed", doc.id)
                if resumed and not st.restarted:
                    # The kept prefix may be from an older version or damaged on disk: one clean try.
                    st.restarted = True
                    raise _Retryable(pe.checksum_mismatch(name))
                raise pe.checksum_mismatch(name)
            target = place(part, slot.folder, name)
            with contextlib.suppress(OSError):
                slot.meta.unlink()
            return target

        # Each try that moved forward by 512 KiB earns one more: a server that breaks off often still
        # finishes, one that sends next to nothing per try is reported within a bounded number of tries.
        return self._with_retries(f"download {doc.id}", attempt, progress_made=moved, deadline=deadline,
                                  extra_attempts=lambda: st.gained // _EARN_ATTEMPT_BYTES)

    def _fetch(self, doc: InboxDocument, slot: Slot, hasher: Any, have: int, progress: ProgressCallback | None,
               cancel: CancelToken | None, deadline: float) -> tuple[Any, int, PortalError | None]:
        """One GET from `have`, over by `deadline`; appends to the partial. Returns (hasher, bytes in partial,
        why it broke off).

        Bytes received before a break are written and counted (the next try resumes after them); the
        resume asks with the validator of the bytes kept, so a changed document comes whole (200).
        """
        headers = self._bulk.headers(self._auth())
        validator = slot.validator(doc.size) if have else None
        if have and validator:
            headers["Range"] = f"bytes={have}-"
            headers["If-Range"] = validator
        conn = self._bulk_connect(deadline)
        with self._bulk.guard(conn, deadline):
            return self._fetch_on(conn, doc, slot, hasher, have, headers, validator, progress, cancel)

    def _fetch_on(self, conn: http.client.HTTPConnection, doc: InboxDocument, slot: Slot, hasher: Any, have: int,
                  headers: dict[str, str], validator: str | None, progress: ProgressCallback | None,
                  cancel: CancelToken | None) -> tuple[Any, int, PortalError | None]:
        try:
            conn.request("GET", self._bulk.path(f"/documents/{quote(doc.id, safe='')}/content"), headers=headers)
            r = conn.getresponse()
            if r.status == 416:
                slot.discard()  # our prefix is not a prefix of theirs: start over
                raise _Retryable(_interrupted())
            if r.status not in (200, 206):
                err = pe.from_response(r.status, error_body(r))
                if r.status in _RETRY_STATUS:
                    raise _Retryable(err)
                raise err
            if r.status == 206:
                cr = r.getheader("Content-Range", "")
                etag = r.getheader("ETag")
                if (not validator or not cr.startswith(f"bytes {have}-") or not cr.endswith(f"/{doc.size}")
                        or (etag is not None and etag != validator)):
                    slot.discard()  # not the continuation of the bytes we kept
                    raise _Retryable(_interrupted())
                mode = "ab"
            else:
                mode, have, hasher = "wb", 0, hashlib.sha256()  # whole body: restart the file
                slot.start(validator_of(r, doc.sha256), doc.size)
            body = KeepOnBreak(r)
            with open(slot.partial, mode, buffering=0) as raw:
                f = LocalFile(raw, slot.partial)
                try:
                    done = receive_body(cast(http.client.HTTPResponse, body), cast(IO[Any], f), hasher, have,
                                        doc.size, self._tick(doc.size, progress, cancel))
                except _TooLong:
                    raise _Retryable(_interrupted()) from None  # more than listed: never keep it
            return hasher, done, body.error
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            if isinstance(e, OSError) and e.filename is not None:
                raise  # a local file problem, not the network
            raise _Retryable(translate_os_error(e)) from None
