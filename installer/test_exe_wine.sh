#!/usr/bin/env bash
# Smoke test of the real Windows build under wine: our only run of Windows Python.
#
#   installer/test_exe_wine.sh DIST_DIR      # the onedir holding DenshiClient.exe and denshi-client.exe
#
# Runs the self-test of both executables and a few CLI commands (name compose, hours, zip pack/unpack,
# register, doctor), checking outputs; the ZIP made by Windows Python is also opened by the host's 7-Zip.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$(cd "$1" && pwd)"
WORK="${WORK:-$REPO/.work}"
. "$REPO/installer/wine_env.sh"
export LANG=C.UTF-8   # wine converts argv (Japanese form names) from the Unix locale
T="$WORK/exetest"
rm -rf "$T" && mkdir -p "$T/in" "$T/out"
E="$DIST/denshi-client.exe"
fails=0
check() { if eval "$2"; then echo "CHECK ok   $1"; else echo "CHECK FAIL $1"; fails=$((fails + 1)); fi; }
# Each CLI run gets a private app home inside the test folder (no user profile is touched).
export DENSHI_CLIENT_HOME="$(winpath "$T/home")"
wine_prefix_ready

wrun "$E" --self-test > "$T/selftest-cli.txt" || true
check "denshi-client.exe --self-test" 'grep -q "SELF-TEST PASSED" "$T/selftest-cli.txt"'
grep -m1 "^denshi-client " "$T/selftest-cli.txt" | sed "s/^/  self-test: /"
wrun "$DIST/DenshiClient.exe" --self-test > "$T/selftest-gui.txt" || true
check "DenshiClient.exe (windowed) --self-test, result in selftest.log" \
  'grep -q "SELF-TEST PASSED" "$T/home/logs/selftest.log"'

wrun "$E" name compose --date 2024-05-24 -e 123 -f 資格取得届 --json > "$T/name.json" || true
check "name compose -> 20240524_0123_資格取得届.pdf" 'grep -q "\"name\": \"20240524_0123_資格取得届.pdf\"" "$T/name.json"'

wrun "$E" hours --at 2024-05-24T10:00 --json > "$T/hours-open.json" || true
wrun "$E" hours --at 2024-05-03T10:00 --json > "$T/hours-holiday.json" || true
check "hours: Friday 10:00 open, 憲法記念日 closed" \
  'grep -q "\"open\": true" "$T/hours-open.json" && grep -q "\"open\": false" "$T/hours-holiday.json"'

printf '%%PDF-1.4\n%% smoke test\n%%%%EOF\n' > "$T/in/20240524_0123_資格取得届.pdf"
PW="Smoke-Test-Pw-42"
printf '%s\n' "$PW" | wine "$E" zip pack "$(winpath "$T/in/20240524_0123_資格取得届.pdf")" \
  -o "$(winpath "$T/out/win.zip")" --password-stdin --json 2>&1 | cat > "$T/pack.json" || true
check "zip pack (Windows Python) -> AES ZIP" '[ -s "$T/out/win.zip" ]'
check "host 7-Zip opens the Windows-made ZIP with the password" \
  '7zz t -p"$PW" "$T/out/win.zip" > "$T/7z.txt" 2>&1 && grep -q "Everything is Ok" "$T/7z.txt"'
mkdir -p "$T/out/x"
printf '%s\n' "$PW" | wine "$E" zip unpack "$(winpath "$T/out/win.zip")" -d "$(winpath "$T/out/x")" \
  --password-stdin --json 2>&1 | cat > "$T/unpack.json" || true
check "zip unpack round trip (same bytes)" 'cmp -s "$T/in/20240524_0123_資格取得届.pdf" "$T/out/x/20240524_0123_資格取得届.pdf"'

wrun "$E" register --establishment 123 --name "電子 太郎" --kana "ﾃﾞﾝｼ ﾀﾛｳ" --email taro@example.co.jp \
  --user-id taro01 --office "株式会社サンプル" --pcs 1 --date 2026-11-27 -o "$(winpath "$T/out/reg")" --json \
  > "$T/register.json" || true
REGPW="$("${HOSTPY:-$REPO/.venv/bin/python}" -c 'import json,sys; print(json.load(open(sys.argv[1]))["password"])' "$T/register.json" 2>/dev/null || true)"
check "register -> 電子連携管理者登録届(000123).xlsx in a ZIP that 7-Zip opens" \
  '[ -n "$REGPW" ] && 7zz l -slt -p"$REGPW" "$T/out/reg/電子連携管理者登録届(000123).zip" 2>/dev/null | grep -q "Path = 電子連携管理者登録届(000123).xlsx" && 7zz t -p"$REGPW" "$T/out/reg/電子連携管理者登録届(000123).zip" >/dev/null 2>&1'

set +e
wrun "$E" doctor --demo --json > "$T/doctor.json"
rc=$?
set -e
check "doctor --demo --json runs every check (rc $rc)" \
  '"${HOSTPY:-$REPO/.venv/bin/python}" -c "import json,sys; d=json.load(open(sys.argv[1])); ids=[c[\"id\"] for c in d[\"checks\"]]; assert len(ids)==10 and ids[-1]==\"webengine\", ids; print(\" \".join(c[\"id\"]+\"=\"+c[\"status\"] for c in d[\"checks\"]))" "$T/doctor.json" > "$T/doctor-summary.txt" && [ $rc -le 1 ]'
cat "$T/doctor-summary.txt" 2>/dev/null | sed 's/^/  doctor: /'
check "doctor: Windows Credential Manager (WinVaultKeyring) write/read/delete" 'grep -q "keyring=pass" "$T/doctor-summary.txt"'
# Chromium's DLL does not initialise under wine: doctor must still answer (no hang) and say so as a warning
check "doctor: the embedded page's engine is checked (warn under wine, not a hang)" 'grep -Eq "webengine=(pass|warn)" "$T/doctor-summary.txt"'

echo "Windows exe smoke: $fails failure(s)"
[ "$fails" = 0 ]
