"""The tests that touch dates pass at any instant: a Saturday night, New Year's Day, a year from now.

Each instant re-runs those tests in a child pytest under libfaketime (Debian `faketime`; FAKETIME with an
'@' start, so the faked clock keeps ticking). The child first prints its own `now`, so a run in which
faketime did not take hold fails instead of passing on today's date.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import REPO, require

# Tests that read the real date or time, directly or through a child process (the CLI, the stand-in).
DATE_SENSITIVE = [
    "tests/core/test_doctor.py",
    "tests/core/test_calendar.py",
    "tests/core/test_cli_name_hours.py::test_hours_now",
    "tests/core/test_cli_name_hours.py::test_hours_follows_the_settings_file",
    "tests/core/test_cli_name_hours.py::test_suggest_and_registration",
    "tests/core/test_onboarding.py",
    "tests/store/test_history.py",
    "tests/portal/test_standin_rules.py",
    "tests/portal/test_cli.py",
]
# The heavier modules (child processes, a sandbox server) run at one instant; the date rules at every instant.
LIGHT = [t for t in DATE_SENSITIVE if t not in ("tests/portal/test_cli.py", "tests/core/test_onboarding.py")]

# Not here: tests on a FakeClock only (test_session_machine.py), and with reason: under libfaketime 0.9.10 a
# Python lock wait with a time-out never returns (faked monotonic clock), and without the faked monotonic
# clock time.sleep fails with EINVAL, so threads waiting with time-outs cannot run in the child.

# (what, the instant in UTC, the zone the child runs in)
INSTANTS = [
    ("Saturday 21:00 JST", datetime(2026, 12, 5, 12, 0, tzinfo=UTC), "UTC", LIGHT),
    ("New Year's Day 00:30 JST", datetime(2026, 12, 31, 15, 30, tzinfo=UTC), "Asia/Tokyo", DATE_SENSITIVE),
    ("2027-12-02 09:00 JST", datetime(2027, 12, 2, 0, 0, tzinfo=UTC), "UTC", LIGHT),
    ("weekday 19:59 JST (a minute before the service closes)", datetime(2026, 12, 3, 10, 59, tzinfo=UTC),
     "Asia/Tokyo", LIGHT),
]


def _libfaketime() -> str:
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    require(bool(found), "libfaketime is not installed (apt-get install faketime; .ci/apt-packages.txt)")
    return found[0]


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize(("what", "at", "tz", "tests"), INSTANTS, ids=[i[0] for i in INSTANTS])
def test_date_sensitive_tests_pass_at(what: str, at: datetime, tz: str, tests: list[str]) -> None:
    lib = _libfaketime()
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(tz))
    env = dict(os.environ, LD_PRELOAD=lib, FAKETIME="@" + local.strftime("%Y-%m-%d %H:%M:%S"), TZ=tz,
               PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("FAKETIME_DONT_FAKE_MONOTONIC", None)  # Python's sleep needs the faked monotonic clock
    probe = subprocess.run([sys.executable, "-c", "from datetime import UTC, datetime; print(datetime.now(UTC)"
                            ".isoformat())"], env=env, capture_output=True, text=True, timeout=60)
    seen = datetime.fromisoformat(probe.stdout.strip())
    assert abs(seen - at) < timedelta(minutes=1), f"faketime did not take hold: child saw {seen}, wanted {at}"

    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", "-m", "not softether",
                        *tests], cwd=REPO, env=env, capture_output=True, text=True, timeout=840)
    assert r.returncode == 0, f"{what}: {r.stdout[-4000:]}\n{r.stderr[-2000:]}"
    assert " passed" in r.stdout
