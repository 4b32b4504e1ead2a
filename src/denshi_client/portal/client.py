"""The one adapter to the fund's service (direct mode): the client for docs/openapi.yaml.

Pointing the app at the real service means changing this module and the `[service]` settings block
(api_base_url, ca_bundle) — nothing else speaks HTTP to the fund.

Transfers never leave a wrong file behind: downloads go to a hidden partial keyed by the document id
(portal/download_files.py), resume with Range/If-Range, are hashed incrementally (the existing prefix
included) and get their final name only after size and SHA-256 match.
Uploads are streamed from disk, staged, and committed only when the server's digest equals ours;
a retry asks first what already arrived, so one client id never becomes two uploads.

Limits: every operation (all its attempts) ends by a deadline — `deadline_s` for a JSON call, plus
`size / min_rate` for a transfer — enforced on the socket (portal/transport.py), not only per read; every
JSON answer is capped (`max_json_bytes`) and validated in portal/model.py before use.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import random
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import quote

from denshi_client.errors import PortalError
from denshi_client.hashing import sha256_prefix
from denshi_client.portal import errors as pe
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
    LoginSession,
    ProgressCallback,
    UploadReceipt,
    decode_json,
    list_field,
    parse_document,
    parse_login,
    parse_receipt,
    parse_session,
)
from denshi_client.portal.transport import (
    MAX_ERROR_BODY,
    MAX_JSON_BYTES,
    BulkTransport,
    _TooLong,
    error_body,
    interrupted,
    receive_body,
    send_file,
    translate_os_error,
)
from denshi_client.redact import register_secret

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8765/api/v1"
CHUNK = 1 << 20
_RETRY_STATUS = {500, 502, 503, 504}
T = TypeVar("T")
# Defaults fit a real VPN link: a JSON call (retries included) gets 60 s; a transfer 60 s plus its size at
# 32 KiB/s (256 kbit/s, below any usable line), so only a server that drips or stalls is cut off.
DEADLINE_S = 60.0
MIN_RATE = 32 * 1024


@dataclass(frozen=True)
class PortalSettings:
    """The `[service]` settings block: everything that changes when the real fund's API is known."""

    api_base_url: str = DEFAULT_BASE_URL
    ca_bundle: str | None = None
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    deadline_s: float = DEADLINE_S
    min_rate: int = MIN_RATE


class _Retryable(Exception):
    """A failure worth another attempt; carries the typed error to raise when attempts run out."""

    def __init__(self, err: PortalError):
        super().__init__(str(err))
        self.err = err


_interrupted = interrupted




@dataclass
class _PartState:
    """What we know about a partial between attempts: its hash so far (so a resume hashes only new bytes)."""

    hasher: Any = None
    hashed: int = -1
    last: int = -1
    gained: int = 0
    restarted: bool = False


_EARN_ATTEMPT_BYTES = 512 * 1024


