"""Every window and dialog of the app, walked as a user meets them (demo mode: a direct-mode and a
browser-mode establishment, real stand-in service, real history with a failed unpack row):

- keyboard: no two mnemonics (Alt+letter) in one window share a letter; menus are checked per menu bar
  and per menu;
- language: with the UI in Japanese no English word shows in any text, tooltip, placeholder, title,
  table header or cell, list item or menu;
- size: at every tab in both modes the main window's frame and its minimumSizeHint fit the screen's
  usable area, which is the available geometry less a 40-pixel taskbar when the display reports none
  (so 1366x768 -> 1366x728; at 150 % on 1920x1080 -> 1280x693 logical pixels).

`test_every_screen_at_150_percent` runs the same walk in a child pytest on its own 1920x1080 Xvfb with
QT_SCALE_FACTOR=1.5.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from denshi_client.clock import JST, FakeClock
from tests.conftest import IN_CI

pytestmark = pytest.mark.qt

NOW = datetime(2024, 5, 24, 10, 0, tzinfo=JST)  # a Friday morning, inside service hours
TASKBAR_PX = 40  # physical pixels a Windows taskbar takes at the bottom

# Words that are fine in the Japanese UI: product and protocol names, units, and the demo's own data
# (user IDs, VPN setting names) which the user typed and the UI only repeats; "English" is the name of
# the language in the language chooser, which is shown in that language by convention.
ALLOWED = {
    "pdf", "vpn", "zip", "otp", "id", "softether", "vpncmd", "csv", "sha", "windows", "aes", "zipcrypto",
    "utc", "jst", "ok", "pc", "url", "http", "https", "ip", "dns", "tcp", "kib", "mib", "gib", "kb", "mb", "gb",
    "tb", "bytes", "vpnclient", "json", "toml", "excel", "outlook", "imap", "pop", "smtp", "nic", "hub",
    "demo", "vpn-gw", "tls", "qt", "e-mail", "email", "mail", "ja", "en", "cpu", "os", "ssd", "hdd",
    "denshi", "client", "it", "english", "lan", "adobe", "acrobat", "reader", "edge", "chrome", "fonts", "ipa",
    "starttls", "ssl", "idle",  # mail security choices and the IMAP IDLE capability, as mail programs name them
    "chromium", "webengine",  # the embedded page's engine (Qt WebEngine, Chromium), as doctor names it
}
URLISH = re.compile(r"(?:https?|file)://\S+|\S+@\S+|[A-Za-z]:[\\/]\S*|\S*[\\/]\S*|\S+\.[A-Za-z0-9]{2,5}\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def english_words(text: str) -> list[str]:
    """ASCII words of 2+ letters left after URLs, paths, e-mail addresses and file names are removed,
    that are not in the allow-list (tokens with digits are identifiers, not words)."""
    text = re.sub(r"<[^>]+>", " ", text)  # rich text tags
    text = re.sub(r"`[^`]*`", " ", text)  # a command to type
    text = re.sub(r"(?:https?|file)://\S+|\S+@\S+", " ", text)  # addresses
    text = re.sub(r"\w+(?:\.\w+)+", " ", text)  # a dotted name (module, class, host, file name)
    text = URLISH.sub(" ", text)
    text = re.sub(r"\S*\d\S*", " ", text)
    return [w for w in WORD.findall(text) if len(w) >= 2 and w.lower() not in ALLOWED]


def mnemonic(text: str) -> str | None:
    m = re.search(r"&([^&\s])", text.replace("&&", ""))
    return m.group(1).lower() if m else None


@dataclass
class Findings:
    clashes: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)


def _texts(win: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for every user-visible string of one window and its widgets."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenu,
        QMessageBox,
        QPlainTextEdit,
        QTabBar,
        QTableWidget,
        QTextEdit,
        QTreeWidget,
        QWidget,
        QWizard,
    )

    yield "windowTitle", win.windowTitle()
    if isinstance(win, QMessageBox):
        yield "informativeText", win.informativeText()
        yield "detailedText", win.detailedText()
    if isinstance(win, QWizard):
        for pid in win.pageIds():
            page = win.page(pid)
            yield "page title", page.title()
            yield "page subTitle", page.subTitle()
    menus = [a.menu() for a in win.menuBar().actions()] if hasattr(win, "menuBar") else []
    for m in [*menus, *win.findChildren(QMenu)]:
        if m is None:
            continue
        yield "menu", m.title()
        for a in m.actions():
            yield "menu item", a.text()
            if a.toolTip() != a.text().replace("&", "") and a.toolTip():
                yield "menu tooltip", a.toolTip()
    for w in [win, *win.findChildren(QWidget)]:
        name = f"{type(w).__name__}#{w.objectName()}"
        yield f"{name} tooltip", w.toolTip()
        yield f"{name} statusTip", w.statusTip()
        if isinstance(w, QLabel):
            yield name, w.text()
        elif isinstance(w, QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QLineEdit):
            yield f"{name} placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name} item", w.itemText(i)
            if w.lineEdit() is not None:
                yield f"{name} placeholder", w.lineEdit().placeholderText()
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            yield f"{name} placeholder", w.placeholderText()
            yield name, w.toPlainText()
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield f"{name} tab", w.tabText(i)
                yield f"{name} tab tooltip", w.tabToolTip(i)
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                h = w.horizontalHeaderItem(c)
                if h is not None:
                    yield f"{name} header", h.text()
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    it = w.item(r, c)
                    if it is not None:
                        yield f"{name} cell", it.text()
                        yield f"{name} cell tooltip", it.toolTip()
        elif isinstance(w, QTreeWidget):
            h = w.headerItem()
            for c in range(w.columnCount()):
                yield f"{name} header", h.text(c)
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                yield f"{name} item", w.item(i).text()
                yield f"{name} item tooltip", w.item(i).toolTip()


def _mnemonic_groups(win: Any) -> dict[str, list[str]]:
    """Mnemonic letter -> texts, one group for the window and one per menu (keys 'window' / 'menu X')."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QTabBar, QWidget

    groups: dict[str, list[str]] = defaultdict(list)

    def add(group: str, text: str) -> None:
        m = mnemonic(text)
        if m:
            groups[f"{group}\x00{m}"].append(text)

    menus: list[Any] = []
    if hasattr(win, "menuBar") and win.menuBar().isVisibleTo(win):
        for a in win.menuBar().actions():
            if a.isVisible():
                add("menu bar + window", a.text())
                if a.menu() is not None:
                    menus.append(a.menu())
    for w in win.findChildren(QWidget):
        if isinstance(w, QMenu) or w.window() is not win or not w.isVisibleTo(win):
            continue
        if isinstance(w, QAbstractButton):
            add("menu bar + window", w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            add("menu bar + window", w.text())
        elif isinstance(w, QGroupBox) and w.isCheckable():
            add("menu bar + window", w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    add("menu bar + window", w.tabText(i))
    menus += [m for m in win.findChildren(QMenu) if m not in menus]
    for i, m in enumerate(menus):
        for a in m.actions():
            if a.isVisible() and not a.isSeparator():
                add(f"menu {i} {m.title() or m.objectName()}", a.text())
    return groups


def _fits(win: Any) -> list[str]:
    """The window's frame and minimumSizeHint against the usable area of its screen."""
    screen = win.screen()
    avail = screen.availableGeometry()
    width, height = avail.width(), avail.height()
    if avail == screen.geometry():  # no window manager telling us about a taskbar: assume one
        height -= math.ceil(TASKBAR_PX / screen.devicePixelRatio())
    bad = []
    frame = win.frameGeometry().size()
    hint = win.minimumSizeHint()
    if frame.width() > width or frame.height() > height:
        bad.append(f"frame {frame.width()}x{frame.height()}")
    if hint.width() > width or hint.height() > height:
        bad.append(f"minimumSizeHint {hint.width()}x{hint.height()}")
    return [f"{' and '.join(bad)} > usable {width}x{height}"] if bad else []


class Walker:
    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.found = Findings()

    def look(self, win: Any, where: str, *, size: bool = False) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        self.found.screens.append(where)
        for key, texts in _mnemonic_groups(win).items():
            group, letter = key.split("\x00")
            if len(texts) > 1:
                self.found.clashes.append(f"{where} [{group}] Alt+{letter.upper()}: {texts}")
        seen: set[str] = set()
        for what, text in _texts(win):
            words = english_words(text or "")
            if words and (what, text) not in seen:
                seen.add((what, text))
                self.found.english.append(f"{where} {what}: {text!r} -> {words}")
        if size:
            for problem in _fits(win):
                self.found.sizes.append(f"{where}: {problem}")


def _modal_from(qtbot: Any, open_it: Callable[[], object], seen: Callable[[Any], None]) -> None:
    """Open a blocking message box (QMessageBox.information & co.), look at it, close it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    looked: list[Any] = []

    def grab() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen(box)
            looked.append(box)
            box.done(0)
        else:
            QTimer.singleShot(50, grab)

    QTimer.singleShot(50, grab)
    open_it()
    assert looked, "no message box came up"


def _drive_demo_page(qtbot: Any, page: Any, env: Any) -> None:
    """The demo user in the embedded page: the OTP is filled in, ログイン, お知らせ, a notice downloaded."""
    def run(script: str) -> Any:
        box: list[Any] = []
        page.web.runJavaScript(script, 0, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=10000)
        return box[0]

    qtbot.waitUntil(lambda: run("(document.getElementById('otp')||{}).value||''") == env.demo_otp(), timeout=30000)
    for script, path in (("document.getElementById('login').click()", "/web/menu"),
                         ("document.querySelector('a[href=\"/web/notices\"]').click()", "/web/notices")):
        with qtbot.waitSignal(page.web.loadFinished, timeout=15000):
            page.web.runJavaScript(script)
        assert page.web.url().path() == path
    assert run("(function(){var a=document.querySelector('a[href$=\"/download\"]');"
               "if(!a)return false;a.click();return true;})()") is True


def walk_everything(qtbot: Any, tmp_path: Path) -> Findings:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from denshi_client.demo import DemoEnvironment
    from denshi_client.session import Phase
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore
    from denshi_client.ui import i18n
    from denshi_client.ui.connect_flow import show_error
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication.instance()
    i18n.install(app, "ja")  # type: ignore[arg-type]
    clock = FakeClock(NOW)
    env = DemoEnvironment.start(None, home=tmp_path / "demo", base_clock=clock, browser_delay_s=0.05,
                                open_url=lambda url: None)
    walker = Walker(qtbot)
    bridge = SessionBridge(env.services, demo=env, tick_ms=200)
    w = MainWindow(bridge, demo=env, install_hooks=False)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    qtbot.addWidget(w)
    w.show()  # the app's own first size: no resize here
    qtbot.waitExposed(w)
    try:
        qtbot.waitUntil(lambda: w.profile_combo.count() >= 2, timeout=10000)

        def tabs(where: str) -> None:
            for i in range(w.tabs.count()):
                w.tabs.setCurrentIndex(i)
                qtbot.wait(50)
                walker.look(w, f"{where}, tab {i + 1}", size=True)

        def connect(browser: bool) -> Any:
            with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=15000) as blocker:
                w.connect_button.click()
            dlg = blocker.args[0]
            walker.look(dlg, "OTP dialog")
            # the demo shows the OTP of its mail; in browser mode it is typed too, for the embedded page
            qtbot.waitUntil(lambda: bool(env.demo_otp()), timeout=10000)
            dlg.edit.setText(env.demo_otp() or "")
            dlg.buttons.buttons()[0].click()
            qtbot.waitUntil(lambda: env.services.machine.phase is Phase.READY, timeout=20000)
            qtbot.waitUntil(lambda: w.header.state == "connected", timeout=5000)
            return dlg

        tabs("direct mode, offline")
        # a wrong ZIP password: the download fails to unpack and the history keeps a failed row
        SecretStore().set("demo-0123", ZIP_PASSWORD, "not-the-password")
        connect(browser=False)
        qtbot.waitUntil(lambda: w.inbox.table.rowCount() > 0, timeout=15000)
        got: list[object] = []
        w.inbox.downloaded.connect(got.append)
        w.inbox.download_all()
        qtbot.waitUntil(lambda: any(r.result == "failed" for r in env.services.history.search()), timeout=30000)
        qtbot.waitUntil(lambda: not w.inbox.busy(), timeout=30000)
        from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS

        SecretStore().set("demo-0123", ZIP_PASSWORD, DEMO_ZIP_PASSWORDS["0123"])
        got.clear()
        w.inbox.download_new()  # the new ones (the held ZIP's document is still unsaved)
        qtbot.waitUntil(lambda: bool(got), timeout=30000)
        qtbot.waitUntil(lambda: not w.inbox.busy(), timeout=30000)
        got.clear()
        w.inbox.table.selectAll()
        w.inbox.download_selected()  # on purpose again: everything is already filed ("保存済みです" rows)
        qtbot.waitUntil(lambda: bool(got), timeout=30000)
        w.history.refresh()
        qtbot.waitUntil(lambda: any(r.result == "failed" for r in w.history.records), timeout=10000)
        tabs("direct mode, connected")

        w.close()
        qtbot.waitUntil(lambda: w.close_box is not None and w.close_box.isVisible(), timeout=5000)
        walker.look(w.close_box, "close choice")
        next(b for b in w.close_box.buttons() if b.objectName() == "cancelClose").click()

        w.error_box = show_error(w, w.tr("接続できませんでした"), "VPN接続を開始できませんでした。",
                                 "しばらくしてからもう一度お試しください。")
        walker.look(w.error_box, "error box")
        w.error_box.done(0)
        _modal_from(qtbot, lambda: w.act_howto.trigger(), lambda b: walker.look(b, "help box"))
        for a in w.menuBar().actions()[-1].menu().actions():
            if "バージョン" in a.text():
                _modal_from(qtbot, a.trigger, lambda b: walker.look(b, "about box"))

        env.services.machine.end()
        qtbot.waitUntil(lambda: w.header.state == "offline", timeout=20000)

        w.bridge.set_active("demo-0789")
        w.reload_profiles()
        tabs("browser mode, offline")
        with qtbot.waitSignal(w.web.opened, timeout=30000) as opened:
            connect(browser=True)
        page = opened.args[0]  # the stand-in's web UI inside the app: log in and download a notice there
        _drive_demo_page(qtbot, page, env)
        qtbot.waitUntil(lambda: w.inbox.filed.count() >= 1, timeout=30000)
        assert not list(env.download_dir.glob("*.zip"))  # the page's download, not the demo browser's
        tabs("browser mode, connected")
        env.services.machine.end()
        qtbot.waitUntil(lambda: w.header.state == "offline", timeout=20000)

        tray_menu = getattr(w.tray, "menu", None)
        if tray_menu is not None:
            walker.look(tray_menu, "tray menu")

        dlg = w.open_settings()
        qtbot.waitExposed(dlg)
        for i in range(dlg.tabs.count()):
            dlg.tabs.setCurrentIndex(i)
            walker.look(dlg, f"settings, tab {i + 1}", size=True)
        from denshi_client.ui.profiles_page import ProfileDialog

        for prof in (None, env.services.session_profile("demo-0123")):
            pd = ProfileDialog(None, dlg) if prof is None else ProfileDialog(_stored(prof.id), dlg)
            qtbot.addWidget(pd)
            pd.show()
            qtbot.waitExposed(pd)
            walker.look(pd, "profile dialog" + (" (edit)" if prof else " (new)"), size=True)
            pd.reject()
        dlg.reject()

        wiz = w.open_onboarding()
        qtbot.waitExposed(wiz)
        for pid in wiz.pageIds():
            wiz.setStartId(pid)
            wiz.restart()
            walker.look(wiz, f"onboarding wizard, page {pid}", size=True)
        wiz.reject()

        doc = w.open_doctor()
        qtbot.waitExposed(doc)
        from denshi_client.ui.doctor_page import DoctorPage

        page = doc.findChild(DoctorPage)
        if page.table.rowCount() == 0:
            page.run_checks()
        qtbot.waitUntil(lambda: page.table.rowCount() > 0 and page.run_btn.isEnabled(), timeout=60000)
        walker.look(doc, "diagnostics", size=True)
        doc.reject()

        box = QMessageBox(QMessageBox.Icon.Question, "確認", "続けますか？",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, w)
        walker.look(box, "a standard message box")
        return walker.found
    finally:
        if env.services.machine.phase.active:
            env.services.machine.end(wait_s=10)
        bridge.close()
        env.stop()


def _stored(profile_id: str) -> Any:
    from denshi_client.store.profiles import ProfileStore

    p = ProfileStore().find(profile_id)
    assert p is not None
    return p


def test_every_screen(qtbot: Any, tmp_path: Path) -> None:
    found = walk_everything(qtbot, tmp_path)
    assert len(found.screens) >= 25, found.screens
    problems = []
    if found.clashes:
        problems.append("mnemonic clashes:\n  " + "\n  ".join(found.clashes))
    if found.english:
        problems.append("English in the Japanese UI:\n  " + "\n  ".join(found.english))
    if found.sizes:
        problems.append("larger than the screen:\n  " + "\n  ".join(found.sizes))
    assert not problems, "\n".join(problems)


def test_the_checks_can_fail() -> None:
    """The rules themselves: a clash, English, and what is allowed."""
    assert mnemonic("接続(&C)") == "c" and mnemonic("A && B") is None and mnemonic("保存") is None
    assert english_words("The password is wrong") == ["The", "password", "is", "wrong"]
    assert english_words("12.3 GiB free") == ["free"]
    assert english_words("now 2024-05-24 01:00 UTC, PC zone UTC+9") == ["now", "zone"]
    assert english_words("ZIPのパスワード（SoftEther VPN、vpncmd、SHA-256）") == []
    assert english_words("`denshi-client vpn import` denshi_client.demo.DemoKeyring") == []
    assert english_words("C:\\Users\\demo\\scan0001.pdf https://example.jp/a ok@example.jp") == []


def test_qt_standard_buttons_read_in_japanese(qtbot: Any) -> None:
    """qtbase_ja is loaded with the Japanese UI, so Qt's own buttons and dialogs speak Japanese."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from denshi_client.ui import i18n

    i18n.install(QApplication.instance(), "ja")  # type: ignore[arg-type]
    box = QMessageBox(QMessageBox.Icon.Question, "確認", "続けますか？",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert any("キャンセル" in t for t in texts), texts


def _xvfb(screen: str) -> tuple[subprocess.Popen[bytes], str]:
    r, wfd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-screen", "0", screen, "-nolisten", "tcp"],
                            pass_fds=(wfd,))
    os.close(wfd)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    assert display, "Xvfb did not start"
    return xvfb, f":{display}"


@pytest.mark.skipif(os.environ.get("DENSHI_SCREEN_CHILD") == "1", reason="this is the child run")
def test_every_screen_at_150_percent(tmp_path: Path) -> None:
    """The same walk at 150 % on a 1920x1080 display (usable 1920x1040 -> 1280x693 logical)."""
    if shutil.which("Xvfb") is None:
        assert not IN_CI, "Xvfb is missing"
        pytest.skip("Xvfb is not installed")
    xvfb, display = _xvfb("1920x1080x24")
    try:
        env = dict(os.environ, DISPLAY=display, QT_SCALE_FACTOR="1.5", DENSHI_SCREEN_CHILD="1",
                   QT_QPA_PLATFORM="xcb")
        p = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x",
                            f"{__file__}::test_every_screen", "--basetemp", str(tmp_path / "child")],
                           env=env, capture_output=True, text=True, timeout=600, cwd=Path(__file__).parents[2])
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    assert p.returncode == 0, p.stdout[-6000:] + p.stderr[-2000:]
    assert "1 passed" in p.stdout, p.stdout[-2000:]
