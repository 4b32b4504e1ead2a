"""A mistyped OTP the service refuses, typed again in the real window with the VPN kept up (issue 13).

The app in demo mode (the embedded stand-in service and stand-in VPN); tests wait on signals.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from denshi_client.session import Phase
from denshi_client.session.model import EndCause
from tests.ui.test_every_screen import Walker


def _otp_mails(env: Any) -> int:
    return len(list(env.service.outbox.glob("*.eml")))


def _first_dialog(qtbot: Any, w: Any) -> Any:
    with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=15000) as blocker:
        qtbot.mouseClick(w.connect_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def _type_and_send(qtbot: Any, w: Any, dlg: Any, code: str, *, expect_dialog: bool) -> Any:
    dlg.edit.setText(code)
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    if expect_dialog:
        with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=15000) as blocker:
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return blocker.args[0]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    return None


def test_a_wrong_otp_is_asked_again_with_the_vpn_up_and_the_right_one_connects(qtbot: Any, demo_window: Any) -> None:
    w, env = demo_window
    m = env.services.machine
    dlg = _first_dialog(qtbot, w)
    right = env.demo_otp()
    assert right and _otp_mails(env) == 1
    wrong = "000000" if right != "000000" else "111111"
    again = _type_and_send(qtbot, w, dlg, wrong, expect_dialog=True)
    assert m.phase is Phase.AWAITING_OTP_RETRY
    assert env.services.vpn.connected_accounts()  # the VPN stayed up
    assert again.error.isVisible() and "VPN接続は維持しています" in again.error.text()
    assert "もう一度入力" in again.error.text()
    assert again.request == "retry" and again.edit.text() == ""
    assert w.header.state_text() == "接続中"
    walker = Walker(qtbot)  # the rules of test_every_screen: unique mnemonics, no English
    walker.look(again, "OTP dialog, typed again with the VPN up")
    walker.look(w, "main window, waiting for the OTP again", size=True)
    assert not (walker.found.clashes or walker.found.english or walker.found.sizes), walker.found
    _type_and_send(qtbot, w, again, right, expect_dialog=False)
    qtbot.waitUntil(lambda: w.header.state_text() == "接続済み", timeout=15000)
    assert m.phase is Phase.READY
    assert _otp_mails(env) == 1  # the same request: no new OTP was asked for
    qtbot.waitUntil(lambda: not w.flow.running, timeout=5000)


def test_cancelling_the_retype_disconnects_and_says_so(qtbot: Any, demo_window: Any) -> None:
    w, env = demo_window
    m = env.services.machine
    dlg = _first_dialog(qtbot, w)
    right = env.demo_otp()
    again = _type_and_send(qtbot, w, dlg, "000000" if right != "000000" else "111111", expect_dialog=True)
    assert env.services.vpn.connected_accounts()
    qtbot.mouseClick(again.buttons.button(again.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: m.phase is Phase.ENDED, timeout=15000)
    assert m.snapshot().end_cause is EndCause.OTP_ABANDONED
    assert env.services.vpn.connected_accounts() == []
    qtbot.waitUntil(lambda: "VPNを切断しました" in w.banner_label.text(), timeout=5000)
    assert "ワンタイムパスワード" in w.banner_label.text()
    qtbot.waitUntil(lambda: not w.flow.running, timeout=5000)
