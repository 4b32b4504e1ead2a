"""送信: drop PDFs, name them with the assistant, and send them through a visible queue.

The naming rule, the PDF checks, the packing and the upload all live below the UI
(`documents.naming`, `documents.pdfcheck`, the session's transfers); this view only collects
the three parts of the name, shows what the rules say as the user types, and schedules work.
Sources are never modified: the core packs a copy.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from denshi_client.errors import error_line
from denshi_client.ui.file_actions import FileActions
from denshi_client.ui.outbox_parts import Draft, DropZone, NamingAssistant, ReadyList
from denshi_client.ui.worker import run_in_background

if TYPE_CHECKING:
    from denshi_client.ui.session_bridge import SessionBridge

log = logging.getLogger(__name__)

QUEUE_MIN_ROWS = 6  # the send queue never shows fewer rows than this (issue 14: it showed about three)


def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


class UploadStatus(enum.StrEnum):
    """A row of the outbox queue (the UI's view; the core's queue has `TransferState`)."""

    WAITING = "waiting"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    PREPARED = "prepared"  # browser mode: the ZIP is ready to hand to the service's page


@dataclass
class UploadItem:
    """Owned by the GUI thread: workers return results, the slots here apply them."""

    source: Path
    name: str
    form: str
    establishment: str
    filing_date: date | None = None
    prepared: Any = None  # the core's QueueItem: a retry reuses it (same client id, no second copy)
    status: UploadStatus = UploadStatus.WAITING
    done: int = 0
    total: int = 0
    receipt: Any = None
    error: str = ""
    cancel: Any = None
    result_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class OutboxView(QWidget):
    upload_finished = Signal(object)  # UploadItem

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxView")
        self.bridge = bridge
        self.visit_busy = False  # set by the visit while its automatic work runs (it sends the queue itself)
        self.items: list[UploadItem] = []
        self.pending_sources: list[Path] = []
        self.drafts: dict[Path, Draft] = {}  # what the user entered for each pending file
        self.pdf_checks: dict[Path, tuple[bool, str]] = {}  # each pending file's PDF check, once done
        self.file_actions = FileActions(self)

        self.drop = DropZone()
        self.drop.files_dropped.connect(self.add_files)
        self.files = QListWidget()
        self.files.setObjectName("pendingFiles")
        self.files.currentRowChanged.connect(self._select_pending)
        self.files.itemClicked.connect(self._file_clicked)
        self.assistant = NamingAssistant(bridge.upload_form_names() if bridge.ready else [])
        self.assistant.today = bridge.today
        self.assistant.changed.connect(self._assistant_changed)
        self.add_to_queue = QPushButton(self.tr("送信待ちに追加(&A)"))
        self.add_to_queue.setObjectName("addToQueue")
        self.add_to_queue.clicked.connect(self.queue_current)
        self.add_to_queue.setDefault(True)
        self.add_reason = QLabel()  # why 送信待ちに追加 is greyed out, when it is not the name itself
        self.add_reason.setObjectName("addReason")
        self.add_reason.setWordWrap(True)
        self.add_reason.setStyleSheet("color: #b3261e;")

        # The drop zone heads the file list, beside the assistant: the naming area takes only the assistant's
        # height and the queue below gets the rest (at 1366x768 it showed about three rows before).
        self.files.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.files.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        left = QVBoxLayout()
        left.addWidget(self.drop)
        left.addWidget(QLabel(self.tr("追加したファイル:")))
        left.addWidget(self.files, 1)
        top_row = QHBoxLayout()
        top_row.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(self.assistant)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_reason, 1)
        add_row.addWidget(self.add_to_queue, 0, Qt.AlignmentFlag.AlignTop)
        right.addLayout(add_row)
        right.addStretch(1)
        top_row.addLayout(right, 2)
        top = QWidget()
        top_l = QVBoxLayout(top)
        top_l.setContentsMargins(0, 0, 0, 0)
        top_l.addLayout(top_row)

        self.queue = QTableWidget(0, 6)
        self.queue.setObjectName("uploadQueue")
        self.queue.setHorizontalHeaderLabels([self.tr("送信ファイル名"), self.tr("元のファイル"), self.tr("届書名"),
                                              self.tr("状態"), self.tr("進捗"), self.tr("受付番号")])
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        hh = self.queue.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        hh.resizeSection(1, 160)
        for c in (2, 3, 5):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        hh.resizeSection(4, 120)
        vh = self.queue.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)  # a progress bar fits; more rows show
        self.queue.setMinimumHeight(self.queue_height(QUEUE_MIN_ROWS))
        self.queue.itemSelectionChanged.connect(self._update_buttons)
        self.send_button = QPushButton(self.tr("送信(&U)"))
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.send_waiting)
        self.cancel_button = QPushButton(self.tr("取り消し(&X)"))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.retry_button = QPushButton(self.tr("再試行(&R)"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.remove_button = QPushButton(self.tr("一覧から削除"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.queue_note = QLabel()
        self.queue_note.setObjectName("queueNote")
        self.queue_note.setWordWrap(True)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel(self.tr("送信待ち・送信結果:")))
        bl.addWidget(self.queue)
        bl.addLayout(buttons)
        bl.addWidget(self.queue_note)

        # Browser mode: the upload-ready folder.
        self.browser_box = QGroupBox(self.tr("送信準備フォルダー（ブラウザーで送信）"))
        self.browser_box.setObjectName("browserBox")
        self.ready = ReadyList()
        hint = QLabel(self.tr("基金のページの「届書の送信」で［ファイルを選択］を押すと、ここにあるパスワード付Zip"
                              "ファイルから選べます。既定のブラウザーをお使いのときは、この一覧からアップロード画面へ"
                              "ドラッグしてください。"))
        hint.setWordWrap(True)
        self.open_page = QPushButton(self.tr("基金のページを開く(&W)"))
        self.open_page.clicked.connect(lambda: bridge.open_service_page())
        self.open_ready_dir = QPushButton(self.tr("フォルダーを開く"))
        self.open_ready_dir.clicked.connect(self._open_ready_folder)
        br = QHBoxLayout()
        br.addWidget(self.open_page)
        br.addWidget(self.open_ready_dir)
        br.addStretch(1)
        bbl = QVBoxLayout(self.browser_box)
        bbl.addWidget(hint)
        bbl.addWidget(self.ready)
        bbl.addLayout(br)
        bl.addWidget(self.browser_box)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 0)  # the naming area keeps its own height; the queue takes what is left
        split.setStretchFactor(1, 1)
        self.splitter = split
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.refresh_mode()
        self._update_buttons()

    def queue_height(self, rows: int) -> int:
        """Pixels the queue needs to show `rows` rows with its header (no scrolling)."""
        q = self.queue
        return q.horizontalHeader().sizeHint().height() + rows * q.verticalHeader().defaultSectionSize() + \
            2 * q.frameWidth() + 2

    def refresh_forms(self) -> None:
        """The form list is data the fund may change: (re)load it when the core is ready."""
        combo = self.assistant.form
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("")
        combo.addItems(self.bridge.upload_form_names())
        combo.setCurrentText(current)
        combo.blockSignals(False)

    # ----- pending files + assistant ---------------------------------------------------------
    def add_files(self, paths: list[Path]) -> None:
        """New files join the list; the first new one is shown when nothing was shown yet."""
        first_new = -1
        for p in paths:
            p = Path(p)
            if p in self.pending_sources:
                continue
            self.pending_sources.append(p)
            it = QListWidgetItem(p.name)
            it.setToolTip(str(p))
            self.files.addItem(it)
            if first_new < 0:
                first_new = self.files.count() - 1
        if self.assistant.source is None and first_new >= 0:
            self.files.blockSignals(True)
            self.files.setCurrentRow(first_new)
            self.files.blockSignals(False)
            self._select_pending(first_new)

    def _select_pending(self, row: int) -> None:
        """Show the file at `row` in the assistant, filled from that file alone (or its own draft)."""
        src = self.pending_sources[row] if 0 <= row < len(self.pending_sources) else None
        self.assistant.set_source(src, self.bridge.current_establishment(), self.drafts.get(src) if src else None)
        if src is not None:
            if src in self.pdf_checks:
                self._show_pdf_check(*self.pdf_checks[src])
            else:
                self._check_pdf(src)
        self._update_buttons()

    def _file_clicked(self, item: QListWidgetItem) -> None:
        """A click on the row already current emits no currentRowChanged: still show that file."""
        row = self.files.row(item)
        if 0 <= row < len(self.pending_sources) and self.assistant.source != self.pending_sources[row]:
            self._select_pending(row)

    def _assistant_changed(self) -> None:
        src = self.assistant.source
        if src is not None and src in self.pending_sources:
            self.drafts[src] = self.assistant.draft()
        self._update_buttons()

    def _show_pdf_check(self, ok: bool, text: str) -> None:
        self.assistant.pdf_result.setText(("✔ " if ok else "✖ ") + text)
        self.assistant.pdf_result.setStyleSheet("color: #1e7a3c;" if ok else "color: #b3261e;")

    def _check_pdf(self, src: Path) -> None:
        self.assistant.pdf_result.setText(self.tr("確認しています..."))
        self.assistant.pdf_result.setStyleSheet("color: #80868b;")

        def done(res: Any) -> None:
            ok, text = res
            self.pdf_checks[src] = (bool(ok), str(text))
            if self.assistant.source == src:
                self._show_pdf_check(bool(ok), str(text))
                self._update_buttons()

        def failed(exc: BaseException) -> None:
            self.pdf_checks[src] = (False, error_line(exc, inline=True))
            if self.assistant.source == src:
                self._show_pdf_check(False, error_line(exc, inline=True))
                self._update_buttons()

        run_in_background(lambda: self.bridge.check_pdf(src), done, failed)

    def queue_refusal(self) -> str:
        """Why the shown file cannot be added now ("" when it can). The name's own problems are shown
        by the assistant; this adds what only the queue, the history and the PDF check know."""
        a = self.assistant
        src = a.source
        if src is None or not a.is_ok():
            return ""
        check = self.pdf_checks.get(src)
        if check is None:
            return self.tr("PDFファイルを確認しています。確認が終わるまでお待ちください。")
        if not check[0]:
            return self.tr("PDFの確認で問題が見つかったため、このファイルは送信待ちに追加できません。"
                           "内容を確認し、正しいPDFファイルを追加し直してください。")
        name = a.suggestion.name
        for item in self.items:
            if item.name == name:
                return self.tr("「%1」は送信待ちの一覧にすでにあります（元のファイル: %2）。"
                               "届書名と届出年月日をご確認ください。").replace("%1", name).replace(
                    "%2", item.source.name)
        est = f"{a.suggestion.establishment:04d}"
        try:
            sent = self.bridge.sent_today(est, name)
        except Exception as exc:  # the history cannot be read: do not guess that the name is free
            why = error_line(exc, inline=True)
            return self.tr("送信履歴を確認できないため、追加できません（%1）。").replace("%1", why)
        if sent is not None:
            return self.tr("「%1」は本日すでに送信しています（元のファイル: %2）。同じ名前で別の届書を送ることは"
                           "できません。届書名と届出年月日をご確認ください。").replace("%1", name).replace(
                "%2", sent.original_name or "-")
        return ""

    def can_queue(self) -> bool:
        return self.assistant.is_ok() and not self.queue_refusal()

    def queue_current(self) -> None:
        if not self.can_queue():
            self._update_buttons()
            return
        s = self.assistant.suggestion
        src = self.assistant.source
        assert src is not None
        item = UploadItem(source=src, name=s.name, form=s.form or "", establishment=f"{s.establishment:04d}",
                          filing_date=s.filing_date)
        self.items.append(item)
        row = self.pending_sources.index(src)
        self.pending_sources.pop(row)
        self.drafts.pop(src, None)
        self.pdf_checks.pop(src, None)
        self.files.blockSignals(True)  # one explicit selection below, not the list's intermediate ones
        try:
            self.files.takeItem(row)
            nxt = min(row, self.files.count() - 1)
            self.files.setCurrentRow(nxt)
        finally:
            self.files.blockSignals(False)
        self._render()
        self._select_pending(nxt)

    # ----- queue ---------------------------------------------------------------------------
    def send_waiting(self) -> None:
        for item in self.items:
            if item.status is UploadStatus.WAITING:
                self._start(item)

    def _start(self, item: UploadItem) -> None:
        item.error = ""
        if self.bridge.is_browser_mode():
            item.status = UploadStatus.SENDING
            self._render()
            source, form, filing_date = item.source, item.form, item.filing_date
            run_in_background(lambda: self.bridge.prepare(source, form, filing_date),
                              lambda prepared: self._prepared(item, prepared), lambda e: self._failed(item, e))
            return
        refusal = self.bridge.transfer_refusal(item.source.stat().st_size if item.source.exists() else 0)
        if refusal:
            item.status = UploadStatus.FAILED
            item.error = refusal
            self._render()
            return
        item.status = UploadStatus.SENDING
        item.done = 0
        item.cancel = self.bridge.new_cancel_token()
        self._render()
        if item.prepared is None:  # pack it (worker), keep it (GUI thread), then send it
            source, form, filing_date = item.source, item.form, item.filing_date
            run_in_background(lambda: self.bridge.prepare(source, form, filing_date),
                              lambda prepared: self._send_prepared(item, prepared), lambda e: self._failed(item, e))
        else:
            self._send_prepared(item, item.prepared)

    def _send_prepared(self, item: UploadItem, prepared: Any) -> None:
        """GUI thread: remember the packed item (a retry reuses its client id), then send it."""
        item.prepared = prepared
        cancel = item.cancel

        def on_progress(done: int, total: int) -> None:
            item.done, item.total = done, total
            self._render_progress(item)

        run_in_background(lambda progress: self.bridge.upload_prepared(prepared, progress=progress, cancel=cancel),
                          lambda r: self._uploaded(item, r), lambda e: self._failed(item, e), on_progress)

    def _uploaded(self, item: UploadItem, result: Any) -> None:
        item.status = UploadStatus.DONE
        item.receipt = getattr(result, "receipt", result)
        item.done = item.total = max(item.total, 1)
        self._render()
        self.upload_finished.emit(item)

    def _prepared(self, item: UploadItem, prepared: Any) -> None:
        item.status = UploadStatus.PREPARED
        item.prepared = prepared
        item.result_path = Path(getattr(prepared, "zip_path", "") or "")
        self._render()
        self.refresh_ready()
        self.upload_finished.emit(item)

    def _failed(self, item: UploadItem, exc: BaseException) -> None:
        cancelled = bool(item.cancel is not None and getattr(item.cancel, "cancelled", False))
        item.status = UploadStatus.CANCELLED if cancelled else UploadStatus.FAILED
        item.error = "" if cancelled else error_line(exc, inline=True)
        self._render()

    def _selected_items(self) -> list[UploadItem]:
        rows = sorted({i.row() for i in self.queue.selectedIndexes()})
        return [self.items[r] for r in rows if r < len(self.items)]

    def cancel_selected(self) -> None:
        for item in self._selected_items():
            if item.status is UploadStatus.SENDING and item.cancel is not None:
                item.cancel.cancel()
            elif item.status is UploadStatus.WAITING:
                item.status = UploadStatus.CANCELLED
        self._render()

    def retry_selected(self) -> None:
        for item in self._selected_items():
            if item.status in (UploadStatus.FAILED, UploadStatus.CANCELLED):
                item.status = UploadStatus.WAITING
                self._start(item)

    def remove_selected(self) -> None:
        for item in self._selected_items():
            if item.status is not UploadStatus.SENDING:
                self.items.remove(item)
        self._render()

    def cancel_all(self) -> None:
        for item in self.items:
            if item.status is UploadStatus.SENDING and item.cancel is not None:
                item.cancel.cancel()

    def busy(self) -> bool:
        return any(i.status is UploadStatus.SENDING for i in self.items)

    # ----- rendering ----------------------------------------------------------------------
    def _status_text(self, item: UploadItem) -> str:
        return {
            UploadStatus.WAITING: self.tr("送信待ち"),
            UploadStatus.SENDING: self.tr("送信中"),
            UploadStatus.DONE: self.tr("送信完了"),
            UploadStatus.FAILED: self.tr("失敗"),
            UploadStatus.CANCELLED: self.tr("取り消し"),
            UploadStatus.PREPARED: self.tr("準備完了"),
        }.get(item.status, item.status)

    def _render(self) -> None:
        self.queue.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            name = QTableWidgetItem(item.name)
            name.setToolTip(str(item.source))
            self.queue.setItem(r, 0, name)
            orig = QTableWidgetItem(item.source.name)
            orig.setToolTip(str(item.source))
            self.queue.setItem(r, 1, orig)
            self.queue.setItem(r, 2, QTableWidgetItem(item.form))
            st = QTableWidgetItem(self._status_text(item))
            if item.error:
                st.setToolTip(item.error)
            self.queue.setItem(r, 3, st)
            bar = self.queue.cellWidget(r, 4)
            if not isinstance(bar, QProgressBar):
                bar = QProgressBar()
                bar.setTextVisible(True)
                self.queue.setCellWidget(r, 4, bar)
            self._fill_bar(bar, item)
            rid = ""
            if item.receipt is not None:
                rid = str(getattr(item.receipt, "server_id", item.receipt))
            receipt = QTableWidgetItem(rid)
            if item.result_path is not None:  # browser mode: no receipt yet, the ZIP waits in the folder
                receipt.setToolTip(str(item.result_path))
            self.queue.setItem(r, 5, receipt)
        errors = [f"{i.name}: {i.error}" for i in self.items if i.status is UploadStatus.FAILED and i.error]
        self.queue_note.setText("\n".join(errors))
        self.queue_note.setStyleSheet("color: #b3261e;")
        self._update_buttons()

    def _fill_bar(self, bar: QProgressBar, item: UploadItem) -> None:
        if item.status in (UploadStatus.DONE, UploadStatus.PREPARED):
            bar.setRange(0, 100)
            bar.setValue(100)
            bar.setFormat("%p%")
        elif item.total > 0:
            bar.setRange(0, 1000)
            bar.setValue(int(item.done * 1000 / item.total))
            bar.setFormat("%p%")
            bar.setToolTip(f"{_human_size(item.done)} / {_human_size(item.total)}")
        else:
            bar.setRange(0, 100)
            bar.setValue(0)

    def _render_progress(self, item: UploadItem) -> None:
        try:
            r = self.items.index(item)
        except ValueError:
            return
        bar = self.queue.cellWidget(r, 4)
        if isinstance(bar, QProgressBar):
            self._fill_bar(bar, item)

    def _update_buttons(self) -> None:
        reason = self.queue_refusal()
        self.add_to_queue.setEnabled(self.assistant.is_ok() and not reason)
        self.add_reason.setText(reason)
        self.add_to_queue.setToolTip(reason)
        can_send = (self.bridge.can_transfer() or self.bridge.is_browser_mode()) and not self.visit_busy
        self.send_button.setEnabled(can_send and any(i.status is UploadStatus.WAITING for i in self.items))
        sel = self._selected_items()
        self.cancel_button.setEnabled(any(i.status in (UploadStatus.SENDING, UploadStatus.WAITING) for i in sel))
        self.retry_button.setEnabled(any(i.status in (UploadStatus.FAILED, UploadStatus.CANCELLED) for i in sel))
        self.remove_button.setEnabled(any(i.status is not UploadStatus.SENDING for i in sel))

    # ----- browser mode -------------------------------------------------------------------
    def add_interrupted(self, queued: list[Any]) -> int:
        """Uploads an earlier run left unfinished: listed as failed, so 再試行 resumes them with the
        same client id (the service never gets them twice)."""
        known = {getattr(i.prepared, "id", None) for i in self.items}
        added = 0
        for q in queued:
            if getattr(q, "kind", "") != "upload" or q.id in known:
                continue
            from denshi_client import i18n as core_i18n

            reason = core_i18n.pick(q.error_ja, q.error_en) or self.tr("前回の送信が完了していません。")
            self.items.append(UploadItem(source=Path(q.source), name=q.file_name, form=q.form_name,
                                         establishment=q.establishment, prepared=q, status=UploadStatus.FAILED,
                                         error=reason))
            added += 1
        if added:
            self._render()
        return added

    def profile_changed(self) -> None:
        """Another establishment: finished rows go; files still to send are named again for it."""
        keep = (UploadStatus.SENDING, UploadStatus.WAITING, UploadStatus.FAILED)
        self.items = [i for i in self.items if i.status in keep]
        self.drafts.clear()  # their numbers were the other establishment's
        self._render()
        self._select_pending(self.files.currentRow())
        self.refresh_mode()

    def refresh_mode(self) -> None:
        browser = self.bridge.is_browser_mode()
        self.browser_box.setVisible(browser)
        self.send_button.setText(self.tr("送信用Zipを作成(&U)") if browser else self.tr("送信(&U)"))
        if browser:
            self.refresh_ready()
        self._update_buttons()

    def refresh_ready(self) -> None:
        self.ready.clear()
        folder = self.bridge.upload_ready_dir()
        if folder is None or not Path(folder).is_dir():
            return
        for p in sorted(Path(folder).glob("*.zip")):
            it = QListWidgetItem(f"{p.name}  ({_human_size(p.stat().st_size)})")
            it.setData(Qt.ItemDataRole.UserRole, str(p))
            self.ready.addItem(it)

    def _open_ready_folder(self) -> None:
        folder = self.bridge.upload_ready_dir()
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.file_actions.open_folder(Path(folder))
