"""Inline phase (CANON.md, "Spaces"): spaces between CJK characters and inside numbers.

Inline rules work line by line: a line is a paragraph after the layout phase. They never
join or split lines, so they can run over the whole document in one regex pass.
"""

from __future__ import annotations

import regex

from textclean import chardata as cd
from textclean import engine
from textclean.rules.lines import is_credit_line
from textclean.rules.punctuation import neighbours

_S = f"[{cd.HSPACE}]"
_NOT_S = f"[^{cd.HSPACE}\\n]"
_STRONG = f"[{cd.CJK_STRONG}]"
_STRONG_RE = cd.compile_class(_STRONG)

#: Runs of horizontal space (two spaces, a tab, an ideographic space, NBSP...).
_SPACE_RUN = cd.compile(f"{_S}+")
_ODD_SPACE = cd.compile(f"[{cd.HSPACE.replace(' ', '')}]{_S}*| {_S}+")
_EDGE_SPACE = cd.compile(f"^{_S}+|{_S}+$", regex.MULTILINE)
#: In a line without CJK characters: a run of ASCII spaces, tabs or ideographic spaces
#: between two letters or digits (other Unicode spaces are Latin typography there).
_LATIN_GAP = cd.compile(
    r"(?<=[\p{L}\p{N}\p{M}])(?:\t[ \t\u3000]*|\u3000[ \t\u3000]*| [ \t\u3000]+)"
    r"(?=[\p{L}\p{N}])"
)

#: A space with a CJK letter or CJK punctuation on at least one side; a curly quote,
#: dash or ellipsis that touches CJK text on its other side counts as CJK (“中国” “美国”),
#: and ``……`` and ``——`` count as CJK after a number or a Latin word. Spaces between
#: the marks do not change that, so one pass removes them all (是 …… “ 交).
_NEUTRAL = f"[{cd.NEUTRAL_PUNCT}]"
_CJK_SPACE = cd.compile(
    f"(?<={_STRONG}(?:{_S}*{_NEUTRAL}){{0,2}}){_S}+(?={_NOT_S})"
    f"|(?<={_NOT_S}){_S}+(?=(?:{_NEUTRAL}{_S}*){{0,2}}{_STRONG})"
    # The doubled Chinese ellipsis and dash are CJK punctuation themselves (4:35 ……).
    f"|(?<=[0-9A-Za-z%]){_S}+(?=……|——)"
)

#: A number spaced out character by character: 1 2 0, 3 . 5 %, 2 0 2 0.
_SPACED_NUMBER = cd.compile(
    rf"(?<![0-9A-Za-z.])(?:[0-9]|[.．])(?:{_S}{{1,2}}(?:[0-9]|[.．%％])(?![0-9A-Za-z]))+"
    rf"|(?<=[0-9]){_S}+(?=[%％])"
)
_DIGIT = cd.compile_class(r"[0-9]")
#: The cheap test before _SPACED_NUMBER (whose lookbehinds are tried at every position):
#: a digit or point, spaces, and a digit, point or percent sign.
_SPACED_NUMBER_HINT = cd.compile(rf"[0-9.．]{_S}+[0-9.．%％]")

#: A headline's parallel phrases: two runs of CJK text, four or more characters each,
#: separated by one space (践行人类命运共同体理念 展现负责任大国担当).
_PARALLEL_HEADLINE = cd.compile(
    rf"^[\p{{Han}}“”《》·—0-9A-Za-z]{{4,}}{_S}[\p{{Han}}“”《》·—0-9A-Za-z]{{4,}}$"
)
_HEADLINE_HAS_CJK = cd.compile(r"\p{Han}.*\p{Han}")


def normalize_spaces(text: str) -> str:
    r"""Make a run of horizontal space one ASCII space; strip line ends.

    Fires when: a line has two or more spaces in a row, a tab, an ideographic space
    (U+3000, including indentation), a no-break space or another Unicode space, or
    space at its start or end.
    Does: deletes space at line ends. In a line with a CJK character, replaces every
    run with one ASCII space (whether it stays is remove_cjk_spaces's call): a no-break,
    thin or hair space is a space there (``Hong\u00a0Kong`` → ``Hong Kong``). In a line
    without one, replaces a run of ASCII spaces, tabs or ideographic spaces between two
    letters or digits (``Hong  Kong``).
    Leaves alone: single ASCII spaces; in a line without CJK (Latin text, which keeps its
    own typography), a no-break or other Unicode space (``SELKÄ\u00a0EDELLÄ``,
    ``ammaccato,\u00a0è``) and a run next to punctuation or a symbol (``:(   ``); Hangul
    text's word spaces.

    >>> normalize_spaces('\u3000\u3000香港Hong  Kong\u00a0SAR ')
    '香港Hong Kong SAR'
    >>> normalize_spaces('Hong  Kong,  SAR\u00a0!')
    'Hong Kong,  SAR\xa0!'
    """
    if not _ANY_SPACE.search(text):
        return text
    return engine.twin(normalize_spaces_reference, text)


