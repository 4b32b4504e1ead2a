"""The outbox's parts: the drop zone, the naming assistant and browser mode's drag-out list.

The assistant only collects the three parts of the name and shows what `documents.naming` says
as the user types; `ui/outbox_view.py` holds the queue and schedules the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QMimeData, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

log = logging.getLogger(__name__)


class DropZone(QFrame):
    """Accepts PDFs dragged from Explorer; clicking its button opens a file dialog instead."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(56)
        self.setStyleSheet("QFrame#dropZone { border: 2px dashed #8fa9c9; border-radius: 6px; background: #f5f8fc; }")
        lab = QLabel(self.tr("送信するPDFファイルをここにドラッグ＆ドロップしてください"))
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lab.setWordWrap(True)  # the zone heads the narrow file column
        self.last_dir = ""  # where the file dialog opens next
        self.add_button = QPushButton(self.tr("ファイルを選択(&L)..."))
        self.add_button.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.addWidget(lab, 1)
        row.addWidget(self.add_button)

    def _choose(self) -> None:
        """Opens where the user last picked files (this run), else in Documents — not the app's folder."""
        if not self.last_dir:
            from PySide6.QtCore import QStandardPaths

            self.last_dir = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("送信するPDFファイルを選択"), self.last_dir,
                                                self.tr("PDFファイル (*.pdf);;すべてのファイル (*)"))
        if files:
            self.last_dir = str(Path(files[0]).parent)
            self.files_dropped.emit([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.files_dropped.emit(paths)
            event.acceptProposedAction()


class ReadyList(QListWidget):
    """Browser mode: the prepared ZIPs, draggable into the browser's upload dialog as file URLs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readyList")
        self.setDragEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setIconSize(QSize(16, 16))

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        drag = QDrag(self)
        drag.setMimeData(self.mime_for_selection())
        drag.exec(Qt.DropAction.CopyAction)

    def mime_for_selection(self) -> QMimeData:
        mime = QMimeData()
        urls = [QUrl.fromLocalFile(it.data(Qt.ItemDataRole.UserRole)) for it in self.selectedItems()]
        mime.setUrls(urls)
        return mime


@dataclass(frozen=True)
class Draft:
    """The three inputs as the user left them for one file."""

    form: str
    filing_date: QDate
    establishment: str


class NamingAssistant(QGroupBox):
    """Three inputs → one valid upload name, validated as the user types (documents.naming.suggest)."""

    changed = Signal()

    def __init__(self, forms: list[str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("送信ファイル名の作成"), parent)
        self.setObjectName("namingAssistant")
        self.source: Path | None = None
        self.source_label = QLabel(self.tr("（ファイルを選んでください）"))
        self.source_label.setObjectName("sourceName")
        self.source_label.setWordWrap(True)
        self.form = QComboBox()
        self.form.setObjectName("formCombo")
        self.form.setEditable(True)
        self.form.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.form.addItem("")
        self.form.addItems(forms)
        self.date = QDateEdit()
        self.date.setObjectName("dateEdit")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy/MM/dd")
        self.date.setDate(QDate.currentDate())  # replaced by the file's own date (or today) in set_source
        self.establishment = QLineEdit()
        self.establishment.setObjectName("establishmentEdit")
        self.establishment.setPlaceholderText(self.tr("例: 0123"))
        self.establishment.setMaxLength(8)
        self.preview = QLabel()
        self.preview.setObjectName("namePreview")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = self.preview.font()
        f.setBold(True)
        self.preview.setFont(f)
        self.problems = QLabel()
        self.problems.setObjectName("nameProblems")
        self.problems.setWordWrap(True)
        self.pdf_result = QLabel()
        self.pdf_result.setObjectName("pdfCheck")
        self.pdf_result.setWordWrap(True)

        form_layout = QFormLayout(self)
        form_layout.addRow(self.tr("元のファイル:"), self.source_label)
        lab_form = QLabel(self.tr("届書名(&K):"))
        lab_form.setBuddy(self.form)
        form_layout.addRow(lab_form, self.form)
        lab_date = QLabel(self.tr("届出年月日(&Y):"))
        lab_date.setBuddy(self.date)
        form_layout.addRow(lab_date, self.date)
        lab_est = QLabel(self.tr("事業所番号(&M):"))
        lab_est.setBuddy(self.establishment)
        form_layout.addRow(lab_est, self.establishment)
        form_layout.addRow(self.tr("送信ファイル名:"), self.preview)
        form_layout.addRow("", self.problems)
        form_layout.addRow(self.tr("PDFの確認:"), self.pdf_result)

        self.form.currentTextChanged.connect(self._changed)
        self.date.dateChanged.connect(self._changed)
        self.establishment.textChanged.connect(self._changed)
        self.suggestion: Any = None
        self.expected_establishment = ""
        self.today: Callable[[], date] = date.today  # the view passes the core's clock
        self._validate()

    def set_source(self, source: Path | None, establishment: str = "", draft: Draft | None = None) -> None:
        """Bind the assistant to one file and fill it from that file alone.

        With `draft` (what the user entered for this file before) the fields come back as they were;
        otherwise the form and date come only from the file's own name, the date falls back to today
        and the number to the selected establishment's. Nothing is carried over from the file shown
        before: a form name left in the box is how a 資格喪失届 went out as a 資格取得届.
        """
        from denshi_client.documents import naming

        self.source = source
        self.expected_establishment = establishment
        self.source_label.setText(source.name if source else self.tr("（ファイルを選んでください）"))
        self.pdf_result.clear()
        self.blockSignals(True)
        try:
            if draft is not None:
                self.form.setCurrentText(draft.form)
                self.date.setDate(draft.filing_date)
                self.establishment.setText(draft.establishment)
            else:
                s = naming.suggest(source.name, today=self.today()) if source is not None else None
                self.form.setCurrentText((s.form or "") if s is not None else "")
                d = s.filing_date if s is not None and s.filing_date else self.today()
                self.date.setDate(QDate(d.year, d.month, d.day))
                est = f"{s.establishment:04d}" if s is not None and s.establishment else establishment
                self.establishment.setText(est if source is not None else "")
        finally:
            self.blockSignals(False)
        self._validate()

    def draft(self) -> Draft:
        """What the user has entered for the current file (restored when they come back to it)."""
        return Draft(self.form.currentText(), self.date.date(), self.establishment.text())

    def _changed(self, *_: object) -> None:
        self._validate()
        self.changed.emit()

    def _validate(self) -> None:
        from denshi_client.documents import naming

        if self.source is None:  # nothing to name yet: no verdict to show
            self.suggestion = None
            self.preview.clear()
            self.problems.clear()
            self._mark_fields(set())
            return
        qd = self.date.date()
        src = self.source.name if self.source else "document.pdf"
        s = naming.suggest(src, filing_date=date(qd.year(), qd.month(), qd.day()),
                           establishment=self.establishment.text() or None,
                           form=self.form.currentText() or None, today=self.today())
        self.suggestion = s
        if s.ok:
            self.preview.setText(s.name or "")
            self.preview.setStyleSheet("color: #1e7a3c;")
        else:
            self.preview.setText(self.tr("（まだ作成できません）"))
            self.preview.setStyleSheet("color: #80868b;")
        msgs = [("✖ " + p.message()) for p in s.problems]
        mismatch = self._establishment_mismatch()
        if mismatch:
            msgs.append("✖ " + mismatch)
            self.preview.setText(self.tr("（まだ作成できません）"))
            self.preview.setStyleSheet("color: #80868b;")
        msgs += [("⚠ " + w.message()) for w in s.warnings]
        self.problems.setText("\n".join(msgs))
        self.problems.setStyleSheet("color: #b3261e;" if (s.problems or mismatch) else "color: #a86b00;")
        self._mark_fields({p.field for p in s.problems} | ({"establishment"} if mismatch else set()))

    def _establishment_mismatch(self) -> str:
        """The core sends under the selected establishment; a different number here is a mistake."""
        s = self.suggestion
        exp = self.expected_establishment
        if not exp or s is None or s.establishment is None or not exp.isdigit() or s.establishment == int(exp):
            return ""
        return self.tr("事業所番号が、選択中の事業所（%1）と異なります。別の事業所の届書は、画面上部で事業所を"
                       "切り替えてから送信してください。").replace("%1", exp)

    def _mark_fields(self, bad: set[str]) -> None:
        style = "border: 1px solid #b3261e;"
        self.form.setStyleSheet(style if "form" in bad else "")
        self.date.setStyleSheet(style if "date" in bad else "")
        self.establishment.setStyleSheet(style if "establishment" in bad else "")

    def is_ok(self) -> bool:
        return bool(self.source and self.suggestion and self.suggestion.ok and not self._establishment_mismatch())
