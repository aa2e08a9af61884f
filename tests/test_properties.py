"""Properties on arbitrary and on generated text (hypothesis; CI runs it derandomized)."""

from __future__ import annotations

import random

from hypothesis import example, given
from hypothesis import strategies as st

import textclean
from tests.conftest import SAMPLES
from tests.test_samples import assert_nothing_lost
from textclean.testing import laws, noise

CJKISH = st.text(
    alphabet=st.sampled_from(list("中国外交一是年来人民的，。：！？、“”（）《》 -—…\n　0123456789"
                                  "ABCabc.,:;!?\"'()%")),
    max_size=300,
)


@given(st.text(max_size=400))
@example("\x00\r\n\u2028\ufeff")
@example("1 2 0 多亿 - ， \n\n\n")
@example("à¡\x0c·")
@example("表" + "?" * 40 + "据")  # atheris: a run of marks widened one per pass
def test_never_crashes_and_is_idempotent(text: str) -> None:
    once = textclean.clean(text)
    assert isinstance(once, str)
    assert textclean.clean(once) == once


ANY_CODE_POINT = st.text(st.characters(exclude_categories=()), max_size=200)


@given(ANY_CODE_POINT)
@example("中\ud800国")
@example("\udfff\ud83d\ude00\ud83d")
def test_surrogates_become_characters_or_replacement(text: str) -> None:
    """Lone surrogates are no characters: no option crashes on them, none comes out."""
    for options in ({}, {"convert": "t2s"}, {"enable": ["fix_stray_script"]}):
        out = textclean.clean(text, **options)
        out.encode("utf-8")  # strict: a surrogate left in would raise


@given(CJKISH)
@example('王毅:"好"\n\n"中国-东盟"')
@example("中国\n\n-年来")
@example("- 年")
def test_idempotent_on_chinese_like_text(text: str) -> None:
    once = textclean.clean(text)
    assert textclean.clean(once) == once


TRADITIONAL = st.text(
    alphabet=st.sampled_from(list("乾闥婆程式干擾萬裏鼠標發頭髮後臺體系統計算機於一個"
                                  "，。：！？“” \nABC123")),
    max_size=120,
)


@given(TRADITIONAL, st.sampled_from(["t2s", "s2t", "tw2sp", "s2twp", "hk2s"]))
@example("乾闥婆", "t2s")
@example("程式", "tw2sp")
def test_a_conversion_runs_once(text: str, config: str) -> None:
    laws.assert_converted_once(text, config)


@given(CJKISH)
def test_explanations_replay(text: str) -> None:
    explanation = textclean.clean_and_explain(text)
    assert textclean.replay(text, explanation.steps) == explanation.text


@given(CJKISH)
@example(" 0\n:")
def test_only_character_rules_change_visible_characters(text: str) -> None:
    assert_nothing_lost(text)


@given(CJKISH)
def test_final_newline_follows_the_input(text: str) -> None:
    out = textclean.clean(text)
    if out:
        assert out.endswith("\n") == text.replace("\r\n", "\n").endswith(("\n", "\r"))


@given(st.integers(min_value=9, max_value=36), st.sampled_from(["blank", "indent"]),
       st.integers(min_value=0, max_value=10**6))
def test_wrapped_samples_round_trip(width: int, separator: str, seed: int) -> None:
    gold = (SAMPLES / "gold" / "001_2020_narrow_columns.txt").read_text(encoding="utf-8")
    body = "\n".join(gold.splitlines()[1:12]) + "\n"  # turns and body paragraphs
    raw = noise.page_breaks(noise.wrap(body, width, separator=separator), random.Random(seed))
    assert textclean.clean(raw) == body
