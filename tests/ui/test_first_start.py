"""A first start, as a new office administrator meets it (issue 14, items 3 and 9): a fresh home with no
establishment, the real `AppServices` (real profile file, file keyring) and the stand-in VPN driver with the
connection settings the fund's installer made. The empty state says what to do and opens the set-up wizard;
the wizard, walked with key clicks, ends with a complete establishment and a main window ready to connect.
The profile dialog: folder browse buttons, the VPN setting chosen from the client's list, a searchable list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from denshi_client.clock import FakeClock
from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore
from denshi_client.vpn.standin import StandInVpnDriver
from tests.core.test_onboarding_wizard import VPN_FILE
from tests.ui.conftest import NOW

pytestmark = pytest.mark.qt

FUND_SETTING = "年金基金 電子連携"  # what the fund's own installer created in the VPN client
OTHER_SETTING = "本社 拠点間接続"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Any]:
    from denshi_client.services import AppServices

    vpn = StandInVpnDriver(FakeClock(NOW), connect_delay_s=0)
    vpn.add_account(FUND_SETTING, password="pw")
    vpn.add_account(OTHER_SETTING, password="pw")
    s = AppServices.from_settings(vpn=vpn, enforce_hours=False, open_url=lambda url: None)
    yield s
    s.machine.end(wait_s=5)
    s.close()


@pytest.fixture
def fresh(qtbot: Any, services: Any) -> Iterator[Any]:
    """The main window of a first start: no establishment registered."""
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    assert services.profile_store.all() == []
    bridge = SessionBridge(services, tick_ms=50)
    w = MainWindow(bridge, install_hooks=False)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if getattr(w, "onboarding_wizard", None) is not None and w.onboarding_wizard.isVisible():
        w.onboarding_wizard.reject()
    bridge.close()


def _open_wizard(qtbot: Any, w: Any) -> Any:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(w.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.onboarding_wizard is not None and w.onboarding_wizard.isVisible(), timeout=5000)
    return w.onboarding_wizard


def _next(qtbot: Any, wiz: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWizard

    qtbot.mouseClick(wiz.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _fill_establishment(qtbot: Any, page: Any, *, number: str = "123", password: str = "Zip-Pass-2026") -> None:
    for field, text in ((page.establishment, number), (page.user_id, "sakura01"),
                        (page.zip_password, password), (page.zip_confirm, password)):
        field.clear()
        qtbot.keyClicks(field, text)
    page.name.clear()
    page.name.insert("株式会社さくら商事")  # Japanese comes from the input method, committed at once
    page.mode.setCurrentIndex(page.mode.findData("browser"))


def test_first_start_says_what_to_do(fresh: Any) -> None:
    w = fresh
    assert w.empty_state.isVisible()
    assert "まだ事業所が登録されていません" in w.empty_text.text()
    assert "事業所を登録" in w.setup_button.text() and w.setup_button.isEnabled()
    assert not w.connect_button.isEnabled()


def test_the_button_opens_the_wizard_on_the_set_up_path(qtbot: Any, fresh: Any) -> None:
    wiz = _open_wizard(qtbot, fresh)
    assert wiz.intro.vpn_radio.isChecked()  # the fund's registration is done: set up the establishment


def test_walking_the_wizard_makes_a_ready_establishment(qtbot: Any, fresh: Any, services: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWizard

    from denshi_client.ui.onboarding_wizard import PAGE_PROFILE, PAGE_VPN

    w = fresh
    wiz = _open_wizard(qtbot, w)
    _next(qtbot, wiz)
    assert wiz.currentId() == PAGE_VPN
    page = wiz.vpn
    qtbot.waitUntil(lambda: page.existing.findText(FUND_SETTING) >= 0, timeout=10000)
    assert page.existing.findText(OTHER_SETTING) >= 0
    page.existing.setCurrentIndex(page.existing.findText(FUND_SETTING))
    _next(qtbot, wiz)
    assert wiz.currentId() == PAGE_PROFILE
    prof = wiz.profile
    assert prof.vpn_account.currentText() == FUND_SETTING
    _fill_establishment(qtbot, prof)
    qtbot.mouseClick(wiz.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=5000)

    [p] = services.profile_store.all()
    assert (p.establishment, p.name, p.user_id, p.mode, p.vpn_account) == (
        "0123", "株式会社さくら商事", "sakura01", "browser", FUND_SETTING)
    assert SecretStore().get(p.id, ZIP_PASSWORD) == "Zip-Pass-2026"
    assert "Zip-Pass-2026" not in services.profile_store.path.read_text(encoding="utf-8")
    assert services.profile_store.active_id() == p.id
    qtbot.waitUntil(lambda: w.connect_button.isEnabled(), timeout=5000)
    assert not w.empty_state.isVisible()
    assert w.profile_combo.currentText().startswith("0123  株式会社さくら商事")
    assert w.bridge.active_id() == p.id


def test_mismatched_or_missing_zip_password_creates_nothing(qtbot: Any, fresh: Any, services: Any) -> None:
    wiz = _open_wizard(qtbot, fresh)
    _next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.vpn.existing.count() > 0, timeout=10000)
    _next(qtbot, wiz)
    prof = wiz.profile
    _fill_establishment(qtbot, prof)
    prof.zip_confirm.clear()
    qtbot.keyClicks(prof.zip_confirm, "Zip-Pass-2025")
    assert not wiz.validateCurrentPage() and "一致しません" in prof.error.text()
    _fill_establishment(qtbot, prof, number="12345")
    assert not wiz.validateCurrentPage() and "4桁" in prof.error.text()
    assert services.profile_store.all() == []


def test_an_imported_vpn_file_carries_over_to_the_establishment(qtbot: Any, fresh: Any, services: Any,
                                                                tmp_path: Path) -> None:
    from denshi_client.ui.onboarding_wizard import PAGE_PROFILE

    wiz = _open_wizard(qtbot, fresh)
    _next(qtbot, wiz)
    page = wiz.vpn
    vpn_file = tmp_path / "fund.vpn"
    vpn_file.write_text(VPN_FILE, encoding="utf-8")
    page.vpn_file.setText(str(vpn_file))
    qtbot.keyClicks(page.establishment, "456")
    page.import_btn.click()
    qtbot.waitUntil(lambda: page.imported, timeout=10000)
    imported = page.account.text()
    assert imported and page.existing.currentText() == imported
    assert imported in [a.name for a in services.vpn.list_accounts()]
    _next(qtbot, wiz)
    assert wiz.currentId() == PAGE_PROFILE
    prof = wiz.profile
    assert prof.vpn_account.currentText() == imported and prof.establishment.text() == "456"
    _fill_establishment(qtbot, prof, number="456")
    assert wiz.validateCurrentPage()
    [p] = services.profile_store.all()
    assert p.establishment == "0456" and p.vpn_account == imported


# ----- the profile dialog (settings → 事業所) ------------------------------------------------------


def _choose_folder_in_dialog(qtbot: Any, button: Any, folder: Path) -> None:
    """Clicks the browse button and answers Qt's own (non-native) folder dialog like a user would."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

    answered: list[str] = []

    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(50, answer)
            return
        dlg.setDirectory(str(folder.parent))
        edit = dlg.findChild(QLineEdit, "fileNameEdit")  # the user types the folder's path and presses Enter
        assert edit is not None
        edit.setText(str(folder))
        answered.append(dlg.windowTitle())
        dlg.accept()

    QTimer.singleShot(50, answer)
    button.click()
    assert answered, "no folder dialog came up"


