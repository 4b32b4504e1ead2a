"""はじめての設定 (onboarding) wizard: registration form → mail to the fund → VPN settings → connection test →
the establishment itself (number, name, user ID, mode, ZIP password, VPN setting), created and made active
(when the app's services are given) → (optional) the mailbox the OTP is read from.

Self-contained: the main window only calls `show_onboarding_wizard(parent)`. Every rule lives in
`onboarding.registration` and the VPN driver; this file only asks, shows and waits. File writing,
ZIP packing, the .vpn import and the connection test run on the worker pool (`ui.worker`).
The steps are weeks apart in real life (the fund answers in 2-3 weeks), so the first page lets
the user jump straight to importing the VPN settings file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from denshi_client.errors import DenshiError, ValidationError
from denshi_client.errors import error_line as _error_text
from denshi_client.i18n import pick
from denshi_client.onboarding import registration as rg
from denshi_client.ui.worker import run_in_background

PAGE_INTRO, PAGE_FORM, PAGE_SEND, PAGE_VPN, PAGE_PROFILE, PAGE_MAIL = range(6)
_ERR_STYLE = "color: #b00020;"


def _settings() -> Any:
    try:
        from denshi_client.store.settings import load_effective_settings

        return load_effective_settings()
    except DenshiError:
        return None


def _default_out_dir() -> Path:
    st = _settings()
    if st is not None:
        return st.folders.documents_root_path() / "登録届"
    return Path.home() / "電子連携" / "登録届"


class IntroPage(QWizardPage):
    def __init__(self, setup_first: bool = False) -> None:
        super().__init__()
        self.setTitle(pick("はじめての設定", "First-time set-up"))
        self.setSubTitle(pick("基金の電子連携サービスを使い始めるための準備を、順番にご案内します。",
                              "This guides you through getting ready for the fund's electronic linkage service."))
        lay = QVBoxLayout(self)
        steps = QLabel(pick(
            "1. 「電子連携管理者登録届」を作成し、パスワード付きZIPにします。\n"
            "2. 基金 業務課あてのメールを作成します（ZIPを添付し、パスワードは別のメールで送ります）。\n"
            "3. 基金への登録が済んだら、VPN接続設定を選び（または基金から届いた .vpn ファイルを取り込み）、"
            "事業所番号・ユーザーID・ZIPパスワードを登録します。",
            "1. Create the administrator registration form and pack it into a password ZIP.\n"
            "2. Write the mail to the fund's operations desk (attach the ZIP; send the password separately).\n"
            "3. Once the fund has registered you, choose the VPN setting (or import the fund's .vpn file) and "
            "register the establishment number, user ID and ZIP password."))
        steps.setWordWrap(True)
        lay.addWidget(steps)
        self.register_radio = QRadioButton(pick("登録届を作成する（1・2）", "Create the registration form (1, 2)"))
        self.vpn_radio = QRadioButton(pick("基金への登録が済んでいるので、VPN接続設定と事業所を登録する（3）",
                                           "The fund has registered us: set up the VPN setting and the "
                                           "establishment (3)"))
        (self.vpn_radio if setup_first else self.register_radio).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.register_radio)
        group.addButton(self.vpn_radio)
        lay.addSpacing(12)
        lay.addWidget(self.register_radio)
        lay.addWidget(self.vpn_radio)
        lay.addStretch(1)

    def nextId(self) -> int:
        return PAGE_VPN if self.vpn_radio.isChecked() else PAGE_FORM


class FormPage(QWizardPage):
    """The eight fields of the fund's form, checked as the user leaves each one."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(pick("電子連携管理者登録届", "Administrator registration form"))
        self.setSubTitle(pick("基金の様式の2行目に入る内容です。すべての項目を入力してください。",
                              "These go into row 2 of the fund's form. Please fill in every field."))
        form = QFormLayout()
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy/MM/dd")
        self.establishment = QLineEdit()
        self.establishment.setPlaceholderText(pick("例: 0123（4桁までの数字）", "e.g. 0123 (up to 4 digits)"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(pick("例: 電子 太郎", "e.g. 電子 太郎"))
        self.kana = QLineEdit()
        self.kana.setPlaceholderText(pick("例: デンシ タロウ（半角カナは全角に直します）",
                                          "e.g. デンシ タロウ (half-width kana is converted)"))
        self.email = QLineEdit()
        self.email.setPlaceholderText("taro@example.co.jp")
        self.user_id = QLineEdit()
        self.office = QLineEdit()
        self.pcs = QSpinBox()
        self.pcs.setRange(1, rg.MAX_PCS)
        self.pcs.setSuffix(pick(" 台", " PC(s)"))
        form.addRow(pick("入力日", "Input date"), self.date)
        form.addRow(pick("事業所番号", "Establishment number"), self.establishment)
        form.addRow(pick("管理者氏名（漢字）", "Administrator name"), self.name)
        form.addRow(pick("管理者氏名（カナ）", "Administrator name (kana)"), self.kana)
        form.addRow(pick("管理者メールアドレス", "Administrator e-mail"), self.email)
        form.addRow(pick("ユーザーID", "User ID"), self.user_id)
        form.addRow(pick("事業所名", "Establishment name"), self.office)
        form.addRow(pick("利用予定PC台数", "Number of PCs"), self.pcs)

        self.template = QLineEdit()
        self.template.setPlaceholderText(pick("（任意）基金から届いた様式があれば指定します",
                                              "(optional) the fund's own .xlsx form"))
        tbtn = QPushButton(pick("参照…", "Browse…"))
        tbtn.clicked.connect(self._pick_template)
        trow = QHBoxLayout()
        trow.addWidget(self.template, 1)
        trow.addWidget(tbtn)
        form.addRow(pick("様式ファイル", "Template"), trow)

        self.out_dir = QLineEdit(str(_default_out_dir()))
        obtn = QPushButton(pick("参照…", "Browse…"))
        obtn.clicked.connect(self._pick_out_dir)
        orow = QHBoxLayout()
        orow.addWidget(self.out_dir, 1)
        orow.addWidget(obtn)
        form.addRow(pick("保存先フォルダー", "Save to"), orow)

        self.zip_format = QComboBox()
        self.zip_format.addItem(pick("AES-256（推奨）", "AES-256 (recommended)"), "aes256")
        self.zip_format.addItem(pick("ZipCrypto（Windows の標準機能で開けます）", "ZipCrypto (opens in Explorer)"),
                                "zipcrypto")
        st = _settings()
        if st is not None:
            self.zip_format.setCurrentIndex(max(0, self.zip_format.findData(st.zip.format)))
            if st.is_locked("zip.format"):
                self.zip_format.setEnabled(False)
                self.zip_format.setToolTip(pick("IT 管理者が設定を固定しています。", "Locked by your IT policy."))
        form.addRow(pick("ZIP の暗号方式", "ZIP encryption"), self.zip_format)

        self.error = QLabel()
        self.error.setStyleSheet(_ERR_STYLE)
        self.error.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.kana.editingFinished.connect(self._normalize_kana)
        self.registration: rg.Registration | None = None

    def _pick_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, pick("様式ファイルを選択", "Choose the template"), "",
                                              "Excel (*.xlsx)")
        if path:
            self.template.setText(path)

    def _pick_out_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, pick("保存先フォルダー", "Save to"), self.out_dir.text())
        if path:
            self.out_dir.setText(path)

    def _normalize_kana(self) -> None:
        text = self.kana.text()
        if not text.strip():
            return
        try:
            self.kana.setText(rg.validate_kana(text))
            self.error.clear()
        except ValidationError as e:
            self.error.setText(e.message())

    def validatePage(self) -> bool:
        d = self.date.date()
        try:
            self.registration = rg.build_registration(
                establishment=self.establishment.text(), admin_name=self.name.text(), admin_kana=self.kana.text(),
                email=self.email.text(), user_id=self.user_id.text(), office_name=self.office.text(),
                pcs=self.pcs.value(), input_date=f"{d.year():04d}-{d.month():02d}-{d.day():02d}")
        except ValidationError as e:
            self.error.setText(e.message() + (f"\n{e.hint()}" if e.hint() else ""))
            widget = {"establishment": self.establishment, "admin_name": self.name, "admin_kana": self.kana,
                      "email": self.email, "user_id": self.user_id, "office_name": self.office}.get(
                getattr(e, "field", ""))
            if widget is not None:
                widget.setFocus()
            return False
        self.error.clear()
        return True


