"""Never stranded: a VPN left up by an earlier run is found and disconnected."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.demo import DemoEnvironment
from denshi_client.session import EndCause, Phase, SessionConfig, SessionDeps, SessionMachine
from denshi_client.session.recovery import StateFile, find_leftover, recover
from denshi_client.vpn.standin import StandInVpnDriver

ACCOUNT = "denshi-0123"
NOW = datetime(2024, 5, 24, 9, 0, tzinfo=JST)


def driver(tmp: Path, clock: FakeClock | None = None) -> StandInVpnDriver:
    """A stand-in driver whose sessions outlive the process, like the real SoftEther client service."""
    d = StandInVpnDriver(clock or FakeClock(NOW), connect_delay_s=0, state_file=tmp / "vpn-standin.json")
    if ACCOUNT not in {a.name for a in d.list_accounts()}:
        d.add_account(ACCOUNT, password="pw")
        d.add_account("someone-elses-vpn", password="pw", nic="OTHER")
    return d


CHILD = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime
    from pathlib import Path
    from denshi_client.clock import JST, FakeClock
    from denshi_client.session import SessionDeps, SessionMachine, SessionMode, SessionProfile
    from denshi_client.session.recovery import StateFile
    from denshi_client.vpn.standin import StandInVpnDriver

    tmp = Path(sys.argv[1])
    clock = FakeClock(datetime(2024, 5, 24, 9, 0, tzinfo=JST))
    drv = StandInVpnDriver(clock, connect_delay_s=0, state_file=tmp / "vpn-standin.json")
    m = SessionMachine(SessionDeps(vpn=drv, state_file=StateFile(tmp / "session-state.json"),
                                   run_async=lambda f: f()), clock)
    m.start(SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", "denshi-0123", mode=SessionMode.BROWSER))
    m.submit_otp(None)
    print(m.phase.value, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # a crash: no end(), no clean-up
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_minus_9_leaves_a_marker_that_the_next_start_clears(tmp_path: Path) -> None:
    driver(tmp_path)  # seed the accounts
    r = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert r.stdout.strip() == "ready"
    marker = StateFile(tmp_path / "session-state.json")
    rec = marker.read()
    assert rec is not None and rec.account == ACCOUNT and rec.since is not None
    d = driver(tmp_path)  # the next start
    assert d.connected_accounts() == [ACCOUNT]
    [lo] = find_leftover(d, marker, [ACCOUNT])
    assert lo.connected and lo.from_state_file and not lo.owner_alive and lo.profile_id == "e0123"
    report = recover(d, marker, [ACCOUNT])
    assert report.ok and report.disconnected == [ACCOUNT] and report.marker_cleared
    assert d.connected_accounts() == [] and not marker.exists()


def test_known_accounts_are_found_without_a_marker_and_others_left_alone(tmp_path: Path) -> None:
    d = driver(tmp_path)
    d.connect(ACCOUNT)
    d.connect("someone-elses-vpn")
    marker = StateFile(tmp_path / "none.json")
    [lo] = find_leftover(d, marker, [ACCOUNT])
    assert lo.account == ACCOUNT and not lo.from_state_file
    recover(d, marker, [ACCOUNT])
    assert d.connected_accounts() == ["someone-elses-vpn"]  # never someone else's VPN


def test_a_running_instance_is_not_disconnected_unless_forced(tmp_path: Path) -> None:
    d = driver(tmp_path)
    d.connect(ACCOUNT)
    marker = StateFile(tmp_path / "session-state.json")
    marker.write(ACCOUNT, "e0123", NOW)
    data = json.loads(marker.path.read_text(encoding="utf-8"))
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        data["pid"] = other.pid  # another instance (e.g. the GUI while the CLI runs)
        marker.path.write_text(json.dumps(data), encoding="utf-8")
        [lo] = find_leftover(d, marker, [ACCOUNT])
        assert lo.owner_alive
        report = recover(d, marker, [ACCOUNT])
        assert report.skipped == [ACCOUNT] and d.connected_accounts() == [ACCOUNT] and marker.exists()
        report = recover(d, marker, [ACCOUNT], force=True)
        assert report.disconnected == [ACCOUNT] and not marker.exists()
    finally:
        other.kill()
        other.wait()


def test_stale_marker_without_a_connection_is_just_removed(tmp_path: Path) -> None:
    d = driver(tmp_path)
    marker = StateFile(tmp_path / "session-state.json")
    marker.write(ACCOUNT, "e0123", None)
    report = recover(d, marker, [ACCOUNT])
    assert report.disconnected == [] and report.marker_cleared


def test_broken_marker_is_not_fatal(tmp_path: Path) -> None:
    marker = StateFile(tmp_path / "session-state.json")
    marker.path.write_text("{not json", encoding="utf-8")
    assert marker.read() is None
    assert find_leftover(driver(tmp_path), marker, [ACCOUNT]) == []


def test_resume_while_idle_drops_a_leftover(tmp_path: Path) -> None:
    clock = FakeClock(NOW)
    d = driver(tmp_path, clock)
    marker = StateFile(tmp_path / "session-state.json")
    m = SessionMachine(SessionDeps(vpn=d, state_file=marker, run_async=lambda f: f()), clock, SessionConfig())
    d.connect(ACCOUNT)
    marker.write(ACCOUNT, "e0123", NOW)  # what a crashed run left
    m.tick()
    clock.advance(3600)  # slept an hour
    m.tick()
    assert m.phase is Phase.IDLE and d.connected_accounts() == [] and not marker.exists()


def test_demo_restart_after_a_crash_offers_recovery(tmp_path: Path) -> None:
    before = os.environ.get("DENSHI_CLIENT_HOME")
    first = DemoEnvironment.start(None, home=tmp_path / "demo", browser_delay_s=0, run_async=lambda f: f())
    m = first.services.machine
    m.start(first.services.session_profile("demo-0123"))
    m.submit_otp(first.demo_otp())
    assert m.phase is Phase.READY
    first.stop()  # "crash": no end()
    second = DemoEnvironment.start(None, home=tmp_path / "demo", browser_delay_s=0, run_async=lambda f: f())
    try:
        [lo] = second.services.recovery_check()
        assert lo.account == "denshi-demo-0123" and lo.profile_id == "demo-0123"
        report = second.services.recover()
        assert report.ok and report.disconnected == ["denshi-demo-0123"]
        assert second.services.recovery_check() == []
    finally:
        second.services.machine.end(EndCause.QUIT)
        second.stop()
    assert os.environ.get("DENSHI_CLIENT_HOME") == before
