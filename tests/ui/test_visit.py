"""A whole visit through the real widgets: connect with the OTP → inbox download → outbox upload →
history shows both → disconnect, against the stand-in service and the stand-in VPN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt

from denshi_client.session import Phase
from denshi_client.vpn.model import ConnState
from tests.ui.conftest import World, connect


def test_full_visit(qtbot: Any, window: Any, world: World) -> None:
    w = window
    assert w.header.state_text() == "未接続"
    assert w.connect_button.isEnabled() and not w.disconnect_button.isEnabled()
    connect(qtbot, w, world)

    # connected: the countdown runs from the VPN's start, 90 min minus the graceful margin
    assert w.header.state_text() == "接続済み"
    qtbot.waitUntil(lambda: w.header.countdown_text().startswith("残り 1:2"), timeout=5000)
    assert "自動切断" in w.header.which_text() and "90分" in w.header.which_text()
    qtbot.waitUntil(lambda: all(w.steps.status(s) == "done" for s in ("hours", "otp_request", "otp_entry", "vpn",
                                                                       "login", "ready")), timeout=5000)
    assert not w.profile_combo.isEnabled()

    # 受信箱: listed on READY, new ones marked; download one → decrypted into the establishment's folder
    inbox = w.inbox
    qtbot.waitUntil(lambda: inbox.table.rowCount() > 0, timeout=10000)
    assert inbox.table.item(0, 0).text() == "●"
    row = next(r for r in range(inbox.table.rowCount()) if inbox.table.item(r, 3).text() == "0123")
    inbox.table.selectRow(row)
    assert inbox.download_button.isEnabled()
    with qtbot.waitSignal(inbox.downloaded, timeout=20000) as got:
        qtbot.mouseClick(inbox.download_button, Qt.MouseButton.LeftButton)
    filed = got.args[0]
    assert filed and filed[0].files
    docs_root = Path(world.services.profiles[0].documents_folder)
    assert all(p.is_file() and docs_root in p.parents and p.read_bytes().startswith(b"%PDF")
               for p in filed[0].files)
    assert inbox.filed.count() == len(filed[0].files)
    assert "保存しました" in inbox.message.text()

    # 送信: drop a PDF, the assistant names it, the queue sends it and shows the receipt
    w.show_tab(w.outbox)
    out = w.outbox
    src = world.pdf("山田さん 取得届.pdf")
    before = src.read_bytes()
    out.add_files([src])
    a = out.assistant
    assert a.establishment.text() == "0123"
    a.form.setCurrentText("資格取得届")
    a.date.setDate(QDate(2024, 5, 24))
    qtbot.waitUntil(lambda: a.is_ok(), timeout=5000)
    assert a.preview.text() == "20240524_0123_資格取得届.pdf"
    qtbot.waitUntil(lambda: a.pdf_result.text().startswith("✔"), timeout=5000)
    qtbot.mouseClick(out.add_to_queue, Qt.MouseButton.LeftButton)
    assert out.queue.rowCount() == 1 and out.queue.item(0, 3).text() == "送信待ち"
    with qtbot.waitSignal(out.upload_finished, timeout=20000):
        qtbot.mouseClick(out.send_button, Qt.MouseButton.LeftButton)
    assert out.queue.item(0, 3).text() == "送信完了"
    receipt_id = out.queue.item(0, 5).text()
    assert receipt_id and receipt_id in {r.server_id for r in world.svc.upload_records()}
    assert src.read_bytes() == before and src.name == "山田さん 取得届.pdf"  # source never modified

    # 送受信履歴: both directions, searchable
    w.show_tab(w.history)
    h = w.history
    qtbot.waitUntil(lambda: h.table.rowCount() >= 2, timeout=10000)
    kinds = {h.table.item(r, 1).text() for r in range(h.table.rowCount())}
    assert {"送信", "受信"} <= kinds
    h.search.setText("資格取得届")
    qtbot.waitUntil(lambda: h.table.rowCount() == 1, timeout=5000)
    assert h.table.item(0, 3).text() == "20240524_0123_資格取得届.pdf" and h.table.item(0, 6).text() == "成功"
    csv = world.tmp / "export.csv"
    h.export_csv(path=str(csv))
    qtbot.waitUntil(lambda: csv.exists(), timeout=5000)
    assert "20240524_0123_資格取得届.pdf" in csv.read_text(encoding="utf-8-sig")

    # 切断: logout + disconnect, the reason is shown, the VPN is down
    with qtbot.waitSignal(w.bridge.ended, timeout=10000):
        qtbot.mouseClick(w.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.header.state_text() == "未接続", timeout=5000)
    assert "切断しました" in w.banner_label.text()
    assert world.services.vpn.status("denshi-0123").state is ConnState.OFFLINE
    assert world.machine.phase in (Phase.ENDED, Phase.IDLE)
    assert w.connect_button.isEnabled() and w.profile_combo.isEnabled()


def test_a_login_the_service_dropped_ends_the_visit_and_says_why(qtbot: Any, window: Any, world: World) -> None:
    """READY, then the service forgets the login (a restart): the next download ends the visit with the reason,
    the VPN goes down and the document stays listed for the next visit."""
    from denshi_client.portal.standin.faults import Fault
    from denshi_client.session import EndCause

    w = window
    connect(qtbot, w, world)
    inbox = w.inbox
    qtbot.waitUntil(lambda: inbox.table.rowCount() > 0, timeout=10000)
    row = next(r for r in range(inbox.table.rowCount()) if inbox.table.item(r, 3).text() == "0123")
    inbox.table.selectRow(row)
    world.svc.faults.add(Fault("expire", "download"))
    with qtbot.waitSignal(w.bridge.ended, timeout=20000) as got:
        qtbot.mouseClick(inbox.download_button, Qt.MouseButton.LeftButton)
    snap = got.args[0]
    assert snap.end_cause is EndCause.LOGIN_LOST and snap.error is None
    qtbot.waitUntil(lambda: w.end_box is not None and w.end_box.isVisible(), timeout=5000)
    assert w.end_box.text() == EndCause.LOGIN_LOST.message_ja
    assert "もう一度接続してください" in w.end_box.text()
    assert EndCause.LOGIN_LOST.message_ja in w.banner_label.text()
    qtbot.waitUntil(lambda: w.header.state_text() == "未接続", timeout=5000)
    assert world.services.vpn.status("denshi-0123").state is ConnState.OFFLINE
    qtbot.waitUntil(lambda: "ログインが無効" in inbox.message.text(), timeout=5000)
    [pending] = w.bridge.pending_transfers()
    assert pending.kind == "download" and pending.state == "interrupted"
    assert w.connect_button.isEnabled()
