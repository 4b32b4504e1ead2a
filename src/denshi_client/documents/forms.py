"""The fund's form names, read from `resources/forms.toml`.

The names are data the fund may change at any time, so they live in a TOML file
(replaceable by an override file) and never in code. Every upload form name becomes
part of a file name, so loading checks it against the same Windows rules as naming.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from denshi_client.errors import ConfigError
from denshi_client.resources import resource

FormKind = Literal["upload", "download"]
RESOURCE_NAME = "forms.toml"


@dataclass(frozen=True)
class FormInfo:
    name: str
    kind: FormKind
    en: str = ""
    note: str = ""


@dataclass(frozen=True)
class FormCatalog:
    """Upload (届書) and download (帳票) names in the file's order, which the UI keeps."""

    upload: tuple[FormInfo, ...]
    download: tuple[FormInfo, ...] = ()
    source: str = ""

    def upload_names(self) -> list[str]:
        return [f.name for f in self.upload]

    def download_names(self) -> list[str]:
        return [f.name for f in self.download]

    def is_upload_form(self, name: str) -> bool:
        return any(f.name == name for f in self.upload)

    def get(self, name: str) -> FormInfo | None:
        for f in (*self.upload, *self.download):
            if f.name == name:
                return f
        return None

    def find_in(self, text: str, kinds: Iterable[FormKind] = ("upload",)) -> FormInfo | None:
        """The longest known name contained in `text` (so 育児休業等終了届 wins over a shorter match)."""
        text = unicodedata.normalize("NFKC", text)
        pool = [f for f in (*self.upload, *self.download) if f.kind in tuple(kinds)]
        hits = [f for f in pool if f.name in text]
        return max(hits, key=lambda f: len(f.name)) if hits else None


def default_forms_path() -> Path:
    return resource(RESOURCE_NAME)


def load_forms(path: str | Path | None = None) -> FormCatalog:
    """The catalog from `path` (an override file) or from the bundled resource."""
    p = Path(path) if path is not None else default_forms_path()
    return _load_cached(str(p.resolve()), _mtime(p))


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: float) -> FormCatalog:
    # Keyed on mtime so that an edited override file is picked up without a restart.
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ConfigError(
            f"届書名の一覧ファイルを読み込めませんでした: {p}",
            f"Cannot read the form-name list: {p} ({e.strerror or e})",
            code="forms_unreadable",
        ) from e
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(
            f"届書名の一覧ファイルの書式に誤りがあります: {p}（{e}）",
            f"The form-name list is not valid TOML: {p} ({e})",
            code="forms_invalid",
        ) from e
    return parse_catalog(data, source=str(p))


def parse_catalog(data: dict[str, Any], *, source: str = "") -> FormCatalog:
    from denshi_client.documents.naming import component_problems

    def bad(ja: str, en: str) -> ConfigError:
        return ConfigError(f"届書名の一覧ファイル {source}: {ja}", f"Form-name list {source}: {en}",
                           code="forms_invalid")

    unknown = set(data) - {"version", "upload", "download"}
    if unknown:
        keys = ", ".join(sorted(unknown))
        raise bad(f"不明な項目があります（{keys}）。", f"unknown keys ({keys}).")
    lists: dict[str, list[FormInfo]] = {"upload": [], "download": []}
    seen: set[str] = set()
    for kind in ("upload", "download"):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise bad(f"[[{kind}]] の形式が正しくありません。", f"[[{kind}]] must be an array of tables.")
        for i, entry in enumerate(entries, 1):
            where = f"[[{kind}]] #{i}"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise bad(f"{where} に name（文字列）がありません。", f"{where} has no string `name`.")
            name = unicodedata.normalize("NFKC", entry["name"]).strip()
            problems = component_problems(name)
            if not name or problems:
                why_ja = problems[0].ja if problems else "名前が空です。"
                why_en = problems[0].en if problems else "the name is empty."
                raise bad(f"{where}「{name}」はファイル名に使えません。{why_ja}",
                          f"{where} {name!r} cannot be part of a file name: {why_en}")
            if name in seen:
                raise bad(f"「{name}」が重複しています。", f"{name!r} is listed twice.")
            seen.add(name)
            lists[kind].append(FormInfo(name=name, kind=kind,  # type: ignore[arg-type]
                                        en=str(entry.get("en", "")), note=str(entry.get("note", ""))))
    if not lists["upload"]:
        raise bad("届書名（[[upload]]）が一つもありません。", "no upload form names ([[upload]]).")
    return FormCatalog(upload=tuple(lists["upload"]), download=tuple(lists["download"]), source=source)
