"""A stopgap for a refcount bug in PySide6 6.12.0's Linux wheels on Python 3.11 (found 2026-12-02).

Every call of a Qt method that returns void takes one reference away from `None`, and every
`Signal.emit()` (and `SignalInstance.disconnect`) one from `True` (measured: 10,000 calls, 10,000
references; upstream PYSIDE-3474). A fresh 3.11 process holds about 5,000 references to `None` and
600 to `True`: when they run out Python aborts with "none_dealloc" / "bool_dealloc", so a long
session would crash. 6.11.3 and older are clean; so is the 6.12.0 Windows wheel on the Windows
build's CPython 3.11.9 (measured under wine); from Python 3.12 on the singletons are immortal.
Until a fixed PySide6 comes, we hold a reserve of references to each singleton and top it up at
start-up and from the session's one-second tick (the app makes about 600 such calls a second at its
busiest, the reserve is 100,000 at its lowest), so no count can reach zero. The reserve itself is
never freed (one extra reference to its list): freeing it at exit would hand back references the leak
already took, and abort the exit.
"""

from __future__ import annotations

import sys

_RESERVE: list[object] = []
_CHUNK = 250_000  # 2 MB of pointers per singleton: minutes of headroom at the app's busiest
_LOW = 100_000
SINGLETONS: tuple[object, ...] = (None, True, False)


def needed() -> bool:
    return sys.version_info < (3, 12)


def top_up() -> None:
    """Cheap when there is headroom (one getrefcount each); adds a chunk when a count runs low."""
    if not needed():
        return
    if not _RESERVE:
        import ctypes  # here, not at the top: this module is imported before the first paint (ctypes ~3 ms)

        ctypes.pythonapi.Py_IncRef(ctypes.py_object(_RESERVE))  # immortal: see the module's docstring
    for single in SINGLETONS:
        if sys.getrefcount(single) < _LOW:
            _RESERVE.extend([single] * _CHUNK)
