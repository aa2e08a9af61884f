"""A word-trigram language model of Simplified Chinese, for the look-alike rules.

The look-alike rules (textclean.rules.context) ask whether one reading of a few
characters is far more probable than another. A unigram lexicon cannot tell
``收人钱财`` (right) from ``收人大幅增加`` (damaged): which words stand around a word
decides. The model here does: it is fcitx5 libime's ``lm_sc`` word-trigram model
(LGPL-2.1-or-later), pruned by ``scripts/build_lm_table.py`` to the n-grams the rules
can use, and shipped as ``data/lm_sc_lookalikes.bin`` under its own licence (see
``data/LICENSE.lm_sc`` and the README).

The file, little-endian::

    b"TCLM2\\n", then five uint32: note bytes, unigrams, bigrams, trigrams, word bytes
    the note (UTF-8: where the table comes from)
    the words (UTF-8, sorted, "\\n" between), unigram log10 p and back-off (int16
    each, thousandths), bigram keys (int64: id1 << 18 | id2, sorted), their log10 p
    and back-off (int16), trigram keys (int64: id1 << 36 | id2 << 18 | id3, sorted),
    their log10 p (int16)

Not compressed (the first format, TCLM1, was zlib): inflating it cost every
process's first call 35 ms, and the wheel, a zip archive, compresses it anyway. It is
read with the standard library only, once per process, on first use (a few
hundredths of a second with the compiled engine); forked workers share it.
"""

from __future__ import annotations

import array
import math
import struct
import sys
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from textclean import engine

if TYPE_CHECKING:
    from textclean import _engine

#: The format's first bytes.
FORMAT_MAGIC = b"TCLM2\n"
#: Weights are stored as integers: log10 values times this.
SCALE = 1000
#: The table's file, inside the package.
TABLE = Path(__file__).parent / "data" / "lm_sc_lookalikes.bin"
#: Longest word the segmenter tries.
MAX_WORD = 8
#: Readings kept per position while segmenting.
BEAM = 12
#: A character the model does not know costs this much more than ``<unk>`` (log10
#: thousandths): a reading that knows its words wins.
UNKNOWN_PENALTY = 1000
#: ln 10: a score in thousandths of log10 is ``score / SCALE * LN10`` in natural log.
LN10 = math.log(10)


class ModelUnavailable(RuntimeError):
    """The table is missing or damaged."""


@dataclass(frozen=True)
class Reading:
    """A run of text read as words: the words' ids and the natural-log probability."""

    ids: tuple[int, ...]
    score: float


