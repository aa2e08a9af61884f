"""Context repairs (CANON.md, "Characters"): damage only word knowledge can undo.

OCR reads 入 as 人, 已 as 己, 未 as 末 (``深人人心``, ``己经``, ``末来``), and a 一 inside a
word as a dash (``统—思想``). Each repair here changes one character, and only by a
wide margin: a look-alike where the word-trigram model (textclean.lm, fcitx5 libime's
model) reads the repaired context at least ``exp(LOOKALIKE_MARGIN)`` times as probable
as the text as it stands; a dash, where the lexicon (textclean.lexicon, jieba's
dictionary) shows the repaired text makes far better words; a line break inside a
word, where the lexicon or the model does. Where both readings are about as likely
(``人口`` and ``入口``, ``人世`` and ``入世``) the text stays as it is.

These rules run at the end of the inline phase, after spaces are removed, so that
``深 人 人 心`` is seen as one run of characters. They are marked risky.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from itertools import chain
from types import ModuleType
from typing import TYPE_CHECKING

import regex

from textclean import chardata as cd
from textclean import engine, lm
from textclean import lexicon as lx
from textclean.document import apply_whole
from textclean.rules import characters, lines

if TYPE_CHECKING:
    from textclean import _engine

#: How many times more probable the repaired context must be under the word-trigram
#: model (textclean.lm), as a natural log: e^5 ≈ 150. Fixed at 5.0 on the first 385
#: lines of tests/lookalikes/negatives.txt (the highest gain there is 4.2,
#: ``她收人钱财``, which the model reads as 收入 钱财 by a little) and the first 107
#: positives, before the lines after them were written; benchmarks/lookalikes.py
#: prints precision and recall for any margin.
LOOKALIKE_MARGIN = 5.0
#: The same for a dash read as 一 inside a word, against a lone 一: e^3.5 ≈ 33. A
#: dash between two Han characters is itself damage unless it joins two names, and
#: names do not form words with 一.
YI_MARGIN = 3.5
#: The same for a line break inside a word: how many times more probable the text
#: around the break must read as one piece than as two (e^6 ≈ 400), under the lexicon
#: or under the word-trigram model (either is enough: the break must still fall
#: inside a word of the lexicon's reading).
SPLIT_WORD_MARGIN = 6.0
#: Characters of context on each side of a candidate that the segmenter sees.
CONTEXT = 6

_HAN_TAIL = cd.compile(r"\p{Han}*\Z")
_HAN_HEAD = cd.compile(r"\p{Han}*")


def _window(text: str, i: int, repairs: dict[int, str]) -> tuple[str, int]:
    """The run of Han characters around text[i], at most CONTEXT on each side, and
    where text[i] is in it; ``repairs`` (position → character, all before ``i``) are
    the repairs made so far, which the window sees in place."""
    start = max(0, i - CONTEXT)
    left = text[start:i]
    if repairs and next(reversed(repairs)) >= start:
        left = "".join(repairs.get(k, c) for k, c in enumerate(left, start))
    left = left[len(left) - len(_HAN_TAIL.search(left).group()):]  # type: ignore[union-attr]
    right = _HAN_HEAD.match(text, i + 1, i + 1 + CONTEXT).group()  # type: ignore[union-attr]
    return left + text[i] + right, len(left)


@cache
def _candidates() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each damaged character, the characters that may stand before it and after
    it for one of its repairs to form a word with them.

    A repaired reading is a word only if the repaired character and one of its
    neighbours stand side by side in some dictionary word, so a damaged character
    with neither neighbour of these is not worth scoring. Built from the lexicon on
    first use.
    """
    repaired = "".join(sorted(set("".join(cd.lookalike_pairs().values()))))
    before, after = lx.load().neighbours(repaired)
    return {
        damaged: (frozenset("".join(before.get(r, "") for r in repairs)),
                  frozenset("".join(after.get(r, "") for r in repairs)))
        for damaged, repairs in cd.lookalike_pairs().items()
    }


