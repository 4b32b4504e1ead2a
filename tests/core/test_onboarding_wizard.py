"""The onboarding wizard with real widgets (xcb under Xvfb): validation, files written off the UI thread,
the password shown, and the .vpn import + connection test through the stand-in VPN driver."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from denshi_client.vpn.standin import StandInVpnDriver

pytestmark = pytest.mark.qt

VPN_FILE = """# VPN Client VPN Connection Setting File
declare root
{
\tbool CheckServerCert false
\tdeclare ClientAuth
\t{
\t\tuint AuthType 1
\t\tbyte HashedPassword QUJDREVGR0hJSktMTU5PUFFSU1Q=
\t\tstring Username demo
\t}
\tdeclare ClientOption
\t{
\t\tstring AccountName fund
\t\tstring DeviceName VPN
\t\tstring Hostname 127.0.0.1
\t\tstring HubName DEMO
\t\tuint Port 443
\t}
}
"""


@pytest.fixture
def wizard(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    from denshi_client.clock import FakeClock
    from denshi_client.ui.onboarding_wizard import OnboardingWizard

    drv = StandInVpnDriver(FakeClock(), 5400, 0.0, state_file=tmp_path / "vpn.json")
    w = OnboardingWizard(driver=drv)
    qtbot.addWidget(w)
    w.form.out_dir.setText(str(tmp_path / "out"))
    w.show()
    return w


def _fill(w, kana: str = "ﾃﾞﾝｼ ﾀﾛｳ") -> None:  # type: ignore[no-untyped-def]
    f = w.form
    f.establishment.setText("123")
    f.name.setText("電子 太郎")
    f.kana.setText(kana)
    f.email.setText("taro@example.co.jp")
    f.user_id.setText("taro01")
    f.office.setText("株式会社サンプル")
    f.pcs.setValue(2)


def test_bad_kana_keeps_the_user_on_the_form(wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    from denshi_client.ui.onboarding_wizard import PAGE_FORM

    wizard.next()
    assert wizard.currentId() == PAGE_FORM
    _fill(wizard, kana="Denshi Taro")
    wizard.next()
    assert wizard.currentId() == PAGE_FORM
    assert "カナ" in wizard.form.error.text()


def test_form_zip_password_then_vpn_import_and_test(wizard, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from denshi_client.ui.onboarding_wizard import PAGE_SEND, PAGE_VPN

    wizard.next()
    _fill(wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_SEND
    qtbot.waitUntil(lambda: wizard.send.pkg is not None, timeout=15000)
    pkg = wizard.send.pkg
    assert wizard.send.password.text() == pkg.password and len(pkg.password) == 19
    assert wizard.send.mail_btn.isEnabled() and wizard.button(wizard.WizardButton.NextButton).isEnabled()
    ws = load_workbook(tmp_path / "out" / "電子連携管理者登録届(000123).xlsx").active
    assert ws["D2"].value == "デンシ　タロウ" and ws["H2"].value == 2
    assert (tmp_path / "out" / "電子連携管理者登録届(000123).zip").exists()

    wizard.next()
    assert wizard.currentId() == PAGE_VPN
    vpn = tmp_path / "fund.vpn"
    vpn.write_text(VPN_FILE, encoding="utf-8")
    page = wizard.vpn
    assert page.establishment.text() == "123" and page.account.text() == "denshi-123"
    page.vpn_file.setText(str(vpn))
    page.import_btn.click()
    qtbot.waitUntil(lambda: page.imported, timeout=15000)
    assert page.test_btn.isEnabled()
    page.test_btn.click()
    qtbot.waitUntil(lambda: "接続できました" in page.result.text() or "エラー" in page.result.text()
                    or page.result.styleSheet() != "", timeout=20000)
    assert "接続できました" in page.result.text(), page.result.text()
    assert page.driver().connected_accounts() == []  # the test never leaves the VPN up


def test_jump_straight_to_vpn_import(wizard) -> None:  # type: ignore[no-untyped-def]
    from denshi_client.ui.onboarding_wizard import PAGE_VPN

    wizard.intro.vpn_radio.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_VPN


def test_doctor_page_runs_checks_and_writes_bundle(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from denshi_client.ui.doctor_page import DoctorPage

    page = DoctorPage(demo=True)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.finished, timeout=30000):
        page.run_btn.click()
    assert page.table.rowCount() == 10  # with the embedded page engine (Chromium 106+)
    assert "問題はありません" in page.summary.text()
    out = tmp_path / "support.zip"
    with qtbot.waitSignal(page.bundle_written, timeout=30000):
        page.export_bundle(out)
    assert "doctor.json" in zipfile.ZipFile(out).namelist()