class TrigramModel:
    """The word-trigram model: segment a run of Han text, score a word sequence."""

    def __init__(self, data: bytes, *, beam: int = BEAM, compiled_engine: bool = True) -> None:
        if not data.startswith(FORMAT_MAGIC):
            raise ModelUnavailable("not a textclean language-model table")
        head = len(FORMAT_MAGIC)
        note_len, n_uni, n_bi, n_tri, words_len = struct.unpack_from("<IIIII", data, head)
        head += 20
        self.note = data[head:head + note_len].decode("utf-8")
        body = memoryview(data)[head + note_len:]
        pos = 0

        def take(code: str, count: int) -> array.array[int]:
            nonlocal pos
            out: array.array[int] = array.array(code)
            size = out.itemsize * count
            out.frombytes(body[pos:pos + size])
            if sys.byteorder == "big":
                out.byteswap()
            pos += size
            return out

        self._words = bytes(body[:words_len])
        pos = words_len
        self.u_logp = take("h", n_uni)
        self.u_back = take("h", n_uni)
        self.b_key = take("q", n_bi)
        self.b_logp = take("h", n_bi)
        self.b_back = take("h", n_bi)
        self.t_key = take("q", n_tri)
        self.t_logp = take("h", n_tri)
        if pos != len(body):
            raise ModelUnavailable("a textclean language-model table of the wrong length")
        #: Readings kept per position (:data:`BEAM`).
        self.beam = beam
        self._ids: dict[str, int] | None = None
        self._compiled: _engine.TrigramModel | None = None
        compiled = engine.compiled() if compiled_engine else None
        if compiled is not None:
            # The engine keeps the words: no Python dictionary of them is made.
            self._compiled = compiled.TrigramModel(
                self._words, *(a.tobytes() for a in (self.u_logp, self.u_back, self.b_key,
                                                      self.b_logp, self.b_back, self.t_key,
                                                      self.t_logp)),
                max_word=MAX_WORD, beam=beam, unknown_penalty=UNKNOWN_PENALTY)
            self.unk, self.longest = self._compiled.unk, self._compiled.longest
        else:
            self.unk = self.ids.get("<unk>", 0)
            self.longest = min(MAX_WORD, max(map(len, self.ids)))

    @property
    def compiled(self) -> _engine.TrigramModel | None:
        """The engine's model, which the compiled rules decide with (None in Python)."""
        return self._compiled

    @property
    def ids(self) -> dict[str, int]:
        """Word → id (built on first use where the engine keeps the words)."""
        if self._ids is None:
            self._ids = {w: k for k, w in enumerate(self._words.decode("utf-8").split("\n"))}
        return self._ids

    def _bigram(self, a: int, b: int) -> int:
        key = (a << 18) | b
        k = bisect_left(self.b_key, key)
        return k if k < len(self.b_key) and self.b_key[k] == key else -1

    def _p2(self, a: int, b: int) -> int:
        """log10 p(b | a), in thousandths."""
        k = self._bigram(a, b)
        if k >= 0:
            return self.b_logp[k]
        return self.u_back[a] + self.u_logp[b]

    def _p3(self, a: int, b: int, c: int) -> int:
        """log10 p(c | a b), in thousandths."""
        key = (a << 36) | (b << 18) | c
        k = bisect_left(self.t_key, key)
        if k < len(self.t_key) and self.t_key[k] == key:
            return self.t_logp[k]
        ab = self._bigram(a, b)
        return (self.b_back[ab] if ab >= 0 else 0) + self._p2(b, c)

    def has_word_over(self, text: str, j: int) -> bool:
        """Whether a word of two characters or more that the model knows covers
        ``text[j]``."""
        if self._compiled is not None:
            return self._compiled.has_word_over(text, j)
        for a in range(max(0, j - self.longest + 1), j + 1):
            for b in range(max(a + 2, j + 1), min(len(text), a + self.longest) + 1):
                if text[a:b] in self.ids:
                    return True
        return False

    def read(self, text: str) -> Reading:
        """``text`` read as the most probable words under the trigram model (a beam
        of :attr:`beam` readings per position; a character the model does not know is
        ``<unk>``), with the natural-log probability of that reading.

        Runs compiled where the engine is built (textclean.engine), and returns what
        :meth:`read_reference` returns."""
        if self._compiled is None:
            return self.read_reference(text)
        ids, score = self._compiled.read(text)
        return Reading(tuple(ids), score / SCALE * LN10)

    def read_reference(self, text: str) -> Reading:
        """:meth:`read` in Python: the specification the compiled engine follows."""
        n = len(text)
        beams: list[dict[tuple[int, ...], tuple[int, tuple[int, ...]]]] = [
            {} for _ in range(n + 1)]
        beams[0][()] = (0, ())
        for pos in range(n):
            if not beams[pos]:
                continue
            for state, (score, path) in beams[pos].items():
                for stop in range(pos + 1, min(n, pos + self.longest) + 1):
                    k = self.ids.get(text[pos:stop])
                    if k is None:
                        if stop - pos > 1:
                            continue
                        k, penalty = self.unk, UNKNOWN_PENALTY
                    else:
                        penalty = 0
                    step = self._next(state, k) - penalty
                    nxt = (*state[-1:], k)
                    old = beams[stop].get(nxt)
                    if old is None or score + step > old[0]:
                        beams[stop][nxt] = (score + step, (*path, k))
            if len(beams[pos + 1]) > self.beam:
                kept = sorted(beams[pos + 1].items(),
                              key=lambda item: -item[1][0])[:self.beam]
                beams[pos + 1] = dict(kept)
        score, path = max(beams[n].values())
        return Reading(path, score / SCALE * LN10)

    def _next(self, state: tuple[int, ...], k: int) -> int:
        """log10 p(k | state), in thousandths (state: the last two words, or fewer)."""
        if len(state) == 2:
            return self._p3(state[0], state[1], k)
        if len(state) == 1:
            return self._p2(state[0], k)
        return self.u_logp[k]


def encode(uni: list[tuple[str, int, int]], bi: list[tuple[str, str, int, int]],
           tri: list[tuple[str, str, str, int]], source: str) -> bytes:
    """The table in the format above: unigrams (word, log10 p, back-off), bigrams
    (word, word, log10 p, back-off) and trigrams (three words, log10 p), weights in
    thousandths; ``source`` is the note."""
    uni.sort()
    ids = {w: k for k, (w, _, _) in enumerate(uni)}
    words = "\n".join(w for w, _, _ in uni).encode("utf-8")
    u_logp = array.array("h", (p for _, p, _ in uni))
    u_back = array.array("h", (b for _, _, b in uni))
    bis = sorted(((ids[a] << 18) | ids[b], p, bo) for a, b, p, bo in bi)
    b_key = array.array("q", (k for k, _, _ in bis))
    b_logp = array.array("h", (p for _, p, _ in bis))
    b_back = array.array("h", (b for _, _, b in bis))
    tris = sorted(((ids[a] << 36) | (ids[b] << 18) | ids[c], p) for a, b, c, p in tri)
    t_key = array.array("q", (k for k, _ in tris))
    t_logp = array.array("h", (p for _, p in tris))
    parts = [words, u_logp.tobytes(), u_back.tobytes(), b_key.tobytes(), b_logp.tobytes(),
             b_back.tobytes(), t_key.tobytes(), t_logp.tobytes()]
    note = source.encode("utf-8")
    header = FORMAT_MAGIC + struct.pack("<IIIII", len(note), len(uni), len(bis), len(tris),
                                        len(words))
    return header + note + b"".join(parts)


@cache
def load() -> TrigramModel:
    """The model, read from the package the first time it is asked for."""
    try:
        data = TABLE.read_bytes()
    except OSError as err:
        raise ModelUnavailable(
            f"the language-model table is missing ({TABLE}): reinstall textclean-zh"
        ) from err
    return TrigramModel(data)
