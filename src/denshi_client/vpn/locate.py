"""Where vpncmd and the client's log folder are on this PC.

Order: an explicit path (CLI option, caller) > the user's settings or IT's policy
(`[vpn] vpncmd_path`) > the SoftEther client's install folder from the registry >
the usual Program Files folders > PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from denshi_client.vpn import errors as E

_REG_KEY = r"Software\SoftEther Project\Setup Wizard Settings\vpnclient"
_EXE_NAMES = ("vpncmd.exe", "vpncmd_x64.exe", "vpncmd_x86.exe")


def windows_install_dir() -> Path | None:
    """The client's install folder from HKLM (both registry views)."""
    if sys.platform != "win32":
        return None
    import winreg

    for view in (winreg.KEY_WOW64_64KEY, winreg.KEY_WOW64_32KEY):
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, _REG_KEY, 0, winreg.KEY_READ | view) as k:
                value, _ = winreg.QueryValueEx(k, "InstalledDir")
                if value:
                    return Path(value)
        except OSError:
            continue
    return None


def _windows_candidates() -> list[Path]:
    dirs: list[Path] = []
    inst = windows_install_dir()
    if inst:
        dirs.append(inst)
    for env in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
        base = os.environ.get(env)
        if base:
            dirs.append(Path(base) / "SoftEther VPN Client")
            dirs.append(Path(base) / "SoftEther VPN Client Developer Edition")
    return [d / n for d in dirs for n in _EXE_NAMES]


def find_vpncmd(explicit: str | None = None, *, configured: str | None = None) -> str:
    """The vpncmd to run, or `VpncmdNotFound` listing where we looked.

    `configured` is `[vpn] vpncmd_path` as the caller read it (`services.configured_vpncmd`):
    this module never loads the settings itself.
    """
    tried: list[str] = []
    for cand in (explicit, configured):
        if cand:
            if Path(cand).is_file():
                return str(cand)
            tried.append(str(cand))
            if cand == explicit:  # an explicit path that is wrong is an error, not a hint to search
                raise E.vpncmd_not_found(cand)
    if os.name == "nt":
        for p in _windows_candidates():
            if p.is_file():
                return str(p)
            tried.append(str(p))
    for name in ("vpncmd", "vpncmd.exe"):
        found = shutil.which(name)
        if found:
            return found
    tried.append("PATH")
    raise E.vpncmd_not_found(", ".join(dict.fromkeys(tried)))


def default_client_log_dir(vpncmd_path: str | None = None) -> Path | None:
    """client_log/ of the local VPN Client: beside the exe on Windows, /var/log/softether on Debian."""
    if os.name == "nt":
        inst = windows_install_dir() or (Path(vpncmd_path).parent if vpncmd_path else None)
        return inst / "client_log" if inst else None
    for d in (Path("/var/log/softether/client_log"), Path("/usr/libexec/softether/vpnclient/client_log")):
        if d.is_dir():
            return d
    return Path("/var/log/softether/client_log")
