"""Re-record real vpncmd output (English and Japanese) into tests/vpn/recorded/{en,ja}/.

Run as root: `.venv/bin/python -m tests.vpn.record`. Each file is `# exit: N` and then
vpncmd's exact stdout; `client_log.txt` is the client daemon's log of the run.
Recorded with the lab's test-only accounts; no password is ever in these outputs.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from denshi_client.vpn.softether import SoftEtherDriver
from denshi_client.vpn.vpncmd import SubprocessRunner
from tests.vpn.lab import CUT_PW, USER_PW, SoftEtherLab, lab_available

OUT = Path(__file__).resolve().parent / "recorded"


def record(lab: SoftEtherLab, lang: str) -> None:
    out = OUT / lang
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    lab.restart_client(lang)
    for f in lab.client_log_dir.glob("*.log"):
        f.unlink()
    lab.restart_client(lang)  # fresh log in this language
    drv = SoftEtherDriver("vpncmd", runner=SubprocessRunner(lab.prefix), client_log_dir=lab.client_log_dir)

    def save(name: str, *args: str) -> int:
        r = lab.vc(*args)
        (out / f"{name}.txt").write_text(f"# exit: {r.returncode}\n{r.stdout}", encoding="utf-8")
        return r.returncode

    for a in drv.list_accounts():
        drv.delete_account(a.name)
    save("account_list_empty", "/CMD", "AccountList")
    drv.import_account(str(lab.vpn_file), "fund")
    drv.set_password("fund", "alice", USER_PW)
    save("account_list_offline", "/CMD", "AccountList")
    save("account_status_not_connected", "/CMD", "AccountStatusGet", "fund")
    save("account_status_no_such", "/CMD", "AccountStatusGet", "nosuch")
    save("account_connect_no_such", "/CMD", "AccountConnect", "nosuch")
    save("account_disconnect_not_connected", "/CMD", "AccountDisconnect", "fund")
    save("account_retryset_bad_interval", "/CMD", "AccountRetrySet", "fund", "/NUM:1", "/INTERVAL:1")
    save("account_import_slash_path", "/CMD", "AccountImport", str(lab.vpn_file))
    save("account_create_exists", "/CMD", "AccountCreate", "fund", "/SERVER:127.0.0.1:15555", "/HUB:VPN",
         "/USERNAME:alice", "/NICNAME:VPN")
    save("account_connect", "/CMD", "AccountConnect", "fund")
    for _ in range(50):
        if drv.status("fund").state.value == "connected":
            break
        time.sleep(0.1)
    save("account_status_connected", "/CMD", "AccountStatusGet", "fund")
    save("account_list_connected", "/CMD", "AccountList")
    save("account_connect_already", "/CMD", "AccountConnect", "fund")
    # a second account on the same virtual adapter
    drv.import_account(str(lab.vpn_file), "second")
    save("account_connect_nic_in_use", "/CMD", "AccountConnect", "second")
    drv.delete_account("second")
    save("account_disconnect", "/CMD", "AccountDisconnect", "fund")
    # retrying: wrong password, client keeps trying
    drv.set_password("fund", None, "wrong-recording-pw")
    lab.vc("/CMD", "AccountConnect", "fund")
    for _ in range(50):
        st = lab.vc("/CMD", "AccountStatusGet", "fund").stdout
        if "Retrying" in st or "再試行中" in st:
            break
        time.sleep(0.1)
    save("account_status_retrying", "/CMD", "AccountStatusGet", "fund")
    save("account_list_connecting", "/CMD", "AccountList")
    lab.vc("/CMD", "AccountDisconnect", "fund")
    drv.set_password("fund", None, USER_PW)
    # the AutoDisconnect cut (code 126) and the client log lines around it
    drv.import_account(str(lab.cut_vpn_file), "cut")
    drv.set_password("cut", "carol", CUT_PW)
    lab.vc("/CMD", "AccountConnect", "cut")
    time.sleep(lab.cut_seconds + 1.5)
    save("account_status_after_cut", "/CMD", "AccountStatusGet", "cut")
    save("account_list_two", "/CMD", "AccountList")
    lab.stop_client()
    save("service_not_running", "/CMD", "AccountList")
    lab.start_client()
    logs = sorted(lab.client_log_dir.glob("client_*.log"))
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
    for secret in (USER_PW, CUT_PW, "wrong-recording-pw"):
        assert secret not in text
    (out / "client_log.txt").write_text(text, encoding="utf-8")


def main() -> int:
    ok, why = lab_available()
    if not ok:
        print(why, file=sys.stderr)
        return 2
    with SoftEtherLab("record") as lab:
        for lang in ("en", "ja"):
            record(lab, lang)
    for p in sorted(OUT.rglob("*.txt")):
        for secret in (USER_PW, CUT_PW, "wrong-recording-pw"):
            assert secret not in p.read_text(encoding="utf-8"), p
    print(f"recorded into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