#: Any horizontal space: a text without one is left as it is by normalize_spaces.
_ANY_SPACE = cd.compile_class(f"[{cd.HSPACE}]")


def normalize_spaces_reference(text: str) -> str:
    """:func:`normalize_spaces` in Python: the specification of the engine's twin."""
    text = _EDGE_SPACE.sub("", text)
    if not _ODD_SPACE.search(text):
        return text
    return "\n".join(
        _ODD_SPACE.sub(" ", line) if _STRONG_RE.search(line) else _LATIN_GAP.sub(" ", line)
        for line in text.split("\n")
    )


def _cjk_context(text: str, start: int, end: int) -> bool:
    """Whether the nearest non-space character on either side is CJK."""
    left, right = neighbours(text, start, end)
    return bool(_STRONG_RE.match(left) or _STRONG_RE.match(right))


def collapse_spaced_digits(text: str) -> str:
    """Join a number spaced out digit by digit in Chinese text: ``1 2 0 多亿`` → ``120多亿``.

    Fires when: single digits (and a decimal point or percent sign) stand separated by
    one or two spaces, and the nearest character before or after the number is CJK.
    Does: removes the spaces inside the number (``3 . 5 %`` → ``3.5%``).
    Leaves alone: numbers of several digits separated by a space (``2020 2021``), and
    spaced digits in Latin text (``1 2 3 go``).
    Runs before: remove_cjk_spaces.

    >>> collapse_spaced_digits('出口了 1 2 0 多亿只，增长 3 . 5 %')
    '出口了 120 多亿只，增长 3.5%'
    >>> collapse_spaced_digits('Press 1 2 3 to continue')
    'Press 1 2 3 to continue'
    """
    if not _SPACED_NUMBER_HINT.search(text):
        return text
    return engine.twin(collapse_spaced_digits_reference, text)


def collapse_spaced_digits_reference(text: str) -> str:
    """:func:`collapse_spaced_digits` in Python: the specification of the engine's
    twin."""
    if not _SPACED_NUMBER_HINT.search(text):
        return text

    def fix(m: regex.Match[str]) -> str:
        span = m.group()
        if not _DIGIT.search(span) and span.strip():
            return span
        if not _cjk_context(m.string, m.start(), m.end()):
            return span
        return _SPACE_RUN.sub("", span)

    return _SPACED_NUMBER.sub(fix, text)


#: OCR's spaces inside a number: around its decimal point (``12 .8%``, ``2. 5亿``), or
#: between digit groups of at most three (``2 04 6亿``), the run ending at a CJK letter
#: or a percent sign.
_SPACED_NUMBER_PARTS = cd.compile(
    rf"(?<![0-9A-Za-z.])[0-9]+(?:{_S}+\.{_S}*|\.{_S}+)[0-9]+(?=[%％‰]|[{cd.CJK_LETTER}])"
    rf"|(?<![0-9A-Za-z.])[0-9]{{1,3}}(?: [0-9]{{1,3}}){{2,}}(?=[%％‰]|[{cd.CJK_LETTER}])"
)
_NUMBER_PARTS_HINT = cd.compile(rf"[0-9]{_S}|{_S}[0-9]|\.{_S}")

#: A Latin abbreviation spelt out letter by letter (``A P E C``, ``W T O``): three or
#: more capitals, each alone, one space apart.
_SPACED_CAPITALS = cd.compile(r"(?<![A-Za-z0-9] ?)[A-Z](?: [A-Z]){2,}(?! ?[A-Za-z0-9])")


