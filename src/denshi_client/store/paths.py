"""Where each kind of file lives, per Windows user (platformdirs, appauthor=False).

`DENSHI_CLIENT_HOME` moves everything under one folder (tests, demo mode,
portable use); `DENSHI_CLIENT_SITE_DIR` moves only the machine policy folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from denshi_client import APP_NAME


class AppPaths(NamedTuple):
    """A NamedTuple, not a dataclass: this module is imported before the first paint, and
    `dataclasses` alone costs ~3 ms of start-up."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path
    site_config_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def policy_file(self) -> Path:
        return self.site_config_dir / "policy.toml"

    @property
    def profiles_file(self) -> Path:
        return self.config_dir / "profiles.json"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def state_file(self) -> Path:
        """Crash-recovery marker: which VPN account we left connected."""
        return self.data_dir / "session-state.json"

    def ensure(self) -> AppPaths:
        for p in (self.config_dir, self.data_dir, self.log_dir, self.cache_dir):
            p.mkdir(parents=True, exist_ok=True)
        return self


def app_paths() -> AppPaths:
    home = os.environ.get("DENSHI_CLIENT_HOME")
    site_env = os.environ.get("DENSHI_CLIENT_SITE_DIR")
    if home:
        h = Path(home)
        paths = AppPaths(h / "config", h / "data", h / "logs", h / "cache", Path(site_env) if site_env else h / "site")
    else:
        import platformdirs  # only when needed: ~4 ms of start-up otherwise

        pd = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        paths = AppPaths(
            Path(pd.user_config_dir),
            Path(pd.user_data_dir),
            Path(pd.user_log_dir),
            Path(pd.user_cache_dir),
            Path(site_env) if site_env else Path(pd.site_config_dir),
        )
    return paths
