"""One module for Windows file-name rules: naming, ZIP unpack and downloads all answer the same way."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from denshi_client.documents import naming, winnames, zipnames

SRC = Path(__file__).resolve().parents[2] / "src" / "denshi_client"

# Microsoft, "Naming Files, Paths, and Namespaces" (2024), plus the legacy console/clock devices.
DOCUMENTED = (["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"]
              + [f"{d}{n}" for d in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]])


@pytest.mark.parametrize("stem", DOCUMENTED)
def test_every_device_name_is_reserved_for_naming_zip_and_downloads(stem: str) -> None:
    for name in (stem, stem.lower() + ".pdf", f"{stem} .zip", f"{stem}.pdf.zip"):
        assert winnames.is_reserved(name), name
        assert zipnames.is_reserved(name), name
        assert "reserved_name" in [p.code for p in naming.component_problems(name)], name
        safe = winnames.safe_name(name)
        assert not winnames.is_reserved(safe) and naming.is_windows_safe(safe), (name, safe)


def test_not_reserved() -> None:
    for name in ["CONSOLE.pdf", "COM10.pdf", "com.pdf", "NULL.pdf", "xCON.pdf", "CLOCK.pdf", "_CON.pdf"]:
        assert not winnames.is_reserved(name)
        assert naming.is_windows_safe(name)


def test_one_list_of_reserved_names_in_the_source() -> None:
    """No second copy of the Windows rules anywhere: the device list lives in winnames.py only."""
    assert naming.RESERVED_DEVICE_NAMES is winnames.RESERVED_DEVICE_NAMES
    assert zipnames.is_reserved is winnames.is_reserved and zipnames.safe_name is winnames.safe_name
    copies = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
              if re.search(r"CONOUT\$|CONIN\$|\"PRN\"|'PRN'", p.read_text(encoding="utf-8"))]
    assert copies == ["documents/winnames.py"]


names = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(list("./\\ :CONULPTcom0¹$<>?*|\"aあ長~-\x00\t")), max_size=40),
    st.sampled_from(["", ".", "..", "../../../x", "/etc/passwd", "C:\\x", "\\\\srv\\s\\x", "CON.zip", "nul",
                     "COM1.pdf.zip", ".~denshi-abc.partial", "CON" + " " * 300 + "x.pdf"]),
)


@settings(max_examples=300, deadline=None)
@given(names)
def test_safe_component_is_one_harmless_name(text: str) -> None:
    for s in (winnames.safe_component(text), winnames.safe_name(text)):
        assert s and s not in (".", "..")
        assert naming.is_windows_safe(s), s  # naming's own checks agree
        assert not PureWindowsPath(s).is_reserved()
        assert not s.startswith(winnames.TEMP_PREFIX)
        assert winnames.safe_name(s) == s
        assert winnames.child_path(Path("/dest"), s).parent == Path("/dest")


def test_safe_component_keeps_the_text_of_a_path_like_value() -> None:
    assert winnames.safe_component("../../../x") == ".._.._.._x"
    assert winnames.safe_component("C:\\x") == "C__x"
    assert winnames.safe_component("") == "_"
    assert winnames.safe_component("..", fallback="") == ""


def test_child_path_refuses_what_is_not_a_child() -> None:
    for bad in ["../x", "..", "", "a/b", "CON", "x."]:
        with pytest.raises(ValueError):
            winnames.child_path(Path("/dest"), bad)