class SendPage(QWizardPage):
    """Writes the files in the background, then shows the password and opens the mails."""

    def __init__(self, form_page: FormPage) -> None:
        super().__init__()
        self.form_page = form_page
        self.setTitle(pick("基金へ送付", "Send to the fund"))
        self.setSubTitle(pick("ZIPファイルを添付したメールと、パスワードだけを書いたメールを、別々にお送りください。",
                              "Send the ZIP in one mail and the password in another."))
        self.pkg: rg.RegistrationPackage | None = None
        self.status = QLabel(pick("作成しています…", "Creating…"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password = QLineEdit()
        self.password.setReadOnly(True)
        self.password.setObjectName("zipPassword")
        f = self.password.font()
        f.setPointSize(f.pointSize() + 4)
        f.setFamily("Consolas")
        self.password.setFont(f)
        copy = QPushButton(pick("コピー", "Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.password.text()))
        prow = QHBoxLayout()
        prow.addWidget(QLabel(pick("ZIPのパスワード:", "ZIP password:")))
        prow.addWidget(self.password, 1)
        prow.addWidget(copy)
        self.mail_btn = QPushButton(pick("① 登録届のメールを作成", "① Write the mail with the form"))
        self.pw_mail_btn = QPushButton(pick("② パスワードのメールを作成", "② Write the password mail"))
        self.folder_btn = QPushButton(pick("ZIPのあるフォルダーを開く", "Open the folder with the ZIP"))
        self.mail_btn.clicked.connect(lambda: self._open(self.pkg.form_mailto if self.pkg else ""))
        self.pw_mail_btn.clicked.connect(lambda: self._open(self.pkg.password_mailto if self.pkg else ""))
        self.folder_btn.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pkg.archive.parent))) if self.pkg else None)
        self.note = QLabel(pick(
            "※ メールソフトの仕組み上、ファイルは自動で添付されません。①のメールに ZIP ファイルを添付してから送信して"
            "ください。パスワードは①のメールには書かず、②のメールでお知らせください。",
            "Note: a mail link cannot attach files. Attach the ZIP to mail ① yourself; put the password only "
            "in mail ②."))
        self.note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addLayout(prow)
        for b in (self.mail_btn, self.pw_mail_btn, self.folder_btn):
            b.setEnabled(False)
            lay.addWidget(b)
        lay.addWidget(self.note)
        lay.addStretch(1)
        self.setFinalPage(True)  # the fund answers in 2-3 weeks: the user may finish here and come back

    def initializePage(self) -> None:
        self.pkg = None
        self.password.clear()
        self.status.setText(pick("登録届を作成しています…", "Creating the form…"))
        reg = self.form_page.registration
        if reg is None:
            return
        tpl = self.form_page.template.text().strip()
        out_dir = Path(self.form_page.out_dir.text().strip() or _default_out_dir())
        fmt = self.form_page.zip_format.currentData()

        def work() -> rg.RegistrationPackage:
            return rg.prepare(reg, out_dir, template=Path(tpl) if tpl else None, fmt=fmt)

        run_in_background(work, self._done, self._failed)
        self.completeChanged.emit()

    def _done(self, pkg: rg.RegistrationPackage) -> None:
        self.pkg = pkg
        self.password.setText(pkg.password)
        to = pkg.to or pick("（未設定：メールソフトで入力してください）", "(not set: enter it in your mail program)")
        self.status.setText(pick(
            f"作成しました。\n登録届: {pkg.form}\nZIP: {pkg.archive}\n送付先: {to}",
            f"Done.\nForm: {pkg.form}\nZIP: {pkg.archive}\nTo: {to}"))
        for b in (self.mail_btn, self.pw_mail_btn, self.folder_btn):
            b.setEnabled(True)
        self.completeChanged.emit()

    def _failed(self, e: BaseException) -> None:
        self.status.setText(_error_text(e))
        self.status.setStyleSheet(_ERR_STYLE)

    def _open(self, url: str) -> None:
        if url and not QDesktopServices.openUrl(QUrl(url)):
            self.status.setText(pick("メールソフトを起動できませんでした。既定のメールソフトの設定をご確認ください。",
                                     "Could not start the mail program. Check the default mail app."))

    def isComplete(self) -> bool:
        return self.pkg is not None

    def nextId(self) -> int:
        return PAGE_VPN


