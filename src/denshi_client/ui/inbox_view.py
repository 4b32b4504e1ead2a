"""受信箱: the fund's documents, new ones marked; download, decrypt and file; open file/folder.

Listing, download, verification, unpacking with the stored ZIP password and filing into the
establishment's folder tree are the core's (`session.transfers`); the view schedules them on
the worker and shows progress. In browser mode the documents arrive through the browser's
download folder instead, and this view lists what the watcher filed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from denshi_client.ui.connect_flow import error_text
from denshi_client.ui.file_actions import FileActions
from denshi_client.ui.worker import run_in_background

if TYPE_CHECKING:
    from denshi_client.ui.session_bridge import SessionBridge

log = logging.getLogger(__name__)


SAVED_COLUMN = 6


class ZipPasswordDialog(QDialog):
    """Offline: the right ZIP password for one held document, and whether to keep it for the establishment."""

    def __init__(self, notice_text: str, establishment: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("zipPasswordDialog")
        self.setWindowTitle(self.tr("パスワードを入力して開く"))
        text = QLabel(notice_text)
        text.setObjectName("zipPasswordText")
        text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("zipPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("基金から通知されたZIPのパスワード"))
        self.remember = QCheckBox(self.tr("このパスワードを事業所 %1 のZIPパスワードとして保存する(&S)")
                                  .replace("%1", establishment))
        self.remember.setObjectName("zipPasswordRemember")
        self.remember.setToolTip(self.tr("保存すると、次回からこのパスワードで自動的に開きます（資格情報マネージャーに保存）。"))
        self.error = QLabel()
        self.error.setObjectName("zipPasswordError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("開いて保存"))
        ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("キャンセル"))
        self.password.textChanged.connect(lambda t: ok.setEnabled(bool(t)))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(QLabel(self.tr("ZIPのパスワード:")))
        lay.addWidget(self.password)
        lay.addWidget(self.remember)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(460)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    if n < 1024 ** 3:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024 ** 3:.2f} GB"


class InboxView(QWidget):
    new_documents = Signal(int)
    downloaded = Signal(list)  # [FiledDocument]

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxView")
        self.bridge = bridge
        self.docs: list[Any] = []
        self.saved: dict[str, list[Path] | None] = {}  # doc id -> filed paths ([] moved), None = not saved
        self.filed_paths: list[Path] = []
        self._seen: set[str] = set()
        self.cancel_token: Any = None
        self.visit_busy = False  # set by the visit while its automatic work runs
        self.file_actions = FileActions(self)

        self.intro = QLabel()
        self.intro.setObjectName("inboxIntro")
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("inboxTable")
        self.table.setMinimumHeight(120)  # it shrinks before the buttons below it leave a 1366x728 screen
        self.table.setHorizontalHeaderLabels([self.tr("新着"), self.tr("種類"), self.tr("表題"), self.tr("事業所番号"),
                                              self.tr("日付"), self.tr("サイズ"), self.tr("保存")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for c in (0, 1, 3, 4, 5, SAVED_COLUMN):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda *_: self.download_selected())

        self.refresh_button = QPushButton(self.tr("一覧を更新(&R)"))
        self.refresh_button.setToolTip("F5")
        self.refresh_button.clicked.connect(self.refresh)
        self.download_button = QPushButton(self.tr("選択した書類をダウンロード(&G)"))
        self.download_button.setObjectName("downloadSelected")
        self.download_button.clicked.connect(self.download_selected)
        self.download_new_button = QPushButton(self.tr("新着をダウンロード(&L)"))
        self.download_new_button.setObjectName("downloadNew")
        self.download_new_button.setToolTip(self.tr("まだ保存していない書類だけをダウンロードします。"
                                                    "保存済みの書類をもう一度受け取るときは、選んでからダウンロードしてください。"))
        self.download_new_button.setDefault(True)
        self.download_new_button.clicked.connect(self.download_new)
        self.download_all_button = self.download_new_button  # the old name: one main button, new only
        self.cancel_button = QPushButton(self.tr("中止"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        for b in (self.refresh_button, self.download_new_button, self.download_button, self.cancel_button):
            row.addWidget(b)
        row.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("inboxSummary")
        row.addWidget(self.summary)

        self.progress = QProgressBar()
        self.progress.setObjectName("inboxProgress")
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("inboxMessage")
        self.message.setWordWrap(True)

        self.filed = QListWidget()
        self.filed.setObjectName("filedList")
        self.filed.setMaximumHeight(140)
        self.filed.setMinimumHeight(self.fontMetrics().height() * 3 + 10)  # three names, then it scrolls
        self.filed.itemDoubleClicked.connect(
            lambda it: self.file_actions.open_file(Path(it.data(Qt.ItemDataRole.UserRole))))
        self.filed.itemSelectionChanged.connect(self._update_buttons)
        self.open_file_button = QPushButton(self.tr("ファイルを開く(&O)"))
        self.open_file_button.clicked.connect(self.open_selected_file)
        self.open_folder_button = QPushButton(self.tr("フォルダーを開く(&P)"))
        self.open_folder_button.clicked.connect(self.open_folder)
        self.print_button = QPushButton(self.tr("印刷(&I)"))
        self.print_button.setObjectName("printFiled")
        self.print_button.clicked.connect(self.print_selected_file)
        row2 = QHBoxLayout()
        row2.addWidget(self.open_file_button)
        row2.addWidget(self.open_folder_button)
        row2.addWidget(self.print_button)
        row2.addStretch(1)

        # ZIPs that did not open (wrong or missing password): named, and opened here without a visit.
        self.held_panel = QFrame()
        self.held_panel.setObjectName("heldPanel")
        self.held_panel.setStyleSheet("#heldPanel { background: #fff4e5; border: 1px solid #f0b45a; }")
        self.held_text = QLabel()
        self.held_text.setObjectName("heldText")
        self.held_text.setWordWrap(True)
        self.held_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.held_list = QListWidget()
        self.held_list.setObjectName("heldList")
        self.held_list.setMaximumHeight(self.fontMetrics().height() * 2 + 10)  # a line or two: the table stays big
        self.held_list.itemDoubleClicked.connect(lambda *_: self.open_held_selected())
        self.open_held_button = QPushButton(self.tr("パスワードを入力して開く(&J)"))
        self.open_held_button.setObjectName("openHeld")
        self.open_held_button.clicked.connect(self.open_held_selected)
        hl = QVBoxLayout(self.held_panel)
        hl.addWidget(self.held_text)
        hrow = QHBoxLayout()
        hrow.addWidget(self.held_list, 1)
        hrow.addWidget(self.open_held_button, 0, Qt.AlignmentFlag.AlignTop)
        hl.addLayout(hrow)
        self.held_panel.setVisible(False)
        self.held_items: list[Any] = []
        self.password_dialog: ZipPasswordDialog | None = None

        lay = self._layout = QVBoxLayout(self)
        lay.addWidget(self.held_panel)
        lay.addWidget(self.intro)
        lay.addWidget(self.table, 3)
        lay.addLayout(row)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addWidget(QLabel(self.tr("保存した書類（復号済み）:")))
        lay.addWidget(self.filed, 1)
        lay.addLayout(row2)
        bridge.browser_event.connect(self._on_browser_event)
        self.clear()
        self.refresh_mode()

    def _on_browser_event(self, ev: Any) -> None:
        """Browser mode: the core's watcher filed (or could not file) a ZIP from the download folder."""
        if ev.kind == "watching":
            self.message.setStyleSheet("")
            self.message.setText(self.tr("ダウンロードフォルダー（%1）を監視しています。").replace("%1", str(ev.path)))
        elif ev.kind == "filed" and ev.document is not None:
            for p in ev.document.files:
                self.add_filed(Path(p))
            self.message.setStyleSheet("")
            self.message.setText(self._filed_text(ev.document))
            self.downloaded.emit([ev.document])
        elif ev.kind == "failed":
            msg, hint = error_text(ev.error) if ev.error is not None else ("", "")
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(msg + (f"\n{hint}" if hint else ""))
            self.refresh_held()  # a ZIP that did not open is kept: offer the password here

    # ----- listing ---------------------------------------------------------------------------
    def profile_changed(self) -> None:
        """Another establishment: its own documents only (the list of filed files starts afresh)."""
        self.filed.clear()
        self.filed_paths.clear()
        self.message.clear()
        self.clear()
        self.refresh_mode()
        self.refresh_held()

    def refresh_mode(self) -> None:
        browser = self.bridge.is_browser_mode()
        for w in (self.table, self.refresh_button, self.download_button, self.download_new_button, self.cancel_button):
            w.setVisible(not browser)
        self.filed.setMaximumHeight(16777215 if browser else 140)  # browser mode: the filed list is the view
        self._layout.setStretchFactor(self.filed, 3 if browser else 1)
        self._layout.setStretchFactor(self.table, 0 if browser else 3)
        if browser:
            self.summary.setText("")
        if browser:
            self.intro.setText(self.tr(
                "ブラウザーで基金のページからダウンロードしたパスワード付Zipファイルは、接続中に自動で復号し、"
                "事業所のフォルダーに保存します。"))
        else:
            self.intro.setText(self.tr("基金から届いた書類です。ダウンロードすると自動で復号し、事業所のフォルダーに保存します。"))
        self._update_buttons()

    def refresh(self) -> None:
        if self.bridge.is_browser_mode() or not self.bridge.can_transfer():
            self._update_buttons()
            return
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("一覧を取得しています..."))
        bridge = self.bridge

        def listing() -> tuple[list[Any], dict[str, list[Path] | None]]:
            docs = bridge.inbox()
            return docs, bridge.saved_files(docs)

        run_in_background(listing, lambda got: self._listed(*got), self._failed)

    def _listed(self, docs: list[Any], saved: dict[str, list[Path] | None] | None = None) -> None:
        self.saved = dict(saved or {})
        mine_first = self._my_numbers()
        self.docs = sorted(docs, key=lambda d: (bool(mine_first) and d.establishment not in mine_first,
                                                -d.date.toordinal() if hasattr(d.date, "toordinal") else 0))
        self.table.setRowCount(len(self.docs))
        bold = QFont()
        bold.setBold(True)
        new_ids = []
        mine = self._my_numbers()
        grey = QBrush(QColor("#9aa0a6"))
        held_digests = {i.sha256 for i in self.held_items}
        for r, d in enumerate(self.docs):
            unread = bool(getattr(d, "unread", False))
            other = bool(mine) and d.establishment not in mine
            where = self.saved.get(d.id)
            held = d.sha256 in held_digests
            cells = ["●" if unread else "", d.doc_type, d.title, d.establishment,
                     d.date.strftime("%Y/%m/%d") if hasattr(d.date, "strftime") else str(d.date), human_size(d.size),
                     self.tr("保存済み") if where is not None else self.tr("未開封") if held else self.tr("未保存")]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if unread:
                    it.setFont(bold)
                if c == 0:
                    it.setForeground(QBrush(QColor("#1f5fa8")))
                    it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    if unread:
                        it.setToolTip(self.tr("新着"))
                if c == 5:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == SAVED_COLUMN:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    if held and where is None:
                        it.setForeground(QBrush(QColor("#8a4b00")))
                        it.setToolTip(self.tr("ZIPのパスワードが違うため開けませんでした。上の「パスワードを入力して開く」から開けます。"))
                    if where is not None:
                        it.setForeground(QBrush(QColor("#1e7d32")))
                        it.setToolTip(str(where[0]) if where else self.tr("保存済みです（ファイルは移動されています）"))
                if other:
                    it.setForeground(grey)
                    it.setToolTip(self.tr("事業所 %1 の書類です。その事業所に切り替えてからダウンロードしてください。")
                                  .replace("%1", d.establishment))
                self.table.setItem(r, c, it)
            if unread and not other and d.id not in self._seen:
                new_ids.append(d.id)
            self._seen.add(d.id)
        own = self._mine(self.docs)
        unread_count = sum(1 for d in own if getattr(d, "unread", False))
        unsaved = len(self._unsaved(own))
        text = self.tr("この事業所の書類 %1件（新着 %2件、未保存 %3件）")
        text = text.replace("%1", str(len(own))).replace("%2", str(unread_count)).replace("%3", str(unsaved))
        if len(own) < len(self.docs):
            text += self.tr("、ほかの事業所の書類 %1件（灰色）").replace("%1", str(len(self.docs) - len(own)))
        self.summary.setText(text)
        if new_ids:
            self.new_documents.emit(len(new_ids))
        self._update_buttons()

    def clear(self) -> None:
        self.docs = []
        self.saved = {}
        self.table.setRowCount(0)
        self.summary.setText(self.tr("接続すると、基金から届いた書類の一覧を表示します。"))
        self._update_buttons()

    # ----- download --------------------------------------------------------------------------
    def _my_numbers(self) -> set[str]:
        """The establishments of the selected one's login (same user, same VPN: 複数事業所管理). The core
        files each document under its own establishment with that establishment's password (owner_of)."""
        prof = self.bridge.active_profile()
        if prof is None:
            return set()
        return {prof.establishment} | {p.establishment for p in self.bridge.profiles()
                                       if p.user_id == prof.user_id and p.vpn_account == prof.vpn_account}

    def _mine(self, docs: list[Any]) -> list[Any]:
        mine = self._my_numbers()
        return [d for d in docs if not mine or d.establishment in mine]

    def _selected_docs(self) -> list[Any]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return self._mine([self.docs[r] for r in rows if r < len(self.docs)])

    def download_selected(self) -> None:
        self._download(self._selected_docs())

    def _unsaved(self, docs: list[Any]) -> list[Any]:
        return [d for d in docs if self.saved.get(d.id) is None]

    def download_new(self) -> None:
        """The main button: only what is not saved yet (the core checks again against its records)."""
        self._download(self._unsaved(self._mine(list(self.docs))), only_new=True)

    download_all = download_new  # the old name

    def _download(self, docs: list[Any], *, only_new: bool = False) -> None:
        if not docs or self.cancel_token is not None:
            return
        refusal = self.bridge.transfer_refusal(sum(d.size for d in docs))
        if refusal:
            self.message.setText(refusal)
            self.message.setStyleSheet("color: #b3261e;")
            return
        self.message.setStyleSheet("")
        self.cancel_token = self.bridge.new_cancel_token()
        token = self.cancel_token
        self.progress.setVisible(True)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("ダウンロード・復号中 %p%"))
        self.message.setText(self.tr("%1件の書類をダウンロードしています...").replace("%1", str(len(docs))))
        self._update_buttons()
        run_in_background(lambda progress: self.bridge.download(docs, progress=progress, cancel=token,
                                                                only_new=only_new),
                          self._downloaded, self._failed, self._progress)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setValue(int(done * 1000 / total))

    def _downloaded(self, filed: list[Any]) -> None:
        self.cancel_token = None
        self.progress.setValue(1000)
        self.progress.setVisible(False)
        n_files = 0
        new = [fd for fd in filed if not getattr(fd, "already_filed", False)]
        for fd in filed:
            for p in getattr(fd, "files", None) or getattr(fd, "paths", None) or []:
                self.add_filed(Path(p))
                n_files += 0 if getattr(fd, "already_filed", False) else 1
        if len(filed) == 1:
            text = self._filed_text(filed[0])
        elif not filed:
            text = self.tr("新着の書類はありません（すべて保存済みです）。")
        else:
            text = self.tr("%1件の書類を保存しました（ファイル %2件）。")
            text = text.replace("%1", str(len(new))).replace("%2", str(n_files))
            if len(new) < len(filed):
                again = self.tr("%1件は保存済みのため、二重に保存していません。")
                text += again.replace("%1", str(len(filed) - len(new)))
        self.message.setText(text)
        self.downloaded.emit(list(filed))
        self.refresh()

    def _filed_text(self, fd: Any) -> str:
        """「保存済みです」 with the file it already is, or where it was just saved."""
        files = list(getattr(fd, "files", []) or [])
        if getattr(fd, "already_filed", False):
            text = self.tr("「%1」は保存済みです（%2）。同じ書類は二重に保存しません。")
            return text.replace("%1", fd.zip_name).replace("%2", str(files[0] if files else fd.folder))
        return self.tr("「%1」を復号して保存しました（ファイル %2件）。").replace("%1", fd.zip_name) \
            .replace("%2", str(len(files)))

    def add_filed(self, path: Path) -> None:
        """One line per file, even when the same document arrives again."""
        if path in self.filed_paths:
            for i in range(self.filed.count()):
                if self.filed.item(i).data(Qt.ItemDataRole.UserRole) == str(path):
                    self.filed.setCurrentRow(i)
            self._update_buttons()
            return
        self.filed_paths.append(path)
        it = QListWidgetItem(path.name)
        it.setToolTip(str(path))
        it.setData(Qt.ItemDataRole.UserRole, str(path))
        self.filed.addItem(it)
        self.filed.setCurrentItem(it)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        cancelled = bool(self.cancel_token is not None and self.cancel_token.cancelled)
        self.cancel_token = None
        self.progress.setVisible(False)
        self.refresh_button.setEnabled(True)
        if cancelled:
            self.message.setText(self.tr("ダウンロードを中止しました。途中までのファイルは次回に続きから受信します。"))
            self.message.setStyleSheet("")
        else:
            msg, hint = error_text(exc)
            self.message.setText(msg + (f"\n{hint}" if hint else ""))
            self.message.setStyleSheet("color: #b3261e;")
        self.refresh_held()  # a ZIP that did not open is kept: offer the password at once
        self._update_buttons()

    def cancel(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()

    def busy(self) -> bool:
        return self.cancel_token is not None

    # ----- open ------------------------------------------------------------------------------
    def _selected_filed(self) -> Path | None:
        it = self.filed.currentItem()
        return Path(it.data(Qt.ItemDataRole.UserRole)) if it else None

    def open_selected_file(self) -> None:
        p = self._selected_filed()
        if p is not None:
            self.file_actions.open_file(p)

    def print_selected_file(self) -> None:
        p = self._selected_filed()
        if p is not None:
            self.file_actions.print_file(p)

    def open_folder(self) -> None:
        p = self._selected_filed()
        folder = p.parent if p is not None else self.bridge.documents_dir()
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.file_actions.open_folder(Path(folder))

    def _update_buttons(self) -> None:
        ready = self.bridge.can_transfer() and not self.bridge.is_browser_mode()
        idle = self.cancel_token is None
        free = ready and idle and not self.visit_busy  # while the visit's own work fetches, no second fetch
        self.refresh_button.setEnabled(free)
        self.download_button.setEnabled(free and bool(self.table.selectedIndexes()))
        self.download_new_button.setEnabled(free and bool(self._unsaved(self._mine(self.docs))))
        self.open_held_button.setEnabled(idle and self.held_list.currentRow() >= 0)
        self.cancel_button.setEnabled(not idle)
        self.open_file_button.setEnabled(self.filed.currentItem() is not None)
        chosen = self._selected_filed()
        self.print_button.setEnabled(chosen is not None and chosen.suffix.lower() == ".pdf")
        self.open_folder_button.setEnabled(True)
        if self.bridge.is_browser_mode():
            self.summary.clear()

    # ----- held ZIPs: the right password, offline --------------------------------------------
    def refresh_held(self) -> None:
        """The active establishment's ZIPs that did not open; each named, with the way to open it."""
        try:
            notices = {n.item_id: n for n in self.bridge.transfer_notices() if n.kind == "held"}
            items = [i for i in self.bridge.held_documents() if i.id in notices]
        except Exception as exc:  # the core not up yet: nothing to show
            log.debug("held documents unavailable: %s", exc)
            notices, items = {}, []
        self.held_items = items
        self.held_list.clear()
        for item in items:
            n = notices[item.id]
            it = QListWidgetItem(f"{n.establishment}  {n.title}  （{Path(item.zip_path).name}）")
            it.setToolTip(item.zip_path)
            it.setData(Qt.ItemDataRole.UserRole, item.id)
            self.held_list.addItem(it)
        if items:
            self.held_list.setCurrentRow(0)
            from denshi_client import i18n

            first = notices[items[0].id]
            text = i18n.pick(first.ja, first.en)
            if len(items) > 1:
                text += "\n" + self.tr("ほかに %1件、開けなかった書類があります。").replace("%1", str(len(items) - 1))
            self.held_text.setText(text)
        self.held_panel.setVisible(bool(items))
        self._update_buttons()

    def open_held_selected(self) -> None:
        row = self.held_list.currentRow()
        if row < 0 or row >= len(self.held_items) or self.cancel_token is not None:
            return
        item = self.held_items[row]
        notice = next((n for n in self.bridge.transfer_notices() if n.item_id == item.id), None)
        from denshi_client import i18n

        text = i18n.pick(notice.ja, notice.en) if notice is not None else item.file_name
        dlg = self.password_dialog = ZipPasswordDialog(text, item.establishment, self)
        dlg.accepted.connect(lambda: self._open_held(item, dlg.password.text(), dlg.remember.isChecked()))
        dlg.open()

    def _open_held(self, item: Any, password: str, remember: bool) -> None:
        self.open_held_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("「%1」を開いています...").replace("%1", item.file_name))
        run_in_background(lambda: self.bridge.open_held(item, password, remember), self._held_opened,
                          self._held_failed)

    def _held_opened(self, fd: Any) -> None:
        for p in fd.files:
            self.add_filed(Path(p))
        self.message.setStyleSheet("")
        self.message.setText(self._filed_text(fd))
        self.downloaded.emit([fd])
        self.refresh_held()
        if self.docs:
            self.refresh()

    def _held_failed(self, exc: BaseException) -> None:
        msg, hint = error_text(exc)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setText(msg + (f"\n{hint}" if hint else ""))
        self.refresh_held()
