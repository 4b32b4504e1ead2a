"""The screens one by one: settings with IT's locks, the naming assistant's reasons, browser mode's
upload-ready folder, the English catalogue, the worker pattern and the self-test."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QUrl
from PySide6.QtWidgets import QApplication

from denshi_client.session import SessionMode
from denshi_client.store.paths import app_paths
from tests.ui.conftest import World, connect


def test_locked_setting_is_shown_locked_and_not_written(qtbot: Any, window: Any) -> None:
    policy = app_paths().policy_file
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text('[zip]\nformat = "zipcrypto"\n\n[lock]\nkeys = ["zip.format"]\n', encoding="utf-8")
    dlg = window.open_settings()
    qtbot.waitExposed(dlg)
    ed = dlg.editor_for("zip.format")
    assert ed.locked and not ed.editor.isEnabled()
    assert ed.editor.currentData() == "zipcrypto"
    assert not ed.lock_row.isHidden() and "固定" in ed.lock_note.text()
    free = dlg.editor_for("session.idle_minutes")
    assert not free.locked and free.editor.isEnabled() and free.lock_row.isHidden()
    free.editor.setValue(7)
    dlg.save()
    from denshi_client.store.settings import load_effective_settings

    s = load_effective_settings()
    assert s.session.idle_minutes == 7 and s.zip.format == "zipcrypto"
    assert "zip" not in app_paths().settings_file.read_text(encoding="utf-8")


def test_profile_zip_password_goes_only_to_the_keyring(qtbot: Any, window: Any) -> None:
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore
    from denshi_client.ui.profiles_page import ProfileDialog

    dlg = ProfileDialog(None, window)
    qtbot.addWidget(dlg)
    dlg.establishment.setText("０４５６")  # full-width digits are normalised by the store
    dlg.name.setText("株式会社サンプル商事 大阪支店")
    dlg.user_id.setText("demo")
    dlg.zip_password.setText("Sample0456-Osaka")
    dlg._save()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    assert dlg.profile.establishment == "0456"
    assert SecretStore().get(dlg.profile.id, ZIP_PASSWORD) == "Sample0456-Osaka"
    assert "Sample0456-Osaka" not in app_paths().profiles_file.read_text(encoding="utf-8")
    assert dlg.zip_password.text() == ""


def test_naming_assistant_shows_reasons_as_you_type(qtbot: Any, window: Any, world: World) -> None:
    out = window.outbox
    out.add_files([world.pdf("scan001.pdf")])
    a = out.assistant
    a.form.setCurrentText("資格取得届")
    a.date.setDate(QDate(2024, 5, 24))
    a.establishment.setText("12345")
    assert not a.is_ok() and not out.add_to_queue.isEnabled()
    assert "事業所番号" in a.problems.text() and a.problems.text().startswith("✖")
    a.establishment.setText("0456")  # valid, but not the selected establishment's number
    assert not a.is_ok() and "選択中の事業所（0123）" in a.problems.text()
    a.establishment.setText("0123")
    a.form.setCurrentText("")
    assert "届書名を選んでください" in a.problems.text()
    a.form.setCurrentText("資格取得届")
    assert a.is_ok() and a.preview.text() == "20240524_0123_資格取得届.pdf" and a.problems.text() == ""
    qtbot.waitUntil(lambda: a.pdf_result.text().startswith("✔"), timeout=5000)


def test_not_a_pdf_is_reported_by_the_check(qtbot: Any, window: Any, world: World) -> None:
    bad = world.tmp / "mine" / "20240524_0123_資格取得届.pdf"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"PK\x03\x04 this is a zip, not a pdf")
    window.outbox.add_files([bad])
    qtbot.waitUntil(lambda: window.outbox.assistant.pdf_result.text().startswith("✖"), timeout=5000)


def test_browser_mode_prepares_zips_for_drag_out(qtbot: Any, window: Any, world: World) -> None:
    from dataclasses import replace

    prof = world.services.profiles[0]
    world.services.profiles[0] = replace(prof, mode=SessionMode.BROWSER)
    window.reload_profiles()
    out = window.outbox
    assert not out.browser_box.isHidden() and not window.auth_button.isHidden()
    connect(qtbot, window, world, type_otp=False)
    out.add_files([world.pdf("資格喪失届.pdf", "資格喪失届")])
    out.assistant.date.setDate(QDate(2024, 5, 24))
    qtbot.waitUntil(lambda: out.add_to_queue.isEnabled(), timeout=5000)  # name ok and the PDF checked
    assert out.assistant.form.currentText() == "資格喪失届"  # found in the dropped file's name
    out.queue_current()
    with qtbot.waitSignal(out.upload_finished, timeout=20000):
        out.send_waiting()
    qtbot.waitUntil(lambda: out.ready.count() == 1, timeout=5000)
    zip_path = Path(out.ready.item(0).data(256))
    assert zip_path.name == "20240524_0123_資格喪失届.zip" and zip_path.is_file()
    assert zip_path.parent == Path(prof.upload_folder)
    out.ready.item(0).setSelected(True)
    urls = out.ready.mime_for_selection().urls()
    assert urls == [QUrl.fromLocalFile(str(zip_path))]


def test_english_catalogue_translates_the_main_window(qtbot: Any, world: World) -> None:
    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    app = QApplication.instance()
    assert i18n.install(app, "en")
    try:
        bridge = SessionBridge(world.services, tick_ms=1000)
        w = MainWindow(bridge, install_hooks=False)
        qtbot.addWidget(w)
        assert w.connect_button.text() == "&Connect"
        assert w.header.state_text() == "Not connected"
        assert w.tabs.tabText(0) == "Inbox (&1)" and w.tabs.tabText(2) == "History (&3)"
        assert w.windowTitle() == "Denshi Client"
        bridge.close()
    finally:
        i18n.install(app, "ja")


def test_visit_result_reads_naturally_in_both_languages(qtbot: Any, world: World) -> None:
    """Even the separators are words: 、・（） in Japanese, ", " "; " "( )" in English — never mixed."""
    from types import SimpleNamespace

    from denshi_client.ui import i18n
    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    rep = SimpleNamespace(steps={}, sent=[{}, {}], problems=[], error=None,
                          received=[{"establishment": "0123"}, {"establishment": "0456"}, {"establishment": "0123"}])
    app = QApplication.instance()
    bridge = SessionBridge(world.services, tick_ms=1000)
    try:
        w = MainWindow(bridge, install_hooks=False)
        qtbot.addWidget(w)
        w.ensure_views()
        assert w.visit._result_text(rep) == "作業が終わりました: 送信 2件、受信 3件（0123 2件・0456 1件）。"
        assert i18n.install(app, "en")
        assert w.visit._result_text(rep) == "Work finished: 2 sent, 3 received (2 for 0123; 1 for 0456)."
    finally:
        i18n.install(app, "ja")
        bridge.close()


def test_worker_delivers_on_the_gui_thread_with_throttled_progress(qtbot: Any) -> None:
    from denshi_client.ui.worker import run_in_background

    gui = threading.current_thread()
    seen: dict[str, Any] = {"progress": []}

    def work(progress: Any) -> str:
        seen["worker"] = threading.current_thread()
        for i in range(1, 100_001):
            progress(i, 100_000)
        return "done"

    def on_done(v: str) -> None:
        seen["done"] = (v, threading.current_thread())

    run_in_background(work, on_done, None, lambda d, t: seen["progress"].append((d, t, threading.current_thread())))
    qtbot.waitUntil(lambda: "done" in seen, timeout=10000)
    assert seen["done"] == ("done", gui) and seen["worker"] is not gui
    assert seen["progress"][-1][:2] == (100_000, 100_000)
    assert len(seen["progress"]) < 1000 and all(p[2] is gui for p in seen["progress"])

    errors: list[BaseException] = []
    run_in_background(lambda: 1 / 0, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_self_test_flag_runs_offscreen() -> None:
    p = subprocess.run([sys.executable, "-m", "denshi_client", "--self-test"], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr


def test_demo_start_paints_first_then_attaches_the_core(app_home: Path) -> None:
    """`denshi-client --demo` through the real entry point: first paint, then the core, then a clean quit."""
    import os

    env = dict(os.environ, DENSHI_CLIENT_EXIT_ON_SHOWN="1")  # the platform the tests run on (xcb in CI)
    p = subprocess.run([sys.executable, "-m", "denshi_client", "--demo", "--accelerate", "90"], capture_output=True,
                       text=True, timeout=90, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    lines = [ln.split() for ln in p.stdout.splitlines() if ln.startswith(("first-paint", "services-ready"))]
    assert [k for k, _ in lines] == ["first-paint", "services-ready"]
    assert float(lines[0][1]) <= float(lines[1][1])


def test_second_start_raises_the_first_window(qtbot: Any) -> None:
    from denshi_client.ui import single_instance
    from denshi_client.ui.app import instance_key

    raised: list[int] = []
    server = single_instance.listen(instance_key(), lambda: raised.append(1))
    try:
        assert single_instance.ask_running_to_raise(instance_key())
        qtbot.waitUntil(lambda: bool(raised), timeout=5000)
    finally:
        server.close()


def test_tray_follows_the_state_and_offers_connect_or_disconnect(qtbot: Any) -> None:
    from denshi_client.ui.tray import Tray

    tray = Tray(None, force=True)  # an icon object even without a tray host (test_tray.py: the shown icon)
    assert tray.available and tray.act_connect.isEnabled() and not tray.act_disconnect.isEnabled()
    tray.set_state("connected", "電子連携クライアント — 接続済み\n残り 1:23:45")
    assert tray.icon.toolTip().endswith("残り 1:23:45")
    assert not tray.act_connect.isEnabled() and tray.act_disconnect.isEnabled()
    tray.set_state("warning", "残り 0:04:59")
    assert tray.state == "warning" and not tray.icon.icon().isNull()
    with qtbot.waitSignal(tray.disconnect_requested, timeout=1000):
        tray.act_disconnect.trigger()
    tray.hide()
    none = Tray(None, force=False)  # no tray at all: every call is a harmless no-op
    none.set_state("connected", "x")
    none.notify("t", "m")
    assert not none.available


def test_it_screens_open_from_the_tools_menu(qtbot: Any, window: Any) -> None:
    wiz = window.open_onboarding()
    assert wiz is not None and wiz.isVisible()
    wiz.reject()
    dlg = window.open_doctor()
    assert dlg is not None and dlg.isVisible() and dlg.windowTitle() == "動作環境の診断"
    dlg.reject()


def test_header_leaves_the_loading_text_once_the_core_is_in(qtbot: Any, world: World) -> None:
    """The window paints before the core loads; once attached, the header must say what is true."""
    from PySide6.QtWidgets import QLabel

    from denshi_client.ui.main_window import MainWindow
    from denshi_client.ui.session_bridge import SessionBridge

    bridge = SessionBridge(None, tick_ms=50)
    w = MainWindow(bridge, install_hooks=False, lazy_views=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    texts = lambda: [lb.text() for lb in w.header.findChildren(QLabel)]  # noqa: E731
    assert "準備しています..." in texts()
    assert [a.text() for a in w.menuBar().actions()] == ["ファイル(&F)", "接続(&N)", "ツール(&T)",
                                                         "ヘルプ(&H)"]  # the titles paint first
    w.ensure_views()  # right after the first paint: the actions come, not usable until the core is in
    assert not w.act_connect.isEnabled() and not w.act_disconnect.isEnabled() and not w.act_have_otp.isEnabled()
    assert w.act_connect.shortcut().toString() == "Ctrl+K"
    with qtbot.waitSignal(bridge.services_ready, timeout=5000):
        bridge.attach(world.services, None)
    qtbot.waitUntil(lambda: "準備しています..." not in texts(), timeout=5000)
    assert any("通常どおり使えます" in t for t in texts())
    assert w.act_connect.isEnabled() and not w.act_disconnect.isEnabled()
    bridge.close()
