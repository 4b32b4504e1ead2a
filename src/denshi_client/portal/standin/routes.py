"""The request handler: which path and method does what (API, web pages, stand-in control), the
per-request faults, and downloads with Range."""

from __future__ import annotations

import contextlib
import logging
import re
import ssl
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from denshi_client.portal.standin.api import (
    _CLIENT_ID,
    _EST,
    _OTP,
    _USER_ID,
    API_PREFIX,
    CONTROL_PREFIX,
    ApiError,
    _no_extra,
    _parse_range,
    _pct,
    _query,
    _Reset,
    _string_field,
    bad_request,
)
from denshi_client.portal.standin.data import DocRecord
from denshi_client.portal.standin.faults import BODY_KINDS, Fault
from denshi_client.portal.standin.uploads import _UploadHandling

if TYPE_CHECKING:
    from denshi_client.portal.standin.service import StandInService

log = logging.getLogger(__name__)


class _Handler(_UploadHandling):
    """One connection's requests: dispatch, routes, downloads and the stand-in's control endpoints."""

    def _dispatch(self) -> None:
        svc = self.server.service
        self._body_left: int | None = None
        self._chunked = False
        self._body_faults: list[Fault] = []  # slow/reset/corrupt that may act on this request's one body
        self._answer_faults: list[Fault] = []  # lose_answer
        self._request_body_faults = False  # uploads: the body faults act on the request, never on the answer
        try:
            self._prepare_body()
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path.startswith(CONTROL_PREFIX):
                self._control(svc, path[len(CONTROL_PREFIX):])
            elif path == "/web" or path.startswith("/web/"):  # the fund's web pages (browser mode)
                from denshi_client.portal.standin import web

                web.handle(self, svc, path)
            elif path == API_PREFIX or path.startswith(API_PREFIX + "/"):
                self._route(svc, path[len(API_PREFIX):] or "/", parse_qs(parts.query, keep_blank_values=True))
            else:
                raise ApiError(404, "not_found", "見つかりません。", f"No such path: {parts.path}")
        except ApiError as e:
            if not self._body_consumed():
                self.close_connection = True  # unread request body: the connection cannot be reused
            self._json(e.status, {"code": e.code, "message_ja": e.ja, "message_en": e.en}, e.headers)
        except (_Reset, ConnectionError, TimeoutError, ssl.SSLError):
            self.close_connection = True
            raise _Reset from None
        except Exception:
            log.exception("stand-in: internal error on %s %s", self.command, urlsplit(self.path).path)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._json(500, {"code": "internal", "message_ja": "サービス内部でエラーが発生しました。",
                                 "message_en": "internal error"})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_TRACE = _dispatch

    # ---- routing ------------------------------------------------------------------------------------
    def _route(self, svc: StandInService, path: str, q: dict[str, list[str]]) -> None:
        m = self.command
        seg = [s for s in path.split("/") if s]
        if seg == ["health"] and m == "GET":
            return self._json(200, {"status": "ok", "service_open": svc.service_hours(svc.clock.now()),
                                    "server_time": svc.clock.now().isoformat()})
        if seg == ["otp", "requests"] and m == "POST":
            self._faults(svc, "otp")
            body = self._json_body()
            uid = _string_field(body, "user_id", _USER_ID)
            _no_extra(body, {"user_id"})
            return self._json(202, svc.request_otp(uid))
        if seg == ["sessions"] and m == "POST":
            self._faults(svc, "login")
            body = self._json_body()
            uid = _string_field(body, "user_id", _USER_ID)
            otp = _string_field(body, "otp", _OTP)
            _no_extra(body, {"user_id", "otp"})
            return self._json(201, svc.login(uid, otp))
        known = {("sessions", "current"), ("documents",), ("uploads",)}
        if not (tuple(seg) in known or (len(seg) == 3 and seg[0] == "documents" and seg[2] in ("content", "read"))
                or (len(seg) in (2, 3) and seg[0] == "uploads" and (len(seg) == 2 or seg[2] == "commit"))):
            raise ApiError(404, "not_found", "見つかりません。", f"No such path: {path}")
        target = ("download" if seg[-1] == "content" else "upload" if len(seg) == 2 and seg[0] == "uploads"
                  and m == "PUT" else "commit" if seg[-1] == "commit" else "inbox")
        self._faults(svc, target)
        s = svc.session_for(self.headers.get("Authorization"))
        svc.check_open()
        if seg == ["sessions", "current"]:
            if m == "GET":
                return self._json(200, svc.session_json(s))
            if m == "DELETE":
                svc.logout(s)
                return self._json(204, None)
        elif seg == ["documents"] and m == "GET":
            est = _query(q, "establishment", _EST)
            unread = _query(q, "unread", re.compile(r"^(true|false)$"))
            ests = svc.establishments_of(s)
            if est is not None and est not in ests:
                raise ApiError(403, "forbidden", "この事業所番号は参照できません。",
                               "Establishment not in this account.")
            docs = svc._docs.listing([est] if est else ests)
            if unread is not None:
                docs = [d for d in docs if d.unread == (unread == "true")]
            return self._json(200, {"documents": [d.to_api() for d in docs]})
        elif seg[0] == "documents" and seg[2] == "content" and m in ("GET", "HEAD"):
            return self._download(svc, svc.doc_for(s, seg[1]))
        elif seg[0] == "documents" and seg[2] == "read" and m == "POST":
            svc.mark_read(svc.doc_for(s, seg[1]))
            self._drain()
            return self._json(204, None)
        elif seg == ["uploads"] and m == "GET":
            ests = svc.establishments_of(s)
            recs = [r for r in svc.upload_records() if r.user_id == s.user_id and r.status == "received"
                    and r.establishment in ests]
            recs.sort(key=lambda r: r.received_at, reverse=True)
            return self._json(200, {"uploads": [r.to_api() for r in recs]})
        elif seg[0] == "uploads" and len(seg) == 2:
            if not _CLIENT_ID.match(seg[1]):
                raise bad_request("client_id must be 8-64 characters of A-Z a-z 0-9 _ -")
            if m == "GET":
                rec = svc.find_upload(s, seg[1])
                if rec is None:
                    raise ApiError(404, "not_found", "送信記録がありません。", "No upload with this client id.")
                return self._json(200, rec.to_api())
            if m == "PUT":
                return self._upload(svc, s, seg[1], q)
        elif seg[0] == "uploads" and seg[2] == "commit" and m == "POST":
            if not _CLIENT_ID.match(seg[1]):
                raise bad_request("client_id must be 8-64 characters of A-Z a-z 0-9 _ -")
            return self._commit(svc, s, seg[1])
        raise ApiError(405, "method_not_allowed", "この操作はできません。", f"{m} is not allowed here")

    def _faults(self, svc: StandInService, target: str) -> None:
        """Status/expire faults act now; body and answer faults are picked up to act (and count) later."""
        plan = svc.faults
        for f in plan.take(target, ("status", "expire")):
            if not plan.fire(f):
                continue
            if f.kind == "expire":
                svc.expire_sessions()
            else:
                raise ApiError(f.status, "injected", "（試験用）障害を発生させました。", "injected fault")
        self._body_faults = plan.take(target, BODY_KINDS)
        self._request_body_faults = target == "upload"
        self._answer_faults = plan.take(target, ("lose_answer",))

    # ---- download -----------------------------------------------------------------------------------
    def _download(self, svc: StandInService, rec: DocRecord) -> None:
        size = rec.size
        etag = f'"{rec.sha256}"'
        start, end = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and (if_range is None or if_range.strip() == etag):
            parsed = _parse_range(rng, size)
            if parsed == "unsatisfiable":
                raise ApiError(416, "range_not_satisfiable", "指定された範囲は取得できません。",
                               f"Range not satisfiable (size {size})", {"Content-Range": f"bytes */{size}"})
            if isinstance(parsed, tuple):
                start, end = parsed
                status = 206
        length = max(end - start + 1, 0)
        self.send_response(status)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("X-Content-SHA256", rec.sha256)
        self.send_header("Content-Disposition", "attachment; filename*=UTF-8''" + _pct(rec.file_name))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD" or length == 0:
            return
        with open(svc._docs.path_of(rec), "rb") as f:
            if not self._body_faults and self.server.ssl_context is None:
                sent = 0
                while sent < length:
                    n = self.connection.sendfile(f, start + sent, length - sent)
                    if not n:
                        raise _Reset
                    sent += n
                return
            self._send_body(f, start, length)

    # ---- stand-in control (never part of the fund's API) --------------------------------------------
    def _control(self, svc: StandInService, path: str) -> None:
        if path == "/faults":
            if self.command == "GET":
                return self._json(200, {"faults": [f.to_dict() for f in svc.faults.armed()],
                                        "history": [f.to_dict() for f in svc.faults.history()]})
            if self.command == "POST":
                body = self._json_body()
                try:
                    fault = svc.faults.add(Fault.from_dict(body))
                except ValueError as e:
                    raise bad_request(str(e)) from None
                return self._json(201, fault.to_dict())
            if self.command == "DELETE":
                svc.faults.clear()
                return self._json(204, None)
        if path == "/sessions/expire" and self.command == "POST":
            svc.expire_sessions()
            self._drain()
            return self._json(204, None)
        raise ApiError(404, "not_found", "見つかりません。", "No such control endpoint.")
