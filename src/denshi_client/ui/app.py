"""Desktop app entry (placeholder until the app issue lands)."""

from __future__ import annotations


def run_app(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(["denshi-client"])
    if "--self-test" in argv:
        return 0
    w = QLabel("電子連携クライアント")
    w.resize(480, 200)
    w.show()
    return int(app.exec())
