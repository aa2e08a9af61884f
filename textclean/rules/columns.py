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
  table's short cells), are the columns; one more column's pitch to the right, a
  last column that only the top rows hold (it ends early).
- **A region** goes on while each line fits the structure: every segment starts at a
  column's start (or its indent) and ends before the next column's. A blank line is
  spacing; two or more end the band (:data:`BAND_GAP`). A line that does not fit (a
  headline across columns, a header, a second article's other columns) ends the
  region and is left as it is. A segment that runs across a column's start is cut at
  a single space that lands the rest there (pdfplumber shrinks a gutter so). A single
  blank line ends a band where the columns' lines join better into the next column's
  top than across it (:func:`_band_ends_at`); so does a line with no blank above it
  that may open a band (:func:`_opens_a_band`: the first column opens a paragraph in
  it, the last column is empty just above it), for pdfplumber sets no blank line
  between two bands that lie close. A region found a row down takes in the rows just
  above it that its columns fit (:func:`_region_top`).
- **Emission.** A region with enough lines of two or more segments is rewritten: each
  column's segments in order, a first line's indent as two ideographic spaces; the
  region's blank lines go. A region too thin to be sure of stays as it was.
"""

from __future__ import annotations

import contextlib
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

import regex

from textclean import engine
from textclean import lexicon as lx
from textclean.document import lines_of
from textclean.explain import Edit
from textclean.rules.lines import ends_sentence

if TYPE_CHECKING:
    from textclean import _engine

#: Lines with text read ahead to find a column structure.
LOOKAHEAD = 8
#: Of those, the share that must have a segment at a column's start for it to count.
COLUMN_SHARE = 0.5
#: So many blank lines in a row end a region: the band of columns under one headline
#: ends there (inside a band, pdfplumber sets a blank line now and then; both engines
#: set two or more between bands).
BAND_GAP = 2
#: A single blank line (or a line that may open a band) ends a band where reading on
#: across it makes this many bad joins more than reading on into the next column's top
#: (see _band_ends_at).
BAND_END_MARGIN = 2
#: A region is rewritten only with this many lines of two or more segments.
MIN_MULTI_LINES = 4
#: A segment starts at a column when at most this many positions right of its start
#: (a first line's indent: two characters, or three of pdfplumber's slots), or one left.
INDENT_SLACK = 4
#: A band is read at most so many rows down for its columns (a page's height and
#: more): a long dump without blank lines costs no more than its length.
BAND_ROWS = 160
#: Lines held before the stage looks for a place to let them go (see transform).
FLUSH_LINES = 4096
#: Columns hold prose: the median segment of a column is at least this many characters
#: (a table's cells are shorter).
MIN_COLUMN_TEXT = 6
#: A join reads on inside a word where the best segmentation (the lexicon's) of so many
#: characters either side of it has a word across it (see _breaks_a_word).
WORD_CONTEXT = 4

#: A run of spaces that separates two columns' text on a line (two or more, or an
#: ideographic space with another space).
_GAP = regex.compile(r"[ \u3000]{2,}")
#: A line that may have columns side by side: text, a gap, text.
_TWO_SEGMENTS = regex.compile(r"\S[ \u3000]{2,}\S")
#: Two gap characters side by side: a text without any has no _TWO_SEGMENTS match
#: (plain ``in`` tests find that far sooner than the pattern, which tries every
#: character as its first).
_GAP_PAIRS = ("  ", " \u3000", "\u3000 ", "\u3000\u3000")


def _side_by_side(text: str) -> bool:
    """Whether some line of text may hold columns side by side: text, a gap, text
    (``_TWO_SEGMENTS``).

    >>> _side_by_side('第一栏  第二栏'), _side_by_side('　　缩进的段落'), _side_by_side('一 二')
    (True, False, False)
    """
    return (any(pair in text for pair in _GAP_PAIRS)
            and _TWO_SEGMENTS.search(text) is not None)
#: One space between two pieces of text of two characters or more: where a gutter
#: may have shrunk (see _split_at_gutters).
_ONE_SPACE = regex.compile(r"(?<=\S\S) (?=\S\S)")


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


def _column_starts(rows: list[list[Segment]], *, inner: bool = False) -> list[int] | None:
    """The columns' start positions that the rows share, or None; with ``inner``,
    also a column between two that only some rows hold (a picture above or below
    it)."""
    rows = [r for r in rows if r]
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
    edges = _right_edges(rows, columns)
    for group in groups:
        if _last_column_ends_early(group, rows, columns, edges):
            columns.append(min(group))
            edges = _right_edges(rows, columns)
    if inner:
        columns = sorted(columns + [min(g) for g in groups
                                    if _column_beside_a_picture(g, rows, columns)])
    # Prose, not a table: each column's segments are of some width (but for a last
    # column that ends early, which may hold a paragraph's last few characters).
    taken = [[(_column_of(s, columns), len(s.text)) for s in r] for r in rows]
    held = [any(k == len(columns) - 1 for k, _ in r) for r in taken]
    early = held[0] and not all(held) and held == sorted(held, reverse=True)
    widths: list[list[int]] = [[] for _ in columns]
    for r in taken:
        for k, width in r:
            if k is not None:
                widths[k].append(width)
    for k in range(len(columns) - early):
        ws = sorted(widths[k])
        if not ws or ws[len(ws) // 2] < MIN_COLUMN_TEXT:
            return None
    return columns


def _right_edges(rows: list[list[Segment]], columns: list[int]) -> list[int]:
    """Where each column's text ends: the last position of its segments (its start,
    if it holds none)."""
    edges = list(columns)
    seen = [False] * len(columns)
    for r in rows:
        for s in r:
            k = _column_of(s, columns)
            if k is not None and (not seen[k] or s.end > edges[k]):
                edges[k], seen[k] = s.end, True
    return edges


def _last_column_ends_early(group: list[int], rows: list[list[Segment]],
                            columns: list[int], edges: list[int]) -> bool:
    """Whether a group of starts right of the columns is one more column that ends
    early (the last column of a band holds what is left: a line or two): it starts a
    gutter's width right of the last column's text (``edges``, from _right_edges: a
    gutter as wide as the others, give or take an indent), and only the top rows hold
    it."""
    gutters = [columns[k + 1] - edges[k] for k in range(len(columns) - 1)]
    gap = group[0] - edges[len(columns) - 1]
    if not max(2, min(gutters) - INDENT_SLACK) <= gap <= max(gutters) + INDENT_SLACK:
        return False
    held = [any(group[0] - 1 <= s.start <= group[-1] for s in r) for r in rows]
    return held[0] and held == sorted(held, reverse=True)


def _column_beside_a_picture(group: list[int], rows: list[list[Segment]],
                             columns: list[int]) -> bool:
    """Whether a group of starts between two columns is a column that a picture
    shortened: its segments are prose, at least two rows hold it, most of the rows
    from the first that holds it to the band's bottom do (a picture above it) or from
    the band's top to the last (below it), and it starts a column's width from each
    neighbour."""
    left = max((c for c in columns if c < group[0] - 1), default=None)
    right = min((c for c in columns if c > group[-1]), default=None)
    if left is None or right is None or any(group[0] - 1 <= c <= group[-1] for c in columns):
        return False
    if min(group[0] - left, right - group[0]) < 2 * MIN_COLUMN_TEXT:
        return False
    mine = [[s for s in r if group[0] - 1 <= s.start <= group[-1]] for r in rows]
    held = [bool(m) for m in mine]
    if sum(held) < 2:
        return False
    first = held.index(True)
    last = len(held) - 1 - held[::-1].index(True)
    below, above = held[first:], held[:last + 1]
    if max(sum(below) / len(below), sum(above) / len(above)) < COLUMN_SHARE:
        return False
    widths = sorted(len(s.text) for m in mine for s in m)
    return widths[len(widths) // 2] >= MIN_COLUMN_TEXT


def _column_of(seg: Segment, columns: list[int]) -> int | None:
    """The column a segment belongs to, if it fits one."""
    for k, start in enumerate(columns):
        if start - 1 <= seg.start <= start + INDENT_SLACK:
            nxt = columns[k + 1] if k + 1 < len(columns) else None
            if nxt is None or seg.end <= nxt:
                return k
            return None
    return None


def _width(text: str, cells: bool) -> int:
    return _display(text) if cells else len(text)


def _split_at_gutters(row: list[Segment], columns: list[int], cells: bool,
                      ) -> list[Segment]:
    """A row with a gutter that shrank to one space (pdfplumber, where a line of
    narrow digits runs up to the next column) cut there: a segment that runs across a
    column's start is cut at a single space between two pieces of text (not a spaced
    headline's lone characters) that lands the rest at that start."""
    out: list[Segment] = []
    for whole in row:
        seg = whole
        while _column_of(seg, columns) is None:
            cut = None
            for m in _ONE_SPACE.finditer(seg.text):
                at = seg.start + _width(seg.text[:m.end()], cells)
                if any(c - 1 <= at <= c + INDENT_SLACK for c in columns if c > seg.start):
                    cut = m
                    break
            if cut is None:
                break
            head = seg.text[:cut.start()]
            at = seg.start + _width(seg.text[:cut.end()], cells)
            out.append(Segment(seg.start, seg.start + _width(head, cells), head))
            seg = Segment(at, seg.end, seg.text[cut.end():])
        out.append(seg)
    return out


