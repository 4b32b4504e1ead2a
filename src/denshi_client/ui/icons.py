"""Icons for the window and the tray, one per session state (SVG, so they stay sharp on HiDPI)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from denshi_client.resources import resource

STATES = ("offline", "connecting", "connected", "warning")


@cache
def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "app.svg")))


@cache
def lock_icon() -> QIcon:
    return QIcon(str(resource("icons", "lock.svg")))


@cache
def state_icon(state: str) -> QIcon:
    """`state` is one of STATES; anything else shows as offline."""
    name = state if state in STATES else "offline"
    return QIcon(str(resource("icons", f"state-{name}.svg")))
