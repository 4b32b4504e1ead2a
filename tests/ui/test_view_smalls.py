"""Issue 14, item 9 (the smaller things) on the real widgets: the send queue's room, ファイルを開く without a
PDF viewer, open/print from the history, 印刷, and the OTP dialog's words in browser mode.

Opening and printing go through `FileActions`, whose opener is injected here: the tests see exactly
what would be asked of the desktop (and what the user is told when it says no) without a PDF viewer
or a printer on the build machine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox

from denshi_client.session import SessionMode
from tests.ui.conftest import World, connect


class Desktop:
    """Stands in for QDesktopServices.openUrl / os.startfile: records, and says yes or no."""

    def __init__(self, opens: bool = True, prints: bool = True) -> None:
        self.opens, self.prints = opens, prints
        self.opened: list[Path] = []
        self.printed: list[tuple[Path, str]] = []

    def open_url(self, url: QUrl) -> bool:
        self.opened.append(Path(url.toLocalFile()))
        return self.opens

    def startfile(self, path: str, verb: str) -> None:
        if not self.prints:
            raise OSError(1155, "No application is associated with the specified file for this operation")
        self.printed.append((Path(path), verb))


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _close_boxes() -> None:
    for b in _boxes():
        b.close()


# ----- 1. the send queue has room ---------------------------------------------------------------------
def test_send_queue_shows_six_rows_at_1366x728(qtbot: Any, window: Any, world: World) -> None:
    from denshi_client.ui.outbox_view import UploadItem

    w = window
    w.resize(1366, 728)
    w.show_tab(w.outbox)
    out = w.outbox
    for i in range(8):
        out.items.append(UploadItem(source=world.tmp / f"scan{i}.pdf", name=f"20240524_0123_資格取得届{i}.pdf",
                                    form="資格取得届", establishment="0123"))
    out._render()
    qtbot.waitUntil(lambda: out.queue.rowHeight(0) > 0, timeout=2000)
    QApplication.processEvents()
    q = out.queue
    visible = (q.viewport().height()) // q.rowHeight(0)
    assert visible >= 6, f"the queue shows {visible} rows"
    area = w.tabs.currentWidget()  # the tab's scroll area: the view fits without scrolling
    assert out.height() <= area.viewport().height() + 1, (out.height(), area.viewport().height())
    assert w.frameGeometry().height() <= 728 and w.minimumSizeHint().height() <= 728


# ----- 2. ファイルを開く without a PDF viewer --------------------------------------------------------------
def test_open_without_pdf_viewer_says_what_to_do(qtbot: Any, window: Any, world: World) -> None:
    inbox = window.inbox
    desk = Desktop(opens=False)
    inbox.file_actions.open_url = desk.open_url
    pdf = world.pdf("20240524_0123_通知書.pdf")
    inbox.add_filed(pdf)
    qtbot.mouseClick(inbox.open_file_button, Qt.MouseButton.LeftButton)
    assert desk.opened == [pdf]
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=3000)
    [box] = _boxes()
    text = box.text() + box.informativeText()
    assert "開けませんでした" in text and "PDF" in text and "Adobe Acrobat Reader" in text
    folder_button = next(b for b in box.buttons() if b.text().startswith("フォルダーを開く"))
    desk.opens = True
    qtbot.mouseClick(folder_button, Qt.MouseButton.LeftButton)
    assert desk.opened == [pdf, pdf.parent]  # the folder instead: the file can be looked at there
    qtbot.waitUntil(lambda: not _boxes(), timeout=3000)

    desk.opened.clear()
    qtbot.mouseClick(inbox.open_file_button, Qt.MouseButton.LeftButton)  # a viewer now: no message
    assert desk.opened == [pdf] and not _boxes()


# ----- 4. 印刷: the decision, without printing ------------------------------------------------------------
def test_print_uses_the_windows_print_verb(qtbot: Any, window: Any, world: World) -> None:
    inbox = window.inbox
    desk = Desktop()
    fa = inbox.file_actions
    fa.open_url, fa.startfile, fa.platform = desk.open_url, desk.startfile, "win32"
    pdf = world.pdf("20240524_0123_通知書.pdf")
    assert not inbox.print_button.isEnabled()  # nothing chosen
    inbox.add_filed(pdf)
    assert inbox.print_button.isEnabled()
    qtbot.mouseClick(inbox.print_button, Qt.MouseButton.LeftButton)
    assert desk.printed == [(pdf, "print")] and desk.opened == [] and not _boxes()

    desk.prints = False  # no program registered to print PDFs: said, with what to do
    qtbot.mouseClick(inbox.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=3000)
    [box] = _boxes()
    assert "印刷できませんでした" in box.text() and "Adobe Acrobat Reader" in box.informativeText()
    _close_boxes()


def test_print_elsewhere_opens_the_viewer_and_says_so(qtbot: Any, window: Any, world: World) -> None:
    inbox = window.inbox
    desk = Desktop()
    fa = inbox.file_actions
    fa.open_url, fa.startfile, fa.platform = desk.open_url, desk.startfile, "linux"
    pdf = world.pdf("20240524_0123_通知書.pdf")
    inbox.add_filed(pdf)
    qtbot.mouseClick(inbox.print_button, Qt.MouseButton.LeftButton)
    assert desk.printed == [] and desk.opened == [pdf]
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=3000)
    [box] = _boxes()
    assert "PDFビューアーで開きました" in box.text() and "印刷" in box.informativeText()
    _close_boxes()


# ----- 3. the history opens (and prints) what was received -------------------------------------------
def test_history_opens_and_prints_a_received_pdf(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    t = world.services.transfers
    mine = [d for d in t.inbox() if d.establishment == "0123"]
    [fd] = t.download(world.services.profiles[0], mine[:1])
    pdf = next(p for p in fd.files if p.suffix.lower() == ".pdf")
    hist = w.history
    desk = Desktop()
    fa = hist.file_actions
    fa.open_url, fa.startfile, fa.platform = desk.open_url, desk.startfile, "win32"
    w.show_tab(hist)
    hist.refresh()
    qtbot.waitUntil(lambda: hist.table.rowCount() > 0, timeout=5000)
    assert not hist.open_file_button.isEnabled() and not hist.print_button.isEnabled()  # nothing chosen
    row = next(r for r, rec in enumerate(hist.records) if rec.direction == "receive" and rec.result == "ok")
    hist.table.selectRow(row)
    qtbot.waitUntil(lambda: hist.open_file_button.isEnabled(), timeout=5000)
    assert hist.open_folder_button.isEnabled() and hist.print_button.isEnabled()
    qtbot.mouseClick(hist.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(hist.open_folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(hist.print_button, Qt.MouseButton.LeftButton)
    assert desk.opened == [pdf, pdf.parent] and desk.printed == [(pdf, "print")]

    for p in fd.files:  # the user moved the files away: disabled, and the tooltip says why
        p.unlink()
    hist.table.clearSelection()
    hist.table.selectRow(row)
    qtbot.waitUntil(lambda: not hist.open_file_button.isEnabled(), timeout=5000)
    assert not hist.print_button.isEnabled()
    assert "見つかりません" in hist.open_file_button.toolTip()


# ----- 5. the OTP dialog says what happened ---------------------------------------------------------
def _otp_text(qtbot: Any, w: Any, world: World, otp_url: str) -> str:
    prof = world.services.profiles[0]
    world.services.profiles[0] = replace(prof, mode=SessionMode.BROWSER, otp_url=otp_url)
    w.reload_profiles()
    with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=10000) as blocker:
        qtbot.mouseClick(w.connect_button, Qt.MouseButton.LeftButton)
    dlg = blocker.args[0]
    text = dlg.lead.text()
    dlg.reject()
    return text


def test_browser_mode_without_otp_page_does_not_claim_a_request(qtbot: Any, window: Any, world: World) -> None:
    text = _otp_text(qtbot, window, world, "")
    assert "送信しました" not in text
    assert "リクエスト先が設定されていません" in text and "設定" in text


def test_browser_mode_with_otp_page_says_it_was_opened(qtbot: Any, window: Any, world: World) -> None:
    text = _otp_text(qtbot, window, world, "http://127.0.0.1:9/otp")
    assert "送信しました" not in text and "ページをブラウザーで開きました" in text


def test_direct_mode_still_says_the_request_was_sent(qtbot: Any, window: Any, world: World) -> None:
    with qtbot.waitSignal(window.flow.otp_dialog_shown, timeout=10000) as blocker:
        qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    dlg = blocker.args[0]
    assert "リクエストを送信しました" in dlg.lead.text()
    dlg.reject()


def test_the_pdf_chooser_opens_in_documents_then_where_the_user_last_picked(qtbot: Any, tmp_path: Path,
                                                                             monkeypatch: Any) -> None:
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    from denshi_client.ui.outbox_parts import DropZone

    zone = DropZone()
    qtbot.addWidget(zone)
    asked: list[str] = []
    picked = tmp_path / "scans" / "a.pdf"
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda parent, title, where, flt: (asked.append(where), ([str(picked)], ""))[1]))
    with qtbot.waitSignal(zone.files_dropped):
        zone.add_button.click()
    with qtbot.waitSignal(zone.files_dropped):
        zone.add_button.click()
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert asked == [docs, str(picked.parent)] and docs  # never the app's working folder
