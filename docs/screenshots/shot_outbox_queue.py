"""Outbox screenshot at 1366x768 (issue 14, item 9): the send queue with eight rows, at least six in view
beside the naming assistant (the drop zone heads the file column; the queue takes what is left).

Run on the real X display of `dev.py xrun` (Xvfb 1366x768):
    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_outbox_queue.py
"""

from __future__ import annotations

from datetime import datetime

from shot_outbox_forms import two_forms_queued
from shots import start_demo


def main() -> int:
    from PySide6.QtCore import QDate

    from denshi_client.clock import JST
    from denshi_client.portal.standin.pdfgen import make_pdf

    demo = start_demo(datetime(2026, 12, 2, 10, 0, tzinfo=JST))
    env, pump = demo.env, demo.pump
    w, mine = two_forms_queued(demo)
    out = w.outbox
    a = out.assistant
    extra = []
    for i, title in enumerate(("資格取得届", "算定基礎届", "月額変更届", "賞与支払届", "氏名変更届", "住所変更届")):
        p = mine / f"scan{i + 10:04d}.pdf"
        p.write_bytes(make_pdf(title, ["被保険者 山田 太郎", "令和8年12月1日"]))
        extra.append((p, title))
    out.add_files([p for p, _ in extra])
    for _p, title in extra[1:]:
        pump(lambda: a.source is not None)
        a.form.setCurrentText(title)
        a.date.setDate(QDate(2026, 12, 1))
        pump(lambda: out.can_queue())
        out.queue_current()
    pump(lambda: a.pdf_result.text().startswith(("✔", "✖")))
    path = demo.save(w, "31-outbox-queue-rows.png")
    print("saved", path, w.size().width(), "x", w.size().height())
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
