"""Reading order for dumps that set a page's columns side by side (CANON v2 "Columns set
side by side are read one after another").

``pdftotext -layout``, pdfplumber's ``extract_text(layout=True)`` and OCR engines that
print physical lines across the page put each column's line next to its neighbours'
on one line of the dump, separated by runs of spaces at a stable position. This stage,
at the head of the layout phase, finds such regions and emits each region's columns one
after another, left to right, each top to bottom; the layout phase then reads them as
any column dump. It fires only on strong geometric evidence: a dump without that shape
passes through unchanged, byte for byte.

The model, in the order it is applied:

- **Segments.** A line is cut at runs of two or more spaces; each piece keeps the
  position where it starts (in characters: both engines set one character a slot; or
  in display cells, East Asian Width, where that lines up better).
- **A column structure** is found where a line has two or more segments: over the
  lines ahead (:data:`LOOKAHEAD` with text), the positions where segments start are
  grouped (a first line's indent starts a little to the right); two or more groups
  that most of those lines share, each holding prose (segments of some width, not a
  table's short cells), are the columns.
- **A region** goes on while each line fits the structure: every segment starts at a
  column's start (or its indent) and ends before the next column's. A blank line is
  spacing; two or more end the band (:data:`BAND_GAP`). A line that does not fit (a
  headline across columns, a header, a second article's other columns) ends the
  region and is left as it is.
- **Emission.** A region with enough lines of two or more segments is rewritten: each
  column's segments in order, a first line's indent as two ideographic spaces; the
  region's blank lines go. A region too thin to be sure of stays as it was.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

import regex

from textclean.document import lines_of
from textclean.explain import Edit

#: Lines with text read ahead to find a column structure.
LOOKAHEAD = 8
#: Of those, the share that must have a segment at a column's start for it to count.
COLUMN_SHARE = 0.5
#: So many blank lines in a row end a region: the band of columns under one headline
#: ends there (inside a band, pdfplumber sets a blank line now and then; both engines
#: set two or more between bands).
BAND_GAP = 2
#: A region is rewritten only with this many lines of two or more segments.
MIN_MULTI_LINES = 4
#: A segment starts at a column when at most this many positions right of its start
#: (a first line's indent: two characters, or three of pdfplumber's slots), or one left.
INDENT_SLACK = 4
#: Lines held before the stage looks for a place to let them go (see transform).
FLUSH_LINES = 4096
#: Columns hold prose: the median segment of a column is at least this many characters
#: (a table's cells are shorter).
MIN_COLUMN_TEXT = 6

#: A run of spaces that separates two columns' text on a line (two or more, or an
#: ideographic space with another space).
_GAP = regex.compile(r"[ \u3000]{2,}")
#: A line that may have columns side by side: text, a gap, text.
_TWO_SEGMENTS = regex.compile(r"\S[ \u3000]{2,}\S")


@dataclass(frozen=True)
class Region:
    """Lines read column after column: lines ``first`` to ``end`` (from 0, end
    excluded), the columns' start positions, counted in display cells or characters."""

    first: int
    end: int
    starts: tuple[int, ...]
    cells: bool

    def describe(self) -> str:
        unit = "display cells" if self.cells else "characters"
        return (f"columns_side_by_side: lines {self.first + 1}-{self.end}, "
                f"{len(self.starts)} columns at {', '.join(map(str, self.starts))} ({unit})")


@dataclass(frozen=True)
class Segment:
    """A piece of a line between gaps, where it starts and ends (in positions)."""

    start: int
    end: int
    text: str


def _char_positions(line: str) -> list[Segment]:
    out = []
    pos = 0
    for piece in _GAP.split(line):
        if piece.strip():
            lead = len(piece) - len(piece.lstrip(" \u3000"))
            text = piece.strip(" \u3000")
            out.append(Segment(pos + lead, pos + lead + len(text), text))
        pos += len(piece)
        m = _GAP.match(line, pos)
        if m:
            pos = m.end()
    return out


