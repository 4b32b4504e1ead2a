"""Asks for the one-time password while e-mail still works, i.e. before the VPN starts.

The fund e-mails the OTP, and e-mail stops working once the VPN is up, so this dialog says
plainly: read the mail now. In demo mode it tells where the stand-in "sends" its mail.
When a mailbox is set up the connect flow watches it (ui/otp_mail_watch.py) and this dialog shows
「メールを確認しています…」, then fills in the code — but only into an empty field: what the user
typed is never overwritten; the mail's code is then offered with a button instead.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class OtpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, user_id: str = "", demo_hint: str = "",
                 required: bool = True, error: str = "", request: str = "sent") -> None:
        """`request` says what the connect did about the OTP, so the first line is true: "sent" (direct
        mode), "page_opened" / "no_page" (browser mode, with or without a request page set up),
        "none" (the user already has a code; nothing was requested), or "retry" (the service refused
        the code; the VPN is up and the same mail's code is typed again)."""
        super().__init__(parent)
        self.request = request
        self.setObjectName("otpDialog")
        self.setWindowTitle(self.tr("ワンタイムパスワードの入力"))
        self.setModal(True)
        self.setMinimumWidth(540)

        self.lead = lead = QLabel(self._request_line() + "<br>" + (
            self.tr("リクエストのあと、基金から届くメールを<b>今すぐ</b>開いて、ワンタイムパスワードを入力してください。")
            if request == "page_opened" else
            "" if request == "no_page" else  # its first line already says what to do
            self.tr("先ほど届いたメールのワンタイムパスワードを確認して、もう一度入力してください"
                    "（新しいリクエストは不要です）。") if request == "retry" else
            self.tr("届いたワンタイムパスワードを入力してください。") if request == "none" else
            self.tr("基金から届くメールを<b>今すぐ</b>開いて、ワンタイムパスワードを入力してください。")))
        lead.setTextFormat(Qt.TextFormat.RichText)
        lead.setWordWrap(True)

        warn = QLabel(self.tr(
            "VPN接続中のため、新しいメールは受信できません。すでに受信したメールの内容をご確認ください。")
            if request == "retry" else self.tr(
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
        ok.setText(self.tr("ログイン(&L)") if request == "retry" else self.tr("VPN接続を開始(&S)"))
        ok.setDefault(True)
        if request == "retry":  # cancelling now ends the visit with the VPN: the button says so
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("入力をやめて切断(&D)"))
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
        # the mailbox watch: one status line, and a button when the mail's code differs from what was typed
        self.mail_status = QLabel("")
        self.mail_status.setObjectName("otpMailStatus")
        self.mail_status.setWordWrap(True)
        self.mail_status.hide()
        self.use_mail_code = QPushButton(self.tr("メールのコードを使う(&M)"))
        self.use_mail_code.setObjectName("otpUseMailCode")
        self.use_mail_code.clicked.connect(self._take_mail_code)
        self.use_mail_code.hide()
        self._mail_code = ""
        mail_row = QHBoxLayout()
        mail_row.addWidget(self.mail_status, 1)
        mail_row.addWidget(self.use_mail_code, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(mail_row)
        if demo_hint:
            demo = QLabel(demo_hint)
            demo.setObjectName("otpDemoHint")
            demo.setWordWrap(True)
            demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            demo.setStyleSheet("color: #1f5fa8;")
            lay.addWidget(demo)
        lay.addWidget(self.buttons)
        self.edit.setFocus()

    def _request_line(self) -> str:
        if self.request == "page_opened":
            return self.tr("ワンタイムパスワードのリクエストページをブラウザーで開きました。"
                           "ページの案内に従ってリクエストしてください。")
        if self.request == "no_page":
            return self.tr("ワンタイムパスワードのリクエスト先が設定されていません。"
                           "基金の案内に従ってリクエストしてから、"
                           "届いたワンタイムパスワードを入力してください。<br>"
                           "リクエスト先のページを設定に登録すると、次回から接続時に自動で開きます"
                           "（登録は社内の担当者にご依頼ください）。")
        if self.request == "none":
            return self.tr("お手元のワンタイムパスワードで接続します。")
        if self.request == "retry":
            return self.tr("電子連携サービスがワンタイムパスワードを受け付けませんでした。VPN接続は維持しています。")
        return self.tr("ワンタイムパスワードのリクエストを送信しました。")

    # ----- the mailbox watch -------------------------------------------------------------------
    def set_mail_waiting(self) -> None:
        self.lead.setText(self._request_line() + "<br>" + self.tr(
            "基金からのメールを自動で確認し、届きしだいワンタイムパスワードを入力します。\n"
            "ご自分で入力することもできます。"
        ).replace("\n", "<br>"))
        self._mail_line(self.tr("メールを確認しています…"), "#1f5fa8")

    def offer_mail_code(self, code: str) -> bool:
        """The code from the mail: filled in when the field is empty (True); never over what was typed."""
        typed = self.otp()
        self._mail_code = code
        if not typed:
            self.edit.setText(code)
            self.edit.setFocus()
            self.use_mail_code.hide()
            self._mail_line(self.tr("メールからワンタイムパスワードを読み取りました。確認のうえ"
                                    "［VPN接続を開始］を押してください。"), "#1e7a3c")
            return True
        if typed == code:
            self.use_mail_code.hide()
            self._mail_line(self.tr("入力されたワンタイムパスワードは、基金からのメールの内容と一致しています。"),
                            "#1e7a3c")
        else:
            self.use_mail_code.show()
            self._mail_line(self.tr("基金からのメールを読み取りましたが、入力済みの内容は変更していません。"
                                    "メールのワンタイムパスワードを使う場合は、右のボタンを押してください。"),
                            "#7a4b00")
        return False

    def show_mail_problem(self, message: str, hint: str) -> None:
        """A time-out or a mailbox error: one short line; typing the code keeps working."""
        self.use_mail_code.hide()
        self._mail_line(message + (f"\n{hint}" if hint else ""), "#7a4b00")

    def _take_mail_code(self) -> None:
        if self._mail_code:
            self.edit.setText(self._mail_code)
            self.edit.setFocus()
            self.use_mail_code.hide()
            self._mail_line(self.tr("メールのワンタイムパスワードを入力しました。内容を確認して"
                                    "［VPN接続を開始］を押してください。"), "#1e7a3c")

    def _mail_line(self, text: str, color: str) -> None:
        self.mail_status.setText(text)
        self.mail_status.setStyleSheet(f"color: {color};")
        self.mail_status.show()

    def otp(self) -> str:
        import unicodedata

        return unicodedata.normalize("NFKC", self.edit.text()).strip()
