"""End to end with the real SoftEther server and client (lab in private namespaces) and the
stand-in service: a whole direct-mode visit, and the server's own session-limit cut."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import require
from tests.vpn.lab import CUT_PW, USER_PW, SoftEtherLab, lab_available

from denshi_client.clock import SystemClock
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.portal.standin.server import StandInService
from denshi_client.session import (
    EndCause,
    Phase,
    SessionConfig,
    SessionDeps,
    SessionMachine,
    SessionMode,
    SessionProfile,
)
from denshi_client.session.probe import make_probe
from denshi_client.session.recovery import StateFile
from denshi_client.session.transfers import TransferQueue, Transfers
from denshi_client.store.history import History, HistoryQuery
from denshi_client.store.secrets import SecretStore
from denshi_client.vpn.model import ConnState
from denshi_client.vpn.softether import SoftEtherDriver
from denshi_client.vpn.vpncmd import SubprocessRunner

pytestmark = [pytest.mark.softether, pytest.mark.slow]


@pytest.fixture(scope="module")
def lab() -> Iterator[SoftEtherLab]:
    ok, why = lab_available()
    require(ok, why)
    with SoftEtherLab("session", cut_seconds=6) as the_lab:
        yield the_lab


@pytest.fixture(scope="module")
def driver(lab: SoftEtherLab) -> SoftEtherDriver:
    d = SoftEtherDriver("vpncmd", runner=SubprocessRunner(lab.prefix), client_log_dir=lab.client_log_dir)
    d.import_account(str(lab.vpn_file), "denshi-0123")
    d.set_password("denshi-0123", "alice", USER_PW)
    d.import_account(str(lab.cut_vpn_file), "denshi-cut")
    d.set_password("denshi-cut", "carol", CUT_PW)
    return d


@pytest.fixture
def service(tmp_path: Path) -> Iterator[StandInService]:
    with StandInService(tmp_path / "standin") as svc:
        yield svc


def machine(driver: SoftEtherDriver, service: StandInService, tmp_path: Path) -> SessionMachine:
    root = service.base_url.split("/api/")[0]
    return SessionMachine(
        SessionDeps(vpn=driver, portal_for=lambda p: HttpPortalClient(service.base_url),
                    probe=make_probe(f"{root}/api/v1/health", timeout_s=2, attempts=1),
                    state_file=StateFile(tmp_path / "session-state.json")),
        SystemClock(), SessionConfig(enforce_hours=False, idle_timeout_s=0, vpn_poll_s=0.5, vpn_confirm_s=0.3))


def test_a_whole_visit_over_the_real_vpn(driver: SoftEtherDriver, service: StandInService, tmp_path: Path) -> None:
    m = machine(driver, service, tmp_path)
    profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", "denshi-0123", user_id="demo",
                             mode=SessionMode.DIRECT, documents_folder=str(tmp_path / "docs" / "0123"))
    m.start(profile)
    assert driver.status("denshi-0123").state is ConnState.OFFLINE  # the OTP step comes first
    m.submit_otp(service.latest_otp("demo"))
    snap = m.snapshot()
    assert snap.phase is Phase.READY
    assert snap.established_since == driver.status("denshi-0123").established_since  # the clock's origin
    assert StateFile(tmp_path / "session-state.json").exists()
    SecretStore().set("e0123", "zip_password", DEMO_ZIP_PASSWORDS["0123"])
    history = History(tmp_path / "h.sqlite3")
    t = Transfers(gate=m, secrets=SecretStore(), history=history, queue=TransferQueue(tmp_path / "q.json"),
                  cache_dir=tmp_path / "cache", clock=SystemClock())
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    [filed] = t.download(profile, [doc])
    assert filed.files
    m.end(EndCause.USER)
    snap = m.snapshot()
    assert snap.phase is Phase.ENDED and snap.internet is not None and snap.internet.ok
    assert driver.connected_accounts() == []
    assert not StateFile(tmp_path / "session-state.json").exists()
    assert [r.result for r in history.search(HistoryQuery())] == ["ok"]
    history.close()


def test_the_servers_cut_is_reported_as_such(driver: SoftEtherDriver, service: StandInService,
                                            lab: SoftEtherLab, tmp_path: Path) -> None:
    m = machine(driver, service, tmp_path)
    m.start(SessionProfile("ecut", "0123", "カット試験", "denshi-cut", user_id="demo", mode=SessionMode.BROWSER))
    m.submit_otp(None)
    assert m.phase is Phase.READY
    deadline = time.monotonic() + lab.cut_seconds + 20
    while m.phase is Phase.READY and time.monotonic() < deadline:
        m.tick()  # as the UI's 1-second timer would; polls run on worker threads
        m.wait_until_terminal(0.2)
    assert m.wait_until_terminal(20)
    snap = m.snapshot()
    assert snap.end_cause is EndCause.SERVER_CUT, snap
    assert driver.status("denshi-cut").state is ConnState.OFFLINE
