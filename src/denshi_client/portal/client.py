"""The one adapter to the fund's service (direct mode): an httpx client for docs/openapi.yaml.

Pointing the app at the real service means changing this module and the `[service]` settings block
(api_base_url, ca_bundle) — nothing else speaks HTTP to the fund.

Transfers never leave a wrong file behind: downloads go to `<name>.part`, resume with Range/If-Range,
are hashed incrementally (the existing prefix included) and renamed only after size and SHA-256 match.
Uploads are streamed from disk, staged, and committed only when the server's digest equals ours;
a retry asks first what already arrived, so one client id never becomes two uploads.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import random
import ssl
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from denshi_client.errors import PortalError
from denshi_client.portal import errors as pe
from denshi_client.portal.model import (
    CancelToken,
    InboxDocument,
    LoginSession,
    ProgressCallback,
    UploadReceipt,
)
from denshi_client.portal.transport import (
    MAX_ERROR_BODY,
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


@dataclass(frozen=True)
class PortalSettings:
    """The `[service]` settings block: everything that changes when the real fund's API is known."""

    api_base_url: str = DEFAULT_BASE_URL
    ca_bundle: str | None = None
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0


def portal_settings() -> PortalSettings:
    """`[service] api_base_url / ca_bundle` from the effective settings (defaults < IT policy < user)."""
    from denshi_client.store.settings import load_effective_settings

    svc = load_effective_settings().service
    return PortalSettings(api_base_url=svc.api_base_url or DEFAULT_BASE_URL, ca_bundle=svc.ca_bundle or None)


class _Retryable(Exception):
    """A failure worth another attempt; carries the typed error to raise when attempts run out."""

    def __init__(self, err: PortalError):
        super().__init__(str(err))
        self.err = err


_interrupted = interrupted


def _translate(exc: httpx.HTTPError) -> PortalError:
    """httpx exception -> our typed error (the message never carries URLs with secrets)."""
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLCertVerificationError):
                return pe.tls_untrusted()
            cause = cause.__cause__ or cause.__context__
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return pe.tls_untrusted()
        return pe.unreachable()
    if isinstance(exc, httpx.ConnectTimeout):
        return pe.unreachable()
    if isinstance(exc, httpx.TimeoutException):
        return pe.timeout()
    return _interrupted()


def _sha256_file(path: Path, upto: int | None = None) -> tuple[Any, int]:
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


def _safe_file_name(name: str, fallback: str) -> str:
    """The server's suggested name, made safe for a Windows folder (no path parts, no reserved chars)."""
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join("_" if c in '<>:"|?*' or ord(c) < 32 else c for c in name).strip(" .")
    return name or fallback


def _numbered(folder: Path, name: str) -> Iterator[Path]:
    """`name`, then `stem (2).ext` … `stem (999).ext`: the names a download may be saved under."""
    yield folder / name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    for i in range(2, 1000):
        yield folder / (f"{stem} ({i}).{ext}" if ext else f"{stem} ({i})")


def _free_name(folder: Path, name: str) -> Path:
    for cand in _numbered(folder, name):
        if not cand.exists():
            return cand
    raise PortalError("保存先に同名のファイルが多すぎます。", "Too many files with the same name in the folder.")


def _saved_copy(folder: Path, name: str, size: int, sha256: str) -> Path | None:
    """A file this document was already saved as (its name or a numbered one, same bytes), if any."""
    for cand in _numbered(folder, name):
        if not cand.exists():
            return None
        if cand.stat().st_size == size and _sha256_file(cand)[0].hexdigest() == sha256:
            return cand
    return None


def _parse_dt(v: Any) -> datetime | None:
    if not isinstance(v, str):
        return None
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        return None


@dataclass
class _PartState:
    """What we know about a .part between attempts: its hash so far (so a resume hashes only new bytes)."""

    hasher: Any = None
    hashed: int = -1
    last: int = -1
    restarted: bool = False


