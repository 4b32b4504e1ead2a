"""送受信履歴: search, filter and export the establishment's record of every send and receive.

Queries and the Excel-friendly CSV are `store.history`'s (reached through `services`); the view builds a `HistoryQuery`
from the filters and runs it on the worker (SQLite in WAL mode reads while transfers write).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from denshi_client.errors import error_text
from denshi_client.ui.file_actions import FileActions
from denshi_client.ui.inbox_view import human_size
from denshi_client.ui.worker import run_in_background

if TYPE_CHECKING:
    from denshi_client.ui.session_bridge import SessionBridge

log = logging.getLogger(__name__)


class HistoryView(QWidget):
    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.bridge = bridge
        self.records: list[Any] = []
        self.file_actions = FileActions(self)
        self.chosen_files: list[Path] = []  # the selected received row's filed files (all still there)

        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("ファイル名・受付番号などで検索"))
        self.search.setClearButtonEnabled(True)
        lab_search = QLabel(self.tr("検索(&S):"))
        lab_search.setBuddy(self.search)
        self.establishment = QComboBox()
        self.establishment.setObjectName("historyEstablishment")
        self.direction = QComboBox()
        self.direction.setObjectName("historyDirection")
        self.direction.addItem(self.tr("送信・受信"), "")
        self.direction.addItem(self.tr("送信"), "send")
        self.direction.addItem(self.tr("受信"), "receive")
        self.use_dates = QCheckBox(self.tr("期間(&P):"))
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy/MM/dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.since.setEnabled)
        self.use_dates.toggled.connect(self.until.setEnabled)
        self.export_button = QPushButton(self.tr("CSVに書き出す(&X)..."))
        self.export_button.setObjectName("exportCsv")
        self.export_button.clicked.connect(self.export_csv)

        f1 = QHBoxLayout()
        f1.addWidget(lab_search)
        f1.addWidget(self.search, 2)
        f1.addWidget(QLabel(self.tr("事業所:")))
        f1.addWidget(self.establishment, 1)
        f1.addWidget(QLabel(self.tr("区分:")))
        f1.addWidget(self.direction)
        f2 = QHBoxLayout()
        f2.addWidget(self.use_dates)
        f2.addWidget(self.since)
        f2.addWidget(QLabel("～"))
        f2.addWidget(self.until)
        f2.addStretch(1)
        f2.addWidget(self.export_button)

        # 元のファイル名 beside ファイル名: which of the user's files went out under which name
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([self.tr("日時"), self.tr("区分"), self.tr("事業所番号"),
                                              self.tr("ファイル名"), self.tr("元のファイル名"), self.tr("サイズ"),
                                              self.tr("結果"), self.tr("受付番号・詳細")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        hh = self.table.horizontalHeader()
        for c in range(8):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        hh.resizeSection(4, 180)
        hh.setSectionResizeMode(7, QHeaderView.ResizeMode.Interactive)
        hh.resizeSection(7, 240)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.status = QLabel()
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        # a received row: its filed PDF, opened or printed from here (the inbox lists only this visit's files)
        self.open_file_button = QPushButton(self.tr("ファイルを開く(&O)"))
        self.open_file_button.setObjectName("historyOpenFile")
        self.open_file_button.clicked.connect(self.open_selected_file)
        self.open_folder_button = QPushButton(self.tr("フォルダーを開く(&G)"))
        self.open_folder_button.setObjectName("historyOpenFolder")
        self.open_folder_button.clicked.connect(self.open_selected_folder)
        self.print_button = QPushButton(self.tr("印刷(&I)"))
        self.print_button.setObjectName("historyPrint")
        self.print_button.clicked.connect(self.print_selected_file)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for b in (self.open_file_button, self.open_folder_button, self.print_button):
            bottom.addWidget(b)

        lay = QVBoxLayout(self)
        lay.addLayout(f1)
        lay.addLayout(f2)
        lay.addWidget(self.table)
        lay.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda *_: self._debounce.start())
        for w in (self.establishment, self.direction):
            w.currentIndexChanged.connect(lambda *_: self._debounce.start())
        for d in (self.since, self.until):
            d.dateChanged.connect(lambda *_: self._debounce.start())
        self.use_dates.toggled.connect(lambda *_: self._debounce.start())
        self.reload_establishments()
        self._update_buttons()

    def reload_establishments(self) -> None:
        current = self.establishment.currentData()
        self.establishment.blockSignals(True)
        self.establishment.clear()
        self.establishment.addItem(self.tr("すべて"), "")
        seen = set()
        for p in self.bridge.profiles():
            if p.establishment in seen:
                continue
            seen.add(p.establishment)
            self.establishment.addItem(f"{p.establishment} {p.name}", p.establishment)
        idx = self.establishment.findData(current)
        self.establishment.setCurrentIndex(max(0, idx))
        self.establishment.blockSignals(False)

    def query(self, *, limit: int | None = 500) -> Any:
        from denshi_client.clock import JST
        from denshi_client.services import HistoryQuery

        since = until = None
        if self.use_dates.isChecked():
            s, u = self.since.date(), self.until.date()
            since = datetime.combine(datetime(s.year(), s.month(), s.day()).date(), time(0), tzinfo=JST)
            until = datetime.combine(datetime(u.year(), u.month(), u.day()).date(), time(0), tzinfo=JST) + timedelta(
                days=1)
        return HistoryQuery(text=self.search.text(), establishment=self.establishment.currentData() or "",
                            direction=self.direction.currentData() or "", since=since, until=until, limit=limit)

    def _history(self) -> Any:
        h = self.bridge.history()
        if h is None:
            from denshi_client.services import open_history

            h = open_history()
        return h

    def refresh(self) -> None:
        try:
            q = self.query()
        except Exception as exc:
            self.status.setText(error_text(exc)[0])
            return
        from dataclasses import replace

        run_in_background(lambda: (self._history().search(q), self._history().count(replace(q, limit=None))),
                          self._show, self._failed)

    def _show(self, result: Any) -> None:
        from denshi_client.services import local_text

        records, total = result
        self.records = list(records)
        words = {"send": self.tr("送信"), "receive": self.tr("受信"), "ok": self.tr("成功"), "failed": self.tr("失敗"),
                 "cancelled": self.tr("取り消し"), "pending": self.tr("未完了")}
        self.table.setRowCount(len(self.records))
        for r, rec in enumerate(self.records):
            # a send shows the service's receipt number; a receive what was filed (or why it failed)
            detail = rec.detail_in()  # the UI's language (errors keep both)
            extra = rec.server_id if rec.direction == "send" and rec.server_id else detail
            cells = [local_text(rec.time)[:16].replace("-", "/"), words.get(rec.direction, rec.direction),
                     rec.establishment, rec.file_name, rec.original_name,
                     human_size(rec.size) if rec.size is not None else "", words.get(rec.result, rec.result), extra]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == 4 and rec.original_name:
                    it.setToolTip(rec.original_name)
                if c == 5:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 7:
                    it.setToolTip(detail or rec.receipt)
                if c == 6 and rec.result == "failed":
                    it.setForeground(Qt.GlobalColor.red)
                    it.setToolTip(detail)
                self.table.setItem(r, c, it)
        self._update_buttons()
        shown = len(self.records)
        self.status.setText(self.tr("%1件（全%2件）").replace("%1", str(shown)).replace("%2", str(total)))

    # ----- open / print a received file -----------------------------------------------------------
    def _selected_record(self) -> Any:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return self.records[rows[0]] if len(rows) == 1 and rows[0] < len(self.records) else None

    def _update_buttons(self) -> None:
        """Enabled for one received row whose files are still where they were filed; the tooltip says why not."""
        rec = self._selected_record()
        self.chosen_files = []
        why = ""
        if rec is None:
            why = self.tr("受信した書類の行を1つ選んでください。")
        elif rec.direction != "receive" or rec.result != "ok":
            why = self.tr("受信して保存した書類の行を選んでください。")
        else:
            try:
                paths = self.bridge.filed_paths(rec.sha256 or "")
            except Exception as exc:  # the queue file unreadable: say so rather than guess
                log.info("filed paths unavailable: %s", type(exc).__name__)
                paths = None
            if paths:
                self.chosen_files = paths
            else:
                why = self.tr("保存したファイルが見つかりません（移動または削除された可能性があります）。")
        pdf = self._chosen_pdf()
        for b in (self.open_file_button, self.open_folder_button):
            b.setEnabled(bool(self.chosen_files))
            b.setToolTip(why or str(pdf or self.chosen_files[0]))
        self.print_button.setEnabled(pdf is not None)
        self.print_button.setToolTip(why or (str(pdf) if pdf else self.tr("印刷できるPDFファイルがありません。")))

    def _chosen_pdf(self) -> Path | None:
        return next((p for p in self.chosen_files if p.suffix.lower() == ".pdf"), None)

    def open_selected_file(self) -> None:
        p = self._chosen_pdf() or (self.chosen_files[0] if self.chosen_files else None)
        if p is not None:
            self.file_actions.open_file(p)

    def open_selected_folder(self) -> None:
        if self.chosen_files:
            self.file_actions.open_folder(self.chosen_files[0].parent)

    def print_selected_file(self) -> None:
        p = self._chosen_pdf()
        if p is not None:
            self.file_actions.print_file(p)

    def _failed(self, exc: BaseException) -> None:
        msg, hint = error_text(exc)
        self.status.setText(msg + (f" {hint}" if hint else ""))

    def export_csv(self, *, path: str | None = None) -> None:
        if path is None:
            default = str(Path.home() / f"送受信履歴_{datetime.now():%Y%m%d}.csv")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("CSVに書き出す"), default,
                                                  self.tr("CSVファイル (*.csv)"))
            if not path:
                return
        q = self.query(limit=None)
        out = Path(path)
        run_in_background(lambda: self._history().export_csv(out, q),
                          lambda n: self.status.setText(self.tr("%1件を書き出しました: %2").replace(
                              "%1", str(n)).replace("%2", str(out))), self._failed)