def _fits(row: list[Segment], columns: list[int]) -> bool:
    taken = [_column_of(s, columns) for s in row]
    return None not in taken and len(set(taken)) == len(taken)


def _bands(rows: list[list[Segment]], first: int, end: int, columns: list[int],
           ) -> list[tuple[int, int]]:
    """A region's bands: the lines ``first`` to ``end`` cut where the columns read on
    better into the next column's top than down their own column (see _band_ends_at):
    at a single blank line (pdfplumber may set one between two bands as it sets one
    inside a band now and then), and at a line that may open a band (_opens_a_band;
    pdfplumber sets no blank line at all between two bands that lie close)."""
    bands = []
    top = first
    for b in range(first + 1, end - 1):
        if not rows[b] and rows[b - 1] and rows[b + 1] and _band_ends_at(
                rows, top, b - 1, b + 1, columns):
            bands.append((top, b))
            top = b + 1
        elif rows[b] and rows[b - 1] and b - 1 > top and _opens_a_band(
                rows[b - 1], rows[b], columns) and _band_ends_at(rows, top, b - 1, b,
                                                                 columns, end=end):
            bands.append((top, b))
            top = b
    bands.append((top, end))
    return bands


def _opens_a_band(above: list[Segment], row: list[Segment], columns: list[int]) -> bool:
    """Whether the row, under the row ``above``, may be a band's top: it holds a line in
    each of the columns, the first column's a first line (indented), and the last
    column is empty just above it (the band above ran out of text in its last column
    first, as a band's last column does)."""
    last = len(columns) - 1
    return (len(row) == len(columns) and row[0].start - columns[0] >= 2
            and all(_column_of(s, columns) == k for k, s in enumerate(row))
            and all(_column_of(s, columns) != last for s in above))


