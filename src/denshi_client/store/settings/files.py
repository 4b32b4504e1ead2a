"""Reading one settings or policy file: TOML syntax, every key checked, locks, rules between keys."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from denshi_client.store.settings.schema import LOCK_SECTION, SCHEMA, SECTIONS, SPECS, FileKind
from denshi_client.store.settings.values import SettingsFileError, _BadValue, check_value

_HEADER_RE = re.compile(r"^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY_RE = re.compile(r"^(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-.\" ']+?)\s*=")


def _norm_dotted(raw: str) -> str:
    return ".".join(p.strip().strip("\"'") for p in raw.split("."))


def find_line(text: str, section: str | None, key: str | None = None) -> int | None:
    """Line of `key` in `[section]` (or of the section header): tomllib keeps no positions."""
    current: str | None = None
    target = f"{section}.{key}" if section and key else (key or section)
    for number, raw in enumerate(text.splitlines(), 1):
        s = raw.strip().lstrip("\ufeff")
        if not s or s.startswith("#"):
            continue
        if s.startswith("[["):
            current = None
            continue
        m = _HEADER_RE.match(s)
        if m:
            current = _norm_dotted(m.group(1))
            if key is None and current == section:
                return number
            continue
        m = _KEY_RE.match(s)
        if m:
            k = _norm_dotted(m.group(1))
            full = f"{current}.{k}" if current else k
            if full == target or (key is None and section and full.startswith(section + ".")):
                return number
    return None


@dataclass
class ParsedFile:
    """One file's values (already checked) and, for a policy, its lock list."""

    path: Path
    kind: FileKind
    text: str
    values: dict[str, Any] = field(default_factory=dict)
    locks: frozenset[str] = frozenset()
    errors: list[SettingsFileError] = field(default_factory=list)

    def line_of(self, key: str) -> int | None:
        section, _, name = key.partition(".")
        return find_line(self.text, section, name)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        why = e.strerror or type(e).__name__
        raise SettingsFileError(path, None, f"読み込めませんでした（{why}）。", f"it could not be read ({why}).",
                                code="config_unreadable") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SettingsFileError(
            path, line, "UTF-8 として読めない文字があります。", "it contains bytes that are not UTF-8.",
            code="config_encoding", hint_ja="メモ帳などで「UTF-8」を選んで保存し直してください。",
            hint_en="Save the file again with the UTF-8 encoding.") from None


