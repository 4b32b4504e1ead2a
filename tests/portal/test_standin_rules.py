"""The stand-in's rules through the real client: OTP, 90-minute session, hours, establishments."""

from __future__ import annotations

import email
import email.policy
import logging
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.portal import errors as pe
from denshi_client.portal.standin import StandInService

from .conftest import login, make_client


def test_otp_mail_is_a_japanese_eml_and_the_log_has_only_its_path(service: StandInService,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with make_client(service) as c:
        c.request_otp("demo")
    mails = list(service.outbox.glob("*.eml"))
    assert len(mails) == 1
    msg = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "【電子連携サービス】ワンタイムパスワードのお知らせ"
    assert "nenkin-tanto@sample-shoji.example" in msg["To"]
    assert b"=?utf-8?" in mails[0].read_bytes()  # the raw subject is MIME-encoded
    otp = service.latest_otp("demo")
    assert otp is not None and len(otp) == 6
    assert otp in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert str(mails[0]) in caplog.text
    assert otp not in caplog.text


def test_unknown_user_gets_202_but_no_mail(service: StandInService) -> None:
    with make_client(service) as c:
        c.request_otp("nobody")
    assert not list(service.outbox.glob("*.eml"))


def test_otp_is_one_time(service: StandInService) -> None:
    with make_client(service) as c:
        c.request_otp("demo")
        otp = service.latest_otp("demo")
        assert otp
        c.login("demo", otp)
        with pytest.raises(pe.AuthError) as e:
            c.login("demo", otp)
        assert e.value.code == "otp_used"


def test_otp_expires_after_10_minutes(service: StandInService, clock: FakeClock) -> None:
    with make_client(service) as c:
        c.request_otp("demo")
        otp = service.latest_otp("demo")
        assert otp
        clock.advance(10 * 60 + 1)
        with pytest.raises(pe.AuthError) as e:
            c.login("demo", otp)
        assert e.value.code == "otp_expired"
        assert "有効期限" in e.value.ja


def test_wrong_otp_five_times_burns_it(service: StandInService) -> None:
    with make_client(service) as c:
        c.request_otp("demo")
        otp = service.latest_otp("demo")
        assert otp
        wrong = f"{(int(otp) + 1) % 1_000_000:06d}"
        for _ in range(5):
            with pytest.raises(pe.AuthError):
                c.login("demo", wrong)
        with pytest.raises(pe.AuthError):
            c.login("demo", otp)


def test_login_is_never_retried(service: StandInService) -> None:
    from denshi_client.portal.standin import Fault

    with make_client(service) as c:
        c.request_otp("demo")
        otp = service.latest_otp("demo")
        assert otp
        service.faults.add(Fault("status", "login", status=503))
        with pytest.raises(pe.ServerError):
            c.login("demo", otp)
        c.login("demo", otp)  # the OTP was not burnt by a retry


def test_session_ends_after_90_minutes(service: StandInService, clock: FakeClock) -> None:
    with make_client(service) as c:
        login(c, service)
        assert c.session is not None and c.session.expires_at is not None
        assert (c.session.expires_at - c.session.issued_at).total_seconds() == 90 * 60  # type: ignore[operator]
        clock.advance(89 * 60)
        assert c.inbox()
        clock.advance(60)
        with pytest.raises(pe.SessionExpired) as e:
            c.inbox()
        assert e.value.code == "session_expired"
        assert "90分" in e.value.ja


def test_logout_invalidates_the_token(service: StandInService) -> None:
    with make_client(service) as c:
        login(c, service)
        token = c.token
        c.logout()
        assert c.token is None
    with make_client(service, token=token) as c2:
        with pytest.raises(pe.SessionExpired):
            c2.inbox()


def test_service_hours_are_enforced_and_switchable(tmp_path: Path) -> None:
    saturday = FakeClock(datetime(2024, 5, 25, 10, 0, tzinfo=JST))
    with StandInService(tmp_path / "a", saturday, enforce_hours=True) as svc, make_client(svc) as c:
        assert c.health()["service_open"] is False
        with pytest.raises(pe.ServiceClosed) as e:
            c.request_otp("demo")
        assert "時間外" in e.value.ja
    late = FakeClock(datetime(2024, 5, 24, 20, 0, tzinfo=JST))
    with StandInService(tmp_path / "b", late, enforce_hours=False) as svc, make_client(svc) as c:
        login(c, svc)
        assert c.inbox()


def test_session_closes_with_the_service_day(service: StandInService, clock: FakeClock) -> None:
    clock.set(datetime(2024, 5, 24, 19, 30, tzinfo=JST))
    with make_client(service) as c:
        login(c, service)
        clock.advance(31 * 60)
        with pytest.raises(pe.ServiceClosed):
            c.inbox()


def test_multi_establishment_account(service: StandInService, tmp_path: Path) -> None:
    with make_client(service) as multi, make_client(service) as single:
        login(multi, service, "demo")
        login(single, service, "demo0789")
        assert multi.session and multi.session.establishments == ["0123", "0456"]
        assert multi.session.establishment_names["0456"] == "株式会社サンプル商事 大阪支店"
        assert single.session and single.session.establishments == ["0789"]
        docs = multi.inbox()
        assert {d.establishment for d in docs} == {"0123", "0456"}
        assert {d.doc_type for d in docs} == {"決定通知書", "掛金計算書", "納入告知書"}
        assert {d.establishment for d in multi.inbox(establishment="0456")} == {"0456"}
        other = single.inbox()
        assert {d.establishment for d in other} == {"0789"}
        with pytest.raises(pe.Forbidden):
            multi.download(other[0], tmp_path / "dl")
        with pytest.raises(pe.Forbidden):
            multi.inbox(establishment="0789")
        assert not (tmp_path / "dl" / other[0].file_name).exists()


def test_read_flag(client, service: StandInService) -> None:
    docs = client.inbox(unread=True)
    client.mark_read(docs[0])
    assert docs[0].id not in {d.id for d in client.inbox(unread=True)}
    assert docs[0].id in {d.id for d in client.inbox(unread=False)}


def test_unreachable_service_says_check_the_vpn() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    from denshi_client.portal.client import HttpPortalClient

    with HttpPortalClient(f"http://127.0.0.1:{port}/api/v1", retries=1, backoff_s=0.001) as c:
        with pytest.raises(pe.PortalUnreachable) as e:
            c.request_otp("demo")
        assert e.value.ja == "電子連携サービスに接続できません。VPN接続の状態をご確認ください。"
        c.token = "x" * 40
        with pytest.raises(pe.PortalUnreachable):
            c.inbox()  # retried, then reported


def test_token_and_otp_never_reach_the_log(service: StandInService, caplog: pytest.LogCaptureFixture,
                                           tmp_path: Path) -> None:
    from denshi_client.redact import redact

    caplog.set_level(logging.DEBUG)
    with make_client(service) as c:
        login(c, service)
        otp = service.latest_otp("demo")
        docs = c.inbox()
        c.download(docs[0], tmp_path)
        token = c.token
        c.logout()
    assert token and otp
    text = caplog.text
    assert token not in text and otp not in text
    assert token not in redact(f"Authorization: Bearer {token}")
