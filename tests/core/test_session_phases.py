"""The visit's phases change only along `PHASE_TRANSITIONS`, in one method of the machine.

Walks the whole table (every allowed edge works, every other pair raises), checks the
table's shape (every phase reachable from rest, every visit can come back to rest), and
reads the session package to make sure nothing but `SessionMachine._move` assigns the phase.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

import denshi_client.session.machine as machine_mod
from denshi_client.clock import FakeClock
from denshi_client.session import Phase, SessionDeps, SessionMachine
from denshi_client.session.model import PHASE_TRANSITIONS, PhaseError
from denshi_client.vpn.standin import StandInVpnDriver

REST = (Phase.IDLE, Phase.ENDED, Phase.FAILED)


@pytest.fixture()
def machine() -> SessionMachine:
    return SessionMachine(SessionDeps(vpn=StandInVpnDriver(FakeClock())), FakeClock())


def _force(m: SessionMachine, phase: Phase) -> None:
    m._phase = phase  # test set-up only: put the machine in a phase without walking there


def test_every_allowed_transition_is_taken_and_announced(machine: SessionMachine) -> None:
    seen: list[Phase] = []
    machine.add_listener(lambda ev: seen.append(ev.snapshot.phase))
    for frm, targets in PHASE_TRANSITIONS.items():
        for to in targets:
            _force(machine, frm)
            seen.clear()
            machine._set_phase(to)
            assert machine.phase is to
            assert seen == [to], (frm, to)


def test_every_other_transition_raises(machine: SessionMachine) -> None:
    illegal = [(a, b) for a, b in itertools.product(Phase, Phase) if a is not b and b not in PHASE_TRANSITIONS[a]]
    assert (Phase.ENDED, Phase.CONNECTING_VPN) in illegal  # a cancelled visit never reaches the VPN
    for frm, to in illegal:
        _force(machine, frm)
        with pytest.raises(PhaseError):
            machine._set_phase(to)
        assert machine.phase is frm, (frm, to)


def test_table_covers_every_phase_and_comes_back_to_rest() -> None:
    assert set(PHASE_TRANSITIONS) == set(Phase)
    reach = {Phase.IDLE}
    while True:
        more = {t for p in reach for t in PHASE_TRANSITIONS[p]} - reach
        if not more:
            break
        reach |= more
    assert reach == set(Phase)
    for p in Phase:  # from anywhere a visit can end; the VPN phases only through ENDING
        path, frontier = {p}, {p}
        while frontier:
            frontier = {t for q in frontier for t in PHASE_TRANSITIONS[q]} - path
            path |= frontier
        assert path & set(REST), p
    for p in (Phase.CONNECTING_VPN, Phase.LOGGING_IN, Phase.READY):
        assert PHASE_TRANSITIONS[p] & set(REST) == set(), p


def test_only_one_method_assigns_the_phase() -> None:
    """Read every module of the session package (the machine's parts live beside machine.py)."""
    writers = set()
    where = set()
    for path in sorted(Path(machine_mod.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                for node in ast.walk(fn):
                    targets = node.targets if isinstance(node, ast.Assign) else (
                        [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign) else [])
                    if any(isinstance(t, ast.Attribute) and t.attr == "_phase" for t in targets):
                        writers.add(fn.name)
                        where.add(path.name)
    assert writers == {"__init__", "_move"}
    assert where == {"machine.py"}


def test_every_shared_method_of_the_parts_is_defined_by_one() -> None:
    """`MachineParts` only declares what the parts call in each other: none of its stubs may be left in the
    machine (a part listed before the one defining it would otherwise shadow the real method)."""
    from denshi_client.session.machine_parts import MachineParts

    declared = [n for n, v in vars(MachineParts).items() if callable(v) and not n.startswith("__")]
    assert "_move" in declared and "end" in declared
    assert [n for n in declared if getattr(SessionMachine, n) is vars(MachineParts)[n]] == []
