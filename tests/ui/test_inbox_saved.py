"""The inbox on the real widgets (issue 14, items 5 and 6): the 保存 column, 「新着をダウンロード」 as the
default, no duplicates, a wrong ZIP password opened offline, and a start-up banner that names the
establishment and the document. Real stand-in service, real ZIPs, SQLite and the file keyring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.session import Phase
from denshi_client.store.secrets import SecretStore
from tests.ui.conftest import World, connect


def _saved_column(inbox: Any) -> int:
    t = inbox.table
    [col] = [c for c in range(t.columnCount()) if t.horizontalHeaderItem(c).text() == "保存"]
    return col


def _rows(inbox: Any) -> dict[str, str]:
    """title -> 保存 column, for this establishment's rows."""
    t, col = inbox.table, _saved_column(inbox)
    return {t.item(r, 2).text(): t.item(r, col).text() for r in range(t.rowCount()) if t.item(r, 3).text() == "0123"}


def test_saved_column_and_new_only_download(qtbot: Any, window: Any, world: World) -> None:
    w = window
    inbox = w.inbox
    _saved_column(inbox)
    assert inbox.download_new_button.text().startswith("新着をダウンロード") and inbox.download_new_button.isDefault()
    connect(qtbot, w, world)
    qtbot.waitUntil(lambda: inbox.table.rowCount() > 0, timeout=10000)
    t = world.services.transfers
    mine = [d for d in t.inbox() if d.establishment == "0123"]
    [first] = t.download(world.services.profiles[0], mine[:1])  # saved earlier (e.g. by the CLI)
    inbox.refresh()
    qtbot.waitUntil(lambda: _rows(inbox).get(mine[0].title) == "保存済み", timeout=10000)
    assert sorted(_rows(inbox).values()) == ["保存済み"] + ["未保存"] * (len(mine) - 1)
    assert f"未保存 {len(mine) - 1}件" in inbox.summary.text()

    with qtbot.waitSignal(inbox.downloaded, timeout=30000) as got:
        qtbot.mouseClick(inbox.download_new_button, Qt.MouseButton.LeftButton)
    assert sorted(f.doc_id for f in got.args[0]) == sorted(d.id for d in mine[1:])  # the saved one is not fetched
    qtbot.waitUntil(lambda: set(_rows(inbox).values()) == {"保存済み"}, timeout=10000)
    qtbot.waitUntil(lambda: not inbox.download_new_button.isEnabled(), timeout=5000)  # nothing new left
    count = inbox.filed.count()

    # The saved one again, chosen on purpose: fetched, but not filed twice, and the user is told where it is.
    row = next(r for r in range(inbox.table.rowCount()) if inbox.table.item(r, 2).text() == mine[0].title
               and inbox.table.item(r, 3).text() == "0123")
    inbox.table.selectRow(row)
    qtbot.waitUntil(lambda: inbox.download_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(inbox.downloaded, timeout=20000) as again:
        qtbot.mouseClick(inbox.download_button, Qt.MouseButton.LeftButton)
    assert again.args[0][0].already_filed
    assert "保存済みです" in inbox.message.text() and str(first.files[0]) in inbox.message.text()
    assert inbox.filed.count() == count + len(first.files)  # saved outside this window: listed once now
    inbox.table.selectRow(row)
    qtbot.waitUntil(lambda: inbox.download_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(inbox.downloaded, timeout=20000):
        qtbot.mouseClick(inbox.download_button, Qt.MouseButton.LeftButton)
    assert inbox.filed.count() == count + len(first.files)  # and never twice
    assert len(list(Path(world.services.profiles[0].documents_folder).rglob("*.pdf"))) == inbox.filed.count()


def test_wrong_password_is_opened_offline_from_the_inbox(qtbot: Any, window: Any, world: World) -> None:
    w = window
    inbox = w.inbox
    SecretStore().set("e0123", "zip_password", "not-the-password")
    connect(qtbot, w, world)
    qtbot.waitUntil(lambda: inbox.table.rowCount() > 0 and inbox.download_new_button.isEnabled(), timeout=10000)
    doc = next(d for d in inbox.docs if d.establishment == "0123")
    row = inbox.docs.index(doc)
    inbox.table.selectRow(row)
    qtbot.waitUntil(lambda: inbox.download_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(inbox.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ZIPのパスワードが違う" in inbox.message.text(), timeout=20000)
    assert f"0123 事業所（株式会社サンプル商事 本社）の「{doc.title}」" in inbox.message.text()
    qtbot.waitUntil(lambda: inbox.held_panel.isVisible(), timeout=5000)
    assert f"「{doc.title}」" in inbox.held_text.text() and "0123" in inbox.held_text.text()
    inbox.refresh()
    qtbot.waitUntil(lambda: _rows(inbox).get(doc.title) == "未開封", timeout=10000)

    world.machine.end()  # offline from here on
    qtbot.waitUntil(lambda: world.machine.phase is Phase.ENDED, timeout=10000)
    assert inbox.open_held_button.isEnabled() and inbox.open_held_button.text().startswith("パスワードを入力して開く")
    qtbot.mouseClick(inbox.open_held_button, Qt.MouseButton.LeftButton)
    dlg = inbox.password_dialog
    assert dlg is not None and dlg.isVisible() and f"「{doc.title}」" in dlg.findChild(type(inbox.held_text),
                                                                                    "zipPasswordText").text()
    qtbot.keyClicks(dlg.password, DEMO_ZIP_PASSWORDS["0123"])
    dlg.remember.setChecked(True)
    with qtbot.waitSignal(inbox.downloaded, timeout=20000) as got:
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    [fd] = got.args[0]
    assert fd.files and all(p.read_bytes().startswith(b"%PDF") for p in fd.files)
    assert "保存しました" in inbox.message.text()
    qtbot.waitUntil(lambda: not inbox.held_panel.isVisible(), timeout=5000)
    assert SecretStore().get("e0123", "zip_password") == DEMO_ZIP_PASSWORDS["0123"]
    assert inbox.filed.count() == len(fd.files)


def test_start_banner_names_the_establishment_and_the_document(qtbot: Any, window: Any, world: World,
                                                               tmp_path: Path) -> None:
    from dataclasses import replace

    from denshi_client.documents.archive import pack
    from denshi_client.portal.standin.pdfgen import make_pdf
    from denshi_client.ui.bootstrap import _pending_found

    pdf = tmp_path / "k.pdf"
    pdf.write_bytes(make_pdf("掛金計算書", ["令和6年5月分"]))
    bad = tmp_path / "20240524_0123_掛金計算書.zip"
    pack([pdf], bad, "some-other-password", arcnames=["20240524_0123_掛金計算書.pdf"])
    t = world.services.transfers
    t.hold(world.services.profiles[0], bad, None)
    other = replace(world.services.profiles[0], id="e0456", establishment="0456", name="大阪支店",
                    documents_folder=str(tmp_path / "docs" / "0456"))
    bad2 = tmp_path / "20240524_0456_納入告知書.zip"
    pack([pdf], bad2, "x", arcnames=["20240524_0456_納入告知書.pdf"])
    t.hold(other, bad2, None)

    _pending_found(window, window.bridge.pending_transfers())
    text = window.banner_label.text()
    assert window.banner.isVisible()
    assert "0123 事業所（株式会社サンプル商事 本社）の「20240524_0123_掛金計算書」は、ZIPのパスワードが違うため" in text
    assert "パスワードを入力して開く" in text
    assert "0456" not in text and "続きから受信します" not in text  # only the active establishment's
    assert window.inbox.held_panel.isVisible()