def _band_ends_at(rows: list[list[Segment]], top: int, above: int, below: int,
                  columns: list[int], *, end: int = 0) -> bool:
    """Whether the band that starts at row ``top`` ends between the rows ``above`` and
    ``below`` (a blank row between them, or none): going on down the columns has at
    least :data:`BAND_END_MARGIN` bad joins more than ending there (see _bad_joins;
    with ``end``, the region's end, also reading the columns' last lines)."""
    goes_on, ends = _bad_joins(rows, top, above, below, columns, end=end)
    return goes_on >= ends + BAND_END_MARGIN


def _bad_joins(rows: list[list[Segment]], top: int, above: int, below: int,
               columns: list[int], *, end: int = 0) -> tuple[int, int]:
    """The bad joins of the two readings of a cut between the rows ``above`` and
    ``below``: the band goes on across it, or it ends there.

    Each column's last line above the cut is read on two ways: down the same column
    (the band goes on) or into the next column's top line (the band ends there; the
    last column into the first column under the cut). A reading counts a bad join
    where a line that stops mid-sentence runs into an indented first line, where a
    short line (a paragraph's last) runs into an unindented one, and, for the band
    going on, where a column is empty just above the cut and has text under it (a
    hole no paragraph leaves).

    Where these fall short of the margin and ``end`` is given (a cut with no blank
    row), the columns' last lines before ``end`` are read too: going on, each runs
    into the next column's line at the band's top; ending here, into the next
    column's line under the cut. They can only add a band's end: in one band the
    first reading is the right one and its joins are good.

    Last, the words: a column's line is cut wherever the column is full, inside a
    word as often as not, so where one reading of a column's last line above the cut
    reads on inside a word and the other does not (_breaks_a_word), the other counts
    one bad join more."""
    def at(row: list[Segment], k: int) -> Segment | None:
        return next((s for s in row if _column_of(s, columns) == k), None)

    right = [max((s.end for r in rows[top:above + 1] for s in r
                  if _column_of(s, columns) == k), default=0) for k in range(len(columns))]

    def bad(k: int, prev: Segment | None, nxt: Segment | None) -> int:
        if prev is None or nxt is None:
            return 0
        indented = nxt.start - columns[_column_of(nxt, columns) or 0] >= 2
        if not ends_sentence(prev.text):
            return int(indented)
        return int(prev.end < right[k] - 2 and not indented)

    n = len(columns)
    last, under, head = rows[above], rows[below], rows[top]
    goes_on = ends = 0
    # The words' bad joins, from the same two readings; counted after the last lines,
    # which weigh only where the lines' own joins fall short.
    word_on = word_ends = 0
    for k in range(n):
        prev = at(last, k)
        if prev is None:
            goes_on += at(under, k) is not None
            continue
        down, across = at(under, k), at(head, k + 1) if k + 1 < n else at(under, 0)
        goes_on += bad(k, prev, down)
        ends += bad(k, prev, across)
        in_word_down, in_word_across = _breaks_a_word(prev, down), _breaks_a_word(prev, across)
        word_on += in_word_across and not in_word_down
        word_ends += in_word_down and not in_word_across
    if end > below and goes_on < ends + BAND_END_MARGIN:
        for k in range(n - 1):
            bottom = next((s for r in reversed(rows[below:end]) for s in r
                           if _column_of(s, columns) == k), None)
            goes_on += bad(k, bottom, at(head, k + 1))
            ends += bad(k, bottom, at(under, k + 1))
    return goes_on + word_on, ends + word_ends


