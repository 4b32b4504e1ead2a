"""Defaults < IT's policy < the user's file, with IT's locks; changing a user value safely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from denshi_client.errors import ConfigError
from denshi_client.store.atomic import atomic_write_text, file_lock, write_problem
from denshi_client.store.paths import app_paths
from denshi_client.store.settings.files import _PARTNERS, ParsedFile, _load_file, cross_problems
from denshi_client.store.settings.schema import SCHEMA, KeySpec, Source, spec_or_error
from denshi_client.store.settings.sections import _SECTION_TYPES, EffectiveSettings
from denshi_client.store.settings.toml_out import dump_user_settings
from denshi_client.store.settings.values import SettingsFileError, _BadValue, check_value


def _policy_path() -> Path:
    return app_paths().policy_file


def _settings_path() -> Path:
    return app_paths().settings_file


def _merge(policy: ParsedFile | None, user: ParsedFile | None,
           ) -> tuple[dict[str, Any], dict[str, Source], frozenset[str], tuple[str, ...]]:
    values: dict[str, Any] = {s.key: s.default for s in SCHEMA}
    sources: dict[str, Source] = {s.key: "default" for s in SCHEMA}
    locks = set(policy.locks) if policy else set()
    if policy:
        for k, v in policy.values.items():
            values[k], sources[k] = v, "policy"
    ignored: set[str] = set()
    if user:
        for k, v in user.values.items():
            if k in locks:
                ignored.add(k)
                continue
            values[k], sources[k] = v, "user"
    return values, sources, frozenset(locks), tuple(sorted(ignored))


def load_effective_settings(*, policy_file: Path | None = None, settings_file: Path | None = None) -> EffectiveSettings:
    """Defaults < policy < user, locks applied; raises SettingsFileError for any broken file."""
    ppath = policy_file or _policy_path()
    upath = settings_file or _settings_path()
    policy = _load_file(ppath, "policy")
    user = _load_file(upath, "settings")
    values, sources, locks, ignored = _merge(policy, user)
    for key, ja, en in cross_problems(values):
        # Blame the latest layer that set one of the keys involved: that file made the clash.
        rank = {"default": 0, "policy": 1, "user": 2}
        involved = [key, *_PARTNERS.get(key, ())]
        blame = max(involved, key=lambda k: rank[sources[k]])
        pf = user if sources[blame] == "user" else policy
        assert pf is not None  # the defaults never clash with each other
        raise SettingsFileError(pf.path, pf.line_of(blame), ja, en, key=key, code="config_value")
    sections: dict[str, Any] = {}
    for sec, cls in _SECTION_TYPES.items():
        sections[sec] = cls(**{s.name: values[s.key] for s in SCHEMA if s.section == sec})
    return EffectiveSettings(**sections, sources=sources, locked=locks, policy_file=ppath if policy else None,
                             settings_file=upath if user else None, ignored_user_keys=ignored)


def is_locked(key: str) -> bool:
    """Whether IT's policy fixes this key (a broken policy raises: we cannot tell)."""
    spec_or_error(key)
    policy = _load_file(_policy_path(), "policy")
    return bool(policy and key in policy.locks)


def _locked_error(key: str, policy_path: Path) -> ConfigError:
    return ConfigError(
        f"「{key}」は管理者のポリシー（{policy_path}）で固定されているため、変更できません。",
        f"“{key}” is locked by the administrator's policy ({policy_path}) and cannot be changed.",
        code="locked", hint_ja="変更が必要な場合は社内の IT 担当者にご相談ください。",
        hint_en="Ask your IT department if it needs to change.")


def set_user_value(key: str, value: Any) -> EffectiveSettings:
    """Change one user setting (checked, lock-aware, atomic); returns the new effective settings."""
    return _change_user_value(key, value, remove=False)


def unset_user_value(key: str) -> EffectiveSettings:
    """Drop the user's own value so the policy or default applies again."""
    return _change_user_value(key, None, remove=True)


def _change_user_value(key: str, value: Any, *, remove: bool) -> EffectiveSettings:
    spec = spec_or_error(key)
    upath = _settings_path()
    try:
        with file_lock(upath):
            _write_user_value(spec, upath, key, value, remove=remove)
    except OSError as e:
        why_ja, why_en = write_problem(e)
        raise ConfigError(f"設定ファイル {upath} を書き込めませんでした（{why_ja}）。設定は変更していません。",
                          f"The settings file {upath} could not be written ({why_en}). Nothing was changed.",
                          code="config_write") from None
    return load_effective_settings()


def _write_user_value(spec: KeySpec, upath: Path, key: str, value: Any, *, remove: bool) -> None:
    ppath = _policy_path()
    policy = _load_file(ppath, "policy")
    if policy and key in policy.locks:
        raise _locked_error(key, ppath)
    user = _load_file(upath, "settings")  # a broken user file raises here and is left untouched
    current = dict(user.values) if user else {}
    if remove:
        current.pop(key, None)
    else:
        try:
            current[key] = check_value(spec, value)
        except _BadValue as b:
            raise ConfigError(f"「{key}」: {b.ja}", f"“{key}”: {b.en}", code="config_value") from None
    merged, _, _, _ = _merge(policy, ParsedFile(upath, "settings", "", values=current))
    for k, ja, en in cross_problems(merged):
        raise ConfigError(f"「{k}」: {ja}", f"“{k}”: {en}", code="config_value")
    atomic_write_text(upath, dump_user_settings(current))

