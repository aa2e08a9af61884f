"""Laws as reusable assertions, for textclean and for any text pipeline.

Each law raises ``AssertionError`` with the text that breaks it. The first three take
the function under test, so they fit a user's own pipeline as well as
:func:`textclean.clean`:

>>> import textclean
>>> assert_idempotent(textclean.clean, '王毅:好!')
>>> assert_fixed_point(textclean.clean, '王毅：好！')
>>> assert_round_trip(textclean.clean, '5 月 24 日', '5月24日')
>>> assert_explanation_replays('1 2 0 多亿')
>>> assert_no_han_lost('第 三 ， 去 年')
>>> assert_converted_once('乾闥婆', 't2s')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

import textclean
from textclean.explain import apply_edits
from textclean.pipeline import RULES_BY_NAME

Clean = Callable[[str], str]

_HAN = regex.compile(r"\p{Han}")


def assert_idempotent(clean: Clean, text: str) -> None:
    """Cleaning twice gives what cleaning once gives.

    A script conversion (``convert=``) is exempt: OpenCC is not idempotent (乾 → 干 on a
    second pass), so textclean converts exactly once; :func:`assert_converted_once` is
    its law.
    """
    once = clean(text)
    twice = clean(once)
    assert twice == once, f"not idempotent on {text!r}: {once!r} became {twice!r}"


def assert_fixed_point(clean: Clean, canonical: str) -> None:
    """Clean text comes out unchanged."""
    out = clean(canonical)
    assert out == canonical, f"changed clean text {canonical!r} into {out!r}"


def assert_round_trip(clean: Clean, raw: str, canonical: str) -> None:
    """Damaged text comes back as the text it was made from."""
    out = clean(raw)
    assert out == canonical, f"{raw!r} cleaned to {out!r}, not {canonical!r}"


def assert_explanation_replays(text: str, **options: Any) -> None:
    """The explanation's steps, replayed on the input, give the cleaned text."""
    explanation = textclean.clean_and_explain(text, **options)
    assert explanation.text == textclean.clean(text, **options)
    replayed = textclean.replay(text, explanation.steps)
    assert replayed == explanation.text, f"replay of {text!r} gave {replayed!r}"


def assert_no_han_lost(text: str, **options: Any) -> None:
    """No step changes the Han characters of the text, unless its rule says it may
    (``Rule.changes_han``: encoding repair, radicals, 一 restored, markers removed)."""
    explanation = textclean.clean_and_explain(text, **options)
    current = text
    for step in explanation.steps:
        after = apply_edits(current, step.edits)
        if not RULES_BY_NAME[step.rule].changes_han:
            before_han = "".join(_HAN.findall(current))
            after_han = "".join(_HAN.findall(after))
            assert before_han == after_han, (
                f"{step.rule} changed Han characters of {text!r}: "
                f"{before_han!r} became {after_han!r}")
        current = after


def assert_converted_once(text: str, convert: str, **options: Any) -> None:
    """A conversion runs once: one conversion step, and cleaning the converted text
    again without conversion changes nothing."""
    explanation = textclean.clean_and_explain(text, convert=convert, **options)
    conversions = [step for step in explanation.steps if step.rule == "convert_script"]
    assert len(conversions) <= 1, f"{text!r} was converted {len(conversions)} times"
    assert explanation.text == textclean.clean(text, convert=convert, **options)
    again = textclean.clean(explanation.text, **options)
    assert again == explanation.text, (
        f"{text!r} converted to {explanation.text!r}, which cleans to {again!r}")
