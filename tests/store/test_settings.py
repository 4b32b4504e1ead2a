"""Settings layering, IT locks and file errors, on real TOML files in the test's own folders."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from denshi_client.errors import ConfigError
from denshi_client.store import settings as cfg
from denshi_client.store.paths import app_paths

REPO = Path(__file__).resolve().parents[2]


def write_policy(text: str) -> Path:
    p = app_paths().policy_file
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def write_user(text: str) -> Path:
    p = app_paths().settings_file
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_without_any_file() -> None:
    eff = cfg.load_effective_settings()
    assert eff.service.open == "08:00" and eff.service.close == "20:00"
    assert eff.zip.format == "aes256"
    assert eff.session.warn_minutes == (15, 5, 1)
    assert eff.session.session_limit_minutes == 90
    assert all(src == "default" for src in eff.sources.values())
    assert eff.locked == frozenset()
    assert eff.policy_file is None and eff.settings_file is None


def test_layers_policy_under_user() -> None:
    write_policy('[service]\nopen = "09:00"\nclose = "19:00"\n[zip]\nformat = "zipcrypto"\n')
    write_user('[service]\nclose = "18:30"\n[ui]\nlanguage = "en"\n')
    eff = cfg.load_effective_settings()
    assert eff.service.open == "09:00" and eff.sources["service.open"] == "policy"
    assert eff.service.close == "18:30" and eff.sources["service.close"] == "user"
    assert eff.zip.format == "zipcrypto" and eff.sources["zip.format"] == "policy"
    assert eff.ui.language == "en" and eff.sources["ui.language"] == "user"
    assert eff.sources["vpn.poll_seconds"] == "default"


def test_locked_key_policy_wins_and_user_change_refused() -> None:
    write_policy('[zip]\nformat = "zipcrypto"\n\n[lock]\nkeys = ["zip.format"]\n')
    user = write_user('[zip]\nformat = "aes256"\n')
    before = user.read_bytes()
    eff = cfg.load_effective_settings()
    assert eff.zip.format == "zipcrypto"
    assert eff.is_locked("zip.format") and cfg.is_locked("zip.format")
    assert eff.ignored_user_keys == ("zip.format",)
    with pytest.raises(ConfigError) as ei:
        cfg.set_user_value("zip.format", "aes256")
    assert ei.value.code == "locked"
    assert "zip.format" in ei.value.ja and "固定" in ei.value.ja and "locked" in ei.value.en
    assert user.read_bytes() == before
    cfg.set_user_value("ui.language", "en")  # other keys stay free
    assert cfg.load_effective_settings().ui.language == "en"


def test_lock_without_value_locks_the_default_and_wildcards() -> None:
    write_policy('[lock]\nkeys = ["session.*", "service.open"]\n')
    eff = cfg.load_effective_settings()
    assert eff.session.idle_minutes == 20
    assert {"session.idle_minutes", "session.warn_minutes", "service.open"} <= eff.locked
    assert "service.close" not in eff.locked
    with pytest.raises(ConfigError):
        cfg.set_user_value("session.idle_minutes", 5)
    write_policy('[lock]\nkeys = ["*"]\n')
    assert cfg.load_effective_settings().locked == frozenset(cfg.SPECS)


def test_set_and_unset_user_value_roundtrip() -> None:
    write_policy('[ui]\nlanguage = "ja"\n')
    eff = cfg.set_user_value("ui.language", "en")
    assert eff.ui.language == "en" and eff.sources["ui.language"] == "user"
    cfg.set_user_value("service.closed_dates", ["2026-12-28", "2026-05-01"])
    cfg.set_user_value("session.warn_minutes", [1, 10, 5])
    text = app_paths().settings_file.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["ui"]["language"] == "en"
    assert data["service"]["closed_dates"] == ["2026-05-01", "2026-12-28"]
    assert cfg.load_effective_settings().session.warn_minutes == (10, 5, 1)
    eff = cfg.unset_user_value("ui.language")
    assert eff.ui.language == "ja" and eff.sources["ui.language"] == "policy"


def test_set_user_value_rejects_bad_values_without_writing() -> None:
    user = write_user('[ui]\nlanguage = "en"\n')
    before = user.read_bytes()
    for key, value in [("service.close", "25:00"), ("zip.format", "des"), ("service.open", "21:00"),
                       ("session.idle_minutes", "5"), ("nope.key", 1)]:
        with pytest.raises(ConfigError):
            cfg.set_user_value(key, value)
        assert user.read_bytes() == before


def test_parse_cli_value() -> None:
    assert cfg.parse_cli_value("ui.minimize_to_tray", "no") is False
    assert cfg.parse_cli_value("session.idle_minutes", "30") == 30
    assert cfg.parse_cli_value("session.warn_minutes", "15,5,1") == [15, 5, 1]
    assert cfg.parse_cli_value("session.warn_minutes", "[10, 2]") == [10, 2]
    assert cfg.parse_cli_value("service.closed_dates", '["2026-12-28"]') == ["2026-12-28"]
    assert cfg.parse_cli_value("ui.language", "en") == "en"
    with pytest.raises(ConfigError):
        cfg.parse_cli_value("session.idle_minutes", "many")


# Each case: file text, expected line, words the message must contain.
INVALID_POLICIES = [
    ('[service]\nopen = "08:00\n', 2, "TOML"),
    ('[service]\nopen = "08:00"\n\n[servce]\nclose = "20:00"\n', 4, "servce"),
    ('[zip]\nformat = "aes256"\nlevel = 9\n', 3, "level"),
    ('[service]\n# hours\nopen = 8\n', 3, "open"),
    ('[service]\nopen = "08:00"\nclose = "25:00"\n', 3, '"close" の値が正しくありません（例: "20:00"）'),
    ('\n\n[zip]\nformat = "des"\n', 4, "aes256"),
    ('[service]\napi_base_url = "ftp://x"\n', 2, "https://"),
    ('[service]\nclosed_dates = [\n  "2026-12-28",\n  "2026-02-30",\n]\n', 2, "2026-02-30"),
    ('[lock]\nkeys = ["zip.fromat"]\n', 2, "zip.fromat"),
    ('[service]\nopen = "10:00"\nclose = "09:00"\n', 3, "close"),
    ('[fund]\noperations_desk_email = "gyomu at kikin"\n', 2, "operations_desk_email"),
    ('[vpn]\naccount_name_template = "denshi-{user}"\n', 2, "{establishment}"),
    ('[session]\nsession_limit_minutes = 60\nwarn_minutes = [90, 5]\n', 3, "warn_minutes"),
    ('[session]\nidle_minutes = true\n', 2, "idle_minutes"),
    ('[ui]\nlanguage = "fr"\n', 2, "language"),
    ('service.open = "8時"\n', 1, "open"),
    ('[lock]\nkeys = "zip.format"\n', 2, "keys"),
]


@pytest.mark.parametrize(("text", "line", "needle"), INVALID_POLICIES)
def test_invalid_policy_names_file_and_line(text: str, line: int, needle: str) -> None:
    path = write_policy(text)
    before = path.read_bytes()
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()
    e = ei.value
    assert isinstance(e, ConfigError)
    assert e.path == path and e.line == line, (e.line, e.ja)
    assert str(path) in e.ja and f"{line} 行目" in e.ja
    assert str(path) in e.en and f"line {line}" in e.en
    assert needle in e.ja + e.en
    assert e.location() == f"{path}:{line}"
    assert path.read_bytes() == before  # never rewritten
    assert any(x.line == line for x in cfg.validate_file(path))


def test_syntax_error_reports_column_too() -> None:
    path = write_policy('[service]\nopen = "08:00"\nclose "20:00"\n')
    e = cfg.validate_file(path)[0]
    assert e.line == 3 and e.column is not None
    assert "3 行目" in e.ja and "文字目" in e.ja


def test_non_utf8_file_names_the_line() -> None:
    path = app_paths().policy_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes('[fund]\n# 基金事務局\noperations_desk_email = "a@b.jp"\n'.encode("cp932"))
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()
    assert ei.value.line == 2 and "UTF-8" in ei.value.ja and ei.value.hint_ja


def test_absurd_nesting_is_a_clear_error_not_a_crash() -> None:
    path = write_user('[ui]\n\nlanguage = ' + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()
    assert ei.value.line == 3 and ei.value.code == "config_syntax" and str(path) in ei.value.ja


def test_bom_from_notepad_is_accepted() -> None:
    path = app_paths().policy_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes('\ufeff[service]\nopen = "09:00"\n'.encode())
    assert cfg.load_effective_settings().service.open == "09:00"


def test_lock_in_user_settings_is_an_error() -> None:
    path = write_user('[ui]\nlanguage = "en"\n[lock]\nkeys = ["ui.language"]\n')
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()
    assert ei.value.path == path and ei.value.line == 3


def test_broken_user_file_is_never_overwritten_or_ignored() -> None:
    path = write_user('[ui]\nlanguage = "en\n')
    before = path.read_bytes()
    with pytest.raises(cfg.SettingsFileError):
        cfg.load_effective_settings()
    with pytest.raises(cfg.SettingsFileError):
        cfg.set_user_value("ui.language", "ja")
    assert path.read_bytes() == before


def test_broken_policy_blocks_user_writes() -> None:
    write_policy("[lock\n")
    with pytest.raises(cfg.SettingsFileError):
        cfg.set_user_value("ui.language", "en")
    assert not app_paths().settings_file.exists()


def test_cross_layer_conflict_blames_the_users_file() -> None:
    write_policy('[service]\nclose = "12:00"\n')
    user = write_user('[ui]\nlanguage = "ja"\n\n[service]\nopen = "13:00"\n')
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()
    assert ei.value.path == user and ei.value.line == 5


def test_cross_layer_conflict_blames_the_limit_when_only_it_changed() -> None:
    user = write_user('[session]\n\nsession_limit_minutes = 10\n')
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()  # default warn_minutes [15, 5, 1] no longer fit
    assert ei.value.path == user and ei.value.line == 3 and ei.value.key == "session.warn_minutes"


def test_multiple_problems_listed_by_validate() -> None:
    path = write_policy('[service]\nopen = "x"\nclose = "y"\n[zip]\nformat = 1\n')
    assert [e.line for e in cfg.validate_file(path)] == [2, 3, 5]
    with pytest.raises(cfg.SettingsFileError) as ei:
        cfg.load_effective_settings()
    assert "2 件" in ei.value.hint_ja


def test_service_is_usable_as_calendar_config() -> None:
    write_policy('[service]\nopen = "09:30"\nclose = "17:00"\nclosed_dates = [2026-12-28, "2026-08-13"]\n')
    eff = cfg.load_effective_settings()
    assert eff.service.closed_dates == ("2026-08-13", "2026-12-28")
    cal = eff.service.calendar
    from denshi_client.service_calendar import CalendarConfig

    assert isinstance(cal, CalendarConfig)
    assert cal.open_time.hour == 9 and cal.open_time.minute == 30
    assert len(cal.closed_dates) == 2


def test_vpn_account_name_template() -> None:
    write_policy('[vpn]\naccount_name_template = "kikin-{establishment6}-{profile}"\n')
    vpn = cfg.load_effective_settings().vpn
    assert vpn.account_name("0123", "e0123") == "kikin-000123-e0123"


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["a.s", "a.t", "b.u", "c.v"]),
    st.one_of(st.text(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
              st.floats(allow_nan=False, allow_infinity=False), st.lists(st.text(), max_size=4),
              st.lists(st.integers(min_value=-1000, max_value=1000), max_size=4))))
def test_toml_writer_roundtrips(values: dict) -> None:
    text = cfg.dump_sections(values)
    data = tomllib.loads(text)
    flat = {f"{s}.{k}": v for s, body in data.items() for k, v in body.items()}
    assert flat == values


def test_example_policy_and_docs_cover_every_key() -> None:
    example = REPO / "resources" / "policy.example.toml"
    assert cfg.validate_file(example, "policy") == []
    text = example.read_text(encoding="utf-8")
    docs = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    for spec in cfg.SCHEMA:
        assert re.search(rf"(?m)^#?\s*{re.escape(spec.name)}\s*=", text), f"{spec.key} missing in example"
        assert f"`{spec.key}`" in docs, f"{spec.key} missing in docs/settings.md"
