"""The session state machine through every ending, on a fake clock with the real stand-in VPN driver."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.errors import SessionError, ValidationError, VpnError
from denshi_client.service_calendar import ServiceCalendar
from denshi_client.session import (
    EndCause,
    Phase,
    ProbeResult,
    SessionConfig,
    SessionDeps,
    SessionEvent,
    SessionMachine,
    SessionMode,
    SessionProfile,
)
from denshi_client.session.recovery import StateFile
from denshi_client.vpn.model import ConnState, EndReason, VpnEvent, VpnStatus
from denshi_client.vpn.standin import StandInVpnDriver

ACCOUNT = "denshi-0123"
FRIDAY_9 = datetime(2024, 5, 24, 9, 0, tzinfo=JST)  # a plain weekday


class Rig:
    """One machine wired to the real stand-in driver, the real calendar and a marker file."""

    def __init__(self, tmp: Path, start: datetime = FRIDAY_9, *, driver_cls: type[StandInVpnDriver] = StandInVpnDriver,
                 **cfg: object) -> None:
        cfg.setdefault("idle_timeout_s", 0)  # idle has its own tests
        self.clock = FakeClock(start)
        self.driver = driver_cls(self.clock, session_limit_s=5400, connect_delay_s=0)
        self.driver.add_account(ACCOUNT, password="secret-pw")
        self.state = StateFile(tmp / "session-state.json")
        self.opened: list[str] = []
        self.probes = 0
        self.events: list[SessionEvent] = []
        self.connected_when_awaiting: list[bool] = []
        self.machine = SessionMachine(
            SessionDeps(vpn=self.driver, calendar=ServiceCalendar(), probe=self._probe, open_url=self.opened.append,
                        state_file=self.state, run_async=lambda fn: fn()),
            self.clock, SessionConfig(**cfg),  # type: ignore[arg-type]
        )
        self.machine.add_listener(self._on_event)
        self.profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", ACCOUNT, user_id="demo",
                                      mode=SessionMode.BROWSER, auth_url="https://service.example/auth",
                                      otp_url="https://public.example/otp")

    def _probe(self) -> ProbeResult:
        self.probes += 1
        return ProbeResult(True, "HTTP 200", 0.01, "https://public.example/otp")

    def _on_event(self, ev: SessionEvent) -> None:
        self.events.append(ev)
        if ev.kind == "phase_changed" and ev.snapshot.phase is Phase.AWAITING_OTP:
            self.connected_when_awaiting.append(ACCOUNT in self.driver.connected_accounts())

    def connect(self) -> None:
        self.machine.start(self.profile)
        self.machine.submit_otp(None)
        assert self.machine.phase is Phase.READY

    def run(self, seconds: float, step: float = 5.0, *, until_end: bool = True) -> None:
        """Advance the fake clock in UI-timer-like steps, ticking each time."""
        t = 0.0
        while t < seconds:
            self.clock.advance(step)
            t += step
            self.machine.tick()
            if until_end and self.machine.phase is not Phase.READY:
                return

    def kinds(self, kind: str) -> list[SessionEvent]:
        return [e for e in self.events if e.kind == kind]

    def vpn_up(self) -> bool:
        return bool(self.driver.connected_accounts())


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_otp_comes_before_the_vpn_and_the_wrong_order_is_refused(rig: Rig) -> None:
    with pytest.raises(SessionError) as ei:
        rig.machine.submit_otp("123456")
    assert ei.value.code == "order"
    assert not rig.vpn_up()
    rig.machine.start(rig.profile)
    assert rig.machine.phase is Phase.AWAITING_OTP
    assert rig.opened == ["https://public.example/otp"]  # browser mode: the public OTP page
    assert rig.connected_when_awaiting == [False]
    assert rig.machine.snapshot().otp_requested_at == FRIDAY_9
    rig.machine.submit_otp(None)
    assert rig.machine.phase is Phase.READY
    assert rig.opened[-1] == "https://service.example/auth"
    assert rig.vpn_up()
    assert rig.state.read() is not None and rig.state.read().account == ACCOUNT  # type: ignore[union-attr]
    with pytest.raises(SessionError):
        rig.machine.submit_otp(None)  # not twice
    with pytest.raises(SessionError):
        rig.machine.start(rig.profile)  # one visit at a time
    phases = [e.snapshot.phase for e in rig.kinds("phase_changed")]
    assert phases == [Phase.CHECKING_HOURS, Phase.REQUESTING_OTP, Phase.AWAITING_OTP, Phase.CONNECTING_VPN,
                      Phase.LOGGING_IN, Phase.READY]


def test_bad_otp_format_keeps_waiting_without_vpn(rig: Rig) -> None:
    rig.machine.start(rig.profile)
    with pytest.raises(ValidationError):
        rig.machine.submit_otp("12 34")
    assert rig.machine.phase is Phase.AWAITING_OTP
    assert not rig.vpn_up()


def test_limit_warnings_fire_once_in_order_and_end_gracefully(rig: Rig) -> None:
    rig.connect()
    snap = rig.machine.snapshot()
    assert snap.established_since == FRIDAY_9
    assert snap.deadline == FRIDAY_9 + timedelta(minutes=90) and snap.deadline_kind == "limit"
    assert snap.ends_at == FRIDAY_9 + timedelta(minutes=88)
    assert snap.remaining_s == 88 * 60 and snap.next_warning_min == 15
    rig.run(100 * 60)
    assert [e.minutes_left for e in rig.kinds("warning")] == [15, 5, 1]
    warn_times = [e.snapshot.remaining_s for e in rig.kinds("warning")]
    assert warn_times == [15 * 60, 5 * 60, 60]
    ended = rig.kinds("ended")
    assert len(ended) == 1 and ended[0].cause is EndCause.LIMIT
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.LIMIT
    assert "上限時間（90分）" in snap.end_message_ja
    assert rig.clock.now() == FRIDAY_9 + timedelta(minutes=88)  # the margin: before the server's cut
    assert not rig.vpn_up()
    end = rig.driver.last_end(ACCOUNT)
    assert end is not None and end.reason is EndReason.BY_US  # we ended it, not the server
    assert not rig.state.exists()
    assert rig.probes == 1 and snap.internet is not None and snap.internet.ok
    assert len(rig.kinds("internet_checked")) == 1
    rig.run(60, until_end=False)  # ticks after the end change nothing
    assert len(rig.kinds("ended")) == 1


def test_big_jump_fires_only_the_nearest_warning(tmp_path: Path) -> None:
    rig = Rig(tmp_path, sleep_gap_s=10_000)
    rig.connect()
    rig.run(84 * 60, step=84 * 60)  # 4 minutes left: 15 and 5 are past
    assert [e.minutes_left for e in rig.kinds("warning")] == [5]
    rig.run(3 * 60 + 30, step=10)
    assert [e.minutes_left for e in rig.kinds("warning")] == [5, 1]


def test_custom_warnings_and_margin(tmp_path: Path) -> None:
    rig = Rig(tmp_path, warn_minutes=(10, 3), graceful_margin_s=300)
    rig.connect()
    assert rig.machine.snapshot().remaining_s == 85 * 60
    rig.run(100 * 60)
    assert [e.minutes_left for e in rig.kinds("warning")] == [10, 3]
    assert rig.clock.now() == FRIDAY_9 + timedelta(minutes=85)
    assert rig.machine.snapshot().end_cause is EndCause.LIMIT


def test_service_close_comes_first_at_night(tmp_path: Path) -> None:
    rig = Rig(tmp_path, datetime(2024, 5, 24, 19, 0, tzinfo=JST))
    rig.connect()
    snap = rig.machine.snapshot()
    assert snap.deadline_kind == "close"
    assert snap.deadline == datetime(2024, 5, 24, 20, 0, tzinfo=JST)
    rig.run(70 * 60)
    assert rig.machine.snapshot().end_cause is EndCause.SERVICE_CLOSE
    assert rig.clock.now() == datetime(2024, 5, 24, 19, 58, tzinfo=JST)
    assert "終了時刻" in rig.machine.snapshot().end_message_ja
    assert [e.minutes_left for e in rig.kinds("warning")] == [15, 5, 1]
    assert not rig.vpn_up()


def test_closed_hours_and_too_late_are_refused_before_anything(tmp_path: Path) -> None:
    night = Rig(tmp_path / "a", datetime(2024, 5, 24, 21, 0, tzinfo=JST))
    with pytest.raises(SessionError) as ei:
        night.machine.start(night.profile)
    assert ei.value.code == "closed" and "5月27日 08:00" in ei.value.ja  # Monday morning
    assert night.machine.phase is Phase.FAILED and night.opened == []
    late = Rig(tmp_path / "b", datetime(2024, 5, 24, 19, 57, tzinfo=JST))
    with pytest.raises(SessionError) as ei:
        late.machine.start(late.profile)
    assert ei.value.code == "too_late" and "20:00" in ei.value.ja
    assert not late.vpn_up()


def test_close_passing_while_the_user_reads_the_mail(tmp_path: Path) -> None:
    rig = Rig(tmp_path, datetime(2024, 5, 24, 19, 50, tzinfo=JST))
    rig.machine.start(rig.profile)
    rig.clock.advance(11 * 60)
    with pytest.raises(SessionError):
        rig.machine.submit_otp(None)
    assert not rig.vpn_up() and rig.machine.phase is Phase.FAILED


def test_idle_end_with_one_warning(tmp_path: Path) -> None:
    rig = Rig(tmp_path, idle_timeout_s=600, idle_warning_s=60)
    rig.connect()
    rig.run(300)
    rig.machine.touch()
    rig.run(20 * 60)
    assert rig.machine.snapshot().end_cause is EndCause.IDLE
    assert rig.clock.now() == FRIDAY_9 + timedelta(seconds=900)
    assert len(rig.kinds("idle_warning")) == 1
    assert not rig.vpn_up()


def test_a_running_transfer_is_not_idle(tmp_path: Path) -> None:
    rig = Rig(tmp_path, idle_timeout_s=600)
    rig.connect()
    with rig.machine.busy():
        rig.run(30 * 60)
    assert rig.machine.phase is Phase.READY
    rig.run(9 * 60)
    assert rig.machine.phase is Phase.READY
    rig.run(2 * 60)
    assert rig.machine.snapshot().end_cause is EndCause.IDLE


def test_server_cut_is_reported_as_such(rig: Rig) -> None:
    rig.connect()
    rig.run(60)
    rig.driver.simulate_server_cut(ACCOUNT)
    rig.run(60)
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.SERVER_CUT
    assert "サーバー側" in snap.end_message_ja
    assert not rig.vpn_up() and not rig.state.exists()


def test_server_cut_right_after_connecting_is_not_missed(rig: Rig) -> None:
    """The monitor starts from the established state, so a cut before its first poll still counts."""
    rig.connect()
    rig.driver.simulate_server_cut(ACCOUNT)
    rig.run(30, step=1.0)
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.SERVER_CUT
    assert not rig.vpn_up()


def test_network_loss_ends_and_still_disconnects_the_retrying_client(rig: Rig) -> None:
    rig.connect()
    rig.run(30)
    rig.driver.simulate_network_loss(ACCOUNT)
    assert rig.driver.status(ACCOUNT).state is ConnState.CONNECTING  # SoftEther would retry forever
    rig.run(60)
    assert rig.machine.snapshot().end_cause is EndCause.NETWORK_LOST
    assert rig.driver.status(ACCOUNT).state is ConnState.OFFLINE


def test_vpn_event_from_an_outside_monitor(rig: Rig) -> None:
    rig.connect()
    rig.machine.on_vpn_event(VpnEvent("disconnected", "other-account", EndReason.LOST))
    assert rig.machine.phase is Phase.READY
    rig.machine.on_vpn_event(VpnEvent("disconnected", ACCOUNT, EndReason.SESSION_LIMIT))
    assert rig.machine.snapshot().end_cause is EndCause.SERVER_CUT
    assert not rig.vpn_up()


@pytest.mark.parametrize("cause", [EndCause.USER, EndCause.QUIT, EndCause.SHUTDOWN, EndCause.SLEEP])
def test_ends_asked_from_outside(rig: Rig, cause: EndCause) -> None:
    rig.connect()
    rig.machine.end(cause)
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is cause
    assert snap.end_message_ja and snap.end_message_en
    assert not rig.vpn_up() and not rig.state.exists()
    rig.machine.end(EndCause.USER)  # idempotent
    assert len(rig.kinds("ended")) == 1 and rig.machine.snapshot().end_cause is cause


def test_resume_after_sleep_is_noticed_from_the_clock(rig: Rig) -> None:
    rig.connect()
    rig.run(60)
    rig.clock.advance(30 * 60)  # the PC slept for half an hour: no ticks meanwhile
    rig.machine.tick()
    assert len(rig.kinds("resumed")) == 1
    assert rig.machine.snapshot().end_cause is EndCause.SLEEP
    assert not rig.vpn_up()


def test_resume_past_the_deadline_says_limit(rig: Rig) -> None:
    rig.connect()
    rig.clock.advance(3 * 3600)
    rig.machine.tick()
    assert rig.machine.snapshot().end_cause is EndCause.LIMIT
    assert not rig.vpn_up()


def test_end_while_waiting_for_the_otp_just_cancels(rig: Rig) -> None:
    rig.machine.start(rig.profile)
    rig.machine.end(EndCause.USER)
    assert rig.machine.phase is Phase.ENDED and rig.probes == 0
    with pytest.raises(SessionError):
        rig.machine.submit_otp(None)
    rig.machine.start(rig.profile)  # a new visit can start
    assert rig.machine.phase is Phase.AWAITING_OTP


def test_connect_error_leaves_no_vpn(rig: Rig) -> None:
    rig.driver.set_password(ACCOUNT, None, "wrong-password")
    rig.machine.start(rig.profile)
    with pytest.raises(VpnError):
        rig.machine.submit_otp(None)
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.FAILED and snap.end_cause is EndCause.ERROR and snap.error is not None
    assert not rig.vpn_up() and not rig.state.exists()


class _FailsAfterConnecting(StandInVpnDriver):
    """Up on the server, but the call reports a failure (a time-out at the last moment)."""

    def connect(self, account: str, timeout: float = 30.0) -> VpnStatus:
        super().connect(account, timeout)
        raise VpnError("接続がタイムアウトしました。", "The connect timed out.", code="timeout")


def test_error_after_the_vpn_came_up_still_disconnects(tmp_path: Path) -> None:
    rig = Rig(tmp_path, driver_cls=_FailsAfterConnecting)
    rig.machine.start(rig.profile)
    with pytest.raises(VpnError):
        rig.machine.submit_otp(None)
    assert rig.machine.phase is Phase.FAILED
    assert not rig.vpn_up() and not rig.state.exists()


def test_end_during_connect_aborts_and_disconnects(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.driver.connect_delay_s = 1.0
    rig.driver._sleep = lambda s: rig.machine.end(EndCause.QUIT, wait_s=0)  # the user quits mid-connect
    rig.machine.start(rig.profile)
    rig.machine.submit_otp(None)  # no error: the user asked
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.QUIT
    assert not rig.vpn_up() and not rig.state.exists()


def test_start_drops_a_leftover_connection_before_the_otp(rig: Rig) -> None:
    rig.driver.connect(ACCOUNT)
    rig.state.write(ACCOUNT, "e0123", FRIDAY_9)
    rig.machine.start(rig.profile)
    assert rig.connected_when_awaiting == [False]
    assert not rig.state.exists()


def test_transfer_refused_when_it_cannot_finish(rig: Rig) -> None:
    assert not rig.machine.check_transfer(10).ok  # not connected
    rig.connect()
    v = rig.machine.check_transfer(1024 * 1024)
    assert v.ok and v.remaining_s == 88 * 60
    big = 2 * 1024**3  # at the conservative 128 KiB/s default: hours
    v = rig.machine.check_transfer(big)
    assert not v.ok and "残り時間" in v.reason_ja and "次回の接続" in v.reason_ja and v.reason_en
    rig.machine.record_throughput(1024**3, 10.0)  # measured: ~100 MiB/s
    assert rig.machine.check_transfer(big).ok
    assert rig.machine.snapshot().throughput_bps == pytest.approx(1024**3 / 10)
    rig.run(87 * 60 + 50, until_end=False)  # 10 s left
    assert rig.machine.phase is Phase.READY
    v = rig.machine.check_transfer(1024 * 1024)
    assert not v.ok  # the overhead alone does not fit
    with pytest.raises(SessionError):
        rig.machine.require_transfer(1024 * 1024)


def test_broken_listener_does_not_stop_the_disconnect(rig: Rig) -> None:
    def boom(ev: SessionEvent) -> None:
        raise RuntimeError("listener bug")

    rig.machine.add_listener(boom)
    rig.connect()
    rig.machine.end(EndCause.USER)
    assert not rig.vpn_up() and rig.machine.phase is Phase.ENDED


def test_real_worker_threads_end_the_visit_without_deadlock(tmp_path: Path) -> None:
    """As in the app: tick on one thread, the end and the VPN polls on worker threads."""
    rig = Rig(tmp_path)
    rig.machine._run_async = SessionMachine(SessionDeps(vpn=rig.driver), rig.clock)._run_async  # the default
    rig.connect()
    rig.clock.advance(60)
    rig.machine.tick()  # starts a VPN poll on a worker
    rig.driver.simulate_server_cut(ACCOUNT)
    for _ in range(20):
        if rig.machine.wait_until_terminal(0.05):
            break
        rig.clock.advance(2)
        rig.machine.tick()
    assert rig.machine.wait_until_terminal(10)
    assert rig.machine.snapshot().end_cause is EndCause.SERVER_CUT
    assert not rig.vpn_up()


def test_end_from_many_threads_at_once_ends_once(rig: Rig) -> None:
    import threading

    rig.connect()
    threads = [threading.Thread(target=rig.machine.end, args=(c,)) for c in (EndCause.USER, EndCause.QUIT,
                                                                          EndCause.SHUTDOWN, EndCause.USER)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(rig.kinds("ended")) == 1 and rig.machine.phase is Phase.ENDED
    assert not rig.vpn_up()


def test_a_configured_limit_is_named_in_the_end_message(tmp_path: Path) -> None:
    rig = Rig(tmp_path, session_limit_s=60 * 60)
    rig.connect()
    rig.run(70 * 60)
    snap = rig.machine.snapshot()
    assert snap.end_cause is EndCause.LIMIT
    assert "（60分）" in snap.end_message_ja and "60 minutes" in snap.end_message_en


def test_login_lost_ends_a_ready_visit_and_says_why(rig: Rig) -> None:
    assert rig.machine.login_lost() is False  # no visit: nothing to end
    rig.machine.start(rig.profile)
    assert rig.machine.login_lost() is False  # before the VPN: not a lost login, the visit goes on
    assert rig.machine.phase is Phase.AWAITING_OTP
    rig.machine.submit_otp(None)
    assert rig.machine.login_lost() is True
    snap = rig.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.LOGIN_LOST and snap.error is None
    assert snap.end_message_ja == EndCause.LOGIN_LOST.message_ja
    assert "ログインが無効" in snap.end_message_ja and "もう一度接続してください" in snap.end_message_ja
    assert "no longer valid" in snap.end_message_en
    assert not rig.vpn_up() and not rig.state.exists()
    assert rig.probes == 1  # the usual internet check after the disconnect
    assert rig.machine.login_lost() is False  # idempotent
    rig.machine.end(EndCause.USER)
    assert [e.cause for e in rig.kinds("ended")] == [EndCause.LOGIN_LOST]


class _HangingPortal:
    """A direct-mode service whose logout never answers (it has forgotten us)."""

    def __init__(self) -> None:
        import threading

        self.logouts = 0
        self.release = threading.Event()

    def request_otp(self, user_id: str) -> None:
        pass

    def login(self, user_id: str, otp: str) -> object:
        return object()

    def logout(self) -> None:
        self.logouts += 1
        self.release.wait(30)


def test_login_lost_does_not_log_out_and_ignores_an_earlier_visits_client(tmp_path: Path) -> None:
    from dataclasses import replace

    rig = Rig(tmp_path, logout_timeout_s=20)  # a logout attempt would hold the end for 20 s
    portal, old = _HangingPortal(), _HangingPortal()
    rig.machine.deps.portal_for = lambda p: portal  # type: ignore[assignment,return-value]
    try:
        rig.machine.start(replace(rig.profile, mode=SessionMode.DIRECT))
        rig.machine.submit_otp("123456")
        assert rig.machine.phase is Phase.READY and rig.machine.portal is portal
        assert rig.machine.login_lost(old) is False  # type: ignore[arg-type]  # seen by another visit's client
        assert rig.machine.phase is Phase.READY
        assert rig.machine.login_lost(portal) is True  # type: ignore[arg-type]
        assert rig.machine.portal is None
        assert portal.logouts == 0 and rig.machine.snapshot().end_cause is EndCause.LOGIN_LOST
        assert not rig.vpn_up()
    finally:
        portal.release.set()
        old.release.set()


def test_login_lost_racing_other_ends_ends_once(rig: Rig) -> None:
    import threading

    rig.connect()
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(rig.machine.login_lost())) for _ in range(3)]
    threads.append(threading.Thread(target=rig.machine.end, args=(EndCause.USER,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(rig.kinds("ended")) == 1 and rig.machine.phase is Phase.ENDED
    assert results.count(True) <= 1
    assert (results.count(True) == 1) == (rig.machine.snapshot().end_cause is EndCause.LOGIN_LOST)
    assert not rig.vpn_up()
