"""Hand-made malformed HTTP (what a generator from the OpenAPI document does not produce): always a 4xx
with a JSON reason, never a 5xx, and the server keeps serving."""

from __future__ import annotations

import json
import socket

import pytest

from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin import StandInService


def _raw(svc: StandInService, data: bytes) -> tuple[int, dict]:
    host, port = "127.0.0.1", svc.port
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body.decode("utf-8")) if body else {}


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET /api/v1/health HTTP/9.9\r\n\r\n",
    b"POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
    b"\xff\xfe{}!",
    b"POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n",
    b"POST /api/v1/otp/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
    b"POST /api/v1/otp/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: gzip\r\n\r\n",
    b"POST /api/v1/otp/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n"
    b"[1, 2, 3]",
    b"GET /api/v1/documents/..%2F..%2Fetc%2Fpasswd/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n\r\n",
    b"PATCH /api/v1/documents HTTP/1.1\r\nHost: x\r\n\r\n",
    b"BREW /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /_standin/faults HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n"
    b'{"kind":"melt"}\n',
])
def test_malformed_requests_get_a_4xx_with_a_reason(service: StandInService, request_bytes: bytes) -> None:
    status, body = _raw(service, request_bytes)
    assert 400 <= status < 500, (status, body)
    assert body.get("code") and body.get("message_en")
    with HttpPortalClient(service.base_url) as c:
        assert c.health()["status"] == "ok"


def test_chunked_upload_is_accepted(service: StandInService, client: HttpPortalClient) -> None:
    import hashlib

    import httpx

    data = b"PK" + bytes(range(256)) * 1000

    def gen():
        for i in range(0, len(data), 7000):
            yield data[i: i + 7000]

    params = {"form_name": "資格取得届", "establishment": "0123", "file_name": "c.zip",
              "sha256": hashlib.sha256(data).hexdigest()}
    r = httpx.put(f"{service.base_url}/uploads/chunked-0001", params=params, content=gen(),
                  headers={"Authorization": f"Bearer {client.token}"}, trust_env=False)
    assert r.status_code == 201, r.text
    assert r.json()["received_size"] == len(data)
