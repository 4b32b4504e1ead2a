"""Settings: built-in defaults < IT's machine policy < the user's own settings.

IT pre-sets `%ProgramData%\\DenshiClient\\policy.toml` and may lock keys there
(`[lock] keys = ["zip.format", "service.*"]`); a locked key always takes the
policy's value (or the default, when the policy only locks it) and a user
change to it is refused. A file that cannot be read exactly as written is an
error naming the file and line: guessing would silently change how the app
talks to the fund, and rewriting would destroy IT's or the user's work.

Where each part lives:
- `schema.py` — every key, its type and its one default (`SCHEMA`, `default(key)`);
- `sections.py` — the typed result (`EffectiveSettings` and one dataclass per section);
- `values.py` — checking one value; `SettingsFileError` (file and line);
- `files.py` — reading one file (TOML, keys, `[lock]`, rules between keys);
- `layers.py` — defaults < policy < user, locks, changing a user value;
- `toml_out.py` — writing our own TOML.
"""

from __future__ import annotations

from denshi_client.store.settings.files import (
    ParsedFile,
    cross_problems,
    detect_kind,
    expand_lock_pattern,
    find_line,
    parse_settings_text,
    validate_file,
)
from denshi_client.store.settings.layers import (
    is_locked,
    load_effective_settings,
    set_user_value,
    unset_user_value,
)
from denshi_client.store.settings.schema import (
    LOCK_SECTION,
    SCHEMA,
    SECTIONS,
    SPECS,
    TEMPLATE_FIELDS,
    FileKind,
    KeySpec,
    Source,
    default,
    iter_keys,
)
from denshi_client.store.settings.sections import (
    BrowserSettings,
    EffectiveSettings,
    FoldersSettings,
    FundSettings,
    MailSettings,
    OtpMailSettings,
    ServiceSettings,
    SessionSettings,
    UiSettings,
    VisitSettings,
    VpnSettings,
    ZipSettings,
    default_settings,
)
from denshi_client.store.settings.toml_out import dump_sections, dump_user_settings, toml_string, toml_value
from denshi_client.store.settings.values import SettingsFileError, check_value, parse_cli_value

__all__ = [
    "LOCK_SECTION",
    "SCHEMA",
    "SECTIONS",
    "SPECS",
    "TEMPLATE_FIELDS",
    "BrowserSettings",
    "EffectiveSettings",
    "FileKind",
    "FoldersSettings",
    "FundSettings",
    "KeySpec",
    "MailSettings",
    "OtpMailSettings",
    "ParsedFile",
    "ServiceSettings",
    "SessionSettings",
    "SettingsFileError",
    "Source",
    "UiSettings",
    "VisitSettings",
    "VpnSettings",
    "ZipSettings",
    "check_value",
    "cross_problems",
    "default",
    "default_settings",
    "detect_kind",
    "dump_sections",
    "dump_user_settings",
    "expand_lock_pattern",
    "find_line",
    "is_locked",
    "iter_keys",
    "load_effective_settings",
    "parse_cli_value",
    "parse_settings_text",
    "set_user_value",
    "toml_string",
    "toml_value",
    "unset_user_value",
    "validate_file",
]