def _lookalike_sites(text: str) -> Iterator[int]:
    """Where a damaged character stands beside a character its repair forms a word
    with (:func:`_candidates`), left to right."""
    table = _candidates()
    for match in _DAMAGED.finditer(text):
        i = match.start()
        before, after = table[text[i]]
        if (i and text[i - 1] in before) or text[i + 1:i + 2] in after:
            yield i


def preload_lookalikes() -> None:
    """Load the lexicon and the word-trigram model and find the candidates' neighbours
    now, not on first use.

    Together they take about 0.1 s and 35 MB with the compiled engine (0.3 s and 80 MB
    in Python alone). The command line calls this before it forks its workers, so that
    they share one copy instead of each building its own.
    """
    _candidates()
    lm.load()


def _lookalike_hint() -> regex.Pattern[str]:
    """Any damaged character between Han characters: the cheap test before the lexicon."""
    damaged = "".join(regex.escape(c) for c in cd.lookalike_pairs())
    return cd.compile(rf"(?<=\p{{Han}})[{damaged}]|[{damaged}](?=\p{{Han}})")


_LOOKALIKE_HINT = _lookalike_hint()
#: The damaged characters of the look-alike table.
DAMAGED = "".join(cd.lookalike_pairs())
#: Any damaged character.
_DAMAGED = cd.compile_class("[" + "".join(regex.escape(c) for c in cd.lookalike_pairs()) + "]")


def _repair_at(text: str, i: int, repairs: dict[int, str]) -> str | None:
    """The character text[i] stands for, if the model makes it certain; else None."""
    window, j = _window(text, i, repairs)
    return _lookalike_for(window, j, LOOKALIKE_MARGIN)


@lru_cache(maxsize=1 << 14)
def _lookalike_for(window: str, j: int, margin: float) -> str | None:
    """The look-alike window[j] stands for, or None: the decision, for a window alone.
    A look-alike is a candidate where it joins a word (of jieba's dictionary or the
    model's vocabulary); it wins where the model reads the repaired window at least
    ``margin`` (natural log) more probable than the window as it is.

    Cached: the phase runner passes over a paragraph more than once, and newspaper
    text repeats its phrases.
    """
    lexicon = lx.load()
    model = lm.load()
    repairs = [r for r in cd.lookalike_pairs().get(window[j], "")
               if lexicon.has_word_over(window[:j] + r + window[j + 1:], j)
               or model.has_word_over(window[:j] + r + window[j + 1:], j)]
    if not repairs:
        return None  # no look-alike joins a word here: nothing to score
    damaged = model.read(window).score
    best: tuple[float, str] | None = None
    for repair in repairs:
        gain = model.read(window[:j] + repair + window[j + 1:]).score - damaged
        if gain >= margin and (best is None or gain > best[0]):
            best = (gain, repair)
    return best[1] if best else None


def repair_lookalikes(text: str) -> str:
    """Repair OCR look-alikes that word context shows are misread: ``深人人心`` → ``深入人心``.

    Fires when: a character of data/lookalikes.tsv (人, 己, 末, 曰, 士, 讨 and their
    twins) stands beside a Han character its look-alike forms a word with.
    Does: replaces it with the look-alike when the look-alike joins a word and the
    word-trigram model (textclean.lm) reads the characters around it (up to CONTEXT
    on each side) far more probable so: by LOOKALIKE_MARGIN (``收人大幅增加`` →
    ``收入大幅增加``, ``的士壤`` → ``的土壤``).
    Leaves alone: a character whose words around it read as likely as they stand
    (``出人意料``, ``收人钱财``, ``人口普查``, ``周末来了``, ``护士地位``, ``过好今天``),
    and places where both readings are about as likely (``人世`` / ``入世``, ``人选``
    / ``入选``): the rule does not guess.
    Runs after: remove_cjk_spaces (the characters must stand side by side).

    >>> repair_lookalikes('这一理念深人人心，这里的士壤肥沃。')
    '这一理念深入人心，这里的土壤肥沃。'
    >>> repair_lookalikes('我们己经通讨审议，末来可期。')
    '我们已经通过审议，未来可期。'
    >>> repair_lookalikes('出人意料的是，吸纳人才的周末来了，护士地位提高。')
    '出人意料的是，吸纳人才的周末来了，护士地位提高。'
    """
    if not _LOOKALIKE_HINT.search(text):
        return text
    return _compiled_or(repair_lookalikes_reference, text)


