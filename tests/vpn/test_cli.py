"""`denshi-client vpn ...` end to end in a child process, on the stand-in (demo) driver."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.vpn.test_standin import VPN_FILE


def _j(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> tuple[int, dict]:
    r = run_cli("vpn", *args, "--json", input=input, env=env)
    return r.returncode, json.loads(r.stdout)


def test_demo_flow_json(tmp_path: Path) -> None:
    f = tmp_path / "fund.vpn"
    f.write_text(VPN_FILE, encoding="utf-8")
    assert _j("accounts", "--demo") == (0, {"ok": True, "accounts": []})
    rc, out = _j("import", str(f), "--name", "fund", "--password-stdin", "--demo", input="pw-secret-1\n")
    assert rc == 0 and out["account"]["name"] == "fund" and out["password_set"] is True
    # again: replaced, not duplicated (a re-import resets the password, as in SoftEther)
    rc, out = _j("import", str(f), "--name", "fund", "--password-stdin", "--demo", input="pw-secret-1\n")
    rc, out = _j("accounts", "--demo")
    assert [a["name"] for a in out["accounts"]] == ["fund"]
    rc, out = _j("connect", "fund", "--timeout", "5", "--demo")
    assert rc == 0 and out["state"] == "connected" and out["established_since"]
    rc, out = _j("status", "fund", env={"DENSHI_VPN_DRIVER": "standin"})
    assert rc == 0 and out["state"] == "connected"
    rc, out = _j("connect", "fund", "--demo")
    assert rc == 6 and out["error"]["code"] == "vpn_already_connected"
    assert _j("disconnect", "fund", "--demo")[0] == 0
    assert _j("disconnect", "fund", "--demo")[0] == 0  # idempotent
    assert _j("status", "fund", "--demo")[1]["state"] == "offline"


def test_wrong_password_and_unknown_account(tmp_path: Path) -> None:
    f = tmp_path / "fund.vpn"
    f.write_text(VPN_FILE, encoding="utf-8")
    _j("import", str(f), "--name", "fund", "--password-stdin", "--demo", input="wrong-pw\n")
    rc, out = _j("connect", "fund", "--demo")
    assert rc == 6 and out["error"]["code"] == "vpn_auth_failed" and "wrong-pw" not in json.dumps(out)
    rc, out = _j("status", "nosuch", "--demo")
    assert rc == 6 and out["error"]["code"] == "vpn_account_not_found"


def test_human_text_and_password_never_in_argv(tmp_path: Path) -> None:
    f = tmp_path / "fund.vpn"
    f.write_text(VPN_FILE, encoding="utf-8")
    r = run_cli("vpn", "import", str(f), "--name", "社内VPN", "--password-stdin", "--demo", input="pw-x-123\n")
    assert r.returncode == 0 and "取り込みました" in r.stdout
    r = run_cli("vpn", "connect", "社内VPN", "--demo")
    assert r.returncode == 0 and "接続中" in r.stdout
    r = run_cli("vpn", "import", str(f), "--name", "x", "--password", "pw", "--demo")
    assert r.returncode == 2  # no such option: passwords only via stdin


def test_real_vpncmd_missing_is_a_clear_error(tmp_path: Path) -> None:
    rc, out = _j("accounts", "--vpncmd", str(tmp_path / "nope" / "vpncmd"))
    assert rc == 6 and out["error"]["code"] == "vpncmd_not_found"
