"""Property tests for the naming rules (hypothesis)."""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import PureWindowsPath

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from denshi_client.documents import naming
from denshi_client.documents.forms import load_forms
from denshi_client.errors import ValidationError

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMS = load_forms().upload_names()

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
establishments = st.integers(min_value=1, max_value=9999)
free_forms = st.text(
    alphabet=st.one_of(st.characters(categories=["L", "N"]), st.sampled_from("_-・ ()")),
    min_size=1, max_size=20,
)
forms = st.one_of(st.sampled_from(FORMS), free_forms)

# Pieces that exercise every branch of validate(): near-misses of the pattern, Windows traps, full-width text.
pieces = st.sampled_from([
    "20240524", "20240230", "２０２４０５２４", "2024524", "0123", "123", "12345", "０１２３", "0000",
    "_", "_", "_", ".pdf", ".PDF", ".pdf", ".docx", ".", " ", "\u3000", "資格取得届", "謎の届", "CON", "nul",
    "COM1", "lpt9", "<", ">", ":", '"', "/", "\\", "|", "?", "*", "\x00", "\t", "ｼｶｸ", "⽉", "𠮷", "e\u0301",
    "長" * 120,
])
built_names = st.lists(pieces, max_size=8).map("".join)
any_names = st.one_of(st.text(), built_names, st.builds(lambda d, e, f: f"{d:%Y%m%d}_{e:04d}_{f}.pdf",
                                                         dates, establishments, forms))

# Microsoft, "Naming Files, Paths, and Namespaces" (COM0/LPT0 and superscripts included), plus legacy devices.
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                    *(f"{d}{i}" for d in ("COM", "LPT") for i in [*"0123456789", "¹", "²", "³"])}


def windows_would_accept(name: str) -> bool:
    """An oracle written independently from naming.component_problems."""
    if not name or len(name.encode("utf-16-le", "surrogatepass")) // 2 > 255:
        return False
    if any(c in '<>:"/\\|?*' or ord(c) < 32 for c in name):
        return False
    if name.endswith((".", " ")):
        return False
    if name.split(".")[0].strip(" ").upper() in WINDOWS_RESERVED:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        is_reserved = getattr(PureWindowsPath(name), "is_reserved", lambda: False)
        return not is_reserved()


@SETTINGS
@given(dates, establishments, forms)
def test_compose_then_parse_round_trips(d: date, e: int, form: str) -> None:
    expected_form = naming.normalize(form).text.strip()
    try:
        name = naming.compose(d, e, form)
    except ValidationError as err:
        # Only a form name that cannot be a file-name part may be refused.
        assert err.code in {"form_missing", "too_long", "forbidden_chars", "trailing_dot_space", "control_chars"}
        return
    u = naming.parse(name)
    assert (u.filing_date, u.establishment, u.form) == (d, e, expected_form)
    assert u.file_name == name
    assert re.fullmatch(r"\d{8}_\d{4}_.+\.pdf", name)


@SETTINGS
@given(dates, establishments, st.sampled_from(FORMS))
def test_era_input_gives_the_same_name(d: date, e: int, form: str) -> None:
    era = naming.to_japanese_era(d)
    assert naming.parse_date(era) == d
    assert naming.compose(era, e, form) == naming.compose(d.isoformat(), e, form)


@SETTINGS
@given(any_names)
def test_validate_never_crashes_and_is_consistent(name: str) -> None:
    r = naming.validate(name, folder="C:\\Users\\jimu\\Documents", today=date(2024, 5, 24))
    assert r.ok == (not r.problems)
    assert (r.parsed is not None) == r.ok
    for p in (*r.problems, *r.warnings):
        assert p.ja and p.en
    if r.changes:
        assert not r.ok and r.normalized != name


@SETTINGS
@given(any_names)
def test_any_accepted_name_is_windows_safe_and_follows_the_rule(name: str) -> None:
    r = naming.validate(name)
    if not r.ok:
        return
    assert windows_would_accept(name)
    assert name == r.normalized
    assert re.fullmatch(r"\d{8}_\d{4}_.+\.pdf", name)
    assert r.parsed is not None and r.parsed.file_name == name


@SETTINGS
@given(st.one_of(st.text(), built_names))
def test_normalisation_is_idempotent(text: str) -> None:
    once = naming.normalize(text)
    twice = naming.normalize(once.text)
    assert twice.text == once.text
    assert not twice.changed
    assert once.changed == (once.text != text)


@SETTINGS
@given(st.text())
def test_strict_helpers_raise_only_validation_errors(text: str) -> None:
    for fn in (naming.parse_date, naming.parse_establishment, naming.parse, naming.registration_file_name):
        try:
            fn(text)
        except ValidationError:
            pass


@SETTINGS
@given(any_names, st.integers(min_value=1, max_value=9999))
def test_a_suggestion_is_always_valid(source: str, e: int) -> None:
    s = naming.suggest(source, establishment=e, today=date(2024, 5, 24))
    if s.name is not None:
        assert naming.validate(s.name).ok
