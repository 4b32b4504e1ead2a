"""The support bundle: what the help desk needs to see, and provably no secret.

A plain ZIP (the help desk must open it anywhere) of the logs, versions, the effective
configuration with where each value came from, IT's policy and the user's settings as
written, and the doctor's results. Before anything is written, every secret this PC
keeps (each profile's passwords in the credential store) is registered with the
redactor, and every member passes through `redact()`, so a secret that slipped into a
log by mistake is still masked here. History, documents and the keyring itself are
never included.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from denshi_client import __version__
from denshi_client.diagnostics.doctor import CheckResult, DoctorContext, format_text, run_checks, to_json
from denshi_client.redact import MASK, redact, register_secret
from denshi_client.store.paths import app_paths

MAX_LOG_BYTES = 8 * 1024**2  # per file: rotating logs are 2 MB each, this only guards against surprises


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def versions(results: Sequence[CheckResult] = ()) -> dict[str, Any]:
    vpncmd = next((r.data for r in results if r.id == "vpncmd"), {})
    return {
        "denshi_client": __version__,
        "python": sys.version,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "packages": {n: _dist_version(n) for n in ("PySide6-Essentials", "httpx", "keyring", "platformdirs",
                                                   "holidays", "openpyxl", "tzdata", "stream-unzip",
                                                   "pycryptodomex", "IMAPClient")},
        "vpncmd": vpncmd,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def register_stored_secrets() -> int:
    """Load every secret this user keeps so the redactor knows it, even in a fresh process."""
    count = 0
    try:
        from denshi_client.store.profiles import ProfileStore
        from denshi_client.store.secrets import KIND_LABELS, SecretStore

        store = SecretStore()
        for prof in ProfileStore().all():
            for kind in KIND_LABELS:
                try:
                    value = store.get(prof.id, kind)
                except Exception:  # a broken backend must not stop the bundle; doctor reports it
                    value = None
                if value:
                    register_secret(value)
                    count += 1
    except Exception:  # no profiles file yet, or a broken one: nothing to register
        return count
    return count


def _config() -> dict[str, Any]:
    from denshi_client.errors import DenshiError
    from denshi_client.store.settings import load_effective_settings

    try:
        st = load_effective_settings()
    except DenshiError as e:
        return {"error": e.to_dict()}
    return {"policy_file": str(st.policy_file) if st.policy_file else None,
            "settings_file": str(st.settings_file) if st.settings_file else None,
            "settings": st.rows()}


def _profiles() -> list[dict[str, Any]]:
    try:
        from denshi_client.store.profiles import ProfileStore

        return [p.to_dict() for p in ProfileStore().all()]
    except Exception as e:  # a broken profiles file is itself worth reporting
        return [{"error": type(e).__name__}]


def _read_text(path: Path) -> str:
    with path.open("rb") as f:
        data = f.read(MAX_LOG_BYTES)
    return data.decode("utf-8", errors="replace")


def build_bundle(out: Path, *, ctx: DoctorContext | None = None, results: Sequence[CheckResult] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the bundle atomically to `out` and return it."""
    register_stored_secrets()
    if results is None:
        results = run_checks(ctx)
    paths = app_paths()
    members: list[tuple[str, str]] = [
        ("versions.json", json.dumps(versions(results), ensure_ascii=False, indent=2)),
        ("doctor.json", json.dumps(to_json(results), ensure_ascii=False, indent=2)),
        ("doctor.txt", format_text(results, "ja") + "\n" + format_text(results, "en")),
        ("config/effective.json", json.dumps(_config(), ensure_ascii=False, indent=2, default=str)),
        ("config/profiles.json", json.dumps(_profiles(), ensure_ascii=False, indent=2, default=str)),
    ]
    for name, p in (("config/policy.toml", paths.policy_file), ("config/settings.toml", paths.settings_file)):
        if p.is_file():
            members.append((name, _read_text(p)))
    if paths.log_dir.is_dir():
        for log in sorted(paths.log_dir.iterdir()):
            if log.is_file():
                members.append((f"logs/{log.name}", _read_text(log)))
    members.append(("README.txt", _readme()))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i, (name, text) in enumerate(members):
            z.writestr(name, redact(text).encode("utf-8"))
            if progress:
                progress(i + 1, len(members))
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, out)
    return out


def _readme() -> str:
    return (
        "電子連携クライアント サポート用情報 / Denshi Client support bundle\n\n"
        "このファイルには、ログ、バージョン、設定（パスワード等は伏せ字）、診断結果が含まれます。\n"
        "送信データや履歴、パスワードは含まれません。\n"
        f"伏せ字は {MASK} で表示されます。\n\n"
        "Logs, versions, the configuration (secrets masked) and the diagnostics. No documents, history or\n"
        f"passwords. Masked values show as {MASK}.\n"
    )
