"""`denshi-client visit --demo --otp-stdin --json`: 2 queued forms, 3 new notices for two establishments of
one login; each filed under its own establishment, each send recorded with its own, the VPN down at the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from denshi_client.documents.archive import ZipFormat, pack
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.portal.standin.pdfgen import make_pdf
from tests.conftest import run_cli


def _pdf(folder: Path, name: str, title: str) -> Path:
    p = folder / name
    p.write_bytes(make_pdf(title, [title, "見本"]))
    return p


def _seed_new_notices(home: Path, tmp: Path) -> None:
    """The stand-in's seeded inbox is read; three new notices arrive: two for 0123, one for 0456."""
    from denshi_client.portal.standin.server import StandInService

    svc = StandInService(home / "standin")
    svc.start()
    try:
        for rec in svc.documents():
            svc.mark_read(rec)
        for i, (est, title) in enumerate([("0123", "決定通知書A"), ("0123", "掛金計算書B"), ("0456", "納入告知書C")]):
            pdf = _pdf(tmp, f"n{i}.pdf", title)
            z = tmp / f"20261202_{est}_{title}.zip"
            pack([pdf], z, DEMO_ZIP_PASSWORDS[est], fmt=ZipFormat.AES256, arcnames=[f"{title}.pdf"])
            svc.add_document(z, establishment=est, doc_type="決定通知書", title=title)
    finally:
        svc.stop()


def _latest_otp(home: Path, user: str) -> str:
    from denshi_client.portal.standin import mail

    otp = mail.latest_otp(home / "standin" / "outbox", user)
    assert otp
    return otp


def _visit_with_stdin_otp(home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Type the OTP once the visit asks for it, as a person reading the demo's mail would."""
    proc = subprocess.Popen([sys.executable, "-m", "denshi_client", "visit", "--demo", "--otp-stdin", "--json",
                             *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=dict(os.environ))
    assert proc.stderr is not None and proc.stdin is not None
    prompt = proc.stderr.readline()
    assert "ワンタイムパスワード" in prompt, prompt
    proc.stdin.write(_latest_otp(home, "demo") + "\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, prompt + err)


def test_visit_demo_sends_and_files_per_establishment(app_home: Path, tmp_path: Path) -> None:
    # the demo establishments are created in this home by the first demo command
    a = _pdf(tmp_path, "取得 スキャン.pdf", "資格取得届")
    b = _pdf(tmp_path, "喪失 スキャン.pdf", "資格喪失届")
    r = run_cli("outbox", "add", "--demo", str(a), "--form", "資格取得届", "--date", "2026-12-02",
                "--establishment", "0123")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_cli("outbox", "add", "--demo", str(b), "--form", "資格喪失届", "--date", "2026-12-02",
                "--establishment", "0456")
    assert r.returncode == 0, r.stdout + r.stderr
    _seed_new_notices(app_home, tmp_path)

    t0 = time.monotonic()
    r = _visit_with_stdin_otp(app_home)
    assert r.returncode == 0, r.stdout + r.stderr
    rep = json.loads(r.stdout)
    assert rep["ok"] and rep["outcome"] == "ok"
    assert sorted((s["establishment"], s["original_name"], s["target_name"]) for s in rep["sent"]) == [
        ("0123", "取得 スキャン.pdf", "20261202_0123_資格取得届.pdf"),
        ("0456", "喪失 スキャン.pdf", "20261202_0456_資格喪失届.pdf")]
    assert all(s["receipt"] for s in rep["sent"])
    got = sorted((x["establishment"], x["title"]) for x in rep["received"])
    assert got == [("0123", "掛金計算書B"), ("0123", "決定通知書A"), ("0456", "納入告知書C")]
    for x in rep["received"]:
        folder = Path(x["folder"])
        assert folder.parts[-4] == x["establishment"], folder  # <root>/<est>/受信/<YYYY>/<YYYYMM>
        assert [Path(f).name for f in x["files"]] == [f"{x['title']}.pdf"]
        assert all(Path(f).read_bytes().startswith(b"%PDF") for f in x["files"])
    visit = rep["visits"][0]
    assert visit["vpn_down"] is True and rep["vpn_down"] is True
    assert 0 < rep["vpn_up_seconds"] < time.monotonic() - t0
    assert visit["steps"]["send"] == "ok" and visit["steps"]["fetch"] == "ok"
    assert visit["steps"]["disconnect"] == "ok"

    # the demo's VPN (its state file in this home) is offline, as a fresh driver reads it
    from denshi_client.clock import SystemClock
    from denshi_client.vpn.model import ConnState
    from denshi_client.vpn.standin import StandInVpnDriver

    drv = StandInVpnDriver(SystemClock(), 5400, state_file=app_home / "vpn-standin.json")
    assert drv.status("denshi-demo-0123").state is ConnState.OFFLINE
    # history: each send with its own establishment, the original name beside the target name
    r = run_cli("history", "list", "--direction", "send", "--json")
    rows = json.loads(r.stdout)
    rows = rows["records"] if isinstance(rows, dict) else rows
    sends = sorted((h["establishment"], h["original_name"], h["file_name"], h["result"]) for h in rows)
    assert sends == [("0123", "取得 スキャン.pdf", "20261202_0123_資格取得届.pdf", "ok"),
                     ("0456", "喪失 スキャン.pdf", "20261202_0456_資格喪失届.pdf", "ok")]
    # the queue is empty; nothing new is left: a second visit sends and receives nothing
    assert json.loads(run_cli("outbox", "list", "--demo", "--json").stdout)["items"] == []
    r = _visit_with_stdin_otp(app_home)
    rep2 = json.loads(r.stdout)
    assert r.returncode == 0 and rep2["sent"] == [] and rep2["received"] == []


def test_wrong_shaped_otp_never_starts_the_vpn(app_home: Path) -> None:
    r = run_cli("visit", "--demo", "--otp-stdin", "--json", input="12-34\n")
    assert r.returncode == 1, r.stdout + r.stderr
    rep = json.loads(r.stdout)
    v = rep["visits"][0]
    assert v["error"]["code"] == "otp_format" and v["vpn_started"] is False and v["vpn_up_seconds"] is None
    assert v["steps"]["vpn"] == "skipped" and v["steps"]["checks"] == "ok"




def test_a_refused_otp_ends_the_headless_visit_with_the_vpn_down(app_home: Path) -> None:
    """Headless there is no one to ask again: the VPN kept up for a retype is dropped at once."""
    r = run_cli("visit", "--demo", "--otp-stdin", "--json", input="000000\n")
    assert r.returncode != 0, r.stdout + r.stderr
    v = json.loads(r.stdout)["visits"][0]
    assert v["vpn_started"] is True and v["vpn_down"] is True
    assert v["error"]["code"] == "otp_invalid" and "VPNを切断しました" in v["error"]["message_ja"]
    assert v["end_cause"] == "otp_abandoned" and v["steps"]["login"] == "failed"
