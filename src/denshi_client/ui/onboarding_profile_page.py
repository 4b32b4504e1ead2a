"""The wizard's establishment page: number, name, user ID, mode, ZIP password and VPN setting, created
and made active through the app's services."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWizardPage,
)

from denshi_client.errors import DenshiError
from denshi_client.errors import error_line as _error_text
from denshi_client.i18n import pick
from denshi_client.ui.onboarding_registration_pages import FormPage
from denshi_client.ui.onboarding_steps import (
    _ERR_STYLE,
    PAGE_MAIL,
)
from denshi_client.ui.onboarding_vpn_page import VpnPage


class ProfilePage(QWizardPage):
    """The establishment as the app keeps it, created through `AppServices` when the user finishes: number
    (`documents.naming.parse_establishment`, 1–9999), name, user ID, mode, ZIP password (credential store
    only) and the VPN setting; it becomes the active establishment, ready to connect."""

    def __init__(self, form_page: FormPage, vpn_page: VpnPage, services: Any = None) -> None:
        super().__init__()
        self.form_page = form_page
        self.vpn_page = vpn_page
        self.services = services
        self.created: Any = None  # the SessionProfile, once made
        self.setTitle(pick("事業所の登録", "The establishment"))
        self.setFinalPage(True)  # 完了 here creates it; 次へ leads to the optional mail step
        self.setSubTitle(pick("このアプリで使う事業所の情報を登録します。「完了」を押すと登録され、"
                              "すぐに接続できるようになります。",
                              "Register the establishment this app works for; after Finish you can connect."))
        self.establishment = QLineEdit()
        self.establishment.setObjectName("setupEstablishment")
        self.establishment.setPlaceholderText(pick("例: 123（4桁までの数字）", "e.g. 123 (up to 4 digits)"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(pick("例: 株式会社さくら商事", "e.g. 株式会社さくら商事"))
        self.user_id = QLineEdit()
        self.user_id.setPlaceholderText(pick("基金から通知されたユーザーID", "the user ID the fund gave you"))
        self.mode = QComboBox()
        self.mode.addItem(pick("ブラウザーで利用（現在の基金のサービス）", "In the browser (the fund's service today)"),
                          "browser")
        self.mode.addItem(pick("アプリから直接送受信", "Directly from the app"), "direct")
        self.vpn_account = QComboBox()
        self.vpn_account.setEditable(True)
        self.vpn_account.setObjectName("setupVpnAccount")
        self.zip_password = QLineEdit()
        self.zip_password.setObjectName("setupZipPassword")
        self.zip_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.zip_password.setPlaceholderText(pick("基金から別のメールで届いたパスワード",
                                                  "the password the fund sent in a separate mail"))
        self.zip_confirm = QLineEdit()
        self.zip_confirm.setObjectName("setupZipConfirm")
        self.zip_confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.zip_confirm.setPlaceholderText(pick("確認のため、もう一度入力してください", "type it once more"))
        form = QFormLayout()
        form.addRow(pick("事業所番号", "Establishment number"), self.establishment)
        form.addRow(pick("事業所名", "Establishment name"), self.name)
        form.addRow(pick("ユーザーID", "User ID"), self.user_id)
        form.addRow(pick("利用方法", "Mode"), self.mode)
        form.addRow(pick("VPN 接続設定", "VPN setting"), self.vpn_account)
        form.addRow(pick("ZIPファイルのパスワード", "ZIP password"), self.zip_password)
        form.addRow(pick("パスワード（確認）", "ZIP password (again)"), self.zip_confirm)
        note = QLabel(pick("パスワードは Windows の資格情報マネージャーにだけ保存され、ファイルには書き込まれません。",
                           "The password is kept only in the Windows Credential Manager, never in a file."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        self.error = QLabel()
        self.error.setObjectName("setupError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERR_STYLE)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addStretch(1)

    def initializePage(self) -> None:
        reg = self.form_page.registration
        est = self.vpn_page.establishment.text().strip() or (str(reg.establishment) if reg is not None else "")
        if est and not self.establishment.text():
            self.establishment.setText(est)
        if reg is not None:
            if not self.name.text():
                self.name.setText(reg.office_name)
            if not self.user_id.text():
                self.user_id.setText(reg.user_id)
        names = [self.vpn_page.existing.itemText(i) for i in range(self.vpn_page.existing.count())]
        self.vpn_account.clear()
        self.vpn_account.addItems(names)
        self.vpn_account.setCurrentText(self.vpn_page.chosen())

    def validatePage(self) -> bool:
        """Creates the establishment; stays on the page with the reason when something is missing or wrong."""
        if self.created is not None:
            return True
        if self.services is None:
            self.error.setText(pick("アプリの準備が終わっていないため登録できません。メイン画面が表示されてから、"
                                    "もう一度お試しください。",
                                    "The app is not ready yet; try again once the main window is up."))
            return False
        pw = self.zip_password.text()
        if pw != self.zip_confirm.text():
            self.error.setText(pick("ZIPファイルのパスワードが、確認のために入力したものと一致しません。",
                                    "The two ZIP passwords do not match."))
            self.zip_confirm.setFocus()
            return False
        vpn = self.vpn_account.currentText().strip()
        if not vpn:
            self.error.setText(pick("VPN 接続設定を選んでください"
                                    "（前のページで .vpn ファイルを取り込むこともできます）。",
                                    "Choose the VPN setting (or import the .vpn file on the previous page)."))
            self.vpn_account.setFocus()
            return False
        try:
            self.created = self.services.add_profile(
                establishment=self.establishment.text(), name=self.name.text(), user_id=self.user_id.text(),
                mode=str(self.mode.currentData()), zip_password=pw, vpn_account=vpn)
        except DenshiError as e:
            self.error.setText(_error_text(e))
            field = {"profile_establishment": self.establishment, "profile_name": self.name,
                     "profile_user_id": self.user_id, "profile_zip_password": self.zip_password}.get(e.code or "")
            if field is not None:
                field.setFocus()
            return False
        finally:
            self.zip_password.clear()
            self.zip_confirm.clear()
        self.error.clear()
        from denshi_client.ui.onboarding_wizard import OnboardingWizard  # the wizard imports this page

        wizard = self.wizard()
        if isinstance(wizard, OnboardingWizard):
            wizard.profile_created.emit(self.created.id)
        return True

    def nextId(self) -> int:
        return PAGE_MAIL  # the optional mail step (ui/onboarding_mail_page.py)
