"""The stand-in's accounts and seeded inbox: realistic Japanese documents as real password ZIPs.

Demo accounts (documented in docs/protocol.md):

- `demo`      — 複数事業所管理: establishments 0123 and 0456 (株式会社サンプル商事 本社・大阪支店)
- `demo0789`  — one establishment, 0789 (有限会社テスト工業)

Every seeded ZIP of an establishment uses that establishment's password (`DEMO_ZIP_PASSWORDS`), which the
demo profile puts into the keyring. The formats vary on purpose, as the fund's files do: AES-256,
ZipCrypto, and ZipCrypto/AES with CP932 entry names and no UTF-8 flag (as Japanese Windows tools write).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from denshi_client.clock import JST
from denshi_client.documents.archive import ZipFormat, pack
from denshi_client.hashing import sha256_file
from denshi_client.portal.standin.pdfgen import make_pdf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Establishment:
    number: str
    name: str


@dataclass(frozen=True)
class User:
    user_id: str
    email: str
    establishments: tuple[str, ...]


ESTABLISHMENTS: dict[str, Establishment] = {
    "0123": Establishment("0123", "株式会社サンプル商事 本社"),
    "0456": Establishment("0456", "株式会社サンプル商事 大阪支店"),
    "0789": Establishment("0789", "有限会社テスト工業"),
}

USERS: dict[str, User] = {
    "demo": User("demo", "nenkin-tanto@sample-shoji.example", ("0123", "0456")),
    "demo0789": User("demo0789", "soumu@test-kogyo.example", ("0789",)),
}

# The seed ZIPs' passwords, one per establishment (the fund notifies them separately in real life).
DEMO_ZIP_PASSWORDS: dict[str, str] = {
    "0123": "Sample0123-Shoji",
    "0456": "Sample0456-Osaka",
    "0789": "Test0789-Kogyo",
}


@dataclass
class DocRecord:
    id: str
    doc_type: str
    title: str
    establishment: str
    date: str  # ISO date
    size: int
    sha256: str
    file_name: str
    path: str  # absolute, or relative to the documents folder
    unread: bool = True
    zip_format: str = ""
    members: list[str] = field(default_factory=list)

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.doc_type, "title": self.title, "establishment": self.establishment,
            "date": self.date, "size": self.size, "sha256": self.sha256, "unread": self.unread,
            "file_name": self.file_name,
        }


def _wareki(d: date) -> str:
    return f"令和{d.year - 2018}年{d.month}月"


def _month_start(d: date, back: int) -> date:
    y, m = d.year, d.month - back
    while m <= 0:
        m += 12
        y -= 1
    return date(y, m, 1)


def _pack(sources: Sequence[Path], out: Path, password: str, fmt: str, arcnames: Sequence[str],
          legacy_cp932: bool) -> str:
    """Make a password ZIP with the product's own packer (what the app must read, it also writes)."""
    zf = ZipFormat.AES256 if fmt == "aes256" else ZipFormat.ZIPCRYPTO
    pack(list(sources), out, password, fmt=zf, arcnames=list(arcnames), legacy_cp932_names=legacy_cp932)
    return fmt + ("+cp932" if legacy_cp932 else "")


# (doc type, title template, format, legacy cp932 names, months back, day of month)
_PLAN: list[tuple[str, str, str, bool, int, int]] = [
    ("掛金計算書", "掛金計算書（{wareki}分）", "aes256", False, 0, 20),
    ("納入告知書", "掛金納入告知書（{wareki}分）", "zipcrypto", False, 0, 20),
    ("掛金計算書", "掛金計算書（{wareki}分）", "aes256", False, 1, 20),
    ("納入告知書", "掛金納入告知書（{wareki}分）", "zipcrypto", True, 1, 20),
    ("決定通知書", "標準給与決定通知書（{wareki}定時決定）", "zipcrypto", True, 2, 10),
]


