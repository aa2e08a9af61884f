"""Data files are sorted, unique and documented (OpenCC's habit)."""

from __future__ import annotations

from importlib import resources

import pytest

DATA_FILES = ["yi_words.txt", "radicals_supplement.tsv"]


@pytest.mark.parametrize("name", DATA_FILES)
def test_sorted_unique_with_header(name: str) -> None:
    text = resources.files("textclean.data").joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if line and not line.startswith("#")]
    assert any("Used by" in line for line in header)
    assert any("Provenance" in line for line in header)
    keys = [line.split("\t")[0] for line in body]
    assert keys == sorted(keys), f"{name} is not sorted"
    assert len(keys) == len(set(keys)), f"{name} has duplicates"
