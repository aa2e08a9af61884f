"""Data files are sorted, unique and documented (OpenCC's habit)."""

from __future__ import annotations

from importlib import resources

import pytest

#: Each data file and how many of its leading columns make a line's key.
DATA_FILES = {"yi_words.txt": 1, "radicals_supplement.tsv": 1, "lookalikes.tsv": 2,
              "lexicon_exclude.txt": 1, "transliteration_chars.txt": 1}


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_sorted_unique_with_header(name: str) -> None:
    text = resources.files("textclean.data").joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if line and not line.startswith("#")]
    assert any("Used by" in line for line in header)
    assert any("Provenance" in line for line in header)
    keys = ["\t".join(line.split("\t")[:DATA_FILES[name]]) for line in body]
    assert keys == sorted(keys), f"{name} is not sorted"
    assert len(keys) == len(set(keys)), f"{name} has duplicates"


def test_space_set_lists_characters_not_ranges() -> None:
    """HSPACE serves as a set for ``in``/``strip`` and as a regex class body: a range
    written as ``a-b`` would make ``-`` a space for the former."""
    from textclean import chardata as cd  # noqa: PLC0415
    from textclean.rules.lines import ends_sentence  # noqa: PLC0415
    from textclean.rules.punctuation import neighbours  # noqa: PLC0415

    assert "-" not in cd.HSPACE
    assert all(chr(c) in cd.HSPACE for c in range(0x2000, 0x200B))
    assert neighbours("A-,", 2, 3) == ("-", "")
    assert not ends_sentence("他说。-")
