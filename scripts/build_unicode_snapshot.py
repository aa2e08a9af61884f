"""Write textclean/data/categories.txt: the code points of the general categories the
rules name (``\\p{L}``, ``\\p{N}``, ``\\p{M}``), as the installed ``regex`` module gives
them.

    python scripts/build_unicode_snapshot.py

The rules match the snapshot, not the installed module's tables (textclean.chardata
puts it in place of ``\\p{L}`` and so on), so that what they match, and the compiled
engine's tables, do not change with the ``regex`` version. Take it again with a newer
``regex`` to follow a newer Unicode; tests/test_data_files.py checks that each code
point of it is of its category, or unassigned, for the module installed.
"""

from __future__ import annotations

from pathlib import Path

import regex

from textclean.engine import _ranges

OUT = Path(__file__).resolve().parent.parent / "textclean" / "data" / "categories.txt"
CATEGORIES = ("L", "N", "M")


def ranges(name: str) -> list[tuple[int, int]]:
    return _ranges(regex.compile(rf"\p{{{name}}}").fullmatch)


def main() -> None:
    lines = [
        "# The general categories L (letters), N (numbers) and M (marks): first and last",
        "# code point of each range, in hexadecimal.",
        f"# Taken from the regex module {regex.__version__} by",
        "# scripts/build_unicode_snapshot.py (see textclean.chardata.CATEGORIES).",
    ]
    for name in CATEGORIES:
        lines += (f"{name} {a:04X} {b:04X}" for a, b in ranges(name))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} lines")


if __name__ == "__main__":
    main()
