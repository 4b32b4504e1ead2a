"""The first-start wizard's page ids and what its pages share: the error style and the settings
(for the default folder of the registration form)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from denshi_client.errors import DenshiError

PAGE_INTRO, PAGE_FORM, PAGE_SEND, PAGE_VPN, PAGE_PROFILE, PAGE_MAIL = range(6)
_ERR_STYLE = "color: #b00020;"


def _settings() -> Any:
    try:
        from denshi_client.services import current_settings

        return current_settings()
    except DenshiError:
        return None


def _default_out_dir() -> Path:
    st = _settings()
    if st is not None:
        return st.folders.documents_root_path() / "登録届"
    return Path.home() / "電子連携" / "登録届"
