"""The JSON side of the fund's service: settings, the client's connection state, retries within one
deadline, and the small calls (health, OTP, login, session, inbox, upload status)."""

from __future__ import annotations

import http.client
import json
import logging
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from denshi_client.errors import PortalError
from denshi_client.portal import errors as pe
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
from denshi_client.portal.transport import MAX_JSON_BYTES, BulkTransport, interrupted
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


class _PortalCalls:
    """The client's state and its JSON calls; `HttpPortalClient` adds downloads and uploads."""

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
    def from_settings(cls, settings: PortalSettings, **kw: Any) -> Self:
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

    def __enter__(self) -> Self:
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

    def upload_status(self, client_id: str) -> tuple[UploadReceipt, str] | None:
        """(receipt, 'staged'|'received') for a client id, or None if the service has nothing."""
        end = self._deadline()
        return self._with_retries(f"upload status {client_id}", lambda: self._upload_status(client_id, end),
                                  deadline=end)

    def _tick(self, total: int, progress: ProgressCallback | None, cancel: CancelToken | None) -> Callable[[int], None]:
        """Per-buffer hook: report progress, honour cancel (a progress callback returning False cancels)."""

        def tick(done: int) -> None:
            if progress is not None and progress(done, total) is False:  # type: ignore[func-returns-value]
                raise pe.cancelled()
            if cancel is not None and cancel.cancelled:
                raise pe.cancelled()

        return tick

    def _bulk_connect(self, deadline: float) -> http.client.HTTPConnection:
        """A connection for a transfer, opened before `deadline`; a refused or failed connect may be retried,
        a TLS problem or a used-up deadline may not."""
        try:
            return self._bulk.connect_within(deadline)
        except (pe.TlsError, pe.PortalTimeout):
            raise
        except PortalError as e:
            raise _Retryable(e) from None

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
