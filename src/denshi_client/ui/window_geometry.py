"""How big the main window starts: the default size, clamped to the screen it opens on.

Kept apart from the window so the rule for a small office laptop (1366x768 with a taskbar) reads on its own.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import QApplication, QWidget

DEFAULT_SIZE = (1100, 700)  # fits a 1366x768 screen with a taskbar (1366x728 usable)
TASKBAR_PX = 40  # room for a taskbar when the platform does not say where it is (X without a panel)


def usable_area(widget: QWidget) -> tuple[int, int]:
    """Width and height a window may take on its screen: the available geometry (the taskbar already
    left out on Windows), less a taskbar's height when the platform reports the whole screen as free."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return DEFAULT_SIZE
    avail = screen.availableGeometry()
    height = avail.height()
    if avail == screen.geometry():
        height -= math.ceil(TASKBAR_PX / screen.devicePixelRatio())
    return avail.width(), height


def first_size(widget: QWidget) -> tuple[int, int]:
    """The default window size, clamped to the screen (a frame's title bar and borders included)."""
    width, height = usable_area(widget)
    frame_w, frame_h = 16, 40  # a Windows title bar and borders at 100 %
    return min(DEFAULT_SIZE[0], width - frame_w), min(DEFAULT_SIZE[1], height - frame_h)
