"""Receiving without duplicates and without losing a ZIP to a wrong password (issue 14, items 5 and 6).

The real stand-in service on 127.0.0.1, real ZIPs, real SQLite history and the real (file) keyring.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.core.test_browser_mode import PASSWORD, Browser, make_zip
from tests.core.test_transfers import World, world  # noqa: F401  (the fixture)

from denshi_client.errors import DenshiError
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.session import Phase
from denshi_client.session.transfers import TransferQueue, Transfers
from denshi_client.store.history import HistoryQuery
from denshi_client.store.secrets import SecretStore


def _without_filed_index(w: World) -> Transfers:
    """The same files but a fresh queue (a damaged queue file is started anew): no filed index."""
    return Transfers(gate=w.machine, secrets=SecretStore(), history=w.history,
                     queue=TransferQueue(w.tmp / "other-queue.json"), cache_dir=w.tmp / "cache", clock=w.clock)


def _pdfs(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pdf"))


def test_new_only_download_skips_saved_ones(world: World) -> None:  # noqa: F811
    t = world.transfers()
    mine = [d for d in t.inbox() if d.establishment == "0123"]
    assert len(mine) >= 2
    [first] = t.download(world.profile, mine[:1])
    assert t.saved(mine[0]) == first.files and t.saved(mine[1]) is None
    world.svc.faults.clear()
    rest = t.download(world.profile, mine, only_new=True)
    assert [f.doc_id for f in rest] == [d.id for d in mine[1:]]  # the saved one was not fetched again
    assert [r for r in world.rows() if r[2] == mine[0].file_name] == [("receive", "ok", mine[0].file_name)]
    assert t.download(world.profile, mine, only_new=True) == []
    # The filed index lost (a damaged queue file): the history still knows what was saved.
    t2 = _without_filed_index(world)
    assert all(t2.saved(d) is not None for d in mine)
    assert t2.download(world.profile, mine, only_new=True) == []


def test_the_same_sha256_filed_twice_gives_one_file(world: World) -> None:  # noqa: F811
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    [first] = t.download(world.profile, [doc])
    before = _pdfs(Path(world.profile.documents_folder))
    # Downloaded again on purpose, with the filed index gone: still no second copy.
    t2 = _without_filed_index(world)
    [again] = t2.download(world.profile, [doc])
    assert _pdfs(Path(world.profile.documents_folder)) == before
    assert again.already_filed and again.files == first.files
    assert "保存済みです" in again.message_ja and str(first.files[0]) in again.message_ja


def test_browser_mode_files_the_same_document_once(br: Browser) -> None:
    br.connect()
    (br.downloads / "20240524_0123_掛金計算書.zip").write_bytes(make_zip(br.src, "掛金計算書"))
    br.tick(3)
    # The same PDF again, packed anew (another salt: another ZIP digest), downloaded a second time.
    (br.downloads / "20240524_0123_掛金計算書 (1).zip").write_bytes(make_zip(br.src, "掛金計算書"))
    br.tick(3)
    assert br.kinds() == ["filed", "filed"]
    assert len(br.received()) == 1
    assert br.mode.filed[1].already_filed and br.mode.filed[1].files == br.received()


@pytest.fixture
def br(tmp_path: Path) -> Browser:
    b = Browser(tmp_path)
    yield b  # type: ignore[misc]
    b.history.close()


def test_wrong_password_keeps_the_zip_and_opens_offline(world: World) -> None:  # noqa: F811
    secrets = SecretStore()
    secrets.set("e0123", "zip_password", "not-the-password")
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    with pytest.raises(DenshiError) as ei:
        t.download(world.profile, [doc])
    assert ei.value.code == "wrong_password"
    assert "0123" in ei.value.ja and doc.title in ei.value.ja and "パスワードを入力して開く" in ei.value.ja
    [held] = t.held("e0123")
    zip_path = Path(held.zip_path)
    holding = Path(world.profile.documents_folder) / "受信" / "未開封"
    assert zip_path.parent == holding and zip_path.is_file()
    assert t.pending("e0123") == []  # nothing to fetch again: no "続きから受信します"
    assert t.held("e9999") == []
    [note] = t.notices("e0123")
    assert "0123" in note.ja and f"「{doc.title}」" in note.ja and "ZIPのパスワードが違う" in note.ja
    assert t.notices("e9999") == []

    world.machine.end()  # the visit is over: everything below is offline
    assert world.machine.phase is Phase.ENDED
    off = world.transfers()
    with pytest.raises(DenshiError) as again:
        off.open_held(world.profile, held, "still-wrong")
    assert again.value.code in ("wrong_password", "corrupt") and zip_path.is_file() and off.held("e0123")
    filed = off.open_held(world.profile, held, DEMO_ZIP_PASSWORDS["0123"], remember=True)
    assert filed.files and all(p.read_bytes().startswith(b"%PDF") for p in filed.files)
    assert filed.folder == Path(world.profile.documents_folder) / "受信" / f"{doc.date:%Y}" / f"{doc.date:%Y%m}"
    assert not zip_path.exists() and off.held("e0123") == [] and off.notices("e0123") == []
    assert secrets.get("e0123", "zip_password") == DEMO_ZIP_PASSWORDS["0123"]
    assert world.rows()[-1] == ("receive", "ok", doc.file_name)
    assert off.saved(doc) == filed.files


def test_offline_open_without_remembering_keeps_the_stored_password(world: World) -> None:  # noqa: F811
    SecretStore().set("e0123", "zip_password", "not-the-password")
    t = world.transfers()
    doc = next(d for d in t.inbox() if d.establishment == "0123")
    with pytest.raises(DenshiError):
        t.download(world.profile, [doc])
    [held] = t.held()
    t.open_held(world.profile, held, DEMO_ZIP_PASSWORDS["0123"], remember=False)
    assert SecretStore().get("e0123", "zip_password") == "not-the-password"


def test_browser_mode_wrong_password_is_held_for_offline_opening(br: Browser) -> None:
    br.connect()
    bad = br.downloads / "20240524_0123_掛金計算書.zip"
    bad.write_bytes(make_zip(br.src, "掛金計算書", password="something-else"))
    br.tick(3)
    assert br.kinds() == ["failed"]
    [held] = br.transfers.held("e0123")
    assert bad.is_file()  # the download folder is never touched
    assert Path(held.zip_path).read_bytes() == bad.read_bytes()
    [note] = br.transfers.notices("e0123")
    assert "0123" in note.ja and "20240524_0123_掛金計算書" in note.ja
    br.machine.end()
    filed = br.transfers.open_held(replace(br.profile), held, "something-else")
    assert len(filed.files) == 1 and br.transfers.held() == []
    rows = [(r.result, r.mode) for r in reversed(br.history.search(HistoryQuery()))]
    assert rows == [("failed", "browser"), ("ok", "browser")]
    assert PASSWORD  # the stored one stays as it was