def repair_lookalikes_reference(text: str) -> str:
    """:func:`repair_lookalikes` in Python: the specification of the engine's."""
    if not _LOOKALIKE_HINT.search(text):
        return text
    return _repair_sites(text, _lookalike_sites(text), _repair_at)


def _compiled_or(reference: Callable[[str], str], text: str) -> str:
    """The rule ``reference`` names (``<rule>_reference``) as the engine's context
    rules run it, where they can take the text; else the reference's result."""
    rules = compiled_rules()
    if rules is not None:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: in Python
            out: str = getattr(rules, reference.__name__.removesuffix("_reference"))(text)
            return out
    return reference(text)


def compiled_rules() -> _engine.ContextRules | None:
    """The engine's context rules (``ContextRules``), deciding with the engine's
    lexicon and model and this module's margins as they stand; None where the engine
    is not built or switched off, or the lexicon or the model was loaded without it.
    Loads both on first use."""
    compiled = engine.compiled()
    if compiled is None:
        return None
    return _compiled_rules(compiled, LOOKALIKE_MARGIN, YI_MARGIN, SPLIT_WORD_MARGIN)


@cache
def _compiled_rules(compiled: ModuleType, lookalike_margin: float, yi_margin: float,
                    split_margin: float) -> _engine.ContextRules | None:
    lexicon, model = lx.load().compiled, lm.load().compiled
    if lexicon is None or model is None:
        return None
    rules: _engine.ContextRules = compiled.ContextRules(
        lexicon, model, cd.lookalike_pairs(),
        {damaged: ("".join(before), "".join(after))
         for damaged, (before, after) in _candidates().items()},
        cd.DASHES, context=CONTEXT, lookalike_margin=lookalike_margin, yi_margin=yi_margin,
        split_margin=split_margin, scale=lm.SCALE, ln10=lm.LN10)
    return rules


def _repair_sites(text: str, sites: Iterable[int],
                  decide: Callable[[str, int, dict[int, str]], str | None]) -> str:
    """Replace the character at each of ``sites`` (increasing) where ``decide`` says so.

    Sites are decided left to right, each seeing the repairs before it. The repairs
    are kept apart from the text (position → character), not in a list of its
    characters: such a list costs some 80 bytes a character.
    """
    repairs: dict[int, str] = {}
    for i in sites:
        repair = decide(text, i, repairs)
        if repair is not None:
            repairs[i] = repair
    return _with_repairs(text, repairs)


def _with_repairs(text: str, repairs: dict[int, str]) -> str:
    """``text`` with the character at each position of ``repairs`` replaced."""
    if not repairs:
        return text
    out: list[str] = []
    last = 0
    for i, repair in repairs.items():
        out += (text[last:i], repair)
        last = i + 1
    out.append(text[last:])
    return "".join(out)


#: A single dash between two Han characters (join_names_with_dash has made it —).
_DASH_IN_WORD = cd.compile(rf"(?<=\p{{Han}})[{cd.DASHES}](?=\p{{Han}})")


def _yi_gain(text: str, i: int, repairs: dict[int, str]) -> float:
    """How much more probable the context is with 一 joined into a word at text[i]."""
    lexicon = lx.load()
    window, j = _window(text, i, repairs)
    left, right = window[:j], window[j + 1:]
    joined = lexicon.segment(left + "一" + right)
    word_start, word_end = joined.word_at(len(left))
    if word_end - word_start < 2:
        return -math.inf
    apart = lexicon.segment(left).score + lexicon.log_prob("一") + lexicon.segment(right).score
    return joined.score - apart


def _yi_at(text: str, i: int, repairs: dict[int, str]) -> str | None:
    return "一" if _yi_gain(text, i, repairs) >= YI_MARGIN else None


