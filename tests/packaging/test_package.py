"""Runs .ci/package.sh once and turns what it checked into test results.

The script builds the Linux onedir and the real Windows onedir (under wine) from the same build.spec,
smoke-tests the Windows executables under wine, builds the MSI and installs, upgrades and removes it
silently under wine. Each outcome below is one assertion, so a broken step shows as a named failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import REPO, require_tool

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

SCRIPT = REPO / ".ci" / "package.sh"
WORK = Path(os.environ.get("DENSHI_PACKAGE_WORK", REPO / ".work"))


@pytest.fixture(scope="module")
def summary() -> dict[str, Any]:
    for tool in ("wine", "wixl", "msibuild", "msiinfo", "x86_64-w64-mingw32-gcc", "7zz"):
        require_tool(tool)
    env = dict(os.environ, WORK=str(WORK))
    for k in ("DENSHI_CLIENT_HOME", "DENSHI_CLIENT_SITE_DIR", "PYTHON_KEYRING_BACKEND", "XDG_DATA_HOME"):
        env.pop(k, None)  # the bundles run with their own homes; the test isolation must not leak in
    r = subprocess.run(["bash", str(SCRIPT)], cwd=REPO, env=env, capture_output=True, text=True,
                       encoding="utf-8", errors="replace", timeout=1500)
    print(r.stdout[-6000:])
    path = WORK / "package-summary.json"
    assert path.exists(), f"package.sh wrote no summary (rc {r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["rc"] = r.returncode
    return data


def _checks(text: str) -> dict[str, bool]:
    out = {}
    for line in text.splitlines():
        if line.startswith("CHECK "):
            out[line[11:].strip()] = line.startswith("CHECK ok")
    return out


@pytest.mark.timeout(1600)
def test_linux_onedir_self_test(summary: dict[str, Any]) -> None:
    assert summary["linux_ok"], summary["linux_selftest"]
    assert summary["linux_selftest"].count("SELF-TEST PASSED") == 2  # GUI and console executables


@pytest.mark.timeout(1600)
def test_windows_exe_under_wine(summary: dict[str, Any]) -> None:
    checks = _checks(summary["win_smoke"])
    failed = [k for k, ok in checks.items() if not ok]
    assert len(checks) >= 9 and not failed, summary["win_smoke"]
    assert summary["win_smoke_rc"] == 0
    assert "python 3.11.9 win32 frozen=True utf8=1" in summary["win_smoke"]  # real Windows CPython, UTF-8 mode


@pytest.mark.timeout(1600)
def test_windows_bundle_is_slim(summary: dict[str, Any]) -> None:
    sizes = summary["sizes_mb"]
    # Qt WebEngine (the fund's page inside the app) is most of it: Qt6WebEngineCore.dll alone is 204 MB.
    # Without it the bundle measured 94 MB; with it 327 MB before the debug twins were dropped.
    assert 250 <= sizes["win_onedir"] <= 360, sizes
    assert summary["win_files"] < 600, "Qt translations/plugins or data files no longer filtered"


@pytest.mark.timeout(1600)
def test_msi_tables(summary: dict[str, Any]) -> None:
    info = summary["msiinfo"]
    assert "Template: x64;1033" in info
    assert "ALLUSERS\t1" in info
    assert "UpgradeCode\t{5E0C1A2B-7D4F-4C3B-9A61-2F8D0B7E4C15}" in info
    assert "WIX_UPGRADE_DETECTED" in info and "NOT WIX_DOWNGRADE_DETECTED" in info
    assert "StartMenuShortcut\tProgramMenuFolder" in info
    assert "mvPolicy\tcmpPolicy\t\tpolicy.toml\tPOLICYFILE\tPolicyDir\t0" in info
    assert "POLICYFILE;REMOVEPOLICY" in info  # Secure: passed to the elevated install
    assert "RemoveExistingProducts\t\t1401" in info


@pytest.mark.timeout(1600)
def test_msi_silent_install_upgrade_uninstall_under_wine(summary: dict[str, Any]) -> None:
    checks = _checks(summary["msi_wine"])
    failed = [k for k, ok in checks.items() if not ok]
    assert len(checks) >= 19 and not failed, summary["msi_wine"]
    assert summary["msi_wine_rc"] == 0


@pytest.mark.timeout(1600)
def test_script_succeeded_within_budget(summary: dict[str, Any]) -> None:
    assert summary["rc"] == 0
    # A safety limit (~4x the 332 s measured on 2 cores), below the script's 1500 s time-out so a slow but
    # finished build is named as such; the step figures live in benchmarks/bench_limits.py (package.json).
    assert summary["total_seconds"] < 1400, summary["times"]
