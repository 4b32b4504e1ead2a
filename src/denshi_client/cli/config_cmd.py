"""CLI: `denshi-client config show|validate|paths|set|unset` — settings and IT's machine policy."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from denshi_client.cli.output import EXIT_CONFIG, EXIT_OK, add_json_flag, emit
from denshi_client.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", help="settings and the machine policy (設定・ポリシー)")
    add_json_flag(p)
    cs = p.add_subparsers(dest="config_cmd", metavar="ACTION")

    sh = cs.add_parser("show", help="effective settings, where each value comes from, and locks")
    add_json_flag(sh)
    sh.set_defaults(handler=_show)

    va = cs.add_parser("validate", help="check a policy or settings file (default: the ones in use)")
    va.add_argument("file", nargs="?", type=Path)
    va.add_argument("--kind", choices=["policy", "settings"], help="default: policy if named policy.toml or has [lock]")
    add_json_flag(va)
    va.set_defaults(handler=_validate)

    pa = cs.add_parser("paths", help="where settings, policy, data, logs and the keyring are")
    add_json_flag(pa)
    pa.set_defaults(handler=_paths)

    se = cs.add_parser("set", help="change one of your own settings (refused for keys IT locked)")
    se.add_argument("key", metavar="KEY", help="e.g. ui.language")
    se.add_argument("value", metavar="VALUE", help='e.g. en, true, 15,5,1 or ["2026-12-28"]')
    add_json_flag(se)
    se.set_defaults(handler=_set)

    un = cs.add_parser("unset", help="drop your own value so the policy or default applies")
    un.add_argument("key", metavar="KEY")
    add_json_flag(un)
    un.set_defaults(handler=_unset)

    p.set_defaults(handler=_show)


_SOURCE_WORDS = {"default": ("既定値", "default"), "policy": ("ポリシー", "policy"), "user": ("ユーザー設定", "user")}


def _fmt(v: Any) -> str:
    from denshi_client.store.settings import toml_value

    return toml_value(v)


def _show(ns: argparse.Namespace) -> int:
    from denshi_client.store.settings import load_effective_settings

    eff = load_effective_settings()
    rows = eff.rows()
    lines = [pick(f"ポリシー: {eff.policy_file or 'なし'}", f"Policy: {eff.policy_file or 'none'}"),
             pick(f"ユーザー設定: {eff.settings_file or 'なし'}", f"User settings: {eff.settings_file or 'none'}"), ""]
    for r in rows:
        tags = [pick(*_SOURCE_WORDS[r["source"]])]
        if r["locked"]:
            tags.append(pick("固定", "locked"))
        if r["user_value_ignored"]:
            tags.append(pick("ユーザー設定は無視", "user value ignored"))
        lines.append(f"{r['key']} = {_fmt(r['value'])}  [{', '.join(tags)}]")
    emit({"policy_file": str(eff.policy_file) if eff.policy_file else None,
          "settings_file": str(eff.settings_file) if eff.settings_file else None, "settings": rows}, ns.json,
         "\n".join(lines))
    return EXIT_OK


def _validate(ns: argparse.Namespace) -> int:
    from denshi_client.store.paths import app_paths
    from denshi_client.store.settings import FileKind, detect_kind, validate_file

    targets: list[tuple[Path, FileKind | None]]
    if ns.file:
        if not ns.file.is_file():
            from denshi_client.errors import ConfigError

            raise ConfigError(f"ファイル {ns.file} が見つかりません。", f"File {ns.file} does not exist.",
                              code="config_missing")
        targets = [(ns.file, ns.kind)]
    else:
        paths = app_paths()
        candidates: list[tuple[Path, FileKind | None]] = [(paths.policy_file, "policy"),
                                                          (paths.settings_file, "settings")]
        targets = [(f, k) for f, k in candidates if f.is_file()]
    report = []
    lines: list[str] = []
    for path, kind in targets:
        errors = validate_file(path, kind)
        k = kind or detect_kind(path, path.read_text(encoding="utf-8", errors="replace"))
        report.append({"file": str(path), "kind": k, "ok": not errors, "errors": [e.to_dict() for e in errors]})
        if errors:
            lines += [f"{e.location()}: {e.message()}" for e in errors]
        else:
            lines.append(pick(f"{path}: 問題ありません。", f"{path}: OK."))
    if not targets:
        lines.append(pick("確認する設定ファイルがありません（すべて既定値で動作します）。",
                          "No settings or policy file exists (defaults apply)."))
    ok = all(r["ok"] for r in report)
    emit({"ok": ok, "files": report}, ns.json, "\n".join(lines))
    return EXIT_OK if ok else EXIT_CONFIG


def _paths(ns: argparse.Namespace) -> int:
    from denshi_client.store.paths import app_paths
    from denshi_client.store.secrets import backend_name

    p = app_paths()
    data = {
        "config_dir": str(p.config_dir), "settings_file": str(p.settings_file), "profiles_file": str(p.profiles_file),
        "site_config_dir": str(p.site_config_dir), "policy_file": str(p.policy_file), "data_dir": str(p.data_dir),
        "history_db": str(p.history_db), "log_dir": str(p.log_dir), "cache_dir": str(p.cache_dir),
        "keyring_backend": backend_name(),
    }
    emit(data, ns.json, "\n".join(f"{k}: {v}" for k, v in data.items()))
    return EXIT_OK


def _set(ns: argparse.Namespace) -> int:
    from denshi_client.store.settings import parse_cli_value, set_user_value

    eff = set_user_value(ns.key, parse_cli_value(ns.key, ns.value))
    v = eff.value(ns.key)
    emit({"ok": True, "key": ns.key, "value": list(v) if isinstance(v, tuple) else v}, ns.json,
         pick(f"{ns.key} を {_fmt(v)} に設定しました。", f"Set {ns.key} to {_fmt(v)}."))
    return EXIT_OK


def _unset(ns: argparse.Namespace) -> int:
    from denshi_client.store.settings import unset_user_value

    eff = unset_user_value(ns.key)
    v = eff.value(ns.key)
    src = eff.sources.get(ns.key, "default")
    emit({"ok": True, "key": ns.key, "value": list(v) if isinstance(v, tuple) else v, "source": src}, ns.json,
         pick(f"{ns.key} のユーザー設定を削除しました（現在の値: {_fmt(v)}、{_SOURCE_WORDS[src][0]}）。",
              f"Removed your value for {ns.key} (now {_fmt(v)}, from {_SOURCE_WORDS[src][1]})."))
    return EXIT_OK