def restore_yi_in_words(text: str) -> str:
    """Restore 一 read as a dash inside a word: ``统—思想`` → ``统一思想``.

    Fires when: a single dash stands between two Han characters.
    Does: replaces it with 一 when 一 there joins a dictionary word (统一, 进一步,
    单一) and the context is far more probable with it (YI_MARGIN) than with a lone 一.
    Leaves alone: dashes between names (``中国—东盟``, ``京—沪``), double dashes,
    dashes between digits; restore_yi_from_dash handles a dash at a clause start.
    Runs after: join_names_with_dash.

    >>> restore_yi_in_words('要统—思想，进—步加强单—窗口建设。')
    '要统一思想，进一步加强单一窗口建设。'
    >>> restore_yi_in_words('中国—东盟自贸区，京—沪高铁，——我们')
    '中国—东盟自贸区，京—沪高铁，——我们'
    """
    if not _DASH_IN_WORD.search(text):
        return text
    return _compiled_or(restore_yi_in_words_reference, text)


def restore_yi_in_words_reference(text: str) -> str:
    """:func:`restore_yi_in_words` in Python: the specification of the engine's."""
    if not _DASH_IN_WORD.search(text):
        return text
    return _repair_sites(text, (m.start() for m in _DASH_IN_WORD.finditer(text)), _yi_at)


#: Letter O inside a number that starts with a digit and has two or more digits.
_O_IN_NUMBER = cd.compile(r"(?<![A-Za-z0-9.])[0-9][0-9Oo]*[Oo][0-9Oo]*(?![A-Za-z0-9])")


def _zero_for_o(match: regex.Match[str]) -> str:
    number = match.group()
    if sum(c.isdigit() for c in number) < 2:
        return number
    return number.replace("O", "0").replace("o", "0")


def repair_o_in_numbers(text: str) -> str:
    """Read the letter O inside a number as the digit 0: ``2O2O年`` → ``2020年``.

    Fires when: a run of digits and the letters O/o starts with a digit, holds at
    least two digits and no other letter touches it.
    Does: replaces each O or o in the run with 0.
    Leaves alone: words and codes with letters (``H2O``, ``CO2``, ``O2O``, ``20Oct``),
    and runs with a single digit (``1O``: too little evidence).

    >>> repair_o_in_numbers('2O2O年，1O0%，增长2o.5%')
    '2020年，100%，增长2o.5%'
    >>> repair_o_in_numbers('H2O、CO2、O2O、B2O、1O')
    'H2O、CO2、O2O、B2O、1O'
    """
    return engine.twin(repair_o_in_numbers_reference, text)


def repair_o_in_numbers_reference(text: str) -> str:
    """:func:`repair_o_in_numbers` in Python: the specification of the engine's twin."""
    if "O" not in text and "o" not in text:
        return text
    return _O_IN_NUMBER.sub(_zero_for_o, text)


#: A paragraph needs this many Han characters before its script can be judged.
STRAY_MIN_HAN = 10
#: At most this share of its Han characters may be of the other script to count as
#: strays; more, and the paragraph is mixed on purpose (a quotation, a name list).
STRAY_MAX_SHARE = 0.1


def _differences(a: str, b: str) -> int:
    if len(a) != len(b):
        return len(a)
    return sum(x != y for x, y in zip(a, b, strict=True))


def _fix_line_script(line: str) -> str:
    han = len(_HAN_ANY.findall(line))
    if han < STRAY_MIN_HAN:
        return line
    as_simplified = characters.convert_script(line, config="t2s")
    as_traditional = characters.convert_script(line, config="s2t")
    traditional_strays = _differences(line, as_simplified)
    simplified_strays = _differences(line, as_traditional)
    if 0 < traditional_strays <= STRAY_MAX_SHARE * han and traditional_strays < simplified_strays:
        return as_simplified
    if 0 < simplified_strays <= STRAY_MAX_SHARE * han and simplified_strays < traditional_strays:
        return as_traditional
    return line


_HAN_ANY = cd.compile(r"\p{Han}")


