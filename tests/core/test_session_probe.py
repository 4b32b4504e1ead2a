"""The after-disconnect internet check: a real HTTP server on loopback, short and bounded."""

from __future__ import annotations

import socket
from pathlib import Path

from denshi_client.portal.standin.server import StandInService
from denshi_client.session.probe import http_probe, make_probe


def test_any_http_answer_means_the_network_is_back(tmp_path: Path) -> None:
    with StandInService(tmp_path / "svc") as svc:
        root = svc.base_url.split("/api/")[0]
        r = make_probe(f"{root}/api/v1/health")()
        assert r.ok and r.detail.startswith("HTTP ")  # whatever the status: an answer
        assert http_probe(f"{root}/no/such/page").ok


def test_unreachable_is_reported_quickly(tmp_path: Path) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = http_probe(f"http://127.0.0.1:{port}/", timeout_s=1.0, attempts=2, pause_s=0.05)
    # Safety limit above its own budget (2 x 1 s + pause); measured ~0.5 s in benchmarks/bench_limits.py.
    assert not r.ok and r.detail and r.elapsed_s < 5
    assert not http_probe("").ok
