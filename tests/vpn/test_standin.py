"""The stand-in follows the real driver's rules; the monitor turns its states into events."""

from __future__ import annotations

from pathlib import Path

import pytest

from denshi_client.clock import FakeClock
from denshi_client.vpn import errors as E
from denshi_client.vpn.model import ConnState, EndReason, VpnDriver, VpnEvent
from denshi_client.vpn.monitor import VpnMonitor
from denshi_client.vpn.standin import StandInVpnDriver

VPN_FILE = """declare root
{
	declare ClientAuth
	{
		uint AuthType 1
		string Username alice
	}
	declare ClientOption
	{
		string AccountName test1
		string DeviceName VPN
		string Hostname 127.0.0.1
		string HubName VPN
		uint Port 15555
	}
}
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def drv(clock: FakeClock, tmp_path: Path) -> StandInVpnDriver:
    d = StandInVpnDriver(clock, session_limit_s=5400, connect_delay_s=0, valid_password="right-pw")
    f = tmp_path / "fund.vpn"
    f.write_text(VPN_FILE, encoding="utf-8")
    d.import_account(str(f), "fund")
    d.set_password("fund", None, "right-pw")
    return d


def _monitor(drv: StandInVpnDriver, clock: FakeClock) -> tuple[VpnMonitor, list[VpnEvent]]:
    m = VpnMonitor(drv, "fund", clock, poll_interval=5, confirm_interval=1)
    got: list[VpnEvent] = []
    m.add_listener(got.append)
    return m, got


def _settle(m: VpnMonitor) -> None:
    m.poll()
    m.poll()


def test_is_a_vpn_driver(drv: StandInVpnDriver) -> None:
    d: VpnDriver = drv
    assert [a.name for a in d.list_accounts()] == ["fund"]
    info = d.list_accounts()[0]
    assert (info.server, info.hub, info.nic) == ("127.0.0.1:15555", "VPN", "VPN")


def test_connect_status_disconnect(drv: StandInVpnDriver, clock: FakeClock) -> None:
    st = drv.connect("fund")
    assert st.state is ConnState.CONNECTED and st.established_since == clock.now()
    clock.advance(60)
    assert drv.status("fund").established_since == st.established_since
    assert drv.connected_accounts() == ["fund"]
    drv.disconnect("fund")
    drv.disconnect("fund")  # idempotent
    assert drv.status("fund").state is ConnState.OFFLINE
    assert drv.last_end("fund").reason is EndReason.BY_US  # type: ignore[union-attr]


def test_wrong_password_fails_and_is_not_left_retrying(drv: StandInVpnDriver) -> None:
    drv.set_password("fund", None, "wrong-pw")
    with pytest.raises(E.VpnAuthFailed) as ei:
        drv.connect("fund")
    assert "wrong-pw" not in str(ei.value.ja + ei.value.en)
    assert drv.connected_accounts() == []


def test_rules_already_connected_adapter_in_use_unknown(drv: StandInVpnDriver, tmp_path: Path) -> None:
    drv.connect("fund")
    with pytest.raises(E.VpnAlreadyConnected):
        drv.connect("fund")
    f = tmp_path / "b.vpn"
    f.write_text(VPN_FILE, encoding="utf-8")
    drv.import_account(str(f), "other")
    drv.set_password("other", "alice", "right-pw")
    with pytest.raises(E.VpnAdapterInUse):
        drv.connect("other")
    with pytest.raises(E.VpnAccountNotFound):
        drv.status("nope")
    with pytest.raises(E.VpnAlreadyConnected):  # re-import over an active account
        drv.import_account(str(f), "fund")


def test_import_replaces_never_duplicates(drv: StandInVpnDriver, tmp_path: Path) -> None:
    f = tmp_path / "again.vpn"
    f.write_text(VPN_FILE.replace("127.0.0.1", "10.0.0.1"), encoding="utf-8")
    drv.import_account(str(f), "fund")
    accs = drv.list_accounts()
    assert [a.name for a in accs] == ["fund"] and accs[0].server == "10.0.0.1:15555"
    with pytest.raises(E.VpnBadParameter):
        drv.import_account(str(tmp_path / "missing.vpn"), "x")
    with pytest.raises(E.VpnBadParameter):
        drv.import_account(str(f), "")


def test_server_down(drv: StandInVpnDriver) -> None:
    drv.server_up = False
    with pytest.raises(E.VpnConnectFailed):
        drv.connect("fund")
    assert drv.connected_accounts() == []


def test_service_not_running(drv: StandInVpnDriver) -> None:
    drv.service_running = False
    with pytest.raises(E.VpnServiceNotRunning) as ei:
        drv.list_accounts()
    assert "サービスが起動していません" in ei.value.ja


def test_session_limit_on_injected_clock_and_monitor(drv: StandInVpnDriver, clock: FakeClock) -> None:
    m, got = _monitor(drv, clock)
    _settle(m)
    assert got == [] and m.state is ConnState.OFFLINE
    st = drv.connect("fund")
    assert m.poll() == []  # first sight: waits for confirmation
    assert m.next_delay() == 1
    _ = m.poll()
    assert [(e.kind, e.at) for e in got] == [("connected", st.established_since)]
    assert m.next_delay() == 5
    clock.advance(5399)
    _settle(m)
    assert len(got) == 1
    clock.advance(1)
    assert drv.status("fund").state is ConnState.OFFLINE
    _settle(m)
    assert got[-1].kind == "disconnected" and got[-1].reason is EndReason.SESSION_LIMIT


def test_monitor_reports_by_us_and_lost(drv: StandInVpnDriver, clock: FakeClock) -> None:
    m, got = _monitor(drv, clock)
    drv.connect("fund")
    _settle(m)
    drv.simulate_network_loss()
    _settle(m)
    assert got[-1].reason is EndReason.LOST
    drv.simulate_network_restored()
    clock.advance(10)
    _settle(m)
    assert got[-1].kind == "connected"
    drv.disconnect("fund")
    _settle(m)
    assert got[-1].reason is EndReason.BY_US
    drv.connect("fund")
    _settle(m)
    drv.simulate_server_cut()
    _settle(m)
    assert [e.kind for e in got] == ["connected", "disconnected", "connected", "disconnected", "connected",
                                     "disconnected"]
    assert got[-1].reason is EndReason.SESSION_LIMIT


class _Flaky:
    """Answers a scripted sequence of states, like SoftEther's racing RPCs."""

    def __init__(self, drv: StandInVpnDriver, script: list[ConnState]) -> None:
        self.drv, self.script = drv, script

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.drv, name)

    def status(self, account: str):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        st = self.drv.status(account)
        s = self.script.pop(0) if self.script else st.state
        return replace(st, state=s, established_since=st.established_since if s is ConnState.CONNECTED else None)


