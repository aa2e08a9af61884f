"""Columns set side by side (CANON v2): the reading-order stage, block shape by block shape.

The oracle is the generator's own reading order: canonical text set in column lines
(``noise.column_lines``), then laid side by side (``noise.side_by_side``) as
``pdftotext -layout`` and pdfplumber print a page. The stage must give the column
lines back in order; the whole cleaner must give the canonical text back.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import textclean
from tests.conftest import SAMPLES, sample_names
from textclean.rules import columns
from textclean.testing import noise
from textclean.testing.strategies import canonical_text

BODY = (
    "今年以来，全市各区围绕老旧小区改造持续发力，累计完成改造项目一百二十余个，惠及居民四万多户。"
    "改造后的小区环境明显改善，居民满意度稳步提升。\n"
    "在推进过程中，各街道坚持问需于民，先后召开居民议事会三百余场，收集意见建议两千多条。"
    "施工单位根据居民意见及时调整了方案，增设了电梯和无障碍设施。\n"
    "下一步，全市将继续扩大改造范围，重点解决停车难、充电难等问题，让更多居民享受到城市更新带来的实惠。\n"
)


def gold(name: str) -> str:
    return (SAMPLES / "gold" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("count", [2, 3, 4, 5])
@pytest.mark.parametrize("cells_wide", [False, True])
def test_columns_come_back_in_order(count: int, cells_wide: bool) -> None:
    lines = noise.column_lines(BODY, 11)
    rows = noise.side_by_side(lines, count, cells_wide=cells_wide)
    assert columns.reorder_lines(rows) == lines


def test_a_headline_across_the_columns_stays_on_top() -> None:
    lines = noise.column_lines(BODY, 12)
    rows = ["            城市更新惠及四万多户居民", "", *noise.side_by_side(lines, 3)]
    assert columns.reorder_lines(rows) == ["            城市更新惠及四万多户居民", "", *lines]


def test_a_picture_hole_in_a_column() -> None:
    lines = noise.column_lines(BODY, 12)
    rows = noise.side_by_side(lines, 3, holes=((1, 2, 3),))
    assert any(row for row in rows if "  " not in row.strip())  # rows lack a column
    assert columns.reorder_lines(rows) == lines


@pytest.mark.parametrize("rows_above", [5, 7])
def test_a_picture_at_the_top_of_a_column(rows_above: int) -> None:
    """The middle column starts under a picture: the rows ahead of the band's top do
    not show it, the band's rows do."""
    lines = noise.column_lines(BODY + BODY, 12)
    rows = noise.side_by_side(lines, 3, holes=((1, 0, rows_above),))
    assert sum(len(columns.segments(row)) == 2 for row in rows) >= rows_above
    assert columns.reorder_lines(rows) == lines


def test_a_column_of_first_lines() -> None:
    """Short turns, each a paragraph of one line: the column's start shows only where
    a line that is no first line comes, below the rows read ahead."""
    turns = "".join(f"记者：第{n}个问题是什么？\n发言人：是第{n}个。\n" for n in "一二三四五")
    lines = noise.column_lines(turns + BODY, 14)
    assert all(line.startswith("\u3000\u3000") for line in lines[:columns.LOOKAHEAD + 1])
    rows = noise.side_by_side(lines, 2)
    assert columns.reorder_lines(rows) == lines