def join_spaced_number_parts(text: str) -> str:
    """Remove the spaces OCR put inside a number in Chinese text: ``12 .8%`` → ``12.8%``.

    Fires when: in a line with CJK characters, a number has spaces around its decimal
    point (``12 .8%``, ``2. 5亿``), or is cut by single spaces into three or more groups
    of at most three digits (``2 04 6亿``), and the number ends at a CJK letter or a
    percent sign.
    Does: removes those spaces.
    Leaves alone: numbers in Latin text, two numbers of four digits side by side
    (``2020 2021年度``: the last group is too long), a list number before its text
    (``1. 加强``: no digit after the point), spaces between a number and a word.
    Runs before: remove_cjk_spaces.

    >>> join_spaced_number_parts('增长12 .8%，共2. 5亿件，达2 04 6亿元')
    '增长12.8%，共2.5亿件，达2046亿元'
    >>> join_spaced_number_parts('2020 2021年度，1. 加强合作，version 2. 5 is out')
    '2020 2021年度，1. 加强合作，version 2. 5 is out'
    """
    return engine.twin(join_spaced_number_parts_reference, text)


def join_spaced_number_parts_reference(text: str) -> str:
    """:func:`join_spaced_number_parts` in Python: the specification of the engine's
    twin."""
    if not _NUMBER_PARTS_HINT.search(text) or not _STRONG_RE.search(text):
        return text
    return "\n".join(
        _SPACED_NUMBER_PARTS.sub(lambda m: _SPACE_RUN.sub("", m.group()), line)
        if _STRONG_RE.search(line) else line
        for line in text.split("\n")
    )


def join_spaced_capitals(text: str) -> str:
    """Join a Latin abbreviation that OCR spelt out letter by letter: ``A P E C`` → ``APEC``.

    Fires when: in a line with CJK characters, three or more single capital letters
    stand one space apart, with a CJK character or CJK punctuation as the nearest
    neighbour on one side (``出席A P E C会议``).
    Does: removes the spaces between the letters.
    Leaves alone: two letters (``A B两队`` may be two teams), letters in Latin text
    (``I A M``), letters that belong to a longer word.
    Runs before: remove_cjk_spaces.

    >>> join_spaced_capitals('出席A P E C会议，加入W T O以来')
    '出席APEC会议，加入WTO以来'
    >>> join_spaced_capitals('A B两队，He said I A M here')
    'A B两队，He said I A M here'
    """
    return engine.twin(join_spaced_capitals_reference, text)


def join_spaced_capitals_reference(text: str) -> str:
    """:func:`join_spaced_capitals` in Python: the specification of the engine's twin."""
    if " " not in text or not _STRONG_RE.search(text):
        return text

    def fix(m: regex.Match[str]) -> str:
        if not _cjk_context(m.string, m.start(), m.end()):
            return m.group()
        return m.group().replace(" ", "")

    return _SPACED_CAPITALS.sub(fix, text)


def _keeps_parallel_space(line: str) -> bool:
    """A standalone headline line whose one space separates two parallel phrases."""
    return (
        len(line) <= 40
        and bool(_PARALLEL_HEADLINE.match(line))
        and bool(_HEADLINE_HAS_CJK.search(line))
        and not is_credit_line(line)
    )


def remove_cjk_spaces(text: str) -> str:
    """Remove spaces next to CJK characters and CJK punctuation.

    Fires when: a space has a CJK letter or CJK punctuation on at least one side
    (``5 月 24 日``, ``第 三 ， 去 年``, ``人民大会 堂``, ``中国领事 APP``).
    Does: deletes it.
    Leaves alone: spaces between Latin words or numbers (``Hong Kong``), and the one
    space between two parallel phrases of a standalone headline line
    (``践行人类命运共同体理念 展现负责任大国担当``).
    Runs after: normalize_spaces, collapse_spaced_digits.

    >>> remove_cjk_spaces('5 月 24 日，中国领事 APP 在 Hong Kong 上线')
    '5月24日，中国领事APP在Hong Kong上线'
    >>> remove_cjk_spaces('维护多边主义 推动完善全球治理')
    '维护多边主义 推动完善全球治理'
    """
    return engine.twin(remove_cjk_spaces_reference, text)


def remove_cjk_spaces_reference(text: str) -> str:
    """:func:`remove_cjk_spaces` in Python: the specification of the engine's twin."""
    if " " not in text or not (_STRONG_RE.search(text) or "……" in text or "——" in text):
        return text  # no CJK character, nothing to remove (and Latin text is common)
    if "\n" not in text.rstrip("\n"):
        if _keeps_parallel_space(text.rstrip("\n")):
            return text
        return _CJK_SPACE.sub("", text)
    lines = text.split("\n")
    return "\n".join(
        line if " " not in line or _keeps_parallel_space(line) else _CJK_SPACE.sub("", line)
        for line in lines
    )