def fix_stray_script(text: str) -> str:
    """Convert stray characters of the other script to the paragraph's script.

    Fires when: switched on by name (needs OpenCC: ``pip install 'textclean-zh[opencc]'``);
    a paragraph of at least STRAY_MIN_HAN Han characters is written in one script
    but has a few characters (at most STRAY_MAX_SHARE) that OpenCC would convert, as
    OCR sometimes reads 发 as 發.
    Does: converts that paragraph with OpenCC to its own script (t2s or s2t), which
    changes only the strays.
    Leaves alone: short paragraphs, paragraphs mixed beyond STRAY_MAX_SHARE (a
    Traditional quotation in Simplified text), and all text when not switched on.

    >>> fix_stray_script('中国政府發展经济，人民生活水平不断提高。')
    '中国政府发展经济，人民生活水平不断提高。'
    >>> fix_stray_script('中國政府发展經濟，人民生活水準不斷提高。')
    '中國政府發展經濟，人民生活水準不斷提高。'
    >>> fix_stray_script('他说：「這是我們的家。」')
    '他说：「這是我們的家。」'
    """
    return "\n".join(_fix_line_script(line) for line in text.split("\n"))


# --- Layout: line breaks inside a word ---------------------------------------------------

#: The Han characters that end a line (spaces between them dropped: a justified line),
#: matched at the start of the line reversed: ``(?:\p{Han}[ ]*){1,CONTEXT}\Z`` read
#: backwards, found without trying every position of a long paragraph.
_HAN_END_REVERSED = cd.compile(rf"(?:[{cd.HSPACE}]*\p{{Han}}){{1,{CONTEXT}}}")
#: The Han characters that open a line, likewise.
_HAN_START = cd.compile(rf"(?:\p{{Han}}[{cd.HSPACE}]*){{1,{CONTEXT}}}")
_SPACES = cd.compile(rf"[{cd.HSPACE}]+")


def splits_word(left: str, right: str) -> bool:
    """Whether a paragraph break between ``left`` and ``right`` falls inside a word.

    True when the Han characters around the break read as a dictionary word across it
    (``广播电`` | ``台记者`` → 电台), a character on one side stands alone in the best
    reading of its own side, and the text reads as one piece at least
    ``exp(SPLIT_WORD_MARGIN)`` times as probably as two, under the lexicon or under
    the word-trigram model (``有关负责`` | ``人表示``: the lexicon finds 负责 人 nearly
    as likely as 负责人, the model does not).

    >>> splits_word('中国国际广播电', '台记者：中方如何评价')
    True
    >>> splits_word('市发展改革委有关负责', '人表示，十四号线沿线')
    True
    >>> splits_word('中国外交聚焦五大任务', '务实合作取得新进展。')
    False
    """
    head = _HAN_START.match(right)
    tail = _HAN_END_REVERSED.match(left[::-1])
    if head is None or tail is None:
        return False
    a = _SPACES.sub("", tail.group())[::-1]
    b = _SPACES.sub("", head.group())
    return _splits_word(a, b)


@lru_cache(maxsize=1 << 12)
def _splits_word(a: str, b: str) -> bool:
    lexicon = lx.load()
    one = lexicon.segment(a + b)
    _, end = one.word_at(len(a) - 1)
    if end <= len(a):
        return False  # no word across the break
    left, right = lexicon.segment(a), lexicon.segment(b)
    a_start, _ = left.word_at(len(a) - 1)
    _, b_end = right.word_at(0)
    if a_start < len(a) - 1 and b_end > 1:
        return False  # whole words on both sides: the break is between words
    if one.score - left.score - right.score >= SPLIT_WORD_MARGIN:
        return True
    model = lm.load()
    return model.read(a + b).score - model.read(a).score - model.read(b).score \
        >= SPLIT_WORD_MARGIN


def _rejoins(left: str, right: str) -> bool:
    """Whether two paragraphs are one paragraph broken inside a word."""
    left, right = left.rstrip(), right.lstrip()
    return bool(
        left and right and _HAN_ANY.match(left[-1]) and _HAN_ANY.match(right[0])
        and not lines.is_standalone_line(left) and not lines.is_standalone_line(right)
        and splits_word(left, right)
    )


