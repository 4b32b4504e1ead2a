"""The establishment number in the screens: the profile dialog and the set-up wizard refuse a 5-digit number
with the one message `documents.naming` gives, and a profile without a ZIP password is saved with a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from denshi_client.documents import naming
from denshi_client.errors import ValidationError

pytestmark = pytest.mark.qt


def the_message() -> str:
    with pytest.raises(ValidationError) as ei:
        naming.parse_establishment("12345")
    return ei.value.ja


def _dialog(qtbot: Any, profile: Any = None) -> Any:
    from denshi_client.ui.profiles_page import ProfileDialog

    dlg = ProfileDialog(profile)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_profile_dialog_refuses_five_digits_with_the_one_message(qtbot: Any, app_home: Path) -> None:
    from denshi_client.store.profiles import ProfileStore

    dlg = _dialog(qtbot)
    dlg.establishment.setText("12345")
    dlg.name.setText("五桁商事")
    dlg.user_id.setText("u5")
    dlg.zip_password.setText("Secret-5")
    dlg._save()
    assert dlg.result() != dlg.DialogCode.Accepted and ProfileStore().all() == []
    assert the_message() in dlg.error.text()
    # the same on edit
    dlg.establishment.setText("123")
    dlg._save()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    edit = _dialog(qtbot, dlg.profile)
    edit.establishment.setText("12345")
    edit._save()
    assert edit.result() != edit.DialogCode.Accepted and the_message() in edit.error.text()
    assert ProfileStore().get(dlg.profile.id).establishment == "0123"


def test_profile_without_zip_password_is_saved_with_a_clear_warning(qtbot: Any, app_home: Path) -> None:
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

    dlg = _dialog(qtbot)
    assert dlg.zip_warning.isVisible() and "パスワード" in dlg.zip_warning.text()
    dlg.zip_password.setText("Secret-0456")
    assert not dlg.zip_warning.isVisible()
    dlg.zip_password.clear()
    assert dlg.zip_warning.isVisible()
    dlg.establishment.setText("456")
    dlg.name.setText("無パスワード商事")
    dlg.user_id.setText("u456")
    dlg._save()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()  # it can still be saved
    assert not SecretStore().has(dlg.profile.id, ZIP_PASSWORD)
    again = _dialog(qtbot, dlg.profile)  # reopened: still missing, still said
    assert again.zip_warning.isVisible()
    SecretStore().set(dlg.profile.id, ZIP_PASSWORD, "Secret-0456")
    stored = _dialog(qtbot, dlg.profile)
    assert not stored.zip_warning.isVisible()


def test_wizard_refuses_five_digits_with_the_one_message(qtbot: Any, tmp_path: Path) -> None:
    from denshi_client.clock import FakeClock
    from denshi_client.ui.onboarding_wizard import OnboardingWizard
    from denshi_client.vpn.standin import StandInVpnDriver

    w = OnboardingWizard(driver=StandInVpnDriver(FakeClock(), 5400, 0.0, state_file=tmp_path / "vpn.json"))
    qtbot.addWidget(w)
    w.show()
    f = w.form
    assert "4桁" in f.establishment.placeholderText()
    f.establishment.setText("12345")
    f.name.setText("電子 太郎")
    f.kana.setText("デンシ タロウ")
    f.email.setText("taro@example.co.jp")
    f.user_id.setText("taro01")
    f.office.setText("五桁商事")
    assert not f.validatePage()
    assert the_message() in f.error.text()
    page = w.vpn
    vpn = tmp_path / "fund.vpn"
    vpn.write_text("declare root\n{\n}\n", encoding="utf-8")
    page.vpn_file.setText(str(vpn))
    page.establishment.setText("12345")
    page.import_btn.click()
    assert the_message() in page.result.text() and not page.imported
