"""The stand-in's fault injection does exactly what it says, measured with a raw socket client.

The proof suites count a case only when its fault fired, so the fault knobs themselves must be exact:
a reset at byte N delivers exactly N body bytes and then drops the line, `slow` paces even a 1 KB body,
and a fault's `fired` count grows only when its effect really happened.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from pathlib import Path

import pytest

from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin import Fault, StandInService

KiB = 1 << 10


def _raw(svc: StandInService, method: str, path: str, *, token: str | None = None, body: bytes = b"",
         headers: dict[str, str] | None = None, timeout: float = 30.0) -> tuple[bytes, bytes, str, float]:
    """One request on a fresh TCP connection; reads until EOF or reset.

    Returns (head, body bytes that arrived, how it ended, seconds from the first body byte to the last).
    """
    h = {"Host": "127.0.0.1", "Connection": "close", **(headers or {})}
    if token:
        h["Authorization"] = f"Bearer {token}"
    if body or method in ("PUT", "POST"):
        h["Content-Length"] = str(len(body))
    req = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
    s = socket.create_connection(("127.0.0.1", svc.port), timeout=timeout)
    got = bytearray()
    ended = "eof"
    first = last = 0.0
    try:
        s.sendall(req.encode("utf-8"))
        if body:
            try:
                s.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                ended = "reset while sending"
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                ended = "reset"
                break
            if not chunk:
                break
            got += chunk
            now = time.monotonic()
            if b"\r\n\r\n" in got and not first:
                first = now
            last = now
    finally:
        s.close()
    head, _sep, rest = bytes(got).partition(b"\r\n\r\n")
    return head, rest, ended, last - first


def _token(client: HttpPortalClient) -> str:
    assert client.token
    return client.token


def _doc(svc: StandInService, tmp: Path, size: int) -> str:
    src = tmp / f"doc-{size}.zip"
    src.write_bytes(bytes(i % 251 for i in range(size)))
    return svc.add_document(src, establishment="0123", file_name=f"d{size}.zip")


def _content(doc_id: str) -> str:
    return f"/api/v1/documents/{doc_id}/content"


def test_reset_delivers_exactly_n_body_bytes(client: HttpPortalClient, service: StandInService,
                                             tmp_path: Path) -> None:
    doc = _doc(service, tmp_path, 512 * KiB)
    for n in (0, 1, 200 * KiB, 512 * KiB - 1):
        f = service.faults.add(Fault("reset", "download", after_bytes=n))
        head, body, ended, _s = _raw(service, "GET", _content(doc), token=_token(client))
        assert head.startswith(b"HTTP/1.1 200"), head
        assert ended == "reset", (n, ended)
        assert len(body) == n, (n, len(body))
        assert body == bytes(i % 251 for i in range(n))
        assert f.fired == 1


def test_reset_past_the_end_of_a_body_does_not_fire(client: HttpPortalClient, service: StandInService,
                                                    tmp_path: Path) -> None:
    doc = _doc(service, tmp_path, 10 * KiB)
    f = service.faults.add(Fault("reset", "download", after_bytes=10 * KiB))
    head, body, ended, _s = _raw(service, "GET", _content(doc), token=_token(client))
    assert head.startswith(b"HTTP/1.1 200") and len(body) == 10 * KiB and ended == "eof"
    assert f.fired == 0
    assert f in service.faults.armed()  # still armed: it fires on the next body long enough
    big = _doc(service, tmp_path, 64 * KiB)
    _h, body, ended, _s = _raw(service, "GET", _content(big), token=_token(client))
    assert (len(body), ended, f.fired) == (10 * KiB, "reset", 1)
    assert f not in service.faults.armed()


def test_upload_reset_reads_exactly_n_bytes_then_drops(client: HttpPortalClient, service: StandInService) -> None:
    f = service.faults.add(Fault("reset", "upload", after_bytes=100 * KiB))
    cid = uuid.uuid4().hex
    _h, body, ended, _s = _raw(service, "PUT", f"/api/v1/uploads/{cid}?form_name=x&establishment=0123&file_name=a.zip",
                               token=_token(client), body=b"\1" * (300 * KiB))
    assert ended.startswith("reset") and body == b""
    assert f.fired == 1
    assert service.upload_records() == []
    # A body shorter than N: the fault does not fire and the upload is staged.
    g = service.faults.add(Fault("reset", "upload", after_bytes=100 * KiB))
    head, _b, ended, _s = _raw(service, "PUT", f"/api/v1/uploads/{cid}?form_name=x&establishment=0123&file_name=a.zip",
                               token=_token(client), body=b"\1" * (50 * KiB))
    assert head.startswith(b"HTTP/1.1 202") and ended == "eof"
    assert g.fired == 0


@pytest.mark.parametrize("size,rate", [(1 * KiB, 512), (300, 100)])
def test_slow_paces_even_a_small_seed_document(client: HttpPortalClient, service: StandInService, size: int,
                                               rate: int) -> None:
    from denshi_client.portal.standin import USERS

    seed = min((d for d in service.documents() if d.establishment in USERS["demo"].establishments),
               key=lambda d: d.size)
    assert seed.size < 4 * KiB, seed.size  # the seeded ZIPs are about 1 KB
    f = service.faults.add(Fault("slow", "download", rate_bps=rate))
    t0 = time.monotonic()
    head, body, ended, _s = _raw(service, "GET", _content(seed.id), token=_token(client),
                                 headers={"Range": f"bytes=0-{min(size, seed.size) - 1}"})
    took = time.monotonic() - t0
    n = min(size, seed.size)
    assert head.startswith(b"HTTP/1.1 206") and len(body) == n and ended == "eof"
    # At `rate` bytes/s the body cannot arrive faster than n/rate seconds (generous upper bound: busy CI).
    assert took >= 0.9 * n / rate, (took, n / rate)
    assert took < 3 * n / rate + 5
    assert f.fired == 1


def test_slow_paces_a_json_answer_only_when_targeted(client: HttpPortalClient, service: StandInService) -> None:
    f = service.faults.add(Fault("slow", "inbox", rate_bps=2000))
    t0 = time.monotonic()
    head, body, _e, _s = _raw(service, "GET", "/api/v1/documents", token=_token(client))
    took = time.monotonic() - t0
    assert head.startswith(b"HTTP/1.1 200") and json.loads(body)["documents"]
    assert took >= 0.9 * len(body) / 2000, (took, len(body))
    assert f.fired == 1


def test_status_fault_fires_only_on_its_endpoint(client: HttpPortalClient, service: StandInService) -> None:
    f = service.faults.add(Fault("status", "commit", status=503))
    client.inbox()
    client.uploads()
    assert f.fired == 0 and f in service.faults.armed()
    cid = uuid.uuid4().hex
    head, _body, _e, _s = _raw(service, "POST", f"/api/v1/uploads/{cid}/commit", token=_token(client),
                              body=b"{}", headers={"Content-Type": "application/json"})
    assert head.startswith(b"HTTP/1.1 503"), head
    assert f.fired == 1 and f not in service.faults.armed()


def test_times_counts_exactly(client: HttpPortalClient, service: StandInService) -> None:
    f = service.faults.add(Fault("status", "inbox", status=500, times=2))
    codes = [_raw(service, "GET", "/api/v1/documents", token=_token(client))[0].split(b" ")[1] for _ in range(3)]
    assert codes == [b"500", b"500", b"200"]
    assert f.fired == 2


def test_lose_answer_after_the_commit_ran(client: HttpPortalClient, service: StandInService) -> None:
    """'Commit done, answer lost': the service commits, then drops the line without a word."""
    import hashlib

    data = b"\2" * (20 * KiB)
    sha = hashlib.sha256(data).hexdigest()
    cid = uuid.uuid4().hex
    head, _b, _e, _s = _raw(service, "PUT", f"/api/v1/uploads/{cid}?form_name=x&establishment=0123&file_name=a.zip",
                            token=_token(client), body=data)
    assert head.startswith(b"HTTP/1.1 202")
    f = service.faults.add(Fault("lose_answer", "commit"))
    body = json.dumps({"sha256": sha, "size": len(data)}).encode()
    head, got, ended, _s = _raw(service, "POST", f"/api/v1/uploads/{cid}/commit", token=_token(client), body=body,
                                headers={"Content-Type": "application/json"})
    assert (head, got, ended) == (b"", b"", "reset")
    assert f.fired == 1
    [rec] = service.upload_records()
    assert rec.client_id == cid and rec.status == "received"


def test_lose_answer_does_not_fire_on_a_refused_request(client: HttpPortalClient, service: StandInService) -> None:
    f = service.faults.add(Fault("lose_answer", "commit"))
    head, _b, _e, _s = _raw(service, "POST", f"/api/v1/uploads/{uuid.uuid4().hex}/commit", token=_token(client),
                            body=b'{"sha256": "' + b"0" * 64 + b'", "size": 1}',
                            headers={"Content-Type": "application/json"})
    assert head.startswith(b"HTTP/1.1 404")
    assert f.fired == 0


def test_control_endpoint_shows_fired_counts(client: HttpPortalClient, service: StandInService) -> None:
    req = json.dumps({"kind": "status", "target": "inbox", "status": 503, "times": 1}).encode()
    head, _b, _e, _s = _raw(service, "POST", "/_standin/faults", body=req, headers={"Content-Type": "application/json"})
    assert head.startswith(b"HTTP/1.1 201")
    _raw(service, "GET", "/api/v1/documents", token=_token(client))
    _h, body, _e, _s = _raw(service, "GET", "/_standin/faults")
    listed = json.loads(body)
    assert listed["faults"] == []  # nothing armed any more
    [done] = listed["history"]
    assert (done["kind"], done["target"], done["fired"]) == ("status", "inbox", 1)
