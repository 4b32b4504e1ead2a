"""Asks for the one-time password while e-mail still works, i.e. before the VPN starts.

The fund e-mails the OTP, and e-mail stops working once the VPN is up, so this dialog says
plainly: read the mail now. In demo mode it tells where the stand-in "sends" its mail.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class OtpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, user_id: str = "", demo_hint: str = "",
                 required: bool = True, error: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("otpDialog")
        self.setWindowTitle(self.tr("ワンタイムパスワードの入力"))
        self.setModal(True)
        self.setMinimumWidth(540)

        lead = QLabel(self.tr(
            "ワンタイムパスワードのリクエストを送信しました。\n"
            "基金から届くメールを<b>今すぐ</b>開いて、ワンタイムパスワードを入力してください。"
        ).replace("\n", "<br>"))
        lead.setTextFormat(Qt.TextFormat.RichText)
        lead.setWordWrap(True)

        warn = QLabel(self.tr(
            "メールはVPN接続中は使えません。VPN接続を開始する前に、ここで入力を済ませてください。"))
        warn.setObjectName("otpWarning")
        warn.setWordWrap(True)
        warn.setFrameShape(QFrame.Shape.StyledPanel)
        warn.setStyleSheet("QLabel#otpWarning { background: #fff4e5; color: #7a4b00; padding: 8px; }")

        who = QLabel(self.tr("ユーザーID: %1").replace("%1", user_id)) if user_id else None

        self.edit = QLineEdit()
        self.edit.setObjectName("otpEdit")
        self.edit.setPlaceholderText(self.tr("例: 123456"))
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9A-Za-z０-９]{0,16}"), self))
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhSensitiveData)
        label = QLabel(self.tr("ワンタイムパスワード(&O):"))
        label.setBuddy(self.edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("VPN接続を開始(&S)"))
        ok.setDefault(True)
        if required:
            ok.setEnabled(False)
            self.edit.textChanged.connect(lambda t: ok.setEnabled(len(t.strip()) >= 4))
        else:
            self.edit.setPlaceholderText(self.tr("（ブラウザーの認証画面で入力する場合は空欄のまま）"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(lead)
        lay.addWidget(warn)
        if who:
            lay.addWidget(who)
        lay.addWidget(label)
        lay.addWidget(self.edit)
        self.error = QLabel(error)
        self.error.setObjectName("otpError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setVisible(bool(error))
        lay.addWidget(self.error)
        if demo_hint:
            demo = QLabel(demo_hint)
            demo.setObjectName("otpDemoHint")
            demo.setWordWrap(True)
            demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            demo.setStyleSheet("color: #1f5fa8;")
            lay.addWidget(demo)
        lay.addWidget(self.buttons)
        self.edit.setFocus()

    def otp(self) -> str:
        import unicodedata

        return unicodedata.normalize("NFKC", self.edit.text()).strip()
