"""CLI: `denshi-client name ...` — the fund's naming rules and the PDF check.

Exit codes: 0 valid / done; 1 a rule is broken (reasons on stderr, or in the JSON);
2 usage; 3 the form-name list file is unusable.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from denshi_client import i18n
from denshi_client.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_json_flag, emit
from denshi_client.clock import JST
from denshi_client.documents import naming
from denshi_client.documents.forms import FormCatalog, load_forms


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("name", help="届書ファイル名の作成・確認 / compose and check upload file names",
                       description="基金の命名規則（届出年月日_事業所番号_届書名.pdf）/ the fund's naming rule")
    p.set_defaults(handler=lambda ns: _help(p))
    s = p.add_subparsers(dest="name_command", metavar="SUBCOMMAND")

    c = s.add_parser("compose", help="ファイル名を作る / build an upload file name")
    c.add_argument("--date", required=True,
                   help="届出年月日 / filing date: 2024-05-24, 2024/5/24, 令和6年5月24日, R6.5.24 ...")
    c.add_argument("--establishment", "-e", required=True, help="事業所番号 / establishment number (e.g. 123)")
    c.add_argument("--form", "-f", required=True, help="届書名 / form name (see `name forms`)")
    _common(c, strict=True, folder=True)
    c.set_defaults(handler=_compose)

    k = s.add_parser("check", help="ファイル名を確認する / check a file name (exit 0 valid, 1 invalid)")
    k.add_argument("file_name", metavar="FILE_NAME", help="ファイル名（パスも可）/ file name (a path is fine)")
    _common(k, strict=True, folder=True)
    k.set_defaults(handler=_check)

    f = s.add_parser("forms", help="届書名の一覧 / list the form names")
    f.add_argument("--downloads", action="store_true",
                   help="受信する帳票名も表示 / also list downloaded document types")
    _common(f)
    f.set_defaults(handler=_forms)

    g = s.add_parser("suggest", help="元のファイル名から名前を提案 / propose a name for a file")
    g.add_argument("source", metavar="SOURCE", help="元のファイル名 / the file's current name")
    g.add_argument("--date",
                   help="届出年月日（省略時: ファイル名または今日）/ filing date (default: from the name, or today)")
    g.add_argument("--establishment", "-e", help="事業所番号 / establishment number")
    g.add_argument("--form", "-f", help="届書名（省略時: ファイル名から）/ form name (default: found in the name)")
    _common(g)
    g.set_defaults(handler=_suggest)

    r = s.add_parser("registration", help="電子連携管理者登録届のファイル名 / registration form file name")
    r.add_argument("number", metavar="NUMBER", help="事業所番号 / establishment number")
    add_json_flag(r)
    r.set_defaults(handler=_registration)

    d = s.add_parser("pdfcheck", help="PDFの簡易チェック / sanity-check a PDF before sending")
    d.add_argument("path", metavar="PDF", help="PDFファイル / the PDF file")
    d.add_argument("--max-mib", type=float, default=None, help="サイズ上限(MiB) / size limit in MiB (default 20)")
    add_json_flag(d)
    d.set_defaults(handler=_pdfcheck)


def _common(p: argparse.ArgumentParser, *, strict: bool = False, folder: bool = False) -> None:
    p.add_argument("--forms-file", type=Path, help="届書名一覧の差し替えファイル / override form-name list (TOML)")
    if strict:
        p.add_argument("--strict-forms", action="store_true",
                       help="一覧にない届書名をエラーにする / an unknown form name is an error, not a warning")
    if folder:
        p.add_argument("--folder",
                       help="保存先フォルダー（パス長の確認）/ target folder, to check the full path length")
    add_json_flag(p)


def _help(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return EXIT_USAGE


def _catalog(ns: argparse.Namespace) -> FormCatalog:
    return load_forms(ns.forms_file)


def _today() -> datetime:
    from denshi_client.clock import SystemClock

    return SystemClock().now().astimezone(JST)


def _say(problem: naming.Problem, label_ja: str, label_en: str) -> None:
    sys.stderr.write(f"{i18n.pick(label_ja, label_en)}: {problem.message()}\n")


def _compose(ns: argparse.Namespace) -> int:
    catalog = _catalog(ns)
    name = naming.compose(ns.date, ns.establishment, ns.form, forms=catalog, strict_forms=ns.strict_forms,
                          folder=ns.folder)
    result = naming.validate(name, forms=catalog, folder=ns.folder, today=_today().date())
    assert result.parsed is not None
    data = {"ok": True, **result.parsed.to_dict(), "warnings": [w.to_dict() for w in result.warnings]}
    if not ns.json:
        for w in result.warnings:
            _say(w, "注意", "Warning")
    emit(data, ns.json, name)
    return EXIT_OK


def _check(ns: argparse.Namespace) -> int:
    arg: str = ns.file_name
    name, folder = arg, ns.folder
    if "/" in arg or "\\" in arg:
        # A path: judge its last part, and the whole path's length unless a folder was given.
        parent, _, name = arg.replace("\\", "/").rpartition("/")
        if folder is None:
            folder = os.path.abspath(parent or "/")
    catalog = _catalog(ns)
    result = naming.validate(name, forms=catalog, strict_forms=ns.strict_forms, folder=folder,
                             today=_today().date())
    if ns.json:
        emit(result.to_dict(), True)
        return EXIT_OK if result.ok else EXIT_INVALID
    if result.ok:
        assert result.parsed is not None
        u = result.parsed
        emit(None, False, i18n.pick(
            f"OK: {name}\n  届出年月日: {u.filing_date.isoformat()}（{naming.to_japanese_era(u.filing_date)}）\n"
            f"  事業所番号: {u.establishment_text}\n  届書名: {u.form}",
            f"OK: {name}\n  filing date: {u.filing_date.isoformat()}\n"
            f"  establishment: {u.establishment_text}\n  form: {u.form}"))
        for w in result.warnings:
            _say(w, "注意", "Warning")
        return EXIT_OK
    sys.stderr.write(i18n.pick(f"ファイル名が命名規則に合っていません: {name}\n",
                               f"The file name does not follow the naming rule: {name}\n"))
    for p in result.problems:
        sys.stderr.write(f"  - {p.message()}\n")
    for w in result.warnings:
        sys.stderr.write(f"  - {i18n.pick('注意', 'Warning')}: {w.message()}\n")
    if result.normalized != name:
        fixed = naming.validate(result.normalized, forms=catalog, strict_forms=ns.strict_forms, folder=folder)
        if fixed.ok:
            sys.stderr.write(i18n.pick(f"  修正案: {result.normalized}\n", f"  Suggested: {result.normalized}\n"))
    return EXIT_INVALID


def _forms(ns: argparse.Namespace) -> int:
    catalog = _catalog(ns)
    forms = [*catalog.upload, *(catalog.download if ns.downloads else ())]
    data = {"source": catalog.source,
            "forms": [{"name": f.name, "kind": f.kind, "en": f.en, "note": f.note} for f in forms]}
    lines = []
    for f in forms:
        label = f.name if i18n.language() == "ja" or not f.en else f"{f.name}  ({f.en})"
        lines.append(label if f.kind == "upload" else f"{label}  [{i18n.pick('受信', 'download')}]")
    emit(data, ns.json, "\n".join(lines))
    return EXIT_OK


def _suggest(ns: argparse.Namespace) -> int:
    s = naming.suggest(ns.source, filing_date=ns.date, establishment=ns.establishment, form=ns.form,
                       today=_today().date(), forms=_catalog(ns))
    if ns.json:
        emit(s.to_dict(), True)
        return EXIT_OK if s.ok else EXIT_INVALID
    if s.name is None:
        sys.stderr.write(i18n.pick("ファイル名を提案できませんでした:\n", "Cannot propose a name yet:\n"))
        for p in s.problems:
            sys.stderr.write(f"  - {p.message()}\n")
        return EXIT_INVALID
    for w in s.warnings:
        _say(w, "注意", "Warning")
    emit(None, False, s.name)
    return EXIT_OK


def _registration(ns: argparse.Namespace) -> int:
    name = naming.registration_file_name(ns.number)
    emit({"ok": True, "name": name}, ns.json, name)
    return EXIT_OK


def _pdfcheck(ns: argparse.Namespace) -> int:
    from denshi_client.documents.pdfcheck import DEFAULT_MAX_BYTES, check_pdf

    if ns.max_mib is not None and ns.max_mib <= 0:
        from denshi_client.errors import ValidationError

        raise ValidationError("--max-mib には正の数を指定してください。", "--max-mib must be positive.",
                              code="usage")
    limit = int(ns.max_mib * 1024 * 1024) if ns.max_mib is not None else DEFAULT_MAX_BYTES
    r = check_pdf(ns.path, max_bytes=limit)
    if ns.json:
        emit(r.to_dict(), True)
        return EXIT_OK if r.ok else EXIT_INVALID
    if r.ok:
        pages = "?" if r.pages is None else str(r.pages)
        emit(None, False, i18n.pick(f"OK: {Path(r.path).name}（PDF {r.version}、{pages}ページ、{r.size:,}バイト）",
                                    f"OK: {Path(r.path).name} (PDF {r.version}, {pages} pages, {r.size:,} bytes)"))
    else:
        sys.stderr.write(i18n.pick(f"このPDFは送信できません: {Path(r.path).name}\n",
                                   f"This PDF cannot be sent: {Path(r.path).name}\n"))
        for f in r.errors:
            sys.stderr.write(f"  - {f.message()}\n")
    for f in r.warnings:
        sys.stderr.write(f"{i18n.pick('注意', 'Warning')}: {f.message()}\n")
    return EXIT_OK if r.ok else EXIT_INVALID