class VpnPage(QWizardPage):
    """The VPN connection setting: one the VPN client already has (the fund's installer makes it), or the fund's
    .vpn file imported through the VPN driver; then one connect/disconnect as a test."""

    def __init__(self, form_page: FormPage, driver: Any = None, demo: bool | None = None) -> None:
        super().__init__()
        self.form_page = form_page
        self._driver = driver
        self._demo = demo
        self.setTitle(pick("VPN 接続の設定", "VPN connection"))
        self.setSubTitle(pick("基金のインストーラーが VPN クライアントに作った接続設定を選びます。"
                              "基金から VPN 設定ファイル（.vpn）が届いている場合は、取り込んで使うこともできます。",
                              "Choose the connection setting the fund's installer made in the VPN client, or "
                              "import the VPN settings file (.vpn) the fund sent."))
        self.existing = QComboBox()
        self.existing.setObjectName("vpnExisting")
        self.existing.setMinimumWidth(320)
        self.existing.currentTextChanged.connect(lambda *_: self._chosen_changed())
        self.reload_btn = QPushButton(pick("一覧を更新", "Refresh"))
        self.reload_btn.clicked.connect(self.load_accounts)
        self.vpn_file = QLineEdit()
        self.vpn_file.setPlaceholderText(pick("基金から届いた .vpn ファイル", "the .vpn file from the fund"))
        browse = QPushButton(pick("参照…", "Browse…"))
        browse.clicked.connect(self._pick)
        self.establishment = QLineEdit()
        self.establishment.setPlaceholderText(pick("例: 123", "e.g. 123"))
        self.account = QLabel()
        self.import_btn = QPushButton(pick("取り込む", "Import"))
        self.test_btn = QPushButton(pick("接続テスト", "Test the connection"))
        self.test_btn.setEnabled(False)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("vpnResult")
        self.import_btn.clicked.connect(self._import)
        self.test_btn.clicked.connect(self._test)
        self.establishment.textChanged.connect(self._update_account)
        erow = QHBoxLayout()
        erow.addWidget(self.existing, 1)
        erow.addWidget(self.reload_btn)
        top = QFormLayout()
        top.addRow(pick("VPN 接続設定", "VPN setting"), erow)
        row = QHBoxLayout()
        row.addWidget(self.vpn_file, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(pick("VPN 設定ファイル", "VPN settings file"), row)
        form.addRow(pick("事業所番号", "Establishment number"), self.establishment)
        form.addRow(pick("取り込む接続設定名", "Account name"), self.account)
        or_label = QLabel(pick("接続設定が一覧にない場合は、基金から届いた VPN 設定ファイルを取り込みます。",
                               "If the setting is not listed, import the VPN settings file from the fund."))
        or_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_btn)
        buttons.addWidget(self.test_btn)
        buttons.addStretch(1)
        note = QLabel(pick("※ 接続テストでは、接続できたことを確かめてすぐに切断します。VPN 接続中はインターネットと"
                           "メールが使えません。", "The test connects and disconnects at once. While the VPN is up, "
                           "internet and e-mail do not work."))
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addSpacing(8)
        lay.addWidget(or_label)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.result)
        lay.addWidget(note)
        lay.addStretch(1)
        self.imported = False
        self._loaded = False

    def initializePage(self) -> None:
        reg = self.form_page.registration
        if reg is not None and not self.establishment.text():
            self.establishment.setText(str(reg.establishment))
        self._update_account()
        if not self._loaded:
            self.load_accounts()

    # ----- the client's existing settings -----------------------------------------------------
    def load_accounts(self, select: str = "") -> None:
        """Reads the VPN client's settings on the worker (vpncmd takes a moment)."""
        self._loaded = True
        self.reload_btn.setEnabled(False)
        keep = select or self.existing.currentText()

        def work() -> list[str]:
            return sorted({a.name for a in self.driver().list_accounts()})

        def done(names: list[str]) -> None:
            self.reload_btn.setEnabled(True)
            self.existing.blockSignals(True)
            self.existing.clear()
            self.existing.addItems(names)
            if keep and self.existing.findText(keep) < 0:
                self.existing.addItem(keep)
            self.existing.setCurrentIndex(max(0, self.existing.findText(keep)) if names or keep else -1)
            self.existing.blockSignals(False)
            if not names and not keep:
                self.result.setStyleSheet("")
                self.result.setText(pick("VPN クライアントに接続設定がまだありません。基金から届いた VPN 設定"
                                         "ファイルを取り込んでください。",
                                         "The VPN client has no connection setting yet: import the fund's file."))
            self._chosen_changed()

        def failed(e: BaseException) -> None:
            self.reload_btn.setEnabled(True)
            self._fail(e)

        run_in_background(work, done, failed)

    def chosen(self) -> str:
        """The VPN setting the establishment will use ("" when none is chosen yet)."""
        return self.existing.currentText().strip()

    def _chosen_changed(self) -> None:
        self.test_btn.setEnabled(bool(self.chosen()) and self.import_btn.isEnabled())
        self.completeChanged.emit()

    def _account_name(self) -> str:
        est = self.establishment.text().strip()
        st = _settings()
        if st is not None:
            return str(st.vpn.account_name(est))
        return f"denshi-{est}"

    def _update_account(self) -> None:
        self.account.setText(self._account_name() if self.establishment.text().strip() else "")

    def _pick(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, pick("VPN 設定ファイルを選択", "Choose the VPN settings file"),
                                              "", pick("VPN 設定ファイル (*.vpn)", "VPN settings (*.vpn)"))
        if path:
            self.vpn_file.setText(path)

    def driver(self) -> Any:
        if self._driver is None:
            from denshi_client.services import vpn_driver as make_driver

            self._driver = make_driver(demo=self._demo)
        return self._driver

    def _busy(self, busy: bool, text: str = "") -> None:
        self.import_btn.setEnabled(not busy)
        self.test_btn.setEnabled(not busy and bool(self.chosen()))
        if text:
            self.result.setStyleSheet("")
            self.result.setText(text)

    def _fail(self, e: BaseException) -> None:
        self._busy(False)
        self.result.setStyleSheet(_ERR_STYLE)
        self.result.setText(_error_text(e))

    def _import(self) -> None:
        path = self.vpn_file.text().strip()
        if not path or not self.establishment.text().strip():
            self._fail(ValidationError("VPN 設定ファイルと事業所番号を指定してください。",
                                       "Choose the VPN settings file and enter the establishment number."))
            return
        from denshi_client.documents import naming

        try:
            naming.parse_establishment(self.establishment.text())  # the one definition (1-9999)
        except ValidationError as e:
            self._fail(e)
            return
        name = self._account_name()
        self._busy(True, pick("取り込んでいます…", "Importing…"))

        def work() -> Any:
            return self.driver().import_account(path, name)

        def done(info: Any) -> None:
            self.imported = True
            self._busy(False, pick(f"取り込みました（接続設定名: {info.name}）。続けて接続テストを行ってください。",
                                   f"Imported as {info.name}. Now test the connection."))
            self.existing.blockSignals(True)
            if self.existing.findText(info.name) < 0:
                self.existing.addItem(info.name)
            self.existing.setCurrentIndex(self.existing.findText(info.name))
            self.existing.blockSignals(False)
            self._chosen_changed()

        run_in_background(work, done, self._fail)

    def _test(self) -> None:
        name = self.chosen()
        self._busy(True, pick("接続しています…（最大30秒）", "Connecting… (up to 30 s)"))

        def work() -> Any:
            drv = self.driver()
            status = drv.connect(name, timeout=30.0)
            drv.disconnect(name)
            return status

        def done(status: Any) -> None:
            self._busy(False, pick(f"接続できました（{status.server or name}）。すでに切断しています。",
                                   f"Connected ({status.server or name}) and disconnected again."))

        run_in_background(work, done, self._fail)

    def isComplete(self) -> bool:
        return True  # the VPN setting can also be typed on the next page

    def nextId(self) -> int:
        wizard = self.wizard()
        return PAGE_PROFILE if wizard is not None and wizard.page(PAGE_PROFILE) is not None else PAGE_MAIL


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
        wizard = self.wizard()
        if isinstance(wizard, OnboardingWizard):
            wizard.profile_created.emit(self.created.id)
        return True

    def nextId(self) -> int:
        return PAGE_MAIL  # the optional mail step (ui/onboarding_mail_page.py)