def _display(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_positions(line: str) -> list[Segment]:
    out = []
    for seg in _char_positions(line):
        start = _display(line[:seg.start])
        out.append(Segment(start, start + _display(seg.text), seg.text))
    return out


def segments(line: str, *, cells: bool = False) -> list[Segment]:
    """The segments of a line, with their positions in characters (or display cells).

    >>> [(s.start, s.text) for s in segments('  第一栏的文字    第二栏的文字')]
    [(2, '第一栏的文字'), (12, '第二栏的文字')]
    """
    return _cell_positions(line) if cells else _char_positions(line)


def _column_starts(rows: list[list[Segment]]) -> list[int] | None:
    """The columns' start positions that the rows share, or None."""
    if sum(len(r) >= 2 for r in rows) < 2:
        return None
    starts = sorted(s.start for r in rows for s in r)
    groups: list[list[int]] = []
    for p in starts:
        if groups and p - groups[-1][0] <= INDENT_SLACK:
            groups[-1].append(p)
        else:
            groups.append([p])
    columns = []
    for group in groups:
        rows_in = sum(any(group[0] - 1 <= s.start <= group[-1] for s in r) for r in rows)
        if rows_in >= COLUMN_SHARE * len(rows):
            columns.append(min(group))
    if len(columns) < 2:
        return None
    # Prose, not a table: each column's segments are of some width.
    for k in range(len(columns)):
        widths = sorted(len(s.text) for r in rows for s in r
                        if _column_of(s, columns) == k)
        if not widths or widths[len(widths) // 2] < MIN_COLUMN_TEXT:
            return None
    return columns


def _column_of(seg: Segment, columns: list[int]) -> int | None:
    """The column a segment belongs to, if it fits one."""
    for k, start in enumerate(columns):
        if start - 1 <= seg.start <= start + INDENT_SLACK:
            nxt = columns[k + 1] if k + 1 < len(columns) else None
            if nxt is None or seg.end <= nxt:
                return k
            return None
    return None


def _fits(row: list[Segment], columns: list[int]) -> bool:
    taken = [_column_of(s, columns) for s in row]
    return None not in taken and len(set(taken)) == len(taken)


def _emit(rows: list[list[Segment]], columns: list[int]) -> list[str]:
    out = []
    for k, start in enumerate(columns):
        for row in rows:
            for seg in row:
                if _column_of(seg, columns) == k:
                    indent = "\u3000\u3000" if seg.start - start >= 2 else ""
                    out.append(indent + seg.text)
    return out


def reorder_lines(lines: list[str]) -> list[str]:
    """The lines of a document with each region of side-by-side columns read column
    after column; anything else as it was.

    >>> rows = ['  第一栏第一行文字    第二栏第一行文字',
    ...         '第一栏第二行的文字    第二栏第二行的文字',
    ...         '第一栏第三行的文字    第二栏第三行的文字',
    ...         '第一栏的最后一行。    第二栏的最后一行。']
    >>> for line in reorder_lines(rows): print(line)
    　　第一栏第一行文字
    第一栏第二行的文字
    第一栏第三行的文字
    第一栏的最后一行。
    第二栏第一行文字
    第二栏第二行的文字
    第二栏第三行的文字
    第二栏的最后一行。
    """
    best = _best(lines)
    return lines if best is None else best[0]


def _best(lines: list[str]) -> tuple[list[str], list[Region]] | None:
    """The lines reordered, and the regions, under the way of counting positions in
    which the columns hold more of the lines; None where no region was found."""
    if not any(_TWO_SEGMENTS.search(line) for line in lines):
        return None
    best: tuple[tuple[int, int], list[str], list[Region]] | None = None
    for cells in (False, True):
        found: list[Region] = []
        result = _reorder(lines, cells=cells, found=found)
        if result is not None and (best is None or result[0] > best[0]):
            best = (result[0], result[1], found)
    return None if best is None else (best[1], best[2])


def _reorder(lines: list[str], *, cells: bool, found: list[Region] | None = None,
             ) -> tuple[tuple[int, int], list[str]] | None:
    """The lines reordered by one way of counting positions, with how many segments the
    regions took and how many of them start right at their column's start, or None if
    no region was found."""
    rows = [segments(line, cells=cells) for line in lines]
    out: list[str] = []
    taken = exact = 0
    i = 0
    while i < len(lines):
        if len(rows[i]) < 2:
            out.append(lines[i])
            i += 1
            continue
        ahead = list(islice((rows[k] for k in range(i, len(rows)) if rows[k]), LOOKAHEAD))
        columns = _column_starts(ahead)
        if columns is None or not _fits(rows[i], columns):
            out.append(lines[i])
            i += 1
            continue
        j = i
        blank = 0
        while j < len(lines) and blank < BAND_GAP and (not rows[j] or _fits(rows[j], columns)):
            blank = 0 if rows[j] else blank + 1
            j += 1
        while j > i and not rows[j - 1]:
            j -= 1  # blank lines after the region are the document's
        region = [r for r in rows[i:j] if r]
        if sum(len(r) >= 2 for r in region) >= MIN_MULTI_LINES:
            if found is not None:
                found.append(Region(i, j, tuple(columns), cells))
            out.extend(_emit(region, columns))
            taken += sum(map(len, region))
            exact += sum(s.start in columns for r in region for s in r)
        else:
            out.extend(lines[i:j])
        i = j
    return ((taken, exact), out) if taken else None


def regions(lines: list[str]) -> list[Region]:
    """The regions :func:`reorder_lines` reads column after column, as it chooses them."""
    best = _best(lines)
    return [] if best is None else best[1]


def explain_columns(text: str, edits: tuple[Edit, ...],
                    ) -> tuple[tuple[Edit, ...], tuple[Edit, ...]]:
    """The stage's edits of ``text``, each with the region and the column order that
    made it (``why``)."""
    chosen = regions(lines_of(text))
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)
    annotated = []
    for edit in edits:
        line = bisect_right(starts, edit.offset) - 1
        # (An edit may end a region's last line at the next line's start.)
        region = next((r for r in chosen if r.first <= line <= r.end), None)
        annotated.append(replace(edit, why=region.describe()) if region else edit)
    return tuple(annotated), ()


def read_columns_in_order(text: str) -> str:
    """Read a page's columns set side by side one after another.

    Fires when: lines of the dump hold two or more columns' text side by side,
    separated by runs of spaces at stable positions (``pdftotext -layout``,
    pdfplumber with layout), over at least four such lines.
    Does: emits each such region's columns one after another, left to right, each top
    to bottom (a first line's indent as two ideographic spaces); the layout phase
    then joins their lines as in any column dump.
    Leaves alone: lines without that shape, byte for byte (headers, headlines across
    the columns, text with single spaces); tables (columns of short cells); a region
    of fewer than four lines with columns side by side.

    >>> print(read_columns_in_order('甲栏第一行的文字  乙栏第一行的文字\\n'
    ...                             '甲栏第二行的文字  乙栏第二行的文字\\n'
    ...                             '甲栏第三行的文字  乙栏第三行的文字\\n'
    ...                             '甲栏第四行的文字  乙栏第四行的文字\\n'), end='')
    甲栏第一行的文字
    甲栏第二行的文字
    甲栏第三行的文字
    甲栏第四行的文字
    乙栏第一行的文字
    乙栏第二行的文字
    乙栏第三行的文字
    乙栏第四行的文字
    >>> read_columns_in_order('姓名  年龄\\n张三  30\\n李四  41\\n王五  29\\n')
    '姓名  年龄\\n张三  30\\n李四  41\\n王五  29\\n'
    """
    if not _TWO_SEGMENTS.search(text):
        return text
    lines = lines_of(text)
    out = reorder_lines(lines)
    if out is lines:
        return text
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


class _SideBySide:
    """Whether any line may hold columns side by side (two segments)."""

    def __init__(self) -> None:
        self.found = False

    def add(self, chunk: str) -> None:
        if not self.found and _TWO_SEGMENTS.search(chunk):
            self.found = True

    def result(self) -> bool:
        return self.found


class ReadColumnsInOrder:
    """read_columns_in_order as a document rule: a region may span chunks."""

    def evidence(self) -> _SideBySide:
        return _SideBySide()

    def transform(self, evidence: bool, chunks: Iterable[str]) -> Iterator[str]:
        if not evidence:
            yield from chunks
            return
        # Lines are held until a stretch of lines without columns side by side, long
        # enough that no region spans it, follows a good many of them: memory holds
        # a page or so, not the document.
        held: list[str] = []
        quiet = 0
        final = False
        for chunk in chunks:
            if not chunk:
                continue
            final = chunk.endswith("\n")
            for line in lines_of(chunk):
                held.append(line)
                quiet = 0 if _TWO_SEGMENTS.search(line) else quiet + 1
                if len(held) >= FLUSH_LINES and quiet > LOOKAHEAD:
                    yield "".join(line + "\n" for line in reorder_lines(held))
                    held, quiet = [], 0
        if held:
            out = reorder_lines(held)
            yield "\n".join(out) + ("\n" if final else "")


READ_COLUMNS_IN_ORDER = ReadColumnsInOrder()
