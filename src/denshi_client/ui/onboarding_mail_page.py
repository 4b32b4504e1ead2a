"""The first-start wizard's optional mail step: the mailbox the OTP is read from (issue 15).

Skippable: with 「使わない」 (the default) finishing changes nothing. Otherwise finishing writes the same
settings `denshi-client mail setup` writes (`[mail]`, `otp_mail.sender`) and the password only to the
credential store. Keys IT has locked in the policy are shown with their value and cannot be changed.
「メール設定をテスト」 runs on the worker (ui/mail_check.py).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from denshi_client.i18n import pick
from denshi_client.ui.worker import run_in_background

log = logging.getLogger(__name__)

_ERR_STYLE = "color: #b00020;"
_OK_STYLE = "color: #1e7a3c;"


class MailPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(pick("ワンタイムパスワードのメール（任意）", "The one-time password mail (optional)"))
        self.setSubTitle(pick(
            "基金から届くワンタイムパスワードのメールを、VPN 接続の前にこのアプリが読み取れるようにします。"
            "不要な場合や後で設定する場合は、「使わない」のまま［完了］を押してください。",
            "Let the app read the fund's one-time password mail before the VPN starts. To skip this or set it up "
            "later, leave “Not used” and press Finish."))
        self.protocol = QComboBox()
        self.protocol.addItem(pick("使わない（手で入力する）", "Not used (type it yourself)"), "none")
        self.protocol.addItem(pick("IMAP（推奨）", "IMAP (recommended)"), "imap")
        self.protocol.addItem("POP3", "pop3")
        self.host = QLineEdit()
        self.host.setPlaceholderText("imap.example.co.jp")
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText(pick("標準（方式に合わせる）", "Standard"))
        self.security = QComboBox()
        self.security.addItem("SSL/TLS", "ssl")
        self.security.addItem("STARTTLS", "starttls")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(pick("メールのパスワード（アプリ パスワード）",
                                              "Mail password (app password)"))
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setPlaceholderText(pick("空欄 = Windows の証明書ストア", "empty = the system's store"))
        self.sender_address = QLineEdit()
        self.sender_address.setPlaceholderText("otp@kikin.example.jp")
        self.test_button = QPushButton(pick("メール設定をテスト", "Test the mail settings"))
        self.test_button.setObjectName("wizardMailTest")
        self.test_button.clicked.connect(self._test)
        self.result = QLabel()
        self.result.setObjectName("wizardMailResult")
        self.result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(pick("受信方式", "Protocol"), self.protocol)
        form.addRow(pick("メールサーバー", "Server"), self.host)
        form.addRow(pick("ポート番号", "Port"), self.port)
        form.addRow(pick("暗号化", "Security"), self.security)
        form.addRow(pick("ユーザー名", "User name"), self.user)
        form.addRow(pick("パスワード", "Password"), self.password)
        form.addRow(pick("ルート証明書ファイル", "CA bundle"), self.ca_bundle)
        form.addRow(pick("送信元アドレス", "Sender address"), self.sender_address)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        note = QLabel(pick("パスワードは Windows の資格情報マネージャーにだけ保存します。メールは既読にも削除にも"
                           "しません。", "The password is kept only in the credential store. No mail is marked "
                           "or deleted."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addWidget(self.result)
        lay.addWidget(note)
        lay.addStretch(1)
        self._keys: dict[str, QWidget] = {"mail.protocol": self.protocol, "mail.host": self.host,
                                          "mail.port": self.port, "mail.security": self.security,
                                          "mail.user": self.user, "mail.ca_bundle": self.ca_bundle,
                                          "otp_mail.sender": self.sender_address}
        self._locked: set[str] = set()
        self._load()

    def _load(self) -> None:
        """Start from what is set (IT may have pre-set the server and the sender); locked keys stay fixed."""
        from denshi_client.services import current_settings

        try:
            eff: Any = current_settings()
        except Exception as exc:
            log.warning("mail step: settings unreadable (%s)", type(exc).__name__)
            return
        for key, w in self._keys.items():
            value = eff.value(key)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(value)))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value))
            elif isinstance(w, QLineEdit):
                w.setText(str(value))
            if eff.is_locked(key):
                self._locked.add(key)
                w.setEnabled(False)
                w.setToolTip(pick("この項目は社内の管理者（IT担当者）が固定しています。",
                                  "Fixed by your IT administrator."))

    def _values(self) -> dict[str, Any]:
        return {"mail.protocol": self.protocol.currentData(), "mail.host": self.host.text().strip(),
                "mail.port": self.port.value(), "mail.security": self.security.currentData(),
                "mail.user": self.user.text().strip(), "mail.ca_bundle": self.ca_bundle.text().strip(),
                "otp_mail.sender": self.sender_address.text().strip()}

    def _missing(self, v: dict[str, Any]) -> str:
        if v["mail.protocol"] == "none":
            return pick("受信方式で IMAP か POP3 を選んでください。", "Choose IMAP or POP3.")
        if not v["mail.host"] or not v["mail.user"]:
            return pick("メールサーバーとユーザー名を入力してください。", "Enter the server and the user name.")
        return ""

    def _say(self, text: str, style: str = "") -> None:
        self.result.setStyleSheet(style)
        self.result.setText(text)

    def _test(self) -> None:
        from denshi_client.mail.source import MailAccount
        from denshi_client.ui.mail_check import check_mailbox

        v = self._values()
        missing = self._missing(v)
        if missing:
            self._say(missing, _ERR_STYLE)
            return
        account = MailAccount(protocol=v["mail.protocol"], host=v["mail.host"], user=v["mail.user"],
                              port=v["mail.port"], security=v["mail.security"], ca_bundle=v["mail.ca_bundle"],
                              timeout=15.0)
        typed, sender = self.password.text(), v["otp_mail.sender"]
        self.test_button.setEnabled(False)
        self._say(pick("メールサーバーに接続してテストしています…", "Testing the mail server…"))
        run_in_background(lambda: check_mailbox(account, typed, sender, ""), self._tested, self._failed)

    def _tested(self, result: Any) -> None:
        from denshi_client.ui.mail_check import check_text

        try:
            self.test_button.setEnabled(True)
        except RuntimeError:  # the wizard was closed meanwhile
            return
        self._say(check_text(result), _OK_STYLE)

    def _failed(self, exc: BaseException) -> None:
        from denshi_client.ui.mail_check import failure_text

        try:
            self.test_button.setEnabled(True)
        except RuntimeError:
            return
        self._say(failure_text(exc), _ERR_STYLE)

    def validatePage(self) -> bool:
        """Finish: nothing to do when skipped; otherwise save the settings and the password (keyring only)."""
        v = self._values()
        if v["mail.protocol"] == "none" and "mail.protocol" not in self._locked:
            return True
        missing = self._missing(v)
        if missing:
            self._say(missing, _ERR_STYLE)
            return False
        from denshi_client.mail.account import store_password
        from denshi_client.services import save_setting

        try:
            for key, value in v.items():
                if key not in self._locked:
                    save_setting(key, value)
            if self.password.text():
                store_password(self.password.text())
        except Exception as exc:
            from denshi_client.ui.mail_check import failure_text

            self._say(failure_text(exc), _ERR_STYLE)
            return False
        self.password.clear()
        return True

    def isComplete(self) -> bool:
        return True  # optional: the user may finish with 「使わない」

    def nextId(self) -> int:
        return -1
