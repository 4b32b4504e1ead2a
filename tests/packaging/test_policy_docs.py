"""The policy IT copies from our docs must pass the same parser the app uses, and the MSI pieces must agree."""

from __future__ import annotations

import re

from tests.conftest import REPO, run_cli


def test_example_policy_file_is_valid() -> None:
    """The one commented example (every key: tests/store/test_settings.py), shipped in the app's resources."""
    assert not (REPO / "installer" / "policy.example.toml").exists(), "one example policy, in resources/"
    r = run_cli("config", "validate", str(REPO / "resources" / "policy.example.toml"), "--kind", "policy")
    assert r.returncode == 0, r.stdout + r.stderr


def test_it_guide_policy_example_is_valid(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (REPO / "docs" / "it-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert blocks, "docs/it-guide.md has no ```toml example"
    for i, block in enumerate(blocks):
        p = tmp_path / f"policy{i}.toml"
        p.write_text(block, encoding="utf-8")
        r = run_cli("config", "validate", str(p), "--kind", "policy")
        assert r.returncode == 0, r.stdout + r.stderr


def test_guide_and_installer_agree_on_properties_and_upgrade_code() -> None:
    guide = (REPO / "docs" / "it-guide.md").read_text(encoding="utf-8")
    wxs = (REPO / "installer" / "product.wxs").read_text(encoding="utf-8")
    post = (REPO / "installer" / "postprocess_msi.sh").read_text(encoding="utf-8")
    code = re.search(r'UpgradeCode="([0-9A-F-]+)"', wxs).group(1)  # type: ignore[union-attr]
    assert "{" + code + "}" in guide
    for prop in ("POLICYFILE", "REMOVEPOLICY"):
        assert prop in guide and prop in post


def test_every_documented_policy_key_exists() -> None:
    from denshi_client.store.settings import SPECS

    guide = (REPO / "docs" / "it-guide.md").read_text(encoding="utf-8")
    for key in re.findall(r"\| `([a-z_]+\.[a-z_]+)`", guide):
        assert key in SPECS, key
