"""Write the compiled engine's character tables (engine/src/tables.rs) from the Python ones.

The engine (engine/, Rust) reads its character classes and patterns from this
generated file, never from a hand-written copy: textclean.engine.rust_tables
enumerates them from textclean.chardata and the layout rules' compiled patterns. Run
it from the repository's top when those change; a test checks that the committed
file is current::

    python scripts/build_engine_tables.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textclean import engine  # noqa: E402
from textclean.files import atomic_output  # noqa: E402


def main() -> None:
    source = engine.rust_tables().encode("utf-8")
    with atomic_output(ROOT / engine.TABLES_RS) as out:
        out.write(source)
    print(f"{engine.TABLES_RS}: {len(source)} bytes")


if __name__ == "__main__":
    main()
