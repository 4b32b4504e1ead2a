"""The OTP read from the mailbox in the connect flow and the mail settings (issue 15, the UI part).

Real parts only: the demo environment's stand-in delivers its OTP mail into its Maildir; the real-mailbox
tests use the private Dovecot of tests/mail (IMAPS, its own CA) and the stand-in's own OTP mail delivered
into it. Tests wait on signals and conditions, never on sleeps.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from PySide6.QtCore import Qt

from denshi_client.clock import FakeClock
from denshi_client.session import Phase
from denshi_client.store.paths import app_paths
from tests.mail.conftest import dovecot, dovecot_server  # noqa: F401  (the private Dovecot fixtures, reused)
from tests.mail.dovecot import PASSWORD, USER, Dovecot
from tests.ui.conftest import NOW, World

WAITING = "メールを確認しています"


# ----------------------------------------------------------------------------------------- helpers


def open_otp_dialog(qtbot: Any, w: Any, on_shown: Any = None) -> tuple[Any, list[str]]:
    """Click 接続; returns the OTP dialog and its mail line as it read the moment the dialog was shown."""
    seen: list[str] = []

    def shown(dlg: Any) -> None:  # runs synchronously inside ask_otp, before any worker result
        seen.append(dlg.mail_status.text())
        if on_shown is not None:
            on_shown(dlg)

    w.flow.otp_dialog_shown.connect(shown)
    with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=15000) as blocker:
        qtbot.mouseClick(w.connect_button, Qt.MouseButton.LeftButton)
    return blocker.args[0], seen


def press_connect(qtbot: Any, dlg: Any) -> None:
    qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton)


def newest_otp_mail(world: World) -> bytes:
    emls = sorted(world.svc.outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    assert emls, "the stand-in sent no OTP mail"
    return emls[-1].read_bytes()


def use_dovecot(d: Dovecot, *, timeout_s: int = 300, auto_continue: bool = False, password: str = PASSWORD) -> None:
    """The mailbox as a user sets it up: settings [mail]/[otp_mail] plus the password in the keyring."""
    from denshi_client.mail.account import store_password
    from denshi_client.portal.standin.mail import SENDER_ADDRESS
    from denshi_client.store.settings import set_user_value

    for key, value in {"mail.protocol": "imap", "mail.host": "127.0.0.1", "mail.port": d.imaps_port,
                       "mail.security": "ssl", "mail.user": USER, "mail.ca_bundle": str(d.ca_cert),
                       "otp_mail.sender": SENDER_ADDRESS, "otp_mail.subject_contains": "ワンタイムパスワード",
                       "otp_mail.timeout_seconds": timeout_s, "otp_mail.auto_continue": auto_continue}.items():
        set_user_value(key, value)
    store_password(password)


# ----------------------------------------------------------------------------------------- demo

def test_demo_fills_in_the_code_from_the_demo_maildir(qtbot: Any, demo_window: tuple[Any, Any]) -> None:
    w, env = demo_window
    dlg, seen = open_otp_dialog(qtbot, w)
    assert seen and WAITING in seen[0]  # what the dialog said while the mail was being looked for
    assert dlg.edit.isEnabled()
    qtbot.waitUntil(lambda: dlg.edit.text() != "", timeout=15000)
    assert dlg.edit.text() == env.demo_otp()
    assert "メールからワンタイムパスワードを読み取りました" in dlg.mail_status.text()
    assert dlg.edit.text() not in dlg.mail_status.text()  # the note does not repeat the code
    assert dlg.buttons.buttons()[0].isEnabled()
    assert env.services.machine.phase is Phase.AWAITING_OTP  # the user confirms (auto_continue is off)
    press_connect(qtbot, dlg)
    qtbot.waitUntil(lambda: env.services.machine.phase is Phase.READY, timeout=15000)


def test_typed_code_is_never_overwritten_by_the_mail(qtbot: Any, demo_window: tuple[Any, Any]) -> None:
    w, env = demo_window
    dlg, _ = open_otp_dialog(qtbot, w, on_shown=lambda d: qtbot.keyClicks(d.edit, "12345"))
    qtbot.waitUntil(lambda: dlg.use_mail_code.isVisible(), timeout=15000)  # the mail came, the typing stayed
    assert dlg.edit.text() == "12345"
    assert "入力済み" in dlg.mail_status.text()
    qtbot.mouseClick(dlg.use_mail_code, Qt.MouseButton.LeftButton)  # the user takes the mail's code
    assert dlg.edit.text() == env.demo_otp()
    dlg.edit.clear()
    qtbot.keyClicks(dlg.edit, env.demo_otp())  # and typing it by hand works just the same
    press_connect(qtbot, dlg)
    qtbot.waitUntil(lambda: env.services.machine.phase is Phase.READY, timeout=15000)


def test_no_mailbox_configured_keeps_todays_dialog(qtbot: Any, window: Any, world: World) -> None:
    dlg, seen = open_otp_dialog(qtbot, window)
    assert seen == [""] and dlg.mail_status.isHidden()
    qtbot.keyClicks(dlg.edit, world.otp())
    press_connect(qtbot, dlg)
    qtbot.waitUntil(lambda: world.machine.phase is Phase.READY, timeout=10000)


# ----------------------------------------------------------------------------------------- real mailbox

def test_the_fund_mail_in_the_real_mailbox_continues_by_itself(qtbot: Any, window: Any, world: World,
                                                              dovecot: Dovecot) -> None:  # noqa: F811
    use_dovecot(dovecot, auto_continue=True)
    # the mail travels to the user's mailbox after the dialog is up (IMAP IDLE wakes the watcher)
    _dlg, seen = open_otp_dialog(qtbot, window, on_shown=lambda d: dovecot.deliver(newest_otp_mail(world)))
    assert WAITING in seen[0]
    qtbot.waitUntil(lambda: world.machine.phase is Phase.READY, timeout=20000)  # nobody pressed a button
    assert window.flow.dialog is None


def test_time_out_says_what_to_check_and_typing_still_works(qtbot: Any, window: Any, world: World,
                                                           dovecot: Dovecot) -> None:  # noqa: F811
    use_dovecot(dovecot, timeout_s=5)  # the shortest time the settings allow; the mail never reaches the box
    dlg, _ = open_otp_dialog(qtbot, window)
    qtbot.waitUntil(lambda: "見つかりませんでした" in dlg.mail_status.text(), timeout=30000)
    assert "送信元アドレス" in dlg.mail_status.text() and "件名" in dlg.mail_status.text()
    assert dlg.edit.isEnabled() and dlg.edit.text() == ""
    qtbot.keyClicks(dlg.edit, world.otp())
    press_connect(qtbot, dlg)
    qtbot.waitUntil(lambda: world.machine.phase is Phase.READY, timeout=10000)


def test_wrong_mail_password_says_which_setting(qtbot: Any, window: Any, world: World,
                                                dovecot: Dovecot) -> None:  # noqa: F811
    use_dovecot(dovecot, password="not-the-password")
    dlg, _ = open_otp_dialog(qtbot, window)
    qtbot.waitUntil(lambda: "ログインできませんでした" in dlg.mail_status.text(), timeout=20000)
    assert "［設定］" in dlg.mail_status.text() and "パスワード" in dlg.mail_status.text()
    assert "denshi-client" not in dlg.mail_status.text()  # the GUI user gets the GUI's words, not the CLI's
    assert "not-the-password" not in dlg.mail_status.text()
    assert dlg.edit.isEnabled()


# ----------------------------------------------------------------------------------------- settings

def open_mail_tab(qtbot: Any, window: Any) -> Any:
    dlg = window.open_settings()
    qtbot.waitExposed(dlg)
    dlg.tabs.setCurrentWidget(dlg.mail_page)
    return dlg


def fill_mail_form(dlg: Any, d: Dovecot, password: str) -> None:
    dlg.editor_for("mail.protocol").editor.setCurrentIndex(dlg.editor_for("mail.protocol").editor.findData("imap"))
    dlg.editor_for("mail.host").editor.setText("127.0.0.1")
    dlg.editor_for("mail.port").editor.setValue(d.imaps_port)
    dlg.editor_for("mail.user").editor.setText(USER)
    dlg.editor_for("mail.ca_bundle").editor.findChild(type(dlg.mail_password)).setText(str(d.ca_cert))
    dlg.mail_password.setText(password)


def test_settings_mail_test_button_against_the_real_dovecot(qtbot: Any, window: Any,
                                                            dovecot: Dovecot) -> None:  # noqa: F811
    dlg = open_mail_tab(qtbot, window)
    fill_mail_form(dlg, dovecot, "wrong-password")
    qtbot.mouseClick(dlg.mail_test_button, Qt.MouseButton.LeftButton)
    assert not dlg.mail_test_button.isEnabled() and "テストしています" in dlg.mail_test_result.text()
    qtbot.waitUntil(lambda: dlg.mail_test_button.isEnabled(), timeout=20000)
    assert "ログインできませんでした" in dlg.mail_test_result.text()
    assert "wrong-password" not in dlg.mail_test_result.text()

    dlg.mail_password.setText(PASSWORD)
    qtbot.mouseClick(dlg.mail_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.mail_test_button.isEnabled(), timeout=20000)
    assert "接続できました" in dlg.mail_test_result.text(), dlg.mail_test_result.text()

    dlg.save()  # the values go to settings, the password only to the keyring
    from denshi_client.mail.account import load_password
    from denshi_client.store.settings import load_effective_settings

    s = load_effective_settings()
    assert (s.mail.protocol, s.mail.host, s.mail.port, s.mail.user) == ("imap", "127.0.0.1", dovecot.imaps_port, USER)
    assert load_password() == PASSWORD
    assert PASSWORD not in app_paths().settings_file.read_text(encoding="utf-8")


def test_mail_settings_locked_by_it_show_locked(qtbot: Any, window: Any) -> None:
    policy = app_paths().policy_file
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text('[otp_mail]\nsender = "otp@kikin.example.jp"\n\n[lock]\nkeys = ["otp_mail.sender"]\n',
                      encoding="utf-8")
    dlg = open_mail_tab(qtbot, window)
    ed = dlg.editor_for("otp_mail.sender")
    assert ed.locked and not ed.editor.isEnabled() and ed.editor.text() == "otp@kikin.example.jp"
    assert not ed.lock_row.isHidden() and "固定" in ed.lock_note.text()
    assert dlg.editor_for("mail.host").editor.isEnabled()


def test_saving_without_typing_a_password_keeps_the_stored_one(qtbot: Any, window: Any) -> None:
    from denshi_client.mail.account import load_password, store_password

    store_password("Stored-0001")
    dlg = open_mail_tab(qtbot, window)
    assert dlg.mail_password.text() == "" and "登録済み" in dlg.mail_password.placeholderText()
    dlg.editor_for("mail.host").editor.setText("mail.example.co.jp")
    dlg.save()
    assert load_password() == "Stored-0001"
    assert os.environ.get("PYTHON_KEYRING_BACKEND")  # the file keyring of the test set-up, never the user's


def test_closing_the_dialog_ends_the_mailbox_wait(qtbot: Any, window: Any, world: World,
                                                  dovecot: Dovecot) -> None:  # noqa: F811
    from denshi_client.ui.worker import wait_pool

    use_dovecot(dovecot, timeout_s=600)  # would wait ten minutes in IMAP IDLE
    dlg, _ = open_otp_dialog(qtbot, window)
    qtbot.waitUntil(lambda: wait_pool().activeThreadCount() == 1, timeout=5000)
    dlg.reject()  # キャンセル: the visit ends and so does the wait, within one IDLE slice
    qtbot.waitUntil(lambda: wait_pool().activeThreadCount() == 0, timeout=15000)
    qtbot.waitUntil(lambda: not world.machine.phase.busy, timeout=10000)


# ----------------------------------------------------------------------------------------- first-start wizard

@pytest.fixture
def wizard_at_mail(qtbot: Any) -> Any:
    from denshi_client.ui.onboarding_wizard import PAGE_MAIL, PAGE_VPN, OnboardingWizard
    from denshi_client.vpn.standin import StandInVpnDriver

    wiz = OnboardingWizard(driver=StandInVpnDriver(FakeClock(NOW), connect_delay_s=0), demo=True)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.intro.vpn_radio.setChecked(True)
    wiz.next()
    assert wiz.currentId() == PAGE_VPN
    wiz.next()  # the .vpn file can come weeks later; the mail step is optional too
    assert wiz.currentId() == PAGE_MAIL
    return wiz


def test_wizard_mail_step_tests_and_saves(qtbot: Any, wizard_at_mail: Any, dovecot: Dovecot) -> None:  # noqa: F811
    from PySide6.QtWidgets import QWizard

    from denshi_client.mail.account import load_password
    from denshi_client.store.settings import load_effective_settings

    page = wizard_at_mail.mail
    page.protocol.setCurrentIndex(page.protocol.findData("imap"))
    page.host.setText("127.0.0.1")
    page.port.setValue(dovecot.imaps_port)
    page.user.setText(USER)
    page.password.setText(PASSWORD)
    page.ca_bundle.setText(str(dovecot.ca_cert))
    page.sender_address.setText("otp@kikin.example.jp")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.test_button.isEnabled() and "接続" in page.result.text(), timeout=20000)
    assert "接続できました" in page.result.text(), page.result.text()
    wizard_at_mail.button(QWizard.WizardButton.FinishButton).click()
    assert wizard_at_mail.result() == QWizard.DialogCode.Accepted
    s = load_effective_settings()
    assert (s.mail.protocol, s.mail.host, s.mail.port, s.mail.user) == ("imap", "127.0.0.1", dovecot.imaps_port, USER)
    assert s.otp_mail.sender == "otp@kikin.example.jp" and load_password() == PASSWORD
    assert PASSWORD not in app_paths().settings_file.read_text(encoding="utf-8")


def test_wizard_mail_step_can_be_skipped(qtbot: Any, wizard_at_mail: Any) -> None:
    from PySide6.QtWidgets import QWizard

    from denshi_client.store.settings import load_effective_settings

    page = wizard_at_mail.mail
    assert page.protocol.currentData() == "none"
    wizard_at_mail.button(QWizard.WizardButton.FinishButton).click()
    assert wizard_at_mail.result() == QWizard.DialogCode.Accepted
    assert load_effective_settings().mail.protocol == "none"


def test_wizard_mail_step_asks_for_what_is_missing(qtbot: Any, wizard_at_mail: Any) -> None:
    from PySide6.QtWidgets import QWizard

    page = wizard_at_mail.mail
    page.protocol.setCurrentIndex(page.protocol.findData("imap"))
    wizard_at_mail.button(QWizard.WizardButton.FinishButton).click()
    assert wizard_at_mail.isVisible() and wizard_at_mail.result() != QWizard.DialogCode.Accepted
    assert "メールサーバー" in page.result.text()
