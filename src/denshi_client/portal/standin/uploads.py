"""The upload routes: PUT /uploads/{client_id} streams the body to staging (hashing it, with the armed
faults acting on the request), POST .../commit checks the digest and moves it to received/."""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from denshi_client.portal.standin.api import (
    _BAD_NAME,
    _EST,
    _SHA,
    CHUNK,
    ApiError,
    _no_extra,
    _query,
    _string_field,
    bad_request,
)
from denshi_client.portal.standin.http import _HandlerBase
from denshi_client.portal.standin.records import UploadRecord, _Session
from denshi_client.portal.transport import write_all

if TYPE_CHECKING:
    from denshi_client.portal.standin.service import StandInService


class _UploadHandling(_HandlerBase):
    """PUT /uploads/{client_id} and POST /uploads/{client_id}/commit."""

    def _upload(self, svc: StandInService, s: _Session, client_id: str, q: dict[str, list[str]]) -> None:
        form = _query(q, "form_name", re.compile(r"^.{1,100}$", re.S))
        est = _query(q, "establishment", _EST)
        name = _query(q, "file_name", re.compile(r"^.{1,200}$", re.S))
        want_sha = _query(q, "sha256", _SHA)
        if form is None or est is None or name is None:
            raise bad_request("form_name, establishment and file_name are required")
        if _BAD_NAME.search(name) or _BAD_NAME.search(form):
            raise bad_request("file_name/form_name contain characters that are not allowed")
        if est not in svc.establishments_of(s):
            raise ApiError(403, "forbidden", "この事業所番号では送信できません。", "Establishment not in this account.")
        if not self._chunked and self.headers.get("Content-Length") is None:
            self.close_connection = True
            raise ApiError(411, "length_required", "送信サイズが不明です。", "Content-Length or chunked body required")
        if self._body_left is not None and self._body_left > svc.max_upload_bytes:
            raise ApiError(413, "too_large", "ファイルが大きすぎます。", "upload too large")
        server_id = "U" + uuid.uuid4().hex[:20]
        tmp_rel = f"staging/{server_id}.part"
        tmp = svc._up_dir / tmp_rel
        size, digest = self._receive_to(svc, tmp)
        existing = svc.find_upload(s, client_id)  # after the body: a parallel send may have finished meanwhile
        if existing is not None and existing.status == "received":
            with contextlib.suppress(OSError):
                tmp.unlink()
            if digest == existing.sha256 and size == existing.received_size:
                return self._json(200, existing.to_api())
            raise ApiError(409, "conflict", "この送信IDでは別のファイルが送信済みです。",
                           "This client id was already received with different content.")
        rec = UploadRecord(server_id=server_id, client_id=client_id, user_id=s.user_id, status="staged",
                           received_size=size, sha256=digest, received_at=svc.clock.now().isoformat(),
                           file_name=name, form_name=form, establishment=est, path=tmp_rel)
        if want_sha is not None and want_sha != digest:
            svc.discard(rec)
            raise ApiError(422, "checksum_mismatch", "受信内容が SHA-256 と一致しません。",
                           "received bytes do not match sha256")
        try:
            svc.stage(rec)
        except ApiError:
            svc.discard(rec)  # received meanwhile by a parallel request: keep nothing of this one
            raise
        if want_sha is not None:
            return self._json(201, svc.commit(rec).to_api())
        return self._json(202, rec.to_api())

    def _receive_to(self, svc: StandInService, dest: Path) -> tuple[int, str]:
        """Stream the request body to dest, hashing it; the body faults act here (not on the answer).

        reset: read exactly `after_bytes` bytes, then drop the line (fires only if more was coming);
        slow: pace the reading; corrupt: flip the byte at `after_bytes` of what is stored.
        """
        plan = svc.faults
        faults, self._body_faults = self._body_faults, []
        slows = [x for x in faults if x.kind == "slow"]
        resets = sorted((x for x in faults if x.kind == "reset"), key=lambda x: x.after_bytes)
        flips = [x for x in faults if x.kind == "corrupt"]
        rate = 0
        h = hashlib.sha256()
        buf = bytearray(CHUNK if not slows else max(1, min(CHUNK, min(x.rate_bps for x in slows) // 2)))
        mv = memoryview(buf)
        got = 0
        t0 = time.monotonic()
        ok = False
        try:
            with open(dest, "wb", buffering=0) as out:
                while True:
                    while resets and resets[0].after_bytes <= got:
                        r = resets.pop(0)
                        if r.after_bytes == got and not self._body_consumed() and plan.fire(r):
                            self._reset()
                    lim = len(buf)
                    if resets:
                        lim = min(lim, resets[0].after_bytes - got)
                    n = self._read_body(mv[:lim])
                    if n == 0:
                        break
                    if got == 0 and slows:
                        rate = min((x.rate_bps for x in slows if plan.fire(x)), default=0)
                    for x in list(flips):
                        if got <= x.after_bytes < got + n and plan.fire(x):
                            buf[x.after_bytes - got] ^= 0xFF
                            flips.remove(x)
                    h.update(mv[:n])
                    write_all(out, mv[:n])
                    got += n
                    if got > svc.max_upload_bytes:
                        self.close_connection = True
                        raise ApiError(413, "too_large", "ファイルが大きすぎます。", "upload too large")
                    if rate:
                        ahead = got / rate - (time.monotonic() - t0)
                        if ahead > 0:
                            time.sleep(ahead)
            ok = True
        finally:
            if not ok:
                with contextlib.suppress(OSError):
                    dest.unlink()
        return got, h.hexdigest()

    def _commit(self, svc: StandInService, s: _Session, client_id: str) -> None:
        body = self._json_body()
        sha = _string_field(body, "sha256", _SHA)
        size = body.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise bad_request("size must be a non-negative integer")
        _no_extra(body, {"sha256", "size"})
        rec = svc.find_upload(s, client_id)
        if rec is None:
            raise ApiError(404, "not_found", "送信記録がありません。", "Nothing staged for this client id.")
        if rec.status == "received":
            if rec.sha256 == sha and rec.received_size == size:
                return self._json(200, rec.to_api())
            raise ApiError(409, "conflict", "この送信IDでは別のファイルが送信済みです。",
                           "This client id was already received with different content.")
        if rec.sha256 != sha or rec.received_size != size:
            svc.discard(rec)
            raise ApiError(422, "checksum_mismatch", "受信内容が送信元の SHA-256 と一致しません。",
                           "staged bytes do not match the declared sha256/size; discarded, send again")
        return self._json(201, svc.commit(rec).to_api())
