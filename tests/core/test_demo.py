"""Demo mode end to end: the real stand-in service and VPN, the same AppServices as the app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.demo import DemoEnvironment
from denshi_client.session import EndCause, Phase, SessionMode
from denshi_client.store.history import HistoryQuery


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoEnvironment]:
    before = os.environ.get("DENSHI_CLIENT_HOME")
    env = DemoEnvironment.start(None, home=tmp_path / "demo", browser_delay_s=0, run_async=lambda f: f(),
                                open_url=lambda url: pytest.fail(f"a real browser was opened: {url}"))
    yield env
    env.services.machine.end(EndCause.QUIT)
    env.stop()
    assert os.environ.get("DENSHI_CLIENT_HOME") == before  # the user's own folders come back


def test_demo_profiles_and_hint(demo: DemoEnvironment) -> None:
    profiles = {p.id: p for p in demo.services.profiles_for_ui()}
    assert set(profiles) == {"demo-0123", "demo-0456", "demo-0789"}
    assert profiles["demo-0456"].vpn_account == profiles["demo-0123"].vpn_account  # one login sees both
    assert profiles["demo-0123"].mode is SessionMode.DIRECT
    assert profiles["demo-0789"].mode is SessionMode.BROWSER
    assert Path(profiles["demo-0789"].download_dir) == demo.download_dir
    assert "デモモード" in demo.hint_ja and "Demo mode" in demo.hint_en
    assert demo.services.recovery_check() == []


def test_direct_mode_visit(demo: DemoEnvironment) -> None:
    m = demo.services.machine
    m.start(demo.services.session_profile("demo-0123"))
    otp = demo.demo_otp()
    assert otp and len(otp) == 6
    assert demo.otp_hint_ja() == f"デモ: ワンタイムパスワードは {otp} です"
    m.submit_otp(otp)
    assert m.phase is Phase.READY
    docs = [d for d in demo.services.transfers.inbox() if d.establishment == "0123"]
    filed = demo.services.transfers.download(demo.services.session_profile("demo-0123"), docs[:2])
    assert all(f.files for f in filed)
    m.end()
    snap = m.snapshot()
    assert snap.phase is Phase.ENDED and snap.internet is not None and snap.internet.ok
    assert demo.driver.connected_accounts() == []  # type: ignore[attr-defined]


def test_browser_mode_visit_files_what_the_demo_browser_downloads(demo: DemoEnvironment) -> None:
    m = demo.services.machine
    prof = demo.services.session_profile("demo-0789")
    root = demo.service.base_url.split("/api/")[0]  # type: ignore[attr-defined]
    assert prof.auth_url == f"{root}/web/login"  # the stand-in's real web UI, as in the embedded page
    assert prof.otp_url == f"{root}/web/otp?user_id=demo0789"
    assert demo.simulates(prof.otp_url) and not demo.simulates(prof.auth_url)
    m.start(prof)
    assert demo.demo_otp() is not None  # the demo's OTP page requested one
    m.submit_otp(None)
    assert m.phase is Phase.READY
    assert any(demo.download_dir.glob("*.zip"))
    for _ in range(3):
        m.tick()
    filed = demo.services.browser.filed
    assert filed and all(f.files for f in filed)
    assert all("受信" in str(f.folder) for f in filed)
    rows = demo.services.history.search(HistoryQuery())
    assert rows and {r.mode for r in rows} == {"browser"} and {r.result for r in rows} == {"ok"}


def test_accelerated_clock_shows_the_90_minute_end(tmp_path: Path) -> None:
    base = FakeClock(datetime(2024, 5, 24, 9, 0, tzinfo=JST))
    env = DemoEnvironment.start(90, home=tmp_path / "demo", base_clock=base, browser_delay_s=0,
                                run_async=lambda f: f())
    try:
        m = env.services.machine
        m.start(env.services.session_profile("demo-0123"))
        m.submit_otp(env.demo_otp())
        warnings: list[int] = []
        m.add_listener(lambda ev: warnings.append(ev.minutes_left or 0) if ev.kind == "warning" else None)
        seconds = 0
        while m.phase is Phase.READY and seconds < 120:
            base.advance(0.5)  # half a real second = 45 demo seconds
            seconds += 1
            m.tick()
        assert m.snapshot().end_cause is EndCause.LIMIT
        assert seconds / 2 < 60  # the 88-minute mark in under a real minute
        assert warnings == [15, 5, 1]
    finally:
        env.stop()


def test_demo_reads_the_otp_mail_through_the_mail_interface(demo: DemoEnvironment) -> None:
    """The stand-in delivers into a Maildir; the same waiter/recogniser as for IMAP finds the code."""
    from datetime import UTC, datetime

    from denshi_client.mail.otp import wait_for_otp

    since = datetime.now(UTC)
    demo.service.request_otp("demo")  # type: ignore[attr-defined]
    hit = wait_for_otp(demo.mail_source(), demo.otp_rule(), since, 10.0)
    assert hit.otp == demo.service.latest_otp("demo")  # type: ignore[attr-defined]
    assert hit.from_addr == "no-reply@standin.invalid"
    assert demo.demo_otp("demo") == hit.otp
    assert list((demo.mail_source().root / "new").iterdir())  # delivered into new/, left there
