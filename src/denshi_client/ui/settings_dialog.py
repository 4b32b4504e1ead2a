"""設定: profiles, folders, warning times, idle time, language, ZIP format and the OTP mailbox.

Values are checked and written by `store.settings` through `services` (lock-aware); secrets go only to
`store.secrets`. A key IT's policy locks is shown disabled with a lock note, so the user knows
why it cannot change and whom to ask. The mail tab's password goes only to the keyring, and its
「メール設定をテスト」 logs in with what is on screen (saved or not) on the worker.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from denshi_client import i18n as core_i18n
from denshi_client.errors import error_line as _message

log = logging.getLogger(__name__)


class _KeyEditor:
    """One setting's widgets: the editor, a lock note (icon + text) and an error line."""

    def __init__(self, key: str, editor: QWidget, locked: bool, note: str) -> None:
        from denshi_client.ui.icons import lock_icon

        self.key = key
        self.editor = editor
        self.locked = locked
        editor.setObjectName(f"key_{key.replace('.', '_')}")
        self.lock_row = QWidget()
        row = QHBoxLayout(self.lock_row)
        row.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        icon.setPixmap(lock_icon().pixmap(16, 16))
        self.lock_note = QLabel(note)
        self.lock_note.setObjectName("lockNote")
        self.lock_note.setWordWrap(True)
        self.lock_note.setStyleSheet("color: #5f6368;")
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.lock_note, 1)
        self.error = QLabel()
        self.error.setObjectName("keyError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        if locked:
            editor.setEnabled(False)
        else:
            self.lock_row.hide()
            self.lock_note.hide()

    def setToolTip(self, text: str) -> None:  # mirrors QWidget.setToolTip
        self.editor.setToolTip(text)


class SettingsDialog(QDialog):
    language_changed = Signal(str)
    saved = Signal()

    # Which keys the dialog shows, by tab; the rest stay for IT (policy) and the CLI.
    TABS = (
        ("folders", ("folders.documents_root",)),
        ("session", ("session.warn_minutes", "session.idle_minutes", "visit.send_queue", "visit.fetch_new",
                     "visit.disconnect_countdown_seconds")),
        ("display", ("ui.language", "ui.minimize_to_tray")),
        ("zip", ("zip.format",)),
        ("mail", ("mail.protocol", "mail.host", "mail.port", "mail.security", "mail.user", "mail.ca_bundle",
                  "mail.folder", "otp_mail.sender", "otp_mail.subject_contains", "otp_mail.timeout_seconds",
                  "otp_mail.auto_continue")),
    )

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("設定"))
        self.setMinimumSize(700, 480)
        self.bridge = bridge
        self.editors: dict[str, _KeyEditor] = {}
        self._initial: dict[str, Any] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.load_error = QLabel()
        self.load_error.setWordWrap(True)
        self.load_error.setStyleSheet("color: #b3261e;")
        self.load_error.hide()

        from denshi_client.ui.profiles_page import ProfilesPage

        self.profiles_page = ProfilesPage(bridge)
        self.tabs.addTab(self.profiles_page, self.tr("事業所(&P)"))
        settings = self._load()
        titles = {"folders": self.tr("フォルダー(&F)"), "session": self.tr("接続時間(&T)"),
                  "display": self.tr("表示(&V)"), "zip": self.tr("Zipファイル(&Z)"),
                  "mail": self.tr("メール(&M)")}
        self.mail_page = QWidget()
        self.mail_password = QLineEdit()
        self.mail_test_button = QPushButton(self.tr("メール設定をテスト(&L)"))
        self.mail_test_result = QLabel()
        for tab, keys in self.TABS:
            page = self.mail_page if tab == "mail" else QWidget()
            form = QFormLayout(page)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key in keys:
                ed = self._make_editor(key, settings)
                self.editors[key] = ed
                lab = QLabel(self._label(key))
                lab.setBuddy(ed.editor)
                form.addRow(lab, ed.editor)
                form.addRow("", ed.lock_row)
                form.addRow("", ed.error)
                desc = self._description(key)
                if desc:
                    d = QLabel(desc)
                    d.setWordWrap(True)
                    d.setMinimumWidth(420)
                    d.setStyleSheet("color: #5f6368;")
                    form.addRow("", d)
                if key == "mail.user":
                    self._add_mail_password_row(form)
            if tab == "mail":
                self._add_mail_test_row(form)
                scroll = QScrollArea()
                scroll.setObjectName("mailScroll")
                scroll.setWidgetResizable(True)
                scroll.setFrameShape(QScrollArea.Shape.NoFrame)
                scroll.setWidget(page)
                self.tabs.addTab(scroll, titles[tab])
                continue
            self.tabs.addTab(page, titles[tab])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.load_error)
        lay.addWidget(self.tabs)
        lay.addWidget(self.buttons)

    # ----- building -------------------------------------------------------------------------
    def _load(self) -> Any:
        from denshi_client.services import current_settings

        try:
            return current_settings()
        except Exception as exc:  # a broken file: show where, keep defaults visible but read-only
            self.load_error.setText(self.tr("設定ファイルを読み込めませんでした: ") + _message(exc))
            self.load_error.show()
            return None

    def _label(self, key: str) -> str:
        return {
            "folders.documents_root": self.tr("書類の保存先フォルダー(&D):"),
            "session.warn_minutes": self.tr("切断前の警告（分前）(&W):"),
            "session.idle_minutes": self.tr("無操作で自動切断（分）(&I):"),
            "visit.send_queue": self.tr("送信待ち(&Q):"),
            "visit.fetch_new": self.tr("新着書類(&N):"),
            "visit.disconnect_countdown_seconds": self.tr("作業後の自動切断(&A):"),
            "ui.language": self.tr("表示言語(&L):"),
            "ui.minimize_to_tray": self.tr("タスクトレイ(&R):"),
            "zip.format": self.tr("暗号方式(&E):"),
            "mail.protocol": self.tr("受信方式(&R):"),
            "mail.host": self.tr("メールサーバー(&H):"),
            "mail.port": self.tr("ポート番号(&N):"),
            "mail.security": self.tr("暗号化(&E):"),
            "mail.user": self.tr("ユーザー名(&U):"),
            "mail.ca_bundle": self.tr("ルート証明書ファイル(&C):"),
            "mail.folder": self.tr("受信フォルダー(&D):"),
            "otp_mail.sender": self.tr("送信元アドレス(&S):"),
            "otp_mail.subject_contains": self.tr("件名に含まれる語句(&J):"),
            "otp_mail.timeout_seconds": self.tr("メールを待つ時間(&W):"),
            "otp_mail.auto_continue": self.tr("読み取った後(&A):"),
        }.get(key, key)

    def _description(self, key: str) -> str:
        return {
            "folders.documents_root": self.tr(
                "受信した書類は「事業所番号\\受信\\年\\年月」のフォルダーに整理して保存します。"
                "空欄の場合は「ドキュメント\\電子連携」です。"),
            "session.warn_minutes": self.tr("例: 15, 5, 1（自動切断の15分前・5分前・1分前にお知らせします）"),
            "session.idle_minutes": self.tr("0 を指定すると、無操作による自動切断を行いません。"),
            "visit.disconnect_countdown_seconds": self.tr(
                "送受信が終わると結果と「30秒後に切断します」を表示し、この秒数の後に切断します。"
                "0 を指定すると、自動では切断しません。"),
            "ui.language": self.tr("変更は次回の起動時から反映されます。"),
            "zip.format": self.tr("AES-256 は安全性が高い方式です。Windows標準の機能で開けない場合は"
                                  "ZipCrypto（互換）を選んでください。"),
            "mail.protocol": self.tr("基金から届くワンタイムパスワードのメールを、VPN接続の前にこのアプリが"
                                     "読み取ります。「使わない」の場合は、これまでどおり手で入力します。"),
            "mail.ca_bundle": self.tr("社内の認証局の証明書を使うメールサーバーの場合に指定します。"
                                      "空欄の場合は Windows の証明書ストアで確認します。"),
            "otp_mail.sender": self.tr("このアドレスから届いたメールだけを読みます。複数はカンマ区切り、"
                                       "「@ドメイン」も指定できます。"),
        }.get(key, "")

    def _make_editor(self, key: str, settings: Any) -> _KeyEditor:
        from denshi_client.services import default_settings, setting_spec

        spec = setting_spec(key)
        value = settings.value(key) if settings is not None else spec.default
        locked = bool(settings is not None and settings.is_locked(key))
        editor: QWidget
        if key == "ui.language":
            cb = QComboBox()
            cb.addItem("日本語", "ja")
            cb.addItem("English", "en")
            cb.setCurrentIndex(max(0, cb.findData(value)))
            editor = cb
        elif key == "zip.format":
            cb = QComboBox()
            cb.addItem(self.tr("AES-256（推奨）"), "aes256")
            cb.addItem(self.tr("ZipCrypto（互換）"), "zipcrypto")
            cb.setCurrentIndex(max(0, cb.findData(value)))
            editor = cb
        elif spec.kind == "choice":
            names = {"none": self.tr("使わない（手で入力する）"), "imap": self.tr("IMAP（推奨）"), "pop3": "POP3",
                     "ssl": "SSL/TLS", "starttls": "STARTTLS"}
            cb = QComboBox()
            for choice in spec.choices:
                cb.addItem(names.get(choice, choice), choice)
            cb.setCurrentIndex(max(0, cb.findData(value)))
            editor = cb
        elif spec.kind == "bool":
            chk = QCheckBox({"ui.minimize_to_tray": self.tr("ウィンドウを閉じてもタスクトレイで実行を続ける"),
                             "otp_mail.auto_continue": self.tr("確認せずに VPN 接続を開始する"),
                             "visit.send_queue": self.tr("接続したら送信待ちを自動で送信する"),
                             "visit.fetch_new": self.tr("接続したら新しい書類を自動で受信して保存する")}.get(key, ""))
            chk.setChecked(bool(value))
            editor = chk
        elif spec.kind == "int":
            sb = QSpinBox()
            sb.setRange(int(spec.low or 0), int(spec.high or 100000))
            sb.setValue(int(value))
            if key == "mail.port":
                sb.setSpecialValueText(self.tr("標準（方式に合わせる）"))
            elif key in ("otp_mail.timeout_seconds", "visit.disconnect_countdown_seconds"):
                sb.setSuffix(self.tr(" 秒"))
                if key == "visit.disconnect_countdown_seconds":
                    sb.setSpecialValueText(self.tr("自動で切断しない"))
            editor = sb
        elif spec.kind == "minutes":
            le = QLineEdit(", ".join(str(v) for v in value))
            editor = le
        elif spec.kind == "path":
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            le = QLineEdit(str(value))
            le.setObjectName("pathEdit")
            le.setPlaceholderText(str(default_settings().folders.documents_root_path())
                                  if key.startswith("folders") else "")
            btn = QPushButton(self.tr("参照..."))
            if key == "mail.ca_bundle":
                btn.clicked.connect(lambda: self._browse_file(le))
            else:
                btn.clicked.connect(lambda: self._browse(le))
            h.addWidget(le, 1)
            h.addWidget(btn)
            row.setFocusProxy(le)
            editor = row
        else:
            editor = QLineEdit(str(value))
        note = self.tr("この項目は社内の管理者（IT担当者）が固定しているため、変更できません。")
        ed = _KeyEditor(key, editor, locked, note)
        ed.setToolTip(self._mail_tooltip(key) if key.startswith(("mail.", "otp_mail.")) else
                      core_i18n.pick(spec.ja, spec.en))
        self._initial[key] = self._read(ed)
        return ed

    def _browse(self, le: QLineEdit) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("フォルダーの選択"), le.text())
        if d:
            le.setText(d)

    def _mail_tooltip(self, key: str) -> str:
        """The mail keys' tooltips in the screen's words (the settings file's texts name raw values)."""
        return {
            "mail.protocol": self.tr("ワンタイムパスワードのメールを読む方式です。"),
            "mail.port": self.tr("「標準」の場合は、受信方式と暗号化に合わせた番号を使います。"),
            "mail.security": self.tr("メールサーバーとの通信の暗号化の方式です。暗号化なしの接続はいたしません。"),
            "mail.ca_bundle": self.tr("メールサーバーの証明書の確認に使うファイルです。"),
            "mail.folder": self.tr("IMAP の場合に読むフォルダーです（通常は受信トレイ）。"),
            "otp_mail.subject_contains": self.tr("空欄の場合は、件名を問いません。"),
            "otp_mail.timeout_seconds": self.tr("この時間内にメールが届かない場合は、手で入力してください。"),
        }.get(key, "")

    def _browse_file(self, le: QLineEdit) -> None:
        f, _ = QFileDialog.getOpenFileName(self, self.tr("ルート証明書ファイルの選択"), le.text(),
                                           self.tr("証明書 (*.pem *.crt *.cer);;すべてのファイル (*)"))
        if f:
            le.setText(f)

    # ----- the mailbox ------------------------------------------------------------------------
    def _add_mail_password_row(self, form: QFormLayout) -> None:
        from denshi_client.mail.account import has_password

        self.mail_password.setObjectName("mailPassword")
        self.mail_password.setEchoMode(QLineEdit.EchoMode.Password)
        try:
            stored = has_password()
        except Exception as exc:  # no usable keyring: the field still lets the user type one for the test
            log.warning("keyring unreadable: %s", type(exc).__name__)
            stored = False
        self.mail_password.setPlaceholderText(self.tr("登録済み（変更する場合のみ入力）") if stored
                                              else self.tr("メールのパスワード（アプリ パスワード）"))
        lab = QLabel(self.tr("パスワード(&O):"))
        lab.setBuddy(self.mail_password)
        form.addRow(lab, self.mail_password)
        note = QLabel(self.tr("パスワードは Windows の資格情報マネージャーにだけ保存します。"))
        note.setWordWrap(True)
        note.setMinimumWidth(420)
        note.setStyleSheet("color: #5f6368;")
        form.addRow("", note)

    def _add_mail_test_row(self, form: QFormLayout) -> None:
        self.mail_test_button.setObjectName("mailTestButton")
        self.mail_test_button.clicked.connect(self.test_mail)
        self.mail_test_result.setObjectName("mailTestResult")
        self.mail_test_result.setWordWrap(True)
        self.mail_test_result.setMinimumWidth(420)
        self.mail_test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mail_test_result.hide()
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 6, 0, 0)
        h.addWidget(self.mail_test_button)
        h.addStretch(1)
        form.addRow("", row)
        form.addRow("", self.mail_test_result)

    def _mail_line(self, text: str, color: str) -> None:
        self.mail_test_result.setText(text)
        self.mail_test_result.setStyleSheet(f"color: {color};")
        self.mail_test_result.show()

    def test_mail(self) -> None:
        """Log in with what is on screen (saved or not), on the worker, and say in Japanese how it went."""
        from denshi_client.mail.source import MailAccount

        v = {key: self._read(self.editors[key]) for key in self.editors if key.startswith(("mail.", "otp_mail."))}
        if v["mail.protocol"] == "none":
            self._mail_line(self.tr("受信方式で IMAP か POP3 を選んでください。"), "#b3261e")
            return
        if not str(v["mail.host"]).strip() or not str(v["mail.user"]).strip():
            self._mail_line(self.tr("メールサーバーとユーザー名を入力してください。"), "#b3261e")
            return
        account = MailAccount(protocol=str(v["mail.protocol"]), host=str(v["mail.host"]).strip(),
                              user=str(v["mail.user"]).strip(), port=int(v["mail.port"] or 0),
                              security=str(v["mail.security"]), ca_bundle=str(v["mail.ca_bundle"] or "").strip(),
                              folder=str(v["mail.folder"] or "").strip() or "INBOX", timeout=15.0)
        typed = self.mail_password.text()
        sender, subject = str(v["otp_mail.sender"]), str(v["otp_mail.subject_contains"])
        self.mail_test_button.setEnabled(False)
        self._mail_line(self.tr("メールサーバーに接続してテストしています…"), "#1f5fa8")
        from denshi_client.ui.mail_check import check_mailbox
        from denshi_client.ui.worker import run_in_background

        run_in_background(lambda: check_mailbox(account, typed, sender, subject), self._mail_tested,
                          self._mail_test_failed)

    def _mail_tested(self, result: Any) -> None:
        from denshi_client.ui.mail_check import check_text

        try:
            self.mail_test_button.setEnabled(True)
        except RuntimeError:  # the dialog was closed meanwhile
            return
        self._mail_line(check_text(result), "#1e7a3c")

    def _mail_test_failed(self, exc: BaseException) -> None:
        from denshi_client.ui.mail_check import failure_text

        try:
            self.mail_test_button.setEnabled(True)
        except RuntimeError:
            return
        self._mail_line(failure_text(exc), "#b3261e")

    # ----- reading / saving -------------------------------------------------------------------
    @staticmethod
    def _read(ed: _KeyEditor) -> Any:
        w = ed.editor
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QLineEdit):
            if ed.key == "session.warn_minutes":
                parts = [p.strip() for p in w.text().replace("、", ",").split(",") if p.strip()]
                try:
                    return [int(p) for p in parts]
                except ValueError:
                    return w.text()
            return w.text()
        le = w.findChild(QLineEdit)
        return le.text() if le is not None else None

    def save(self) -> None:
        from denshi_client.services import save_setting

        ok = True
        new_lang: str | None = None
        for key, ed in self.editors.items():
            if ed.locked:
                continue
            value = self._read(ed)
            if value == self._initial.get(key):
                continue
            try:
                save_setting(key, value)
                ed.error.hide()
                self._initial[key] = value
                if key == "ui.language":
                    new_lang = str(value)
            except Exception as exc:
                ok = False
                ed.error.setText(_message(exc))
                ed.error.show()
        if not ok:
            return
        if self.mail_password.text():
            from denshi_client.mail.account import store_password

            try:
                store_password(self.mail_password.text())
            except Exception as exc:
                self._mail_line(self.tr("パスワードを資格情報マネージャーに保存できませんでした: ") + _message(exc),
                                "#b3261e")
                self.tabs.setCurrentIndex(self.tabs.count() - 1)
                return
            self.mail_password.clear()
        try:
            self.bridge.settings_changed()
        except Exception as exc:  # applying is best effort; the values are saved
            log.warning("could not apply new settings: %s", exc)
        self.saved.emit()
        if new_lang:
            self.language_changed.emit(new_lang)
            QMessageBox.information(self, self.tr("設定"), self.tr("表示言語は次回の起動時から切り替わります。"))
        self.accept()

    def editor_for(self, key: str) -> _KeyEditor:
        return self.editors[key]
