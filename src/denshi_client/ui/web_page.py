"""The fund's web page inside the app (Qt WebEngine). Imported only by ui/web_visit.py on the first visit.

One persistent profile under the app's data folder (its cookies and HTTP cache are cleared at the end of
each visit); the OTP in hand filled into the page's OTP field and copied to the clipboard; downloads
handed to the core's filing worker (no download-folder watching); the file chooser opened on the
prepared ZIPs of the upload-ready folder; a logout URL ends the visit; pop-ups stay in the app.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication, QUrl, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWebEngineCore import (
    QWebEngineDownloadRequest,
    QWebEnginePage,
    QWebEngineProfile,
    qWebEngineChromiumVersion,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from denshi_client.documents import naming, winnames
from denshi_client.errors import DenshiError
from denshi_client.session.model import SessionProfile
from denshi_client.store.paths import app_paths  # a shared primitive (see tests/test_layering.py)

log = logging.getLogger(__name__)

PROFILE_NAME = "denshi-client"
_PROFILE: QWebEngineProfile | None = None


class ChromiumVersion(NamedTuple):
    text: str
    major: int


def chromium_version() -> ChromiumVersion:
    raw: Any = qWebEngineChromiumVersion()  # a str at run time (the stubs say bytes)
    text = raw.decode() if isinstance(raw, (bytes, bytearray)) else str(raw)
    m = re.match(r"(\d+)", text)
    return ChromiumVersion(text, int(m.group(1)) if m else 0)


def shared_profile() -> QWebEngineProfile:
    """The app's own persistent profile (not the user's browser's), created once per process."""
    global _PROFILE
    if _PROFILE is None:
        root = app_paths().ensure().data_dir / "web"
        # parented to the application: it must outlive every page using it (Qt warns and may crash otherwise)
        p = QWebEngineProfile(PROFILE_NAME, QCoreApplication.instance())
        p.setPersistentStoragePath(str(root / "storage"))
        p.setCachePath(str(root / "cache"))
        p.setDownloadPath(str(root / "downloads"))
        p.setHttpAcceptLanguage("ja,en;q=0.5")
        _PROFILE = p
    return _PROFILE


