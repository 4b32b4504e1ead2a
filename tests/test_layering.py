"""Dependencies point down only, and the core stays Qt-free.

`ALLOWED` is the package table from docs/architecture.md: each top-level part of
`denshi_client` may import only the parts listed for it (and itself). Imports are read
with `ast` from every statement, so an import inside a function counts as much as one at
the top of a module — the lazy imports that keep start-up fast are still dependencies.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "denshi_client"

# Shared primitives: any part may import them; they import only each other. `store.paths` says where the
# per-user folders are (no file is read): the UI needs it before the first paint, for its single-instance lock.
BASE = frozenset({
    "__init__", "errors", "clock", "i18n", "redact", "logsetup", "resources", "service_calendar", "hashing",
    "store.paths",
})

# part -> the parts it may import besides itself and BASE. Read it top-down: each row names
# only rows below it (the stand-in fakes the fund's service, so it sits beside portal/).
ALLOWED: dict[str, frozenset[str]] = {
    "main": frozenset({"cli", "ui"}),  # the entry point picks a face
    "__main__": frozenset({"main"}),
    # the settings, profiles, history and secrets only through `services` (and the mailbox's password through mail)
    "ui": frozenset({
        "demo", "services", "diagnostics", "onboarding", "session", "vpn", "portal", "portal.standin",
        "documents", "mail",
    }),
    "cli": frozenset({
        "demo", "services", "diagnostics", "onboarding", "session", "vpn", "portal", "portal.standin",
        "documents", "store", "mail",
    }),
    "demo": frozenset({"services", "session", "vpn", "portal", "portal.standin", "documents", "store", "mail"}),
    "services": frozenset({"session", "vpn", "portal", "documents", "store", "mail"}),
    "diagnostics": frozenset({"session", "vpn", "portal", "documents", "store"}),
    "onboarding": frozenset({"documents", "store"}),
    "session": frozenset({"vpn", "portal", "documents", "store"}),
    "portal.standin": frozenset({"portal", "documents", "mail"}),  # delivers its OTP mail into a Maildir
    "portal": frozenset({"documents", "store"}),
    "mail": frozenset({"store"}),  # the OTP mail reader (a sibling of vpn/ and portal/)
    "vpn": frozenset({"store"}),
    "store": frozenset({"documents"}),  # the establishment number has one definition: documents.naming
    "documents": frozenset(),
}


def _part(dotted: list[str]) -> str:
    """The table row a module path (below `denshi_client`) belongs to."""
    if not dotted:
        return "__init__"
    if dotted[:2] == ["portal", "standin"]:
        return "portal.standin"
    if dotted[:2] in (["store", "paths"], ["store", "paths.py"]):
        return "store.paths"
    head = dotted[0]
    return head[:-3] if head.endswith(".py") else head


def _is_module(dotted: str) -> bool:
    rel = SRC.parent.joinpath(*dotted.split("."))
    return rel.with_suffix(".py").is_file() or (rel / "__init__.py").is_file()


def _imported_parts(path: Path, src: Path) -> set[tuple[str, int]]:
    """(part, line) for every `denshi_client` import in a file, wherever the statement sits."""
    package = ["denshi_client", *path.relative_to(src).parts[:-1]]
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # `from denshi_client import errors` names a module; `import __version__` names a value
            modules = [f"{module}.{a.name}" if _is_module(f"{module}.{a.name}") else module for a in node.names]
        for m in modules:
            parts = m.split(".")
            if parts[0] == "denshi_client":
                found.add((_part(parts[1:]), node.lineno))
    return found


def upward_imports(src: Path = SRC) -> list[str]:
    offenders = []
    for py in sorted(src.rglob("*.py")):
        rel = py.relative_to(src)
        me = _part(list(rel.parts))
        if me not in ALLOWED and me not in BASE:
            offenders.append(f"{rel}: part {me!r} is not in the layering table")
            continue
        allowed = ALLOWED.get(me, frozenset()) | BASE | {me}
        if me in BASE:
            allowed = BASE
        for part, line in sorted(_imported_parts(py, src)):
            if part not in allowed:
                offenders.append(f"{rel}:{line} imports {part}")
    return offenders


def test_dependencies_point_down() -> None:
    assert upward_imports() == []


def test_table_is_acyclic() -> None:
    """The table itself is a layering: no part can reach itself through others."""
    def reach(p: str, seen: frozenset[str]) -> None:
        for q in ALLOWED.get(p, frozenset()):
            assert q not in seen, f"cycle through {q}"
            reach(q, seen | {q})
    for p in ALLOWED:
        reach(p, frozenset({p}))


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    """The check can fail: a store module importing the session, inside a function, is reported."""
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "x.py").write_text(
        "def f():\n    from denshi_client.session.model import Phase\n    return Phase\n", encoding="utf-8")
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "y.py").write_text("from denshi_client.portal import standin\n", encoding="utf-8")
    assert upward_imports(tmp_path) == ["portal/y.py:1 imports portal.standin", "store/x.py:2 imports session"]


def test_the_ui_reaches_the_store_only_through_services(tmp_path: Path) -> None:
    """A view reading the settings itself is reported, wherever the import sits; the folders' primitive is not."""
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "v.py").write_text(
        "from denshi_client.store.paths import app_paths\n"
        "from denshi_client.services import current_settings\n"
        "def f():\n    from denshi_client.store import settings\n    return settings\n", encoding="utf-8")
    assert upward_imports(tmp_path) == ["ui/v.py:4 imports store"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_does_not_import_qt() -> None:
    offenders = []
    for py in SRC.rglob("*.py"):
        rel = py.relative_to(SRC)
        if rel.parts[0] == "ui":
            continue
        if any(n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6") for n in _imports(py)):
            offenders.append(str(rel))
    assert offenders == [], f"Qt imported outside ui/: {offenders}"


def test_core_imports_without_qt_loaded() -> None:
    import subprocess
    import sys

    code = (
        "import sys, importlib, pkgutil, denshi_client\n"
        "skip = ('denshi_client.ui',)\n"
        "for m in pkgutil.walk_packages(denshi_client.__path__, 'denshi_client.'):\n"
        "    if not m.name.startswith(skip) and not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print('PySide6' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
