"""The naming assistant is bound to one file: a form can never be queued or sent under another form's name.

The mislabel of issue 14: after 送信待ちに追加 the next file kept the previous 届書名, so a 資格喪失届
was queued as 資格取得届 and two files went out under one name. These tests drive the real outbox
(real PDF check, real history database, real stand-in service) as a user does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt

from denshi_client.ui.outbox_view import UploadStatus
from tests.ui.conftest import NOW, World, connect

TARGET = "20240524_0123_資格取得届.pdf"


def _click_file(qtbot: Any, out: Any, name: str) -> None:
    """A real mouse click on the row of `name` in the list of added files."""
    item = next(out.files.item(i) for i in range(out.files.count()) if out.files.item(i).text() == name)
    rect = out.files.visualItemRect(item)
    qtbot.mouseClick(out.files.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _name_first_as_acquisition(qtbot: Any, out: Any) -> None:
    a = out.assistant
    a.form.setCurrentText("資格取得届")
    a.date.setDate(QDate(2024, 5, 24))
    qtbot.waitUntil(lambda: out.add_to_queue.isEnabled(), timeout=5000)


def test_the_next_file_is_named_from_itself_not_from_the_previous_one(qtbot: Any, window: Any,
                                                                    world: World) -> None:
    out = window.outbox
    a = out.assistant
    first = world.pdf("scan0001.pdf", "資格喪失届")
    second = world.pdf("scan0002.pdf", "資格喪失届")
    out.add_files([first, second])
    assert a.source == first and a.source_label.text() == "scan0001.pdf"
    _name_first_as_acquisition(qtbot, out)
    qtbot.mouseClick(out.add_to_queue, Qt.MouseButton.LeftButton)
    assert [i.name for i in out.items] == [TARGET]

    # the next file is selected AND the assistant shows it, with nothing of the first file's form
    assert out.files.currentItem() is not None and out.files.currentItem().text() == "scan0002.pdf"
    assert a.source == second and a.source_label.text() == "scan0002.pdf"
    assert a.form.currentText() == "", "the previous file's 届書名 was carried over"
    assert not a.is_ok() and not out.add_to_queue.isEnabled()
    qtbot.mouseClick(out.add_to_queue, Qt.MouseButton.LeftButton)
    assert len(out.items) == 1, "the second file was queued under the first file's name"


def test_clicking_a_file_shows_that_file_and_what_was_entered_for_it(qtbot: Any, window: Any,
                                                                     world: World) -> None:
    out = window.outbox
    a = out.assistant
    out.add_files([world.pdf("scan0001.pdf"), world.pdf("scan0002.pdf"), world.pdf("scan0003.pdf")])
    a.form.setCurrentText("資格喪失届")
    a.date.setDate(QDate(2024, 5, 20))
    _click_file(qtbot, out, "scan0002.pdf")
    assert a.source_label.text() == "scan0002.pdf" and a.form.currentText() == ""
    a.form.setCurrentText("資格取得届")
    _click_file(qtbot, out, "scan0001.pdf")
    assert a.source_label.text() == "scan0001.pdf"
    assert a.form.currentText() == "資格喪失届" and a.date.date() == QDate(2024, 5, 20)
    _click_file(qtbot, out, "scan0002.pdf")
    assert a.form.currentText() == "資格取得届"
    _click_file(qtbot, out, "scan0003.pdf")
    assert a.form.currentText() == ""

    # after queuing the middle one, clicking the remaining files still switches the assistant
    _click_file(qtbot, out, "scan0002.pdf")
    a.date.setDate(QDate(2024, 5, 24))
    qtbot.waitUntil(lambda: out.add_to_queue.isEnabled(), timeout=5000)
    qtbot.mouseClick(out.add_to_queue, Qt.MouseButton.LeftButton)
    assert [i.source.name for i in out.items] == ["scan0002.pdf"]
    assert a.source_label.text() == out.files.currentItem().text()
    _click_file(qtbot, out, "scan0001.pdf")
    assert a.source_label.text() == "scan0001.pdf" and a.form.currentText() == "資格喪失届"
    _click_file(qtbot, out, "scan0003.pdf")
    assert a.source_label.text() == "scan0003.pdf" and a.form.currentText() == ""


def test_a_name_already_in_the_queue_is_refused_with_the_reason(qtbot: Any, window: Any, world: World) -> None:
    out = window.outbox
    a = out.assistant
    out.add_files([world.pdf("scan0001.pdf"), world.pdf("scan0002.pdf")])
    _name_first_as_acquisition(qtbot, out)
    out.queue_current()
    assert a.source_label.text() == "scan0002.pdf"
    a.form.setCurrentText("資格取得届")
    a.date.setDate(QDate(2024, 5, 24))
    qtbot.waitUntil(lambda: a.pdf_result.text().startswith("✔"), timeout=5000)
    assert a.preview.text() == TARGET
    assert not out.add_to_queue.isEnabled()
    assert "送信待ち" in out.add_reason.text() and "scan0001.pdf" in out.add_reason.text()
    out.queue_current()
    assert len(out.items) == 1
    a.form.setCurrentText("資格喪失届")  # its own, different name: fine again
    qtbot.waitUntil(lambda: out.add_to_queue.isEnabled(), timeout=5000)
    assert out.add_reason.text() == ""


def test_a_name_already_sent_today_for_the_establishment_is_refused(qtbot: Any, window: Any,
                                                                    world: World) -> None:
    world.services.history.record(establishment="0123", profile_id="e0123", direction="send", file_name=TARGET,
                                  mode="direct", original_name="scan0099.pdf", server_id="R-1", time=NOW)
    out = window.outbox
    a = out.assistant
    out.add_files([world.pdf("scan0001.pdf")])
    _ = a
    a.form.setCurrentText("資格取得届")
    a.date.setDate(QDate(2024, 5, 24))
    qtbot.waitUntil(lambda: a.pdf_result.text().startswith("✔"), timeout=5000)
    assert a.preview.text() == TARGET and not out.add_to_queue.isEnabled()
    assert "本日すでに送信" in out.add_reason.text() and "scan0099.pdf" in out.add_reason.text()
    out.queue_current()
    assert out.items == []


def test_a_pdf_that_fails_the_check_cannot_be_queued(qtbot: Any, window: Any, world: World) -> None:
    bad = world.tmp / "mine" / TARGET
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"PK\x03\x04 this is a zip, not a pdf")
    out = window.outbox
    out.add_files([bad])
    qtbot.waitUntil(lambda: out.assistant.pdf_result.text().startswith("✖"), timeout=5000)
    assert out.assistant.is_ok()  # the name itself is fine ...
    assert not out.add_to_queue.isEnabled()  # ... but the file is not a PDF the fund can read
    assert "PDF" in out.add_reason.text()
    out.queue_current()
    assert out.items == []


def test_the_queue_and_the_history_show_the_original_file_name(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    out = w.outbox
    out.add_files([world.pdf("scan0001.pdf")])
    _name_first_as_acquisition(qtbot, out)
    out.queue_current()
    headers = [out.queue.horizontalHeaderItem(c).text() for c in range(out.queue.columnCount())]
    orig_col = headers.index("元のファイル")
    assert out.queue.item(0, orig_col).text() == "scan0001.pdf"
    assert out.queue.item(0, headers.index("送信ファイル名")).text() == TARGET
    with qtbot.waitSignal(out.upload_finished, timeout=20000):
        out.send_waiting()
    assert out.items[0].status is UploadStatus.DONE, out.items[0].error
    h = w.history
    w.show_tab(h)
    h.refresh()
    qtbot.waitUntil(lambda: h.table.rowCount() >= 1, timeout=5000)
    hh = [h.table.horizontalHeaderItem(c).text() for c in range(h.table.columnCount())]
    row = next(r for r in range(h.table.rowCount()) if h.table.item(r, hh.index("ファイル名")).text() == TARGET)
    assert h.table.item(row, hh.index("元のファイル名")).text() == "scan0001.pdf"
