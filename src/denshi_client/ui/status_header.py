"""The always-visible strip at the top: state, countdown and which end comes first.

The countdown is the answer to the users' biggest problem (forgetting the VPN is up), so it
is large, and it turns amber then red as the end approaches.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

_STATE_CSS = "font-size: 14pt; font-weight: bold;"
_COUNTDOWN_CSS = "font-size: 15pt; font-weight: bold; qproperty-alignment: 'AlignRight | AlignVCenter';"
_COLORS = {"offline": "#5f6368", "connecting": "#a86b00", "connected": "#1e7a3c", "warning": "#b3261e"}


def _icon_state(state: str) -> str:
    return {"ending": "connecting"}.get(state, state)


def format_remaining(seconds: int) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


class StatusHeader(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._icon = QLabel()
        self._icon.setFixedSize(36, 36)
        self._state = QLabel()
        self._state.setObjectName("stateLabel")
        self._detail = QLabel()
        self._detail.setObjectName("stateDetail")
        self._detail.setWordWrap(True)
        self._countdown = QLabel()
        self._countdown.setObjectName("countdown")
        # Fonts and alignment through style sheets: the window paints before Python touches `Qt` or
        # `QFont`, whose first use costs tens of ms of start-up (PySide6 builds all their enums at once).
        self._countdown.setStyleSheet(_COUNTDOWN_CSS)
        self._which = QLabel()
        self._which.setObjectName("countdownWhich")
        self._which.setStyleSheet("qproperty-alignment: 'AlignRight | AlignVCenter';")

        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self._state)
        left.addWidget(self._detail)
        right = QVBoxLayout()
        right.setSpacing(2)
        right.addWidget(self._countdown)
        right.addWidget(self._which)
        row = QHBoxLayout(self)
        row.addWidget(self._icon)
        row.addLayout(left, 1)
        row.addLayout(right)
        self.state = ""
        self._icons = False  # the SVG state icon follows the first paint (show_icons): ~2 ms of start-up
        self.set_state("offline")

    def show_icons(self) -> None:
        self._icons = True
        self._set_icon()

    def _set_icon(self) -> None:
        if self._icons:
            from denshi_client.ui.icons import state_icon

            self._icon.setPixmap(state_icon(_icon_state(self.state)).pixmap(36, 36))

    def set_state(self, state: str, detail: str = "") -> None:
        """`state`: offline | connecting | connected | ending."""
        self.state = state
        texts = {
            "offline": self.tr("未接続"),
            "connecting": self.tr("接続中"),
            "connected": self.tr("接続済み"),
            "ending": self.tr("切断中"),
        }
        self._state.setText(texts.get(state, state))
        self._set_icon()
        self._state.setStyleSheet(f"color: {_COLORS.get(_icon_state(state), '#000')}; {_STATE_CSS}")
        if not detail and state == "offline":
            detail = self.tr("VPNには接続していません。インターネットとメールは通常どおり使えます。")
        elif not detail and state == "connected":
            detail = self.tr("VPN接続中は、インターネットとメールは使えません。用事が済んだら切断してください。")
        self._detail.setText(detail)
        if state not in ("connected", "ending"):
            self._countdown.clear()
            self._which.clear()

    def set_countdown(self, seconds: int, which: str, ends_at: str = "", deadline: str = "",
                      warn_level: int = 0) -> None:
        """`which`: "limit" (the 90-minute cut) or "close" (the service's closing time).

        `ends_at` is when the app itself logs out and disconnects (a little before `deadline`,
        when the server would cut); warn_level 0..2 colours the countdown green, amber, red.
        """
        self._countdown.setText(self.tr("残り %1").replace("%1", format_remaining(seconds)))
        if which == "close":
            txt = self.tr("%1 に自動切断します（サービス終了 %2）")
        else:
            txt = self.tr("%1 に自動切断します（90分の接続上限 %2）")
        self._which.setText(txt.replace("%1", ends_at or "--:--").replace("%2", deadline or "--:--"))
        color = ("#1e7a3c", "#a86b00", "#b3261e")[max(0, min(2, warn_level))]
        self._countdown.setStyleSheet(f"color: {color}; {_COUNTDOWN_CSS}")

    def countdown_text(self) -> str:
        return self._countdown.text()

    def which_text(self) -> str:
        return self._which.text()

    def state_text(self) -> str:
        return self._state.text()
