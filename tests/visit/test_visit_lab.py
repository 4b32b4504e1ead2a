"""The routine visit over the REAL SoftEther lab: sends and files per establishment, the VPN down at the end.

Run under `flock /tmp/denshi-softether-lab.lock` (the lab is one shared resource).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require


@pytest.fixture(scope="module")
def lab() -> Iterator[Any]:
    from tests.vpn.lab import SoftEtherLab, lab_available

    ok, why = lab_available()
    require(ok, why)
    with SoftEtherLab("visit") as the_lab:
        yield the_lab


def test_visit_over_the_real_softether_lab(lab: Any, app_home: Path, tmp_path: Path) -> None:
    from denshi_client.portal.standin.server import StandInService
    from denshi_client.session.visit import VisitRunner
    from denshi_client.vpn.model import ConnState
    from tests.visit.labvisit import LAB_ACCOUNT, lab_driver, lab_services, setup_home, stdin_like_otp

    with StandInService(tmp_path / "standin") as svc:
        setup_home(tmp_path / "work", svc, forms=2, notices=3)
        services = lab_services(lab, svc)
        try:
            rep = VisitRunner(services, stdin_like_otp(svc)).run(services.session_profile("lab-0123"))
        finally:
            services.close()
    d = rep.to_dict()
    assert d["outcome"] == "ok", d
    assert sorted(s["establishment"] for s in d["sent"]) == ["0123", "0456"]
    assert sorted((r["establishment"], Path(r["folder"]).parts[-4]) for r in d["received"]) == [
        ("0123", "0123"), ("0123", "0123"), ("0456", "0456")]
    assert d["vpn_down"] is True and d["connect_seconds"] and d["vpn_up_seconds"] >= d["connect_seconds"]
    assert lab_driver(lab).status(LAB_ACCOUNT).state is ConnState.OFFLINE  # a fresh driver, real vpncmd
    assert {u.establishment for u in svc.upload_records()} == {"0123", "0456"}


def test_vpn_status_says_when_and_why_the_last_session_ended(lab: Any, app_home: Path) -> None:
    """The server's session limit (the lab's "cut" user: a short AutoDisconnect), read by a fresh
    `vpn status` process from the SoftEther client log."""
    import json
    import time as _t

    from denshi_client.vpn.softether import SoftEtherDriver
    from denshi_client.vpn.vpncmd import SubprocessRunner
    from tests.vpn.lab import CUT_PW

    drv = SoftEtherDriver("vpncmd", runner=SubprocessRunner(lab.prefix), client_log_dir=lab.client_log_dir)
    if "cut" not in {a.name for a in drv.list_accounts()}:
        drv.import_account(str(lab.cut_vpn_file), "cut")
        drv.set_password("cut", "carol", CUT_PW)
    drv.connect("cut", timeout=20)
    deadline = _t.monotonic() + lab.cut_seconds + 30
    from denshi_client.vpn.model import ConnState

    while _t.monotonic() < deadline and drv.status("cut").state is ConnState.CONNECTED:
        _t.sleep(0.5)
    drv.disconnect("cut")  # the client retries after the cut; stop it (this process's request)
    fresh = SoftEtherDriver("vpncmd", runner=SubprocessRunner(lab.prefix), client_log_dir=lab.client_log_dir)
    from denshi_client.cli.vpn_cmd import _last_end

    end = _last_end(fresh, "cut")  # what `vpn status` prints: a new process knows only the client log
    assert end is not None and end["reason"] == "session_limit" and end["at"], end
    assert json.dumps(end)
