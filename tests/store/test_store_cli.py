"""`denshi-client profile|history|config` end to end, as a child process (tests.conftest.run_cli)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from denshi_client.clock import JST
from denshi_client.store.history import History
from denshi_client.store.paths import app_paths
from tests.conftest import run_cli
from tests.store.test_profiles_secrets import scan_for

SECRET = "Cli-Zip-Secret-31"


def js(*args: str, input: str | None = None) -> tuple[int, dict]:
    r = run_cli(*args, "--json", input=input)
    return r.returncode, json.loads(r.stdout)


def test_profile_lifecycle_with_keyring(app_home: Path) -> None:
    r = run_cli("profile", "add", "--establishment", "123", "--name", "テスト商事（株）", "--user-id", "u0123",
                "--related", "124,125", "--zip-password-stdin", input=SECRET + "\n")
    assert r.returncode == 0, r.stderr
    assert "e0123" in r.stdout and SECRET not in r.stdout + r.stderr
    rc, d = js("profile", "add", "--establishment", "４５６", "--name", "第二", "--user-id", "u456", "--mode",
               "direct", "--download-folder", str(app_home / "dl"), "--use")
    assert rc == 0 and d["profile"]["id"] == "e0456" and d["profile"]["zip_password_stored"] is False
    rc, d = js("profile", "list")
    assert rc == 0 and d["active"] == "e0456"
    assert [(p["id"], p["zip_password_stored"]) for p in d["profiles"]] == [("e0123", True), ("e0456", False)]
    assert d["profiles"][0]["related_establishments"] == ["0124", "0125"]
    assert run_cli("profile", "use", "e0123").returncode == 0
    rc, d = js("profile", "show")
    assert rc == 0 and d["id"] == "e0123" and d["name"] == "テスト商事（株）" and SECRET not in json.dumps(d)
    rc, d = js("profile", "update", "e0456", "--name", "第二工場", "--zip-password-stdin", input="Other-77\n")
    assert rc == 0 and d["profile"]["zip_password_stored"] is True
    assert scan_for(app_home, SECRET) == []
    rc, d = js("profile", "remove", "e0123")
    assert rc == 0 and d["secrets_deleted"] == ["zip_password"] and d["active"] == "e0456"
    import keyring

    assert keyring.get_password("DenshiClient", "e0123:zip_password") is None


def test_profile_errors_and_exit_codes() -> None:
    r = run_cli("profile", "add", "--establishment", "12345678", "--name", "x", "--user-id", "u")
    assert r.returncode == 1 and "事業所番号" in r.stderr
    r = run_cli("profile", "show", env={"DENSHI_LANG": "en"})
    assert r.returncode == 8 and "No establishment profile" in r.stderr
    rc, d = js("profile", "use", "nope")
    assert rc == 8 and d["ok"] is False and d["error"]["code"] == "profile_not_found"
    r = run_cli("profile", "add", "--establishment", "1", "--name", "x", "--user-id", "u", "--zip-password-stdin",
                input="")
    assert r.returncode != 0
    assert json.loads(run_cli("profile", "list", "--json").stdout)["profiles"] == []  # nothing half-made


def test_config_show_set_and_locks() -> None:
    paths = app_paths()
    paths.site_config_dir.mkdir(parents=True, exist_ok=True)
    paths.policy_file.write_text('[zip]\nformat = "zipcrypto"\n[lock]\nkeys = ["zip.format"]\n', encoding="utf-8")
    rc, d = js("config", "set", "session.warn_minutes", "10,3")
    assert rc == 0 and d["value"] == [10, 3]
    r = run_cli("config", "set", "zip.format", "aes256")
    assert r.returncode == 3 and "固定" in r.stderr
    rc, d = js("config", "show")
    rows = {r["key"]: r for r in d["settings"]}
    assert rows["zip.format"] == {"key": "zip.format", "value": "zipcrypto", "source": "policy", "locked": True,
                                  "user_value_ignored": False}
    assert rows["session.warn_minutes"]["source"] == "user" and rows["session.warn_minutes"]["value"] == [10, 3]
    assert rows["ui.language"]["source"] == "default"
    r = run_cli("config", "show")
    assert r.returncode == 0 and 'zip.format = "zipcrypto"  [ポリシー, 固定]' in r.stdout
    rc, d = js("config", "unset", "session.warn_minutes")
    assert rc == 0 and d["source"] == "default"
    assert run_cli("config", "set", "no.such", "1").returncode == 3


def test_config_validate_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_text('[service]\nopen = "08:00"\nclose = "8pm"\n[zip]\nformat = "rar"\n', encoding="utf-8")
    r = run_cli("config", "validate", str(bad))
    assert r.returncode == 3
    assert f"{bad}:3:" in r.stdout and f"{bad}:5:" in r.stdout
    rc, d = js("config", "validate", str(bad))
    assert rc == 3 and d["ok"] is False and [e["line"] for e in d["files"][0]["errors"]] == ["3", "5"]
    good = tmp_path / "settings.toml"
    good.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    assert run_cli("config", "validate", str(good)).returncode == 0
    # a broken policy in use makes every settings-reading command fail clearly, not fall back silently
    app_paths().site_config_dir.mkdir(parents=True, exist_ok=True)
    app_paths().policy_file.write_bytes(bad.read_bytes())
    r = run_cli("config", "show")
    assert r.returncode == 3 and "3 行目" in r.stderr
    assert run_cli("config", "validate").returncode == 3


def test_config_paths() -> None:
    rc, d = js("config", "paths")
    assert rc == 0 and d["history_db"] == str(app_paths().history_db)
    assert d["keyring_backend"].endswith("PlaintextKeyring")


def test_history_list_and_export(tmp_path: Path) -> None:
    t0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
    with History() as h:
        h.import_records([
            {"establishment": "123", "profile_id": "e0123", "direction": "send", "mode": "browser",
             "file_name": f"20261102_0123_資格取得届_{i}.zip", "time": t0 + timedelta(days=i)} for i in range(5)
        ] + [{"establishment": "9", "profile_id": "e0009", "direction": "receive", "mode": "direct",
              "file_name": "決定通知書.zip", "result": "failed", "time": t0}])
    rc, d = js("history", "list", "--establishment", "123", "--since", "2026-11-03", "--until", "2026-11-04")
    assert rc == 0 and d["total"] == 2
    assert [r["file_name"][-6:] for r in d["records"]] == ["_2.zip", "_1.zip"]
    rc, d = js("history", "list", "--search", "決定", "--direction", "receive")
    assert d["total"] == 1 and d["records"][0]["result"] == "failed"
    r = run_cli("history", "list", "--limit", "2")
    assert r.returncode == 0 and "6 件中 1〜2 件目" in r.stdout
    out = tmp_path / "h.csv"
    rc, d = js("history", "export", "-o", str(out), "--establishment", "123")
    assert rc == 0 and d["rows"] == 5
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "日時" and len(rows) == 6
    assert run_cli("history", "list", "--since", "yesterday").returncode == 1
