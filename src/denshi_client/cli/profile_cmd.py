"""CLI: `denshi-client profile ...` (not built yet)."""

from __future__ import annotations

import argparse

from denshi_client.cli.output import EXIT_INTERNAL, add_json_flag


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profile", help="(not built yet)")
    add_json_flag(p)
    p.set_defaults(handler=_todo)


def _todo(ns: argparse.Namespace) -> int:
    print("not built yet")
    return EXIT_INTERNAL
