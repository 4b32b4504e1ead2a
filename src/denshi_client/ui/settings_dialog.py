"""設定: profiles, folders, warning times, idle time, language and ZIP format.

Values are checked and written by `store.settings` (lock-aware); secrets go only to
`store.secrets`. A key IT's policy locks is shown disabled with a lock note, so the user knows
why it cannot change and whom to ask.
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
        ("session", ("session.warn_minutes", "session.idle_minutes")),
        ("display", ("ui.language", "ui.minimize_to_tray")),
        ("zip", ("zip.format",)),
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
                  "display": self.tr("表示(&V)"), "zip": self.tr("Zipファイル(&Z)")}
        for tab, keys in self.TABS:
            page = QWidget()
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
        from denshi_client.store import settings as st

        try:
            return st.load_effective_settings()
        except Exception as exc:  # a broken file: show where, keep defaults visible but read-only
            self.load_error.setText(self.tr("設定ファイルを読み込めませんでした: ") + _message(exc))
            self.load_error.show()
            return None

    def _label(self, key: str) -> str:
        return {
            "folders.documents_root": self.tr("書類の保存先フォルダー(&D):"),
            "session.warn_minutes": self.tr("切断前の警告（分前）(&W):"),
            "session.idle_minutes": self.tr("無操作で自動切断（分）(&I):"),
            "ui.language": self.tr("表示言語(&L):"),
            "ui.minimize_to_tray": self.tr("タスクトレイ(&R):"),
            "zip.format": self.tr("暗号方式(&E):"),
        }.get(key, key)

    def _description(self, key: str) -> str:
        return {
            "folders.documents_root": self.tr(
                "受信した書類は「事業所番号\\受信\\年\\年月」のフォルダーに整理して保存します。"
                "空欄の場合は「ドキュメント\\電子連携」です。"),
            "session.warn_minutes": self.tr("例: 15, 5, 1（自動切断の15分前・5分前・1分前にお知らせします）"),
            "session.idle_minutes": self.tr("0 を指定すると、無操作による自動切断を行いません。"),
            "ui.language": self.tr("変更は次回の起動時から反映されます。"),
            "zip.format": self.tr("AES-256 は安全性が高い方式です。Windows標準の機能で開けない場合は"
                                  "ZipCrypto（互換）を選んでください。"),
        }.get(key, "")

    def _make_editor(self, key: str, settings: Any) -> _KeyEditor:
        from denshi_client.store import settings as st

        spec = st.SPECS[key]
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
        elif spec.kind == "bool":
            chk = QCheckBox(self.tr("ウィンドウを閉じてもタスクトレイで実行を続ける")
                            if key == "ui.minimize_to_tray" else "")
            chk.setChecked(bool(value))
            editor = chk
        elif spec.kind == "int":
            sb = QSpinBox()
            sb.setRange(int(spec.low or 0), int(spec.high or 100000))
            sb.setValue(int(value))
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
            le.setPlaceholderText(str(st.FoldersSettings().documents_root_path()) if key.startswith("folders") else "")
            btn = QPushButton(self.tr("参照..."))
            btn.clicked.connect(lambda: self._browse(le))
            h.addWidget(le, 1)
            h.addWidget(btn)
            row.setFocusProxy(le)
            editor = row
        else:
            editor = QLineEdit(str(value))
        note = self.tr("この項目は社内の管理者（IT担当者）が固定しているため、変更できません。")
        ed = _KeyEditor(key, editor, locked, note)
        ed.setToolTip(core_i18n.pick(spec.ja, spec.en))
        self._initial[key] = self._read(ed)
        return ed

    def _browse(self, le: QLineEdit) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("フォルダーの選択"), le.text())
        if d:
            le.setText(d)

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
        from denshi_client.store import settings as st

        ok = True
        new_lang: str | None = None
        for key, ed in self.editors.items():
            if ed.locked:
                continue
            value = self._read(ed)
            if value == self._initial.get(key):
                continue
            try:
                st.set_user_value(key, value)
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
