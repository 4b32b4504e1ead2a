"""Transfers end to end: the real stand-in service over loopback, the real httpx client, real ZIPs,
real SQLite history and the real (file) keyring; the session runs on a fake clock."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.errors import DenshiError, SessionError
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.model import CancelToken
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.portal.standin.faults import Fault
from denshi_client.portal.standin.pdfgen import make_pdf
from denshi_client.portal.standin.server import StandInService
from denshi_client.session import Phase, SessionConfig, SessionDeps, SessionMachine, SessionMode, SessionProfile
from denshi_client.session.transfers import QueueItem, TransferQueue, Transfers
from denshi_client.store.history import History, HistoryQuery
from denshi_client.store.secrets import SecretStore
from denshi_client.vpn.standin import StandInVpnDriver

NOW = datetime(2024, 5, 24, 10, 0, tzinfo=JST)


@dataclass
class World:
    tmp: Path
    clock: FakeClock
    svc: StandInService
    client: HttpPortalClient
    machine: SessionMachine
    profile: SessionProfile
    history: History
    queue: TransferQueue

    def transfers(self) -> Transfers:
        """A fresh Transfers on the same files, as after a restart."""
        return Transfers(gate=self.machine, secrets=SecretStore(), history=self.history, queue=self.queue,
                         cache_dir=self.tmp / "cache", clock=self.clock)

    def rows(self) -> list[tuple[str, str, str]]:
        return [(r.direction, r.result, r.file_name) for r in reversed(self.history.search(HistoryQuery()))]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FakeClock(NOW)
    svc = StandInService(tmp_path / "standin", clock)
    svc.start()
    client = HttpPortalClient(svc.base_url, retries=1, backoff_s=0, sleep=lambda s: None, chunk_size=1024)
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account("denshi-0123", password="pw")
    machine = SessionMachine(SessionDeps(vpn=vpn, portal_for=lambda p: client, run_async=lambda f: f()), clock,
                             SessionConfig(idle_timeout_s=0, enforce_hours=False))
    profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", "denshi-0123", user_id="demo",
                             mode=SessionMode.DIRECT, documents_folder=str(tmp_path / "docs" / "0123"))
    SecretStore().set("e0123", "zip_password", DEMO_ZIP_PASSWORDS["0123"])
    machine.start(profile)
    otp = svc.latest_otp("demo")
    assert otp
    machine.submit_otp(otp)
    assert machine.phase is Phase.READY and machine.portal is client
    history = History(tmp_path / "history.sqlite3", clock=clock)
    w = World(tmp_path, clock, svc, client, machine, profile, history, TransferQueue(tmp_path / "queue.json"))
    yield w
    history.close()
    client.close()
    svc.stop()


def _pdf(path: Path, title: str = "資格取得届") -> Path:
    path.write_bytes(make_pdf(title, ["被保険者 山田 太郎", "資格取得年月日 令和6年5月1日"]))
    return path


def test_inbox_download_decrypts_and_files_everything(world: World) -> None:
    t = world.transfers()
    docs = t.inbox()
    assert docs and {d.establishment for d in docs} <= {"0123", "0456"}
    mine = [d for d in docs if d.establishment == "0123"]
    seen: list[tuple[int, int]] = []
    filed = t.download(world.profile, mine, progress=lambda d, n: seen.append((d, n)))
    assert len(filed) == len(mine)
    for f, doc in zip(filed, mine, strict=True):
        assert f.folder == Path(world.profile.documents_folder) / "受信" / f"{doc.date:%Y}" / f"{doc.date:%Y%m}"
        assert f.files and all(p.is_file() and p.read_bytes().startswith(b"%PDF") for p in f.files)
        assert all(p.name.endswith(".pdf") and "_0123_" in p.name for p in f.files)  # CP932 names decoded too
    assert seen[-1] == (sum(d.size for d in mine), sum(d.size for d in mine))
    assert t.pending() == []
    assert not list((world.tmp / "cache" / "downloads").rglob("*.zip"))  # filed, ZIP dropped
    assert world.rows() == [("receive", "ok", d.file_name) for d in mine]
    after = {d.id: d.unread for d in t.inbox()}
    assert not any(after[d.id] for d in mine)  # marked read
    again = t.download(world.profile, mine[:1])  # same ZIP again: not filed twice
    assert again[0].already_filed and again[0].files == filed[0].files
    assert world.machine.snapshot().throughput_bps is None or world.machine.snapshot().throughput_bps > 0


def test_filed_documents_are_on_disk_before_history_says_saved(world: World, monkeypatch: Any) -> None:
    """fsync of every filed PDF (and of the folder) happens before the history row is closed: a
    power cut must not leave history pointing at empty files whose ZIP was already deleted."""
    import denshi_client.session.filing as tr  # where filed PDFs are flushed

    synced: set[tuple[int, int]] = set()
    real_fsync = os.fsync
    rows_at_pdf_sync: list[list[tuple[str, str, str]]] = []

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        synced.add((st.st_dev, st.st_ino))
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".pdf"):
            rows_at_pdf_sync.append(world.rows())
        real_fsync(fd)

    monkeypatch.setattr(tr.os, "fsync", fsync)
    t = world.transfers()
    mine = [d for d in t.inbox() if d.establishment == "0123"][:2]
    filed = t.download(world.profile, mine)
    for f in filed:
        for p in f.files:
            st = p.stat()
            assert (st.st_dev, st.st_ino) in synced
        st = f.folder.stat()
        assert (st.st_dev, st.st_ino) in synced
    assert rows_at_pdf_sync and ("receive", "ok", mine[0].file_name) not in rows_at_pdf_sync[0]


def test_interrupted_download_is_listed_and_resumed(world: World) -> None:
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    world.svc.faults.add(Fault("reset", "download", times=-1, after_bytes=0))  # no progress: the client gives up
    with pytest.raises(DenshiError):
        t.download(world.profile, [doc])
    world.svc.faults.clear()
    t2 = world.transfers()  # the app restarted
    [item] = t2.pending()
    assert item.kind == "download" and item.state == "interrupted" and item.error_ja
    assert world.rows() == [("receive", "failed", doc.file_name)]
    filed = t2.resume(world.profile, item)
    assert filed.files and t2.pending() == []  # type: ignore[union-attr]
    assert world.rows() == [("receive", "failed", doc.file_name), ("receive", "ok", doc.file_name)]


def test_cancelled_download_can_be_resumed(world: World) -> None:
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    world.svc.faults.add(Fault("slow", "download", times=1, rate_bps=max(doc.size, 2048)))
    token = CancelToken()
    token.cancel()
    with pytest.raises(DenshiError) as ei:
        t.download(world.profile, [doc], cancel=token)
    assert ei.value.code == "cancelled"
    world.svc.faults.clear()
    [item] = t.pending()
    assert item.state == "cancelled"
    t.resume(world.profile, item)
    assert t.pending() == []
    assert [r[1] for r in world.rows()] == ["cancelled", "ok"]


def test_wrong_zip_password_is_reported_and_kept(world: World) -> None:
    SecretStore().set("e0123", "zip_password", "not-the-password")
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    with pytest.raises(DenshiError) as ei:
        t.download(world.profile, [doc])
    assert "パスワード" in ei.value.ja
    assert t.pending() == []  # nothing to fetch again: the verified ZIP is held until a password opens it
    [item] = t.held()
    assert item.state == "held"
    assert world.rows() == [("receive", "failed", doc.file_name)]
    t.open_held(world.profile, item, DEMO_ZIP_PASSWORDS["0123"])
    assert t.held() == [] and world.rows()[-1][1] == "ok"


def test_upload_copies_names_packs_sends_and_files(world: World) -> None:
    src = _pdf(world.tmp / "scan 0001.pdf")
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    t = world.transfers()
    item = t.prepare_upload(world.profile, src, form_name="資格取得届", filing_date="令和6年5月24日")
    assert item.file_name == "20240524_0123_資格取得届.pdf"
    assert [i.id for i in t.pending()] == [item.id]
    result = t.upload(world.profile, item, progress=lambda d, n: None)
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before  # the source is never touched
    assert src.exists()
    assert result.receipt.client_id == item.id and result.receipt.sha256 == item.sha256
    [rec] = [r for r in world.svc.upload_records() if r.client_id == item.id]
    assert rec.status == "received" and rec.form_name == "資格取得届" and rec.establishment == "0123"
    assert result.filed_copy is not None
    assert result.filed_copy == Path(world.profile.documents_folder) / "送信" / "2024" / "202405" / item.file_name
    assert result.filed_copy.read_bytes() == before[0]
    assert t.pending() == []
    [row] = world.history.search(HistoryQuery())
    assert (row.direction, row.result, row.server_id) == ("send", "ok", rec.server_id)


def test_upload_retry_after_a_cut_reuses_the_client_id(world: World) -> None:
    t = world.transfers()
    item = t.prepare_upload(world.profile, _pdf(world.tmp / "a.pdf"), form_name="資格喪失届",
                            filing_date="2024-05-24")
    world.svc.faults.add(Fault("reset", "upload", times=-1, after_bytes=100))
    with pytest.raises(DenshiError):
        t.upload(world.profile, item)
    world.svc.faults.clear()
    [again] = world.transfers().pending()  # after a restart
    assert isinstance(again, QueueItem) and again.id == item.id and again.state == "interrupted"
    # The first retry reached the service but the app crashed before it could note the receipt ...
    world.client.upload(Path(again.zip_path), form_name=again.form_name, establishment="0123", client_id=again.id)
    # ... so the next start retries once more, with the same id: the service answers with the same receipt.
    result = world.transfers().resume(world.profile, again)
    assert result.receipt.client_id == item.id  # type: ignore[union-attr]
    assert world.transfers().pending() == []
    assert [r.client_id for r in world.svc.upload_records() if r.status == "received"].count(item.id) == 1


def test_transfers_refused_without_time_or_session(world: World) -> None:
    t = world.transfers()
    docs = t.inbox()
    big = docs[0].__class__(**{**docs[0].__dict__, "size": 50 * 1024**3})
    with pytest.raises(SessionError) as ei:
        t.download(world.profile, [big])
    assert ei.value.code == "no_time" and "残り時間" in ei.value.ja
    assert world.history.search(HistoryQuery()) == []
    world.machine.end()
    with pytest.raises(SessionError):
        t.inbox()


def test_browser_mode_upload_goes_to_the_upload_ready_folder(world: World) -> None:
    from dataclasses import replace

    prof = replace(world.profile, mode=SessionMode.BROWSER, upload_folder=str(world.tmp / "送信準備"))
    t = world.transfers()
    item = t.prepare_upload(prof, _pdf(world.tmp / "b.pdf"), form_name="資格取得届", filing_date="2024-05-24")
    ready = Path(item.zip_path)
    assert ready.parent == world.tmp / "送信準備" and ready.name == "20240524_0123_資格取得届.zip"
    assert hashlib.sha256(ready.read_bytes()).hexdigest() == item.sha256
    assert t.pending() == []
    assert world.rows() == [("send", "ok", "20240524_0123_資格取得届.pdf")]


def test_session_end_stops_a_running_download_cleanly(world: World) -> None:
    import threading

    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    world.svc.faults.add(Fault("slow", "download", times=-1, rate_bps=1024))  # a long download
    started = threading.Event()
    errors: list[DenshiError] = []

    def work() -> None:
        try:
            t.download(world.profile, [doc], progress=lambda d, n: started.set())
        except DenshiError as e:
            errors.append(e)

    worker = threading.Thread(target=work)
    worker.start()
    assert started.wait(30)
    world.machine.end()  # e.g. the 90-minute end arrives mid-transfer
    worker.join(30)
    assert not worker.is_alive()
    assert errors and errors[0].code == "cancelled"
    assert world.machine.phase is Phase.ENDED
    [item] = t.pending()
    assert item.state == "cancelled"  # listed, resumable in the next session
    assert world.rows() == [("receive", "cancelled", doc.file_name)]


def test_related_establishment_documents_go_to_their_own_folder(world: World) -> None:
    """複数事業所管理: the login 'demo' sees 0123 and 0456; each has its own folder and ZIP password."""
    from dataclasses import replace

    other = replace(world.profile, id="e0456", establishment="0456", name="株式会社サンプル商事 大阪支店",
                    documents_folder=str(world.tmp / "docs" / "0456"))
    SecretStore().set("e0456", "zip_password", DEMO_ZIP_PASSWORDS["0456"])
    t = world.transfers()
    t.profile_for_establishment = lambda est: other if est == "0456" else None
    docs = [d for d in t.inbox() if d.establishment == "0456"][:1]
    [filed] = t.download(world.profile, docs)
    assert filed.folder.is_relative_to(world.tmp / "docs" / "0456" / "受信")
    [row] = world.history.search(HistoryQuery())
    assert (row.establishment, row.profile_id, row.result) == ("0456", "e0456", "ok")
    t.profile_for_establishment = None  # without a profile: a sibling folder, this login's password
    assert t.owner_of(world.profile, "0789").documents_folder == str(world.tmp / "docs" / "0789")


class _Crash(BaseException):
    """Stands for the process dying mid-transfer: nothing of ours runs after it."""


def test_crash_mid_download_leaves_a_pending_row_that_the_resume_completes(world: World) -> None:
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")

    def die(done: int, total: int) -> None:
        raise _Crash

    with pytest.raises(_Crash):
        t.download(world.profile, [doc], progress=die)
    [row] = world.history.search(HistoryQuery())
    assert row.result == "pending"  # visible in the history as 未完了
    [item] = world.transfers().pending()  # the next start lists it
    assert item.state == "running" and item.history_id == row.id
    world.transfers().resume(world.profile, item)
    assert [(r.id, r.result) for r in world.history.search(HistoryQuery())] == [(row.id, "ok")]


# ----- the service drops the login mid-visit (restart, early expiry): end the visit, lose nothing


def _vpn_up(world: World) -> bool:
    return bool(world.machine.deps.vpn.connected_accounts())  # type: ignore[attr-defined]


def _assert_ended_for_lost_login(world: World) -> None:
    from denshi_client.session import EndCause

    snap = world.machine.snapshot()
    assert snap.phase is Phase.ENDED and snap.end_cause is EndCause.LOGIN_LOST
    assert snap.end_message_ja == EndCause.LOGIN_LOST.message_ja and snap.error is None
    assert not _vpn_up(world) and world.machine.portal is None


def _visit_again(world: World) -> None:
    world.machine.start(world.profile)
    otp = world.svc.latest_otp("demo")
    assert otp
    world.machine.submit_otp(otp)
    assert world.machine.phase is Phase.READY


def test_lost_login_on_the_inbox_ends_the_visit(world: World) -> None:
    t = world.transfers()
    assert t.inbox()
    assert _vpn_up(world)
    world.svc.faults.add(Fault("expire", "inbox"))  # the service forgot every login
    with pytest.raises(SessionError) as ei:
        t.inbox()
    assert ei.value.code == "login_lost" and "ログインが無効" in ei.value.ja and ei.value.hint_ja
    _assert_ended_for_lost_login(world)
    assert world.client.token  # no logout was tried with the dead token
    with pytest.raises(SessionError) as again:
        t.inbox()
    assert again.value.code == "not_ready"


def test_lost_login_on_a_download_keeps_it_resumable(world: World) -> None:
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    world.svc.faults.add(Fault("expire", "download"))
    with pytest.raises(SessionError) as ei:
        t.download(world.profile, [doc])
    assert ei.value.code == "login_lost"
    _assert_ended_for_lost_login(world)
    [item] = world.transfers().pending()  # listed for the next visit
    assert item.kind == "download" and item.state == "interrupted" and item.error_ja == ei.value.ja
    assert world.rows() == [("receive", "failed", doc.file_name)]
    _visit_again(world)
    filed = world.transfers().resume(world.profile, item)
    assert filed.files and all(p.read_bytes().startswith(b"%PDF") for p in filed.files)  # type: ignore[union-attr]
    assert world.transfers().pending() == [] and world.rows()[-1] == ("receive", "ok", doc.file_name)


def test_lost_login_on_upload_keeps_the_client_id_and_sends_once(world: World) -> None:
    t = world.transfers()
    item = t.prepare_upload(world.profile, _pdf(world.tmp / "c.pdf"), form_name="資格取得届",
                            filing_date="2024-05-24")
    world.svc.faults.add(Fault("expire", "any"))
    with pytest.raises(SessionError) as ei:
        t.upload(world.profile, item)
    assert ei.value.code == "login_lost"
    _assert_ended_for_lost_login(world)
    [again] = world.transfers().pending()
    assert again.id == item.id and again.state == "interrupted" and Path(again.zip_path).is_file()
    assert world.rows() == [("send", "failed", item.file_name)]
    _visit_again(world)
    result = world.transfers().resume(world.profile, again)
    assert result.receipt.client_id == item.id  # type: ignore[union-attr]
    assert world.transfers().pending() == []
    assert [r.client_id for r in world.svc.upload_records() if r.status == "received"].count(item.id) == 1


def test_queue_states_are_an_enum_and_an_old_queue_file_still_loads(tmp_path: Path) -> None:
    """The states were plain strings on disk; they still are (StrEnum), and old files load as enums."""
    import json

    from denshi_client.session.transfers import TransferState

    path = tmp_path / "queue.json"
    old = {"id": "u1", "kind": "upload", "profile_id": "p", "establishment": "0123", "file_name": "a.pdf",
           "state": "interrupted"}
    path.write_text(json.dumps({"items": {"u1": old}, "filed": {}}), encoding="utf-8")
    q = TransferQueue(path)
    item = q.items()[0]
    assert item.state is TransferState.INTERRUPTED and item.resumable
    item.state = TransferState.CANCELLED
    q.put(item)
    assert json.loads(path.read_text(encoding="utf-8"))["items"]["u1"]["state"] == "cancelled"
    assert q.get("u1").state is TransferState.CANCELLED  # type: ignore[union-attr]
    assert {s.value for s in TransferState} == {"ready", "prepared", "running", "interrupted", "failed",
                                                "cancelled", "held", "done"}


@pytest.mark.parametrize("est", ["../../../evil", "..", "/abs", "C:\\x", "CON", "0123/../../x", "nul.", " "])
def test_a_hostile_establishment_never_leads_outside_the_documents_tree(world: World, est: str) -> None:
    """The establishment a server sends becomes a folder name: it passes the Windows file-name policy."""
    from dataclasses import replace
    from datetime import date

    from denshi_client.documents import naming

    t = world.transfers()
    docs = world.tmp / "docs"
    owner = t.owner_of(world.profile, est)
    folder = Path(owner.documents_folder)
    assert folder.parent == docs and naming.is_windows_safe(folder.name), folder
    assert os.path.abspath(t.folder_for(owner, "receive", date(2024, 5, 24))).startswith(str(folder) + os.sep)
    t.documents_root = world.tmp / "root"  # no documents folder set: <root>/<establishment>
    bare = t.owner_of(replace(world.profile, documents_folder=""), est)
    where = Path(os.path.abspath(t.folder_for(bare, "receive", date(2024, 5, 24))))
    assert where.parents[3] == world.tmp / "root" and naming.is_windows_safe(where.parents[2].name), where
