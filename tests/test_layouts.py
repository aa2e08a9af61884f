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
