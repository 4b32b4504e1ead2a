#!/usr/bin/env bash
# Silent install / run / uninstall round trip of the MSI under wine, checked by its effects.
#
#   installer/test_msi_wine.sh DenshiClient-X.Y.Z.msi [NEWER.msi]
#
# With NEWER.msi (same UpgradeCode, higher version) it also checks the major upgrade: one product
# afterwards, IT's policy kept although the upgrade was run without POLICYFILE, and the downgrade refused.
#
# Wine is not Windows (../shared/notes/packaging.md §3): its msi puts per-machine shortcuts in the
# user's Start menu (P2) and truncates exit codes to 8 bits (P3), so effects are checked, not just rc.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
MSI="$(realpath "$1")"
MSI2="${2:+$(realpath "$2")}"
WORK="${WORK:-$REPO/.work}"
. "$REPO/installer/wine_env.sh"
T="$WORK/msitest"
rm -rf "$T" && mkdir -p "$T"
C="$WINEPREFIX/drive_c"
APPDIR="$C/Program Files/DenshiClient"
POLICY="$C/ProgramData/DenshiClient/policy.toml"
fails=0
check() { if eval "$2"; then echo "CHECK ok   $1"; else echo "CHECK FAIL $1"; fails=$((fails + 1)); fi; }
elapsed() { local ms=$(( ($(date +%s%N) - $1) / 1000000 )); printf "%d.%d" $((ms / 1000)) $((ms % 1000 / 100)); }
bat() { printf '%s\r\n' "@echo off" "$1" "exit /b %ERRORLEVEL%" > "$T/$2.bat"; wrun cmd /c "$(winpath "$T/$2.bat")" > "$T/$2.out" || true; }

wine_prefix_ready
rm -rf "$APPDIR" "$C/ProgramData/DenshiClient"

# IT's policy file, as an administrator would prepare it (validated with the same parser as the app).
cat > "$T/policy.toml" <<'TOML'
# Example policy written by the MSI test
[fund]
operations_desk_email = "gyomu@kikin.example.jp"

[zip]
format = "zipcrypto"

[lock]
keys = ["zip.format"]
TOML

t0=$(date +%s%N)
bat "msiexec /i $(winpath "$MSI") /qn /l*v $(winpath "$T/install.log") POLICYFILE=\"$(winpath "$T/policy.toml")\"" install
wineserver -w
echo "install: $(elapsed "$t0") s"
check "program files installed" '[ -f "$APPDIR/DenshiClient.exe" ] && [ -f "$APPDIR/denshi-client.exe" ] && [ -d "$APPDIR/_internal" ]'
check "start-menu shortcut created" 'find "$C" -name "Denshi Client.lnk" | grep -q .'
check "policy file written from POLICYFILE" 'cmp -s "$T/policy.toml" "$POLICY"'
check "install log: INSTALL ended with success" 'grep -aq "INSTALL. Return value 1" "$T/install.log"'
wrun reg query 'HKLM\Software\DenshiClient' /reg:64 > "$T/reg.txt" || true
check "registry InstallDir written" 'grep -q InstallDir "$T/reg.txt"'

# The installed app: self-test, and it sees the policy (source = policy, zip.format locked).
wrun "$APPDIR/denshi-client.exe" --self-test > "$T/selftest.txt" || true
check "installed exe --self-test" 'grep -q "SELF-TEST PASSED" "$T/selftest.txt"'
wrun "$APPDIR/denshi-client.exe" config show --json > "$T/config.json" || true
check "installed app reads the policy (zip.format locked = zipcrypto)" \
  '"${HOSTPY:-$REPO/.venv/bin/python}" -c "import json,sys; rows=json.load(open(sys.argv[1])); rows=rows.get(\"settings\", rows) if isinstance(rows, dict) else rows; r=[x for x in rows if x[\"key\"]==\"zip.format\"][0]; sys.exit(0 if r[\"value\"]==\"zipcrypto\" and r[\"locked\"] else 1)" "$T/config.json"'

t0=$(date +%s%N)
bat "msiexec /x $(winpath "$MSI") /qn /l*v $(winpath "$T/uninstall.log") REMOVEPOLICY=1" uninstall
wineserver -w
echo "uninstall: $(elapsed "$t0") s"
check "program files removed" '[ ! -e "$APPDIR/DenshiClient.exe" ] && [ ! -e "$APPDIR/_internal" ]'
check "shortcut removed" '! find "$C" -name "Denshi Client.lnk" | grep -q .'
check "policy file removed on uninstall with REMOVEPOLICY=1" '[ ! -e "$POLICY" ]'
wrun reg query 'HKLM\Software\DenshiClient' /reg:64 > "$T/reg2.txt" || true
check "registry values removed" '! grep -q InstallDir "$T/reg2.txt"'

if [ -n "$MSI2" ]; then
  bat "msiexec /i $(winpath "$MSI") /qn /l*v $(winpath "$T/install1.log") POLICYFILE=\"$(winpath "$T/policy.toml")\"" install1
  wineserver -w
  t0=$(date +%s%N)
  bat "msiexec /i $(winpath "$MSI2") /qn /l*v $(winpath "$T/upgrade.log")" upgrade
  wineserver -w
  echo "major upgrade: $(elapsed "$t0") s"
  NEWV="$(msiinfo export "$MSI2" Property | awk -F'\t' '$1=="ProductVersion"{print $2}')"
  wrun reg query 'HKLM\Software\DenshiClient' /reg:64 > "$T/reg3.txt" || true
  check "upgrade: RemoveExistingProducts removed the old version" 'grep -aq "WIX_UPGRADE_DETECTED" "$T/upgrade.log" && grep -aq "INSTALL. Return value 1" "$T/upgrade.log"'
  check "upgrade: registry Version = $NEWV" 'grep -q "$NEWV" "$T/reg3.txt"'
  wrun reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s /reg:64 > "$T/arp.txt" || true
  check "upgrade: exactly one Denshi Client in Programs and Features" '[ "$(grep -c "DisplayName.*Denshi Client" "$T/arp.txt")" = 1 ]'
  check "upgrade without POLICYFILE keeps IT's policy" 'cmp -s "$T/policy.toml" "$POLICY"'
  check "upgraded program present" '[ -f "$APPDIR/DenshiClient.exe" ]'
  bat "msiexec /i $(winpath "$MSI") /qn /l*v $(winpath "$T/downgrade.log")" downgrade
  wineserver -w
  wrun reg query 'HKLM\Software\DenshiClient' /reg:64 > "$T/reg4.txt" || true
  check "downgrade refused (LaunchCondition), newer version stays" \
    'grep -aq "LaunchConditions. Return value 0" "$T/downgrade.log" && grep -q "$NEWV" "$T/reg4.txt"'
  bat "msiexec /x $(winpath "$MSI2") /qn /l*v $(winpath "$T/uninstall2.log")" uninstall2
  wineserver -w
  check "uninstall after upgrade removes the program" '[ ! -e "$APPDIR/DenshiClient.exe" ]'
  check "uninstall without REMOVEPOLICY keeps IT's policy" '[ -f "$POLICY" ]'
  rm -rf "$C/ProgramData/DenshiClient"
fi

echo "MSI round trip: $fails failure(s)"
[ "$fails" = 0 ]