def rejoin_split_words(text: str) -> str:
    r"""Join two paragraphs that a line break cut inside a word: ``广播电`` + ``台记者``.

    Fires when: a paragraph ends with a Han character (no sentence end) and the next
    opens with one (the layout phase found no line width to say it was wrapped: a
    full-width line that looks like a headline, before a turn label).
    Does: joins the two when splits_word says the break falls inside a dictionary word
    (``中国国际广播电`` / ``台记者：…`` → ``中国国际广播电台记者：…``).
    Leaves alone: breaks between whole words (a headline and the paragraph after it,
    ``…五大任务`` / ``中央广播电视总台…``), breaks after a sentence end or next to a
    caption or credit line, and words that neither the lexicon nor the word-trigram
    model finds a strong enough reason (SPLIT_WORD_MARGIN).
    Runs after: join_wrapped_lines (the layout phase's own decisions come first).

    >>> rejoin_split_words('鑫摄\n中国国际广播电\n台记者：中方如何评价？\n')
    '鑫摄\n中国国际广播电台记者：中方如何评价？\n'
    >>> rejoin_split_words('王毅答中外记者问\n中国外交聚焦五大任务\n')
    '王毅答中外记者问\n中国外交聚焦五大任务\n'
    """
    if "\n" not in text:
        return text
    return apply_whole(REJOIN_SPLIT_WORDS, text)


def rejoin_split_words_reference(text: str) -> str:
    """:func:`rejoin_split_words` in Python: the specification of the engine's."""
    if "\n" not in text:
        return text
    return "".join(RejoinSplitWords._transform([text]))


class _NoEvidence:
    def add(self, chunk: str) -> None:
        pass

    def result(self) -> None:
        return None


#: A line break that rejoin_split_words may remove: a Han character before it and one
#: after it, with only white space (what ``str.strip`` strips) between. Every other
#: break fails _rejoins's first test, so only these are tried.
_SPLIT_CANDIDATE = cd.compile(
    rf"(?<=\p{{Han}}[{cd.LINE_WHITESPACE}]*)\n(?=[{cd.LINE_WHITESPACE}]*\p{{Han}})")


class RejoinSplitWords:
    """rejoin_split_words as a document rule: one line held back, to join the next to it.

    Only the breaks _SPLIT_CANDIDATE finds are decided one by one; the lines between
    them go out as they came, a run of lines at a time.
    """

    def evidence(self) -> _NoEvidence:
        return _NoEvidence()

    def transform(self, evidence: None, chunks: Iterable[str]) -> Iterator[str]:
        chunks = iter(chunks)
        first = next(chunks, None)
        if first is None:
            return
        second = next(chunks, None)
        if second is None and _SPLIT_CANDIDATE.search(first):
            # The whole text in one chunk: the engine decides it in one call.
            rules = compiled_rules()
            if rules is not None:
                with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate
                    yield rules.rejoin_split_words(first)
                    return
        pieces = chain([first], chunks) if second is None else chain([first, second], chunks)
        yield from self._transform(pieces)

    @staticmethod
    def _transform(chunks: Iterable[str]) -> Iterator[str]:
        held: str | None = None  # the paragraph that the next line may join
        ends_with_newline = False
        for chunk in chunks:
            if not chunk:
                continue
            ends_with_newline = chunk.endswith("\n")
            body = chunk[:-1] if ends_with_newline else chunk  # its lines, "\n"-joined
            end = body.find("\n")  # held ends at body[end] (a break) or at its end
            if end < 0:
                end = len(body)
            first = body[:end]
            if held is None:
                held = first
            elif _rejoins(held, first):
                held = held.rstrip() + first.lstrip()
            else:
                yield held + "\n"
                held = first
            if end == len(body):
                continue
            for hit in _SPLIT_CANDIDATE.finditer(body, end):
                at = hit.start()  # the break: the lines before it are decided
                if at > end:
                    start = body.rfind("\n", 0, at) + 1  # the line before the break
                    yield held + body[end:start]
                    held = body[start:at]
                after = body.find("\n", at + 1)
                if after < 0:
                    after = len(body)
                line = body[at + 1:after]
                if _rejoins(held, line):
                    held = held.rstrip() + line.lstrip()
                else:
                    yield held + "\n"
                    held = line
                end = after
            if end < len(body):  # the lines after the last candidate
                start = body.rfind("\n") + 1
                yield held + body[end:start]
                held = body[start:]
        if held is not None:
            yield held + ("\n" if ends_with_newline else "")


REJOIN_SPLIT_WORDS = RejoinSplitWords()
