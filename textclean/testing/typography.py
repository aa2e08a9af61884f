"""The noise model's own reading of a line, as a typesetter sets it.

The noise model and the strategies build and filter their documents with these, not
with the cleaner's layout predicates (``textclean.rules.lines``): a mistake in the
cleaner's reading of a line then shows as a failed round trip instead of being built
into the test data too. The two share only the character tables of
:mod:`textclean.chardata`.
"""

from __future__ import annotations

import regex

from textclean import chardata as cd

#: Clause and sentence punctuation, full-width and half-width, and the ellipsis: a
#: line without any reads as a headline.
_CLAUSE_MARKS = frozenset("，。！？；：、,.!?;:…")
_HAN_OR_KANA = regex.compile(f"[{cd.CJK_STRONG}]")
_CJK_LETTER = regex.compile(f"[{cd.CJK_LETTER}]")
#: A photo or graphic credit: 新华社记者李鑫摄, 制图：李四.
_CREDIT = regex.compile(
    r"^(?:[^，。！？；,.!?;]{0,30}(?:摄|摄影|供图|制图|绘图)|(?:制图|摄影|图)[：:][^，。！？；]{1,20})$")


def cells(text: str) -> float:
    """How many full-width cells of a column the text takes when set.

    A Latin letter or digit takes half a cell, a space none (a justified line's spaces
    are room, not type), any other character a whole one.

    >>> cells('发展RCEP 经济'), cells('5月24日')
    (6.0, 3.5)
    """
    width = 0.0
    for ch in text:
        if ch in " \t":
            continue
        width += 0.5 if ch.isascii() and ch.isalnum() else 1.0
    return width


def ends_sentence(text: str) -> bool:
    """Whether the line ends a sentence: 。！？…； or a colon, possibly followed by
    closing marks; or a half-width full stop after a Chinese character (a 。 that a
    dump made half-width; after a Latin letter it may be an abbreviation's).

    >>> ends_sentence('好。”'), ends_sentence('我们，'), ends_sentence('好.')
    (True, False, True)
    """
    body = text.rstrip(cd.CLOSERS + cd.HSPACE)
    if not body:
        return bool(text.strip())
    last = body[-1]
    if last in cd.SENTENCE_END or last in "：:":
        return True
    return last == "." and len(body) > 1 and _CJK_LETTER.match(body[-2]) is not None


def is_headline_like(text: str) -> bool:
    """A line of at most 40 cells with no clause punctuation and some CJK in it, not
    opened by a caption mark: how a headline, kicker or title line is set.

    >>> is_headline_like('践行人类命运共同体理念 展现负责任大国担当'), is_headline_like('他说：好')
    (True, False)
    """
    line = text.strip()
    return (0 < cells(line) <= 40
            and not any(ch in _CLAUSE_MARKS for ch in line)
            and line[0] not in cd.CAPTION_MARKS
            and _HAN_OR_KANA.search(line) is not None)


def is_credit_line(text: str) -> bool:
    """A photo or graphic credit set on a line of its own (``新华社记者李鑫摄``).

    >>> is_credit_line('新华社记者 陈钟昊摄'), is_credit_line('他摄影多年，作品很多。')
    (True, False)
    """
    return (len(text) <= 40 and ("摄" in text or "图" in text)
            and _CREDIT.match(text.strip()) is not None)


def looks_like_a_column(lines: list[str]) -> bool:
    """Whether canonical lines could be read as the lines of one column, which makes
    the text ambiguous by nature: six or more lines (not counting the last, a
    paragraph's end; nor captions and credits, set whole) about one width (two cells
    narrower, a first line; one wider, a hanging mark), three in five of them.

    >>> looks_like_a_column(['发展是第一要务，'] * 7)
    True
    >>> looks_like_a_column(['发展是第一要务。', '坚持创新驱动发展战略全面塑造发展新优势。'] * 4)
    False
    """
    inner = [line.strip() for line in lines[:-1]]
    inner = [line for line in inner if line and not is_credit_line(line)
             and line[0] not in cd.CAPTION_MARKS]
    if len(inner) < 6:
        return False
    widths = [round(cells(line)) for line in inner]
    common = max(set(widths), key=lambda w: (widths.count(w), w))
    near = sum(common - 2 <= w <= common + 1 for w in widths)
    return 5 * near >= 3 * len(inner) and 4 <= common <= 80