def _breaks_a_word(prev: Segment, nxt: Segment | None) -> bool:
    """Whether ``prev`` read on into ``nxt`` goes on inside a word: the lexicon's best
    segmentation of the last :data:`WORD_CONTEXT` characters of one and the first of
    the other has a word across the join (``共建“一带一`` + ``路”，努力`` does;
    ``我想强调`` + ``制度，落`` does not, though 调制 is a word: 强调 and 制度 read
    better). False where the lexicon cannot be loaded.

    >>> seg = lambda text: Segment(0, len(text), text)
    >>> _breaks_a_word(seg('继续推进高质量共建“一带一'), seg('路”，努力实现'))
    True
    >>> _breaks_a_word(seg('继续推进高质量共建“一带一'), seg('3月7日，十三届'))
    False
    """
    if nxt is None:
        return False
    tail = prev.text[-WORD_CONTEXT:]
    head = nxt.text[:WORD_CONTEXT]
    if not tail or not head:
        return False
    try:
        lexicon = lx.load()
    except lx.LexiconUnavailable:
        return False
    _, end = lexicon.segment(tail + head).word_at(len(tail) - 1)
    return end > len(tail)


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
    if not any(_side_by_side(line) for line in lines):
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
    no region was found. Runs compiled where the engine is built (textclean.engine),
    and returns what :func:`_reorder_reference` returns."""
    compiled = engine.compiled()
    lexicon = _compiled_lexicon() if compiled is not None else None
    if compiled is not None and lexicon is not None:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: in Python
            result = compiled.reorder_columns(lines, cells=cells, lexicon=lexicon)
            if result is None:
                return None
            counts, out, chosen = result
            if found is not None:
                found.extend(Region(first, end, tuple(starts), cells)
                             for first, end, starts in chosen)
            return counts, out
    return _reorder_reference(lines, cells=cells, found=found)


def _compiled_lexicon() -> _engine.Lexicon | None:
    """The engine's lexicon, for its band cuts; None where the lexicon cannot be
    loaded (then the reference runs, and its cuts read no words)."""
    try:
        return lx.load().compiled
    except lx.LexiconUnavailable:
        return None


def _reorder_reference(lines: list[str], *, cells: bool, found: list[Region] | None = None,
                       ) -> tuple[tuple[int, int], list[str]] | None:
    """:func:`_reorder` in Python: the specification the engine follows."""
    rows = [segments(line, cells=cells) for line in lines]
    ends = _band_ends(rows)
    out: list[str] = []
    taken = exact = 0
    i = 0
    passed = 0  # the rows just above row i left whole, each of two segments or more
    while i < len(lines):
        if len(rows[i]) < 2:
            out.append(lines[i])
            i += 1
            passed = 0
            continue
        band = min(ends[bisect_right(ends, i)], i + BAND_ROWS)
        ahead = list(islice((r for r in rows[i:band] if r), LOOKAHEAD))
        columns = _column_starts(ahead)
        if columns is None or not _fits(_split_at_gutters(rows[i], columns, cells), columns):
            out.append(lines[i])
            i += 1
            passed += 1
            continue
        top = _region_top(rows, i, passed, columns, cells)
        if top < i:
            del out[top - i:]
            i = top
        passed = 0
        j, cut, columns = _extent(rows, i, columns, cells)
        if j < len(rows) and rows[j]:
            # A row that does not fit may be a column the lookahead did not see (under
            # a picture at the column's top): the band's rows, all of them, may show it.
            wide = _column_starts(rows[i:band], inner=True)
            if wide is not None and len(wide) > len(columns):
                j2, cut2, wide = _extent(rows, i, wide, cells)
                if j2 > j:
                    j, cut, columns = j2, cut2, wide
        rows[i:j] = cut
        while j > i and not rows[j - 1]:
            j -= 1  # blank lines after the region are the document's
        if sum(len(r) >= 2 for r in rows[i:j]) >= MIN_MULTI_LINES:
            for first, end in _bands(rows, i, j, columns):
                region = [r for r in rows[first:end] if r]
                if found is not None:
                    found.append(Region(first, end, tuple(columns), cells))
                out.extend(_emit(region, columns))
                taken += sum(map(len, region))
                exact += sum(s.start in columns for r in region for s in r)
        else:
            out.extend(lines[i:j])
        i = j
    return ((taken, exact), out) if taken else None


def _region_top(rows: list[list[Segment]], i: int, passed: int, columns: list[int],
                cells: bool) -> int:
    """Where a region found at row ``i`` starts: higher up, at the first of the rows
    just above it that were left whole (``passed`` of them, each of two segments or
    more, no blank row between) and that its columns fit.

    The lookahead from such a row saw the same columns but too few of the rows below to
    call their text prose (a column's top holding a paragraph's short last lines):
    left whole, the row would stand above the region, its columns' text run together.
    """
    top = i
    while top > i - passed and _fits(_split_at_gutters(rows[top - 1], columns, cells),
                                     columns):
        top -= 1
    return top


def _extent(rows: list[list[Segment]], i: int, columns: list[int], cells: bool,
            ) -> tuple[int, list[list[Segment]], list[int]]:
    """Where a region from row ``i`` with these columns ends (the first row that does
    not fit, or :data:`BAND_GAP` blank rows), its rows as the columns cut them, and
    the columns: a column whose lines so far were all first lines starts an indent
    further left where a line does (see _moved_left)."""
    j = i
    blank = 0
    cut: list[list[Segment]] = []
    while j < len(rows) and blank < BAND_GAP:
        row = rows[j]
        if row:
            row = _split_at_gutters(row, columns, cells)
            if not _fits(row, columns):
                moved = _moved_left(row, columns)
                if moved is None or not all(_fits(r, moved) for r in cut if r):
                    break
                columns = moved
        cut.append(row)
        blank = 0 if row else blank + 1
        j += 1
    return j, cut, columns


def _moved_left(row: list[Segment], columns: list[int]) -> list[int] | None:
    """The columns with a start moved left to where the row has a segment an indent's
    width (two to :data:`INDENT_SLACK` positions) left of it, if the row then fits."""
    moved = list(columns)
    for seg in row:
        for k, start in enumerate(columns):
            if 2 <= start - seg.start <= INDENT_SLACK and (k == 0 or seg.start > columns[k - 1]):
                moved[k] = seg.start
    return moved if moved != columns and _fits(row, moved) else None


def _band_ends(rows: list[list[Segment]]) -> list[int]:
    """The rows where bands end: the first of each run of :data:`BAND_GAP` blank rows
    or more, in order, and the end."""
    ends = []
    blank = 0
    for k, row in enumerate(rows):
        blank = 0 if row else blank + 1
        if blank == BAND_GAP:
            ends.append(k + 1 - blank)
    return [*ends, len(rows)]


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
    if not _side_by_side(text):
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
        if not self.found and _side_by_side(chunk):
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
                quiet = 0 if _side_by_side(line) else quiet + 1
                if len(held) >= FLUSH_LINES and quiet > LOOKAHEAD:
                    yield "".join(line + "\n" for line in reorder_lines(held))
                    held, quiet = [], 0
        if held:
            out = reorder_lines(held)
            yield "\n".join(out) + ("\n" if final else "")


READ_COLUMNS_IN_ORDER = ReadColumnsInOrder()
