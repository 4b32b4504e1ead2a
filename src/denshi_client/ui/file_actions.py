"""Open, open the folder of, and print a received file — and say what to do when the desktop says no.

`QDesktopServices.openUrl` returns False when no program is registered for PDFs (a fresh Windows
without a PDF viewer); before, ファイルを開く then did nothing at all. Printing uses the shell's
"print" verb on Windows (what Explorer's 印刷 does); elsewhere the file is opened in the viewer and
the user is told to print from there. The opener, `os.startfile` and the platform are attributes so
tests can see the decision without a viewer or a printer.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from denshi_client.ui.message_box import give_text_room

log = logging.getLogger(__name__)

def _default_startfile(path: str, verb: str) -> None:
    start = getattr(os, "startfile", None)  # Windows only
    if start is None:
        raise OSError("os.startfile is not available on this platform")
    start(path, verb)


class FileActions(QObject):
    """One per view: opens files and folders and prints, with a message box when that fails."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.widget = parent
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.startfile: Callable[[str, str], None] = _default_startfile
        self.platform = sys.platform
        self.box: QMessageBox | None = None  # the last message shown (tests and screenshots reach it here)

    # ----- open -----------------------------------------------------------------------------------
    def open_folder(self, folder: Path) -> bool:
        if self.open_url(QUrl.fromLocalFile(str(folder))):
            return True
        log.info("opening a folder failed")
        self._tell(self.tr("フォルダーを開く"), self.tr("フォルダーを開けませんでした。"),
                   self.tr("エクスプローラーで次のフォルダーを開いてください: %1").replace("%1", str(folder)))
        return False

    def open_file(self, path: Path) -> bool:
        """Open in the registered viewer; when there is none, say so and offer the folder instead."""
        if self.open_url(QUrl.fromLocalFile(str(path))):
            return True
        log.info("opening a file failed (no program registered for %s)", path.suffix or "the file")
        self._tell(self.tr("ファイルを開く"), self.tr("「%1」を開けませんでした。").replace("%1", path.name),
                   self._viewer_hint(), folder=path.parent)
        return False

    # ----- print ----------------------------------------------------------------------------------
    def print_file(self, path: Path) -> str:
        """"printed" (Windows' print verb), "opened" (elsewhere: the viewer, with a note), or "failed"."""
        if self.platform == "win32":
            try:
                self.startfile(str(path), "print")
            except OSError as e:
                log.info("printing failed: %s", type(e).__name__)
                self._tell(self.tr("印刷"), self.tr("「%1」を印刷できませんでした。").replace("%1", path.name),
                           self.tr("PDFを印刷できるアプリ（Adobe Acrobat Reader など）が"
                                   "このパソコンに登録されていません。")
                           + self._viewer_hint(), folder=path.parent)
                return "failed"
            return "printed"
        if not self.open_file(path):
            return "failed"
        self._tell(self.tr("印刷"), self.tr("「%1」をPDFビューアーで開きました。").replace("%1", path.name),
                   self.tr("このパソコンでは直接印刷できないため、ビューアーの印刷メニューから印刷してください。"),
                   icon=QMessageBox.Icon.Information)
        return "opened"

    def _viewer_hint(self) -> str:
        return self.tr("PDFを表示するアプリ（Adobe Acrobat Reader など）をインストールしてから、"
                       "もう一度お試しください。"
                       "［フォルダーを開く］で、保存先のフォルダーからファイルを確認することもできます。")

    # ----- the message ------------------------------------------------------------------------------
    def _tell(self, title: str, text: str, hint: str, *, folder: Path | None = None,
              icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> None:
        """Non-blocking (the session clock keeps running); with フォルダーを開く when there is a folder."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton,
                          self.widget)
        box.setObjectName("fileActionBox")
        box.setInformativeText(hint)
        if folder is not None:
            go = box.addButton(self.tr("フォルダーを開く(&F)"), QMessageBox.ButtonRole.ActionRole)
            go.clicked.connect(lambda: self.open_folder(folder))
        box.addButton(self.tr("閉じる"), QMessageBox.ButtonRole.RejectRole)
        give_text_room(box)
        self.box = box
        box.open()
