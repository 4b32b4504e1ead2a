#!/usr/bin/env bash
# Fills what wixl 0.101 cannot express (../shared/notes/packaging.md §2.2, pitfall W2), with msibuild:
#  - cmpPolicy is installed only when POLICYFILE is given (a Component <Condition> is a hard error in wixl);
#  - POLICYFILE is a Secure property (passed from the client to the elevated server side; wixl ignores @Secure);
#  - a MoveFile row copies the file named by POLICYFILE to %ProgramData%\DenshiClient\policy.toml
#    (wixl has no CopyFile element; MoveFile with an empty SourceName takes the property as the full path);
#  - a deferred custom action deletes that policy.toml at uninstall only when IT asks (REMOVEPOLICY=1), never
#    during a major upgrade. By default the policy is kept, like any admin-made configuration: an upgrade that
#    is run without POLICYFILE must not leave the PC without IT's locks. (Wine's RemoveExistingProducts does not
#    pass UPGRADINGPRODUCTCODE to the old product's uninstall, so "delete unless upgrading" would also have
#    deleted it there; the explicit switch behaves the same on Windows and under wine.)
set -euo pipefail
MSI="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
q() { msibuild "$MSI" -q "$1"; }
q "UPDATE Component SET Condition = 'POLICYFILE', Attributes = 260 WHERE Component = 'cmpPolicy'"
q "UPDATE Property SET Value = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;POLICYFILE;REMOVEPOLICY' WHERE Property = 'SecureCustomProperties'"
msibuild "$MSI" -i "$HERE/MoveFile.idt"
q "INSERT INTO InstallExecuteSequence (Action, Condition, Sequence) VALUES ('MoveFiles', '', 3800)"
# 3106 = type 34 (exe in a directory) + 1024 (deferred) + 2048 (no impersonation: runs as LocalSystem)
q "INSERT INTO CustomAction (Action, Type, Source, Target) VALUES ('DeletePolicyFile', 3106, 'PolicyDir', '\"[System64Folder]cmd.exe\" /c del /f /q \"[PolicyDir]policy.toml\"')"
q "INSERT INTO InstallExecuteSequence (Action, Condition, Sequence) VALUES ('DeletePolicyFile', 'REMOVE~=\"ALL\" AND REMOVEPOLICY AND NOT UPGRADINGPRODUCTCODE', 3510)"