@pytest.mark.parametrize("left", [1, 2, 4])
def test_a_column_that_ends_early(left: int) -> None:
    """The last column holds what is left of the text: a few lines, or one."""
    lines = noise.column_lines(BODY, 12)
    height = -(-len(lines) // 3)
    lines = lines[:2 * height + left]
    rows = noise.side_by_side(lines, 3, height=height)
    assert sum(len(columns.segments(row)) == 3 for row in rows) == left
    assert columns.reorder_lines(rows) == lines


def test_a_second_article_under_the_first() -> None:
    first = noise.column_lines(BODY, 12)
    second = noise.column_lines(gold("001_2020_narrow_columns.txt").split("\n", 8)[8][:400], 16)
    rows = [*noise.side_by_side(first, 3), "", "", "",
            "          新闻记者会答问", "", *noise.side_by_side(second, 2)]
    assert columns.reorder_lines(rows) == [*first, "", "", "", "          新闻记者会答问", "",
                                           *second]


def test_a_gutter_shrunk_to_one_space() -> None:
    """pdfplumber runs a line of narrow digits up to the next column, one space short
    of its start: the row is still cut there."""
    lines = noise.column_lines(BODY, 12)
    rows = noise.side_by_side(lines, 3)
    height = -(-len(lines) // 3)
    second = rows[3].index(lines[height + 3].lstrip("\u3000")[:4])
    head = rows[3][:second].rstrip()
    longer = head + "2" * (second - 1 - len(head))
    rows[3] = longer + " " + rows[3][second:]
    expected = [longer if line == head else line for line in lines]
    assert columns.reorder_lines(rows) == expected


def test_one_blank_line_inside_a_band_is_spacing() -> None:
    lines = noise.column_lines(BODY, 12)
    rows = noise.side_by_side(lines, 3)
    assert columns.reorder_lines([*rows[:5], "", *rows[5:]]) == lines


def test_one_blank_line_between_two_bands() -> None:
    """pdfplumber may set a single blank line between two bands of one article: the
    columns read on into the next column's top, not across the blank."""
    lines = noise.column_lines(BODY + BODY, 12)
    cut = 3 * (len(lines) // 6)
    first = noise.side_by_side(lines[:cut], 3)
    second = noise.side_by_side(lines[cut:], 3)
    assert len(first) >= 4 and len(second) >= 4
    assert columns.reorder_lines([*first, "", *second]) == lines


def test_a_table_is_no_columns() -> None:
    rows = ["地区    人口    增长", "东部    5.1亿    2.1%", "中部    3.6亿    1.8%",
            "西部    3.8亿    2.4%", "东北    0.9亿    0.3%"]
    assert columns.reorder_lines(rows) == rows


@pytest.mark.parametrize("name", sample_names())
def test_dumps_without_that_shape_pass_through(name: str) -> None:
    for text in ((SAMPLES / "raw" / name).read_text(encoding="utf-8"), gold(name),
                 noise.page_breaks(noise.wrap(gold(name), 14), random.Random(1)),
                 noise.column_spaces(gold(name), 16)):
        assert columns.read_columns_in_order(text) == text


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize(("width", "count"), [(12, 4), (17, 3), (22, 2)])
def test_samples_set_side_by_side_come_back(name: str, width: int, count: int) -> None:
    text = gold(name)
    lines = noise.column_lines(text, width)
    rows = noise.side_by_side(lines, count)
    assert columns.reorder_lines(rows) == lines


@pytest.mark.parametrize(("width", "count"), [(12, 4), (17, 3), (22, 2)])
def test_the_cleaner_reads_columns_side_by_side(width: int, count: int) -> None:
    """Body paragraphs and turns set side by side come out canonical (headline lines
    set in the column with nothing between them are ambiguous: the stage's test
    above covers them)."""
    body = "\n".join(gold("001_2020_narrow_columns.txt").splitlines()[1:12]) + "\n"
    for text in (BODY, body):
        rows = noise.side_by_side(noise.column_lines(text, width), count)
        assert textclean.clean("\n".join(rows) + "\n") == text


@given(canonical_text(min_paragraphs=2, max_paragraphs=8), st.integers(10, 24),
       st.integers(2, 5), st.integers(3, 8), st.booleans())
# Found by the long profile: a last column of one line, set a wider gutter's width
# right of the others (its neighbour's lines are wide in display cells).
@example(text="新华社记者：“发展”发展？\n李明：发展，发展，发展，绿色发展RCEP发展（RCEP）。"
              "发展（WTO）。发展，发展482年（WTO）。发展，乡村振兴3739年（WTO）。发展，发展"
              "3739年乡村振兴，发展发展（WTO）。\n新华社记者李明摄\n新华社记者：“发展”发展？\n"
              "李明：发展，中国—东盟绿色发展——发展发展发展，数字经济。发展（RCEP）。发展，"
              "发展，发展10年（WTO）。发展，发展1949年，教育3739年乡村振兴（RCEP）。发展，"
              "发展（RCEP）。", width=12, count=5, gap=3, cells_wide=True)
# Found by the long profile (2026-12-04): the top row's left column holds a short
# paragraph's lines, so the lookahead from it does not call the columns prose, while
# the lookahead from the row below does; the top row stood above the region, whole.
@example(text="发展发展\n发展发展\n发展（RCEP）。\n发展（RCEP）。发展。\n"
              "发展（RCEP）。发展（RCEP）。发展（RCEP）。\n发展发展发展（RCEP）。",
         width=10, count=2, gap=3, cells_wide=False)
def test_any_canonical_text_in_columns_comes_back_in_order(
        text: str, width: int, count: int, gap: int, cells_wide: bool) -> None:
    """Columns of 10 cells or more, three spaces apart or more, as the engines set them
    (pdftotext four, pdfplumber nine or more)."""
    lines = noise.column_lines(text, width)
    rows = noise.side_by_side(lines, count, gap=gap, cells_wide=cells_wide)
    out = columns.reorder_lines(rows)
    # Either the stage saw the columns and read them in order, or it left the rows as
    # they were (too few to be sure, or short cells that read as a table). A column
    # whose every line is a first line shows no indent to tell its start from; a
    # line the wrap left with a space at its end (New + York) is printed without it.
    text_of = [line.lstrip("\u3000").rstrip() for line in lines]
    assert [line.lstrip("\u3000") for line in out] == text_of or out == rows
    if len(lines) >= 6 * count and min(map(len, lines)) >= columns.MIN_COLUMN_TEXT + 2:
        assert out != rows


def test_the_explanation_names_the_columns_it_chose() -> None:
    rows = noise.side_by_side(noise.column_lines(BODY, 12), 3)
    explanation = textclean.clean_and_explain("\n".join(rows) + "\n")
    why = {edit.why for step in explanation.steps if step.rule == "read_columns_in_order"
           for edit in step.edits}
    assert len(why) == 1
    (text,) = why
    assert text.startswith(f"columns_side_by_side: lines 1-{len(rows)}, 3 columns at 0, ")
    assert text.endswith("(characters)")


def test_a_document_in_chunks_reads_as_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage holds lines only up to a quiet stretch: with a tiny hold, a dump of
    two pages of columns, cleaned in small chunks, comes out as it does whole."""
    from textclean.pipeline import Cleaner  # noqa: PLC0415

    page = noise.side_by_side(noise.column_lines(BODY, 12), 3)
    text = "\n".join(["          版头", "", *page, "", "", "", *([""] * 10), *page]) + "\n"
    whole = Cleaner().clean(text)
    monkeypatch.setattr(columns, "FLUSH_LINES", 4)
    pieces = [text[k:k + 40] for k in range(0, len(text), 40)]
    assert "".join(Cleaner().clean_chunks(pieces, chunk_chars=60)) == whole
    assert whole.count(BODY.splitlines()[0][:10]) == 2
