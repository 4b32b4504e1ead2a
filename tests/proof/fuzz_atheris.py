"""Coverage-guided fuzzing of the unpacker with atheris.

Run by tests/proof/test_hostile.py: 20 s in CI, 20000 runs in long mode. By hand:

    .venv/bin/python tests/proof/fuzz_atheris.py -runs=20000 <scratch dir>

Any exception other than a DenshiError, or any byte written outside the target, is a crash (exit != 0).
Seeds are the committed hostile corpus.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    from denshi_client.documents import archive

from denshi_client.errors import DenshiError

HERE = Path(__file__).resolve().parent
SCRATCH = Path(sys.argv[-1]) if len(sys.argv) > 1 and not sys.argv[-1].startswith("-") else Path("/tmp/denshi-atheris")
ROOT = SCRATCH / "box"
TARGET = ROOT / "parent" / "target"
SENTINEL = ROOT / "parent" / "keep.txt"
# Signatures of open, documented defects (docs/dev/defects.md), passed by the test: counted, not crashes.
KNOWN = re.compile(os.environ["DENSHI_FUZZ_KNOWN"]) if os.environ.get("DENSHI_FUZZ_KNOWN") else None


def one(data: bytes) -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    TARGET.mkdir(parents=True)
    src = ROOT / "in.zip"
    src.write_bytes(data)
    try:
        archive.unpack(src, TARGET, "Corpus-Pass-7781")
    except DenshiError as e:
        assert e.ja and e.en
        assert not any(TARGET.iterdir()), "refused but left files"
    except Exception as e:
        if KNOWN is None or not KNOWN.search(f"{type(e).__name__}: {e}"):
            raise
    assert sorted(p.name for p in ROOT.rglob("*") if TARGET not in p.parents and p != TARGET) == \
        sorted(["in.zip", "parent", "keep.txt"]), "written outside the target"
    assert SENTINEL.read_bytes() == b"sentinel"


def main() -> None:
    ROOT.mkdir(parents=True, exist_ok=True)
    SENTINEL.parent.mkdir(parents=True, exist_ok=True)
    SENTINEL.write_bytes(b"sentinel")
    seeds = SCRATCH / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for p in (HERE / "corpus").glob("*.zip"):
        if p.stat().st_size < 30_000:
            shutil.copy(p, seeds / p.name)
    args = [a for a in sys.argv if a.startswith("-")]
    atheris.Setup([sys.argv[0], *args, str(seeds)], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
