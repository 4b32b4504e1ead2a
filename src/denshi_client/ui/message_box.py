"""Message boxes that read well in Japanese."""

from __future__ import annotations

from typing import Any

MAX_LINE_PX = 640  # beyond this a sentence wraps anyway; at ~13 px a glyph that is ~48 characters


def give_text_room(box: Any) -> Any:
    """Widen the labels so each sentence fits on one line (call after setting the texts).

    Japanese has no spaces, so Qt's narrow default (≈ 500 px) breaks lines anywhere, e.g.
    「切断し/ました」. Per box, not app-wide: an application style sheet would restyle every
    widget and slow the first paint.
    """
    fm = box.fontMetrics()
    lines = (box.text() + "\n" + box.informativeText()).splitlines()
    widest = max((fm.horizontalAdvance(line) for line in lines if line), default=0)
    px = min(MAX_LINE_PX, widest + fm.averageCharWidth() * 2)
    box.setStyleSheet(f"QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel {{ min-width: {px}px; }}")
    return box
