"""CLI: `denshi-client register` — the administrator registration form, its password ZIP and the mail.

The password is printed once (it must go out in a separate mail) and never logged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from denshi_client import i18n
from denshi_client.cli.output import EXIT_OK, add_json_flag, emit
from denshi_client.onboarding import registration as rg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "register",
        help="administrator registration form (電子連携管理者登録届) and its password ZIP",
        description="Write 電子連携管理者登録届(NNNNNN).xlsx, pack it into a password ZIP, print the password "
        "for the separate mail and a mailto: link addressed to the fund's operations desk.",
    )
    p.add_argument("--establishment", required=True, help="establishment number (事業所番号), up to 6 digits")
    p.add_argument("--name", required=True, help="administrator name in kanji (管理者氏名)")
    p.add_argument("--kana", required=True, help="administrator name in kana (カナ; half-width is converted)")
    p.add_argument("--email", required=True, help="administrator e-mail")
    p.add_argument("--user-id", required=True, help="user ID")
    p.add_argument("--office", required=True, help="establishment name (事業所名)")
    p.add_argument("--pcs", required=True, help="number of PCs planned (1-3)")
    p.add_argument("--date", help="input date (default: today, Japan time)")
    p.add_argument("--template", type=Path, help="the fund's own .xlsx template: its row 2 is filled")
    p.add_argument("-o", "--out", type=Path, default=Path.cwd(), help="output folder (default: current folder)")
    p.add_argument("--zip-format", choices=["aes256", "zipcrypto"],
                   help="ZIP encryption (default: settings [zip] format; zipcrypto opens in Windows Explorer)")
    p.add_argument("--to", help="recipient (default: settings [fund] operations_desk_email)")
    p.add_argument("--no-xlsx", action="store_true", help="delete the plain .xlsx after packing")
    p.add_argument("--open-mail", action="store_true", help="open the default mail program with the mail")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _run(ns: argparse.Namespace) -> int:
    reg = rg.build_registration(
        establishment=ns.establishment, admin_name=ns.name, admin_kana=ns.kana, email=ns.email,
        user_id=ns.user_id, office_name=ns.office, pcs=ns.pcs, input_date=ns.date,
    )
    pkg = rg.prepare(reg, ns.out, template=ns.template, fmt=ns.zip_format, to=ns.to, keep_xlsx=not ns.no_xlsx)
    opened = rg.open_mail_client(pkg.form_mailto) if ns.open_mail else False
    data = pkg.to_dict()
    data["ok"] = True
    data["mail_opened"] = opened
    data["password_mailto"] = pkg.password_mailto
    if ns.json:
        emit(data, True)
        return EXIT_OK
    pick = i18n.pick
    lines = [
        pick("登録届を作成しました。", "The registration form is ready."),
        f"  {pick('登録届', 'Form')}: {pkg.form if not ns.no_xlsx else '-'}",
        f"  {pick('パスワード付きZIP', 'Password ZIP')}: {pkg.archive} ({pkg.fmt})",
        f"  {pick('ZIPのパスワード', 'ZIP password')}: {pkg.password}",
        "",
        pick("次の手順で基金 業務課へお送りください。", "Send it to the fund's operations desk as follows:"),
        pick(f"  1. 下のリンクでメールを作成し、ZIPファイル「{reg.zip_name}」を添付して送信してください"
             "（メールソフトの仕組み上、自動では添付できません）。",
             f"  1. Create the mail with the link below and attach {reg.zip_name} yourself "
             "(a mailto link cannot attach files)."),
        pick("  2. パスワードは、別のメールでお知らせください（同じメールには書かないでください）。",
             "  2. Send the password in a separate mail (never in the same mail)."),
    ]
    if not pkg.to:
        lines.append(pick("  ※ 送付先アドレスが設定されていません。[fund] operations_desk_email を設定するか、"
                          "--to で指定してください。",
                          "  Note: no recipient is configured; set [fund] operations_desk_email or use --to."))
    lines += ["", pkg.form_mailto]
    emit(data, False, "\n".join(lines))
    return EXIT_OK
