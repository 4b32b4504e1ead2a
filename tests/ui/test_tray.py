"""The notification-area icon as a user sees it: on the xcb platform, embedded by a real tray host
(trayer, started by `dev.py test`), hovered for its tooltip and right-clicked for its menu with real
X pointer and key events (xdotool). Fails when the icon is not shown."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QToolTip

from denshi_client.session import Phase
from denshi_client.ui.status_header import format_remaining
from tests.ui.conftest import X11, World, XWindow, connect

MENU = ["接続(&C)", "切断(&D)", "ウィンドウを表示(&W)", "終了(&Q)"]


def _icon_window(x11: X11, icon: QSystemTrayIcon) -> XWindow | None:
    """Our own X window that is on screen exactly where Qt says the icon is."""
    g = icon.geometry()
    for wid in x11.windows_of(os.getpid()):
        win = x11.info(wid)
        if win.viewable and (win.x, win.y, win.width, win.height) == (g.x(), g.y(), g.width(), g.height()):
            return win
    return None


def _shown_icon(qtbot: Any, x11: X11, window: Any) -> tuple[QSystemTrayIcon, QPoint]:
    """Asserts that the tray host embedded the window's icon and that it is on the screen; its centre."""
    assert QSystemTrayIcon.isSystemTrayAvailable()
    tray = window.tray
    assert tray.available, "the app made no tray icon although a tray host is running"
    icon = tray.icon
    assert icon.isVisible()
    qtbot.waitUntil(lambda: not icon.geometry().isEmpty(), timeout=5000)
    assert QApplication.primaryScreen().geometry().contains(icon.geometry())
    qtbot.waitUntil(lambda: _icon_window(x11, icon) is not None, timeout=5000)
    win = _icon_window(x11, icon)
    assert win is not None
    host = x11.top_level(win.id)
    assert host != win.id, "the icon window is a top-level of its own: no tray host embedded it"
    host_pid = x11.pid_of(host)
    assert host_pid is not None and host_pid != os.getpid()
    if os.environ.get("DENSHI_TEST_TRAY_HOST_PID"):  # set by dev.py for the tray host it started
        assert host_pid == int(os.environ["DENSHI_TEST_TRAY_HOST_PID"])
    return icon, icon.geometry().center()


def test_the_tray_icon_is_shown_with_the_time_left_and_its_menu(qtbot: Any, x11: X11, window: Any,
                                                                  world: World) -> None:
    tray = window.tray
    icon, centre = _shown_icon(qtbot, x11, window)
    connect(qtbot, window, world)
    left = f"残り {format_remaining(int(world.machine.snapshot().remaining_s))}"  # the fake clock stands still

    screen = QApplication.primaryScreen().geometry().center()
    x11.move(screen.x(), screen.y())
    x11.move(centre.x(), centre.y())  # onto the icon and stay: a user checking the time left
    qtbot.waitUntil(lambda: QToolTip.isVisible() and left in QToolTip.text(), timeout=10000)
    assert "接続済み" in QToolTip.text() and QToolTip.text() == icon.toolTip()

    x11.click(centre.x(), centre.y(), 3)  # right-click: the context menu
    qtbot.waitUntil(lambda: tray.menu.isVisible(), timeout=5000)
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator()] == MENU
    assert not tray.act_connect.isEnabled() and tray.act_disconnect.isEnabled()
    assert QApplication.primaryScreen().geometry().contains(tray.menu.geometry())
    x11.key("Escape")
    qtbot.waitUntil(lambda: not tray.menu.isVisible(), timeout=5000)
    assert world.machine.phase is Phase.READY  # closing the menu chose nothing

    qtbot.wait(QApplication.doubleClickInterval() + 200)  # a second click sooner would be a double-click
    x11.click(centre.x(), centre.y(), 3)  # and now 切断 from the menu
    qtbot.waitUntil(lambda: tray.menu.isVisible(), timeout=5000)
    item = tray.menu.mapToGlobal(tray.menu.actionGeometry(tray.act_disconnect).center())
    x11.click(item.x(), item.y(), 1)
    qtbot.waitUntil(lambda: window.header.state == "offline", timeout=10000)
    assert world.machine.snapshot().end_cause is not None and "未接続" in icon.toolTip()
    assert "残り" not in icon.toolTip() and tray.act_connect.isEnabled()


def test_closed_to_the_tray_a_click_on_the_icon_brings_the_window_back(qtbot: Any, x11: X11,
                                                                        window: Any) -> None:
    icon, centre = _shown_icon(qtbot, x11, window)
    window.close()  # ui.minimize_to_tray is on by default
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert icon.isVisible() and not window.quits
    x11.click(centre.x(), centre.y(), 1)
    qtbot.waitUntil(lambda: window.isVisible(), timeout=5000)
    assert not window.quits
