"""`denshi-client WORD`: a command runs the CLI, an unknown word is a usage error, no word starts the app."""

from __future__ import annotations

import pytest
from tests.conftest import run_cli

from denshi_client import main as entry
from denshi_client.cli import COMMAND_MODULES

EXIT_USAGE = 2  # docs/cli.md


@pytest.mark.parametrize(("args", "lang_text"), [
    (("vist",), "「vist」というコマンドはありません"),
    (("--lang", "en", "vist"), "Unknown command 'vist'"),
    (("hours-now", "--json"), "「hours-now」というコマンドはありません"),
])
def test_unknown_command_is_a_usage_error_not_the_app(args: tuple[str, ...], lang_text: str) -> None:
    r = run_cli(*args, timeout=30)  # the app would block until the timeout
    assert r.returncode == EXIT_USAGE, r.stdout + r.stderr
    assert lang_text in r.stderr
    assert "--help" in r.stderr
    for name in COMMAND_MODULES:  # the commands there are, so the user sees what was meant
        assert name in r.stderr, name
    assert r.stdout == ""


def test_known_command_still_runs() -> None:
    r = run_cli("name", "check", "20240524_0123_資格取得届.pdf", timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("args", [
    [], ["--demo"], ["--minimized"], ["--accelerate", "60"], ["--lang", "en"], ["--lang", "en", "--demo"],
    ["--lang=ja", "--demo"], ["--self-test"], ["-platform", "offscreen"],
])
def test_no_command_and_app_flags_start_the_app(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The dispatch only: the app itself is not started here (its start-up is tested in tests/ui)."""
    started: list[list[str]] = []
    monkeypatch.setattr(entry, "gui_main", lambda argv=None: started.append(list(argv or [])) or 0)
    assert entry.main(args) == 0
    assert started == [args]


def test_unknown_word_does_not_reach_the_app(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(entry, "gui_main", lambda argv=None: started.append(list(argv or [])) or 0)
    assert entry.main(["vist"]) == EXIT_USAGE
    assert entry.main(["--demo", "vist"]) == 0  # after an app flag, words belong to the app (Qt arguments)
    assert started == [["--demo", "vist"]]
    assert "vist" in capsys.readouterr().err
