"""Recognising the fund's OTP mail: every Japanese encoding, decoys, the time window (pure functions)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from denshi_client.mail.recognise import (
    DEFAULT_CODE_PATTERN,
    OtpRule,
    RawMail,
    extract_code,
    find_otp,
    parse_mail,
    received_date,
)
from tests.mail.mails import FUND, SUBJECT, make_decoy, make_mail

RULE = OtpRule.from_settings(FUND, "ワンタイムパスワード")
T0 = datetime(2026, 12, 2, 1, 0, 0, tzinfo=UTC)

ENCODINGS = [(cs, cte) for cs in ("utf-8", "iso-2022-jp", "shift_jis")
             for cte in ("base64", "quoted-printable", "7bit" if cs == "iso-2022-jp" else "8bit")]


@pytest.mark.parametrize(("charset", "cte", "kind", "full_width", "header_enc"), [
    (cs, cte, kind, fw, he) for (cs, cte), kind, fw, he in itertools.product(
        ENCODINGS, ("plain", "html", "alternative"), (False, True), ("B", "Q"))
])
def test_every_encoding_gives_the_code_sender_and_subject(charset: str, cte: str, kind: str, full_width: bool,
                                                          header_enc: str) -> None:
    raw = make_mail("482917", charset=charset, cte=cte, kind=kind, full_width=full_width, header_enc=header_enc)
    m = parse_mail(raw)
    assert m.from_addr == FUND
    assert m.subject == SUBJECT
    assert "電子連携サービス" in m.from_header
    assert extract_code(m.text) == "482917"
    hit = find_otp([RawMail(T0, raw)], RULE, T0)
    assert hit is not None and hit.otp == "482917"


def test_shift_jis_mail_with_windows_only_characters() -> None:
    """Real Shift_JIS mail is CP932: ① and ～ must not break the decoding of the rest."""
    text = "①ログイン画面を開いてください。\r\nワンタイムパスワード：７０３１５８\r\n受付 9:00～17:00\r\n"
    raw = make_mail("", charset="shift_jis", cte="base64", text=text)
    m = parse_mail(raw)
    assert "ログイン画面を開いてください" in m.text and "受付 9:00~17:00" in m.text  # NFKC: ① → 1, ～ → ~
    assert extract_code(m.text) == "703158"


@pytest.mark.parametrize("charset", ["shift_jis", "utf-8"])
def test_raw_eight_bit_subject_is_read(charset: str) -> None:
    raw = make_mail("135790", charset=charset, cte="8bit", raw_subject=True)
    assert parse_mail(raw).subject == SUBJECT
    assert find_otp([RawMail(T0, raw)], RULE, T0) is not None


@pytest.mark.parametrize(("text", "code"), [
    ("ワンタイムパスワード：123456", "123456"),
    ("ワンタイムパスワード: ９８７６５４ です", "987654"),
    ("ワンタイムパスワード\n\n   ４８２９１７\n", "482917"),
    ("ワンタイムパスワード(6桁)：246802", "246802"),
    ("認証コードは「5731」です。", "5731"),
    ("ワンタイムパスワードの有効期限は2026年12月2日です。\nワンタイムパスワード：654321", "654321"),
    ("有効期限：10分\n確認コード：112233。", "112233"),
    ("Your one-time password is 908172.", "908172"),
    ("Verification code: 44556677", "44556677"),
    ("ログインに必要な番号をお知らせします。\n\n 314159 \n\n有効期限 2026/12/02 10:30", "314159"),
])
def test_code_is_found_in_real_phrasings(text: str, code: str) -> None:
    assert extract_code(text) == code


@pytest.mark.parametrize("text", [
    "お問い合わせ：03-1234-5678（平日 9:00から17:00まで）",
    "ワンタイムパスワードの有効期限は2026年12月02日 10:30 です。",
    "注文番号 A123456 / 郵便番号 100-0001",
    "",
])
def test_no_code_in_mail_without_one(text: str) -> None:
    assert extract_code(text) is None


def test_custom_pattern_named_group_and_no_fallback() -> None:
    assert extract_code("PIN=AB12CD", r"PIN=(?P<code>[A-Z0-9]{6})") == "AB12CD"
    # A custom pattern that does not match gives nothing: the lone-number fallback belongs to the default only.
    assert extract_code("番号 314159", r"PIN=(\d+)") is None
    assert extract_code("番号 314159", DEFAULT_CODE_PATTERN) == "314159"


def test_newest_fresh_mail_from_the_fund_wins_and_decoys_are_ignored() -> None:
    since = T0
    older_otp = RawMail(since - timedelta(minutes=3), make_mail("111111"), "a")
    decoy_newer = RawMail(since + timedelta(seconds=50), make_decoy(), "b")
    first = RawMail(since + timedelta(seconds=5), make_mail("222222"), "c")
    second = RawMail(since + timedelta(seconds=30), make_mail("333333", charset="iso-2022-jp", cte="7bit"), "d")
    other_subject = RawMail(since + timedelta(seconds=40), make_mail("444444", subject="お知らせ"), "e")
    spoofed_name = RawMail(since + timedelta(seconds=45),
                           make_mail("555555", sender="otp@denshi.example.jp.evil.test"), "f")
    hit = find_otp([older_otp, decoy_newer, first, second, other_subject, spoofed_name], RULE, since)
    assert hit is not None
    assert hit.otp == "333333"
    assert hit.from_addr == FUND
    assert hit.received_at == since + timedelta(seconds=30)
    assert find_otp([older_otp, decoy_newer], RULE, since) is None


def test_mail_in_the_request_second_counts() -> None:
    """Arrival times have whole seconds; a request at hh:mm:ss.7 and mail at hh:mm:ss still match."""
    since = T0 + timedelta(microseconds=700_000)
    assert find_otp([RawMail(T0, make_mail("777777"))], RULE, since) is not None
    assert find_otp([RawMail(T0 - timedelta(seconds=1), make_mail("777777"))], RULE, since) is None


def test_sender_rule_addresses_and_domains() -> None:
    r = OtpRule.from_settings("OTP@Denshi.Example.jp, @kikin.example.jp")
    assert r.sender_matches("otp@denshi.example.jp")
    assert r.sender_matches("no-reply@kikin.example.jp")
    assert not r.sender_matches("otp@denshi.example.jp.evil.test")
    assert not r.sender_matches("x@notkikin.example.jp")
    assert not OtpRule.from_settings("").sender_matches("otp@denshi.example.jp")


def test_subject_rule_is_width_and_case_insensitive() -> None:
    r = OtpRule.from_settings(FUND, "ﾜﾝﾀｲﾑﾊﾟｽﾜｰﾄﾞ")  # half-width kana typed by IT
    assert r.subject_matches(SUBJECT)
    assert not r.subject_matches("ご注文確認")


def test_code_and_body_stay_out_of_reprs() -> None:
    raw = make_mail("918273")
    hit = find_otp([RawMail(T0, raw)], RULE, T0)
    assert hit is not None
    assert "918273" not in repr(hit)
    assert "918273" not in repr(parse_mail(raw))
    assert "918273" not in repr(RawMail(T0, raw))
    assert hit.to_dict() == {"otp": "918273", "received_at": T0.isoformat(), "from": FUND}


def test_received_date_prefers_the_last_hop() -> None:
    raw = (b"Received: from mx by mailbox; Wed, 02 Dec 2026 10:00:07 +0900\r\n"
           b"Received: from out by mx; Wed, 02 Dec 2026 09:59:00 +0900\r\n"
           b"Date: Wed, 02 Dec 2026 09:00:00 +0900\r\n\r\nbody\r\n")
    assert received_date(raw) == datetime(2026, 12, 2, 1, 0, 7, tzinfo=UTC)
    assert received_date(b"Date: Wed, 02 Dec 2026 09:00:00 +0900\r\n\r\n") == datetime(2026, 12, 2, 0, 0,
                                                                                          tzinfo=UTC)
    assert received_date(b"Subject: x\r\n\r\n") is None


def test_broken_mail_never_raises() -> None:
    for raw in (b"", b"\xff\xfe\x00garbage", b"Subject: =?UTF-8?B?broken?=\r\nContent-Type: text/plain; "
                b"charset=x-unknown\r\n\r\n\x82\xa0 123456", b"Content-Type: multipart/alternative\r\n\r\n--"):
        m = parse_mail(raw)
        assert isinstance(m.text, str)
