"""CLI: `denshi-client sandbox` — run the stand-in fund service alone (IT trials, scripts, tests).

`sandbox [--port N] [--data DIR] [--tls] [--ignore-hours]` serves until Ctrl+C / SIGTERM and prints one
line (JSON with --json) with the base URL, so a script can start it and read where it listens.
`sandbox otp --user ID [--data DIR]` prints the newest OTP from the sandbox's outbox (.eml).
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from denshi_client.cli.output import EXIT_INVALID, EXIT_OK, add_json_flag, emit
from denshi_client.errors import ValidationError

DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sandbox", help="run the stand-in fund service on 127.0.0.1 (demo/tests)",
                       description="スタンドイン（模擬）電子連携サービスを 127.0.0.1 で起動します。")
    add_json_flag(p)
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT}; 0 = any free)")
    p.add_argument("--data", type=Path, help="data folder (default: <app data>/sandbox)")
    p.add_argument("--tls", action="store_true", help="HTTPS with a generated test CA (path printed)")
    p.add_argument("--ignore-hours", action="store_true", help="do not enforce service hours (demo)")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    p.set_defaults(handler=_serve)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    o = actions.add_parser("otp", help="print the newest OTP e-mailed by the sandbox")
    o.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable JSON output")
    o.add_argument("--user", required=True, help="user id")
    o.add_argument("--data", type=Path, help="sandbox data folder")
    o.set_defaults(handler=_otp)


def _data_dir(ns: argparse.Namespace) -> Path:
    if ns.data:
        return Path(ns.data)
    from denshi_client.store.paths import app_paths

    return app_paths().data_dir / "sandbox"


def _serve(ns: argparse.Namespace) -> int:
    from denshi_client.portal.standin import DEMO_ZIP_PASSWORDS, USERS, StandInService

    if not 0 <= ns.port <= 65535:
        raise ValidationError("ポート番号は 0～65535 で指定してください。", "The port must be 0-65535.")
    logging.basicConfig(level=logging.DEBUG if ns.verbose else logging.INFO, format="%(asctime)s %(message)s")
    svc = StandInService(_data_dir(ns), port=ns.port, tls=ns.tls, enforce_hours=not ns.ignore_hours)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        base = svc.start()
    except OSError as e:
        raise ValidationError(f"ポート {ns.port} で待ち受けできませんでした（{e.strerror}）。",
                              f"Could not listen on port {ns.port} ({e.strerror}).", code="port_in_use") from None
    info: dict[str, Any] = {
        "base_url": base, "port": svc.port, "data_dir": str(svc.data_dir), "outbox": str(svc.outbox),
        "ca_bundle": str(svc.ca_bundle) if svc.ca_bundle else None, "enforce_hours": svc.enforce_hours,
        "users": {u.user_id: list(u.establishments) for u in USERS.values()},
        "zip_passwords": DEMO_ZIP_PASSWORDS,  # demo data only; documented in docs/protocol.md
    }
    text = f"stand-in service: {base}\n  outbox: {svc.outbox}"
    if svc.ca_bundle:
        text += f"\n  CA: {svc.ca_bundle}"
    emit(info, ns.json, text)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        svc.stop()
    return EXIT_OK


def _otp(ns: argparse.Namespace) -> int:
    from denshi_client.portal.standin.mail import latest_otp_mail, read_otp

    path = latest_otp_mail(_data_dir(ns) / "outbox", ns.user)
    if path is None:
        emit({"ok": False, "otp": None}, ns.json, "no OTP mail found")
        return EXIT_INVALID
    otp = read_otp(path)
    emit({"ok": True, "otp": otp, "mail": str(path)}, ns.json, otp)
    return EXIT_OK