class OnboardingWizard(QWizard):
    profile_created = Signal(str)  # the new establishment's profile id (already active)

    def __init__(self, parent: QWidget | None = None, *, driver: Any = None, demo: bool | None = None,
                 services: Any = None, setup_first: bool = False) -> None:
        """`services`: the app's `AppServices` (creates the establishment; its VPN driver lists the settings)."""
        super().__init__(parent)
        if driver is None and services is not None:
            driver = services.vpn
        self.setWindowTitle(pick("はじめての設定 - 電子連携クライアント", "First-time set-up - Denshi Client"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.intro = IntroPage(setup_first)
        self.form = FormPage()
        self.send = SendPage(self.form)
        self.vpn = VpnPage(self.form, driver=driver, demo=demo)
        self.setPage(PAGE_INTRO, self.intro)
        self.setPage(PAGE_FORM, self.form)
        self.setPage(PAGE_SEND, self.send)
        self.setPage(PAGE_VPN, self.vpn)
        if services is not None:  # the wizard can create the establishment itself
            self.profile = ProfilePage(self.form, self.vpn, services)
            self.setPage(PAGE_PROFILE, self.profile)
        from denshi_client.ui.onboarding_mail_page import MailPage

        self.mail = MailPage()
        self.setPage(PAGE_MAIL, self.mail)
        self.setButtonText(QWizard.WizardButton.NextButton, pick("次へ >", "Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, pick("< 戻る", "< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, pick("完了", "Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, pick("キャンセル", "Cancel"))
        self.resize(720, 620)


def show_onboarding_wizard(parent: QWidget | None = None, *, driver: Any = None, demo: bool | None = None,
                           services: Any = None, setup_first: bool = False) -> OnboardingWizard:
    """Open the wizard (non-modal) and return it; the caller may connect to `finished` and `profile_created`."""
    w = OnboardingWizard(parent, driver=driver, demo=demo, services=services, setup_first=setup_first)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    w.show()
    return w
