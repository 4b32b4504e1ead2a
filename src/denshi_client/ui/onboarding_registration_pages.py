"""The wizard's first pages: the introduction (or straight to the VPN step), the registration form
(電子連携管理者登録届) and the mail to the fund with the packed form."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
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
    QWizardPage,
)

from denshi_client.errors import ValidationError
from denshi_client.errors import error_line as _error_text
from denshi_client.i18n import pick
from denshi_client.onboarding import registration as rg
from denshi_client.ui.onboarding_steps import (
    _ERR_STYLE,
    PAGE_FORM,
    PAGE_VPN,
    _default_out_dir,
    _settings,
)
from denshi_client.ui.worker import run_in_background


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
