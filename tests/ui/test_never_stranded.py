"""Never stranded, Qt side: the close-window choice, quit, the warnings and the end reasons shown,
and the start-up recovery of a VPN an earlier run left up."""

from __future__ import annotations

from typing import Any

from denshi_client.session import EndCause, Phase
from denshi_client.ui.lifecycle import CloseChoice
from denshi_client.vpn.model import ConnState
from tests.ui.conftest import World, connect


def _close_box(qtbot: Any, w: Any) -> Any:
    w.close()
    qtbot.waitUntil(lambda: w.close_box is not None and w.close_box.isVisible(), timeout=5000)
    return w.close_box


def _button(box: Any, name: str) -> Any:
    return next(b for b in box.buttons() if b.objectName() == name)


def test_close_while_connected_asks_and_cancel_keeps_everything(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    box = _close_box(qtbot, w)
    texts = [b.text() for b in box.buttons()]
    assert "切断して終了(&D)" in texts and "キャンセル" in texts
    assert any("実行を続ける" in t for t in texts)  # tray, or "minimised" when there is no tray
    assert "VPNに接続したまま" in box.text()
    _button(box, "cancelClose").click()
    qtbot.waitUntil(lambda: w.last_close_choice == CloseChoice.CANCEL, timeout=5000)
    assert w.isVisible() and world.machine.phase is Phase.READY and not w.quits


def test_close_keep_running_leaves_the_session_and_the_clock(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    box = _close_box(qtbot, w)
    _button(box, "keepRunning").click()
    qtbot.waitUntil(lambda: w.last_close_choice == CloseChoice.KEEP_IN_TRAY, timeout=5000)
    assert world.machine.phase is Phase.READY and not w.quits
    assert "残り" in w.tray.tooltip  # the tray (or the minimised window) still tells the time left


def test_close_disconnect_and_quit_ends_with_quit_then_quits(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    box = _close_box(qtbot, w)
    _button(box, "disconnectAndQuit").click()
    qtbot.waitUntil(lambda: bool(w.quits), timeout=10000)
    snap = world.machine.snapshot()
    assert snap.end_cause is EndCause.QUIT
    assert world.services.vpn.status("denshi-0123").state is ConnState.OFFLINE
    assert not world.services.state_file.exists()


def test_close_when_offline_quits_without_asking(qtbot: Any, window: Any, world: World) -> None:
    from denshi_client.store.settings import set_user_value

    set_user_value("ui.minimize_to_tray", False)  # with the default (true) and a tray, closing keeps it in the tray
    window.close()
    qtbot.waitUntil(lambda: bool(window.quits), timeout=5000)
    assert window.close_box is None


def test_close_when_offline_keeps_running_in_the_tray(qtbot: Any, tray_host: None, window: Any) -> None:
    """The default (ui.minimize_to_tray = true) with a tray: the window goes, the icon stays, nothing is asked."""
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert window.close_box is None and not window.quits
    assert window.tray.icon is not None and window.tray.icon.isVisible()


def test_warnings_then_limit_end_are_shown_with_the_reason(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    snap = world.machine.snapshot()
    # to 15 min before the app's own end (the 90-minute limit minus the graceful margin)
    world.clock.advance(snap.remaining_s - 15 * 60 + 1)
    with qtbot.waitSignal(w.bridge.warning, timeout=5000) as got:
        pass
    assert got.args[0] == 15
    assert "あと約15分" in w.banner_label.text() and "90分の接続上限" in w.banner_label.text()
    qtbot.waitUntil(lambda: w.header.countdown_text().startswith("残り 0:14"), timeout=5000)
    assert w.tray.state == "connected"
    world.clock.advance(10 * 60)
    qtbot.waitUntil(lambda: w.tray.state == "warning", timeout=5000)  # red once 5 min are left
    with qtbot.waitSignal(w.bridge.ended, timeout=10000):
        world.clock.advance(6 * 60)
    qtbot.waitUntil(lambda: w.header.state_text() == "未接続", timeout=5000)
    assert world.machine.snapshot().end_cause is EndCause.LIMIT
    assert EndCause.LIMIT.message_ja in w.banner_label.text()
    qtbot.waitUntil(lambda: w.end_box is not None and w.end_box.isVisible(), timeout=5000)
    assert "90分" in w.end_box.text()
    assert world.services.vpn.status("denshi-0123").state is ConnState.OFFLINE


def test_server_cut_is_named(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    t0 = world.clock.monotonic()

    def settled() -> bool:  # let the VPN monitor confirm the established session (two polls)
        world.clock.advance(2)
        return world.clock.monotonic() - t0 > 120

    qtbot.waitUntil(settled, timeout=10000)
    world.services.vpn.simulate_server_cut("denshi-0123")

    def polled_and_ended() -> bool:
        world.clock.advance(2)  # the machine polls the VPN every 30 s of session time
        return world.machine.snapshot().end_cause is not None

    qtbot.waitUntil(polled_and_ended, timeout=10000)
    qtbot.waitUntil(lambda: w.header.state_text() == "未接続", timeout=5000)
    assert world.machine.snapshot().end_cause is EndCause.SERVER_CUT
    # the "ended" event is queued after the phase change that already shows 未接続
    qtbot.waitUntil(lambda: EndCause.SERVER_CUT.message_ja in w.banner_label.text(), timeout=5000)


def test_startup_recovery_disconnects_a_leftover_vpn(qtbot: Any, window: Any, world: World) -> None:
    vpn = world.services.vpn
    vpn.connect("denshi-0123")  # an earlier run crashed while connected
    world.services.state_file.write("denshi-0123", "e0123", None)
    window.after_shown()
    qtbot.waitUntil(lambda: vpn.status("denshi-0123").state is ConnState.OFFLINE, timeout=5000)
    qtbot.waitUntil(lambda: EndCause.RECOVERY.message_ja in window.banner_label.text(), timeout=5000)
    assert not world.services.state_file.exists()


def test_quit_from_menu_ends_the_session_first(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    w.act_quit.trigger()
    qtbot.waitUntil(lambda: bool(w.quits), timeout=10000)
    assert world.machine.snapshot().end_cause is EndCause.QUIT
    assert world.services.vpn.status("denshi-0123").state is ConnState.OFFLINE


def test_unfinished_upload_from_an_earlier_run_is_listed_and_retried(qtbot: Any, window: Any, world: World) -> None:
    from datetime import date

    prof = world.services.profiles[0]
    left = world.services.transfers.prepare_upload(prof, world.pdf("取得届.pdf"), form_name="資格取得届",
                                                   filing_date=date(2024, 5, 24))  # queued, never sent
    w = window
    w.after_shown()
    qtbot.waitUntil(lambda: w.outbox.queue.rowCount() == 1, timeout=5000)
    assert "前回完了しなかった送受信" in w.banner_label.text()
    assert w.outbox.queue.item(0, 3).text() == "失敗" and w.outbox.items[0].prepared.id == left.id
    connect(qtbot, w, world)
    w.outbox.queue.selectRow(0)
    with qtbot.waitSignal(w.outbox.upload_finished, timeout=20000):
        w.outbox.retry_button.click()
    assert w.outbox.queue.item(0, 3).text() == "送信完了"
    assert [r.client_id for r in world.svc.upload_records()] == [left.id]  # the same client id: sent once
    assert world.services.transfers.pending() == []


def test_wrong_otp_is_explained_and_the_vpn_is_down(qtbot: Any, window: Any, world: World) -> None:
    """A wrong OTP is asked again with the VPN up (tests/ui/test_otp_retry.py); the fifth ends the visit."""
    from PySide6.QtCore import Qt

    w = window
    with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=10000) as blocker:
        qtbot.mouseClick(w.connect_button, Qt.MouseButton.LeftButton)
    dlg = blocker.args[0]
    wrong = "000000" if world.otp() != "000000" else "111111"
    for _ in range(world.machine.config.otp_attempts - 1):
        qtbot.keyClicks(dlg.edit, wrong)
        with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=10000) as again:
            qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        dlg = again.args[0]
        assert world.services.vpn.status("denshi-0123").state is ConnState.CONNECTED
    qtbot.keyClicks(dlg.edit, wrong)
    with qtbot.waitSignal(w.flow.failed, timeout=10000) as failed:
        qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    message, _hint = failed.args
    assert message and "ワンタイムパスワード" in message and "VPNを切断しました" in message
    qtbot.waitUntil(lambda: w.error_box is not None and w.error_box.isVisible(), timeout=5000)
    assert w.error_box.text() == message
    assert message in w.banner_label.text()
    qtbot.waitUntil(lambda: w.header.state_text() == "未接続", timeout=5000)
    assert world.services.vpn.status("denshi-0123").state is ConnState.OFFLINE
    assert w.steps.status("login") == "failed"


def test_end_box_says_so_when_internet_is_not_back_yet(qtbot: Any, window: Any, world: World) -> None:
    """The end box repeats only what the check after the disconnect saw (not "mail works" regardless)."""
    from denshi_client.session.model import ProbeResult

    w = window
    connect(qtbot, w, world)
    world.machine.deps.probe = lambda: ProbeResult(False, "ConnectError", 0.1, "https://example.invalid/")
    snap = world.machine.snapshot()
    with qtbot.waitSignal(w.bridge.ended, timeout=10000):
        world.clock.advance(snap.remaining_s + 1)
    qtbot.waitUntil(lambda: w.end_box is not None and w.end_box.isVisible(), timeout=5000)
    assert "まだ確認できません" in w.end_box.informativeText()
    assert "通常どおり使えます" not in w.end_box.informativeText()
