"""A word lexicon with frequencies, and the best segmentation of a short run of Han text.

The context repairs (textclean.rules.context) ask one question of it: does a reading
of a few characters make better words than another? The words and their frequencies
are jieba's dictionary (``jieba/dict.txt``, MIT licence: about 349,000 words counted
in a corpus of modern Chinese). The package ships them built, as ``data/lexicon.bin``
(scripts/build_lexicon_table.py writes it from the installed jieba; a test checks it
is current), read the first time a rule needs it; where the table is missing they are
built from jieba's dictionary, without importing jieba. Two kinds of entries are left
out, because they are misspellings that would make damaged text look like words:

- the entries of ``data/lexicon_exclude.txt`` (curated, each with its reason);
- an entry whose look-alike twin (one character swapped for its OCR look-alike, as
  listed in ``data/lookalikes.tsv``) is far more frequent while the entry itself is
  rare: ``收人`` (3) beside ``收入`` (10403).

Scores are log probabilities of a unigram word model, as in jieba: a segmentation
scores the sum of ``log(freq(word) / total)`` over its words, and a character the
dictionary does not know counts as a word of frequency 1.
"""

from __future__ import annotations

import array
import importlib.util
import math
import struct
import sys
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from textclean import chardata as cd
from textclean import engine

if TYPE_CHECKING:
    from textclean import _engine

#: A look-alike entry is a misspelling when its twin is this many times as frequent...
TWIN_RATIO = 20
#: ...and the entry itself is at most this frequent.
TWIN_MAX_FREQ = 20
#: Longest word the segmenter tries (longer dictionary entries are rare names).
MAX_WORD = 8


class LexiconUnavailable(RuntimeError):
    """jieba's dictionary is not installed."""


def jieba_dict_path() -> Path:
    """Where the installed jieba package keeps its dictionary (without importing it)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise LexiconUnavailable(
            "the context repairs need jieba's dictionary: pip install jieba "
            "(it is a dependency of textclean-zh; reinstall textclean-zh to get it)"
        )
    path = Path(spec.origin).parent / "dict.txt"
    if not path.is_file():
        raise LexiconUnavailable(f"jieba is installed but has no dictionary at {path}")
    return path


def read_jieba_dict(path: Path) -> dict[str, int]:
    """Word → frequency from a jieba dictionary file (``word freq [tag]`` per line)."""
    freq: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split(None, 2)
            if len(parts) >= 2 and parts[1].isdigit():
                freq[parts[0]] = freq.get(parts[0], 0) + int(parts[1])
    return freq


def misspelled_twins(freq: dict[str, int], pairs: dict[str, str]) -> set[str]:
    """Rare entries whose look-alike twin is far more frequent (see the module doc).

    ``pairs`` maps each character to the look-alikes it is confused with.
    """
    found: set[str] = set()
    confused = set(pairs)
    for word, count in freq.items():
        if count > TWIN_MAX_FREQ or len(word) < 2 or confused.isdisjoint(word):
            continue
        for i, ch in enumerate(word):
            for other in pairs.get(ch, ""):
                twin = word[:i] + other + word[i + 1:]
                if freq.get(twin, 0) >= TWIN_RATIO * count:
                    found.add(word)
    return found


@dataclass(frozen=True)
class Segmentation:
    """The best segmentation of a text: its score and where each word ends."""

    score: float
    ends: tuple[int, ...]

    def word_at(self, index: int) -> tuple[int, int]:
        """The (start, end) of the word that holds the character at ``index``."""
        start = 0
        for end in self.ends:
            if index < end:
                return start, end
            start = end
        raise IndexError(index)


class Lexicon:
    """Word frequencies and a unigram segmenter over them.

    ``Lexicon(freq)`` is the Python reference; :meth:`from_table` gives one that the
    compiled engine runs where it is built (textclean.engine), with the same answers
    and no Python dictionary of 349,000 words to build.
    """

    def __init__(self, freq: dict[str, int]) -> None:
        total = sum(freq.values()) or 1
        self._log_total = math.log(total)
        self._compiled: _engine.Lexicon | None = None
        self._table: tuple[bytes, bytes] | None = None
        #: Word → count: the segmenter's one table. Log probabilities are taken as a
        #: word is looked up (a few hundred per decision), not for all 349,000 words
        #: at load time.
        self._freq: dict[str, int] | None = freq
        self.max_word = min(MAX_WORD, max(map(len, freq), default=1))

    @classmethod
    def from_table(cls, data: bytes, *, compiled: bool = True) -> Lexicon:
        """The lexicon of a table :func:`encode_table` wrote: run by the compiled
        engine where it is built (unless ``compiled`` is False), else in Python."""
        engine_module = engine.compiled() if compiled else None
        if engine_module is None:
            return cls(decode_table(data))
        words, counts = _table_body(data)
        self = cls.__new__(cls)
        self._compiled = engine_module.Lexicon(words, counts, max_word=MAX_WORD)
        self._table = (words, counts)
        self._freq = None
        self.max_word = self._compiled.max_word
        return self

    @property
    def compiled(self) -> _engine.Lexicon | None:
        """The engine's lexicon, which the compiled rules decide with (None in Python)."""
        return self._compiled

    @property
    def freq(self) -> dict[str, int]:
        """Word → count (built on first use where the engine holds the table)."""
        if self._freq is None:
            assert self._table is not None
            self._freq = _decode_body(*self._table)
        return self._freq

    def __contains__(self, word: object) -> bool:
        if self._compiled is not None:
            return isinstance(word, str) and word in self._compiled
        return word in self.freq

    def __len__(self) -> int:
        if self._compiled is not None:
            return len(self._compiled)
        return len(self.freq)

    def log_prob(self, word: str) -> float:
        """log P(word); an unknown single character counts as frequency 1."""
        if self._compiled is not None:
            return self._compiled.log_prob(word)
        count = self.freq.get(word)
        return math.log(count) - self._log_total if count else -self._log_total

    def neighbours(self, chars: str) -> tuple[dict[str, str], dict[str, str]]:
        """For each of ``chars``, the characters that stand before it and after it
        in the words of two characters or more that hold it (sorted strings)."""
        if self._compiled is not None:
            return self._compiled.neighbours(chars)
        wanted = set(chars)
        before: dict[str, set[str]] = {}
        after: dict[str, set[str]] = {}
        for word in self.freq:
            if len(word) < 2 or wanted.isdisjoint(word):
                continue
            for a, b in pairwise(word):
                if a in wanted:
                    after.setdefault(a, set()).add(b)
                if b in wanted:
                    before.setdefault(b, set()).add(a)
        return ({k: "".join(sorted(v)) for k, v in before.items()},
                {k: "".join(sorted(v)) for k, v in after.items()})

    def has_word_over(self, text: str, index: int) -> bool:
        """Whether a dictionary word of two or more characters in ``text`` covers ``index``."""
        if self._compiled is not None:
            return self._compiled.has_word_over(text, index)
        freq = self.freq
        n = len(text)
        for start in range(max(0, index - self.max_word + 1), index + 1):
            for end in range(max(index + 1, start + 2), min(n, start + self.max_word) + 1):
                if text[start:end] in freq:
                    return True
        return False

    def segment(self, text: str) -> Segmentation:
        """The most probable segmentation of ``text`` into dictionary words.

        >>> lex = Lexicon({'深入': 50, '人心': 40, '深': 5, '入': 5, '人': 9, '心': 5})
        >>> lex.segment('深入人心').ends
        (2, 4)
        """
        if self._compiled is not None:
            score, word_ends = self._compiled.segment(text)
            return Segmentation(score, tuple(word_ends))
        n = len(text)
        best = [0.0] + [-math.inf] * n
        back = [0] * (n + 1)
        freq = self.freq
        log_total = self._log_total
        unknown = -log_total
        for end in range(1, n + 1):
            for start in range(max(0, end - self.max_word), end):
                if best[start] == -math.inf:
                    continue
                count = freq.get(text[start:end])
                if count is None:
                    if end - start > 1:
                        continue
                    lp = unknown
                else:
                    lp = math.log(count) - log_total
                score = best[start] + lp
                if score > best[end]:
                    best[end] = score
                    back[end] = start
        ends: list[int] = []
        end = n
        while end > 0:
            ends.append(end)
            end = back[end]
        return Segmentation(best[n], tuple(reversed(ends)))


