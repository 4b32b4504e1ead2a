"""History screenshot at 1366x768 (issue 14, item 9): a received row chosen, with ファイルを開く /
フォルダーを開く / 印刷 for its filed PDF.

    python3 dev.py xrun .venv/bin/python docs/screenshots/shot_history_open_print.py
"""

from __future__ import annotations

from datetime import datetime

from shots import start_demo


def main() -> int:
    from denshi_client.clock import JST

    demo = start_demo(datetime(2024, 5, 24, 10, 0, tzinfo=JST))
    env, pump = demo.env, demo.pump
    w = demo.main_window()
    w.after_shown()
    pump(lambda: w.isVisible(), what="window")
    demo.connect(w)
    inbox = w.inbox
    pump(lambda: inbox.download_new_button.isEnabled(), what="inbox listed")
    inbox.download_new()
    pump(lambda: inbox.filed.count() > 0 and inbox.cancel_token is None, what="downloaded")
    hist = w.history
    w.show_tab(hist)
    hist.refresh()
    pump(lambda: any(r.direction == "receive" for r in hist.records), what="history")
    row = next(i for i, r in enumerate(hist.records) if r.direction == "receive" and r.result == "ok")
    hist.table.selectRow(row)
    pump(lambda: hist.open_file_button.isEnabled(), what="buttons")
    path = demo.save(w, "42-history-open-print.png")
    print("saved", path, w.size().width(), "x", w.size().height())
    env.services.machine.end()
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
