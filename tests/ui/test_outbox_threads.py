"""The outbox's rows belong to the GUI thread: a worker packs and sends, the GUI thread records.

A row that notes the thread of every write goes through a real upload (stand-in service, real
ZIP); before the fix the worker itself set `item.prepared`.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from denshi_client.session.transfers import QueueItem
from denshi_client.ui.outbox_view import UploadItem, UploadStatus
from tests.ui.conftest import World, connect


class _Watched(UploadItem):
    writers: list[tuple[str, str]]

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "writers":
            self.__dict__.setdefault("writers", []).append((name, threading.current_thread().name))
        super().__setattr__(name, value)


def test_workers_return_results_and_the_gui_thread_applies_them(qtbot: Any, window: Any, world: World) -> None:
    w = window
    connect(qtbot, w, world)
    out = w.outbox
    gui = threading.current_thread().name
    item = _Watched(source=world.pdf("取得届.pdf"), name="20240524_0123_資格取得届.pdf", form="資格取得届",
                    establishment="0123", filing_date=date(2024, 5, 24))
    out.items.append(item)
    out.send_waiting()
    qtbot.waitUntil(lambda: item.status not in (UploadStatus.WAITING, UploadStatus.SENDING), timeout=20000)
    assert item.status is UploadStatus.DONE and item.receipt is not None, (item.status, item.error)
    assert isinstance(item.prepared, QueueItem) and item.prepared.kind == "upload"
    assert ("prepared", gui) in item.writers
    assert {t for _, t in item.writers} == {gui}, item.writers
