"""Layouts the samples lack: the gold text re-rendered at other widths and separators."""

from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import Levenshtein

import textclean
from tests.conftest import SAMPLES, sample_names
from textclean.testing import noise


def gold(name: str) -> str:
    return (SAMPLES / "gold" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("width", [9, 14, 20, 28])
def test_blank_separated_columns_round_trip(name: str, width: int) -> None:
    text = gold(name)
    raw = noise.page_breaks(noise.wrap(text, width), random.Random(width), rate=0.1)
    assert textclean.clean(raw) == text


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("width", [10, 16, 22])
def test_column_spaces_round_trip(name: str, width: int) -> None:
    text = gold(name)
    assert textclean.clean(noise.column_spaces(text, width)) == text


@pytest.mark.parametrize("separator", ["indent", "none"])
@pytest.mark.parametrize("width", [11, 15, 19, 26, 34])
def test_indent_and_unseparated_paragraphs(separator: str, width: int) -> None:
    """Paragraph ends found from indentation or short last lines alone.

    A lost paragraph end followed by a headline-like line is ambiguous here, so the
    bar is an edit rate, not equality: nearly every paragraph break must be right.
    """
    raw_err = out_err = 0
    for name in sample_names():
        text = gold(name)
        raw = noise.wrap(text, width, separator=separator)
        out = textclean.clean(raw)
        raw_err += Levenshtein.distance(raw, text)
        out_err += Levenshtein.distance(out, text)
        assert textclean.clean(out) == out
    assert out_err <= 0.006 * raw_err, (out_err, raw_err)


def test_inline_noise_round_trips() -> None:
    for name in sample_names():
        text = gold(name)
        rng = random.Random(name)
        raw = noise.half_width_punctuation(noise.straight_quotes(
            noise.space_numbers(noise.space_digits(text, rng), rng), rng), rng)
        assert textclean.clean(raw) == text


def test_character_noise_round_trips() -> None:
    for name in sample_names():
        text = gold(name)
        rng = random.Random(name)
        raw = noise.kangxi_radicals(noise.fullwidth_alnum(noise.yi_as_dash(text, rng), rng), rng)
        assert textclean.clean(raw) == text


@pytest.mark.parametrize("encoding", ["latin-1", "windows-1252"])
def test_mojibake_round_trips(encoding: str) -> None:
    for name in sample_names():
        text = gold(name)
        assert textclean.clean(noise.mojibake(text, encoding=encoding)) == text


def test_lost_turn_breaks_restored() -> None:
    for name in sample_names():
        text = gold(name)
        assert textclean.clean(noise.lose_turn_breaks(text, random.Random(name))) == text


def test_the_tolerances_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout reads its numbers from one record: where too few first lines two
    cells short are taken to show dropped indents, the paragraph starts stay joined."""
    from dataclasses import replace  # noqa: PLC0415

    from textclean.rules import lines  # noqa: PLC0415

    # PyMuPDF's shape: indents dropped, a paragraph opening after a full line.
    raw = ("新线开通后，全市\n地铁运营里程达到516\n公里。市民在9座换乘\n站可以实现站内换乘。\n"
           "为方便乘客出行，\n各车站均设置了无障碍\n电梯、母婴室和自助服\n务设备。\n")
    split = "站可以实现站内换乘。\n为方便乘客出行，"
    assert split.replace("站可以实现", "") in textclean.clean(raw)
    monkeypatch.setattr(lines, "TOL", replace(lines.TOL, min_first_lines=10))
    assert "站内换乘。为方便乘客出行，" in textclean.clean(raw)


# Two articles in one dump, set at two column widths (CANON v2 "Line breaks": each
# article comes out as if it had been cleaned alone). The oracle is the two golds.
_TWO_ARTICLES = [
    ("001_2020_narrow_columns.txt", "000_2020_long_lines.txt", 14, 30),
    ("003_2020_spaced_numbers.txt", "001_2020_narrow_columns.txt", 24, 12),
    ("000_2020_long_lines.txt", "004a_2021_column_spaces.txt", 10, 22),
    ("004a_2021_column_spaces.txt", "002_2022_long_lines.txt", 30, 14),
]


@pytest.mark.parametrize(("first", "second", "width1", "width2"), _TWO_ARTICLES)
def test_articles_at_two_widths_come_out_as_if_cleaned_alone(
        first: str, second: str, width1: int, width2: int) -> None:
    a, b = gold(first), gold(second)
    raw = (noise.page_breaks(noise.wrap(a, width1), random.Random(width1), rate=0.1)
           + "\n" + noise.page_breaks(noise.wrap(b, width2), random.Random(width2), rate=0.1))
    assert textclean.clean(raw) == a + b


def test_the_samples_side_by_side_as_a_pipe_reads_them() -> None:
    """The raw samples one after another, a blank line between them (as several
    articles of a page come): each cleaned as if alone."""
    raws = [(SAMPLES / "raw" / name).read_text(encoding="utf-8") for name in sample_names()]
    golds = [gold(name).rstrip("\n") for name in sample_names()]
    out = textclean.clean("\n\n".join(raw.rstrip("\n") for raw in raws) + "\n")
    assert out == "\n".join(golds) + "\n"


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("width", [9, 20, 34])
def test_one_article_is_one_region(name: str, width: int) -> None:
    from textclean.rules import lines  # noqa: PLC0415

    for text in ((SAMPLES / "raw" / name).read_text(encoding="utf-8"),
                 noise.page_breaks(noise.wrap(gold(name), width), random.Random(width))):
        evidence = lines.LayoutEvidence()
        evidence.add(text.splitlines())
        assert evidence.regions() == (0,)
