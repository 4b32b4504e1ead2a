"""Which driver the app, the CLI and demo mode get.

`DENSHI_VPN_DRIVER=standin` (or `demo=True`) gives the in-process stand-in, whose
accounts and sessions live in `<data_dir>/vpn-standin.json` so that separate CLI
runs see the same state. Anything else gives the real SoftEther driver.
"""

from __future__ import annotations

import os
from pathlib import Path

from denshi_client.clock import Clock, SystemClock
from denshi_client.vpn.model import VpnDriver

ENV_DRIVER = "DENSHI_VPN_DRIVER"


def demo_requested() -> bool:
    return os.environ.get(ENV_DRIVER, "").strip().lower() in ("standin", "stand-in", "demo")


def standin_state_file() -> Path:
    from denshi_client.store.paths import app_paths

    return app_paths().data_dir / "vpn-standin.json"


def make_driver(*, demo: bool | None = None, vpncmd_path: str | None = None, clock: Clock | None = None,
                session_limit_s: float = 5400, connect_delay_s: float = 0.3,
                configured_vpncmd: str | None = None) -> VpnDriver:
    """`vpncmd_path`: an explicit path (wrong = an error); `configured_vpncmd`: `[vpn] vpncmd_path`
    from the caller's settings (wrong = keep looking)."""
    clock = clock or SystemClock()
    if demo or (demo is None and demo_requested()):
        from denshi_client.vpn.standin import StandInVpnDriver

        return StandInVpnDriver(clock, session_limit_s, connect_delay_s, state_file=standin_state_file())
    from denshi_client.vpn.softether import SoftEtherDriver

    return SoftEtherDriver(vpncmd_path, clock=clock, configured_vpncmd=configured_vpncmd)