def test_profile_dialog_browses_for_folders(qtbot: Any, fresh: Any, tmp_path: Path) -> None:
    from denshi_client.ui.profiles_page import ProfileDialog

    dlg = ProfileDialog(None, fresh, services=fresh.bridge.services)
    qtbot.addWidget(dlg)
    dlg.show()
    docs, downloads = tmp_path / "書類", tmp_path / "ダウンロード"
    docs.mkdir()
    downloads.mkdir()
    _choose_folder_in_dialog(qtbot, dlg.documents_browse, docs)
    assert Path(dlg.documents_folder.text()) == docs
    _choose_folder_in_dialog(qtbot, dlg.download_browse, downloads)
    assert Path(dlg.download_folder.text()) == downloads


def test_profile_dialog_offers_the_vpn_clients_settings(qtbot: Any, fresh: Any, services: Any) -> None:
    from denshi_client.ui.profiles_page import ProfileDialog

    dlg = ProfileDialog(None, fresh, services=services)
    qtbot.addWidget(dlg)
    dlg.show()
    combo = dlg.vpn_account
    qtbot.waitUntil(lambda: combo.findText(FUND_SETTING) >= 0, timeout=10000)
    assert combo.findText(OTHER_SETTING) >= 0 and combo.isEditable()
    for field, text in ((dlg.establishment, "77"), (dlg.user_id, "midori"), (dlg.zip_password, "pw-midori")):
        qtbot.keyClicks(field, text)
    dlg.name.insert("有限会社みどり")
    combo.setCurrentIndex(combo.findText(FUND_SETTING))
    dlg._save()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    [p] = services.profile_store.all()
    assert p.vpn_account == FUND_SETTING and SecretStore().get(p.id, ZIP_PASSWORD) == "pw-midori"


