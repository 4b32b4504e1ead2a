"""The inbox's saved/unsaved column and the offline ZIP-password dialog (issue 14, items 5 and 6).

    python3 dev.py xrun .venv/bin/python docs/screenshots/make_inbox_shots.py   # 1366x768 Xvfb

The real app in demo mode, on a fake clock (same pictures every run). Writes
40-inbox-new-only.png and 41-zip-password-offline.png beside this file.
"""

from __future__ import annotations

from datetime import datetime

from shots import start_demo


def main() -> int:
    from denshi_client.clock import JST
    from denshi_client.session import Phase
    from denshi_client.store.secrets import ZIP_PASSWORD
    from denshi_client.ui.bootstrap import _pending_found

    demo = start_demo(datetime(2024, 5, 24, 10, 0, tzinfo=JST))
    env, pump = demo.env, demo.pump
    from denshi_client.store.settings import set_user_value

    for key in ("visit.send_queue", "visit.fetch_new"):  # these pictures show the inbox by hand, not the visit
        set_user_value(key, False)

    def shot(widget: object, name: str) -> None:
        pump(lambda: True)
        print("saved", demo.save(widget, f"{name}.png").name)

    w = demo.main_window()
    bridge = w.bridge
    w.after_shown()
    pump(lambda: w.isVisible(), what="window")
    demo.connect(w)
    pump(lambda: w.inbox.table.rowCount() > 0, what="inbox listed")
    inbox = w.inbox
    profile = bridge.active_profile()
    assert profile is not None
    secrets = env.services.transfers.secrets
    right = secrets.require(profile.id, ZIP_PASSWORD)
    mine = [d for d in inbox.docs if d.establishment == profile.establishment]
    env.services.transfers.download(profile, mine[:2])  # two saved earlier
    secrets.set(profile.id, ZIP_PASSWORD, "a-wrong-password")  # then the fund changed it
    got: list[object] = []
    inbox.downloaded.connect(got.append)
    inbox.refresh()
    pump(lambda: "未保存" in inbox.summary.text() and inbox.download_new_button.isEnabled(), what="saved column")
    inbox.table.selectRow(next(r for r in range(inbox.table.rowCount())  # one of ours not saved: it is held
                               if inbox.table.item(r, 3).text() == profile.establishment
                               and inbox.table.item(r, 6).text() == "未保存"))
    inbox.download_selected()
    pump(lambda: inbox.held_panel.isVisible(), what="held")
    secrets.set(profile.id, ZIP_PASSWORD, right)
    inbox.refresh()
    pump(lambda: inbox.download_new_button.isEnabled(), what="relisted")
    shot(w, "40-inbox-new-only")

    env.services.machine.end()
    pump(lambda: env.services.machine.phase is Phase.ENDED, what="ended")
    _pending_found(w, bridge.pending_transfers())
    inbox.open_held_selected()
    pd = inbox.password_dialog
    assert pd is not None
    pump(lambda: pd.isVisible(), what="dialog")
    pd.password.setText("x" * 12)
    pd.remember.setChecked(True)
    shot(w, "41-zip-password-offline-main")
    shot(pd, "41-zip-password-offline")
    env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
