"""Core self-test for a frozen bundle: proves that PyInstaller collected what the app needs.

A bundle can build fine and still miss a data file or a dynamically imported module
(tzdata, holidays' country modules, keyring back ends, the CLI's command modules). These
checks touch each of them once, quickly and without Qt (the Qt half lives in the
bundle's entry script), so CI can run them on the Linux build and on the Windows build
under wine.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class SelfTestResult:
    name: str
    ok: bool
    detail: str = ""


def _imports() -> str:
    import denshi_client

    count = 0
    for m in pkgutil.walk_packages(denshi_client.__path__, "denshi_client."):
        if m.name.startswith("denshi_client.ui") or m.name.endswith("__main__"):
            continue
        importlib.import_module(m.name)
        count += 1
    return f"{count} modules"


def _resources() -> str:
    from denshi_client.resources import resource, resources_dir

    root = resources_dir()
    for rel in (("icons", "app.ico"), ("forms.toml",)):
        if not resource(*rel).is_file():
            raise FileNotFoundError("/".join(rel))
    return str(root)


def _translations() -> str:
    """The app's .qm files and Qt's Japanese base translation must be in the bundle."""
    from denshi_client.resources import resource

    ours = sorted(p.name for p in resource("i18n").glob("*.qm")) if resource("i18n").is_dir() else []
    frozen = getattr(sys, "_MEIPASS", None)
    qt = []
    if frozen:
        qt = sorted(p.name for p in Path(frozen).rglob("qtbase_ja.qm"))
        if not qt:
            raise FileNotFoundError("qtbase_ja.qm")
    return f"app={ours or '-'} qt={qt or '(not frozen)'}"


def _timezone() -> str:
    from zoneinfo import ZoneInfo

    z = ZoneInfo("Asia/Tokyo")
    off = datetime(2024, 5, 24, 12, 0, tzinfo=z).utcoffset()
    if off is None or off.total_seconds() != 9 * 3600:
        raise ValueError(f"Asia/Tokyo offset {off}")
    return "Asia/Tokyo +09:00"


def _holidays() -> str:
    import holidays

    jp = holidays.country_holidays("JP", years=2024)
    if date(2024, 5, 3) not in jp:
        raise ValueError("2024-05-03 (憲法記念日) missing")
    return f"{len(jp)} JP holidays in 2024"


def _name_compose() -> str:
    from denshi_client.documents import naming

    name = naming.registration_file_name(123)
    if name != "電子連携管理者登録届(000123).xlsx":
        raise ValueError(name)
    upload = str(naming.compose(date(2024, 5, 24), 123, "資格取得届"))
    if not upload.startswith("20240524_0123_資格取得届"):
        raise ValueError(upload)
    return upload


def _calendar() -> str:
    from denshi_client import service_calendar as sc
    from denshi_client.clock import JST

    cal = sc.ServiceCalendar()
    open_at = datetime(2024, 5, 24, 10, 0, tzinfo=JST)  # a Friday
    holiday = datetime(2024, 5, 3, 10, 0, tzinfo=JST)  # 憲法記念日
    if not cal.is_open(open_at) or cal.is_open(holiday):
        raise ValueError("calendar answers wrong")
    return "weekday open, holiday closed"


def _zip_roundtrip() -> str:
    from denshi_client.documents import archive

    with tempfile.TemporaryDirectory(prefix="denshi-selftest-") as tmp:
        t = Path(tmp)
        src = t / "20240524_0123_資格取得届.pdf"
        src.write_bytes(b"%PDF-1.4\n% self-test\n%%EOF\n")
        out = t / "test.zip"
        archive.pack([src], out, "self-test-pw")
        dest = t / "out"
        dest.mkdir()
        archive.unpack(out, dest, "self-test-pw")
        back = dest / src.name
        if back.read_bytes() != src.read_bytes():
            raise ValueError("content differs")
    return "AES-256 pack/unpack ok"


def _keyring() -> str:
    import keyring

    return type(keyring.get_keyring()).__name__


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("imports", _imports),
    ("resources", _resources),
    ("translations", _translations),
    ("timezone", _timezone),
    ("holidays", _holidays),
    ("name_compose", _name_compose),
    ("calendar", _calendar),
    ("zip_roundtrip", _zip_roundtrip),
    ("keyring_backend", _keyring),
]


def run_core_self_test() -> list[SelfTestResult]:
    results = []
    for name, fn in CHECKS:
        try:
            results.append(SelfTestResult(name, True, fn()))
        except Exception as e:  # every failure is reported, none stops the others
            tb = traceback.format_exception_only(type(e), e)[-1].strip()
            results.append(SelfTestResult(name, False, tb))
    return results
