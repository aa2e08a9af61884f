"""textclean's own property suite on the public toolkit (textclean.testing).

CI runs the derandomized profile; HYPOTHESIS_PROFILE=long runs 10,000 examples each.
Every counterexample found so far is pinned below as an @example.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import textclean
from textclean.testing import INLINE_OPERATORS, OPERATORS, canonical_text, laws, noisy_text


@given(canonical_text())
def test_canonical_text_is_a_fixed_point(doc: str) -> None:
    laws.assert_fixed_point(textclean.clean, doc)


@given(noisy_text(operators=tuple(INLINE_OPERATORS)))
@example(("发展,发展发展发展发展0.1%!", "发展，发展发展发展发展0.1%！"))
@example(("发展,发展,发展RCEP!", "发展，发展，发展RCEP！"))
@example(("发展,5G发展(RCEP)。", "发展，5G发展（RCEP）。"))
def test_round_trip_of_the_inline_mix(pair: tuple[str, str]) -> None:
    raw, canonical = pair
    laws.assert_round_trip(textclean.clean, raw, canonical)


@given(noisy_text())
def test_round_trip_of_the_full_mix(pair: tuple[str, str]) -> None:
    raw, canonical = pair
    laws.assert_round_trip(textclean.clean, raw, canonical)


@pytest.mark.parametrize("operator", sorted(OPERATORS))
@given(data=st.data())
def test_round_trip_of_each_operator(operator: str, data: st.DataObject) -> None:
    raw, canonical = data.draw(noisy_text(operators=(operator,)))
    laws.assert_round_trip(textclean.clean, raw, canonical)


def test_noisy_text_rejects_an_unknown_operator() -> None:
    with pytest.raises(ValueError, match="unknown noise operators"):
        noisy_text(operators=("wrap_sideways",))


@given(noisy_text())
def test_laws_on_noisy_text(pair: tuple[str, str]) -> None:
    raw, _ = pair
    laws.assert_idempotent(textclean.clean, raw)
    laws.assert_explanation_replays(raw)
    laws.assert_no_han_lost(raw)


def test_a_law_fails_loudly_on_a_broken_pipeline() -> None:
    """The laws are real assertions: a pipeline that damages text is caught."""
    def broken(text: str) -> str:
        return text.replace("，", ",")
    with pytest.raises(AssertionError, match="changed clean text"):
        laws.assert_fixed_point(broken, "中国，外交")
    with pytest.raises(AssertionError, match="not idempotent"):
        laws.assert_idempotent(lambda t: t + "。", "好")
