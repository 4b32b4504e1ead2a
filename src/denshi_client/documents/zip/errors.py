"""Every refusal as an `ArchiveError` with Japanese and English text, a `code` and a hint (docs/zip.md)."""

from __future__ import annotations

import errno
from pathlib import Path

from denshi_client.errors import ArchiveError


def err(code: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> ArchiveError:
    return ArchiveError(ja, en, code=code, hint_ja=hint_ja, hint_en=hint_en)


def wrong_password() -> ArchiveError:
    return err(
        "wrong_password",
        "パスワードが違うため、ZIP ファイルを開けませんでした。",
        "The password is wrong, so the ZIP file could not be opened.",
        "基金から通知されたパスワードをご確認ください。ファイルは何も保存していません。",
        "Check the password the fund gave you. No file was saved.",
    )


def corrupt(entry: str, detail_en: str = "") -> ArchiveError:
    return err(
        "corrupt",
        f"ZIP ファイルの中身「{entry}」が壊れているか、改ざんされています（またはパスワードが違います）。",
        f"The entry '{entry}' is damaged or was tampered with (or the password is wrong)."
        + (f" ({detail_en})" if detail_en else ""),
        "もう一度ダウンロードしてください。ファイルは何も保存していません。",
        "Download it again. No file was saved.",
    )


def truncated(what: str = "") -> ArchiveError:
    return err(
        "truncated",
        "ZIP ファイルが途中で切れています（ダウンロードが完了していない可能性があります）。",
        "The ZIP file is cut short (the download may not have finished)." + (f" ({what})" if what else ""),
        "もう一度ダウンロードしてください。ファイルは何も保存していません。",
        "Download it again. No file was saved.",
    )


def not_a_zip(path: Path) -> ArchiveError:
    return err(
        "not_a_zip",
        f"「{path.name}」は ZIP ファイルではありません。",
        f"'{path.name}' is not a ZIP file.",
    )


def cancelled() -> ArchiveError:
    return err("cancelled", "処理を中止しました。途中のファイルは削除しました。",
               "Cancelled. Partial files were removed.")


def disk_full() -> ArchiveError:
    return err(
        "disk_full",
        "保存先の空き容量が足りません。途中のファイルは削除しました。",
        "Not enough free space at the destination. Partial files were removed.",
        "不要なファイルを削除するか、別の保存先を選んでください。",
        "Free some space or choose another folder.",
    )


def bomb(entry: str, why_en: str) -> ArchiveError:
    return err(
        "bomb",
        f"ZIP ファイル内の「{entry}」が大きすぎるため、安全のため展開を中止しました。",
        f"Stopped for safety: '{entry}' would expand too much ({why_en}).",
        "送信元にご確認ください。ファイルは何も保存していません。",
        "Please check with the sender. No file was saved.",
    )


def overlap(first: str, second: str) -> ArchiveError:
    return err(
        "bomb",
        f"ZIP ファイル内の「{first}」と「{second}」のデータが重なっています。1 つのデータを何度も展開させる"
        "不正な作り（ZIP 爆弾）のおそれがあるため、展開しませんでした。",
        f"The data of '{first}' and '{second}' in the ZIP file overlap, a layout used by zip bombs; "
        "nothing was unpacked.",
        "送信元にご確認ください。ファイルは何も保存していません。",
        "Please check with the sender. No file was saved.",
    )


def into_directory(entry: str) -> ArchiveError:
    return err(
        "bomb",
        f"ZIP ファイル内の「{entry}」のデータが、ZIP の目次（セントラルディレクトリ）と重なっています。"
        "不正に作られた ZIP ファイルのおそれがあるため、展開しませんでした。",
        f"The data of '{entry}' runs into the ZIP file's central directory (a forged layout); "
        "nothing was unpacked.",
        "送信元にご確認ください。ファイルは何も保存していません。",
        "Please check with the sender. No file was saved.",
    )


def name_not_utf8(raw: bytes) -> ArchiveError:
    """Flag bit 11 says UTF-8 but the bytes are not: a tool that sets the flag and writes Shift_JIS."""
    shown = "".join(c if c.isprintable() else "?" for c in raw.decode("cp932", "replace"))[:120]
    return err(
        "name_encoding",
        f"ZIP ファイル内のファイル名「{shown}」を読み取れません。この ZIP は名前を UTF-8 で記録したと"
        "示していますが、実際には別の文字コード（Shift_JIS など）で記録されています。",
        f"The file name '{shown}' in the ZIP file cannot be read: the ZIP says its names are UTF-8, "
        "but they are stored in another encoding (such as Shift_JIS).",
        "送信元に、7-Zip または Windows 標準の「圧縮（zip 形式）フォルダー」で ZIP ファイルを作り直して"
        "いただくようご依頼ください。ファイルは何も保存していません。",
        "Ask the sender to re-create the ZIP file with 7-Zip or Windows' built-in "
        "'Compressed (zipped) folder'. No file was saved.",
    )


def os_error(e: OSError) -> ArchiveError:
    if e.errno == errno.ENOSPC or getattr(e, "winerror", None) in (39, 112):
        return disk_full()
    return err("io", f"ファイルの読み書きに失敗しました（{e.strerror or type(e).__name__}）。",
               f"Reading or writing a file failed ({e.strerror or type(e).__name__}).")


def check_cancel(cancel: object | None) -> None:
    if cancel is not None and getattr(cancel, "cancelled", False):
        raise cancelled()
