"""Proof suites (issue 7): shared result recorder, long-mode switch, sentinel trees, run order.

Why a recorder: every suite writes machine-readable rows to `tests/proof/out/<suite>.json`, so
`tests/proof/report.py` can turn one run into the tables of docs/quality.md without re-parsing
pytest output. Long mode (`DENSHI_PROOF_LONG=1`) raises counts and fuzz budgets; the default run
is the reduced CI form of every suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

LONG = os.environ.get("DENSHI_PROOF_LONG", "").lower() in ("1", "true", "yes")
# Every secret a suite handled (OTPs, session tokens, passwords) and every folder where the app wrote
# state during the suites: the secrets scan (run last) looks for the former in the latter.
USED_SECRETS: set[str] = set()
SCAN_ROOTS: list[Path] = []


def remember(*secrets: str | None) -> None:
    USED_SECRETS.update(s for s in secrets if s)
OUT = Path(__file__).resolve().parent / "out"
SUITE_ORDER = ("test_hostile", "test_lost", "test_stranded", "test_secrets")


class Recorder:
    """Rows per suite; written once at the end of the pytest session (only suites that ran)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.extra: dict[str, dict[str, Any]] = {}
        self.started = time.monotonic()
        self.suite_started: dict[str, float] = {}
        self.suite_last: dict[str, float] = {}

    def add(self, suite: str, case: str, outcome: str, ok: bool, **detail: Any) -> None:
        self.suite_started.setdefault(suite, time.monotonic() - float(detail.get("seconds") or 0))
        self.suite_last[suite] = time.monotonic()
        self.rows.setdefault(suite, []).append({"case": case, "outcome": outcome, "ok": bool(ok), **detail})

    def note(self, suite: str, key: str, value: Any) -> None:
        self.extra.setdefault(suite, {})[key] = value

    def write(self) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for suite, rows in self.rows.items():
            data = {"suite": suite, "long": LONG, "generated_at": now, "host": platform.node(),
                    "python": platform.python_version(),
                    "seconds": round(self.suite_last.get(suite, time.monotonic())
                                     - self.suite_started.get(suite, self.started), 1),
                    "rows": rows, "extra": self.extra.get(suite, {})}
            (OUT / f"{suite}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str),
                                               encoding="utf-8")


@pytest.fixture(scope="session")
def proof() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.write()


@pytest.fixture(scope="session")
def proof_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where suites leave app artefacts (logs, settings, history, bundles) for the secrets scan.

    The app's own log set-up (rotating file, redaction filter) writes this process's log here at DEBUG.
    """
    import logging

    from denshi_client import logsetup
    from denshi_client.redact import RedactingFilter

    home = tmp_path_factory.mktemp("proof-artefacts")
    log_dir = home / "logs"
    path = logsetup.setup_logging(log_dir, logging.DEBUG)
    if path.parent != log_dir:  # an earlier test in this process configured logging: add the same handler here
        log_dir.mkdir(parents=True, exist_ok=True)
        h = logging.FileHandler(log_dir / "denshi-client.log", encoding="utf-8")
        h.setFormatter(logsetup._RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
        h.addFilter(RedactingFilter())
        logging.getLogger().addHandler(h)
    logging.getLogger().setLevel(logging.DEBUG)
    SCAN_ROOTS.append(home)
    return home


def tree(root: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry under `root` (never following links): kind, size, SHA-256 — a before/after witness."""
    out: dict[str, tuple[str, int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            rel = str(p.relative_to(root))
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", 0, os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", 0, "")
            else:
                out[rel] = ("file", st.st_size, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The secrets scan reads what the other suites left behind: run it last."""
    def key(item: pytest.Item) -> int:
        mod = Path(str(item.fspath)).stem
        return SUITE_ORDER.index(mod) if mod in SUITE_ORDER else -1
    if any(Path(str(i.fspath)).parent.name == "proof" for i in items):
        items.sort(key=lambda i: (Path(str(i.fspath)).parent.name == "proof", key(i)))


@pytest.fixture(scope="session", autouse=True)
def _proof_logging(proof_home: Path) -> None:
    """Every proof suite logs through the app's own set-up into proof_home/logs (scanned for secrets)."""
