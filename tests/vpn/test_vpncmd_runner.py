"""The process runner, the secret batch file and vpncmd discovery, with real processes and files."""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from denshi_client.errors import ConfigError
from denshi_client.vpn import errors as E
from denshi_client.vpn.locate import find_vpncmd
from denshi_client.vpn.vpncmd import RunResult, SubprocessRunner, Vpncmd

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX process groups and /proc")


@posix_only
def test_timeout_kills_the_whole_process_tree(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    script = f"sleep 30 & echo $! > {pidfile}; wait"
    t0 = time.monotonic()
    with pytest.raises(E.VpnTimeout) as ei:
        SubprocessRunner()(["sh", "-c", script], timeout=0.5)
    assert time.monotonic() - t0 < 5  # safety limit (~0.5 s measured: benchmarks/bench_limits.py)
    assert "応答がありません" in ei.value.ja
    child = int(pidfile.read_text())
    for _ in range(50):
        if not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the grandchild survived the time-out")


@posix_only
def test_prefix_env_and_closed_stdin() -> None:
    r = SubprocessRunner(["env"])([sys.executable, "-c",
                                   "import os,sys; print(os.environ['LANG'], sys.stdin.read() == '')"], timeout=10)
    assert r.code == 0 and r.stdout.decode().split() == ["C.UTF-8", "True"]


def test_secret_batch_file_is_private_and_removed() -> None:
    seen: dict[str, object] = {}

    def runner(argv: Sequence[str], timeout: float) -> RunResult:
        path = Path(argv[-1].removeprefix("/IN:"))
        seen["argv"] = list(argv)
        seen["text"] = path.read_text(encoding="utf-8")
        if os.name == "posix":
            seen["mode"] = stat.S_IMODE(path.stat().st_mode)
            seen["dirmode"] = stat.S_IMODE(path.parent.stat().st_mode)
        seen["path"] = path
        return RunResult(0, b"AccountPasswordSet x /PASSWORD:top-secret-9\n")  # vpncmd echoes it

    code = Vpncmd("vpncmd", runner).batch_secret(['AccountPasswordSet "x" /PASSWORD:"top-secret-9"'])
    assert code == 0
    assert "top-secret-9" not in " ".join(seen["argv"])  # type: ignore[arg-type]
    assert "top-secret-9" in str(seen["text"])
    if os.name == "posix":
        assert seen["mode"] == 0o600 and seen["dirmode"] == 0o700
    assert not Path(str(seen["path"])).exists() and not Path(str(seen["path"])).parent.exists()


def test_find_vpncmd_explicit_settings_and_missing(tmp_path: Path, app_home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from denshi_client.services import configured_vpncmd

    exe = tmp_path / "vpncmd"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    assert find_vpncmd(str(exe)) == str(exe)
    with pytest.raises(E.VpncmdNotFound):
        find_vpncmd(str(tmp_path / "missing"))
    cfg = app_home / "config"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.toml").write_text(f'[vpn]\nvpncmd_path = "{exe.as_posix()}"\n', encoding="utf-8")
    assert find_vpncmd(configured=configured_vpncmd()) == str(exe)
    (cfg / "settings.toml").write_text("[vpn]\nvpncmd_path = 12\n", encoding="utf-8")
    with pytest.raises(ConfigError):  # a broken settings file is never silently ignored
        find_vpncmd(configured=configured_vpncmd())
    (cfg / "settings.toml").unlink()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(E.VpncmdNotFound) as ei:
        find_vpncmd(configured=configured_vpncmd())
    assert "vpncmd" in ei.value.ja and "vpncmd_path" in ei.value.hint_ja
