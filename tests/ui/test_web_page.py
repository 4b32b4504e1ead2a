"""Browser mode with the fund's page inside the app (Qt WebEngine) against the stand-in's web pages:
the OTP filled in, login, a notice downloaded and filed, a prepared ZIP uploaded through the page's file
chooser, logout in the page → the visit ends and the VPN goes down. Real widgets, real Chromium, real HTTP.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from denshi_client.session import Phase, SessionMode
from denshi_client.session.model import EndCause
from denshi_client.vpn.model import ConnState
from tests.ui.conftest import World, connect


def web_url(world: World) -> str:
    return world.svc.base_url.rsplit("/api/", 1)[0] + "/web"


@pytest.fixture
def browser_window(qtbot: Any, world: World) -> Iterator[Any]:
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    p = world.services.profiles[0]
    world.services.profiles[0] = replace(p, mode=SessionMode.BROWSER, auth_url=web_url(world) + "/login")
    bridge = SessionBridge(world.services, tick_ms=50)
    w = MainWindow(bridge, install_hooks=False)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    bridge.close()


def shot(name: str) -> None:
    """docs/screenshots/make_web_screenshots.py: the whole 1366x768 screen at this step (only when asked)."""
    folder = os.environ.get("DENSHI_WEB_SHOTS")
    if folder:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        QTest.qWait(1000)  # screenshots only: Chromium composites its frame after loadFinished
        QApplication.primaryScreen().grabWindow(0).save(str(Path(folder) / f"{name}.png"))


def js(qtbot: Any, page: Any, script: str) -> Any:
    """Run a script in the page and wait for its result (a signal-driven wait, no sleep)."""
    box: list[Any] = []
    page.web.runJavaScript(script, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10000)
    return box[0]


def navigate(qtbot: Any, page: Any, script: str) -> None:
    with qtbot.waitSignal(page.web.loadFinished, timeout=15000) as got:
        page.web.runJavaScript(script)
    assert got.args == [True]


def test_visit_in_the_embedded_page(qtbot: Any, qtlog: Any, browser_window: Any, world: World) -> None:
    w = browser_window
    world.client.request_otp("demo")  # the OTP request page, outside the VPN
    profile = world.services.profiles[0]

    # connect: the OTP typed before the VPN; once it is up the page opens inside the app
    with qtbot.waitSignal(w.web.opened, timeout=20000) as opened:
        connect(qtbot, w, world)
    page = opened.args[0]
    from tests.ui.test_every_screen import Walker

    walker = Walker(qtbot)  # the screens' rules: unique mnemonics, no English in the Japanese UI, fits
    walker.look(w, "browser mode, embedded page", size=True)
    assert w.tabs.currentWidget() is page and w.disconnect_button.isVisible()
    status = w.visit_panel.status
    qtbot.waitUntil(lambda: "ログアウト" in status.text(), timeout=5000)  # the page's logout ends the visit
    with qtbot.waitSignal(page.otp_filled, timeout=30000) as filled:
        pass
    assert filled.args == [True]
    assert js(qtbot, page, "document.getElementById('otp').value") == world.otp()
    assert js(qtbot, page, "document.getElementById('user_id').value") == "demo"
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == world.otp()
    shot("50-web-login")
    from denshi_client.ui.web_page import chromium_version

    assert chromium_version().major >= 106 and chromium_version().text in page.version_label.text()

    # a key pressed in the app (here: into the page) still restarts the idle count: the activity filter
    # watches the focused top-level window, which every input event reaches first
    from PySide6.QtCore import Qt as _Qt
    from PySide6.QtTest import QTest as _QTest

    touched: list[int] = []
    w.bridge.touch = lambda: touched.append(1)
    w._activity._last = 0.0  # the clicks of the connect a moment ago were counted (once a second at most)
    assert w.windowHandle() is not None
    _QTest.keyClick(w.windowHandle(), _Qt.Key.Key_Shift)
    assert touched == [1]

    navigate(qtbot, page, "document.getElementById('login').click()")
    assert page.web.url().path() == "/web/menu"
    navigate(qtbot, page, "document.querySelector('a[href=\"/web/notices\"]').click()")
    shot("51-web-notices")

    # a notice downloaded in the page → decrypted and filed, recorded, with no download folder watched
    doc = next(d for d in world.svc.documents() if d.establishment == "0123")
    with qtbot.waitSignal(w.bridge.browser_event, timeout=30000,
                          check_params_cb=lambda ev: ev.kind in ("filed", "failed")) as ev:
        js(qtbot, page, f"document.querySelector('a[href=\"/web/notices/{doc.id}/download\"]').click(); true")
    event = ev.args[0]
    assert event.kind == "filed", event.error
    docs_root = Path(profile.documents_folder)
    assert event.document.files and all(f.is_file() and docs_root in f.parents and f.read_bytes().startswith(b"%PDF")
                                        for f in event.document.files)
    assert event.document.sha256 == doc.sha256
    assert not list(Path(profile.download_dir).glob("*")) if Path(profile.download_dir).exists() else True
    rows = world.services.history.search() if hasattr(world.services.history, "search") else None
    assert rows is None or any(r.direction == "receive" and r.result == "ok" for r in rows)

    # two prepared ZIPs: the page's file chooser opens on the upload-ready folder, one click picks one, and
    # the page's form-type list follows the chosen ZIP (the page shows 資格取得届 first: a 資格喪失届 must not
    # go under that name)
    prof = world.services.profiles[0]
    first = world.services.transfers.prepare_upload(prof, world.pdf("取得届.pdf"), form_name="資格取得届",
                                                    filing_date=date(2024, 5, 24))
    second = world.services.transfers.prepare_upload(prof, world.pdf("喪失届.pdf"), form_name="資格喪失届",
                                                     filing_date=date(2024, 5, 24))
    got, lost = Path(first.zip_path), Path(second.zip_path)
    assert got.parent == Path(profile.upload_folder) and got.name == "20240524_0123_資格取得届.zip"
    os.utime(got, (1_700_000_000, 1_700_000_000))  # the older of the two
    navigate(qtbot, page, "document.querySelector('a[href=\"/web/upload\"]').click()")
    assert js(qtbot, page, "document.getElementById('form_name').value") == "資格取得届"

    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtTest import QTest

    listed: list[list[str]] = []

    def answer(dlg: Any) -> None:
        listed.append([dlg.list.item(i).text() for i in range(dlg.list.count())])
        if len(listed) == 1:
            walker.look(dlg, "upload chooser")
        QTimer.singleShot(0, lambda: dlg.list.itemDoubleClicked.emit(dlg.list.item(0)))

    page.chooser_shown.connect(answer)

    def choose_and_send(expect: Path, form: str) -> None:
        rect = json.loads(js(qtbot, page, "(function(){var f=document.getElementById('file');"
                                          "f.scrollIntoView({block:'center'});var r=f.getBoundingClientRect();"
                                          "return JSON.stringify([r.left+r.width/2,"
                                          "r.top+r.height/2]);})()"))  # JSON: PySide 6.12 loses JS arrays
        with qtbot.waitSignal(page.chosen, timeout=20000) as chosen:
            QTest.mouseClick(page.view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(int(rect[0]), int(rect[1])))
        assert chosen.args == [[str(expect)]]
        with qtbot.waitSignal(page.form_selected, timeout=10000) as selected:
            pass  # the page's list is set after the chooser returns (a script in the page)
        assert selected.args == [form, True]
        assert js(qtbot, page, "document.getElementById('file').files[0].name") == expect.name
        assert js(qtbot, page, "document.getElementById('form_name').value") == form
        assert page.notice.isVisible() and form in page.notice.text()
        navigate(qtbot, page, "document.getElementById('send').click()")
        assert not page.notice.isVisible()  # it spoke of the page that was left

    choose_and_send(lost, "資格喪失届")
    assert listed[0] == [lost.name, got.name]  # the newest first
    assert walker.found.screens == ["browser mode, embedded page", "upload chooser"]
    assert not walker.found.clashes and not walker.found.english and not walker.found.sizes, walker.found
    choose_and_send(got, "資格取得届")
    assert listed[1] == [got.name, f"{lost.name}（この接続で選択済み）"]  # what was sent this visit goes last
    stamp = js(qtbot, page, "document.querySelector('#sent tr:nth-child(2) td').textContent")
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", stamp), stamp  # the page shows Japan time
    recs = world.svc.upload_records()
    assert [(r.file_name, r.form_name) for r in recs] == [(lost.name, "資格喪失届"), (got.name, "資格取得届")]
    assert hashlib.sha256(world.svc.upload_path(recs[0]).read_bytes()).hexdigest() == second.sha256
    assert hashlib.sha256(world.svc.upload_path(recs[1]).read_bytes()).hexdigest() == first.sha256

    # logout in the page: the visit ends, the VPN goes down, the page and its cookies go
    with qtbot.waitSignal(w.web.closed, timeout=30000):
        js(qtbot, page, "document.getElementById('logout').click(); true")
    qtbot.waitUntil(lambda: world.machine.phase in (Phase.ENDED, Phase.IDLE), timeout=20000)
    assert world.services.vpn.status("denshi-0123").state is not ConnState.CONNECTED
    assert w.web.page is None and w.tabs.count() == 3
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=5000)  # "log out when done" went with the visit
    assert not world.svc._sessions  # the service saw the logout
    # the app sets no AA_ShareOpenGLContexts (it costs the first paint): the engine must not ask for it
    assert not [r.message for r in qtlog.records if "ShareOpenGLContexts" in r.message or "from a plugin" in r.message]


def test_system_browser_when_the_setting_says_so(qtbot: Any, world: World) -> None:
    """browser.embedded = false: the machine's opener (the system browser) gets the page, no tab opens."""
    from denshi_client.store.settings import set_user_value
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    set_user_value("browser.embedded", False)
    opened: list[str] = []
    world.machine.deps.open_url = lambda url: opened.append(url) or True
    p = world.services.profiles[0]
    world.services.profiles[0] = replace(p, mode=SessionMode.BROWSER, auth_url=web_url(world) + "/login")
    bridge = SessionBridge(world.services, tick_ms=50)
    w = MainWindow(bridge, install_hooks=False)
    w.quit_app = lambda: None  # type: ignore[method-assign]
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    world.client.request_otp("demo")
    try:
        connect(qtbot, w, world)
        qtbot.waitUntil(lambda: bool(opened), timeout=20000)
        assert opened == [web_url(world) + "/login"]
        assert w.web.page is None and w.tabs.count() == 3
    finally:
        if world.machine.phase is Phase.READY:
            bridge.end_async(EndCause.USER)
            qtbot.waitUntil(lambda: world.machine.phase in (Phase.ENDED, Phase.IDLE), timeout=20000)
        bridge.close()
