"""The routine visit at 1366x768 (issue 13), in demo mode with two forms queued and three new notices:

70 before connecting (what the visit will do), 71 the work running by itself, 72 the countdown to the
disconnect, 73 disconnected. Run on the real X display of `dev.py xrun` (Xvfb 1366x768):
    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_visit.py
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shots import start_demo


def _seed(env: Any, tmp: Path) -> None:
    from denshi_client.documents.archive import ZipFormat, pack
    from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
    from denshi_client.portal.standin.pdfgen import make_pdf
    from denshi_client.session.outbox_queue import SendQueue

    svc = env.service
    for rec in svc.documents():
        svc.mark_read(rec)
    for i, (est, title) in enumerate([("0123", "決定通知書"), ("0123", "掛金計算書"), ("0456", "納入告知書")]):
        pdf = tmp / f"n{i}.pdf"
        pdf.write_bytes(make_pdf(title, [title, "見本"]))
        z = tmp / f"20261202_{est}_{title}.zip"
        pack([pdf], z, DEMO_ZIP_PASSWORDS[est], fmt=ZipFormat.AES256, arcnames=[f"{title}.pdf"])
        svc.add_document(z, establishment=est, doc_type="決定通知書", title=title)
    s = env.services
    q = SendQueue(s.transfers, s.history, s.transfers.clock)
    for pid, name, form in (("demo-0123", "取得 スキャン.pdf", "資格取得届"),
                            ("demo-0456", "喪失 スキャン.pdf", "資格喪失届")):
        src = tmp / name
        src.write_bytes(make_pdf(form, ["被保険者 山田 太郎"]))
        q.add(s.session_profile(pid), [src], form_name=form, filing_date="2026-12-02")


def main() -> int:
    from denshi_client.clock import JST
    from denshi_client.session import Phase

    demo = start_demo(datetime(2026, 12, 2, 10, 0, tzinfo=JST))
    env, pump = demo.env, demo.pump
    work = demo.tmp / "mine"
    work.mkdir()
    _seed(env, work)
    w = demo.main_window()
    pump(lambda: w.isVisible() and "送信待ち 2件" in w.visit_panel.summary.text())

    def save(name: str) -> None:
        path = demo.save(w, name)
        print("saved", path, w.size().width(), "x", w.size().height(), "|", w.visit_panel.summary.text(), "|",
              w.visit_panel.status.text(), "|", w.banner_label.text())

    save("70-visit-before.png")
    shots: list[str] = []

    def on_visit_event(ev: Any) -> None:  # after the panel has shown it (connected after the controller)
        if ev.kind == "filed" and "71" not in shots:
            shots.append("71")
            save("71-visit-working.png")

    w.visit._from_worker.connect(on_visit_event)
    dialogs: list[Any] = []
    w.flow.otp_dialog_shown.connect(dialogs.append)
    w.connect_button.click()
    pump(lambda: bool(dialogs) and dialogs[0].edit.text() != "")
    dialogs[0].buttons.buttons()[0].click()
    pump(lambda: w.visit_panel.countdown.isVisible(), timeout=60)
    pump(lambda: "28秒後" in w.visit_panel.countdown_label.text(), timeout=10)
    save("72-visit-countdown.png")
    pump(lambda: env.services.machine.phase in (Phase.ENDED, Phase.IDLE) and "VPNは切断しました" in
         w.visit_panel.status.text(), timeout=60)
    pump(lambda: "送信待ちなし" in w.visit_panel.summary.text())
    save("73-visit-done.png")
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
