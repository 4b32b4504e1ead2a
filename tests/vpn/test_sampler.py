"""Negative control: the /proc cmdline sampler used by the real tests does see a secret in argv."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.vpn.conftest import CmdlineSampler


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_sampler_catches_a_password_in_argv() -> None:
    marker = "zz-Sampler-Marker-4471"
    with CmdlineSampler((marker,)) as s:
        subprocess.run([sys.executable, "-c", "import time; time.sleep(0.3)", marker], check=True)
        time.sleep(0.05)
    assert s.hits and marker in s.hits[0]
