"""OTP from the mailbox: time from a mail's arrival (rename into Maildir new/) to the code returned.

Against the private Dovecot of the tests (tests/mail/dovecot.py), over IMAPS and POP3S:

- IMAP IDLE: arrival -> code (target < 1 s);
- IMAP polling and POP3 polling with --poll-s: arrival -> code (target: within one poll interval + one poll);
- the cost of one poll: a fresh login + search (+ logout), and a search on an open IMAP connection.

The mailbox holds --background older mails (a week old) so a search has something to skip.

    .venv/bin/python benchmarks/bench_otp_mail.py [--runs 10] [--poll-s 2] [--background 200]

Writes benchmarks/out/otp_mail.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.mail.dovecot import PASSWORD, USER, Dovecot, dovecot_binary  # noqa: E402
from tests.mail.mails import FUND, make_mail  # noqa: E402

from denshi_client.mail.imap import ImapSource  # noqa: E402
from denshi_client.mail.otp import wait_for_otp  # noqa: E402
from denshi_client.mail.pop3 import Pop3Source  # noqa: E402
from denshi_client.mail.recognise import OtpRule  # noqa: E402
from denshi_client.mail.source import MailAccount  # noqa: E402

RULE = OtpRule.from_settings(FUND, "ワンタイムパスワード")


def _acct(d: Dovecot, protocol: str) -> MailAccount:
    port = d.imaps_port if protocol == "imap" else d.pop3s_port
    return MailAccount(protocol, "127.0.0.1", USER, port=port, security="ssl", ca_bundle=str(d.ca_cert))


def _stats(xs: list[float]) -> dict[str, float]:
    s = sorted(xs)
    return {"n": len(s), "median_ms": round(statistics.median(s) * 1000, 1), "max_ms": round(s[-1] * 1000, 1),
            "min_ms": round(s[0] * 1000, 1), "p90_ms": round(s[min(len(s) - 1, int(0.9 * len(s)))] * 1000, 1)}


def arrival_to_code(d: Dovecot, make_source, runs: int, settle: float, jitter: float) -> list[float]:
    """Start the waiter, let it settle (IDLE running / between polls), deliver, time until the code is back."""
    out = []
    for i in range(runs):
        code = f"{random.randint(0, 999999):06d}"
        time.sleep(1.05)  # arrival times have whole seconds: keep the previous run's mail out of this window
        since = datetime.now(UTC)
        result: dict[str, object] = {}

        def waiter(src=make_source(), since=since, result=result) -> None:  # noqa: B008
            hit = wait_for_otp(src, RULE, since, 120.0)
            result["t"] = time.perf_counter()
            result["otp"] = hit.otp

        t = threading.Thread(target=waiter)
        t.start()
        time.sleep(settle + random.uniform(0, jitter))  # polling: arrive at a random phase of the interval
        t0 = time.perf_counter()
        d.deliver(make_mail(code, date=datetime.now(UTC)))
        t.join(150)
        assert result.get("otp") == code, (i, result)
        out.append(float(result["t"]) - t0)  # type: ignore[arg-type]
    return out


def poll_cost(d: Dovecot, protocol: str, runs: int) -> list[float]:
    since = datetime.now(UTC) - timedelta(minutes=5)
    out = []
    for _ in range(runs):
        src = ImapSource(_acct(d, "imap"), PASSWORD) if protocol == "imap" else Pop3Source(_acct(d, "pop3"), PASSWORD)
        t0 = time.perf_counter()
        src.connect()
        src.fetch_since(since)
        src.close()
        out.append(time.perf_counter() - t0)
    return out


def search_on_open_connection(d: Dovecot, runs: int) -> list[float]:
    src = ImapSource(_acct(d, "imap"), PASSWORD, use_idle=False, poll_seconds=0)
    src.connect()
    since = datetime.now(UTC) - timedelta(minutes=5)
    out = []
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            src.wait(0)  # NOOP
            src.fetch_since(since)
            out.append(time.perf_counter() - t0)
    finally:
        src.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--poll-s", type=float, default=2.0)
    ap.add_argument("--background", type=int, default=200)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "otp_mail.json")
    ns = ap.parse_args(argv)
    binary = dovecot_binary()
    if binary is None:
        print("dovecot is not installed", file=sys.stderr)
        return 2
    d = Dovecot.start(binary)
    try:
        week_ago = datetime.now(UTC) - timedelta(days=7)
        for i in range(ns.background):
            d.deliver(make_mail(f"{i:06d}", date=week_ago), arrived=week_ago + timedelta(seconds=i))
        idle = arrival_to_code(d, lambda: ImapSource(_acct(d, "imap"), PASSWORD, poll_seconds=60.0), ns.runs,
                               settle=0.7, jitter=0.3)
        poll_runs = max(3, ns.runs // 2)
        imap_poll = arrival_to_code(
            d, lambda: ImapSource(_acct(d, "imap"), PASSWORD, poll_seconds=ns.poll_s, use_idle=False), poll_runs,
            settle=0.7, jitter=ns.poll_s)
        pop3_poll = arrival_to_code(d, lambda: Pop3Source(_acct(d, "pop3"), PASSWORD, poll_seconds=ns.poll_s),
                                    poll_runs, settle=0.7, jitter=ns.poll_s)
        cost_imap = poll_cost(d, "imap", ns.runs * 2)
        cost_pop3 = poll_cost(d, "pop3", ns.runs * 2)
        search_open = search_on_open_connection(d, ns.runs * 2)
    finally:
        d.stop()
    data = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "background_mails": ns.background, "poll_s": ns.poll_s,
        "imap_idle_arrival_to_code": _stats(idle),
        "imap_poll_arrival_to_code": _stats(imap_poll),
        "pop3_poll_arrival_to_code": _stats(pop3_poll),
        "imap_login_search_logout": _stats(cost_imap),
        "pop3_login_uidl_top_quit": _stats(cost_pop3),
        "imap_noop_search_open_connection": _stats(search_open),
        "targets": {"idle_below_1s": max(idle) < 1.0,
                    "imap_poll_within_interval": max(imap_poll) <= ns.poll_s + max(cost_imap),
                    "pop3_poll_within_interval": max(pop3_poll) <= ns.poll_s + max(cost_pop3)},
    }
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    ns.out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
