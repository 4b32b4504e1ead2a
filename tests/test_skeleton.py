from denshi_client import __version__
from tests.conftest import run_cli


def test_version() -> None:
    r = run_cli("--version")
    assert r.returncode == 0
    assert __version__ in r.stdout