class _Page(QWebEnginePage):
    def __init__(self, owner: EmbeddedPage, profile: QWebEngineProfile, parent: Any = None) -> None:
        super().__init__(profile, parent)
        self.owner = owner

    def chooseFiles(self, mode: QWebEnginePage.FileSelectionMode, oldFiles: Sequence[str],
                    acceptedMimeTypes: Sequence[str]) -> list[str]:
        return self.owner.choose_files(mode is QWebEnginePage.FileSelectionMode.FileSelectOpenMultiple)

    def createWindow(self, kind: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        return self.owner.popup().page()


def _form_of(path: str) -> str | None:
    """The form a prepared ZIP carries in its name (YYYYMMDD_NNNN_<form>.zip), or None."""
    try:
        return naming.parse(Path(path).stem + ".pdf").form
    except DenshiError:
        return None


class UploadChooser(QDialog):
    """The page asks for a file: the prepared, correctly named ZIPs first; a double-click picks one.

    ZIPs already handed to the page in this visit come last and say so, so the second form is not
    sent twice by mistake."""

    def __init__(self, folder: Path, multiple: bool, parent: QWidget | None = None,
                 picked_before: frozenset[str] = frozenset()) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("送信するファイルの選択"))
        self.folder = folder
        self.picked: list[str] = []
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("送信準備フォルダーのパスワード付きZIP（{0}）").replace("{0}", str(folder))))
        self.list = QListWidget()
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection if multiple
                                   else QListWidget.SelectionMode.SingleSelection)
        zips = sorted(folder.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
        zips.sort(key=lambda z: str(z) in picked_before)  # stable: the newest not yet sent first
        for z in zips:
            done = str(z) in picked_before
            it = QListWidgetItem(self.tr("{0}（この接続で選択済み）").replace("{0}", z.name) if done else z.name)
            it.setData(256, str(z))
            self.list.addItem(it)
        self.empty = QLabel(self.tr("送信準備フォルダーにZIPがありません。「送信」タブで書類を追加し、"
                                    "［送信用Zipを作成］を押してください。"))
        self.empty.setWordWrap(True)
        self.empty.setVisible(not zips)
        lay.addWidget(self.empty)
        if zips:
            self.list.setCurrentRow(0)
        lay.addWidget(self.list)
        row = QHBoxLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setText(self.tr("選択(&O)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(zips))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("キャンセル"))
        self.other = self.buttons.addButton(self.tr("他のファイル(&F)…"), QDialogButtonBox.ButtonRole.ActionRole)
        row.addWidget(self.buttons)
        lay.addLayout(row)
        self.buttons.accepted.connect(self._accept_selected)
        self.buttons.rejected.connect(self.reject)
        self.other.clicked.connect(self._other)
        self.list.itemDoubleClicked.connect(lambda *_: self._accept_selected())

    def _accept_selected(self) -> None:
        self.picked = [it.data(256) for it in self.list.selectedItems()]
        if self.picked:
            self.accept()

    def _other(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("送信するファイル"), str(self.folder),
                                                self.tr("パスワード付きZIP (*.zip);;すべてのファイル (*)"))
        if files:
            self.picked = files
            self.accept()


class EmbeddedPage(QWidget):
    """The view plus its visit: OTP fill, downloads → filing, uploads → chooser, logout → end."""

    logged_out = Signal()
    otp_filled = Signal(bool)
    chooser_shown = Signal(object)  # the UploadChooser, before it runs (tests answer it)
    chosen = Signal(list)           # paths handed to the page
    download_started = Signal(str)
    download_finished = Signal(str, bool)  # path, ok
    form_selected = Signal(str, bool)      # the chosen ZIP's form, whether the page's list now shows it
    popup_opened = Signal(object)

    def __init__(self, visit: Any, profile: SessionProfile, *, otp: str | None, otp_selector: str,
                 logout_pattern: str, form_selector: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visit = visit
        self.profile = profile
        self._otp = otp
        self.otp_selector = otp_selector
        self.form_selector = form_selector
        self._picked: set[str] = set()
        self.logout_re = re.compile(logout_pattern)
        self.engine_profile = shared_profile()
        self.view = QWebEngineView(self)
        self.web = _Page(self, self.engine_profile, self.view)
        self.view.setPage(self.web)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        version = chromium_version().text
        self.version_label = QLabel(self.tr("アプリ内ブラウザー（バージョン {0}）").replace("{0}", version))
        self.version_label.setObjectName("webVersion")
        lay.addWidget(self.version_label)
        self.notice = QLabel()  # what the app did in the page, or what the user should check there
        self.notice.setObjectName("webNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        lay.addWidget(self.notice)
        lay.addWidget(self.view, 1)
        self.popups: list[QDialog] = []
        self._downloads: list[QWebEngineDownloadRequest] = []
        self._logged_out = False
        self.web.loadFinished.connect(self._loaded)
        self.web.loadStarted.connect(self.notice.hide)  # it spoke of the page being left
        self.web.urlChanged.connect(self._url_changed)
        self.engine_profile.downloadRequested.connect(self._download)
        if otp:
            QGuiApplication.clipboard().setText(otp)  # the fallback when the field is not found

    def load(self, url: str) -> None:
        self.view.load(QUrl(url))

    # ----- OTP --------------------------------------------------------------------------------------
    @Slot(bool)
    def _loaded(self, ok: bool) -> None:
        if not ok or not self._otp:
            return
        sel, otp, uid = json.dumps(self.otp_selector), json.dumps(self._otp), json.dumps(self.profile.user_id)
        js = (f"(function(){{var f=document.querySelector({sel});if(!f)return false;f.value={otp};"
              "f.dispatchEvent(new Event('input',{bubbles:true}));f.dispatchEvent(new Event('change',{bubbles:true}));"
              "var u=document.querySelector('input[autocomplete=\"username\"]');"
              f"if(u&&!u.value){{u.value={uid};u.dispatchEvent(new Event('input',{{bubbles:true}}));}}"
              "f.focus();return true;})()")
        self.web.runJavaScript(js, 0, self._filled)

    def _filled(self, result: object) -> None:
        ok = result is True
        if ok:
            self._otp = None  # filled once; a reload does not fill a used OTP again
        self.otp_filled.emit(ok)

    # ----- logout and pop-ups ---------------------------------------------------------------------
    @Slot(QUrl)
    def _url_changed(self, url: QUrl) -> None:
        if not self._logged_out and self.logout_re.search(url.path() + ("?" + url.query() if url.hasQuery() else "")):
            self._logged_out = True
            self.logged_out.emit()

    def popup(self) -> QWebEngineView:
        """A window the page opens stays inside the app: a dialog of the main window, same profile."""
        dlg = QDialog(self.window())
        dlg.setWindowTitle(self.tr("電子連携サービス"))
        dlg.resize(900, 600)
        view = QWebEngineView(dlg)
        view.setPage(_Page(self, self.engine_profile, view))
        QVBoxLayout(dlg).addWidget(view)
        view.page().windowCloseRequested.connect(dlg.close)
        self.popups.append(dlg)
        dlg.show()
        self.popup_opened.emit(dlg)
        return view

    # ----- downloads ----------------------------------------------------------------------------------
    @Slot(QWebEngineDownloadRequest)
    def _download(self, req: QWebEngineDownloadRequest) -> None:
        folder = app_paths().ensure().cache_dir / "web-downloads" / winnames.safe_component(self.profile.id)
        folder.mkdir(parents=True, exist_ok=True)
        name = winnames.safe_component(req.suggestedFileName() or "download.zip")
        target = folder / name
        n = 2
        while target.exists():
            target = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
            n += 1
        req.setDownloadDirectory(str(folder))
        req.setDownloadFileName(target.name)
        self._downloads.append(req)
        req.isFinishedChanged.connect(lambda r=req, t=target: self._download_done(r, t))
        req.accept()
        self.download_started.emit(str(target))

    def _download_done(self, req: QWebEngineDownloadRequest, target: Path) -> None:
        if not req.isFinished():
            return
        ok = req.state() is QWebEngineDownloadRequest.DownloadState.DownloadCompleted
        if req in self._downloads:
            self._downloads.remove(req)
        if ok:
            self.visit.downloaded(target)
        else:
            log.warning("a download in the page did not complete (%s)", req.interruptReasonString())
        self.download_finished.emit(str(target), ok)

    # ----- uploads ------------------------------------------------------------------------------------
    def choose_files(self, multiple: bool) -> list[str]:
        folder = Path(self.profile.upload_folder) if self.profile.upload_folder else Path.home()
        dlg = UploadChooser(folder, multiple, self, frozenset(self._picked))
        self.chooser_shown.emit(dlg)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return []
        self._record_chosen(dlg.picked)
        self._picked.update(dlg.picked)
        self._select_form(dlg.picked)
        self.chosen.emit(list(dlg.picked))
        return dlg.picked

    def _select_form(self, paths: list[str]) -> None:
        """The page's form-type list follows the chosen ZIP's name, so a form is not sent under another's."""
        forms = {f for f in map(_form_of, paths) if f}
        if not self.form_selector or len(forms) != 1:
            return
        form = forms.pop()
        sel, want = json.dumps(self.form_selector), json.dumps(form)
        js = (f"(function(){{var s=document.querySelector({sel});if(!s||!s.options)return false;"
              f"for(var i=0;i<s.options.length;i++){{var o=s.options[i];"
              f"if(o.value==={want}||o.text.trim()==={want}){{s.selectedIndex=i;"
              "s.dispatchEvent(new Event('change',{bubbles:true}));return true;}}return false;})()")
        self.web.runJavaScript(js, 0, lambda ok, f=form: self._form_done(f, ok is True))

    def _form_done(self, form: str, ok: bool) -> None:
        if ok:
            self.notice.setText(self.tr("届書の種類に「{0}」を選びました。").replace("{0}", form))
        else:
            self.notice.setText(self.tr("ページの届書の種類が「{0}」になっているか、送信の前にご確認ください。")
                                .replace("{0}", form))
        self.notice.setStyleSheet("" if ok else "color:#8a4b00")
        self.notice.show()
        self.form_selected.emit(form, ok)

    def _record_chosen(self, paths: list[str]) -> None:
        self.visit.record_page_uploads(self.profile, [Path(p) for p in paths])

    # ----- end of the visit ------------------------------------------------------------------------
    def finish_visit(self) -> None:
        """Cookies and HTTP cache of the app's profile go; the OTP leaves the clipboard."""
        for req in list(self._downloads):
            req.cancel()
        try:
            self.engine_profile.downloadRequested.disconnect(self._download)
        except (RuntimeError, TypeError):
            pass
        self.view.stop()
        self.engine_profile.cookieStore().deleteAllCookies()
        self.engine_profile.clearHttpCache()
        self.engine_profile.clearAllVisitedLinks()
        cb = QGuiApplication.clipboard()
        if self._otp and cb.text() == self._otp:
            cb.clear()
        self._otp = None
        for dlg in self.popups:
            dlg.close()
        self.popups.clear()
