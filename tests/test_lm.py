"""The word-trigram model (textclean.lm): the table's format, back-off, segmentation.

The oracles are worked by hand: a table of a few words with known weights, whose
readings' log probabilities are sums written out below; and values read off libime's
``lm_sc.arpa`` for the shipped table.
"""

from __future__ import annotations

import math

import pytest

from textclean import lm

LN10 = math.log(10)


@pytest.fixture(scope="module")
def tiny() -> lm.TrigramModel:
    uni = [("<unk>", -6000, 0), ("甲", -1000, -500), ("乙乙", -2000, -300), ("丙", -1500, 0),
           ("乙", -4000, 0)]
    bi = [("甲", "乙乙", -400, -200), ("乙乙", "丙", -900, 0)]
    tri = [("甲", "乙乙", "丙", -100)]
    return lm.TrigramModel(lm.encode(uni, bi, tri, "a tiny table"))


def test_a_trigram_that_the_table_holds(tiny: lm.TrigramModel) -> None:
    reading = tiny.read("甲乙乙丙")
    assert list(reading.ids) == [tiny.ids[w] for w in ("甲", "乙乙", "丙")]
    # p(甲) p(乙乙 | 甲) p(丙 | 甲 乙乙)
    assert reading.score == pytest.approx((-1.0 - 0.4 - 0.1) * LN10)


def test_back_off_to_a_bigram_and_a_unigram(tiny: lm.TrigramModel) -> None:
    # p(乙乙) p(甲 | 乙乙) = p(乙乙) b(乙乙) p(甲): no bigram 乙乙 甲
    assert tiny.read("乙乙甲").score == pytest.approx((-2.0 - 0.3 - 1.0) * LN10)
    # p(丙 | 乙乙 甲) backs off twice: b(乙乙 甲) = 0 (no such bigram), then b(甲) p(丙)
    assert tiny.read("乙乙甲丙").score == pytest.approx(
        (-2.0 - 0.3 - 1.0 - 0.5 - 1.5) * LN10)


def test_the_reading_is_the_most_probable(tiny: lm.TrigramModel) -> None:
    # 乙乙 as one word (-2.0) beats 乙 乙 (-4.0 twice); an unknown character costs
    # <unk> and a penalty.
    assert len(tiny.read("乙乙").ids) == 1
    assert tiny.read("丁").ids == (tiny.unk,)
    assert tiny.read("丁").score == pytest.approx(
        (-6000 - lm.UNKNOWN_PENALTY) / lm.SCALE * LN10)


def test_a_table_of_another_kind_is_refused() -> None:
    with pytest.raises(lm.ModelUnavailable):
        lm.TrigramModel(b"PK\x03\x04 not a table")


def test_the_shipped_table() -> None:
    model = lm.load()
    assert "LGPL-2.1-or-later" in model.note
    assert len(model.ids) == 164887  # the unigrams of lm_sc.arpa (\\data\\ ngram 1=)
    # lm_sc.arpa: "-3.7733452	如何	-0.4638014"
    k = model.ids["如何"]
    assert (model.u_logp[k], model.u_back[k]) == (-3773, -464)


def test_the_model_tells_a_damaged_reading() -> None:
    model = lm.load()
    assert model.read("深入人心").score > model.read("深人人心").score + 5
    assert model.read("出人意料").score > model.read("出入意料").score + 5


def test_the_shipped_table_keeps_the_ngrams_of_every_lookalike() -> None:
    """The table was pruned for the characters of data/lookalikes.tsv (and 一) as they
    are now: adding a pair needs the table rebuilt (scripts/build_lm_table.py)."""
    from textclean import chardata  # noqa: PLC0415

    pairs = chardata.lookalike_pairs()
    wanted = set(pairs) | set("".join(pairs.values())) | {"一"}
    kept = lm.load().note.split("bigrams and trigrams with ")[1].split(":")[0]
    assert set(kept) == wanted
