"""The establishments (profiles) tab of the settings: add, edit, remove.

Checks and storage are `store.profiles`; the ZIP password goes only to `store.secrets`
(the OS credential store) and is never shown back: the field only says whether one is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from denshi_client.errors import error_line

if TYPE_CHECKING:
    from denshi_client.ui.session_bridge import SessionBridge


class ProfileDialog(QDialog):
    def __init__(self, profile: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.profile = profile
        self.setWindowTitle(self.tr("事業所の編集") if profile else self.tr("事業所の追加"))
        self.setMinimumWidth(520)
        self.establishment = QLineEdit(profile.establishment if profile else "")
        self.establishment.setPlaceholderText(self.tr("例: 0123"))
        self.name = QLineEdit(profile.name if profile else "")
        self.name.setPlaceholderText(self.tr("例: 株式会社さくら商事"))
        self.user_id = QLineEdit(profile.user_id if profile else "")
        self.mode = QComboBox()
        self.mode.addItem(self.tr("ブラウザーで利用（現在の基金のサービス）"), "browser")
        self.mode.addItem(self.tr("アプリから直接送受信"), "direct")
        self.mode.setCurrentIndex(max(0, self.mode.findData(profile.mode if profile else "browser")))
        self.vpn_account = QLineEdit(profile.vpn_account if profile else "")
        self.vpn_account.setPlaceholderText(self.tr("空欄の場合は自動で決めます"))
        self.documents_folder = QLineEdit(profile.documents_folder if profile else "")
        self.documents_folder.setPlaceholderText(self.tr("空欄の場合は設定の保存先フォルダーの下"))
        self.download_folder = QLineEdit(profile.download_folder if profile else "")
        self.download_folder.setPlaceholderText(self.tr("ブラウザーのダウンロードフォルダー"))
        self.zip_password = QLineEdit()
        self.zip_password.setObjectName("zipPassword")
        self.zip_password.setEchoMode(QLineEdit.EchoMode.Password)
        has = False
        if profile:
            try:
                from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

                has = SecretStore().has(profile.id, ZIP_PASSWORD)
            except Exception:
                has = False
        self.zip_password.setPlaceholderText(
            self.tr("保存済み（変更する場合のみ入力）") if has else self.tr("基金から別のメールで届いたパスワード"))
        self.error = QLabel()
        self.error.setObjectName("profileError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")

        form = QFormLayout()
        for text, w in ((self.tr("事業所番号(&N):"), self.establishment), (self.tr("事業所名(&M):"), self.name),
                        (self.tr("ユーザーID(&U):"), self.user_id), (self.tr("利用方法(&O):"), self.mode),
                        (self.tr("VPN接続設定名(&V):"), self.vpn_account),
                        (self.tr("書類の保存先(&D):"), self.documents_folder),
                        (self.tr("ダウンロードフォルダー(&L):"), self.download_folder),
                        (self.tr("Zipファイルのパスワード(&P):"), self.zip_password)):
            lab = QLabel(text)
            lab.setBuddy(w)
            form.addRow(lab, w)
        note = QLabel(self.tr("パスワードはWindowsの資格情報マネージャーにだけ保存され、"
                              "ファイルには書き込まれません。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def _save(self) -> None:
        from denshi_client.store.profiles import ProfileStore, new_profile
        from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

        store = ProfileStore()
        try:
            if self.profile is None:
                p = new_profile(establishment=self.establishment.text(), name=self.name.text().strip(),
                                user_id=self.user_id.text().strip(), mode=self.mode.currentData(),
                                vpn_account=self.vpn_account.text().strip() or None,
                                documents_folder=self.documents_folder.text().strip() or None,
                                download_folder=self.download_folder.text().strip() or None,
                                existing_ids=[x.id for x in store.all()])
                p = store.add(p)
            else:
                from denshi_client.store.profiles import normalize_establishment

                changes = {"establishment": normalize_establishment(self.establishment.text()),
                           "name": self.name.text().strip(), "user_id": self.user_id.text().strip(),
                           "mode": self.mode.currentData(), "vpn_account": self.vpn_account.text().strip(),
                           "documents_folder": self.documents_folder.text().strip(),
                           "download_folder": self.download_folder.text().strip()}
                p = store.update(self.profile.id, **changes)
            pw = self.zip_password.text()
            if pw:
                SecretStore().set(p.id, ZIP_PASSWORD, pw)
        except Exception as exc:
            self.error.setText(error_line(exc))
            return
        finally:
            self.zip_password.clear()
        self.profile = p
        self.accept()


class ProfilesPage(QWidget):
    changed = Signal()

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profilesPage")
        self.bridge = bridge
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("profilesTable")
        self.table.setHorizontalHeaderLabels([self.tr("事業所番号"), self.tr("事業所名"), self.tr("ユーザーID"),
                                              self.tr("利用方法")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda *_: self.edit())
        add = QPushButton(self.tr("追加(&A)..."))
        add.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("編集(&E)..."))
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton(self.tr("削除(&R)"))
        self.remove_button.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.edit_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addLayout(row)
        lay.addWidget(self.error)
        self.profiles: list[Any] = []
        self.reload()

    def reload(self) -> None:
        from denshi_client.store.profiles import ProfileStore

        try:
            self.profiles = ProfileStore().all()
            self.error.clear()
        except Exception as exc:
            self.profiles = []
            self.error.setText(error_line(exc))
        self.table.setRowCount(len(self.profiles))
        modes = {"browser": self.tr("ブラウザー"), "direct": self.tr("直接")}
        for r, p in enumerate(self.profiles):
            for c, text in enumerate((p.establishment, p.name, p.user_id, modes.get(p.mode, p.mode))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.profiles:
            self.table.selectRow(0)

    def _current(self) -> Any:
        r = self.table.currentRow()
        return self.profiles[r] if 0 <= r < len(self.profiles) else None

    def add(self) -> None:
        if ProfileDialog(None, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.changed.emit()

    def edit(self) -> None:
        p = self._current()
        if p is not None and ProfileDialog(p, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.changed.emit()

    def remove(self) -> None:
        p = self._current()
        if p is None:
            return
        if self.bridge.is_busy_with(p.id):
            QMessageBox.warning(self, self.tr("事業所の削除"),
                                self.tr("接続中の事業所は削除できません。先に切断してください。"))
            return
        answer = QMessageBox.question(
            self, self.tr("事業所の削除"),
            self.tr("事業所「%1」を一覧から削除しますか？\n保存済みの書類と送受信履歴は削除されません。").replace(
                "%1", f"{p.establishment} {p.name}"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        from denshi_client.store.profiles import ProfileStore
        from denshi_client.store.secrets import SecretStore

        try:
            ProfileStore().remove(p.id)
            SecretStore().delete_all(p.id)
        except Exception as exc:
            self.error.setText(error_line(exc))
        self.reload()
        self.changed.emit()
