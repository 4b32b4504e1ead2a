"""Two strips of the main window that paint with it, under the status header: the first start's
empty state (no establishment yet: what to do, and the set-up button) and the banner (warnings,
ends, the demo hint; dismissable, coloured by kind).

Texts keep the main window's translation context ("MainWindow").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

BANNER_COLORS = {"info": ("#e8f0fe", "#174ea6"), "ok": ("#e6f4ea", "#0d652d"),
                 "warning": ("#fef7e0", "#8a4b00"), "error": ("#fce8e6", "#a50e0e")}


def empty_state() -> tuple[QFrame, QLabel, QPushButton]:
    """(strip, its text, the set-up button), hidden. A first start (no establishment) says what to do and
    offers the set-up wizard, instead of a greyed 接続 and an empty list."""
    strip = QFrame()
    strip.setObjectName("emptyState")
    strip.setStyleSheet("QFrame#emptyState { background: #e8f0fe; border-radius: 6px; }"
                        " QLabel#emptyText { color: #174ea6; }")
    text = QLabel(QCoreApplication.translate(
        "MainWindow",
        "まだ事業所が登録されていません。［事業所を登録］から、事業所番号・ユーザーID・ZIPパスワード・"
        "VPN接続設定を登録してください。登録が済むと「接続」を押せるようになります。"))
    text.setObjectName("emptyText")
    text.setWordWrap(True)
    button = QPushButton(QCoreApplication.translate("MainWindow", "事業所を登録(&W)..."))
    button.setObjectName("setupButton")
    row = QHBoxLayout(strip)
    row.setContentsMargins(12, 10, 12, 10)
    row.addWidget(text, 1)
    row.addWidget(button)
    strip.hide()
    return strip, text, button


def banner() -> tuple[QFrame, QLabel]:
    """(banner, its text), hidden; its × hides it."""
    frame = QFrame()
    frame.setObjectName("banner")
    label = QLabel()
    label.setObjectName("bannerText")
    label.setWordWrap(True)
    close = QToolButton()
    close.setText("×")
    close.setAutoRaise(True)
    close.setToolTip(QCoreApplication.translate("MainWindow", "閉じる"))
    close.clicked.connect(frame.hide)
    row = QHBoxLayout(frame)
    row.setContentsMargins(8, 4, 4, 4)
    row.addWidget(label, 1)
    row.addWidget(close)
    frame.hide()
    return frame, label


def show_in_banner(frame: QFrame, label: QLabel, text: str, kind: str = "info") -> None:
    bg, fg = BANNER_COLORS.get(kind, BANNER_COLORS["info"])
    frame.setStyleSheet(f"QFrame#banner {{ background: {bg}; border-radius: 4px; }}"
                        f" QLabel#bannerText {{ color: {fg}; }}")
    label.setText(text)
    frame.show()
