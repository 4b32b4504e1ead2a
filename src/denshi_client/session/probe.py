"""After the disconnect: is normal internet back?

Why a probe: the user's real worry after a visit is "does my e-mail work again".
A HEAD request to the public OTP-request page (reachable only outside the VPN)
answers it. Any HTTP answer counts, even 404/405: the network is what is tested.
Short time-outs and a fixed number of tries, so the end of a session never hangs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import httpx

from denshi_client.session.model import ProbeResult

log = logging.getLogger(__name__)


def http_probe(url: str, *, timeout_s: float = 3.0, attempts: int = 3, pause_s: float = 1.0,
               verify: bool | str = True, stop: threading.Event | None = None) -> ProbeResult:
    """HEAD `url` up to `attempts` times; worst case about attempts × (timeout + pause) seconds."""
    if not url:
        return ProbeResult(False, "no probe URL configured", 0.0, url)
    t0 = time.monotonic()
    detail = ""
    for i in range(max(1, attempts)):
        try:
            with httpx.Client(timeout=timeout_s, verify=verify, follow_redirects=False, trust_env=False) as c:
                r = c.head(url)
            return ProbeResult(True, f"HTTP {r.status_code}", time.monotonic() - t0, url)
        except httpx.HTTPError as e:
            detail = type(e).__name__
            log.info("internet probe %d/%d failed: %s", i + 1, attempts, detail)
        if i + 1 < attempts:
            waiter = stop or threading.Event()
            if waiter.wait(pause_s):  # the routes settle a moment after a VPN disconnect
                break
    return ProbeResult(False, detail, time.monotonic() - t0, url)


def make_probe(url: str, *, timeout_s: float = 3.0, attempts: int = 3, pause_s: float = 1.0,
               verify: bool | str = True) -> Callable[[], ProbeResult]:
    def probe() -> ProbeResult:
        return http_probe(url, timeout_s=timeout_s, attempts=attempts, pause_s=pause_s, verify=verify)

    return probe