class HttpPortalClient:
    """`PortalClient` over HTTP(S). Thread-safe for one transfer at a time per instance."""

    def __init__(self, base_url: str, *, ca_bundle: str | Path | None = None, token: str | None = None,
                 connect_timeout: float = 10.0, read_timeout: float = 60.0, retries: int = 4,
                 backoff_s: float = 0.5, chunk_size: int = CHUNK, sleep: Callable[[float], None] = time.sleep,
                 user_agent: str = "denshi-client"):
        self.base_url = base_url.rstrip("/")
        self.retries = retries
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
            verify = ssl.create_default_context(cafile=str(ca))
        else:
            verify = ssl.create_default_context()
        self._bulk = BulkTransport(self.base_url, verify, connect_timeout, read_timeout, user_agent)
        self._http = httpx.Client(
            verify=verify,
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            follow_redirects=False,
            trust_env=False,  # a system proxy must never see the fund's traffic or tokens
        )
        if token:
            self.token = token

    @classmethod
    def from_settings(cls, settings: PortalSettings | None = None, **kw: Any) -> HttpPortalClient:
        s = settings or portal_settings()
        return cls(s.api_base_url, ca_bundle=s.ca_bundle, connect_timeout=s.connect_timeout_s,
                   read_timeout=s.read_timeout_s, **kw)

    # ---- plumbing -------------------------------------------------------------------------------------
    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        register_secret(value)
        self._token = value

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpPortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _url(self, path: str) -> str:
        return self.base_url + path

    def _auth(self) -> dict[str, str]:
        if not self._token:
            raise pe.SessionExpired("ログインしていません。先にログインしてください。",
                                    "Not logged in. Please log in first.", code="unauthorized")
        return {"Authorization": f"Bearer {self._token}"}

    @staticmethod
    def _error(r: httpx.Response) -> PortalError:
        try:
            body = r.json()
        except ValueError:
            body = None
        return pe.from_response(r.status_code, body)

    def _backoff(self, attempt: int) -> None:
        delay = min(self.backoff_s * (2 ** attempt), 8.0) * (0.75 + random.random() / 2)
        self._sleep(delay)

    def _with_retries(self, what: str, fn: Callable[[], T], *, progress_made: Callable[[], bool] | None = None) -> T:
        """Run fn; _Retryable failures are retried with exponential backoff (only safe operations use this)."""
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
                if failures > self.retries or attempts > 4 * (self.retries + 1):
                    raise e.err from None
                log.info("portal: %s failed (%s); retry %d/%d", what, e.err.code, failures, self.retries)
                self._backoff(failures - 1)

    def _request(self, method: str, path: str, *, retry: bool, auth: bool = True, ok: tuple[int, ...] = (200,),
                 **kw: Any) -> httpx.Response:
        extra_headers = dict(kw.pop("headers", None) or {})

        def once() -> httpx.Response:
            headers = dict(extra_headers)
            if auth:
                headers.update(self._auth())
            try:
                r = self._http.request(method, self._url(path), headers=headers, **kw)
            except httpx.HTTPError as e:
                err = _translate(e)
                if retry and not isinstance(err, pe.TlsError):
                    raise _Retryable(err) from None
                raise err from None
            if r.status_code in ok:
                return r
            err = self._error(r)
            if retry and r.status_code in _RETRY_STATUS:
                raise _Retryable(err)
            raise err

        if not retry:
            return once()
        return self._with_retries(f"{method} {path}", once)

    @staticmethod
    def _json(r: httpx.Response) -> dict[str, Any]:
        try:
            data = r.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise pe.ServerError("電子連携サービスの応答を読み取れませんでした。",
                                 "The service's answer could not be read.", code="bad_response")
        return data

    # ---- session ----------------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """Public; used to tell "VPN down" from "service closed" before login."""
        return self._json(self._request("GET", "/health", retry=False, auth=False))

    def request_otp(self, user_id: str) -> None:
        # Never retried: a second request would invalidate the OTP the first one mailed.
        self._request("POST", "/otp/requests", retry=False, auth=False, ok=(200, 202), json={"user_id": user_id})
        log.info("portal: OTP requested for %s", user_id)

    def login(self, user_id: str, otp: str) -> LoginSession:
        register_secret(otp)
        r = self._request("POST", "/sessions", retry=False, auth=False, ok=(200, 201),
                          json={"user_id": user_id, "otp": otp})
        data = self._json(r)
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise pe.ServerError("ログイン応答を読み取れませんでした。", "The login answer could not be read.",
                                 code="bad_response")
        self.token = token
        self.session = self._session_from(data)
        log.info("portal: logged in as %s (establishments %s)", user_id, ",".join(self.session.establishments))
        return self.session

    @staticmethod
    def _session_from(data: dict[str, Any]) -> LoginSession:
        ests = [e for e in data.get("establishments", []) if isinstance(e, dict)]
        return LoginSession(
            user_id=str(data.get("user_id", "")),
            establishments=[str(e.get("number", "")) for e in ests],
            expires_at=_parse_dt(data.get("expires_at")),
            establishment_names={str(e.get("number", "")): str(e.get("name", "")) for e in ests},
            issued_at=_parse_dt(data.get("issued_at")),
        )

    def current_session(self) -> LoginSession:
        """Ask the server (e.g. after a restart with a stored token); SessionExpired if it is gone."""
        self.session = self._session_from(self._json(self._request("GET", "/sessions/current", retry=True)))
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
        for d in data.get("documents", []):
            try:
                out.append(InboxDocument(
                    id=str(d["id"]), doc_type=str(d["type"]), title=str(d["title"]),
                    establishment=str(d["establishment"]), date=date.fromisoformat(str(d["date"])),
                    size=int(d["size"]), sha256=str(d["sha256"]).lower(), file_name=str(d["file_name"]),
                    unread=bool(d.get("unread", True)),
                ))
            except (KeyError, TypeError, ValueError):
                log.warning("portal: skipped an inbox entry that could not be read")
        return out

    def mark_read(self, doc: InboxDocument | str) -> None:
        doc_id = doc.id if isinstance(doc, InboxDocument) else doc
        self._request("POST", f"/documents/{doc_id}/read", retry=True, ok=(200, 204))

    # ---- download ----------------------------------------------------------------------------------------
    def download(self, doc: InboxDocument, dest_dir: Path, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> Path:
        """Resumable (.part + Range), verified (size + SHA-256), renamed only when complete.

        On cancel or a final network failure the `.part` stays for the next call to resume; on a
        digest mismatch it is deleted and IntegrityError raised. Returns the final path (a numbered
        name if another file already has the suggested one; an identical copy already saved is returned as is).
        """
        dest_dir = Path(dest_dir)
        dest_dir.mkdir(parents=True, exist_ok=True)
        name = _safe_file_name(doc.file_name, f"{doc.id}.zip")
        saved = _saved_copy(dest_dir, name, doc.size, doc.sha256)
        if saved is not None:
            return saved  # already here, identical (perhaps under a numbered name): no second copy
        part = dest_dir / (name + ".part")
        st = _PartState()

        def prefix() -> tuple[Any, int]:
            have = part.stat().st_size if part.exists() else 0
            if have > doc.size:
                part.unlink()
                have = 0
            if st.hasher is None or st.hashed != have:
                st.hasher, st.hashed = _sha256_file(part, have) if have else (hashlib.sha256(), 0)
            return st.hasher, have

        def moved() -> bool:
            now = part.stat().st_size if part.exists() else 0
            grew = now > st.last
            st.last = now
            return grew

        def attempt() -> Path:
            hasher, have = prefix()
            resumed = have > 0
            st.last = max(st.last, have)
            if have < doc.size:
                hasher, have = self._fetch(doc, part, hasher, have, progress, cancel)
                st.hasher, st.hashed = hasher, have
            elif not part.exists():
                part.touch()  # an empty document still gets its (empty) file
            if have != doc.size:
                raise _Retryable(_interrupted())
            if hasher.hexdigest() != doc.sha256:
                with contextlib.suppress(OSError):
                    part.unlink()
                st.hasher = None
                log.warning("portal: %s failed SHA-256 verification; .part removed", doc.id)
                if resumed and not st.restarted:
                    # The kept prefix may be from an older version or damaged on disk: one clean try.
                    st.restarted = True
                    raise _Retryable(pe.checksum_mismatch(name))
                raise pe.checksum_mismatch(name)
            target = _free_name(dest_dir, name)
            os.replace(part, target)
            return target

        try:
            result = self._with_retries(f"download {doc.id}", attempt, progress_made=moved)
        except OSError as e:
            raise PortalError(f"「{name}」を保存できませんでした（{e.strerror or type(e).__name__}）。"
                              "保存先の空き容量と権限をご確認ください。",
                              f"Could not save '{name}' ({e.strerror or type(e).__name__}). "
                              "Please check free space and permissions of the folder.", code="save_failed") from None
        log.info("portal: downloaded %s (%d bytes) to %s", doc.id, doc.size, result)
        return result

    def _tick(self, total: int, progress: ProgressCallback | None, cancel: CancelToken | None) -> Callable[[int], None]:
        """Per-buffer hook: report progress, honour cancel (a progress callback returning False cancels)."""

        def tick(done: int) -> None:
            if progress is not None and progress(done, total) is False:  # type: ignore[func-returns-value]
                raise pe.cancelled()
            if cancel is not None and cancel.cancelled:
                raise pe.cancelled()

        return tick

    def _fetch(self, doc: InboxDocument, part: Path, hasher: Any, have: int, progress: ProgressCallback | None,
               cancel: CancelToken | None) -> tuple[Any, int]:
        """One GET from `have`; appends to part. Returns (hasher, bytes in part)."""
        headers = self._bulk.headers(self._auth())
        if have:
            headers["Range"] = f"bytes={have}-"
            headers["If-Range"] = f'"{doc.sha256}"'
        try:
            conn = self._bulk.connect()
        except pe.TlsError:
            raise
        except PortalError as e:
            raise _Retryable(e) from None
        try:
            conn.request("GET", self._bulk.path(f"/documents/{doc.id}/content"), headers=headers)
            r = conn.getresponse()
            if r.status == 416:
                part.unlink(missing_ok=True)  # our prefix is not a prefix of theirs: start over
                raise _Retryable(_interrupted())
            if r.status not in (200, 206):
                err = pe.from_response(r.status, error_body(r))
                if r.status in _RETRY_STATUS:
                    raise _Retryable(err)
                raise err
            if r.status == 206:
                cr = r.getheader("Content-Range", "")
                if not cr.startswith(f"bytes {have}-") or not cr.endswith(f"/{doc.size}"):
                    part.unlink(missing_ok=True)
                    raise _Retryable(_interrupted())
                mode = "ab"
            else:
                mode, have, hasher = "wb", 0, hashlib.sha256()  # whole body: restart the file
            with open(part, mode, buffering=0) as f:
                try:
                    done = receive_body(r, f, hasher, have, doc.size, self._tick(doc.size, progress, cancel))
                except _TooLong:
                    raise _Retryable(_interrupted()) from None  # more than listed: never keep it
            return hasher, done
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            if isinstance(e, OSError) and e.filename is not None:
                raise  # a local file problem, not the network
            raise _Retryable(translate_os_error(e)) from None
        finally:
            conn.close()

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

        def local_sha() -> str:
            if "sha" not in local:
                local["sha"] = _sha256_file(path)[0].hexdigest()
            return local["sha"]

        def check(rec: UploadReceipt) -> UploadReceipt:
            if rec.received_size != size or rec.sha256 != local_sha():
                raise pe.upload_mismatch(path.name)
            return rec

        def attempt() -> UploadReceipt:
            existing = self._upload_status(cid)
            if existing is not None and existing[1] == "received":
                if existing[0].received_size == size and existing[0].sha256 == local_sha():
                    return existing[0]
                raise pe.UploadConflict("この送信IDでは別のファイルが既に送信されています。",
                                        "A different file was already sent with this upload id.")
            staged, status, sent_sha = self._put(path, cid, form_name, establishment, size, sha256, progress,
                                                 cancel)
            if status == "received":
                return check(staged)
            local.setdefault("sha", sent_sha)
            if staged.received_size != size or staged.sha256 != sent_sha:
                log.warning("portal: upload %s arrived damaged (staged digest differs); sending again", cid)
                raise _Retryable(pe.upload_mismatch(path.name))
            r = self._request("POST", f"/uploads/{cid}/commit", retry=False, ok=(200, 201),
                              json={"sha256": sent_sha, "size": size})
            return check(self._receipt(self._json(r))[0])

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

        receipt = self._with_retries(f"upload {cid}", guarded)
        log.info("portal: uploaded %s as %s (%d bytes)", path.name, receipt.server_id, receipt.received_size)
        return receipt

    def _put(self, path: Path, cid: str, form_name: str, establishment: str, size: int, known_sha: str | None,
             progress: ProgressCallback | None, cancel: CancelToken | None) -> tuple[UploadReceipt, str, str]:
        """Stream the file from disk (read and hashed ahead on a thread). Returns (receipt, status, digest sent)."""
        hasher = hashlib.sha256()
        tick = self._tick(size, progress, cancel)
        params = {"form_name": form_name, "establishment": establishment, "file_name": path.name}
        if known_sha:
            params["sha256"] = known_sha.lower()
        try:
            conn = self._bulk.connect()
        except pe.TlsError:
            raise
        except PortalError as e:
            raise _Retryable(e) from None
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
            data = json.loads(r.read(MAX_ERROR_BODY).decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("receipt is not an object")
        except (OSError, ssl.SSLError, http.client.HTTPException, ValueError) as e:
            if isinstance(e, OSError) and e.filename is not None:
                raise
            raise _Retryable(translate_os_error(e) if not isinstance(e, ValueError) else _interrupted()) from None
        finally:
            conn.close()
        if sent != size:
            raise _Retryable(_interrupted())  # the file changed size while sending
        rec, status = self._receipt(data)
        return rec, status, known_sha.lower() if known_sha else hasher.hexdigest()

    @staticmethod
    def _receipt(d: dict[str, Any]) -> tuple[UploadReceipt, str]:
        try:
            rec = UploadReceipt(
                server_id=str(d["server_id"]), client_id=str(d["client_id"]), received_size=int(d["received_size"]),
                sha256=str(d["sha256"]).lower(), received_at=_parse_dt(d["received_at"]) or datetime.min,
                file_name=str(d.get("file_name", "")), form_name=str(d.get("form_name", "")),
                establishment=str(d.get("establishment", "")),
            )
        except (KeyError, TypeError, ValueError):
            raise pe.ServerError("受付情報を読み取れませんでした。", "The receipt could not be read.",
                                 code="bad_response") from None
        return rec, str(d.get("status", "received"))

    def upload_status(self, client_id: str) -> tuple[UploadReceipt, str] | None:
        """(receipt, 'staged'|'received') for a client id, or None if the service has nothing."""
        return self._with_retries(f"upload status {client_id}", lambda: self._upload_status(client_id))

    def _upload_status(self, client_id: str) -> tuple[UploadReceipt, str] | None:
        try:
            r = self._request("GET", f"/uploads/{client_id}", retry=False)
        except pe.NotFound:
            return None
        except (pe.ServerError, pe.PortalUnreachable, pe.PortalTimeout) as e:
            raise _Retryable(e) from None
        return self._receipt(self._json(r))

    def uploads(self) -> list[UploadReceipt]:
        data = self._json(self._request("GET", "/uploads", retry=True))
        return [self._receipt(d)[0] for d in data.get("uploads", []) if isinstance(d, dict)]
