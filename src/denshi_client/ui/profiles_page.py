"""The establishments (profiles) tab of the settings: add, edit, remove; sorted by number and filtered
as you type (a consultant may keep fifty).

Checks and storage go through `services.ProfileEditor` (`store.profiles`; the ZIP password only to
`store.secrets`, the OS credential store, and never shown back: the field only says whether one is saved).
The VPN setting is picked from the VPN client's own list (read on the worker), folders with a browse button.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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
    from denshi_client.services import ProfileEditor
    from denshi_client.ui.session_bridge import SessionBridge


def _editor(services: Any) -> ProfileEditor:
    """The app's editor when the core is in; the same rules on the default stores otherwise."""
    if services is not None:
        return services.profile_editor()  # type: ignore[no-any-return]
    from denshi_client.services import ProfileEditor

    return ProfileEditor()


class ProfileDialog(QDialog):
    def __init__(self, profile: Any = None, parent: QWidget | None = None, *, services: Any = None) -> None:
        """`services`: the app's `AppServices` (saves through it; its VPN driver lists the settings)."""
        super().__init__(parent)
        self.services = services
        self.editor = _editor(services)
        self.setObjectName("profileDialog")
        self.profile = profile
        self.setWindowTitle(self.tr("事業所の編集") if profile else self.tr("事業所の追加"))
        self.setMinimumWidth(600)  # room for a folder path beside its browse button
        self.establishment = QLineEdit(profile.establishment if profile else "")
        self.establishment.setPlaceholderText(self.tr("例: 0123"))
        self.name = QLineEdit(profile.name if profile else "")
        self.name.setPlaceholderText(self.tr("例: 株式会社さくら商事"))
        self.user_id = QLineEdit(profile.user_id if profile else "")
        self.mode = QComboBox()
        self.mode.addItem(self.tr("ブラウザーで利用（現在の基金のサービス）"), "browser")
        self.mode.addItem(self.tr("アプリから直接送受信"), "direct")
        self.mode.setCurrentIndex(max(0, self.mode.findData(profile.mode if profile else "browser")))
        self.vpn_account = QComboBox()
        self.vpn_account.setObjectName("vpnAccount")
        self.vpn_account.setEditable(True)  # a setting the client does not list yet can still be typed
        self.vpn_account.setCurrentText(profile.vpn_account if profile else "")
        line = self.vpn_account.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("空欄の場合は自動で決めます"))
        self.vpn_account.setToolTip(self.tr("VPNクライアント（SoftEther）に登録済みの接続設定から選びます。"))
        self.documents_folder = QLineEdit(profile.documents_folder if profile else "")
        self.documents_folder.setPlaceholderText(self.tr("空欄の場合は設定の保存先フォルダーの下"))
        self.download_folder = QLineEdit(profile.download_folder if profile else "")
        self.download_folder.setPlaceholderText(self.tr("ブラウザーのダウンロードフォルダー"))
        self.documents_browse = QPushButton(self.tr("参照(&B)..."))
        self.documents_browse.setObjectName("documentsBrowse")
        self.documents_browse.clicked.connect(
            lambda: self._browse(self.documents_folder, self.tr("書類の保存先フォルダーを選択")))
        self.download_browse = QPushButton(self.tr("参照(&W)..."))
        self.download_browse.setObjectName("downloadBrowse")
        self.download_browse.clicked.connect(
            lambda: self._browse(self.download_folder, self.tr("ダウンロードフォルダーを選択")))
        self.zip_password = QLineEdit()
        self.zip_password.setObjectName("zipPassword")
        self.zip_password.setEchoMode(QLineEdit.EchoMode.Password)
        has = False
        if profile:
            try:
                has = self.editor.has_zip_password(profile.id)
            except Exception:
                has = False
        self.zip_password.setPlaceholderText(
            self.tr("保存済み（変更する場合のみ入力）") if has else self.tr("基金から別のメールで届いたパスワード"))
        self._has_password = has
        self.zip_warning = QLabel(self.tr(
            "⚠ Zipファイルのパスワードが登録されていません。このままでも保存できますが、受信した書類を開けず、"
            "送信用のZipファイルも作成できません。基金から別のメールで届いたパスワードを入力してください。"))
        self.zip_warning.setObjectName("zipPasswordWarning")
        self.zip_warning.setWordWrap(True)
        self.zip_warning.setStyleSheet("color: #a86b00;")
        self.zip_password.textChanged.connect(self._update_zip_warning)
        self.error = QLabel()
        self.error.setObjectName("profileError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")

        form = QFormLayout()
        browse = {self.documents_folder: self.documents_browse, self.download_folder: self.download_browse}
        for text, w in ((self.tr("事業所番号(&N):"), self.establishment), (self.tr("事業所名(&M):"), self.name),
                        (self.tr("ユーザーID(&U):"), self.user_id), (self.tr("利用方法(&O):"), self.mode),
                        (self.tr("VPN接続設定名(&V):"), self.vpn_account),
                        (self.tr("書類の保存先(&D):"), self.documents_folder),
                        (self.tr("ダウンロードフォルダー(&L):"), self.download_folder),
                        (self.tr("Zipファイルのパスワード(&P):"), self.zip_password)):
            lab = QLabel(text)
            lab.setBuddy(w)
            if w in browse:
                row = QHBoxLayout()
                row.addWidget(w, 1)
                row.addWidget(browse[w])
                form.addRow(lab, row)
            else:
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
        lay.addWidget(self.zip_warning)
        lay.addWidget(self.error)
        self._update_zip_warning()
        lay.addWidget(buttons)

        self._load_vpn_settings()

    def _update_zip_warning(self, *_: object) -> None:
        """Said while there is none stored and none typed; saving stays possible (it may come later)."""
        self.zip_warning.setVisible(not self._has_password and not self.zip_password.text())

    def _load_vpn_settings(self) -> None:
        """The VPN client's settings, read on the worker (vpncmd takes a moment); what was typed stays."""
        if self.services is None:
            return
        from denshi_client.ui.worker import run_in_background

        services = self.services

        def done(names: list[str]) -> None:
            current = self.vpn_account.currentText()
            self.vpn_account.clear()
            self.vpn_account.addItems(names)
            self.vpn_account.setCurrentText(current)

        run_in_background(services.vpn_setting_names, done, lambda exc: self.vpn_account.setToolTip(
            self.tr("VPNクライアントの接続設定を読み出せませんでした。") + "\n" + error_line(exc)))

    def _browse(self, field: QLineEdit, title: str) -> None:
        """A folder chooser; Qt's own (translated) dialog except on Windows, where the system one is usual."""
        dlg = QFileDialog(self, title, field.text().strip())
        dlg.setObjectName("folderDialog")
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, sys.platform != "win32")
        try:
            if dlg.exec() == QDialog.DialogCode.Accepted and dlg.selectedFiles():
                field.setText(dlg.selectedFiles()[0])
        finally:
            dlg.deleteLater()  # one chooser at a time: a finished one must not linger as a hidden child

    def _save(self) -> None:
        try:
            fields = {"establishment": self.establishment.text(), "name": self.name.text().strip(),
                      "user_id": self.user_id.text().strip(), "mode": str(self.mode.currentData()),
                      "vpn_account": self.vpn_account.currentText().strip(),
                      "documents_folder": self.documents_folder.text().strip(),
                      "download_folder": self.download_folder.text().strip()}
            if self.profile is None:
                p = self.editor.create(zip_password=self.zip_password.text(), make_active=False,
                                       require_zip_password=False, **fields)  # warned above
            else:
                p = self.editor.update(self.profile.id, zip_password=self.zip_password.text(), **fields)
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
        self.filter = QLineEdit()
        self.filter.setObjectName("profilesFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("事業所番号・事業所名・ユーザーIDの一部"))
        self.filter.textChanged.connect(self._apply_filter)
        flabel = QLabel(self.tr("絞り込み(&S):"))
        flabel.setBuddy(self.filter)
        frow = QHBoxLayout()
        frow.addWidget(flabel)
        frow.addWidget(self.filter, 1)
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
        lay.addLayout(frow)
        lay.addWidget(self.table)
        lay.addLayout(row)
        lay.addWidget(self.error)
        self.profiles: list[Any] = []
        self.reload()

    def reload(self) -> None:
        try:
            self.profiles = sorted(_editor(self.bridge.services).all(),
                                   key=lambda p: (int(p.establishment), p.name, p.user_id))
            self.error.clear()
        except Exception as exc:
            self.profiles = []
            self.error.setText(error_line(exc))
        self.table.setRowCount(len(self.profiles))
        modes = {"browser": self.tr("ブラウザー"), "direct": self.tr("直接")}
        for r, p in enumerate(self.profiles):
            for c, text in enumerate((p.establishment, p.name, p.user_id, modes.get(p.mode, p.mode))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._apply_filter()

    def _apply_filter(self) -> None:
        """Hides the rows that do not contain the typed text (number with or without zeros, name, user ID)."""
        import unicodedata

        needle = unicodedata.normalize("NFKC", self.filter.text()).strip().casefold()
        first = -1
        for r, p in enumerate(self.profiles):
            hay = f"{p.establishment} {int(p.establishment)} {p.name} {p.user_id}"
            hit = not needle or needle in unicodedata.normalize("NFKC", hay).casefold()
            self.table.setRowHidden(r, not hit)
            if hit and first < 0:
                first = r
        cur = self.table.currentRow()
        if first >= 0 and (cur < 0 or self.table.isRowHidden(cur)):
            self.table.selectRow(first)
        elif first < 0:
            self.table.clearSelection()
            self.table.setCurrentCell(-1, -1)

    def _current(self) -> Any:
        r = self.table.currentRow()
        return self.profiles[r] if 0 <= r < len(self.profiles) and not self.table.isRowHidden(r) else None

    def add(self) -> None:
        if ProfileDialog(None, self, services=self.bridge.services).exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.changed.emit()

    def edit(self) -> None:
        p = self._current()
        dlg = ProfileDialog(p, self, services=self.bridge.services) if p is not None else None
        if dlg is not None and dlg.exec() == QDialog.DialogCode.Accepted:
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
        try:
            _editor(self.bridge.services).remove(p.id)
        except Exception as exc:
            self.error.setText(error_line(exc))
        self.reload()
        self.changed.emit()
