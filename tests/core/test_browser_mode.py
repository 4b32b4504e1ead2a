"""Browser mode with a real folder receiving files the way browsers write them."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.documents.archive import ZipFormat, pack
from denshi_client.portal.standin.pdfgen import make_pdf
from denshi_client.session import Phase, SessionConfig, SessionDeps, SessionMachine, SessionMode, SessionProfile
from denshi_client.session.browser_mode import BrowserEvent, BrowserMode, DownloadWatcher
from denshi_client.session.transfers import TransferQueue, Transfers
from denshi_client.store.history import History, HistoryQuery
from denshi_client.store.secrets import SecretStore
from denshi_client.vpn.standin import StandInVpnDriver

PASSWORD = "Sample0123-Shoji"
NOW = datetime(2024, 5, 24, 10, 0, tzinfo=JST)


def make_zip(tmp: Path, name: str, *, password: str = PASSWORD, fmt: ZipFormat = ZipFormat.AES256) -> bytes:
    pdf = tmp / f"{name}.pdf"
    pdf.write_bytes(make_pdf("掛金計算書", ["令和6年5月分", "株式会社サンプル商事 本社"]))
    out = tmp / f"{name}.zip"
    pack([pdf], out, password, fmt=fmt, arcnames=[f"20240524_0123_{name}.pdf"])
    return out.read_bytes()


class Browser:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.downloads = tmp / "Downloads"
        self.downloads.mkdir()
        self.src = tmp / "src"
        self.src.mkdir()
        (self.downloads / "old-download.zip").write_bytes(make_zip(self.src, "old"))  # before the session
        self.clock = FakeClock(NOW)
        self.vpn = StandInVpnDriver(self.clock, connect_delay_s=0)
        self.vpn.add_account("denshi-0123", password="pw")
        self.opened: list[str] = []
        self.machine = SessionMachine(SessionDeps(vpn=self.vpn, open_url=self.opened.append,
                                                  run_async=lambda f: f()),
                                      self.clock, SessionConfig(idle_timeout_s=0, enforce_hours=False))
        self.history = History(tmp / "history.sqlite3", clock=self.clock)
        self.transfers = Transfers(gate=self.machine, secrets=SecretStore(), history=self.history,
                                   queue=TransferQueue(tmp / "queue.json"), cache_dir=tmp / "cache", clock=self.clock)
        self.mode = BrowserMode(self.machine, self.transfers, self.clock)
        self.events: list[BrowserEvent] = []
        self.mode.add_listener(self.events.append)
        self.profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", "denshi-0123",
                                      mode=SessionMode.BROWSER, auth_url="https://service.example/auth",
                                      download_dir=str(self.downloads), documents_folder=str(tmp / "docs" / "0123"))
        SecretStore().set("e0123", "zip_password", PASSWORD)

    def connect(self) -> None:
        self.machine.start(self.profile)
        self.machine.submit_otp(None)
        assert self.machine.phase is Phase.READY and self.opened == ["https://service.example/auth"]
        assert self.mode.watching == self.downloads

    def tick(self, n: int = 1) -> None:
        for _ in range(n):
            self.clock.advance(1)
            self.machine.tick()

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events if e.kind in ("filed", "failed")]

    def received(self) -> list[Path]:
        return sorted((self.tmp / "docs" / "0123" / "受信").rglob("*.pdf"))


@pytest.fixture
def br(tmp_path: Path) -> Browser:
    b = Browser(tmp_path)
    yield b  # type: ignore[misc]
    b.history.close()


def test_chrome_style_download_is_filed_once_complete(br: Browser) -> None:
    br.connect()
    data = make_zip(br.src, "掛金計算書")
    part = br.downloads / "20240524_0123_掛金計算書.zip.crdownload"
    with open(part, "wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
        br.tick(3)
        assert br.kinds() == []  # still downloading
        f.write(data[len(data) // 2:])
    br.tick(2)
    assert br.kinds() == []
    part.rename(br.downloads / "20240524_0123_掛金計算書.zip")
    br.tick()
    assert br.kinds() == []  # seen once: size not yet confirmed stable
    br.tick()
    assert br.kinds() == ["filed"]
    [pdf] = br.received()
    assert pdf.parent == br.tmp / "docs" / "0123" / "受信" / "2024" / "202405"
    assert pdf.name == "20240524_0123_掛金計算書.pdf" and pdf.read_bytes().startswith(b"%PDF")
    [row] = br.history.search(HistoryQuery())
    assert (row.direction, row.result, row.mode) == ("receive", "ok", "browser")
    br.tick(5)
    assert br.kinds() == ["filed"]  # once only; the old download was never touched
    assert (br.downloads / "old-download.zip").exists() and (br.downloads / "20240524_0123_掛金計算書.zip").exists()


def test_growing_file_waits_until_its_size_is_stable(br: Browser) -> None:
    br.connect()
    data = make_zip(br.src, "納入告知書", fmt=ZipFormat.ZIPCRYPTO)
    target = br.downloads / "notice.zip"
    with open(target, "wb") as f:  # a browser writing in place, without a temporary name
        f.write(data[:100])
        f.flush()
        br.tick()
        f.write(data[100:400])
        f.flush()
        br.tick()
        assert br.kinds() == []
        f.write(data[400:])
    br.tick()
    assert br.kinds() == []
    br.tick()
    assert br.kinds() == ["filed"]


def test_firefox_placeholder_and_part_file(br: Browser) -> None:
    br.connect()
    data = make_zip(br.src, "決定通知書")
    final = br.downloads / "decision.zip"
    final.write_bytes(b"")  # Firefox: an empty placeholder ...
    (br.downloads / "decision.zip.part").write_bytes(data[:50])  # ... plus the data in .part
    br.tick(4)
    assert br.kinds() == []
    (br.downloads / "decision.zip.part").write_bytes(data)
    os.replace(br.downloads / "decision.zip.part", final)
    br.tick(2)
    assert br.kinds() == ["filed"]


def test_wrong_password_and_other_files(br: Browser) -> None:
    br.connect()
    (br.downloads / "bad.zip").write_bytes(make_zip(br.src, "bad", password="something-else"))
    (br.downloads / "notes.txt").write_text("not for us", encoding="utf-8")
    br.tick(3)
    assert br.kinds() == ["failed"]
    assert br.events[-1].error is not None and "パスワード" in br.events[-1].error.ja
    [row] = br.history.search(HistoryQuery())
    assert row.result == "failed"
    br.tick(3)
    assert br.kinds() == ["failed"]  # not retried in a loop


def test_watching_stops_with_the_session(br: Browser) -> None:
    br.connect()
    br.machine.end()
    assert br.mode.watching is None
    (br.downloads / "late.zip").write_bytes(make_zip(br.src, "late"))
    br.tick(3)
    assert br.kinds() == []


def test_no_download_folder_means_nothing_to_watch(br: Browser) -> None:
    br.machine.start(replace(br.profile, download_dir=""))
    br.machine.submit_otp(None)
    assert br.mode.watching is None  # nothing watched, the session itself is fine
    assert br.machine.phase is Phase.READY


def test_watcher_alone(tmp_path: Path) -> None:
    w = DownloadWatcher(tmp_path / "missing")
    assert w.poll() == []  # a missing folder is not an error
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / "a.ZIP").write_bytes(b"PK")
    assert w.poll() == []
    assert w.poll() == [tmp_path / "missing" / "a.ZIP"]
    assert w.poll() == []


def test_a_file_locked_for_a_moment_is_tried_again(br: Browser) -> None:
    """Windows: a virus scanner may hold a fresh download open; the filing waits and retries."""
    real = br.transfers.file_zip
    calls: list[Path] = []

    def locked_once(profile, path, **kw):  # type: ignore[no-untyped-def]
        calls.append(path)
        if len(calls) == 1:
            raise PermissionError(13, "The process cannot access the file", str(path))
        return real(profile, path, **kw)

    br.transfers.file_zip = locked_once  # type: ignore[method-assign]
    br.connect()
    (br.downloads / "scanned.zip").write_bytes(make_zip(br.src, "scanned"))
    br.tick(2)
    assert br.kinds() == [] and len(calls) == 1
    br.tick(2)
    assert br.kinds() == ["filed"] and len(calls) == 2
