"""What unpack refuses before writing a byte, and the one zip-bomb size rule used for declared and actual sizes."""

from __future__ import annotations

from denshi_client.documents import zipnames
from denshi_client.documents.zip.directory import Entry
from denshi_client.documents.zip.errors import (
    bomb,
    err,
)
from denshi_client.documents.zip.model import (
    UnpackLimits,
)

# Tiny files compress absurdly well (a page of blanks); the ratio limit only bites past this size.
RATIO_FLOOR_BYTES = 1024 * 1024


def check_size(name: str, size: int, compressed: int, total: int, limits: UnpackLimits, *,
               declared: bool) -> None:
    """The zip-bomb size rule, in one place: for the sizes the headers declare (before writing) and for
    the bytes actually inflated so far (while streaming): one entry, the running total, and the ratio
    to the entry's compressed size once past RATIO_FLOOR_BYTES."""
    if size > limits.max_entry_bytes:
        raise bomb(name, f"{size} bytes declared" if declared else "entry larger than allowed")
    if total > limits.max_total_bytes:
        raise bomb(name, f"{total} bytes declared in total" if declared else "total larger than allowed")
    if size > RATIO_FLOOR_BYTES and size > limits.max_ratio * max(compressed, 1):
        raise bomb(name, "declared compression ratio too high" if declared else "compression ratio too high")


def precheck(entries: list[Entry], limits: UnpackLimits) -> list[Entry]:
    """Refuse before writing a byte: links, traversal, bombs by header, collisions (overlaps: locate)."""
    if len(entries) > limits.max_entries:
        raise err("too_many_entries",
                  f"ZIP ファイルのファイル数が多すぎます（{len(entries)} 件、上限 {limits.max_entries} 件）。",
                  f"The ZIP file holds too many entries ({len(entries)}, limit {limits.max_entries}).")
    files: list[Entry] = []
    total = 0
    seen: dict[str, str] = {}
    for e in entries:
        if e.is_link:
            raise err("link",
                      f"ZIP ファイルにリンク（ショートカット）「{e.name}」が含まれているため、展開しません。",
                      f"The ZIP file contains a link ('{e.name}'); it is not unpacked.",
                      "送信元にご確認ください。", "Please check with the sender.")
        if zipnames.is_traversal(e.name):
            raise err("unsafe_entry",
                      f"ZIP ファイルに保存先フォルダーの外を指す名前「{e.name}」が含まれているため、展開しません。",
                      f"The ZIP file contains a name pointing outside the folder ('{e.name}'); it is not unpacked.",
                      "送信元にご確認ください。", "Please check with the sender.")
        if e.is_dir:
            continue
        total += e.info.file_size
        check_size(e.name, e.info.file_size, e.info.compress_size, total, limits, declared=True)
        key = zipnames.fold(e.safe)
        if key in seen:
            raise err("case_collision",
                      f"ZIP ファイル内の「{seen[key]}」と「{e.name}」は Windows では同じ名前になるため、"
                      "展開しません。",
                      f"'{seen[key]}' and '{e.name}' in the ZIP file would be the same file on Windows; "
                      "nothing was unpacked.",
                      "送信元にご確認ください。", "Please check with the sender.")
        seen[key] = e.name
        files.append(e)
    return files
