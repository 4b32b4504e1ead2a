"""CLI: `denshi-client outbox add|list|remove` — the send queue, prepared offline.

`add` names each PDF by the fund's rule, checks it, packs it into a password ZIP with the
establishment's ZIP password from the credential store and queues it; `denshi-client visit`
sends the queue. `--demo` works on the demo establishments (their passwords live in the demo's
own keyring), as `visit --demo` does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from denshi_client import i18n
from denshi_client.cli.output import EXIT_OK, add_json_flag, emit
from denshi_client.errors import StoreError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("outbox", help="送信待ち（オフラインで準備） / the send queue, prepared offline")
    add_json_flag(p)
    acts = p.add_subparsers(dest="outbox_action", metavar="ACTION")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        a = acts.add_parser(name, help=help_)
        a.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable JSON output")
        a.add_argument("--demo", action="store_true", help="the demo establishments (demo home and keyring)")
        return a

    a = cmd("add", "name, check and zip PDFs and queue them for the next visit")
    a.add_argument("files", nargs="+", type=Path, metavar="PDF")
    a.add_argument("--form", required=True, help="form name (届書名), e.g. 資格取得届")
    a.add_argument("--date", help="filing date (default: today, Japan time)")
    a.add_argument("--establishment", help="establishment number (default: the active profile)")
    a.add_argument("--strict-forms", action="store_true", help="only the fund's known form names")
    a.set_defaults(handler=_add)
    a = cmd("list", "queued uploads: original and target names, establishment, state")
    a.add_argument("--establishment", help="only this establishment")
    a.set_defaults(handler=_list)
    a = cmd("remove", "take an upload out of the queue (the original file is kept)")
    a.add_argument("item_id", metavar="ID")
    a.set_defaults(handler=_remove)
    p.set_defaults(handler=lambda ns: (p.print_help(), 2)[1])


# ----- the stores, real or demo -----------------------------------------------------------------
@dataclass
class OfflineContext:
    """What the outbox needs without any network: profiles, transfers (queue, ZIP), history."""

    services: Any  # AppServices-like: transfers, history, profile_store, session_profile, profiles_for_ui, settings
    demo: Any = None


def demo_home() -> Path:
    """The demo's home: the current home when DENSHI_CLIENT_HOME names one, else the app's demo folder."""
    env = os.environ.get("DENSHI_CLIENT_HOME")
    if env:
        return Path(env)
    from denshi_client.store.paths import app_paths

    return app_paths().data_dir / "demo"


@contextlib.contextmanager
def offline_context(demo: bool) -> Iterator[OfflineContext]:
    if demo:
        from denshi_client.demo import DemoEnvironment

        env = DemoEnvironment.start(1.0, home=demo_home(), browser_delay_s=0.0)
        try:
            yield OfflineContext(env.services, env)
        finally:
            env.stop()
        return
    services = OfflineServices()
    try:
        yield OfflineContext(services)
    finally:
        services.close()


class OfflineServices:
    """The stores `AppServices` wires, without a VPN driver or a service: the outbox works offline.

    The queue file and work folder are the ones the app's transfers use (services.py), so what is
    queued here is what the app and `visit` send.
    """

    def __init__(self) -> None:
        from denshi_client.clock import SystemClock
        from denshi_client.documents.archive import ZipFormat
        from denshi_client.session.transfers import TransferQueue, Transfers
        from denshi_client.store.history import History
        from denshi_client.store.paths import app_paths
        from denshi_client.store.profiles import ProfileStore
        from denshi_client.store.secrets import SecretStore
        from denshi_client.store.settings import load_effective_settings

        self.settings = load_effective_settings()
        paths = app_paths().ensure()
        self.profile_store = ProfileStore()
        self.history = History()
        self.transfers = Transfers(gate=None, secrets=SecretStore(), history=self.history,
                                   queue=TransferQueue(paths.data_dir / "transfer-queue.json"),
                                   cache_dir=paths.cache_dir, clock=SystemClock(),
                                   zip_format=ZipFormat(self.settings.zip.format),
                                   documents_root=self.settings.folders.documents_root_path())

    def profiles_for_ui(self) -> list[Any]:
        from denshi_client.services import to_session_profile

        return [to_session_profile(p, self.settings) for p in self.profile_store.all()]

    def session_profile(self, profile_id: str) -> Any:
        for p in self.profiles_for_ui():
            if p.id == profile_id:
                return p
        raise StoreError(f"プロファイル「{profile_id}」が見つかりません。", f"Profile “{profile_id}” was not found.",
                         code="profile_not_found")

    def active_profile_id(self) -> str | None:
        return self.profile_store.active_id()

    def close(self) -> None:
        self.history.close()


def resolve_profile(services: Any, establishment: str | None) -> Any:
    """The profile for `--establishment N`, else the active profile."""
    from denshi_client.store.profiles import normalize_establishment

    if establishment:
        est = normalize_establishment(establishment)
        est4 = f"{int(est):04d}"
        matches = [p for p in services.profiles_for_ui() if p.establishment == est4]
        active = services.active_profile_id()
        matches.sort(key=lambda p: p.id != active)
        if not matches:
            raise StoreError(f"事業所番号 {est4} のプロファイルがありません。",
                             f"There is no profile for establishment {est4}.", code="profile_not_found",
                             hint_ja="`denshi-client profile list` で登録済みの事業所をご確認ください。",
                             hint_en="See `denshi-client profile list`.")
        return matches[0]
    active_p = services.profile_store.active()  # StoreError no_profile when there is none
    return services.session_profile(active_p.id)


def _queue(services: Any) -> Any:
    from denshi_client.session.outbox_queue import SendQueue

    return SendQueue(services.transfers, services.history, services.transfers.clock)


# ----- handlers ------------------------------------------------------------------------------------
def _entry_text(e: Any) -> str:
    state = {"ready": i18n.pick("送信待ち", "queued"), "interrupted": i18n.pick("中断（再送します）", "interrupted"),
             "failed": i18n.pick("失敗（再送します）", "failed"),
             "cancelled": i18n.pick("取消（再送します）", "cancelled"),
             "running": i18n.pick("送信中", "sending"), "prepared": i18n.pick("送信準備フォルダーに作成", "prepared")}
    return f"{e.id}  {e.establishment}  {e.original_name} → {e.target_name}  [{state.get(e.state, e.state)}]"


def _add(ns: argparse.Namespace) -> int:
    from denshi_client.clock import JST
    from denshi_client.session.outbox_queue import OutboxEntry

    with offline_context(ns.demo) as ctx:
        svc = ctx.services
        profile = resolve_profile(svc, ns.establishment)
        when = ns.date or svc.transfers.clock.now().astimezone(JST).date()
        items = _queue(svc).add(profile, ns.files, form_name=ns.form, filing_date=when,
                                strict_forms=ns.strict_forms)
        entries = [OutboxEntry.of(i) for i in items]
    lines = [_entry_text(e) for e in entries]
    emit({"ok": True, "items": [e.to_dict() for e in entries]}, ns.json,
         i18n.pick(f"{len(entries)}件を送信待ちに追加しました。次回の接続で送信します。",
                   f"Queued {len(entries)} file(s); they are sent on the next visit.") + "\n" + "\n".join(lines))
    return EXIT_OK


def _list(ns: argparse.Namespace) -> int:
    with offline_context(ns.demo) as ctx:
        svc = ctx.services
        ids = None
        if ns.establishment:
            p = resolve_profile(svc, ns.establishment)
            ids = [q.id for q in svc.profiles_for_ui() if q.establishment == p.establishment]
        entries = _queue(svc).entries(ids)
    emit({"ok": True, "items": [e.to_dict() for e in entries]}, ns.json,
         "\n".join(_entry_text(e) for e in entries)
         or i18n.pick("送信待ちはありません。", "The send queue is empty."))
    return EXIT_OK


def _remove(ns: argparse.Namespace) -> int:
    from denshi_client.session.outbox_queue import OutboxEntry

    with offline_context(ns.demo) as ctx:
        item = _queue(ctx.services).remove(ns.item_id)
    e = OutboxEntry.of(item)
    emit({"ok": True, "removed": e.to_dict()}, ns.json,
         i18n.pick(f"送信待ちから取り消しました：{e.target_name}（元のファイル {e.original_name} はそのままです）",
                   f"Removed from the queue: {e.target_name} (the original {e.original_name} is kept)"))
    return EXIT_OK