def test_monitor_debounces_a_single_odd_poll(drv: StandInVpnDriver, clock: FakeClock) -> None:
    drv.connect("fund")
    flaky = _Flaky(drv, [ConnState.CONNECTED, ConnState.CONNECTED, ConnState.OFFLINE, ConnState.CONNECTED])
    m = VpnMonitor(flaky, "fund", clock)  # type: ignore[arg-type]
    got: list[VpnEvent] = []
    m.add_listener(got.append)
    for _ in range(6):
        m.poll()
    assert [e.kind for e in got] == ["connected"]


def test_listener_errors_do_not_stop_monitor(drv: StandInVpnDriver, clock: FakeClock) -> None:
    m, got = _monitor(drv, clock)

    def boom(ev: VpnEvent) -> None:
        raise RuntimeError("listener bug")

    m.add_listener(boom)
    m.remove_listener(got.append)
    m.add_listener(got.append)
    drv.connect("fund")
    _settle(m)
    assert [e.kind for e in got] == ["connected"]


def test_background_thread_and_wake(drv: StandInVpnDriver, clock: FakeClock) -> None:
    import threading

    m = VpnMonitor(drv, "fund", clock, poll_interval=60, confirm_interval=0.01)
    seen = threading.Event()
    m.add_listener(lambda e: seen.set())
    m.start()
    try:
        drv.connect("fund")
        m.wake()
        assert seen.wait(5)
    finally:
        m.stop()


def test_state_file_survives_process_and_kill(tmp_path: Path, clock: FakeClock) -> None:
    sf = tmp_path / "standin.json"
    a = StandInVpnDriver(clock, connect_delay_s=0, state_file=sf)
    a.add_account("fund", password="pw-123")
    a.connect("fund")
    b = StandInVpnDriver(clock, connect_delay_s=0, state_file=sf)  # "the next start"
    assert b.connected_accounts() == ["fund"]
    b.disconnect("fund")
    assert StandInVpnDriver(clock, state_file=sf).connected_accounts() == []
    assert "pw-123" not in sf.read_text(encoding="utf-8")


def test_monitor_service_stop_is_lost_not_limit(drv: StandInVpnDriver, clock: FakeClock) -> None:
    m, got = _monitor(drv, clock)
    drv.connect("fund")
    _settle(m)
    drv.service_running = False
    _settle(m)
    assert got[-1].kind == "disconnected" and got[-1].reason is EndReason.LOST
