"""The routine visit's blackout: seconds the VPN was up vs what the work itself needs.

Over the REAL SoftEther lab (tests/vpn/lab.py, needs root) and the stand-in service: a visit with
2 queued forms and 3 new notices for two establishments of one login (`session/visit.py`, the same
runner as `denshi-client visit`). Side by side: SoftEther's own connect time (vpncmd AccountConnect
+ status polls until established, as bench_vpn_connect.py "raw") and the transfer time measured alone
(the same uploads and downloads+filing through the portal client with no VPN step in between).

    flock /tmp/denshi-softether-lab.lock .venv/bin/python benchmarks/bench_visit.py [--runs 3]

Target (issue 13): VPN up <= connect + transfers + 5 s. Writes benchmarks/out/visit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.vpn.lab import SoftEtherLab, lab_available  # noqa: E402

TARGET_SLACK_S = 5.0


def _raw_connect(lab: object, account: str) -> float:
    from denshi_client.vpn.vpncmd import SESSION_ESTABLISHED, SubprocessRunner, Vpncmd, parse_account_status

    vc = Vpncmd("vpncmd", SubprocessRunner(lab.prefix))  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    r = vc.cmd("AccountConnect", account)
    assert r.code == 0, r.text
    while time.perf_counter() - t0 < 30:
        st = vc.cmd("AccountStatusGet", account)
        if st.code == 0 and parse_account_status(st.text).session_status in SESSION_ESTABLISHED:
            took = time.perf_counter() - t0
            vc.cmd("AccountDisconnect", account)
            return took
    raise RuntimeError("raw connect did not establish")


def _transfers_alone(svc: object, work: Path) -> float:
    """The same work with the portal client alone (login outside the timing): upload the queued ZIPs,
    download and file the unread documents."""
    from denshi_client.cli.outbox_cmd import OfflineServices
    from denshi_client.portal.client import HttpPortalClient

    off = OfflineServices()
    items = [i for i in off.transfers.queue.items() if i.kind == "upload"]
    c = HttpPortalClient(svc.base_url)  # type: ignore[attr-defined]
    svc.request_otp("demo")  # type: ignore[attr-defined]
    c.login("demo", svc.latest_otp("demo"))  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    for it in items:
        c.upload(Path(it.zip_path), form_name=it.form_name, establishment=it.establishment, client_id=it.id + "x")
    docs = [d for d in c.inbox() if d.unread]
    for d in docs:
        zp = c.download(d, work / "alone")
        prof = off.session_profile("lab-0123" if d.establishment == "0123" else "lab-0456")
        off.transfers.file_zip(prof, zp, doc=d)
    took = time.perf_counter() - t0
    c.logout()
    c.close()
    off.close()
    return took


def one_run(lab: object, base: Path, i: int) -> dict[str, float]:
    from tests.visit.labvisit import LAB_ACCOUNT, lab_driver, lab_services, setup_home, stdin_like_otp

    from denshi_client.portal.standin.server import StandInService
    from denshi_client.session.visit import VisitRunner

    lab_driver(lab)  # the account exists
    out: dict[str, float] = {}
    # 1. the work alone, in its own home (same data)
    os.environ["DENSHI_CLIENT_HOME"] = str(base / f"alone{i}")
    with StandInService(base / f"alone{i}-standin") as svc:
        setup_home(base / f"alone{i}-work", svc, forms=2, notices=3, pdf_pad=2000)
        out["transfers_alone_s"] = _transfers_alone(svc, base / f"alone{i}-work")
    # 2. SoftEther's own connect
    out["softether_connect_s"] = _raw_connect(lab, LAB_ACCOUNT)
    time.sleep(0.5)
    # 3. the visit
    os.environ["DENSHI_CLIENT_HOME"] = str(base / f"visit{i}")
    with StandInService(base / f"visit{i}-standin") as svc:
        setup_home(base / f"visit{i}-work", svc, forms=2, notices=3, pdf_pad=2000)
        services = lab_services(lab, svc)
        try:
            rep = VisitRunner(services, stdin_like_otp(svc)).run(services.session_profile("lab-0123"))
        finally:
            services.close()
    d = rep.to_dict()
    assert d["outcome"] == "ok" and len(d["sent"]) == 2 and len(d["received"]) == 3, d
    for k in ("vpn_up_seconds", "connect_seconds", "login_seconds", "send_seconds", "fetch_seconds",
              "disconnect_seconds"):
        out[k] = float(d[k] or 0.0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ok, why = lab_available()
    if not ok:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    base = Path(tempfile.mkdtemp(prefix="bench-visit-"))
    os.environ["XDG_DATA_HOME"] = str(base / "xdg")
    keyring.set_keyring(PlaintextKeyring())
    runs = []
    with SoftEtherLab("benchvisit") as lab:
        for i in range(args.runs):
            runs.append(one_run(lab, base, i))
    med = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    budget = med["softether_connect_s"] + med["transfers_alone_s"] + TARGET_SLACK_S
    result = {"runs": runs, "median": med, "budget_s": round(budget, 3),
              "target": "vpn_up <= softether_connect + transfers_alone + 5 s",
              "met": med["vpn_up_seconds"] <= budget}
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "visit.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{'':28}{'median s':>10}")
    for k, v in med.items():
        print(f"{k:28}{v:>10.3f}")
    print(f"budget (connect + transfers + {TARGET_SLACK_S:g} s): {budget:.3f} s -> "
          f"{'MET' if result['met'] else 'NOT MET'}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
