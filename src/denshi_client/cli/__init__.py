"""The command line: a thin face over the same services the app uses.

Each subcommand group lives in its own module exposing `register(subparsers)`;
handlers return an exit code. Exit codes are documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from denshi_client import __version__, i18n
from denshi_client.cli.output import EXIT_INTERNAL, EXIT_USAGE, emit_error
from denshi_client.errors import DenshiError

# Order = order in --help. Each module: register(subparsers) -> None.
COMMAND_MODULES = [
    "name", "hours", "zip", "profile", "history", "vpn", "portal", "sandbox", "doctor", "register", "config",
    "mail", "otp", "outbox", "visit",
]

GUI_FLAGS = {"--demo", "--lang", "--minimized", "--self-test", "--accelerate", "--screenshot-dir"}

log = logging.getLogger(__name__)


def _after_global_options(args: list[str]) -> tuple[str | None, list[str]]:
    """(the --lang value, the words after the global options)."""
    rest, lang = list(args), None
    while rest:  # a global option may precede the command
        if rest[0] == "--lang" and len(rest) >= 2:
            lang, rest = rest[1], rest[2:]
        elif rest[0].startswith("--lang="):
            lang, rest = rest[0].partition("=")[2], rest[1:]
        else:
            break
    return lang, rest


def is_cli_invocation(args: list[str]) -> bool:
    """A command, --help/--version, or any other word in the command's place (reported as unknown).

    Only options (app flags such as --demo, Qt's -platform) or nothing at all start the desktop app.
    """
    _lang, rest = _after_global_options(args)
    if not rest:
        return False
    first = rest[0]
    if first in ("--version", "-V", "-h", "--help"):
        return True
    return not first.startswith("-")


def _unknown_command(word: str) -> int:
    names = ", ".join(COMMAND_MODULES)
    emit_error(DenshiError(
        f"「{word}」というコマンドはありません。使用できるコマンド: {names}",
        f"Unknown command '{word}'. Commands: {names}",
        code="unknown_command",
        hint_ja="使い方は denshi-client --help でご確認ください。コマンドを付けずに起動するとアプリが開きます。",
        hint_en="See denshi-client --help. Without a command the desktop app starts.",
    ), json_mode=False)
    return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="denshi-client",
        description="電子連携クライアント / Denshi Client — command line for IT and automation. "
        "Without a subcommand the desktop app starts.",
    )
    p.add_argument("--version", "-V", action="version", version=f"denshi-client {__version__}")
    p.add_argument("--lang", choices=["ja", "en"], help="message language (default: ja, or DENSHI_LANG)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        mod = importlib.import_module(f"denshi_client.cli.{name}_cmd")
        mod.register(sub)
    return p


def _setup_cli_logging() -> None:
    """CLI runs leave a trace in the same rotating, redacted log as the app (never on screen).

    Without a usable log folder the records are dropped: Python's last-resort handler would print
    warnings and tracebacks to the terminal, and a full disk would print "--- Logging error ---".
    """
    logging.raiseExceptions = False
    try:
        from denshi_client.logsetup import setup_logging
        from denshi_client.store.paths import app_paths

        setup_logging(app_paths().log_dir)
    except OSError:  # an unwritable log folder must not stop a command
        logging.getLogger().addHandler(logging.NullHandler())


def run_cli(args: list[str]) -> int:
    lang, rest = _after_global_options(args)
    if rest and not rest[0].startswith("-") and rest[0] not in COMMAND_MODULES:
        if lang in ("ja", "en"):
            i18n.set_language(lang)
        return _unknown_command(rest[0])
    parser = build_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as e:  # argparse: --help / --version exit 0, bad usage exits 2
        return int(e.code or 0) if e.code in (0, None) else EXIT_USAGE
    if ns.lang:
        i18n.set_language(ns.lang)
    handler = getattr(ns, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    json_mode = bool(getattr(ns, "json", False))
    _setup_cli_logging()
    log.info("cli: %s (denshi-client %s)", ns.command, __version__)
    try:
        return int(handler(ns) or 0)
    except DenshiError as e:
        emit_error(e, json_mode)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        log.exception("internal error in CLI")
        emit_error(
            DenshiError(
                f"内部エラーが発生しました（{type(e).__name__}）。ログをご確認ください。",
                f"Internal error ({type(e).__name__}). See the log.",
                code="internal",
            ),
            json_mode,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(run_cli(sys.argv[1:]))
