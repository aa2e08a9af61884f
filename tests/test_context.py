"""The context repairs against their data sets (tests/lookalikes/, provenance in each file).

Negatives are correct sentences: no rule may change them. Positives are damaged
sentences with their repair: no rule may make an edit that is not the repair, and the
rules must find a fair share of the repairs (benchmarks/lookalikes.py prints the
figures; the floor below only guards against a regression).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

import textclean
from textclean import chardata as cd
from textclean import lexicon
from textclean.document import lines_of
from textclean.rules import context

SETS = Path(__file__).parent / "lookalikes"
#: The share of damaged characters the default preset repaired when the sets were
#: written (0.55 at LOOKALIKE_MARGIN 6.0), less a little room.
RECALL_FLOOR = 0.9


def data_lines(name: str) -> list[str]:
    text = (SETS / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


NEGATIVES = data_lines("negatives.txt")
POSITIVES = [tuple(line.split("\t")) for line in data_lines("positives.tsv")]


def test_sets_are_well_formed() -> None:
    assert len(NEGATIVES) >= 300 and len(set(NEGATIVES)) == len(NEGATIVES)
    assert len(POSITIVES) >= 100
    for damaged, correct in POSITIVES:
        assert len(damaged) == len(correct) and damaged != correct, damaged


def test_no_negative_changes() -> None:
    changed = [(s, out) for s in NEGATIVES if (out := textclean.clean(s)) != s]
    assert changed == []


def test_positives_get_no_wrong_edit_and_enough_repairs() -> None:
    wrong = []
    damaged_chars = repaired = 0
    for damaged, correct in POSITIVES:
        out = textclean.clean(damaged)
        assert len(out) == len(damaged), (damaged, out)
        for before, want, got in zip(damaged, correct, out, strict=True):
            if before != want:
                damaged_chars += 1
                repaired += got == want
            elif got != before:
                wrong.append((damaged, out))
        assert textclean.clean(out) == out, "not idempotent"
    assert wrong == []
    assert repaired / damaged_chars >= RECALL_FLOOR


def test_conservative_preset_leaves_lookalikes_alone() -> None:
    assert textclean.clean("这一理念深人人心。", preset="conservative") == "这一理念深人人心。"
    assert textclean.clean("这一理念深人人心。") == "这一理念深入人心。"


@pytest.mark.parametrize(("text", "expected"), [
    ("曰本首相", "日本首相"),
    ("这是前所末有的挑战", "这是前所未有的挑战"),
    ("统—思想，进—步", "统一思想，进一步"),
])
def test_explanation_names_the_context_rule(text: str, expected: str) -> None:
    result = textclean.clean_and_explain(text)
    assert result.text == expected
    names = {step.rule for step in result.steps}
    assert names & {"repair_lookalikes", "restore_yi_in_words"}


def test_misspelled_twins_are_dropped_from_the_lexicon() -> None:
    freq = {"收入": 10403, "收人": 3, "入口": 704, "人口": 23243, "人": 9, "入": 9}
    assert lexicon.misspelled_twins(freq, {"人": "入", "入": "人"}) == {"收人"}
    assert "自已" not in lexicon.load()  # curated: data/lexicon_exclude.txt


def test_segmentation_prefers_words() -> None:
    lex = lexicon.Lexicon({"中国": 100, "人世": 5, "入世": 5, "中": 3, "国": 3, "人": 9})
    seg = lex.segment("中国人世")
    assert seg.ends == (2, 4)
    assert seg.word_at(2) == (2, 4)
    assert lex.has_word_over("中国人世", 2) and not lex.has_word_over("中国人", 2)


def test_missing_jieba_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(lexicon.LexiconUnavailable, match="pip install jieba"):
        lexicon.jieba_dict_path()


def test_rules_are_registered_as_risky_and_changing_han() -> None:
    from textclean.pipeline import RULES_BY_NAME  # noqa: PLC0415

    for name in ("repair_lookalikes", "restore_yi_in_words"):
        assert RULES_BY_NAME[name].risky and RULES_BY_NAME[name].changes_han
    assert RULES_BY_NAME["repair_o_in_numbers"].risky


def test_text_without_candidates_does_not_need_the_lexicon(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> lexicon.Lexicon:
        raise lexicon.LexiconUnavailable("not loaded")

    monkeypatch.setattr(lexicon, "load", unavailable)
    text = "中国经济稳定增长，2020年GDP增长2.3%。\n"
    assert textclean.clean(text) == text
    context._lookalike_for.cache_clear()  # decisions cached by earlier tests
    context._compiled_rules.cache_clear()  # and the engine's rules, built with the lexicon
    with pytest.raises(lexicon.LexiconUnavailable):
        textclean.clean("这一理念深人人心。")


def test_the_shipped_lexicon_table_is_current() -> None:
    """data/lexicon.bin holds what jieba's dictionary and the data files give now
    (rebuild with: python scripts/build_lexicon_table.py)."""
    assert lexicon.decode_table(lexicon.TABLE.read_bytes()) == lexicon.build()


def test_the_lexicon_table_round_trips() -> None:
    counts = {"深入": 50, "人心": 40, "深": 5, "中华人民共和国": 1, "a": 4_000_000_000}
    assert lexicon.decode_table(lexicon.encode_table(counts)) == counts
    assert lexicon.decode_table(lexicon.encode_table({})) == {}
    with pytest.raises(lexicon.LexiconUnavailable):
        lexicon.decode_table(b"not a table")


@given(st.lists(st.sampled_from(["中", "国", "中", "国", " ", "\u3000", "\t", "x", "。"]),
                max_size=40).map("".join))
def test_the_han_ending_is_read_as_the_forward_pattern_reads_it(text: str) -> None:
    """splits_word reads a line's Han ending from the line reversed; the ending is
    what the forward pattern (the Han characters, each with the spaces after it, up
    to CONTEXT of them, at the end) finds."""
    forward = regex.search(rf"(?:\p{{Han}}[{cd.HSPACE}]*){{1,{context.CONTEXT}}}\Z", text)
    backward = context._HAN_END_REVERSED.match(text[::-1])
    assert (None if forward is None else forward.group()) == (
        None if backward is None else backward.group()[::-1])


def _rejoined_line_by_line(text: str) -> str:
    """rejoin_split_words as its docstring states it: every line break tried in turn
    (the rule itself tries only the breaks with Han characters on both sides)."""
    paragraphs: list[str] = []
    for line in lines_of(text):
        if paragraphs and context._rejoins(paragraphs[-1], line):
            paragraphs[-1] = paragraphs[-1].rstrip() + line.lstrip()
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs) + ("\n" if paragraphs and text.endswith("\n") else "")


#: Lines for the rejoin test: halves of split words (so that some breaks rejoin), lines
#: that end or open otherwise, and white space that str.strip strips around them.
_SPLIT_LINES = ["中国国际广播电", "台记者：中方如何评价？", "市发展改革委有关负责",
                "人表示，十四号线", "电", "台", "王毅答中外记者问", "图",
                "新华社记者 李明 摄", "x", "。", ""]
_SPLIT_SPACES = ["", "", " ", "\u3000", "\t", "\u2028", "\x85", "\r"]
_split_line = st.tuples(st.sampled_from(_SPLIT_SPACES), st.sampled_from(_SPLIT_LINES),
                        st.sampled_from(_SPLIT_SPACES)).map("".join)


@given(st.lists(_split_line, max_size=12).map("\n".join), st.booleans(), st.data())
@example("x\n中国国际广播电 \n\u3000台记者：中方如何评价？", True, None)
@example("中国国际广播电\u3000\n 台记者：中方如何评价？\n电\n台", False, None)
def test_rejoin_tries_every_break_that_can_rejoin(text: str, final: bool,
                                                  data: st.DataObject | None) -> None:
    """The rule decides only the breaks its candidate pattern finds, in chunks cut at
    any line breaks: the same text as trying every break of the whole text."""
    text += "\n" if final else ""
    breaks = [k + 1 for k, ch in enumerate(text) if ch == "\n"]
    cuts = sorted(data.draw(st.sets(st.sampled_from(breaks))) if breaks and data else [])
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    got = "".join(context.REJOIN_SPLIT_WORDS.transform(None, chunks))
    assert got == _rejoined_line_by_line(text)


def test_rejoin_joins_across_chunks() -> None:
    chunks = ["图\n中国国际广播电\u3000\n", " 台记者：中方如何评价？\n", "电\n", "台\n"]
    assert "".join(context.REJOIN_SPLIT_WORDS.transform(None, chunks)) == (
        "图\n中国国际广播电台记者：中方如何评价？\n电台\n")
