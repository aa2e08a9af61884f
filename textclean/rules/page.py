"""Layout phase (CANON.md, "Page structure"): what a page repeats at its top or bottom.

A running header or footer is made of a few kinds of items: the date, the weekday, the
paper's name, the page or edition label and the section label, and the page number.
A line made of two or more kinds of them, or of a page label, is furniture wherever it
stands; a line with the paper's name alone or a page number alone is furniture only in a
document that shows header lines (the evidence); a run of date, weekday and paper or
page label glued into a sentence at a page break is furniture too. A sentence that
mentions a date or the paper is text: it has other words around them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from textclean import chardata as cd
from textclean import engine
from textclean.document import apply_whole, lines_of

_ITEM = cd.compile("|".join(f"(?P<{kind}>{pattern})"
                               for kind, pattern in cd.FURNITURE_ITEMS.items()))
_GAP = cd.compile(cd.FURNITURE_GAP)
_PAPER = cd.compile(cd.FURNITURE_ITEMS["paper"])
#: Kinds that mark a header on their own when two of them stand together.
_MARKING = {"date", "weekday", "paper", "page"}
#: A header run glued into text: a date and a weekday, then the paper or the page label.
_GLUED = cd.compile(
    rf"{cd.FURNITURE_ITEMS['date']}{cd.FURNITURE_GAP}{cd.FURNITURE_ITEMS['weekday']}"
    rf"(?:{cd.FURNITURE_GAP}(?:{cd.FURNITURE_ITEMS['paper']}|{cd.FURNITURE_ITEMS['page']}"
    rf"|{cd.FURNITURE_ITEMS['section']}))+"
)


def furniture_kinds(line: str) -> set[str] | None:
    """The kinds of items a line is made of; None if the line holds anything else.

    >>> sorted(furniture_kinds('2003年6月9日 星期一 光明日报 第四版 要闻'))
    ['date', 'page', 'paper', 'section', 'weekday']
    >>> furniture_kinds('光明日报记者报道') is None
    True
    """
    text = line.strip(cd.HSPACE)
    if not text:
        return None
    kinds: set[str] = set()
    pos = _GAP.match(text).end()  # type: ignore[union-attr]
    while pos < len(text):
        m = _ITEM.match(text, pos)
        if m is None or m.end() == pos:
            return None
        kind = m.lastgroup
        assert kind is not None
        kinds.add(kind)
        pos = _GAP.match(text, m.end()).end()  # type: ignore[union-attr]
    return kinds


def is_header_line(line: str) -> bool:
    """A line that is furniture without more evidence: two kinds of header items
    (``2003年6月9日 星期一``, ``光明日报 第四版``) or a page label (``第3版``, ``A2版 要闻``).

    >>> is_header_line('2003年6月9日星期一光明日报第三版'), is_header_line('第3版')
    (True, True)
    >>> is_header_line('光明日报'), is_header_line('2003年6月9日')
    (False, False)
    """
    kinds = furniture_kinds(line)
    if kinds is None:
        return False
    return len(kinds & _MARKING) >= 2 or "page" in kinds


def header_lines(chunk: str) -> int:
    """How many lines of a chunk are furniture without more evidence
    (:func:`is_header_line`). Runs compiled where the engine is built
    (textclean.engine), and returns what :func:`header_lines_reference` returns."""
    compiled = engine.compiled()
    if compiled is not None:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: in Python
            count: int = compiled.header_lines(chunk)
            return count
    return header_lines_reference(chunk)


def header_lines_reference(chunk: str) -> int:
    """:func:`header_lines` in Python: the specification the engine follows."""
    if not any(ch in chunk for ch in "年版页"):
        return 0
    return sum(1 for line in lines_of(chunk) if is_header_line(line))


def remove_furniture(chunk: str, headers: bool) -> str:
    """A chunk without its furniture, in a document that has header lines or not
    (``headers``). Runs compiled where the engine is built, and returns what
    :func:`remove_furniture_reference` returns."""
    compiled = engine.compiled()
    if compiled is not None:
        with contextlib.suppress(UnicodeEncodeError):
            out: str = compiled.remove_furniture(chunk, headers)
            return out
    return remove_furniture_reference(chunk, headers)


def remove_furniture_reference(chunk: str, headers: bool) -> str:
    """:func:`remove_furniture` in Python: the specification the engine follows."""
    if not headers and not _GLUED.search(chunk):
        return chunk
    return "\n".join(_clean_line(line, headers) for line in chunk.split("\n"))


@dataclass
class _FurnitureEvidence:
    headers: int = 0  #: lines that are furniture without more evidence

    def add(self, chunk: str) -> None:
        self.headers += header_lines(chunk)

    def result(self) -> _FurnitureEvidence:
        return self


class RemovePageFurniture:
    """remove_page_furniture as a document rule: find the header lines, then remove them
    and the lines that only their evidence marks as furniture."""

    def evidence(self) -> _FurnitureEvidence:
        return _FurnitureEvidence()

    def transform(self, evidence: _FurnitureEvidence,
                  chunks: Iterable[str]) -> Iterator[str]:
        for chunk in chunks:
            yield remove_furniture(chunk, bool(evidence.headers))


def _clean_line(line: str, headers: bool) -> str:
    if headers:
        if is_header_line(line):
            return ""
        text = line.strip(cd.HSPACE)
        if cd.PAGE_NUMBER_LINE.fullmatch(text) or _PAPER.fullmatch(text):
            return ""
    if _GLUED.search(line):
        return _GLUED.sub("", line)
    return line


REMOVE_PAGE_FURNITURE = RemovePageFurniture()


def remove_page_furniture(text: str) -> str:
    """Remove running headers, footers and page numbers (CANON v2, "Page structure").

    Fires when: a line is made of header items only, two kinds of them or a page label
    (``2003年6月9日 星期一``, ``光明日报 第四版 要闻``, ``A2版``); then also, in that
    document, a line with a page number alone (``5``, ``-5-``, ``第5页``) or the paper's
    name alone; and anywhere, a date and a weekday followed by the paper, the page or
    the section, glued into a sentence at a page break (``推动发2003年6月9日星期一光明日报
    第三版展。``).
    Does: deletes them; a line that held nothing else becomes blank, so the layout phase
    sees the page break and decides from the text whether the sentence goes on.
    Leaves alone: a sentence that mentions a date or the paper (other words stand
    around them), a date or a paper's name alone in a document without header lines,
    numbers in text.
    Runs before: join_wrapped_lines.

    >>> remove_page_furniture('2003年6月9日 星期一\\n光明日报\\n第4版 要闻\\n4\\n正文。\\n')
    '\\n\\n\\n\\n正文。\\n'
    >>> remove_page_furniture('推动发2003年6月9日星期一光明日报第三版展。')
    '推动发展。'
    >>> remove_page_furniture('据光明日报2003年6月9日报道，\\n5\\n')
    '据光明日报2003年6月9日报道，\\n5\\n'
    """
    if not any(ch in text for ch in "年版页"):
        return text
    return apply_whole(REMOVE_PAGE_FURNITURE, text)
