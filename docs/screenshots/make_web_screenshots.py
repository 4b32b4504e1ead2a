"""Screenshots of the fund's page inside the app (issue 16): the embedded login page with the OTP filled in,
and the notices page, taken by the end-to-end test itself (tests/ui/test_web_page.py) at 1366x768.

    python3 dev.py xrun .venv/bin/python docs/screenshots/make_web_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

if __name__ == "__main__":
    env = dict(os.environ, DENSHI_WEB_SHOTS=str(HERE))
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                              "tests/ui/test_web_page.py::test_visit_in_the_embedded_page"], cwd=ROOT, env=env))
