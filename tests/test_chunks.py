"""Cleaning a document in chunks gives exactly what cleaning it whole gives.

The command line cleans large files in chunks (bounded memory), so this is the law that
makes its output trustworthy: every line-local rule must be line-local, and every
document rule must gather the same evidence from chunks as from the whole text.
"""

from __future__ import annotations

import random
import warnings

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from benchmarks.layouts import layouts
from tests.conftest import SAMPLES, sample_names
from tests.test_properties import CJKISH
from textclean.pipeline import Cleaner, Config
from textclean.store import MemoryDoc, MemoryStore, cut_at_line_breaks

CLEANERS = {
    "default": Cleaner(),
    "blank-line": Cleaner(Config.make(paragraph_separator="\n\n")),
}


def pieces(text: str, rng: random.Random, size: int) -> list[str]:
    """Text cut at random places into pieces of about ``size`` characters."""
    out, i = [], 0
    while i < len(text):
        j = i + rng.randint(1, 2 * size)
        out.append(text[i:j])
        i = j
    return out


def chunked(cleaner: Cleaner, text: str, size: int, seed: int = 0) -> str:
    parts = pieces(text, random.Random(seed), size)
    return "".join(cleaner.clean_chunks(parts, chunk_chars=size))


def in_memory_chunks(cleaner: Cleaner, text: str, size: int) -> str:
    """What clean() gives when its in-memory document is read in chunks of ``size``
    characters (a text longer than a chunk, as a long document is)."""
    doc = cleaner._run(MemoryDoc(text, chunk_chars=size), MemoryStore(size), None)
    assert isinstance(doc, MemoryDoc)
    return doc.text


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("size", [1, 13, 400])
def test_samples_in_chunks(name: str, size: int) -> None:
    raw = (SAMPLES / "raw" / name).read_text(encoding="utf-8")
    for cleaner in CLEANERS.values():
        assert chunked(cleaner, raw, size) == cleaner.clean(raw)
        assert in_memory_chunks(cleaner, raw, size) == cleaner.clean(raw)


@pytest.mark.parametrize("layout", ["wrap9-none", "wrap17-indent-pagebreaks", "colspaces16",
                                    "wrap15-everything", "turns-lost", "mojibake-cp1252"])
def test_layouts_in_chunks(layout: str) -> None:
    make = layouts()[layout]
    cleaner = CLEANERS["default"]
    for name in sample_names():
        raw = make((SAMPLES / "gold" / name).read_text(encoding="utf-8"), random.Random(name))
        assert chunked(cleaner, raw, 5) == cleaner.clean(raw)


@given(st.text(max_size=300), st.integers(min_value=1, max_value=40), st.integers(0, 9))
@example("a\n\n", 1, 0)
@example("\r\n\r\n", 1, 0)
@example("à\x80\n\x80", 1, 0)  # ftfy's length check once spanned lines
def test_arbitrary_text_in_chunks(text: str, size: int, seed: int) -> None:
    for cleaner in CLEANERS.values():
        assert chunked(cleaner, text, size, seed) == cleaner.clean(text)


@given(CJKISH, st.integers(min_value=1, max_value=40), st.integers(0, 9))
@example("、\n0”:", 1, 0)  # widen_cjk_punctuation once took its context from the document
def test_chinese_like_text_in_chunks(text: str, size: int, seed: int) -> None:
    for cleaner in CLEANERS.values():
        assert chunked(cleaner, text, size, seed) == cleaner.clean(text)
        assert in_memory_chunks(cleaner, text, size) == cleaner.clean(text)


def test_a_long_document_in_memory_is_keyed_by_a_digest() -> None:
    """The runner keeps the keys of the texts it has seen: for a text longer than a
    chunk the key is a digest, the same however the text is held, and not the text."""
    whole = MemoryDoc("一\n二\n", chunk_chars=2)
    parts = MemoryDoc(parts=["一\n", "二\n"], chunk_chars=2)
    assert isinstance(whole.key, bytes) and whole.key == parts.key
    assert whole.key != MemoryDoc("一\n三\n", chunk_chars=2).key
    assert list(whole.chunks()) == list(parts.chunks()) == ["一\n", "二\n"]
    short = MemoryDoc("一\n", chunk_chars=2)
    assert short.key == "一\n"
    # A short text has its own key however it is held.
    assert MemoryDoc(parts=["一\n", "二"], chunk_chars=3).key == "一\n二"


def test_a_step_that_regroups_a_short_text_settles() -> None:
    """join_wrapped_lines gives a text as it came back in two pieces, which the store
    holds as two chunks: the text is the same, and its phase settles."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert in_memory_chunks(CLEANERS["default"], "000\n0", 5) == "000\n0"


def test_chunks_end_at_line_breaks() -> None:
    chunks = list(cut_at_line_breaks(["一二\n三", "四\n", "五六七八九\n十"], 3))
    assert "".join(chunks) == "一二\n三四\n五六七八九\n十"
    assert all(c.endswith("\n") for c in chunks[:-1])


def test_a_released_long_document_lets_go_of_its_chunks() -> None:
    """The runner releases each version of a long document it is done with; the
    store drops its chunks then (and gives the memory back: benchmarks/memory.py),
    and keeps a short one, which is the caller's own string."""
    store = MemoryStore(4)
    long = store.write(["一二三\n", "四五六\n", "七八九"])
    assert long.text == "一二三\n四五六\n七八九"
    store.release(long)
    assert list(long.chunks()) == []
    short = store.write(["一二三"])
    store.release(short)
    assert short.text == "一二三"
