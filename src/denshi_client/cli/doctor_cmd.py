"""CLI: `denshi-client doctor [--json] [--bundle OUT.zip] [--demo]` — diagnostics and the support bundle.

Exit code 1 when any check failed (warnings do not count), so IT scripts can act on it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from denshi_client import i18n
from denshi_client.cli.output import EXIT_INVALID, EXIT_OK, add_json_flag, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="diagnostics for this PC; support bundle",
                       description="Check vpncmd, the VPN Client service, adapter, accounts, the policy file, "
                       "service reachability, clock, disk space, the credential store and the embedded page's engine "
                       "(Chromium 106+). Exit 1 if any failed.")
    p.add_argument("--bundle", type=Path, metavar="OUT.zip",
                   help="also write a support bundle (logs, versions, redacted configuration, these results)")
    p.add_argument("--demo", action="store_true", help="check against the stand-in VPN (demo mode)")
    p.add_argument("--only", action="append", metavar="CHECK",
                   help="run only this check (repeatable): vpncmd, vpn_service, vpn_adapter, vpn_accounts, "
                   "policy, reachability, clock, disk, keyring, webengine")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _run(ns: argparse.Namespace) -> int:
    from denshi_client.diagnostics.doctor import DoctorContext, any_failed, format_text, run_checks, to_json
    from denshi_client.vpn.factory import demo_requested

    ctx = DoctorContext(demo=bool(ns.demo) or demo_requested())
    results = run_checks(ctx, only=ns.only)
    data = to_json(results)
    text = format_text(results)
    if ns.bundle:
        from denshi_client.diagnostics.bundle import build_bundle

        out = build_bundle(ns.bundle, ctx=ctx, results=results)
        data["bundle"] = str(out)
        text += i18n.pick(f"サポート用情報を保存しました: {out}\n", f"Support bundle written: {out}\n")
    emit(data, ns.json, text)
    return EXIT_INVALID if any_failed(results) else EXIT_OK
