"""Fixtures: a real stand-in service on 127.0.0.1 with a FakeClock, and a client logged in to it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin import StandInService

# A Friday morning: the service is open.
OPEN_TIME = datetime(2024, 5, 24, 9, 0, tzinfo=JST)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(OPEN_TIME)


@pytest.fixture(scope="session")
def seed_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed once per run (PDFs + ZIPs), copied into each test's data folder."""
    d = tmp_path_factory.mktemp("seed")
    svc = StandInService(d, FakeClock(OPEN_TIME))
    svc.start()
    svc.stop()
    return d / "documents"


@pytest.fixture
def service(tmp_path: Path, clock: FakeClock, seed_cache: Path) -> Iterator[StandInService]:
    import shutil

    data = tmp_path / "standin"
    shutil.copytree(seed_cache, data / "documents")
    with StandInService(data, clock, enforce_hours=True) as svc:
        yield svc


def make_client(svc: StandInService, **kw: object) -> HttpPortalClient:
    kw.setdefault("backoff_s", 0.001)
    kw.setdefault("read_timeout", 10.0)
    return HttpPortalClient(svc.base_url, ca_bundle=svc.ca_bundle, **kw)  # type: ignore[arg-type]


def login(client: HttpPortalClient, svc: StandInService, user: str = "demo") -> None:
    client.request_otp(user)
    otp = svc.latest_otp(user)
    assert otp is not None
    client.login(user, otp)


@pytest.fixture
def client(service: StandInService) -> Iterator[HttpPortalClient]:
    c = make_client(service)
    login(c, service)
    yield c
    c.close()


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    """8 MiB of random bytes (incompressible, like a scanned PDF in a ZIP)."""
    p = tmp_path / "src" / "大きい書類.zip"
    p.parent.mkdir()
    p.write_bytes(os.urandom(8 << 20))
    return p
