"""Printing for the CLI: human text or `--json`, and the documented exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from denshi_client import i18n
from denshi_client.errors import DenshiError

EXIT_OK = 0
EXIT_INVALID = 1  # a rule broke (name check, validation); also "no" answers documented per command
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_SECRET = 4
EXIT_ARCHIVE = 5
EXIT_VPN = 6
EXIT_PORTAL = 7
EXIT_STORE = 8
EXIT_SESSION = 9
EXIT_INTERNAL = 10


def add_json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")


def emit(data: Any, json_mode: bool, text: str | None = None) -> None:
    if json_mode:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    elif text is not None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def emit_error(err: DenshiError, json_mode: bool) -> None:
    if json_mode:
        payload = {"ok": False, "error": err.to_dict()}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        label = i18n.pick("エラー", "Error")
        sys.stderr.write(f"{label}: {err.message()}\n")
        hint = err.hint()
        if hint:
            sys.stderr.write(f"  {i18n.pick('対処', 'Hint')}: {hint}\n")
    sys.stdout.flush()
    sys.stderr.flush()


def read_password_stdin() -> str:
    """The only way a password reaches the CLI: one line on standard input."""
    line = sys.stdin.readline()
    pw = line.rstrip("\r\n")
    if not pw:
        raise DenshiError("標準入力からパスワードを読み取れませんでした。", "No password was given on standard input.",
                          code="no_password")
    from denshi_client.redact import register_secret

    register_secret(pw)
    return pw


def usable_folder(path: Path) -> Path:
    """A destination folder given on the command line (`-d`), created if missing and proven writable.

    Checked before any work, so a file in the way, a too-long path or a read-only disk is one clear
    message (exit 1), not a half-done job or an internal error.
    """
    import tempfile

    from denshi_client.errors import ValidationError
    from denshi_client.store.atomic import write_problem

    try:
        path.mkdir(parents=True, exist_ok=True)
        if not path.is_dir():
            raise NotADirectoryError(20, "not a directory", str(path))
        fd, probe = tempfile.mkstemp(prefix=".denshi-probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        why_ja, why_en = write_problem(e)
        raise ValidationError(f"保存先フォルダー「{path}」を使用できません（{why_ja}）。"
                              "別のフォルダーを指定してください。",
                              f"The destination folder '{path}' cannot be used ({why_en}). "
                              "Please choose another folder.", code="bad_folder") from None
    return path