def test_fifty_establishments_are_sorted_and_filtered(qtbot: Any, fresh: Any, services: Any) -> None:
    from denshi_client.ui.profiles_page import ProfilesPage

    editor = services.profile_editor()
    for n in reversed(range(1, 51)):
        editor.create(establishment=str(n * 3), name=f"事業所{n}号 {'大阪' if n % 10 == 0 else '東京'}",
                      user_id=f"user{n}", mode="browser", zip_password=f"pw{n}")
    page = ProfilesPage(fresh.bridge)
    qtbot.addWidget(page)
    page.show()
    shown = lambda: [page.table.item(r, 0).text() for r in range(page.table.rowCount())  # noqa: E731
                     if not page.table.isRowHidden(r)]
    assert len(shown()) == 50 and shown() == sorted(shown())
    page.filter.insert("大阪")
    assert shown() == ["0030", "0060", "0090", "0120", "0150"]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "0042")
    assert shown() == ["0042"]
    page.table.selectRow(next(r for r in range(page.table.rowCount()) if not page.table.isRowHidden(r)))
    assert page._current().establishment == "0042"
    page.filter.clear()
    assert len(shown()) == 50


def test_first_start_screens_pass_the_keyboard_language_and_size_walk(qtbot: Any, fresh: Any, services: Any) -> None:
    """The empty state, each wizard page on the set-up path and the profile dialog: unique mnemonics, no English,
    within the screen (the same walk as tests/ui/test_every_screen.py)."""
    from PySide6.QtWidgets import QApplication

    from denshi_client.ui import i18n
    from denshi_client.ui.profiles_page import ProfileDialog, ProfilesPage
    from tests.ui.test_every_screen import Walker

    i18n.install(QApplication.instance(), "ja")  # type: ignore[arg-type]  # as the app does: Qt's own buttons too
    walker = Walker(qtbot)
    walker.look(fresh, "first start", size=True)
    wiz = _open_wizard(qtbot, fresh)
    for pid in wiz.pageIds():
        wiz.setStartId(pid)
        wiz.restart()
        qtbot.wait(20)
        walker.look(wiz, f"wizard page {pid}", size=True)
    dlg = ProfileDialog(None, fresh, services=services)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.vpn_account.count() > 0, timeout=10000)
    walker.look(dlg, "profile dialog", size=True)
    page = ProfilesPage(fresh.bridge)
    qtbot.addWidget(page)
    page.show()
    walker.look(page, "establishments")
    assert walker.found.clashes == [] and walker.found.english == [] and walker.found.sizes == []
