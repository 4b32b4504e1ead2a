"""Entry point: bare or with app options, it starts the desktop app; any word in the command's place is the CLI."""

from __future__ import annotations

import sys

_GUI_FLAGS = ("--demo", "--minimized", "--accelerate", "--self-test")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--webengine-version"]:  # doctor's probe (a child process): before any window
        from denshi_client.ui.app import print_webengine_version

        return print_webengine_version()
    if not args or args[0] in _GUI_FLAGS:  # the desktop app: skip importing the CLI (faster first paint)
        return gui_main(args)
    from denshi_client.cli import is_cli_invocation, run_cli

    if is_cli_invocation(args):
        return run_cli(args)
    return gui_main(args)


def gui_main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from denshi_client.ui.app import run_app

    return run_app(args)
