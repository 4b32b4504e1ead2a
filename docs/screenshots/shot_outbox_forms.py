"""Outbox screenshots at 1366x768 (issue 14): two forms added, each under its own name, with the original
file names beside them; a third file whose name is already queued, refused with the reason.

Run on the real X display of `dev.py xrun` (Xvfb 1366x768):
    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_outbox_forms.py
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shots import Demo, start_demo


def two_forms_queued(demo: Demo) -> tuple[Any, Path]:
    """The outbox with three scans added, the first two queued under their own forms; (window, their folder)."""
    from PySide6.QtCore import QDate

    from denshi_client.portal.standin.pdfgen import make_pdf

    w = demo.main_window()
    demo.pump(lambda: w.isVisible())
    w.show_tab(w.outbox)
    out = w.outbox
    mine = demo.tmp / "スキャン"
    mine.mkdir()
    files = []
    for name, title in (("scan0001.pdf", "資格喪失届"), ("scan0002.pdf", "資格取得届"), ("scan0003.pdf", "資格取得届")):
        p = mine / name
        p.write_bytes(make_pdf(title, ["被保険者 山田 太郎", "令和8年12月1日"]))
        files.append(p)
    out.add_files(files)
    a = out.assistant
    for form in ("資格喪失届", "資格取得届"):
        a.form.setCurrentText(form)
        a.date.setDate(QDate(2026, 12, 2))
        demo.pump(lambda: out.can_queue())
        out.queue_current()
    return w, mine


def main() -> int:
    from PySide6.QtCore import QDate

    from denshi_client.clock import JST

    demo = start_demo(datetime(2026, 12, 2, 10, 0, tzinfo=JST))
    env, pump = demo.env, demo.pump
    w, _mine = two_forms_queued(demo)
    out = w.outbox
    a = out.assistant
    a.form.setCurrentText("資格取得届")  # the third file under the second one's name: refused, with why
    a.date.setDate(QDate(2026, 12, 2))
    pump(lambda: a.pdf_result.text().startswith(("✔", "✖")) and out.add_reason.text() != "")
    path = demo.save(w, "30-outbox-two-forms.png")
    print("saved", path, w.size().width(), "x", w.size().height())
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