def build() -> dict[str, int]:
    """The lexicon's counts, built from the installed jieba dictionary less the
    misspellings (what ``data/lexicon.bin`` holds; scripts/build_lexicon_table.py)."""
    freq = read_jieba_dict(jieba_dict_path())
    pairs = cd.lookalike_pairs()
    symmetric: dict[str, str] = {}
    for damaged, repairs in pairs.items():
        for repaired in repairs:
            symmetric[damaged] = symmetric.get(damaged, "") + repaired
            symmetric[repaired] = symmetric.get(repaired, "") + damaged
    for word in misspelled_twins(freq, symmetric) | cd.lexicon_exclusions():
        freq.pop(word, None)
    return freq


#: The built lexicon, shipped in the package: read in a tenth of the time it takes
#: to build from jieba's dictionary text.
TABLE = Path(__file__).parent / "data" / "lexicon.bin"
#: The table format's first bytes.
TABLE_MAGIC = b"TCLX2\n"


def encode_table(freq: dict[str, int]) -> bytes:
    """The counts as a table: the magic, uint32 words and word bytes, then the sorted
    words ("\\n" between, UTF-8) and their counts (uint32, little-endian).

    Not compressed: inflating it cost every process's first call 35 ms, and the
    wheel, a zip archive, compresses it anyway."""
    words = sorted(freq)
    text = "\n".join(words).encode("utf-8")
    counts = array.array("I", (freq[w] for w in words))
    if sys.byteorder == "big":  # pragma: no cover
        counts.byteswap()
    return TABLE_MAGIC + struct.pack("<II", len(words), len(text)) + text + counts.tobytes()


def _table_body(data: bytes) -> tuple[bytes, bytes]:
    """A table's words (UTF-8, "\\n" between) and counts (native uint32)."""
    if not data.startswith(TABLE_MAGIC):
        raise LexiconUnavailable("not a textclean lexicon table")
    n, size = struct.unpack_from("<II", data, len(TABLE_MAGIC))
    head = len(TABLE_MAGIC) + 8
    body = data[head:head + size]
    counts = data[head + size:]
    if len(body) != size or len(counts) != 4 * n:
        raise LexiconUnavailable("a textclean lexicon table cut short")
    if sys.byteorder == "big":  # pragma: no cover
        swapped = array.array("I", counts)
        swapped.byteswap()
        counts = swapped.tobytes()
    return (body if n else b""), counts


def _decode_body(words: bytes, counts: bytes) -> dict[str, int]:
    values = array.array("I")
    values.frombytes(counts)
    return dict(zip(words.decode("utf-8").split("\n") if values else [], values, strict=True))


def decode_table(data: bytes) -> dict[str, int]:
    """The counts of a table :func:`encode_table` wrote."""
    return _decode_body(*_table_body(data))


@cache
def load() -> Lexicon:
    """The lexicon: jieba's dictionary less the misspellings (read once per process),
    from the table the package ships, or built from jieba where it is missing."""
    try:
        return Lexicon.from_table(TABLE.read_bytes())
    except OSError:
        return Lexicon(build())
