"""One place per fact: setting defaults, file hashing and error text are each written once.

These read the code (with `ast`) or compare the places that must agree, so a second copy of a
fact — a literal default in a settings dataclass, a new `sha256_file`, a view's own
`_message(exc)` — fails here instead of drifting quietly.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "denshi_client"


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


# --------------------------------------------------------------------------- setting defaults

def test_settings_dataclasses_take_every_default_from_the_schema() -> None:
    from denshi_client.store import settings as cfg

    sections = {f.name: f.type for f in dataclasses.fields(cfg.EffectiveSettings) if f.name in cfg.SECTIONS}
    assert set(sections) == set(cfg.SECTIONS)
    for section in cfg.SECTIONS:
        instance = getattr(cfg.default_settings(), section)
        names = {f.name for f in dataclasses.fields(instance)}
        assert names == {s.name for s in cfg.SCHEMA if s.section == section}, section
        for spec in (s for s in cfg.SCHEMA if s.section == section):
            assert getattr(instance, spec.name) == spec.default, spec.key


def test_no_settings_dataclass_writes_a_literal_default() -> None:
    """A literal default next to the schema's is the drift this test exists for (20 vs 30 minutes)."""
    written: list[str] = []
    classes = 0
    files = [p for p in (SRC / "store" / "settings.py", *(SRC / "store" / "settings").glob("*.py")) if p.is_file()]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            section_class = isinstance(node, ast.ClassDef) and node.name.endswith("Settings")
            if not section_class or node.name == "EffectiveSettings":
                continue
            classes += 1
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.value, ast.Constant | ast.Tuple):
                    written.append(f"{path.name}:{stmt.lineno} {node.name}.{ast.unparse(stmt.target)}")
    assert classes >= 9  # the section dataclasses were found
    assert written == [], "defaults belong in SCHEMA (store/settings/schema.py): " + ", ".join(written)


def test_session_config_defaults_are_the_settings_defaults() -> None:
    from denshi_client.services import session_config
    from denshi_client.session.model import SessionConfig
    from denshi_client.store import settings as cfg

    assert SessionConfig() == session_config(cfg.default_settings())
    assert SessionConfig().idle_timeout_s == cfg.SPECS["session.idle_minutes"].default * 60


def test_portal_and_vpn_never_load_the_settings() -> None:
    """They receive their settings from services.py (or the CLI); reading the files is the store's job."""
    loads = [f"{p.relative_to(SRC)}" for part in ("portal", "vpn") for p in sorted((SRC / part).rglob("*.py"))
             if "standin" not in p.parts and "load_effective_settings" in p.read_text(encoding="utf-8")]
    assert loads == []


# --------------------------------------------------------------------------- hashing

def test_one_file_hash_helper() -> None:
    defs = [f"{p.relative_to(SRC)}:{fn.lineno} {fn.name}" for p in _modules() for fn in _functions(p)
            if "sha256" in fn.name and "file" in fn.name]
    assert [d.split(":")[0] for d in defs] == ["hashing.py"], defs


def test_hash_helper_matches_hashlib(tmp_path: Path) -> None:
    import hashlib

    from denshi_client.hashing import sha256_file, sha256_prefix

    data = bytes(range(256)) * 9000  # larger than one read
    f = tmp_path / "x.bin"
    f.write_bytes(data)
    assert sha256_file(f) == hashlib.sha256(data).hexdigest()
    h, n = sha256_prefix(f, 1000)
    assert n == 1000 and h.hexdigest() == hashlib.sha256(data[:1000]).hexdigest()
    h, n = sha256_prefix(f)
    assert n == len(data) and h.hexdigest() == hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- error text

def test_views_have_no_error_text_of_their_own() -> None:
    """Every view turns an exception into words with `errors.error_text` / `error_line`."""
    own: list[str] = []
    for path in sorted((SRC / "ui").glob("*.py")):
        for fn in _functions(path):
            args = fn.args.args
            if not args or args[0].arg not in ("exc", "e", "err", "error"):
                continue
            body = ast.unparse(fn)
            if "DenshiError" in body and (".message(" in body or ".ja" in body):
                own.append(f"ui/{path.name}:{fn.lineno} {fn.name}")
    assert own == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_error_text_words(lang: str) -> None:
    from denshi_client.errors import ConfigError, error_line, error_text

    e = ConfigError("設定が読めません。", "Cannot read the settings.", hint_ja="直してください。", hint_en="Fix it.")
    msg, hint = error_text(e, lang)
    assert (msg, hint) == (("設定が読めません。", "直してください。") if lang == "ja"
                           else ("Cannot read the settings.", "Fix it."))
    assert error_line(e, lang) == f"{msg}\n{hint}"
    raw = OSError("C:\\secret\\path is gone")
    msg, hint = error_text(raw, lang)
    assert "secret" not in msg and "OSError" in msg and hint
    assert msg.startswith("予期しない" if lang == "ja" else "An unexpected")
