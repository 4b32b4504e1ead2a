"""CLI: `denshi-client visit` — the routine visit, headless, with a report.

hours → OTP → VPN → login → send the queue → fetch and file new notices (every establishment
the login sees) → logout → disconnect → internet back. The OTP comes from standard input
(`--otp-stdin`: the prompt goes to stderr once it has been requested), from the configured
mailbox, or in demo mode from the demo's mailbox.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from denshi_client import i18n
from denshi_client.cli.output import EXIT_OK, add_json_flag, emit
from denshi_client.errors import DenshiError, ValidationError

EXIT_PARTIAL = 11  # connected and ended cleanly, but some sends/receives failed (listed in the report)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("visit", help="接続して送受信し、切断する / the routine visit, headless")
    add_json_flag(p)
    p.add_argument("--demo", action="store_true", help="against the embedded stand-in service and stand-in VPN")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--establishment", help="log in with this establishment's profile (default: the active one)")
    who.add_argument("--all", action="store_true", help="one visit per login of every direct-mode profile")
    p.add_argument("--otp-stdin", action="store_true", help="read the one-time password from standard input")
    p.set_defaults(handler=_visit)


@contextlib.contextmanager
def _services(demo: bool) -> Iterator[tuple[Any, Any]]:
    if demo:
        from denshi_client.cli.outbox_cmd import demo_home
        from denshi_client.demo import DemoEnvironment

        env = DemoEnvironment.start(1.0, home=demo_home(), browser_delay_s=0.0)
        try:
            yield env.services, env
        finally:
            with contextlib.suppress(Exception):
                env.services.machine.end()
            env.stop()
        return
    from denshi_client.services import AppServices

    services = AppServices.from_settings()
    try:
        yield services, None
    finally:
        with contextlib.suppress(Exception):
            services.machine.end()
        services.close()


def _otp_provider(ns: argparse.Namespace, services: Any, env: Any) -> Any:
    """Chosen before anything starts: no way to read an OTP is a refusal before it is requested."""
    from denshi_client.redact import register_secret

    if ns.otp_stdin:
        def from_stdin(profile: Any, requested_at: datetime) -> str:
            sys.stderr.write(i18n.pick(
                f"ワンタイムパスワードを依頼しました（{profile.user_id}）。メールに届いたコードを入力してください: ",
                f"One-time password requested ({profile.user_id}). Type the code from the e-mail: ") + "\n")
            sys.stderr.flush()
            otp = sys.stdin.readline().strip()
            register_secret(otp)
            return otp
        return from_stdin
    from denshi_client.mail.otp import wait_for_otp

    if env is not None:
        def from_demo_mail(profile: Any, requested_at: datetime) -> str:
            hit = wait_for_otp(env.mail_source(), env.otp_rule(), requested_at - timedelta(seconds=2), 60.0)
            return hit.otp
        return from_demo_mail
    eff = services.settings
    if eff.mail.protocol != "none":
        from denshi_client.mail.account import configured_source, rule_from_settings

        def from_mail(profile: Any, requested_at: datetime) -> str:
            return wait_for_otp(configured_source(eff), rule_from_settings(eff), requested_at - timedelta(seconds=2),
                                float(eff.otp_mail.timeout_seconds)).otp
        return from_mail
    raise ValidationError(
        "ワンタイムパスワードの受け取り方が決まっていません。接続は開始していません。",
        "There is no way to receive the one-time password. Nothing was started.", code="no_otp_source",
        hint_ja="--otp-stdin を付けて実行するか、`denshi-client mail setup` でメールの受信を設定してください。",
        hint_en="Run with --otp-stdin, or set up the mailbox with `denshi-client mail setup`.")


def _logins(ns: argparse.Namespace, services: Any) -> list[Any]:
    from denshi_client.cli.outbox_cmd import resolve_profile
    from denshi_client.session.model import SessionMode

    if not ns.all:
        return [resolve_profile(services, ns.establishment)]
    seen: set[tuple[str, str]] = set()
    out = []
    for p in services.profiles_for_ui():
        key = (p.user_id, p.vpn_account)
        if p.mode is SessionMode.DIRECT and key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _text(rep: dict[str, Any]) -> str:
    lines = [i18n.pick(f"事業所 {rep['establishment']}（{rep['user_id']}）: {rep['outcome']}",
                       f"Establishment {rep['establishment']} ({rep['user_id']}): {rep['outcome']}")]
    for s in rep["sent"]:
        lines.append(i18n.pick(f"  送信 {s['original_name']} → {s['target_name']}（{s['establishment']}、受付番号 "
                               f"{s['receipt']}）", f"  sent {s['original_name']} → {s['target_name']} "
                               f"({s['establishment']}, receipt {s['receipt']})"))
    for r in rep["received"]:
        lines.append(i18n.pick(f"  受信 {r['title']}（{r['establishment']}）→ {r['folder']}",
                               f"  received {r['title']} ({r['establishment']}) → {r['folder']}"))
    for pr in rep["problems"]:
        lines.append(f"  ! {pr['step']}: {pr['message_ja'] if i18n.language() == 'ja' else pr['message_en']}")
    if rep["error"]:
        e = rep["error"]
        lines.append(f"  ! {e['message_ja'] if i18n.language() == 'ja' else e['message_en']}")
    if rep["vpn_up_seconds"] is not None:
        up = rep["vpn_up_seconds"]
        down_ja = "確認済み" if rep["vpn_down"] else "未確認"
        down_en = "confirmed" if rep["vpn_down"] else "NOT confirmed"
        lines.append(i18n.pick(f"  VPN接続時間 {up:.1f} 秒、切断: {down_ja}", f"  VPN up {up:.1f} s, down: {down_en}"))
    return "\n".join(lines)


def _visit(ns: argparse.Namespace) -> int:
    from denshi_client.session.visit import VisitOptions, VisitRunner

    with _services(ns.demo) as (services, env):
        provider = _otp_provider(ns, services, env)
        v = getattr(services.settings, "visit", None)
        options = VisitOptions(send_queue=bool(getattr(v, "send_queue", True)),
                               fetch_new=bool(getattr(v, "fetch_new", True)))
        runner = VisitRunner(services, provider, options=options)
        reports = []
        errors: list[DenshiError] = []
        for profile in _logins(ns, services):
            rep = runner.run(profile)
            reports.append(rep.to_dict())
            if rep.error is not None:
                errors.append(rep.error)
            if rep.vpn_down is False:
                break  # never start another VPN while one may still be up
    outcomes = [r["outcome"] for r in reports]
    overall = ("ok" if all(o == "ok" for o in outcomes) and outcomes else
               "partial" if all(o in ("ok", "partial") for o in outcomes) and outcomes else
               "refused" if outcomes and all(o == "refused" for o in outcomes) else "failed")
    up = [r["vpn_up_seconds"] for r in reports if r["vpn_up_seconds"] is not None]
    data = {"ok": overall == "ok", "outcome": overall, "demo": bool(ns.demo),
            "vpn_up_seconds": round(sum(up), 3) if up else None,
            "vpn_down": all(r["vpn_down"] is not False for r in reports),
            "sent": [s for r in reports for s in r["sent"]],
            "received": [x for r in reports for x in r["received"]],
            "visits": reports}
    if not ns.json:
        text = "\n".join(_text(r) for r in reports) or i18n.pick("直接モードの事業所がありません。",
                                                               "No direct-mode establishment to visit.")
        emit(None, False, text)
        for e in errors:
            if e.hint():
                sys.stderr.write(f"{i18n.pick('対処', 'Hint')}: {e.hint()}\n")
    else:
        emit(data, True)
    if overall == "ok":
        return EXIT_OK
    if errors:
        return errors[0].exit_code
    if not data["vpn_down"]:
        return 6
    return EXIT_PARTIAL
