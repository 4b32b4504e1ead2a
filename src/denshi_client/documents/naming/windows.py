"""Whether Windows can store a name, as `Problem`s with Japanese and English text.

The rules themselves (device names, forbidden characters, UTF-16 units) live in `documents/winnames.py`."""

from __future__ import annotations

from pathlib import PurePath

from denshi_client.documents import winnames
from denshi_client.documents.naming.rules import DEFAULT_RULES, NamingRules, Problem

utf16_units = winnames.utf16_units


def component_problems(name: str, rules: NamingRules = DEFAULT_RULES) -> list[Problem]:
    """Why Windows could not store `name` as one file name (empty list: it can)."""
    problems: list[Problem] = []
    if not name:
        return [Problem("empty", "ファイル名が空です。", "The file name is empty.")]
    bad = winnames.forbidden_chars(name)
    if bad:
        shown = " ".join(bad)
        problems.append(Problem(
            "forbidden_chars",
            f"ファイル名に使えない文字（{shown}）が含まれています。次の文字は使えません: \\ / : * ? \" < > |",
            f"The name contains characters Windows does not allow ({shown}). Not allowed: \\ / : * ? \" < > |",
        ))
    if any(winnames.is_control(c) for c in name):
        problems.append(Problem("control_chars", "ファイル名に制御文字（改行やタブなど）が含まれています。",
                                "The name contains control characters (line breaks, tabs and the like)."))
    if winnames.is_reserved(name):
        problems.append(Problem(
            "reserved_name",
            f"「{name.split('.', 1)[0]}」はWindowsの予約名のため、ファイル名に使えません。",
            f"{name.split('.', 1)[0]!r} is a reserved device name on Windows and cannot be a file name.",
        ))
    if name[-1] in ". ":
        problems.append(Problem("trailing_dot_space", "ファイル名の末尾に「.」や空白は使えません。",
                                "A file name cannot end with a dot or a space."))
    units = utf16_units(name)
    if units > rules.max_component_units:
        problems.append(Problem(
            "too_long",
            f"ファイル名が長すぎます（{units}文字、上限{rules.max_component_units}文字）。届書名を短くしてください。",
            f"The file name is too long ({units} UTF-16 units; the limit is {rules.max_component_units}).",
        ))
    return problems


def path_length_problems(folder: str | PurePath, name: str, rules: NamingRules = DEFAULT_RULES) -> list[Problem]:
    """Whether `folder\\name` fits in Windows' classic MAX_PATH (260 with the final NUL).

    Many Windows programs (Explorer's older dialogs, Office, some mailers) still fail beyond it,
    even where long paths are enabled.
    """
    folder_text = str(folder).rstrip("\\/")
    full = f"{folder_text}\\{name}" if folder_text else name
    units = utf16_units(full) + 1
    if units > rules.max_path_units:
        return [Problem(
            "path_too_long",
            f"保存先のフォルダーを含めたパスが長すぎます（{units - 1}文字、上限{rules.max_path_units - 1}文字）。"
            "浅いフォルダーに保存するか、ファイル名を短くしてください。",
            f"The full path is too long ({units - 1} UTF-16 units; Windows allows {rules.max_path_units - 1}). "
            "Use a shorter folder or a shorter name.",
            field="path",
        )]
    return []


def is_windows_safe(name: str, rules: NamingRules = DEFAULT_RULES) -> bool:
    return not component_problems(name, rules)
