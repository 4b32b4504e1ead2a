"""The routine visit in the window (issue 13): prepared offline, at most three actions online.

The real main window in demo mode: 2 forms queued beforehand (for 0123 and 0456), 3 new notices
for the two establishments of the one login `demo`. The user's actions from the idle window to
"disconnected" are counted twice: by the test's own `act()` and by an application-wide filter of
mouse presses and key presses (the two must agree). The countdown before the disconnect is set short
(`visit.disconnect_countdown_seconds`); every wait is on a signal or a condition, never a sleep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from denshi_client.session import Phase
from denshi_client.session.model import EndCause
from denshi_client.vpn.model import ConnState
from tests.ui.conftest import demo_app

TITLES = [("0123", "決定通知書A"), ("0123", "掛金計算書B"), ("0456", "納入告知書C")]


class InputCounter(QObject):
    """Counts what a person does: presses of a mouse button and of a key, anywhere in the app."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) and obj.isWidgetType():
            if not self.events or self.events[-1] != f"{event.type()}@{id(obj)}":
                self.events.append(f"{event.type()}@{id(obj)}")
        return False


def _seed(env: Any, tmp: Path) -> None:
    """What the stand-in already held is read; three new notices arrive; two forms are queued offline."""
    from denshi_client.documents.archive import ZipFormat, pack
    from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
    from denshi_client.portal.standin.pdfgen import make_pdf
    from denshi_client.session.outbox_queue import SendQueue

    svc = env.service
    for rec in svc.documents():
        svc.mark_read(rec)
    for i, (est, title) in enumerate(TITLES):
        pdf = tmp / f"n{i}.pdf"
        pdf.write_bytes(make_pdf(title, [title, "見本"]))
        z = tmp / f"20240524_{est}_{title}.zip"
        pack([pdf], z, DEMO_ZIP_PASSWORDS[est], fmt=ZipFormat.AES256, arcnames=[f"{title}.pdf"])
        svc.add_document(z, establishment=est, doc_type="決定通知書", title=title)
    s = env.services
    q = SendQueue(s.transfers, s.history, s.transfers.clock)
    for pid, name, form in (("demo-0123", "取得 スキャン.pdf", "資格取得届"),
                            ("demo-0456", "喪失 スキャン.pdf", "資格喪失届")):
        src = tmp / name
        src.write_bytes(make_pdf(form, ["被保険者 山田 太郎"]))
        q.add(s.session_profile(pid), [src], form_name=form, filing_date="2024-05-24")


@pytest.fixture
def routine(qtbot: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    from denshi_client.store.settings import set_user_value, unset_user_value

    for key in ("visit.send_queue", "visit.fetch_new"):  # the defaults (tests/ui/conftest.py turns them off)
        unset_user_value(key)
    set_user_value("visit.disconnect_countdown_seconds", 1)  # the only setting changed: a short countdown
    from denshi_client.store.settings import load_effective_settings

    v = load_effective_settings().visit
    assert v.send_queue and v.fetch_new
    work = tmp_path / "mine"
    work.mkdir()
    with demo_app(qtbot, tmp_path / "demo", seed=lambda env: _seed(env, work)) as pair:
        yield pair


def test_routine_visit_takes_at_most_three_actions(qtbot: Any, routine: tuple[Any, Any]) -> None:
    w, env = routine
    machine = env.services.machine
    # before connecting, the main screen says what the visit will do
    qtbot.waitUntil(lambda: "送信待ち 2件" in w.visit_panel.summary.text(), timeout=10000)
    assert "0123" in w.visit_panel.summary.text() and "0456" in w.visit_panel.summary.text()

    counter = InputCounter()
    QApplication.instance().installEventFilter(counter)  # type: ignore[union-attr]
    actions: list[str] = []

    def act(what: str, do: Callable[[], None]) -> None:
        actions.append(what)
        do()

    busy: list[tuple[bool, bool, bool]] = []  # 送信 / 新着をダウンロード / 一覧を更新 while the visit works
    w.visit.work_started.connect(lambda: busy.append((w.outbox.send_button.isEnabled(),
                                                      w.inbox.download_new_button.isEnabled(),
                                                      w.inbox.refresh_button.isEnabled())))
    during: list[tuple[bool, str, str]] = []  # what the screen says while the countdown runs
    w.visit.countdown_changed.connect(lambda left: during.append(
        (w.banner.isVisible(), w.visit_panel.status.text(), w.visit_panel.countdown_label.text())))
    try:
        with qtbot.waitSignal(w.flow.otp_dialog_shown, timeout=15000) as shown:
            act("接続", lambda: qtbot.mouseClick(w.connect_button, Qt.MouseButton.LeftButton))
        dlg = shown.args[0]
        qtbot.waitUntil(lambda: dlg.edit.text() != "", timeout=15000)  # the demo's mail, read by itself
        with qtbot.waitSignal(w.visit.disconnected, timeout=60000):
            act("VPN接続を開始", lambda: qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton))
    finally:
        QApplication.instance().removeEventFilter(counter)  # type: ignore[union-attr]

    qtbot.waitUntil(lambda: machine.phase in (Phase.ENDED, Phase.IDLE), timeout=20000)
    assert len(actions) <= 3 and len(counter.events) == len(actions), (actions, counter.events)
    assert env.driver.status("denshi-demo-0123").state is ConnState.OFFLINE
    assert machine.snapshot().end_cause is EndCause.USER

    rep = w.visit.report
    assert rep is not None and rep.outcome == "ok", rep and rep.to_dict()
    assert sorted((s["establishment"], s["target_name"]) for s in rep.sent) == [
        ("0123", "20240524_0123_資格取得届.pdf"), ("0456", "20240524_0456_資格喪失届.pdf")]
    assert {s["receipt"] for s in rep.sent} == {r.server_id for r in env.service.upload_records()}
    got = sorted((x["establishment"], x["title"]) for x in rep.received)
    assert got == sorted(TITLES)
    for x in rep.received:  # each filed under its own establishment: <root>/<est>/受信/<YYYY>/<YYYYMM>
        assert Path(x["folder"]).parts[-4] == x["establishment"]
        assert all(Path(f).read_bytes().startswith(b"%PDF") for f in x["files"])
    assert busy == [(False, False, False)]  # no second send or fetch beside the visit's own
    # the countdown: the result once (the status line), the time once (its row), no banner repeating them
    assert during, "no countdown was shown"
    banner_shown, status, row = during[0]
    assert not banner_shown and status.startswith("作業が終わりました") and "作業が終わりました" not in row
    assert "秒後に切断します" in row
    filed = sorted(str(f) for x in rep.received for f in x["files"])  # 保存した書類 lists them, to open
    assert sorted(w.inbox.filed.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.inbox.filed.count())) \
        == filed
    # afterwards the screen says the visit is over and nothing is waiting
    assert "切断しました" in w.banner_label.text()
    qtbot.waitUntil(lambda: "送信待ちなし" in w.visit_panel.summary.text(), timeout=10000)
    assert "作業が終わりました" in w.visit_panel.status.text() and "VPNは切断しました" in w.visit_panel.status.text()
    # on a 1366x728 office screen the inbox's last buttons stay in view after the visit, no scrolling
    w.resize(1366, 728)
    w.tabs.setCurrentIndex(0)
    btn = w.inbox.print_button
    qtbot.waitUntil(lambda: btn.visibleRegion().boundingRect().height() == btn.height(), timeout=5000)
    area = w.tabs.currentWidget()
    assert not area.verticalScrollBar().isVisible()
