"""The wizard's VPN page: choose the fund's connection setting (or import its .vpn file) and test it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from denshi_client.errors import ValidationError
from denshi_client.errors import error_line as _error_text
from denshi_client.i18n import pick
from denshi_client.ui.onboarding_registration_pages import FormPage
from denshi_client.ui.onboarding_steps import (
    _ERR_STYLE,
    PAGE_MAIL,
    PAGE_PROFILE,
    _settings,
)
from denshi_client.ui.worker import run_in_background


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
