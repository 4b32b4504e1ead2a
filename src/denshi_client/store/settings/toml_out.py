"""Writing our own TOML (the user's settings file, `config show`): just enough of TOML."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from typing import Any

from denshi_client.store.settings.schema import SCHEMA, SECTIONS

_USER_HEADER = (
    "# 電子連携クライアント ユーザー設定 / Denshi Client user settings\n"
    "# `denshi-client config set KEY VALUE` で変更できます（管理者が固定した項目は変更できません）。\n"
    "# Change with `denshi-client config set KEY VALUE` (keys locked by IT cannot be changed).\n"
)


def toml_value(value: Any) -> str:
    """One TOML value: enough of TOML for our own files (strings, numbers, booleans, arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML value must be finite")
        r = repr(value)
        return r if any(c in r for c in ".eE") else r + ".0"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def dump_sections(values: Mapping[str, Any], *, header: str = "") -> str:
    """Dotted keys grouped into `[section]` tables in schema order."""
    lines = [header.rstrip("\n")] if header else []
    by_section: dict[str, list[tuple[str, Any]]] = {}
    order = {s.key: i for i, s in enumerate(SCHEMA)}
    for k in sorted(values, key=lambda k: (order.get(k, 1 << 30), k)):
        sec, _, name = k.partition(".")
        by_section.setdefault(sec, []).append((name, values[k]))
    for sec in [*SECTIONS, *sorted(set(by_section) - set(SECTIONS))]:
        if sec not in by_section:
            continue
        if lines:
            lines.append("")
        lines.append(f"[{sec}]")
        for name, v in by_section[sec]:
            lines.append(f"{name} = {toml_value(v)}")
    return "\n".join(lines) + "\n"


def dump_user_settings(values: Mapping[str, Any]) -> str:
    return dump_sections(values, header=_USER_HEADER)