def _doc_lines(doc_type: str, est: Establishment, month: date, issued: date) -> list[str]:
    lines = [
        f"{est.name} 御中",
        f"事業所番号：{est.number}",
        f"発行日：{issued.year}年{issued.month}月{issued.day}日",
        "",
    ]
    base = 1_000_000 + int(est.number) * 731 + month.month * 12_345
    if doc_type == "掛金計算書":
        lines += [f"対象月：{_wareki(month)}", f"加入員数：{40 + int(est.number) % 37}名",
                  f"標準給与月額合計：{base * 30:,}円", f"掛金額（事業主負担分）：{base // 10:,}円",
                  f"掛金額（加入員負担分）：{base // 20:,}円", f"掛金合計：{base // 10 + base // 20:,}円"]
    elif doc_type == "納入告知書":
        lines += [f"納入対象月：{_wareki(month)}", f"納入金額：{base // 10 + base // 20:,}円",
                  f"納入期限：{issued.year}年{issued.month}月末日", "納入方法：口座振替（指定口座）"]
    else:
        lines += [f"対象：{_wareki(month)}定時決定", "下記のとおり標準給与を決定しましたので通知します。",
                  "加入員番号 000101　年金 太郎　標準給与月額 320,000円",
                  "加入員番号 000102　基金 花子　標準給与月額 260,000円",
                  "加入員番号 000103　髙橋 一郎　標準給与月額 410,000円"]
    lines += ["", "本書はスタンドイン・サービスが生成した見本です。"]
    return lines


def seed_documents(doc_dir: Path, today: date) -> list[DocRecord]:
    """Write the seed ZIPs into doc_dir and return their records (newest first)."""
    doc_dir.mkdir(parents=True, exist_ok=True)
    records: list[DocRecord] = []
    n = 0
    with tempfile.TemporaryDirectory(prefix="seed-") as tmpd:
        tmp = Path(tmpd)
        for est in ESTABLISHMENTS.values():
            for doc_type, title_t, fmt, legacy, back, day in _PLAN:
                n += 1
                month = _month_start(today, back + 1)
                issued = _month_start(today, back).replace(day=day)
                if issued > today:
                    issued = today - timedelta(days=back)
                title = title_t.format(wareki=_wareki(month))
                stem = f"{issued:%Y%m%d}_{est.number}_{doc_type}"
                pdf = tmp / f"doc{n}.pdf"
                pdf.write_bytes(make_pdf(title, _doc_lines(doc_type, est, month, issued)))
                arcname = f"{stem}.pdf"
                out = doc_dir / f"seed{n:03d}.zip"
                written = _pack([pdf], out, DEMO_ZIP_PASSWORDS[est.number], fmt, [arcname], legacy)
                records.append(DocRecord(
                    id=f"D{issued:%Y%m%d}{est.number}{n:03d}", doc_type=doc_type, title=title,
                    establishment=est.number, date=issued.isoformat(), size=out.stat().st_size,
                    sha256=sha256_file(out), file_name=f"{stem}.zip", path=out.name, zip_format=written,
                    members=[arcname],
                ))
    records.sort(key=lambda r: (r.date, r.id), reverse=True)
    return records


class DocumentIndex:
    """documents/index.json: the inbox, persisted so a standalone sandbox keeps read flags."""

    def __init__(self, doc_dir: Path):
        self.dir = doc_dir
        self.file = doc_dir / "index.json"
        self.records: dict[str, DocRecord] = {}

    def load_or_seed(self, now: datetime) -> None:
        if self.file.exists():
            raw = json.loads(self.file.read_text(encoding="utf-8"))
            self.records = {d["id"]: DocRecord(**d) for d in raw["documents"]}
            return
        for r in seed_documents(self.dir, now.astimezone(JST).date()):
            self.records[r.id] = r
        self.save()
        log.info("stand-in: seeded %d documents into %s", len(self.records), self.dir)

    def save(self) -> None:
        data = {"documents": [asdict(r) for r in self.records.values()]}
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.file)

    def path_of(self, rec: DocRecord) -> Path:
        p = Path(rec.path)
        return p if p.is_absolute() else self.dir / p

    def listing(self, establishments: Sequence[str]) -> list[DocRecord]:
        out = [r for r in self.records.values() if r.establishment in establishments]
        out.sort(key=lambda r: (r.date, r.id), reverse=True)
        return out
