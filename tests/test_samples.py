"""Golden tests on the bundled samples: exact output, fixed point, idempotence, replay."""

from __future__ import annotations

import regex

import textclean
from textclean import apply_edits, replay

#: Rules whose job is to change, add or remove visible characters. Every other rule may
#: only move white space (and, for join_wrapped_lines, drop a line-end hyphen).
CHARACTER_RULES = {
    "repair_mojibake", "remove_invisible_chars", "map_compatibility_ideographs",
    "convert_script", "restore_yi_from_dash", "remove_continuation_markers",
    "fold_fullwidth_alnum", "narrow_number_punctuation", "pair_straight_quotes",
    "widen_cjk_punctuation", "widen_cjk_parentheses", "normalize_ellipses_and_dashes",
    "join_names_with_dash", "repair_surrogates", "narrow_latin_punctuation",
    "remove_page_furniture", "restore_ocr_marks", "turn_ocr_quotes",
}
_SPACE = regex.compile(r"\s+")


def test_raw_becomes_gold(sample: tuple[str, str]) -> None:
    raw, gold = sample
    out = textclean.clean(raw)
    assert out.rstrip("\n") == gold.rstrip("\n")
    assert out.endswith("\n") == raw.endswith("\n")


def test_gold_is_a_fixed_point(sample: tuple[str, str]) -> None:
    _, gold = sample
    assert textclean.clean(gold) == gold


def test_idempotent(sample: tuple[str, str]) -> None:
    raw, _ = sample
    once = textclean.clean(raw)
    assert textclean.clean(once) == once


def test_explanation_replays(sample: tuple[str, str]) -> None:
    raw, _ = sample
    explanation = textclean.clean_and_explain(raw)
    assert explanation.text == textclean.clean(raw)
    assert replay(raw, explanation.steps) == explanation.text
    assert explanation.steps, "a raw sample needs some repair"


def assert_nothing_lost(raw: str) -> None:
    """Only character rules change visible characters; the others only move white space."""
    explanation = textclean.clean_and_explain(raw)
    text = raw
    for step in explanation.steps:
        after = apply_edits(text, step.edits)
        if step.rule not in CHARACTER_RULES:
            before_chars = _SPACE.sub("", text)
            after_chars = _SPACE.sub("", after)
            if step.rule == "join_wrapped_lines":
                # A word hyphenated at a line end loses its hyphen, nothing else.
                assert before_chars.replace("-", "") == after_chars.replace("-", ""), step
                assert len(after_chars) <= len(before_chars), step
            else:
                assert before_chars == after_chars, step
        text = after


def test_nothing_lost(sample: tuple[str, str]) -> None:
    assert_nothing_lost(sample[0])


def _canonical_lines() -> list[str]:
    """Every line of the gold samples and of the engine corpus's written articles
    (canonical text: the article files mark a line's kind with a prefix)."""
    from tests.conftest import ROOT, SAMPLES  # noqa: PLC0415

    lines = [line for path in sorted((SAMPLES / "gold").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    for path in sorted((ROOT / "benchmarks" / "articles").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                lines.append(regex.sub(r"^(?:[KTSDB]:|[=@] )", "", line))
    return lines


def test_short_runs_of_canonical_lines_are_fixed_points() -> None:
    """A pipeline hands over a paragraph or a few: each run of one to five consecutive
    canonical lines (a headline block, two paragraphs of one width) stays as it is."""
    lines = _canonical_lines()
    changed = []
    for n in range(1, 6):
        for start in range(len(lines) - n + 1):
            text = "\n".join(lines[start:start + n]) + "\n"
            if textclean.clean(text) != text:
                changed.append(text)
    assert not changed, changed[:3]
