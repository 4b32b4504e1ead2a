"""A mistyped OTP the service refuses is typed again with the VPN kept up, without a new OTP request.

Real stand-in service (its login counts wrong tries and burns the OTP after five) and the real
stand-in VPN driver, on one fake clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.errors import PortalError, SessionError, ValidationError
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin.server import StandInService
from denshi_client.service_calendar import ServiceCalendar
from denshi_client.session import (
    EndCause,
    Phase,
    SessionConfig,
    SessionDeps,
    SessionMachine,
    SessionMode,
    SessionProfile,
)
from denshi_client.session.model import PHASE_TRANSITIONS, OtpRefused
from denshi_client.vpn.standin import StandInVpnDriver

NOW = datetime(2024, 5, 24, 10, 0, tzinfo=JST)  # a plain Friday morning
ACCOUNT = "denshi-0123"


class World:
    def __init__(self, svc: StandInService, clock: FakeClock, **cfg: object) -> None:
        self.svc, self.clock = svc, clock
        self.vpn = StandInVpnDriver(clock, session_limit_s=5400, connect_delay_s=0)
        self.vpn.add_account(ACCOUNT, password="pw")
        cfg.setdefault("idle_timeout_s", 0)
        self.machine = SessionMachine(
            SessionDeps(vpn=self.vpn, portal_for=lambda p: HttpPortalClient(svc.base_url),
                        calendar=ServiceCalendar(), run_async=lambda fn: fn()),
            clock, SessionConfig(**cfg),  # type: ignore[arg-type]
        )
        self.profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", ACCOUNT, user_id="demo",
                                      mode=SessionMode.DIRECT)

    def otp_mails(self) -> int:
        return len(list(self.svc.outbox.glob("*.eml")))

    def vpn_up(self) -> bool:
        return ACCOUNT in self.vpn.connected_accounts()

    def start(self) -> tuple[str, str]:
        self.machine.start(self.profile)
        right = self.svc.latest_otp("demo")
        assert right is not None
        return right, ("000000" if right != "000000" else "111111")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def svc(tmp_path: Path, clock: FakeClock) -> Iterator[StandInService]:
    with StandInService(tmp_path / "standin", clock) as s:
        yield s


def test_the_retry_phase_is_in_the_one_table() -> None:
    assert PHASE_TRANSITIONS[Phase.LOGGING_IN] >= {Phase.AWAITING_OTP_RETRY}
    assert PHASE_TRANSITIONS[Phase.AWAITING_OTP_RETRY] == {Phase.LOGGING_IN, Phase.ENDING}
    assert Phase.AWAITING_OTP_RETRY.active and Phase.AWAITING_OTP_RETRY.busy


def test_a_wrong_otp_keeps_the_vpn_up_and_the_right_one_logs_in_without_a_new_request(
        svc: StandInService, clock: FakeClock) -> None:
    w = World(svc, clock)
    right, wrong = w.start()
    assert w.otp_mails() == 1
    with pytest.raises(OtpRefused) as ei:
        w.machine.submit_otp(wrong)
    assert ei.value.attempts_left == 4
    assert "VPN接続は維持しています" in ei.value.ja and "もう一度入力" in ei.value.ja
    snap = w.machine.snapshot()
    assert snap.phase is Phase.AWAITING_OTP_RETRY and snap.end_cause is None
    assert w.vpn_up()
    assert snap.remaining_s is not None and snap.remaining_s > 80 * 60  # the 90 minutes run meanwhile
    with pytest.raises(SessionError):
        w.machine.submit_otp(right)  # the first door is closed now; retry_otp is the way
    with pytest.raises(ValidationError):
        w.machine.retry_otp("12 34")  # a typo of the wrong shape never reaches the service
    assert w.machine.phase is Phase.AWAITING_OTP_RETRY and w.vpn_up()
    w.machine.retry_otp(right)
    assert w.machine.phase is Phase.READY and w.vpn_up()
    assert w.machine.portal is not None and w.machine.portal.current_session()
    assert w.otp_mails() == 1  # exactly one OTP request for the whole visit
    w.machine.end(EndCause.USER)
    assert w.machine.phase is Phase.ENDED and not w.vpn_up()


def test_too_many_wrong_otps_end_the_visit_with_the_vpn_down(svc: StandInService, clock: FakeClock) -> None:
    w = World(svc, clock)
    _right, wrong = w.start()
    with pytest.raises(OtpRefused):
        w.machine.submit_otp(wrong)
    for left in (3, 2, 1):
        with pytest.raises(OtpRefused) as ei:
            w.machine.retry_otp(wrong)
        assert ei.value.attempts_left == left and w.vpn_up()
    with pytest.raises(PortalError) as final:
        w.machine.retry_otp(wrong)  # the fifth: the stand-in burns the OTP, the machine gives up
    assert not isinstance(final.value, OtpRefused)
    assert "VPN" in final.value.ja and "接続" in final.value.ja
    snap = w.machine.snapshot()
    assert snap.phase is Phase.FAILED and snap.end_cause is EndCause.ERROR
    assert snap.error is final.value
    assert not w.vpn_up()
    assert w.otp_mails() == 1
    with pytest.raises(SessionError):
        w.machine.retry_otp("123456")  # nothing left to retry


def test_an_otp_the_service_no_longer_takes_ends_the_visit(svc: StandInService, clock: FakeClock) -> None:
    w = World(svc, clock)
    right, wrong = w.start()
    with pytest.raises(OtpRefused):
        w.machine.submit_otp(wrong)
    clock.advance(601)  # the stand-in's OTP lives 600 s
    with pytest.raises(PortalError) as ei:
        w.machine.retry_otp(right)
    assert ei.value.code == "otp_expired" and not isinstance(ei.value, OtpRefused)
    assert w.machine.phase is Phase.FAILED and not w.vpn_up()


def test_idle_while_waiting_for_the_retry_disconnects(svc: StandInService, clock: FakeClock) -> None:
    w = World(svc, clock, idle_timeout_s=300)
    _right, wrong = w.start()
    with pytest.raises(OtpRefused):
        w.machine.submit_otp(wrong)
    for _ in range(70):
        clock.advance(5)
        w.machine.tick()
        if w.machine.phase is not Phase.AWAITING_OTP_RETRY:
            break
    snap = w.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.IDLE
    assert not w.vpn_up()


def test_the_session_limit_applies_while_waiting(svc: StandInService, clock: FakeClock) -> None:
    w = World(svc, clock)
    _right, wrong = w.start()
    with pytest.raises(OtpRefused):
        w.machine.submit_otp(wrong)
    clock.advance(88 * 60 + 1)
    w.machine.tick()
    assert w.machine.phase is Phase.ENDED and w.machine.snapshot().end_cause is EndCause.LIMIT
    assert not w.vpn_up()


def test_giving_up_the_retry_disconnects_and_says_so(svc: StandInService, clock: FakeClock) -> None:
    w = World(svc, clock)
    _right, wrong = w.start()
    with pytest.raises(OtpRefused):
        w.machine.submit_otp(wrong)
    w.machine.end(EndCause.OTP_ABANDONED)
    snap = w.machine.snapshot()
    assert snap.phase is Phase.ENDED and not w.vpn_up()
    assert "VPNを切断しました" in snap.end_message_ja and "ワンタイムパスワード" in snap.end_message_ja
