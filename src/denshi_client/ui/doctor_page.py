"""診断 (diagnostics) page: the `doctor` checks as a table, and "サポート用情報を保存" (support bundle).

Self-contained QWidget for the main window or the settings dialog. The checks call vpncmd and
the credential store, so they run on the worker pool; the table fills in when they finish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from denshi_client import i18n
from denshi_client.diagnostics import doctor as dr
from denshi_client.i18n import pick
from denshi_client.ui.worker import run_in_background

_STATUS_TEXT = {
    dr.Status.PASS: ("正常", "OK"),
    dr.Status.WARN: ("注意", "Warning"),
    dr.Status.FAIL: ("問題あり", "Problem"),
    dr.Status.SKIP: ("未確認", "Not checked"),
}
_STATUS_COLOR = {dr.Status.PASS: "#1b7f3b", dr.Status.WARN: "#a15c00", dr.Status.FAIL: "#b00020",
                 dr.Status.SKIP: "#666666"}


class DoctorPage(QWidget):
    """Runs the checks on demand; `finished` carries the results (for tests and the main window)."""

    finished = Signal(object)
    bundle_written = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, demo: bool = False, ctx_factory: Any = None) -> None:
        super().__init__(parent)
        self._demo = demo
        self._ctx_factory = ctx_factory or (lambda: dr.DoctorContext(demo=self._demo))
        self.results: list[dr.CheckResult] = []
        title = QLabel(pick("このパソコンの診断", "Diagnostics for this PC"))
        f = title.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        title.setFont(f)
        intro = QLabel(pick("VPN ソフト、設定、時計、空き容量などを確認します。問題があれば対処方法を表示します。",
                            "Checks the VPN software, settings, clock, disk space and more, with a fix for each "
                            "problem."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([pick("結果", "Result"), pick("項目", "Check"),
                                              pick("内容と対処", "Details and fix")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setObjectName("doctorSummary")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.run_btn = QPushButton(pick("診断を実行", "Run diagnostics"))
        self.bundle_btn = QPushButton(pick("サポート用情報を保存…", "Export support bundle…"))
        self.bundle_btn.setToolTip(pick("ログ・バージョン・設定（パスワードは伏せ字）・診断結果を ZIP にまとめます。",
                                        "Logs, versions, configuration (secrets masked) and these results in a ZIP."))
        self.run_btn.clicked.connect(self.run_checks)
        self.bundle_btn.clicked.connect(self._ask_bundle)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_btn)
        buttons.addWidget(self.bundle_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addLayout(buttons)
        lay.addWidget(self.progress)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)

    def _set_busy(self, busy: bool) -> None:
        self.run_btn.setEnabled(not busy)
        self.bundle_btn.setEnabled(not busy)
        self.progress.setVisible(busy)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def run_checks(self) -> None:
        self._set_busy(True)
        self.summary.setText(pick("診断しています…", "Running the checks…"))
        ctx = self._ctx_factory()

        def work(progress: Any) -> list[dr.CheckResult]:
            return dr.run_checks(ctx, progress=progress)

        run_in_background(work, self._show, self._failed, on_progress=self._on_progress)

    def _failed(self, e: BaseException) -> None:
        self._set_busy(False)
        self.summary.setText(pick(f"診断を実行できませんでした（{type(e).__name__}）。",
                                  f"The diagnostics could not run ({type(e).__name__})."))

    def _show(self, results: list[dr.CheckResult]) -> None:
        self._set_busy(False)
        self.results = results
        lang = i18n.language()
        self.table.setRowCount(len(results))
        for row, r in enumerate(results):
            st = QTableWidgetItem(pick(*_STATUS_TEXT[r.status]))
            st.setForeground(QBrush(QColor(_STATUS_COLOR[r.status])))
            st.setData(Qt.ItemDataRole.UserRole, r.status.value)
            text = r.detail_text(lang)
            if r.status is not dr.Status.PASS and r.hint(lang):
                text += "\n" + pick("対処: ", "Fix: ") + r.hint(lang)
            self.table.setItem(row, 0, st)
            self.table.setItem(row, 1, QTableWidgetItem(r.title(lang)))
            self.table.setItem(row, 2, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        n_fail = sum(r.status is dr.Status.FAIL for r in results)
        n_warn = sum(r.status is dr.Status.WARN for r in results)
        if n_fail:
            self.summary.setText(pick(f"問題が {n_fail} 件あります。表の対処方法をご確認ください。",
                                      f"{n_fail} problem(s) found. See the fixes in the table."))
        else:
            self.summary.setText(pick(f"問題はありません（注意 {n_warn} 件）。", f"No problems ({n_warn} warning(s))."))
        self.finished.emit(results)

    def _ask_bundle(self) -> None:
        from datetime import datetime

        name = f"denshi-client-support-{datetime.now():%Y%m%d-%H%M}.zip"
        path, _ = QFileDialog.getSaveFileName(self, pick("サポート用情報を保存", "Export support bundle"),
                                              str(Path.home() / name), "ZIP (*.zip)")
        if path:
            self.export_bundle(Path(path))

    def export_bundle(self, out: Path) -> None:
        from denshi_client.diagnostics.bundle import build_bundle

        self._set_busy(True)
        ctx = self._ctx_factory()
        results = self.results or None

        def work(progress: Any) -> Path:
            return build_bundle(out, ctx=ctx, results=results, progress=progress)

        def done(p: Path) -> None:
            self._set_busy(False)
            self.summary.setText(pick(f"保存しました: {p}（パスワード等は伏せ字になっています）",
                                      f"Saved: {p} (secrets are masked)"))
            self.bundle_written.emit(str(p))

        run_in_background(work, done, self._failed, on_progress=self._on_progress)
