"""The guided connect sequence as a visible checklist, so the user always sees where it is."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

STEP_IDS = ("hours", "otp_request", "otp_entry", "vpn", "login", "ready")

_MARKS = {"pending": "○", "active": "▶", "done": "✔", "failed": "✖", "skipped": "－"}
_COLORS = {"pending": "#80868b", "active": "#1f5fa8", "done": "#1e7a3c", "failed": "#b3261e", "skipped": "#80868b"}


class ConnectSteps(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectSteps")
        titles = {
            "hours": self.tr("サービス時間の確認"),
            "otp_request": self.tr("ワンタイムパスワードのリクエスト"),
            "otp_entry": self.tr("ワンタイムパスワードの入力"),
            "vpn": self.tr("VPN接続を開始"),
            "login": self.tr("ログイン"),
            "ready": self.tr("準備完了"),
        }
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self._labels: dict[str, QLabel] = {}
        self._status: dict[str, str] = {}
        self._titles = titles
        for i, sid in enumerate(STEP_IDS):
            lab = QLabel()
            lab.setObjectName(f"step_{sid}")
            self._labels[sid] = lab
            row.addWidget(lab)
            if i < len(STEP_IDS) - 1:
                arrow = QLabel("→")
                arrow.setStyleSheet("color: #9aa0a6;")
                row.addWidget(arrow)
        row.addStretch(1)
        self.reset()

    def reset(self) -> None:
        for sid in STEP_IDS:
            self.set_step(sid, "pending")

    def set_step(self, sid: str, status: str) -> None:
        if sid not in self._labels:
            return
        self._status[sid] = status
        lab = self._labels[sid]
        lab.setText(f"{_MARKS.get(status, '○')} {self._titles[sid]}")
        weight = "bold" if status == "active" else "normal"
        lab.setStyleSheet(f"color: {_COLORS.get(status, '#000')}; font-weight: {weight};")

    def status(self, sid: str) -> str:
        return self._status.get(sid, "pending")
