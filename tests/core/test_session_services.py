"""AppServices built from real settings files and the real profile store; direct mode against the stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.errors import PortalError, SessionError
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin.server import StandInService
from denshi_client.services import AppServices
from denshi_client.session import EndCause, Phase, SessionMode
from denshi_client.session.model import OtpRefused
from denshi_client.store.profiles import ProfileStore, new_profile
from denshi_client.store.settings import load_effective_settings, set_user_value
from denshi_client.vpn.standin import StandInVpnDriver

NOW = datetime(2024, 5, 24, 10, 0, tzinfo=JST)


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[StandInService]:
    with StandInService(tmp_path / "standin", FakeClock(NOW)) as s:
        yield s


def build(svc: StandInService, clock: FakeClock) -> tuple[AppServices, StandInVpnDriver]:
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account("denshi-0123", password="pw")
    services = AppServices.from_settings(clock=clock, vpn=vpn, run_async=lambda f: f(),
                                         portal_factory=lambda p: HttpPortalClient(svc.base_url),
                                         open_url=lambda url: None)
    return services, vpn


def test_settings_become_session_rules_and_profiles(svc: StandInService, app_home: Path) -> None:
    set_user_value("session.warn_minutes", [2, 10])
    set_user_value("session.idle_minutes", 0)
    set_user_value("session.graceful_margin_minutes", 3)
    set_user_value("service.auth_page_url", "https://denshi.example.jp/login")
    settings = load_effective_settings()
    ProfileStore().add(new_profile(establishment="123", name="株式会社サンプル商事 本社", user_id="demo",
                                   mode="direct", settings=settings))
    services, _ = build(svc, FakeClock(NOW))
    try:
        cfg = services.machine.config
        assert cfg.warn_minutes == (10, 2) and cfg.idle_timeout_s == 0 and cfg.graceful_margin_s == 180
        assert cfg.session_limit_s == 90 * 60 and services.calendar is not None
        [p] = services.profiles_for_ui()
        assert p.establishment == "0123" and p.vpn_account == "denshi-0123" and p.mode is SessionMode.DIRECT
        assert p.auth_url == "https://denshi.example.jp/login"
        assert p.documents_folder.endswith("0123") and p.upload_folder.endswith("送信準備")
        assert services.session_profile(p.id) == p
        set_user_value("session.warn_minutes", [7])
        services.apply_settings()
        assert services.machine.config.warn_minutes == (7,)
    finally:
        services.close()


def test_direct_visit_logs_in_and_out_and_a_wrong_otp_given_up_drops_the_vpn(svc: StandInService) -> None:
    ProfileStore().add(new_profile(establishment="0123", name="株式会社サンプル商事 本社", user_id="demo",
                                   mode="direct", vpn_account="denshi-0123"))
    clock = FakeClock(NOW)
    services, vpn = build(svc, clock)
    m = services.machine
    pid = services.profiles_for_ui()[0].id
    try:
        m.start(services.session_profile(pid))
        otp = svc.latest_otp("demo")
        assert otp is not None
        wrong = "000000" if otp != "000000" else "111111"
        with pytest.raises(OtpRefused):
            m.submit_otp(wrong)
        assert m.phase is Phase.AWAITING_OTP_RETRY and vpn.connected_accounts() == ["denshi-0123"]
        m.end(EndCause.OTP_ABANDONED)  # the user gives up typing it again
        snap = m.snapshot()
        assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.OTP_ABANDONED
        assert vpn.connected_accounts() == [] and not services.state_file.exists()
        m.start(services.session_profile(pid))  # a new OTP, then the right one
        m.submit_otp(svc.latest_otp("demo"))
        assert m.phase is Phase.READY
        portal = m.portal
        assert isinstance(portal, HttpPortalClient) and portal.token
        m.end(EndCause.USER)
        with pytest.raises(PortalError):
            portal.current_session()  # logged out on the service
        assert vpn.connected_accounts() == []
    finally:
        services.close()


def test_a_login_the_service_dropped_ends_the_visit_cleanly(svc: StandInService) -> None:
    """READY, then the service restarts (every login forgotten): the next inbox call ends the visit."""
    from denshi_client.portal.standin.faults import Fault
    from denshi_client.session import ProbeResult, SessionEvent

    ProfileStore().add(new_profile(establishment="0123", name="株式会社サンプル商事 本社", user_id="demo",
                                   mode="direct", vpn_account="denshi-0123"))
    clock = FakeClock(NOW)
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account("denshi-0123", password="pw")
    probes: list[int] = []

    def probe() -> ProbeResult:
        probes.append(1)
        return ProbeResult(True, "HTTP 200")

    services = AppServices.from_settings(clock=clock, vpn=vpn, run_async=lambda f: f(),
                                         portal_factory=lambda p: HttpPortalClient(svc.base_url),
                                         open_url=lambda url: None, probe=probe)
    m = services.machine
    ended: list[SessionEvent] = []
    m.add_listener(lambda ev: ended.append(ev) if ev.kind == "ended" else None)
    try:
        m.start(services.session_profile(services.profiles_for_ui()[0].id))
        m.submit_otp(svc.latest_otp("demo"))
        assert m.phase is Phase.READY and services.state_file.exists()
        assert services.transfers.inbox()
        svc.faults.add(Fault("expire", "inbox"))
        with pytest.raises(SessionError) as ei:
            services.transfers.inbox()
        assert ei.value.code == "login_lost"
        [ev] = ended
        assert ev.cause is EndCause.LOGIN_LOST and ev.snapshot.phase is Phase.ENDED
        assert ev.snapshot.end_message_ja == EndCause.LOGIN_LOST.message_ja
        assert ev.snapshot.internet is not None and ev.snapshot.internet.ok and probes == [1]
        assert vpn.connected_accounts() == [] and not services.state_file.exists()
    finally:
        services.close()


def test_start_up_recovery_checks_internet_after_dropping_a_leftover(svc: StandInService, app_home: Path) -> None:
    """A VPN left up by a crashed run is dropped at start, and then, as after every visit, the app
    checks that normal internet is back before telling the user so."""
    from denshi_client.session.model import ProbeResult

    ProfileStore().add(new_profile(establishment="123", name="本社", user_id="demo", mode="direct",
                                   settings=load_effective_settings()))
    clock = FakeClock(NOW)
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account("denshi-0123", password="pw")
    probes: list[int] = []

    def probe() -> ProbeResult:
        probes.append(1)
        return ProbeResult(False, "ConnectError", 0.1, "https://example.invalid/")

    services = AppServices.from_settings(clock=clock, vpn=vpn, run_async=lambda f: f(), probe=probe,
                                         portal_factory=lambda p: HttpPortalClient(svc.base_url),
                                         open_url=lambda url: None)
    try:
        assert services.recover().internet is None and probes == []  # nothing left: nothing to check
        vpn.connect("denshi-0123")
        report = services.recover()
        assert report.disconnected == ["denshi-0123"] and vpn.connected_accounts() == []
        assert report.internet is not None and not report.internet.ok and probes == [1]
    finally:
        services.close()