class HttpPortalClient:
    """`PortalClient` over HTTP(S). Thread-safe for one transfer at a time per instance."""

    def __init__(self, base_url: str, *, ca_bundle: str | Path | None = None, token: str | None = None,
                 connect_timeout: float = 10.0, read_timeout: float = 60.0, retries: int = 4,
                 backoff_s: float = 0.5, chunk_size: int = CHUNK, sleep: Callable[[float], None] = time.sleep,
                 user_agent: str = "denshi-client", deadline_s: float = DEADLINE_S, min_rate: int = MIN_RATE,
                 max_json_bytes: int = MAX_JSON_BYTES):
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.deadline_s = deadline_s
        self.min_rate = max(1, min_rate)
        self.max_json_bytes = max_json_bytes
        self.backoff_s = backoff_s
        self.chunk_size = chunk_size
        self._sleep = sleep
        self._token: str | None = None
        self.session: LoginSession | None = None
        # One TLS context for both transports: the OS trust store, or only the fund's CA when configured.
        if ca_bundle:
            ca = Path(ca_bundle)
            if not ca.is_file():
                raise pe.TlsError(
                    f"CA 証明書ファイルが見つかりません：{ca}", f"The CA bundle file was not found: {ca}",
                    code="tls_config")
            try:
                verify = ssl.create_default_context(cafile=str(ca))
            except (ssl.SSLError, OSError, ValueError):
                raise pe.TlsError(
                    f"CA 証明書ファイルを読み込めませんでした（PEM 形式の証明書ではありません）：{ca.name}",
                    f"The CA bundle could not be read (not a PEM certificate file): {ca.name}",
                    code="tls_config",
                    hint_ja="基金から配布された CA 証明書（PEM 形式）を指定してください。",
                    hint_en="Give the CA certificate (PEM) the fund provided.") from None
        else:
            verify = ssl.create_default_context()
        # No proxy, no redirects: http.client never reads the environment's proxy settings.
        self._bulk = BulkTransport(self.base_url, verify, connect_timeout, read_timeout, user_agent)
        if token:
            self.token = token

    @classmethod
    def from_settings(cls, settings: PortalSettings, **kw: Any) -> HttpPortalClient:
        """A client for the given block (`services.portal_settings` builds it from the files)."""
        s = settings
        return cls(s.api_base_url, ca_bundle=s.ca_bundle, connect_timeout=s.connect_timeout_s,
                   read_timeout=s.read_timeout_s, deadline_s=s.deadline_s, min_rate=s.min_rate, **kw)

    # ---- plumbing -------------------------------------------------------------------------------------
    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        register_secret(value)
        self._token = value

    def close(self) -> None:
        """Nothing to release: every call opens (and closes) its own connection."""

    def __enter__(self) -> HttpPortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _auth(self) -> dict[str, str]:
        if not self._token:
            raise pe.SessionExpired("ログインしていません。先にログインしてください。",
                                    "Not logged in. Please log in first.", code="unauthorized")
        return {"Authorization": f"Bearer {self._token}"}

    @staticmethod
    def _error(status: int, raw: bytes) -> PortalError:
        try:
            body: Any = decode_json(raw)
        except PortalError:
            body = None
            log.info("portal: HTTP %d with an unreadable body: %s", status,
                     pe.sanitize(raw[:4096].decode("utf-8", "replace")))
        return pe.from_response(status, body)

    def _deadline(self, size: int = 0) -> float:
        """When an operation (all attempts) must be over: deadline_s, plus size at the minimum rate."""
        return time.monotonic() + self.deadline_s + size / self.min_rate

    def _backoff(self, attempt: int) -> None:
        delay = min(self.backoff_s * (2 ** attempt), 8.0) * (0.75 + random.random() / 2)
        self._sleep(delay)

    def _with_retries(self, what: str, fn: Callable[[], T], *, progress_made: Callable[[], bool] | None = None,
                      deadline: float | None = None, extra_attempts: Callable[[], int] | None = None) -> T:
        """Run fn; _Retryable failures are retried with exponential backoff (only safe operations use this).

        No attempt starts after `deadline`: the last failure is raised instead.
        """
        failures = 0
        attempts = 0
        while True:
            attempts += 1
            try:
                return fn()
            except _Retryable as e:
                if progress_made is not None and progress_made():
                    failures = 0  # a resumed transfer that moved forward starts its count again
                failures += 1
                # The overall cap stops a server that always breaks off at the same place from looping.
                cap = 4 * (self.retries + 1) + (extra_attempts() if extra_attempts is not None else 0)
                if failures > self.retries or attempts > cap:
                    raise e.err from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise e.err from None
                log.info("portal: %s failed (%s); retry %d/%d", what, e.err.code, failures, self.retries)
                self._backoff(failures - 1)

    def _request(self, method: str, path: str, *, retry: bool, auth: bool = True, ok: tuple[int, ...] = (200,),
                 params: dict[str, str] | None = None, json_body: Any = None,
                 deadline: float | None = None) -> bytes:
        """One JSON call (retried when `retry`), all attempts within one deadline; returns the answer body."""
        end = deadline if deadline is not None else self._deadline()
        body = None if json_body is None else json.dumps(json_body, ensure_ascii=False).encode("utf-8")

        def once() -> bytes:
            headers = self._auth() if auth else {}
            try:
                status, raw = self._bulk.exchange(method, path, params=params, body=body, headers=headers,
                                                  deadline=end, limit=self.max_json_bytes)
            except (pe.PortalUnreachable, pe.ServerError) as e:
                if retry and e.code != "too_large":
                    raise _Retryable(e) from None
                raise
            if status in ok:
                return raw
            refused = self._error(status, raw)
            if retry and status in _RETRY_STATUS:
                raise _Retryable(refused)
            raise refused

        if not retry:
            return once()
        return self._with_retries(f"{method} {path}", once, deadline=end)

    @staticmethod
    def _json(raw: bytes) -> dict[str, Any]:
        return decode_json(raw)

    # ---- session ----------------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """Public; used to tell "VPN down" from "service closed" before login."""
        return self._json(self._request("GET", "/health", retry=False, auth=False))

    def request_otp(self, user_id: str) -> None:
        # Never retried: a second request would invalidate the OTP the first one mailed.
        self._request("POST", "/otp/requests", retry=False, auth=False, ok=(200, 202), json_body={"user_id": user_id})
        log.info("portal: OTP requested for %s", user_id)

    def login(self, user_id: str, otp: str) -> LoginSession:
        register_secret(otp)
        r = self._request("POST", "/sessions", retry=False, auth=False, ok=(200, 201),
                          json_body={"user_id": user_id, "otp": otp})
        token, session = parse_login(decode_json(r, "ログイン応答", "The login answer"))
        self.token = token
        self.session = session
        log.info("portal: logged in as %s (establishments %s)", user_id, ",".join(self.session.establishments))
        return self.session

    def current_session(self) -> LoginSession:
        """Ask the server (e.g. after a restart with a stored token); SessionExpired if it is gone."""
        self.session = parse_session(self._json(self._request("GET", "/sessions/current", retry=True)))
        return self.session

    def logout(self) -> None:
        if not self._token:
            return
        try:
            self._request("DELETE", "/sessions/current", retry=False, ok=(200, 204))
        except pe.SessionExpired:
            pass  # already gone: the goal is reached
        finally:
            self._token = None
            self.session = None
        log.info("portal: logged out")

    # ---- inbox -------------------------------------------------------------------------------------------
    def inbox(self, establishment: str | None = None, unread: bool | None = None) -> list[InboxDocument]:
        params: dict[str, str] = {}
        if establishment:
            params["establishment"] = establishment
        if unread is not None:
            params["unread"] = "true" if unread else "false"
        data = self._json(self._request("GET", "/documents", retry=True, params=params))
        out = []
        for d in list_field(data, "documents", "書類一覧", "The document list"):
            try:
                out.append(parse_document(d))
            except (KeyError, TypeError, ValueError) as e:
                log.warning("portal: skipped an inbox entry that could not be read (%s)", pe.sanitize(str(e), 40))
        return out

    def mark_read(self, doc: InboxDocument | str) -> None:
        doc_id = doc.id if isinstance(doc, InboxDocument) else doc
        self._request("POST", f"/documents/{doc_id}/read", retry=True, ok=(200, 204))

    # ---- download ----------------------------------------------------------------------------------------
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

    def _tick(self, total: int, progress: ProgressCallback | None, cancel: CancelToken | None) -> Callable[[int], None]:
        """Per-buffer hook: report progress, honour cancel (a progress callback returning False cancels)."""

        def tick(done: int) -> None:
            if progress is not None and progress(done, total) is False:  # type: ignore[func-returns-value]
                raise pe.cancelled()
            if cancel is not None and cancel.cancelled:
                raise pe.cancelled()

        return tick

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
        try:
            conn = self._bulk.connect_within(deadline)
        except (pe.TlsError, pe.PortalTimeout):
            raise
        except PortalError as e:
            raise _Retryable(e) from None
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

    # ---- upload ------------------------------------------------------------------------------------------
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
        try:
            conn = self._bulk.connect_within(deadline)
        except (pe.TlsError, pe.PortalTimeout):
            raise
        except PortalError as e:
            raise _Retryable(e) from None
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

    def upload_status(self, client_id: str) -> tuple[UploadReceipt, str] | None:
        """(receipt, 'staged'|'received') for a client id, or None if the service has nothing."""
        end = self._deadline()
        return self._with_retries(f"upload status {client_id}", lambda: self._upload_status(client_id, end),
                                  deadline=end)

    def _upload_status(self, client_id: str, deadline: float) -> tuple[UploadReceipt, str] | None:
        try:
            r = self._request("GET", f"/uploads/{client_id}", retry=False, deadline=deadline)
        except pe.NotFound:
            return None
        except (pe.ServerError, pe.PortalUnreachable, pe.PortalTimeout) as e:
            raise _Retryable(e) from None
        return parse_receipt(self._json(r))

    def uploads(self) -> list[UploadReceipt]:
        data = self._json(self._request("GET", "/uploads", retry=True))
        return [parse_receipt(d)[0] for d in list_field(data, "uploads", "送信履歴", "The upload history")
                if isinstance(d, dict)]
