"""Uploading a file: streamed from disk, staged, and committed only when the server's digest equals
ours; a retry asks first what already arrived, so one client id never becomes two uploads."""

from __future__ import annotations

import hashlib
import http.client
import logging
import ssl
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from denshi_client.errors import PortalError
from denshi_client.hashing import sha256_prefix
from denshi_client.portal import errors as pe
from denshi_client.portal.calls import _RETRY_STATUS, _interrupted, _PortalCalls, _Retryable
from denshi_client.portal.model import (
    CancelToken,
    ProgressCallback,
    UploadReceipt,
    decode_json,
    parse_receipt,
)
from denshi_client.portal.transport import (
    MAX_ERROR_BODY,
    error_body,
    send_file,
    translate_os_error,
)

log = logging.getLogger(__name__)


class _Uploads(_PortalCalls):
    """PUT /uploads/{client_id} and its commit; see `upload`."""

    def upload(self, path: Path, *, form_name: str, establishment: str, client_id: str | None = None,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
               sha256: str | None = None) -> UploadReceipt:
        """Idempotent by client_id; the receipt is verified against the local file.

        Keep the client_id with the pending upload (e.g. in history) and pass the same one on a retry
        after a crash: if the service already has the file, nothing is sent twice. Pass `sha256` when it
        is known (archive.pack returns it): the service then verifies the bytes itself and commits in one
        step, and the client need not hash the file again; a file changed since is refused, not stored.
        """
        path = Path(path)
        cid = client_id or uuid.uuid4().hex
        size = path.stat().st_size
        local: dict[str, str] = {"sha": sha256.lower()} if sha256 else {}
        deadline = self._deadline(size)

        def local_sha() -> str:
            if "sha" not in local:
                local["sha"] = sha256_prefix(path)[0].hexdigest()
            return local["sha"]

        def check(rec: UploadReceipt) -> UploadReceipt:
            if rec.received_size != size or rec.sha256 != local_sha():
                raise pe.upload_mismatch(path.name)
            return rec

        def attempt() -> UploadReceipt:
            existing = self._upload_status(cid, deadline)
            if existing is not None and existing[1] == "received":
                if existing[0].received_size == size and existing[0].sha256 == local_sha():
                    return existing[0]
                raise pe.UploadConflict("この送信IDでは別のファイルが既に送信されています。",
                                        "A different file was already sent with this upload id.")
            staged, status, sent_sha = self._put(path, cid, form_name, establishment, size, sha256, progress,
                                                 cancel, deadline)
            if status == "received":
                return check(staged)
            local.setdefault("sha", sent_sha)
            if staged.received_size != size or staged.sha256 != sent_sha:
                log.warning("portal: upload %s arrived damaged (staged digest differs); sending again", cid)
                raise _Retryable(pe.upload_mismatch(path.name))
            r = self._request("POST", f"/uploads/{cid}/commit", retry=False, ok=(200, 201),
                              json_body={"sha256": sent_sha, "size": size}, deadline=deadline)
            return check(parse_receipt(self._json(r))[0])

        def guarded() -> UploadReceipt:
            try:
                return attempt()
            except pe.IntegrityError as e:
                if e.code == "checksum_mismatch" and not sha256:
                    raise _Retryable(e) from None  # the commit refused damaged bytes: send again
                if sha256 and e.code == "checksum_mismatch":
                    # The service refused the bytes for the declared digest: damaged in transit, or the
                    # file changed since it was packed. One more send tells which.
                    raise _Retryable(pe.upload_mismatch(path.name)) from None
                raise
            except pe.ServerError as e:
                raise _Retryable(e) from None
            except PortalError as e:
                if e.code == "staged_replaced":  # a parallel send of the same id won: ask again what arrived
                    raise _Retryable(e) from None
                raise

        receipt = self._with_retries(f"upload {cid}", guarded, deadline=deadline)
        log.info("portal: uploaded %s as %s (%d bytes)", path.name, receipt.server_id, receipt.received_size)
        return receipt

    def _put(self, path: Path, cid: str, form_name: str, establishment: str, size: int, known_sha: str | None,
             progress: ProgressCallback | None, cancel: CancelToken | None,
             deadline: float) -> tuple[UploadReceipt, str, str]:
        """Stream the file from disk (read and hashed ahead on a thread). Returns (receipt, status, digest sent)."""
        hasher = hashlib.sha256()
        tick = self._tick(size, progress, cancel)
        params = {"form_name": form_name, "establishment": establishment, "file_name": path.name}
        if known_sha:
            params["sha256"] = known_sha.lower()
        conn = self._bulk_connect(deadline)
        with self._bulk.guard(conn, deadline):
            sent, data = self._put_on(conn, path, cid, params, size, known_sha, hasher, tick)
        if sent != size:
            raise _Retryable(_interrupted())  # the file changed size while sending
        rec, status = parse_receipt(data)
        return rec, status, known_sha.lower() if known_sha else hasher.hexdigest()

    def _put_on(self, conn: http.client.HTTPConnection, path: Path, cid: str, params: dict[str, str], size: int,
                known_sha: str | None, hasher: Any, tick: Callable[[int], None]) -> tuple[int, dict[str, Any]]:
        sent = 0
        try:
            conn.putrequest("PUT", self._bulk.path(f"/uploads/{cid}", params), skip_accept_encoding=True)
            for k, v in self._bulk.headers({**self._auth(), "Content-Length": str(size),
                                            "Content-Type": "application/zip"}).items():
                conn.putheader(k, v)
            conn.endheaders()
            assert conn.sock is not None
            with open(path, "rb", buffering=0) as f:
                try:
                    sent = send_file(conn.sock, f, size, None if known_sha else hasher, tick, self.chunk_size)
                except (ConnectionError, ssl.SSLError, TimeoutError):
                    pass  # the server may have answered early (e.g. 401); read it below
            r = conn.getresponse()
            if r.status not in (200, 201, 202):
                err = pe.from_response(r.status, error_body(r))
                if r.status in _RETRY_STATUS:
                    raise _Retryable(err)
                raise err
            raw = r.read(MAX_ERROR_BODY)
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            if isinstance(e, OSError) and e.filename is not None:
                raise
            raise _Retryable(translate_os_error(e)) from None
        try:
            return sent, decode_json(raw, "受付情報", "The receipt")
        except PortalError:
            raise _Retryable(_interrupted()) from None
