"""Doctor checks (real vpncmd, real keyring, real policy parser) and the support bundle's secret scan."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from tests.conftest import REPO, require_tool, run_cli

from denshi_client.clock import JST, FakeClock
from denshi_client.diagnostics import doctor as dr
from denshi_client.diagnostics.bundle import build_bundle
from denshi_client.store.paths import app_paths
from denshi_client.vpn.vpncmd import RunResult


def _by_id(results: list[dr.CheckResult]) -> dict[str, dr.CheckResult]:
    return {r.id: r for r in results}


# A fixed "now" well after the release floor the tests inject: the checks never read the real date.
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=JST)
FLOOR = datetime(2026, 11, 20, tzinfo=UTC)


def test_demo_mode_every_check_runs_and_none_fails() -> None:
    res = dr.run_checks(dr.DoctorContext(demo=True, clock=FakeClock(NOW), release_floor=FLOOR))
    assert [r.id for r in res] == [c for c, _ in dr.CHECKS]
    assert not dr.any_failed(res), dr.format_text(res, "en")
    by = _by_id(res)
    assert by["reachability"].status is dr.Status.PASS
    assert by["keyring"].status in (dr.Status.PASS, dr.Status.WARN)  # PlaintextKeyring in tests -> warn
    assert "PlaintextKeyring" in by["keyring"].detail


def test_every_non_pass_line_has_a_hint_in_both_languages() -> None:
    ctx = dr.DoctorContext(clock=FakeClock(datetime(2019, 1, 1, tzinfo=UTC)), vpncmd_path="/nonexistent/vpncmd")
    res = dr.run_checks(ctx)
    for r in res:
        if r.status in (dr.Status.FAIL, dr.Status.WARN):
            assert r.hint_ja and r.hint_en, r.id
    assert _by_id(res)["vpncmd"].status is dr.Status.FAIL
    assert _by_id(res)["clock"].status is dr.Status.FAIL
    text = dr.format_text(res, "ja")
    assert "[NG  ] vpncmd" in text and "対処:" in text


def test_clock_not_japan_time_is_a_warning_not_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        r = dr.check_clock(dr.DoctorContext(clock=FakeClock(NOW), release_floor=FLOOR))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert r.status is dr.Status.WARN and "not Japan time" in r.detail


def test_clock_in_japan_time_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    import time

    time.tzset()
    try:
        r = dr.check_clock(dr.DoctorContext(clock=FakeClock(NOW), release_floor=FLOOR))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert r.status is dr.Status.PASS, r.detail


@pytest.mark.parametrize(("now", "status"), [
    (FLOOR - timedelta(days=1, seconds=1), dr.Status.FAIL),  # behind the release: the clock is wrong
    (FLOOR - timedelta(hours=23), dr.Status.PASS),  # a day's grace for time zones and build lag
    (datetime(2099, 12, 31, 23, 0, tzinfo=UTC), dr.Status.PASS),
    (datetime(2100, 1, 1, 1, 0, tzinfo=UTC), dr.Status.FAIL),  # implausible year
])
def test_clock_behind_the_release_or_implausible_fails(monkeypatch: pytest.MonkeyPatch, now: datetime,
                                                       status: dr.Status) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    import time

    time.tzset()
    try:
        r = dr.check_clock(dr.DoctorContext(clock=FakeClock(now), release_floor=FLOOR))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert r.status is status, r.detail
    if status is dr.Status.FAIL and now < FLOOR:
        assert "earlier than this version's release" in r.detail and "リリース" in r.detail_ja


def test_release_floor_is_a_fact_of_the_release_not_a_file_time() -> None:
    """The default floor is a constant in the code: touching, copying or unpacking files cannot move it."""
    src = (REPO / "src" / "denshi_client" / "diagnostics" / "doctor.py").read_text(encoding="utf-8")
    assert "st_mtime" not in src and "getmtime" not in src
    assert dr.DoctorContext().release_floor == dr.RELEASE_FLOOR
    assert dr.RELEASE_FLOOR.tzinfo is not None and dr.RELEASE_FLOOR.year >= 2026


def test_policy_file_errors_fail_with_the_line(app_home: Path) -> None:
    p = app_paths().policy_file
    p.write_text('[zip]\nformat = "rar"\n', encoding="utf-8")
    r = dr.check_policy(dr.DoctorContext())
    assert r.status is dr.Status.FAIL
    assert "policy.toml" in r.detail and "config validate" in r.hint_en
    p.write_text('[zip]\nformat = "zipcrypto"\n', encoding="utf-8")
    assert dr.check_policy(dr.DoctorContext()).status is dr.Status.PASS


def test_disk_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.disk_usage

    def small(path: object) -> object:
        u = real(path)  # type: ignore[arg-type]
        return type(u)(u.total, u.total - 50 * 1024**2, 50 * 1024**2)

    monkeypatch.setattr(dr.shutil, "disk_usage", small)
    assert dr.check_disk(dr.DoctorContext()).status is dr.Status.FAIL


def test_keyring_probe_failure_is_a_fail_line() -> None:
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())  # the autouse fixture puts the test keyring back afterwards
    r = dr.check_keyring(dr.DoctorContext())
    assert r.status is dr.Status.FAIL
    assert r.hint_ja and "fail.Keyring" in r.detail


class _FakeVpncmd:
    """Replays what a real vpncmd prints (../shared/notes/softether-lab.md §4) to check the parsing paths."""

    def __init__(self, service_up: bool) -> None:
        self.service_up = service_up

    def __call__(self, argv: list[str], timeout: float) -> RunResult:
        banner = (b"vpncmd command - SoftEther VPN Command Line Management Utility\n"
                  b"Version 4.44 Build 9807   (English)\n")
        if "VersionGet" in argv:
            return RunResult(0 if self.service_up else 1, banner, 0.01)
        if "NicList" in argv:
            return RunResult(0, b'Connected to VPN Client "localhost".\n\nVirtual Network Adapter Name,Status,'
                                b'MAC Address,Version\nVPN,Enabled,5E-AA-BB-CC-DD-EE,Version 4.44\n', 0.01)
        if "AccountList" in argv:
            return RunResult(0, b'Connected to VPN Client "localhost".\n\n', 0.01)
        return RunResult(1, b"", 0.01)


def _fake_ctx(up: bool) -> dr.DoctorContext:
    from denshi_client.vpn.softether import SoftEtherDriver

    runner = _FakeVpncmd(up)
    return dr.DoctorContext(vpncmd_path="vpncmd.exe", runner=runner,
                            driver=SoftEtherDriver("vpncmd.exe", runner=runner, client_log_dir=None))


def test_vpn_checks_parse_version_service_adapter() -> None:
    by = _by_id(dr.run_checks(_fake_ctx(True), only=["vpncmd", "vpn_service", "vpn_adapter", "vpn_accounts"]))
    assert by["vpncmd"].status is dr.Status.PASS and "4.44 Build 9807" in by["vpncmd"].detail
    assert by["vpn_service"].status is dr.Status.PASS
    assert by["vpn_adapter"].status is dr.Status.PASS and by["vpn_adapter"].data["adapters"] == ["VPN"]
    assert by["vpn_accounts"].status is dr.Status.WARN  # none imported yet: a hint, not a failure


def test_service_down_fails_and_skips_the_dependent_checks() -> None:
    by = _by_id(dr.run_checks(_fake_ctx(False), only=["vpncmd", "vpn_service", "vpn_adapter", "vpn_accounts"]))
    assert by["vpn_service"].status is dr.Status.FAIL
    assert by["vpn_adapter"].status is dr.Status.SKIP and by["vpn_accounts"].status is dr.Status.SKIP


def test_real_vpncmd_version_is_read() -> None:
    exe = require_tool("vpncmd")
    r = dr.check_vpncmd(dr.DoctorContext(vpncmd_path=exe))
    assert r.status is dr.Status.PASS
    assert "Build" in r.detail, r.detail


def test_cli_doctor_json_and_exit_codes(app_home: Path) -> None:
    ok = run_cli("doctor", "--demo", "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    d = json.loads(ok.stdout)
    assert d["ok"] is True and len(d["checks"]) == 10
    web = next(c for c in d["checks"] if c["id"] == "webengine")  # the real engine of this venv, probed
    assert web["status"] == "pass" and int(web["data"]["major"]) >= 106, web
    assert {c["status"] for c in d["checks"]} <= {"pass", "warn", "skip"}
    app_paths().policy_file.write_text("[zip\n", encoding="utf-8")
    bad = run_cli("doctor", "--demo", "--only", "policy")
    assert bad.returncode == 1
    assert "[NG  ] IT ポリシー" in bad.stdout and "対処" in bad.stdout


# --------------------------------------------------------------------------- the support bundle

SEED_SCRIPT = r'''
import json, logging, sys
from pathlib import Path
from denshi_client.logsetup import setup_logging
from denshi_client.store.paths import app_paths
paths = app_paths().ensure()
setup_logging(paths.log_dir, logging.DEBUG)
log = logging.getLogger("leak-attempt")
S = json.loads(sys.argv[1])

# ZIP and VPN passwords through the profile + keyring code the app uses
from denshi_client.store.profiles import ProfileStore, new_profile
from denshi_client.store.secrets import SecretStore, ZIP_PASSWORD, VPN_PASSWORD
ps = ProfileStore()
prof = ps.add(new_profile(establishment="123", name="株式会社サンプル", user_id="demo"), make_active=True)
SecretStore().set(prof.id, ZIP_PASSWORD, S["zip"])
SecretStore().set(prof.id, VPN_PASSWORD, S["vpn"])
prof2 = ps.add(new_profile(establishment="4567", name="山田商店", user_id="yamada"))
SecretStore().set(prof2.id, ZIP_PASSWORD, S["zip_ja"])  # a Japanese password on a second profile

# a password ZIP made and opened with it
from denshi_client.documents import archive
src = paths.data_dir / "20240524_0123_資格取得届.pdf"
src.write_bytes(b"%PDF-1.4\n%%EOF\n")
archive.pack([src], paths.data_dir / "x.zip", S["zip"])
(paths.data_dir / "out").mkdir()
archive.unpack(paths.data_dir / "x.zip", paths.data_dir / "out", S["zip"])

# the VPN password through the (stand-in) driver
from denshi_client.vpn.factory import make_driver
drv = make_driver(demo=True)
try:
    drv.add_account("denshi-123")
except Exception:
    pass
drv.set_password("denshi-123", "demo", S["vpn"])

# OTP and session token through the real portal client against the stand-in service on 127.0.0.1
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin import StandInService
svc = StandInService(Path(sys.argv[2]))
svc.start()
try:
    c = HttpPortalClient(svc.base_url, ca_bundle=svc.ca_bundle)
    c.request_otp("demo")
    otp = svc.latest_otp("demo")
    c.login("demo", otp)
    token = c.token
    c.inbox()
    c.logout()
    c.close()
finally:
    svc.stop()

# careless code: every secret handed to the logger, in every shape
for k, v in list(S.items()) + [("otp", otp), ("token", token)]:
    log.info("%s is %s", k, v)
    log.warning("debug dump: {'password': %r, 'Authorization': 'Bearer %s'}", v, v)
    try:
        raise RuntimeError("failed with " + v)
    except RuntimeError:
        log.exception("oops")
print(json.dumps({"otp": otp, "token": token}))
'''


def _forms(secret: str) -> list[bytes]:
    raw = secret.encode("utf-8")
    out = [raw, secret.encode("utf-16-le"), secret.encode("utf-16-be"), quote(secret, safe="").encode(),
           json.dumps(secret).strip('"').encode(), raw.hex().encode()]
    for enc in (raw, secret.encode("utf-16-le")):
        for shift in range(3):  # base64 of the secret wherever it sits in a larger blob
            b = base64.b64encode(b"\0" * shift + enc)[(shift * 4 + 2) // 3 + 1:-4]
            out += [b, b.replace(b"+", b"-").replace(b"/", b"_")]
    return [f for f in out if len(f) >= 6]


@pytest.mark.slow
def test_support_bundle_contains_no_secret(tmp_path: Path, app_home: Path) -> None:
    secrets = {"zip": "Zip-Secret-7Qx9-Kp3m", "vpn": "VpnPass!4711#sz", "zip_ja": "秘密のパスワード四七一一"}
    seed = subprocess.run([sys.executable, "-c", SEED_SCRIPT, json.dumps(secrets), str(tmp_path / "standin")],
                          capture_output=True, text=True, encoding="utf-8", timeout=180, env=dict(os.environ))
    assert seed.returncode == 0, seed.stderr[-3000:]
    more = json.loads(seed.stdout.strip().splitlines()[-1])
    all_secrets = [secrets["zip"], secrets["vpn"], secrets["zip_ja"], more["otp"], more["token"]]
    logs = app_paths().log_dir
    assert "leak-attempt" in (logs / "denshi-client.log").read_text(encoding="utf-8")  # the logger really ran
    # and a raw leak that bypassed the logger entirely (e.g. a crash dump): only keyring secrets can be masked
    (logs / "crash-dump.txt").write_text(f"zip={secrets['zip']} vpn={secrets['vpn']}\n", encoding="utf-8")

    out = tmp_path / "bundle.zip"
    r = run_cli("doctor", "--demo", "--bundle", str(out), "--json")  # a fresh process, like a user's click
    assert r.returncode == 0, r.stdout + r.stderr
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert {"versions.json", "doctor.json", "doctor.txt", "config/effective.json", "README.txt"} <= set(names)
        assert any(n.startswith("logs/denshi-client.log") for n in names) and "logs/crash-dump.txt" in names
        blobs = {n: z.read(n) for n in names}
    blobs["<zip file bytes>"] = out.read_bytes()
    assert b"********" in blobs["logs/crash-dump.txt"]
    leaks = [(name, s, f) for s in all_secrets for f in _forms(s) for name, data in blobs.items() if f in data]
    assert leaks == [], leaks[:5]
    # the bundle is useful: the leak attempts are still there, masked
    log_text = blobs["logs/denshi-client.log"].decode("utf-8")
    assert "zip is ********" in log_text and "otp is ********" in log_text and "token is ********" in log_text


def test_bundle_in_process_has_versions_and_config(tmp_path: Path, app_home: Path) -> None:
    app_paths().policy_file.write_text('[fund]\noperations_desk_email = "gyomu@kikin.example.jp"\n',
                                       encoding="utf-8")
    out = build_bundle(tmp_path / "b.zip", ctx=dr.DoctorContext(demo=True))
    with zipfile.ZipFile(out) as z:
        v = json.loads(z.read("versions.json"))
        cfg = json.loads(z.read("config/effective.json"))
        assert "config/policy.toml" in z.namelist()
    assert v["denshi_client"] and v["python"]
    row = next(x for x in cfg["settings"] if x["key"] == "fund.operations_desk_email")
    assert row["source"] == "policy"


def test_repo_file_exists() -> None:
    assert (REPO / "build.spec").is_file()


# --------------------------------------------------------------------------- the embedded page's engine

def _web(out: str = "", code: int = 0, err: str = "", raises: BaseException | None = None) -> dr.DoctorContext:
    def probe(argv: list[str], timeout: float) -> tuple[int, str, str]:
        assert timeout > 0 and argv
        if raises is not None:
            raise raises
        return code, out, err

    return dr.DoctorContext(webengine_probe=probe)


def test_webengine_new_enough_passes_with_the_version() -> None:
    r = dr.check_webengine(_web("140.0.7339.225\n"))
    assert r.status is dr.Status.PASS and "140.0.7339.225" in r.detail and r.data["major"] == 140


def test_webengine_older_than_106_fails() -> None:
    r = dr.check_webengine(_web("102.0.5005.177\n"))
    assert r.status is dr.Status.FAIL and "102.0.5005.177" in r.detail and "106" in r.hint_ja + r.hint_en


@pytest.mark.parametrize("ctx", [
    _web(code=1, err="ModuleNotFoundError: No module named 'PySide6.QtWebEngineCore'"),
    _web(raises=subprocess.TimeoutExpired(["x"], 20.0)),
    _web(raises=FileNotFoundError("no such file")),
    _web("not a version\n"),
])
def test_webengine_missing_is_a_warning_browser_mode_uses_the_system_browser(ctx: dr.DoctorContext) -> None:
    r = dr.check_webengine(ctx)
    assert r.status is dr.Status.WARN and "ブラウザー" in r.hint_ja and "browser" in r.hint_en


def test_webengine_real_probe_reads_this_pyside6() -> None:
    """The real child process (no Qt imported here): the engine PySide6 ships is the one the page uses."""
    r = dr.check_webengine(dr.DoctorContext())
    assert r.status is dr.Status.PASS, r
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", r.data["version"]) and r.data["major"] >= 106, r
    assert r.data["version"] in r.detail and r.detail_ja


def test_webengine_probe_command_frozen_uses_the_apps_own_flag(tmp_path: Path) -> None:
    cli = tmp_path / ("denshi-client.exe" if sys.platform == "win32" else "denshi-client")
    cli.write_text("")
    gui = tmp_path / "DenshiClient"
    assert dr.webengine_probe_argv(frozen=True, executable=str(gui)) == [str(cli), "--webengine-version"]
    assert dr.webengine_probe_argv(frozen=False, executable="/py")[:2] == ["/py", "-c"]


def test_app_answers_the_webengine_version_flag() -> None:
    r = subprocess.run([sys.executable, "-m", "denshi_client", "--webengine-version"], capture_output=True,
                       text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip().split(".")[0]) >= 106