_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _deep_line(text: str, limit: int = 100) -> int | None:
    """First line where [ / { nesting passes `limit` (tomllib recurses per level and gives no position)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
    return None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise SettingsFileError(
            path, _deep_line(text), "[ ] や { } の入れ子が深すぎて読み込めません。",
            "brackets are nested too deeply to read.", code="config_syntax",
            hint_ja="ファイルが壊れていないか確認してください。",
            hint_en="Check whether the file is damaged.") from None
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = _TOML_POS_RE.search(msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        detail = _TOML_POS_RE.sub("", msg).strip()
        if line is None and "end of document" in msg:
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        raise SettingsFileError(
            path, line, f"TOML の書き方に誤りがあります（{detail}）。",
            f"TOML syntax error ({detail}).", column=col, code="config_syntax",
            hint_ja="引用符（\"）や [ ] の閉じ忘れ、= の抜けがないか確認してください。",
            hint_en="Check for a missing quote, bracket or '='.") from None


def parse_settings_text(path: Path, text: str, kind: FileKind) -> ParsedFile:
    """Check one file completely, collecting every problem (for `config validate`)."""
    pf = ParsedFile(path, kind, text)
    data = _parse_toml(path, text)

    def err(line: int | None, ja: str, en: str, key: str | None = None, code: str = "config_value") -> None:
        pf.errors.append(SettingsFileError(path, line, ja, en, key=key, code=code))

    for section, body in data.items():
        if section == LOCK_SECTION:
            if kind != "policy":
                err(find_line(text, section), "[lock] は管理者用ポリシーファイルにだけ書けます。",
                    "[lock] is only allowed in the administrator's policy file.", code="config_lock_in_user")
                continue
            pf.locks = frozenset(_parse_locks(pf, body, err))
            continue
        if section not in SECTIONS:
            err(find_line(text, section), f"[{section}] という項目のまとまり（セクション）はありません。"
                f"使えるのは {', '.join('[' + s + ']' for s in SECTIONS)} です。",
                f"there is no section [{section}]; known sections: {', '.join('[' + s + ']' for s in SECTIONS)}.",
                code="config_unknown_section")
            continue
        if not isinstance(body, dict):
            err(find_line(text, None, section), f"\"{section}\" はセクション（[{section}]）として書いてください。",
                f"\"{section}\" must be a section ([{section}]).", code="config_type")
            continue
        for name, value in body.items():
            key = f"{section}.{name}"
            spec = SPECS.get(key)
            line = find_line(text, section, name) or find_line(text, section)
            if spec is None:
                known = ", ".join(s.name for s in SCHEMA if s.section == section)
                err(line, f"[{section}] に \"{name}\" という項目はありません（使える項目: {known}）。",
                    f"there is no key \"{name}\" in [{section}] (known keys: {known}).", key=key,
                    code="config_unknown_key")
                continue
            try:
                pf.values[key] = check_value(spec, value)
            except _BadValue as b:
                err(line, b.ja, b.en, key=key)
    _cross_check(pf, pf.values, err)
    return pf


def _parse_locks(pf: ParsedFile, body: Any, err: Callable[..., None]) -> set[str]:
    line = find_line(pf.text, LOCK_SECTION, "keys") or find_line(pf.text, LOCK_SECTION)
    if not isinstance(body, dict):
        err(line, "[lock] はセクションとして書いてください。", "[lock] must be a section.", code="config_lock")
        return set()
    extra = [k for k in body if k != "keys"]
    if extra:
        err(find_line(pf.text, LOCK_SECTION, extra[0]),
            f"[lock] に書けるのは keys だけです（\"{extra[0]}\" は使えません）。",
            f"[lock] only takes \"keys\" (not \"{extra[0]}\").", code="config_lock")
    keys = body.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        err(line, "[lock] の keys には文字列の配列を指定してください（例: [\"zip.format\", \"service.*\"]）。",
            "[lock] keys must be a list of strings (example: [\"zip.format\", \"service.*\"]).", code="config_lock")
        return set()
    out: set[str] = set()
    for k in keys:
        expanded = expand_lock_pattern(k)
        if not expanded:
            err(line, f"[lock] の \"{k}\" に当たる設定項目がありません（例: \"zip.format\", \"service.*\", \"*\"）。",
                f"[lock] entry \"{k}\" matches no setting (examples: \"zip.format\", \"service.*\", \"*\").",
                key=k, code="config_lock")
        out |= expanded
    return out


def expand_lock_pattern(pattern: str) -> set[str]:
    """`*` = everything, `section.*` = a whole section, else one exact key."""
    p = pattern.strip()
    if p == "*":
        return set(SPECS)
    if p.endswith(".*"):
        sec = p[:-2]
        return {s.key for s in SCHEMA if s.section == sec}
    return {p} if p in SPECS else set()


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _cross_check(pf: ParsedFile, values: Mapping[str, Any], err: Callable[..., None]) -> None:
    """Rules between keys, checked on what this file sets (the merged view is checked again on load)."""
    for problem in cross_problems(values):
        key, ja, en = problem
        err(pf.line_of(key), ja, en, key=key)


_PARTNERS = {
    "service.close": ("service.open",),
    "session.graceful_margin_minutes": ("session.session_limit_minutes",),
    "session.warn_minutes": ("session.session_limit_minutes",),
}


def cross_problems(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    if "service.open" in values and "service.close" in values:
        if _minutes(values["service.close"]) <= _minutes(values["service.open"]):
            out.append(("service.close", f"\"close\" は \"open\"（{values['service.open']}）より後の時刻にしてください"
                        f"（例: \"20:00\"）。",
                        f"\"close\" must be later than \"open\" ({values['service.open']}) (example: \"20:00\")."))
    limit = values.get("session.session_limit_minutes")
    if limit is not None:
        margin = values.get("session.graceful_margin_minutes")
        if margin is not None and margin >= limit:
            out.append(("session.graceful_margin_minutes",
                        f"\"graceful_margin_minutes\" は接続上限（{limit} 分）より短くしてください（例: 2）。",
                        f"\"graceful_margin_minutes\" must be shorter than the session limit ({limit} min) "
                        "(example: 2)."))
        warn = values.get("session.warn_minutes")
        if warn and max(warn) >= limit:
            out.append(("session.warn_minutes",
                        f"\"warn_minutes\" は接続上限（{limit} 分）より短くしてください（例: [15, 5, 1]）。",
                        f"\"warn_minutes\" must all be shorter than the session limit ({limit} min) "
                        "(example: [15, 5, 1])."))
    return out


def detect_kind(path: Path, text: str) -> FileKind:
    if path.name.lower() == "policy.toml" or re.search(r"(?m)^\s*\[\s*lock\s*\]", text):
        return "policy"
    return "settings"


def validate_file(path: Path, kind: FileKind | None = None) -> list[SettingsFileError]:
    """Every problem in one file (empty list = valid); reading/syntax errors come as one item."""
    try:
        text = _read_text(path)
        pf = parse_settings_text(path, text, kind or detect_kind(path, text))
    except SettingsFileError as e:
        return [e]
    return pf.errors


def _load_file(path: Path, kind: FileKind) -> ParsedFile | None:
    if not path.exists():
        return None
    if path.is_dir():
        raise SettingsFileError(path, None, "ファイルではなくフォルダーです。", "it is a folder, not a file.",
                                code="config_unreadable")
    pf = parse_settings_text(path, _read_text(path), kind)
    if pf.errors:
        first = pf.errors[0]
        if len(pf.errors) > 1:
            first.hint_ja = (first.hint_ja + " " if first.hint_ja else "") + \
                f"ほかに {len(pf.errors) - 1} 件の問題があります（denshi-client config validate で一覧できます）。"
            first.hint_en = (first.hint_en + " " if first.hint_en else "") + \
                f"{len(pf.errors) - 1} more problem(s); `denshi-client config validate` lists them."
        raise first
    return pf

