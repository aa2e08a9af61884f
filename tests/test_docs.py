"""The layout model's page lists every clause the code decides with, and no other."""

from __future__ import annotations

import regex

from tests.conftest import ROOT


def test_the_layout_page_lists_every_clause() -> None:
    source = (ROOT / "textclean" / "rules" / "lines.py").read_text(encoding="utf-8")
    in_code = set(regex.findall(r'_(?:join|break)\("([a-z_]+)"\)', source))
    page = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    in_page = set(regex.findall(r"^\| `([a-z_]+)` \| (?:join|break) \|", page, regex.MULTILINE))
    assert in_code, "no clauses found in lines.py"
    assert in_code == in_page, (sorted(in_code - in_page), sorted(in_page - in_code))
