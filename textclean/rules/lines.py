"""Layout phase (CANON.md, "Line breaks"): the whole document at once.

The layout phase turns a dump into one paragraph per line. Every decision is taken from
evidence in the document itself:

* the document's column width, measured from its wrapped lines (or, where a layout
  engine turned column breaks into spaces, from the segments between those spaces);
* blank lines, and whether the document uses them to separate paragraphs;
* indentation, where the document uses it;
* sentence-final punctuation, turn labels (``XX记者：``, ``王毅：``), captions, credit
  lines and headline lines.

Where the evidence is weak the text is left as it was found: a paragraph that lost its
end stays a paragraph; nothing is invented.
"""

from __future__ import annotations

import contextlib
import copy
import math
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, replace
from functools import lru_cache, partial
from itertools import islice
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

import regex

from textclean import chardata as cd
from textclean import engine
from textclean.document import apply_whole, iter_lines, lines_of, sub_in_lines
from textclean.explain import Edit

if TYPE_CHECKING:
    from textclean import _engine

# --- Patterns -------------------------------------------------------------------------

_HSPACE = f"[{cd.HSPACE}]"
_STRONG = cd.compile_class(f"[{cd.CJK_STRONG}]")
_LETTER = cd.compile_class(f"[{cd.CJK_LETTER}]")
#: Letters and digits, full-width forms too: they are folded only after the layout phase.
_ALNUM = cd.ALNUM_CLASS
#: A Latin word or number at a line start, perhaps after an opening mark: text that a
#: typesetter carries over whole, leaving the line before it short.
_CARRIED_WORD = cd.compile(f"[（(《“‘\\[]?[{_ALNUM}]")
#: The unit a typesetter carries over whole: a Latin word or number (``11.9%``), or an
#: opening mark, which may not end a line, with what follows it (``（RCEP``, ``《完``;
#: ``《 完`` in a justified line; a straight ``"`` that a dump made of ``“``).
_CARRIED_UNIT = cd.compile(
    f"(?:[（(《“‘\"\\[]{_HSPACE}*)*[{_ALNUM}][{_ALNUM}.:%\\-]*"
    f"|(?:[（(《“‘\"\\[]{_HSPACE}*)+[^{cd.HSPACE}]"
)
#: A character that a Latin word or number may end or start with.
_LATIN_SIDE = cd.compile(f"[^{cd.CJK_STRONG}{cd.NEUTRAL_PUNCT}\\s/]")

#: Page-continuation markers: (上接6版), （下转第四版）, 〔接第3版〕, (转A2版), and with
#: the page number spaced out (上接第1 2 版).
MARKER_RE = cd.compile(
    rf"{_HSPACE}*[(（〔\[【]{_HSPACE}*(?:上接|下转|接|转|紧接|续)(?:第|本报)?"
    rf"{_HSPACE}*[A-Za-z]?(?:[0-9０-９一二三四五六七八九十百零〇两]{_HSPACE}*){{1,4}}版"
    rf"{_HSPACE}*[)）〕\]】]"
)

#: Characters that cannot start a paragraph: the text before them goes on.
_CONTINUATION_START = "，。、；：？！）》」』”’,.;:?!)%…—"

#: Marks after which a sentence goes on: no paragraph ends with one.
_MID_CLAUSE = "，、,"

#: Clause and sentence punctuation (an ellipsis too): a line without any is headline-like.
_CLAUSE_PUNCT = cd.compile_class(r"[，。！？；：、,.!?;:…]")

#: Credit line of a photo or a graphic: 新华社记者李鑫摄, 本报记者 张三 摄影, 制图：李四.
_CREDIT_RE = cd.compile(
    r"^(?:[^，。！？；,.!?;]{0,30}(?:摄|摄影|供图|制图|绘图)|(?:制图|摄影|图)[：:][^，。！？；]{1,20})$"
)

#: A ``XX记者：`` turn label. The character before 记者 may not be a verb or preposition
#: (告诉记者：, 对记者：, 接受记者采访 are reported speech, not labels).
#: The most characters inside a book titles 《》 in a label.
_BOOK_TITLE_CHARS = 20
_BOOK_TITLE = rf"《[^》\n]{{1,{_BOOK_TITLE_CHARS}}}》"
_LABEL_CHAR = r"[\p{Han}A-Za-z0-9·]"
#: The most title or name units (a book title, a character) before 记者 in a label.
_LABEL_UNITS = 24
#: Characters that may not stand before 记者 in a label.
_NOT_BEFORE_REPORTER = "诉对向给和跟与受访随同让请带"
_REPORTER_LABEL = (
    rf"(?:{_BOOK_TITLE}|{_LABEL_CHAR}){{1,{_LABEL_UNITS}}}?(?<![{_NOT_BEFORE_REPORTER}])记者"
)
_REPORTER_LABEL_RE = cd.compile(rf"^{_REPORTER_LABEL}{_HSPACE}*[:：]")

#: The generic transcript labels: 问：, 答：, 主持人：.
_GENERIC_LABELS = ("问", "答", "主持人")
_GENERIC_LABEL_RE = cd.compile(rf"^(?:{'|'.join(_GENERIC_LABELS)}){_HSPACE}*[:：]")

#: A name label candidate (王毅：, 豪尔赫·切迪克：): counted in the document; it is a label
#: only where the same name opens two or more lines.
_NAME_LABEL_RE = cd.compile(rf"^([\p{{Han}}·]{{2,6}}){_HSPACE}*[:：]")


# --- Measuring --------------------------------------------------------------------------


def cells(text: str) -> float:
    """Width of text in full-width cells: ASCII letters and digits count half, spaces nothing.

    ASCII punctuation counts a whole cell: in a Chinese column it stood for full-width
    punctuation before the dump made it half-width. A digit spaced from the next one
    (``2 0 多``, as OCR reads full-width digits) counts a whole cell too.

    >>> cells('协调20多支'), cells('协调2 0 多支')
    (5.0, 5.5)
    """
    ascii_part = text.encode("ascii", "ignore")
    if not ascii_part:
        return float(len(text))
    spaces = ascii_part.count(b" ") + ascii_part.count(b"\t")
    alnum = len(ascii_part.translate(None, _NOT_ALNUM_BYTES))
    spaced = len(_SPACED_DIGIT.findall(text)) if spaces else 0
    return len(text) - spaces - 0.5 * alnum + 0.5 * spaced


#: A digit that a space follows inside a number (2 0 多): OCR of a full-width digit,
#: which took a whole cell of the column.
_SPACED_DIGIT = cd.compile(r"[0-9] (?=[0-9])")


_NOT_ALNUM_BYTES = bytes(b for b in range(128) if not chr(b).isalnum())


@lru_cache(maxsize=1 << 13)  # pure, and asked of each line several times
def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence: 。！？…； or ：, possibly followed by closing marks."""
    stripped = text.rstrip(cd.CLOSERS + cd.HSPACE)
    if not stripped:
        return bool(text.strip())
    last = stripped[-1]
    if last in cd.SENTENCE_END or last in "：:":
        return True
    return last == "." and len(stripped) > 1 and bool(_LETTER.match(stripped[-2]))


def is_credit_line(text: str) -> bool:
    """A photo or graphic credit line: ``新华社记者李鑫摄``.

    >>> is_credit_line('新华社记者 陈钟昊摄'), is_credit_line('他摄影多年，作品很多。')
    (True, False)
    """
    return (len(text) <= 40 and ("摄" in text or "图" in text)
            and bool(_CREDIT_RE.match(text.strip())))


#: A dateline (据新华社北京5月24日电, 本报上海3日电): a story's lead-in, set on a line of
#: its own above the text it opens, and part of the first paragraph.
_DATELINE = cd.compile(r"(?:日|社)[ \u3000]*电[ \u3000]*$")


@lru_cache(maxsize=1 << 13)  # pure, and asked of each line several times
def is_headline_like(text: str) -> bool:
    """A short line with no clause punctuation: a headline, kicker or title line.

    >>> is_headline_like('践行人类命运共同体理念 展现负责任大国担当')
    True
    >>> is_headline_like('这场疫情给我们带来的最大启示是：')
    False
    """
    stripped = text.strip()
    return (
        0 < cells(stripped) <= 40
        and not _CLAUSE_PUNCT.search(stripped)
        and stripped[0] not in cd.CAPTION_MARKS
        and bool(_STRONG.search(stripped))
    )


def _count_label(names: Counter[str], text: str) -> None:
    """Count the name of a stripped line that opens with ``NAME：``."""
    if (":" in text or "：" in text) and (m := _NAME_LABEL_RE.match(text)):
        names[m.group(1)] += 1


def _speakers(names: Counter[str]) -> frozenset[str]:
    """Names that open two or more lines: the document's speakers."""
    return frozenset(name for name, n in names.items() if n >= 2)


def starts_turn(text: str, speakers: frozenset[str]) -> bool:
    """Whether a line opens with a turn label (``XX记者：``, ``问：``, or a known speaker)."""
    stripped = text.lstrip(cd.HSPACE)
    if "：" not in stripped and ":" not in stripped:
        return False  # every label ends with its colon
    if ("记者" in stripped and _REPORTER_LABEL_RE.match(stripped)) or \
            _GENERIC_LABEL_RE.match(stripped):
        return True
    m = _NAME_LABEL_RE.match(stripped)
    return bool(m and m.group(1) in speakers)


def turn_label_pattern(speakers: frozenset[str]) -> str:
    """Regex source of a turn label, for splitting a paragraph that lost a turn break."""
    names = "|".join(regex.escape(s) for s in sorted(speakers, key=len, reverse=True))
    alternatives = [_REPORTER_LABEL, *_GENERIC_LABELS]
    if names:
        alternatives.append(f"(?:{names})")
    return "(?:" + "|".join(alternatives) + f"){_HSPACE}*[:：]"


@dataclass(frozen=True)
class Tolerances:
    """The numbers the layout phase decides with, in cells of the column unless said.

    Each comes with its reason. They are one record so that a reader sees them
    together, a test can vary them, and a compiled port takes them as plain data.
    """

    #: A paragraph's first line is set this many cells in.
    indent: float = 2.0
    #: How far a first line without its indent may be from the indent's room: half a
    #: cell, a Latin letter or digit that took less room than a character.
    indent_slack: float = 0.5
    #: A closing mark hangs one cell past the column's end (or squeezes in).
    hang: float = 1.0
    #: How much narrower than the column a line is short: a line inside a paragraph
    #: is full; two cells less is a paragraph's end (a first line: two more, for the
    #: indent the dump may have dropped).
    short: float = 2.0
    #: A headline-like line is a headline when this much narrower than the column…
    headline_narrower: float = 4.0
    #: …or this much wider (a headline is set in its own width; a first line whose
    #: indent was stripped is about two cells short).
    headline_wider: float = 3.0
    #: How many cells short a line must be to be taken for a paragraph's end, where
    #: the first lines after such ends are counted.
    paragraph_end_short: float = 2.0
    #: How many first lines two cells short show that the dump dropped the indents.
    min_first_lines: int = 2
    #: Half-votes (two a line) needed to measure a width the usual way: six lines.
    measured_votes: int = 12
    #: The share of the inner lines that must be about the width for it to hold.
    width_share: float = 0.6
    #: Column widths that are measured at all, in cells.
    min_width: int = 4
    max_width: int = 80
    #: A column-space segment narrower than this is no column line.
    min_segment_width: int = 6
    #: Where blank lines separate paragraphs, few lines inside a block end a sentence
    #: and are short: at most this share of the gaps.
    blank_end_share: float = 0.3
    #: Indents mark paragraph starts only where at most this share of lines has one.
    indented_share: float = 0.5
    #: A short text (under measured_votes) needs two inner lines, in half-votes…
    short_text_votes: int = 4
    #: …of which this many half-votes are for the width itself: more than one line's,
    #: so that two lines agree (a title over a deck does not)…
    short_text_agree: int = 3
    #: …and is measured only this wide or wider: narrower lines of one width are as
    #: likely verse or a list as a wrapped paragraph.
    short_text_min_width: int = 8
    #: The longest outlet name before 记者 in a turn label, in characters: the longest
    #: in use run to about 15 (中央广播电视总台中国国际电视台).
    longest_outlet: int = 16
    #: Blank lines are an engine's block breaks, not paragraphs' ends, where at least
    #: this share of them falls inside a sentence: a page's own breaks inside
    #: sentences are few (one a column or a page), an OCR engine's are a fifth or more.
    open_gap_share: float = 0.2
    #: A block (lines between blank lines) shows a column width of its own when this
    #: many of its lines, not counting its last, are measured…
    region_block_lines: int = 4
    #: …and a block's width differs from its region's when by more than this many
    #: cells and this share of the width: tesseract's and pdfminer's blocks of one
    #: column vary by a cell or two; another article's columns are set another width.
    region_width_change: float = 2.0
    region_width_ratio: float = 0.15
    #: A line this wide (in cells) is a paragraph a line, set at no column width.
    long_line: float = 40.0
    #: So many blocks of paragraphs a line show a region set at no column width (and
    #: as many where a column width held show that another article begins).
    region_long_blocks: int = 3


#: The tolerances in use.
TOL = Tolerances()


# --- The document model -------------------------------------------------------------------


@dataclass(frozen=True)
class VisualLine:
    """One line as it stood in the column: a physical line, or a column-space segment."""

    text: str
    indent: float
    width: float
    joined: bool = False  #: a segment after a column-break space, in the same physical line
    line: int = -1        #: the physical line's number in the text (from 0), where known


class Decision(NamedTuple):
    """What a layout clause decided at a line boundary, and which clause it was."""

    joins: bool  #: the line after the boundary goes on with the paragraph before it
    clause: str  #: the name of the clause that decided (a function, or a named branch)


def _join(clause: str) -> Decision:
    return Decision(True, clause)


def _break(clause: str) -> Decision:
    return Decision(False, clause)


@dataclass(frozen=True)
class Layout:
    """What the document says about itself."""

    width: float | None          #: column width in cells, None if lines are paragraphs
    blank_separated: bool        #: blank lines separate paragraphs
    indented: bool               #: indentation marks paragraph starts
    column_spaces: bool          #: column breaks became spaces inside lines
    speakers: frozenset[str]     #: names used as turn labels
    #: paragraphs open with a line two cells short: the dump dropped their indents
    first_line_room: bool = False
    #: lines with Latin letters or digits fill the column counting them half a cell
    #: (as type sets them), not one (as a dump that wraps at a count of characters)
    latin_in_half_cells: bool = False
    #: many blank lines fall inside sentences: blank lines are an engine's block
    #: breaks, and one after a sentence end is no paragraph's end by itself
    blank_in_sentences: bool = False


def _indent(line: str) -> float:
    if not line or line[0] not in cd.HSPACE:
        return 0.0
    n = len(line) - len(line.lstrip(cd.HSPACE))
    lead = line[:n]
    return lead.count("\u3000") + 0.5 * (n - lead.count("\u3000"))


_ANY_SPACE = cd.compile(_HSPACE)
#: A run of spaces between two other characters, one of them CJK: where a column break
#: may have become a space.
_COLUMN_SPACE = cd.compile(
    rf"(?:(?<=[{cd.CJK_STRONG}]){_HSPACE}+(?=[^{cd.HSPACE}])"
    rf"|(?<=[^{cd.HSPACE}]){_HSPACE}+(?=[{cd.CJK_STRONG}]))"
)


def _segments(line: str) -> list[str]:
    """Split a line at spaces that touch a CJK character (column-break candidates).

    A justified line, with a space between every two characters, is not split: its
    spaces are the justification's, and its one-character pieces are no columns.

    >>> _segments('第一栏的末尾 第二栏的开头')
    ['第一栏的末尾', '第二栏的开头']
    >>> _segments('路 透 社 记 者 : 服 务 代 表 ?')
    ['路 透 社 记 者 : 服 务 代 表 ?']
    """
    if not _ANY_SPACE.search(line) or not _STRONG.search(line):
        return [line]
    parts = _COLUMN_SPACE.split(line)
    if len(parts) >= 3 and 3 * sum(len(p) == 1 for p in parts) >= 2 * len(parts):
        return [line]
    return parts


def _hanging(text: str) -> int:
    """1 if the line ends with a mark that may hang past the column's end, else 0.

    A doubled dash (``——``, or ``— —`` in a justified line) takes its two cells inside
    the line: it does not hang.
    """
    if not text or text[-1] not in _CONTINUATION_START:
        return 0
    if text[-1] == "—" and text.rstrip(cd.HSPACE + "—") != text[:-1].rstrip(cd.HSPACE):
        return 0
    return 1


def _count_width(counts: Counter[int], width: float, text: str) -> None:
    """Count a line's width in half-votes: a line that ends with a mark that may hang
    past the column's end (or fit within it) votes half for each reading."""
    # A half cell (a Latin letter or digit) fills the cell it starts: 18.5 cells take
    # 19 cells of room (round() would send x.5 to the even neighbour).
    cell = math.floor(width + 0.5)
    if _hanging(text):
        counts[cell] += 1
        counts[cell - 1] += 1
    else:
        counts[cell] += 2


def _near(counts: Counter[int] | Counter[float], width: float) -> float:
    """How many of ``counts`` are about ``width``: one cell wider, two narrower (a
    mark squeezed or hanging; a first line short by its stripped indent)."""
    return sum(k for w, k in counts.items()
               if width - TOL.indent <= w <= width + TOL.hang)


def _mode_width(counts: Counter[int], n: int) -> float | None:
    """The dominant width, if lines of about that width cover most of the lines.

    ``counts`` holds the lines' widths rounded to whole cells, in half-votes
    (:func:`_count_width`), and ``n`` how many half-votes there are. "About" is one
    cell either way (punctuation squeezed or hanging), and two cells less for first
    lines whose indent was stripped.
    """
    if n < TOL.measured_votes:
        return None

    # The commonest width; of two as common, the wider: the narrower are first lines
    # short by a stripped indent, or lines left short by a word carried over. When
    # too few lines are about the commonest width (in a short text, first lines can
    # outnumber full ones), the width that the most lines are about.
    mode = max(counts, key=lambda w: (counts[w], w))
    if _near(counts, mode) < TOL.width_share * n:
        # (_near for whole-cell widths, by lookup: a long document has many widths.)
        mode = max(counts, key=lambda w: (
            counts[w - 2] + counts[w - 1] + counts[w] + counts[w + 1], counts[w], w))
    near_mode = _near(counts, mode)
    if near_mode < TOL.width_share * n or not TOL.min_width <= mode <= TOL.max_width:
        return None
    return float(mode)


def _visual_lines(line: str, text: str, segs: list[str], number: int = -1) -> list[VisualLine]:
    indent = _indent(line)
    if len(segs) < 3:
        return [VisualLine(text, indent, cells(text), line=number)]
    return [VisualLine(seg, indent if k == 0 else 0.0, cells(seg), k > 0, number)
            for k, seg in enumerate(segs)]


class _Block(NamedTuple):
    """A block (lines between blank lines) as the region tracker saw it."""

    start: int                 #: its first line's number
    width: float | None        #: the commonest width of its lines but its last, if any
    measured: bool             #: enough lines agree on ``width`` to measure the block
    long: bool                 #: every line is a paragraph (no column width)
    after_end: bool            #: the block before it ended a sentence (or a headline)


class _RegionTracker:
    """Where the articles of a dump begin: the blocks (lines between blank lines) after
    which the column width changes.

    Each block is measured on its own: the commonest width of its lines (its last
    not counted, a paragraph's end), measured where enough of them agree, or "long"
    when every line is a paragraph (:attr:`Tolerances.long_line` or wider). A region
    holds while its measured blocks agree. A measured block of another width, a run
    of long blocks where a width held, or a measured block after such a run, opens a
    new region. It opens after the last of the blocks since the old region's last
    measured one that still look like the old region (short blocks of its width, or
    long ones), at a block that follows a sentence end: a page break inside a
    sentence opens no article, and the new article's headline lines go with it.
    """

    #: Blocks kept since the last measured one; an article's head has fewer.
    _HISTORY = 64

    def __init__(self) -> None:
        self.starts = [0]
        self._line = 0
        self._width: float | None = None     # the region's width, from its blocks
        self._since: deque[_Block] = deque(maxlen=self._HISTORY)
        self._block_start = -1
        self._block: Counter[int] = Counter()   # the block's lines but its last
        self._block_inner = 0
        self._block_long = True
        self._last: float | None = None      # the block's last line's width so far
        self._text = ""                      # the last line counted
        self._after_end = True               # the block opened after a sentence end

    def add(self, width: float | None, standalone: bool = False, text: str = "") -> None:
        """Count one line: its width in cells, or None for a blank line; whether it is
        a caption or credit (``standalone``), and its text."""
        if width is None:
            if self._block_start >= 0:
                self._close()
        else:
            if self._block_start < 0:
                self._block_start = self._line
                self._after_end = (not self._text or ends_sentence(self._text)
                                   or is_headline_like(self._text))
            if self._last is not None:
                self._block[math.floor(self._last + 0.5)] += 1
                self._block_inner += 1
            self._last = None if standalone else width
            self._block_long &= width >= TOL.long_line
            self._text = text
        self._line += 1

    def _close(self) -> None:
        block = self._measure()
        self._block_start, self._last = -1, None
        self._block.clear()
        self._block_inner = 0
        self._block_long = True
        self._since.append(block)
        longs = sum(b.long for b in self._since)
        if block.long:
            if self._width is not None and longs >= TOL.region_long_blocks:
                self._open(self._width, long_blocks=True)
                self._width = None
        elif block.measured:
            assert block.width is not None
            if self._width is None:
                if longs >= TOL.region_long_blocks:
                    self._open(None, long_blocks=False)
                self._width = block.width
            elif self._differs(block.width, self._width):
                self._open(self._width, long_blocks=False)
                self._width = block.width
            self._since.clear()
            self._since.append(block)

    @staticmethod
    def _differs(width: float, region: float) -> bool:
        return abs(width - region) > max(TOL.region_width_change,
                                         TOL.region_width_ratio * region)

    def _open(self, old: float | None, *, long_blocks: bool) -> None:
        """Open a region in the blocks since the last measured one (that block first)."""
        blocks = list(self._since)
        new = blocks[-1]
        keep = 1  # the old region's last measured block stays in it
        for k, b in enumerate(blocks[1:-1], 1):
            if long_blocks and b.long:
                break  # the run of long blocks opens the new region
            if b.long if old is None else (
                    b.width is not None and not self._differs(b.width, old)
                    and (new.width is None or self._differs(b.width, new.width))):
                keep = k + 1
        for b in blocks[keep:]:
            if b.after_end:
                if b.start > self.starts[-1]:
                    self.starts.append(b.start)
                return

    def _measure(self) -> _Block:
        counts, inner = self._block, self._block_inner
        width: float | None = None
        measured = False
        if inner:
            mode = max(counts, key=lambda w: (counts[w], w))
            near = sum(k for w, k in counts.items()
                       if mode - TOL.indent <= w <= mode + TOL.hang)
            width = float(mode)
            measured = (inner >= TOL.region_block_lines
                        and near >= TOL.width_share * inner)
        return _Block(self._block_start, width, measured, self._block_long,
                      self._after_end)

    def result(self) -> tuple[int, ...]:
        """The line numbers (from 0) where the regions begin, the first at 0."""
        if self._block_start < 0:
            return tuple(self.starts)
        final = copy.deepcopy(self)
        final._close()
        return tuple(final.starts)


class LayoutEvidence:
    """What the document says about itself, gathered line by line in document order.

    Feed it every line of the document (:meth:`add`, in order, in as many calls as you
    like), then read the :class:`Layout` (:meth:`layout`). It holds counts, not text, so
    a document of any size can be measured in one streaming pass; the counts are the
    same whether the document arrives whole or in pieces.

    Two readings are kept side by side, because which one holds is known only at the
    end: lines as they stand, and lines cut at column-break spaces.

    Where the compiled engine is built (textclean.engine), it counts the lines (its
    ``LayoutFeatures``) and decides the layout from its counts; ``compiled=False``
    counts them here, and :meth:`layout_reference` decides, in Python: the
    specification it follows.
    """

    def __init__(self, *, compiled: bool = True) -> None:
        engine_module = engine.compiled() if compiled else None
        self._compiled: _engine.LayoutFeatures | None = (
            None if engine_module is None else engine_module.LayoutFeatures(TOL))
        self._synced = False  # the engine's counts are in the fields below
        if self._compiled is not None:
            return  # the engine counts: the fields are read from it (_sync)
        self._blocks = 0
        self._in_block = False
        self._block_lines = 0
        self._open_gaps = 0  # blank lines between blocks, after one that stops mid-sentence
        self._stopped_mid_sentence = False
        self._cut: VisualLine | None = None  # the last line before such a blank line
        self._segment_widths: Counter[int] = Counter()   # inner column-space segments
        self._n_segments = 0
        self._names: Counter[str] = Counter()
        self._indented = 0
        # Reading 1: each line is one visual line.
        self._widths: Counter[int] = Counter()           # inner lines of blocks
        self._n_inner = 0
        self._ends: Counter[float] = Counter()           # inner lines that end a sentence
        self._commas: Counter[float] = Counter()         # inner lines that end at a comma
        #: unindented lines after a sentence end: (the line before's width, the line's
        #: width), in half cells
        self._after_end: Counter[tuple[int, int, int]] = Counter()
        #: the text's first line's widths, as in _after_end
        self._first_widths = (-1, -1)
        #: inner lines that stop mid-sentence with clause punctuation inside (prose,
        #: not a headline)
        self._prose_inner = 0
        #: inner lines that stop mid-sentence and are no headline: lines of running
        #: text (prose with clause marks, Latin prose)
        self._running_inner = 0
        #: inner lines with Latin letters or digits: (width, width counting them a
        #: whole cell), in half cells
        self._latin_lines: Counter[tuple[int, int]] = Counter()
        self._block_end: VisualLine | None = None  # the last line of the block before
        self._n_lines = 0
        self._pending: VisualLine | None = None
        # Reading 2: lines cut at column-break spaces.
        self._seg_ends: Counter[float] = Counter()
        self._n_seg_lines = 0
        self._seg_pending: VisualLine | None = None
        self._regions = _RegionTracker()

    def add_text(self, chunk: str) -> None:
        """Count the lines of a chunk (:func:`~textclean.document.lines_of`) that
        follow those counted before: ``add(lines_of(chunk))``, which the engine reads
        without a string per line."""
        if self._compiled is not None:
            self._synced = False
            try:
                self._compiled.add_text(chunk)
            except UnicodeEncodeError:
                pass  # a lone surrogate: add() reads it as U+FFFD
            else:
                return
        self.add(lines_of(chunk))

    def add(self, lines: Iterable[str]) -> None:
        """Count lines (without their line breaks) that follow those counted before."""
        if self._compiled is not None:
            self._synced = False
            batch = lines if isinstance(lines, list) else list(lines)
            try:
                self._compiled.add(batch)
            except UnicodeEncodeError:
                # A lone surrogate has no UTF-8 form. Every feature treats it as it
                # treats U+FFFD (one cell, no class): only the stored lines' text differs.
                self._compiled.add([_SURROGATE.sub("\ufffd", line) for line in batch])
            return
        for line in lines:
            self._add(line)

    def counts(self) -> dict[str, object]:
        """The counts :meth:`layout` reads, by field: counters as dicts, visual lines
        as tuples (what the compiled engine and Python must agree on)."""
        if self._compiled is not None:
            self._sync()
        out: dict[str, object] = {}
        for name in _COUNTED:
            value = getattr(self, name)
            if isinstance(value, Counter):
                value = dict(value)
            elif isinstance(value, VisualLine):
                value = astuple(value)
            out[name] = value
        return out

    def _sync(self) -> None:
        """Read the compiled engine's counts into the fields :meth:`layout` reads."""
        assert self._compiled is not None
        if self._synced:
            return
        self._synced = True
        for name, value in self._compiled.counts().items():
            if isinstance(value, dict):
                setattr(self, name, Counter(value))
            elif isinstance(value, tuple) and name in ("_pending", "_block_end"):
                setattr(self, name, VisualLine(*value))
            else:
                setattr(self, name, value)

    def _add(self, line: str) -> None:
        text = line.strip()
        if not text:
            self._regions.add(None)
            if self._in_block and (last := self._pending) is not None:
                self._stopped_mid_sentence = not (
                    ends_sentence(last.text)
                    or (self._block_lines == 1 and is_headline_like(last.text)))
                self._cut = last if self._stopped_mid_sentence else None
            self._in_block = False
            if self._pending is not None:
                self._block_end = self._pending
            self._pending = self._seg_pending = None
            return
        if not self._in_block:
            self._in_block = True
            if self._blocks and self._stopped_mid_sentence:
                self._open_gaps += 1
                if (cut := self._cut) is not None:
                    # A page break cut the text mid-sentence: the line before it was
                    # a line of the column, as an inner line is.
                    _count_width(self._widths, cut.width + cut.indent, cut.text)
                    self._n_inner += 2
            self._blocks += 1
            self._block_lines = 0
        self._block_lines += 1
        _count_label(self._names, text)
        standalone = is_standalone_line(text)
        segs = [text] if standalone else _segments(text)
        if len(segs) >= 3:
            for seg in segs[1:-1]:
                _count_width(self._segment_widths, cells(seg), seg)
            self._n_segments += 2 * (len(segs) - 2)
        vls = _visual_lines(line, text, segs)
        whole = vls[0] if len(vls) == 1 else VisualLine(text, vls[0].indent, cells(text))
        self._regions.add(whole.width + whole.indent, standalone, text)
        if whole.indent > 0:
            self._indented += 1
        # The line's width in half cells, without a mark hanging at its end.
        widths = int(2 * whole.width), int(2 * (whole.width - _hanging(text)))
        if self._block_lines == 1 and not whole.indent and not standalone:
            end = self._block_end
            if end is None and not self._n_lines:
                # The text's first line opens a paragraph (as if after an empty one).
                self._after_end[0, widths[0], widths[1]] += 1
                self._first_widths = widths
            elif (end is not None and ends_sentence(end.text)
                  and not is_standalone_line(end.text)):
                # A block that opens after one that ended a sentence opens a paragraph.
                before = int(2 * (end.width + end.indent))
                self._after_end[before, widths[0], widths[1]] += 1
        if (prev := self._pending) is not None and not is_standalone_line(prev.text):
            # A caption or credit line is set whole, never wrapped: its width says
            # nothing about the column's.
            full = prev.width + prev.indent
            _count_width(self._widths, full, prev.text)
            self._n_inner += 2
            if ends_sentence(prev.text):
                # A block's first line had two cells less room (a stripped indent):
                # at that width it is full, not a short line that ends a paragraph.
                first = self._block_lines == 2 and not prev.indent
                self._ends[full + 2 if first else full] += 1
                if not whole.indent and not standalone:
                    self._after_end[int(2 * full), widths[0], widths[1]] += 1
            elif prev.text[-1] in _MID_CLAUSE:
                self._commas[full] += 1
            if not ends_sentence(prev.text):
                if _CLAUSE_PUNCT.search(prev.text):
                    self._prose_inner += 1
                    self._running_inner += 1
                elif not _STRONG.search(prev.text) or prev.width > TOL.long_line:
                    self._running_inner += 1  # Latin prose, or too long for a headline
            if (not ends_sentence(prev.text) and not _hanging(prev.text)
                    and _HALF_WIDTH_ALNUM.search(prev.text)):
                alnum = len(_HALF_WIDTH_ALNUM.findall(prev.text))
                self._latin_lines[int(2 * full), int(2 * full + alnum)] += 1
        self._pending = whole
        self._n_lines += 1
        for vl in vls:
            if (prev := self._seg_pending) is not None and ends_sentence(prev.text):
                self._seg_ends[prev.width + prev.indent] += 1
            self._seg_pending = vl
        self._n_seg_lines += len(vls)

    def regions(self) -> tuple[int, ...]:
        """Where the regions of the lines counted so far begin (line numbers from 0):
        articles set at other column widths, each to be measured on its own."""
        if self._compiled is not None:
            return tuple(self._compiled.regions())
        return self._regions.result()

    def layout(self) -> Layout:
        """The layout the lines counted so far show (decided by the engine, where it
        counts, as :meth:`layout_reference` decides)."""
        if self._compiled is not None:
            (width, blank_separated, indented, column_spaces, speakers, room, latin_half,
             in_sentences) = self._compiled.layout()
            return Layout(width, blank_separated, indented, column_spaces, frozenset(speakers),
                          room, latin_half, in_sentences)
        return self.layout_reference()

    def layout_reference(self) -> Layout:
        """The layout the lines counted so far show, decided in Python from the counts."""
        if self._compiled is not None:
            self._sync()
        seg_width = _mode_width(self._segment_widths, self._n_segments)
        if seg_width is not None and seg_width < TOL.min_segment_width:
            seg_width = None
        if seg_width is not None:
            width: float | None = seg_width
            ends, n_lines = self._seg_ends, self._n_seg_lines
        else:
            width = _mode_width(self._widths, self._n_inner)
            last = self._pending or self._block_end
            if width is None and last is not None and ends_sentence(last.text):
                # (A wrapped paragraph ends at its sentence end; a headline block
                # ends in a byline.)
                width = _short_text_width(self._widths, self._n_inner, self._ends,
                                          self._prose_inner, self._first_widths)
            ends, n_lines = self._ends, self._n_lines
        # Blank lines that may end a paragraph: not those after a block that stops
        # mid-sentence (a page or column break), however many there are.
        gaps = self._blocks - 1 - self._open_gaps
        # Inner lines of blocks that end a sentence and are short (any, when no width
        # shows): where blank lines separate paragraphs, few lines inside a block do.
        inner_ends = sum(n for w, n in ends.items() if width is None or w <= width - 2)
        blank_separated = gaps >= 2 and inner_ends <= TOL.blank_end_share * gaps
        if (seg_width is None and width is not None and not blank_separated
                and _ends_sentences(ends, self._widths, width)
                and not _near(self._commas, width)):
            # Without blank lines to show paragraphs, lines of about one width that
            # mostly end a sentence are short paragraphs alike, not full lines of a
            # column: those end mid-sentence. Unless one of them stops at a comma,
            # where no paragraph ends: that line was wrapped.
            width = None
        if seg_width is None and width is not None and not self._running_inner:
            # No line inside a block stops mid-sentence as a wrapped line of running
            # text does: lines that end their sentences, and headlines, are
            # paragraphs a line, whatever their widths.
            width = None
        # Indentation marks paragraph starts only where some lines have it and most don't
        # (a margin in front of every line says nothing).
        indented = (2 <= self._indented <= TOL.indented_share * n_lines) and not blank_separated
        room = (width is not None and not indented
                and _first_lines_short(self._after_end, width))
        latin_half = width is not None and _latin_in_half_cells(self._latin_lines, width)
        in_sentences = (self._open_gaps >= TOL.min_first_lines
                        and self._open_gaps >= TOL.open_gap_share * (self._blocks - 1))
        return Layout(width, blank_separated, indented, seg_width is not None,
                      _speakers(self._names), room, latin_half, in_sentences)


_SURROGATE = cd.compile("[\ud800-\udfff]")

#: The fields of LayoutEvidence that :meth:`LayoutEvidence.layout` reads.
_COUNTED = ("_blocks", "_open_gaps", "_segment_widths", "_n_segments", "_names", "_indented",
            "_widths", "_n_inner", "_ends", "_commas", "_after_end", "_first_widths",
            "_prose_inner", "_running_inner", "_latin_lines", "_block_end", "_n_lines",
            "_pending", "_seg_ends", "_n_seg_lines")


def _short_text_width(counts: Counter[int], n: int, ends: Counter[float],
                      prose: int, first: tuple[int, int] = (-1, -1)) -> float | None:
    """The column width of a text too short for :func:`_mode_width` (a pipeline's one
    or two paragraphs), if its lines show one.

    Two or more inner lines (half-votes in ``counts``, ``n`` of them) are evidence
    enough when every one is about one width (a first line may be two cells short,
    by its stripped indent), but for short ones that end a sentence (a paragraph's
    end, in ``ends``), at least one stops mid-sentence with clause punctuation in it
    (``prose``: not a list of headlines or verse), and at most a third of them end
    a sentence: where each line is a paragraph, lines end their sentences. Two
    lines at least must agree on the width itself, or one and the text's first line
    at a first line's room (``first``, its widths in half cells with and without a
    hanging mark: a stripped indent).
    """
    if not TOL.short_text_votes <= n < TOL.measured_votes or not prose:
        return None
    mode = max(counts, key=lambda w: (counts[w], w))
    # About the width: one cell wider (a hanging mark), two narrower (a stripped
    # indent) and one more for a first line's hanging mark. Only a paragraph's end,
    # short and at a sentence end, may be narrower.
    low = mode - TOL.indent - TOL.hang
    near = sum(k for w, k in counts.items() if low <= w <= mode + TOL.hang)
    at_mode = sum(k for w, k in counts.items() if mode - TOL.hang <= w <= mode + TOL.hang)
    if first[0] >= 0 and _at_room(*first, mode):
        at_mode += 2  # the first line agrees, two cells short
    ends_short = sum(k for w, k in ends.items() if w < low)
    if (at_mode < TOL.short_text_agree or n - near > 2 * ends_short
            or mode < TOL.short_text_min_width):
        return None
    if 3 * sum(ends.values()) > n / 2:
        return None
    return float(mode)




def _latin_in_half_cells(latin_lines: Counter[tuple[int, int]], width: float) -> bool:
    """Whether inner lines with Latin letters or digits fill the column ``width`` when
    those count half a cell, and not when they count a whole one (``latin_lines``
    counts such lines by both widths, in half cells)."""
    half = whole = 0
    for (as_half, as_whole), n in latin_lines.items():
        half += n * (abs(as_half - 2 * width) <= 1)
        whole += n * (abs(as_whole - 2 * width) <= 1)
    return half > whole


def _first_lines_short(after_end: Counter[tuple[int, int, int]], width: float) -> bool:
    """Whether paragraphs open with a line two cells short of the column ``width``.

    ``after_end`` counts the unindented lines after a line that ends a sentence, by
    the width of the line before and the line's own, with and without a mark hanging
    at its end (in half cells). Inside a justified paragraph every line is full, so a
    line two cells short after a sentence end is a first line that lost its indent;
    after a short line that ends a sentence (a paragraph's end) a full line is a
    first line set without one. Where the first outnumber the second two to one, the
    dump dropped the indents.
    """
    room = full = 0
    for (before, line, trimmed), n in after_end.items():
        if _at_room(line, trimmed, width):
            room += n
        elif (abs(trimmed - 2 * width) <= 2 * TOL.hang
              and before <= 2 * (width - TOL.paragraph_end_short)):
            full += n
    return room >= TOL.min_first_lines and room >= 2 * full


def _at_room(line: int, trimmed: int, width: float) -> bool:
    """Whether a line of these widths (in half cells, with and without a hanging mark)
    is as wide as a first line whose indent was dropped."""
    room = 2 * (width - TOL.indent)
    return min(abs(line - room), abs(trimmed - room)) <= 2 * TOL.indent_slack



def _ends_sentences(ends: Counter[float], counts: Counter[int], width: float) -> bool:
    """Whether two thirds or more of the inner lines of about ``width`` end a sentence.

    In a column, few full lines end a sentence (about 2% in the samples); in a short,
    repetitive text, half of them may by chance.

    ``ends`` counts the inner lines that end a sentence by width; ``counts`` all inner
    lines, in half-votes (:func:`_count_width`).
    """
    return 3 * _near(ends, width) >= 2 * _near(counts, width) / 2


def measure(lines: Iterable[str]) -> Layout:
    """The layout of a document given as its lines.

    >>> measure(['第一段。', '第二段。']).width is None
    True
    """
    evidence = LayoutEvidence()
    evidence.add(lines)
    return evidence.layout()


_GAP = None


#: Lines read at a time into visual lines (a document streams through in batches).
_TOKEN_BATCH = 1024


def _tokens(lines: Iterable[str], layout: Layout,
            first_line: int = 0) -> Iterator[VisualLine | None]:
    """The visual lines of the document, with one ``None`` for each run of blank lines
    (numbered from ``first_line``). Made compiled where the engine is built
    (textclean.engine), as :func:`_tokens_batch` makes them."""
    compiled = engine.compiled()
    gap = True  # leading blank lines open nothing
    lines = iter(lines)
    number = first_line
    while batch := list(islice(lines, _TOKEN_BATCH)):
        items: list[VisualLine | None] | None = None
        if compiled is not None:
            with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: in Python
                made, gap_after = compiled.visual_tokens(
                    batch, column_spaces=layout.column_spaces, first_line=number, gap=gap)
                items = [None if item is None else VisualLine(*item) for item in made]
        if items is None:
            items, gap_after = _tokens_batch(batch, layout.column_spaces, number, gap)
        gap = gap_after
        number += len(batch)
        yield from items


def _tokens_batch(lines: list[str], column_spaces: bool, first_line: int,
                  gap: bool) -> tuple[list[VisualLine | None], bool]:
    """The visual lines of ``lines`` (numbered from ``first_line``) with one ``None``
    for each run of blank lines, and whether they end in such a run; ``gap`` says
    that the lines before did (or that there were none). The specification of the
    engine's visual_tokens."""
    out: list[VisualLine | None] = []
    for number, line in enumerate(lines, first_line):
        text = line.strip()
        if not text:
            if not gap:
                gap = True
                out.append(_GAP)
            continue
        gap = False
        # A caption or credit line is never wrapped: its spaces are no column breaks.
        cut = column_spaces and not is_standalone_line(text)
        segs = _segments(text) if cut else [text]
        out.extend(_visual_lines(line, text, segs, number))
    return out, gap


# --- Decisions ------------------------------------------------------------------------------


def _standalone(vl: VisualLine) -> bool:
    """A caption or credit line: always a paragraph of its own."""
    return is_standalone_line(vl.text)


@lru_cache(maxsize=1 << 13)  # pure, and asked of each line several times
def is_standalone_line(text: str) -> bool:
    """A caption (opened by ▲ and the like), a credit line or a byline: never part of a
    paragraph.

    >>> is_standalone_line('本报记者孙静'), is_standalone_line('他告诉记者孙静')
    (True, False)
    """
    return (text[:1] in cd.CAPTION_MARKS or is_credit_line(text)
            or (("记者" in text or "通讯员" in text) and _BYLINE.match(text) is not None))


_BYLINE = cd.compile(cd.BYLINE)


def _is_short(vl: VisualLine, width: float, *, first: bool) -> bool:
    """Shorter than a full column line (a first line may be short by its stripped indent)."""
    slack = TOL.short + TOL.indent if first and not vl.indent else TOL.short
    # Punctuation that may not open a line hangs past the column's end (or squeezes
    # in): it does not count towards how full the line is.
    return vl.width + vl.indent - _hanging(vl.text) <= width - slack


def decide_within_block(prev: VisualLine, nxt: VisualLine, after: VisualLine | None,
                        layout: Layout, *, prev_is_first: bool,
                        prev_standalone: bool, after2: VisualLine | None = None) -> Decision:
    """Whether a line break without a blank line goes on with the paragraph, and why.

    ``after`` is the line after ``nxt`` in the block (None at the block's end), and
    ``after2`` the one after that (across a blank line);
    ``prev_standalone`` says that ``prev`` was found to be a line of its own (a
    headline), so the text after it starts a new paragraph. The clauses are tried in
    order; the first that applies decides, and its name comes with the decision.
    """
    width = layout.width
    if credit_goes_on(prev, nxt):
        return _join("credit_goes_on")
    if width is not None and caption_goes_on(prev, nxt, width):
        return _join("caption_goes_on")
    if _standalone(prev) or _standalone(nxt):
        return _break("standalone_line")
    if "摄" in prev.text and _CREDIT_ENDS_CAPTION.search(prev.text):
        return _break("credit_ends_caption")
    if (width is not None and prev_is_first and not nxt.joined
            and title_goes_on(prev, nxt, after, width)):
        return _join("title_goes_on")
    if prev_standalone:
        return _break("after_standalone_headline")
    if is_subtitle_after_title(prev, nxt, layout, prev_first=prev_is_first, after=after):
        return _break("is_subtitle_after_title")
    if nxt.text[0] in _CONTINUATION_START:
        return _join("opens_with_closing_mark")
    if nxt.joined and not (ends_sentence(prev.text)
                           and starts_turn(nxt.text, layout.speakers)):
        # A column-break space: the dump set each paragraph on a line of its own, so
        # a headline, or a paragraph's end, would have kept a line of its own. Only
        # a turn may have run on after a sentence end (a lost turn break).
        return _join("column_break_space")
    if (width is not None and layout.first_line_room and not nxt.joined
            and opens_without_indent(
                prev, nxt, after, width, after2=after2,
                short=_is_short(prev, width, first=prev_is_first),
                latin_in_half_cells=layout.latin_in_half_cells)):
        return _break("opens_without_indent")
    if layout.blank_separated:
        # Blank lines separate paragraphs, so a line break inside a block is a wrap;
        # but a headline set atop its paragraph without a blank line is a block's
        # short first line, which a wrapped paragraph never has (unless a carried
        # word left it short).
        # So is a short line that ends a sentence: a paragraph's end whose blank
        # line was lost.
        if width is None or _CARRIED_WORD.match(nxt.text) or _left_short_by_carry(
                prev, nxt, width, first=prev_is_first, after_sentence=True):
            return _join("blank_separated_wrap")
        if ends_sentence(prev.text):
            if _is_short(prev, width, first=prev_is_first):
                return _break("blank_line_lost")
            return _join("blank_separated_wrap")
        if (prev_is_first and _is_headline_line(prev, width)
                and not _DATELINE.search(prev.text)):
            return _break("headline_atop_block")
        return _join("blank_separated_wrap")
    if layout.column_spaces and not nxt.joined and ends_sentence(prev.text):
        # Column breaks became spaces, so a line holds a paragraph: a line break after
        # a sentence end is a paragraph's.
        return _break("line_holds_paragraph")
    if width is None:
        # No column width: each line is a paragraph (a long-line dump, or text that
        # is already canonical). A line that stops mid-sentence may have lost its end:
        # nothing says the next line continues it.
        return _break("no_column_width")
    if layout.indented and nxt.indent > 0:
        return _break("indent_opens_paragraph")
    short = _is_short(prev, width, first=prev_is_first)
    turn = starts_turn(nxt.text, layout.speakers)
    if (turn and not (short or ends_sentence(prev.text)) and is_headline_like(prev.text)
            and not layout.indented and opens_label_line(prev, nxt, width)):
        return _join("opens_label_line")
    if turn and (short or ends_sentence(prev.text)
                 # Where indents open paragraphs, a turn would be indented: a full line
                 # before an unindented label is the label's own beginning.
                 or (is_headline_like(prev.text) and not layout.indented)):
        return _break("turn_label")
    if (layout.indented and not nxt.indent and ends_sentence(prev.text)
            and not is_headline_like(nxt.text)):
        # Where indents open paragraphs, an unindented line of text after a sentence
        # end goes on with the paragraph, even after a line that looks short (a
        # hanging mark, a number that took less room).
        return _join("unindented_goes_on")
    if short and (ends_sentence(prev.text) or not (
            _CARRIED_WORD.match(nxt.text) or prev.text[-1] in _MID_CLAUSE
            or _left_short_by_carry(prev, nxt, width, first=prev_is_first))):
        # A line inside a paragraph is full; a short one ended its paragraph (unless a
        # Latin word or number too long for the line was carried over, with the
        # opening mark before it, which may not end a line; or an opening mark with
        # the character after it, which did not fit; or the line stops at a comma,
        # where no paragraph ends: an opening mark after it was carried).
        return _break("short_line_ends")
    if _is_headline_line(prev, width):
        return _break("headline_line")
    if is_headline_like(prev.text) and _is_wide_headline(nxt, width):
        # No column line runs on into a headline set wider than the column.
        return _break("headline_follows")
    if ends_sentence(prev.text) and is_standalone_headline(nxt, after, layout, after2):
        return _break("is_standalone_headline")
    return _join("full_line_goes_on")


def title_goes_on(prev: VisualLine, nxt: VisualLine, after: VisualLine | None,
                  width: float) -> bool:
    """Whether a title wrapped at the width of its headline, over two lines of one
    block, goes on on the second.

    The first line opens its block and is set wider than the column by far
    (:attr:`Tolerances.headline_wider`: across columns); the second is no wider, and
    both are headline-like (no sentence punctuation), neither a sub-title, byline or
    dateline. The second closes the title: the block ends after it, or a sub-title
    or byline follows. A kicker over its title is narrower than the title (it does
    not go on); a deck under it has punctuation.

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> title_goes_on(vl('各地抢抓农时扎实推进春耕备耕工作确保'), vl('粮食生产开好局'),
    ...               None, 14.0)
    True
    >>> title_goes_on(vl('春耕生产'), vl('各地抢抓农时扎实推进春耕备耕工作确保'), None, 14.0)
    False
    """
    if prev.width + prev.indent < width + TOL.headline_wider or nxt.width > prev.width:
        return False
    if not (_is_headline_line(prev, width) and is_headline_like(nxt.text)):
        return False
    if (nxt.text.startswith(cd.SUBTITLE_DASH) or _standalone(nxt)
            or _BYLINE.match(nxt.text) or _DATELINE.search(prev.text + nxt.text)):
        return False
    return after is None or after.text.startswith(cd.SUBTITLE_DASH) or bool(
        _BYLINE.match(after.text)) or _standalone(after)


def opens_label_line(prev: VisualLine, nxt: VisualLine, width: float) -> bool:
    """Whether ``prev``, a line without punctuation before a turn label, is the
    beginning of that label: a full first line whose indent the dump dropped, two
    cells short of the column, and with the label a reporter's of an outlet's length
    (``中央广播电视总台`` + ``央视记者：…``; a sub-heading set over a turn makes a
    longer one).

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> opens_label_line(vl('中央广播电视总台'), vl('央视记者：您如何评价'), 10.0)
    True
    >>> opens_label_line(vl('坚持开放合作'), vl('新华社记者：中方如何'), 10.0)
    False
    """
    room = width - TOL.indent
    if prev.indent or abs(prev.width - room) > TOL.indent_slack:
        return False
    m = _LONG_REPORTER_LABEL_RE.match(prev.text + nxt.text.lstrip(cd.HSPACE))
    return m is not None and len(m.group(1)) <= TOL.longest_outlet


_LONG_REPORTER_LABEL_RE = cd.compile(
    rf"^((?:《[^》\n]{{1,20}}》|[\p{{Han}}A-Za-z0-9·]){{1,40}}?)记者{_HSPACE}*[:：]")


def opens_without_indent(prev: VisualLine, nxt: VisualLine, after: VisualLine | None,
                         width: float, *, short: bool,
                         after2: VisualLine | None = None,
                         latin_in_half_cells: bool = False) -> bool:
    """Whether ``nxt`` is a paragraph's first line whose indent the dump dropped.

    A full line ends a sentence and the next line is two cells short of the column
    (the indent's room; a closing comma may hang past it), stops mid-sentence (or
    ends a sentence with a full line after it in the block), and is
    not short only because the word after it did not fit (a line with Latin letters
    or digits only where the column set them in half a cell,
    ``latin_in_half_cells``: else it may be full): a line inside a justified
    paragraph is full, so this one is the first of a paragraph set two cells in. A
    line must go on with it: ``after``, or past a column break ``after2``, a full line
    of the column (a paragraph that lost its end is not taken for a first line).
    ``short`` says whether ``prev`` is short.

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> opens_without_indent(vl('主义，注定没有前途。'), vl('我们在坚持资源全'),
    ...                      vl('球合理配置、确保最佳'), 10.0, short=False)
    True
    >>> opens_without_indent(vl('主义，注定没有前途。'), vl('我们在坚持资源全球'),
    ...                      vl('合理配置、确保最佳'), 10.0, short=False)
    False
    >>> opens_without_indent(vl('主义，注定没有前途。'), vl('我们在坚持资源全'), None,
    ...                      10.0, short=False)
    False
    """
    if short or nxt.indent or not ends_sentence(prev.text):
        return False
    if not latin_in_half_cells and _HALF_WIDTH_ALNUM.search(nxt.text):
        return False
    if not _at_first_line_room(nxt, width):
        return False
    goes_on = after if after is not None else after2
    if goes_on is None or goes_on.indent or _is_short(goes_on, width, first=False):
        return False
    if ends_sentence(nxt.text) and (after is None or _at_first_line_room(goes_on, width)):
        # A line that ends a sentence may be the last of the paragraph before; then a
        # first line two cells short would follow it. A full line, in its block,
        # goes on with it: it opened a paragraph (生命至上，救人第一。 + 支持…).
        return False
    return not (_CARRIED_WORD.match(goes_on.text) or _left_short_by_carry(nxt, goes_on, width))


_HALF_WIDTH_ALNUM = cd.compile_class("[0-9A-Za-z]")


def is_standalone_headline(vl: VisualLine, after: VisualLine | None, layout: Layout,
                           after2: VisualLine | None = None) -> bool:
    """Whether a headline-like line that follows a sentence end is a line of its own.

    It is when its width is not a column line's, or when what follows it opens a
    paragraph (an indented or short first line, a turn label, a caption, another
    headline, or a blank line): a body paragraph's first line would be followed by
    its continuation instead. ``after2``, the line after ``after`` (across a blank
    line), tells a short line left so by a carried word from one that ends a title.
    """
    width = layout.width
    if width is None or not is_headline_like(vl.text) or (layout.indented and vl.indent):
        return False
    if after is not None and after.joined:
        # A segment before a column-break space of its line: the line runs on (in a
        # column-space dump a line holds one paragraph, so a headline has its own).
        return False
    if _is_headline_line(vl, width) or after is None:
        return True
    return (
        (layout.indented and after.indent > 0)
        or (starts_turn(after.text, layout.speakers)
            and not opens_label_line(vl, after, width))
        or _standalone(after)
        or _is_headline_line(after, width)
        or (_is_short(after, width, first=False) and not ends_sentence(after.text)
            and not (after2 is not None and _left_short_by_carry(after, after2, width)))
    )


def caption_goes_on(prev: VisualLine, nxt: VisualLine, width: float) -> bool:
    """Whether a caption opened by its mark (``▲…``) was wrapped onto ``nxt``.

    The caption's line is a full column line that stops mid-sentence, and the next
    line is neither indented nor a caption, credit or turn of its own: a caption
    set whole would have ended there.

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> caption_goes_on(vl('▲5月24日，国务委员兼外'), vl('交部长王毅回答记者提问。'), 11.0)
    True
    >>> caption_goes_on(vl('▲图为施工现场'), vl('交部长王毅回答记者提问。'), 11.0)
    False
    """
    if prev.text[:1] not in cd.CAPTION_MARKS or ends_sentence(prev.text) or nxt.indent:
        return False
    return not (_is_short(prev, width, first=False) or _standalone(nxt))


def credit_goes_on(prev: VisualLine, nxt: VisualLine) -> bool:
    """Whether a credit line is the end of a credit that the line before began.

    A caption's credit wrapped at the column's end (``…系统。本报记者`` + ``陈思远摄``):
    what ``prev`` holds after its last sentence end names who took the picture, and
    with ``nxt`` it makes a credit line; ``nxt`` names no one by itself, or its
    outlet or role began on ``prev`` (``本`` + ``报记者陈思远摄``). A credit of its
    own (``新华社记者李鑫摄``) stays a line of its own.

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> credit_goes_on(vl('体验全自动运行系统。本报记者'), vl('陈思远摄'))
    True
    >>> credit_goes_on(vl('推动'), vl('新华社记者李鑫摄'))
    False

    The break may also fall inside the outlet or the role:

    >>> credit_goes_on(vl('体验全自动运行系统。本'), vl('报记者陈思远摄'))
    True
    >>> credit_goes_on(vl('中心点火升空。新华社记'), vl('者汪江波摄'))
    True
    """
    if not is_credit_line(nxt.text) or ends_sentence(prev.text):
        return False
    tail = _AFTER_SENTENCE_END.search(prev.text)
    if tail is None or not tail.group():
        return False
    if not _CREDIT_AGENT.search(nxt.text) and _CREDIT_AGENT.search(tail.group()):
        return is_credit_line(tail.group() + nxt.text)
    # The break fell inside the outlet or the role (…系统。本 + 报记者陈思远摄): the
    # credit straddles it, and the line after holds no whole credit of its own.
    if _BYLINE_START.match(nxt.text):
        return False
    m = _SPLIT_CREDIT.search(tail.group() + nxt.text)
    return m is not None and m.start() < len(tail.group())


_CREDIT_AGENT = cd.compile(cd.CREDIT_AGENTS)
#: A caption's last sentence and its credit (…系统。本报记者陈思远摄): the caption ends.
_CREDIT_ENDS_CAPTION = cd.compile(f"[。！？](?:{cd.BYLINE_BODY})摄$")
#: A photo credit that names its outlet or role (本报记者陈思远摄), at a text's end.
_SPLIT_CREDIT = cd.compile(f"(?:{cd.BYLINE_BODY})摄$")
#: A line that opens with a whole outlet or role and who it is (新华社记者李鑫…).
_BYLINE_START = cd.compile(cd.BYLINE_BODY)
#: What a line holds after its last sentence end (or all of it).
_AFTER_SENTENCE_END = cd.compile(r"[^。！？；]*$")


def is_subtitle_after_title(prev: VisualLine, nxt: VisualLine, layout: Layout, *,
                            prev_first: bool = False,
                            after: VisualLine | None = None) -> bool:
    """Whether ``nxt`` is a headline block's sub-title line under its title ``prev``.

    It opens with ``——`` and, like the title above it, has no clause punctuation; one
    of the two is not a column line's width, or no column width shows, or a byline
    follows (``after``), or the title opens its paragraph (``prev_first``) where the
    dump dropped the indents, and is not as wide as such a first line. A column line that opens
    with a dash which could not end the line before goes on with it.

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> lay = lambda w: Layout(w, False, False, False, frozenset())
    >>> is_subtitle_after_title(vl('秋粮收获进度过七成'), vl('——来自东北产粮区的调查'), lay(None))
    True
    >>> is_subtitle_after_title(vl('我们要坚持一个原则'), vl('——独立自主'), lay(9.0))
    False
    """
    if not nxt.text.startswith(cd.SUBTITLE_DASH):
        return False
    if not (is_headline_like(prev.text) and is_headline_like(nxt.text)):
        return False
    width = layout.width
    if width is None or _is_headline_line(prev, width) or _is_headline_line(nxt, width):
        return True
    if after is not None and _BYLINE.match(after.text):
        return True  # the byline under it closes the headline block
    return (prev_first and layout.first_line_room and not prev.indent
            and not _at_first_line_room(prev, width))


def _is_wide_headline(vl: VisualLine, width: float) -> bool:
    """A headline-like line set wider than the column by far (across columns)."""
    hanging = len(vl.text) - len(vl.text.rstrip(_CONTINUATION_START))
    return (is_headline_like(vl.text)
            and vl.width + vl.indent - hanging >= width + TOL.headline_wider)


def _is_headline_line(vl: VisualLine, width: float) -> bool:
    """A headline-like line whose width is not a column line's, nor a first line's.

    A first line whose indent was stripped is short by about two cells and may well
    have no punctuation yet; a headline is set in its own width. Marks that may not
    open a line hang past the column's end, however many (”——): a line is wider
    than the column only without them.
    """
    full = vl.width + vl.indent
    hanging = len(vl.text) - len(vl.text.rstrip(_CONTINUATION_START))
    return is_headline_like(vl.text) and (full <= width - TOL.headline_narrower
                                          or full - hanging >= width + TOL.headline_wider)


def decide_across_gap(p: VisualLine, n: VisualLine, layout: Layout, *,
                      p_alone: bool, n_alone: bool, p_first: bool,
                      n_next: VisualLine | None = None) -> Decision:
    """Whether the text goes on across a blank line (a page or column break), and why.

    ``p`` is the last line before the blank line and ``n`` the first one after it;
    ``p_alone`` and ``n_alone`` say that each is the only line of its block, and
    ``p_first`` that ``p`` opens its paragraph (alone, or after a caption or a
    headline in its block). ``n_next`` is the line after ``n`` in its block, if any.

    Joined only when the line before stops mid-sentence and nothing says that a new
    paragraph starts: a paragraph that lost its end in layout stays separate.
    """
    if is_subtitle_after_title(p, n, layout, prev_first=p_first, after=n_next):
        return _break("is_subtitle_after_title")
    if n.text[0] in _CONTINUATION_START:
        return _join("opens_with_closing_mark")
    if _standalone(p) or _standalone(n):
        return _break("standalone_line")
    if ends_sentence(p.text):
        if goes_on_after_sentence_end(p, n, layout, n_next=n_next):
            return _join("goes_on_after_sentence_end")
        return _break("sentence_end_before_break")
    if starts_turn(n.text, layout.speakers):
        return _break("turn_label")
    if p_alone and first_line_goes_on(p, n, layout):
        return _join("first_line_goes_on")
    if (p_alone and is_headline_like(p.text)) or (n_alone and is_headline_like(n.text)):
        return _break("lone_headline")
    if layout.indented:
        # The document marks every paragraph start with an indent.
        return _break("indent_opens_paragraph") if n.indent else _join("unindented_goes_on")
    width = layout.width
    if width is None:
        return _join("stops_mid_sentence")
    if (_is_short(p, width, first=p_first) and p.text[-1] not in _MID_CLAUSE
            and not _left_short_by_carry(p, n, width, first=p_first)):
        return _break("short_line_ends")  # before the break (not at a comma)
    # A first line short by about an indent opens a paragraph; a line much shorter
    # that ends a sentence is the end of the continued one.
    if n_alone or not _is_short(n, width, first=False) or (
            n_next is not None and _left_short_by_carry(n, n_next, width)):
        return _join("full_line_goes_on")
    if ends_sentence(n.text) and _is_short(n, width - 1, first=False):
        return _join("continued_paragraph_ends")
    return _break("short_first_line_after_break")


def _at_first_line_room(vl: VisualLine, width: float) -> bool:
    """Whether a line is as wide as a first line whose indent was dropped (a closing
    mark at its end may hang past it)."""
    room = width - TOL.indent
    if _HALF_WIDTH_ALNUM.search(vl.text):
        # Such a line may stop half a cell short of full: with a hanging mark taken
        # off as well, a full line would pass for a first line.
        return abs(vl.width - room) <= TOL.indent_slack
    return any(abs(full - room) <= TOL.indent_slack
               for full in (vl.width, vl.width - _hanging(vl.text)))


def first_line_goes_on(p: VisualLine, n: VisualLine, layout: Layout) -> bool:
    """Whether a line alone in its block is a paragraph's first line that goes on
    after the break (an OCR engine set the line in a block of its own).

    Only where paragraphs open two cells short (:attr:`Layout.first_line_room`): the
    line is that wide, and the line after the break is a full line of the column (not
    longer), with punctuation, not indented, nor a turn: a headline over a paragraph
    would be followed by that paragraph's first line, two cells short, or by another
    headline.
    """
    width = layout.width
    if width is None or not layout.first_line_room or not _at_first_line_room(p, width):
        return False
    if n.indent or _is_short(n, width, first=False) or _at_first_line_room(n, width):
        return False
    if n.width - _hanging(n.text) > width + TOL.hang:
        return False  # a line longer than the column's: a paragraph a line
    return not (starts_turn(n.text, layout.speakers) or is_headline_like(n.text))


def goes_on_after_sentence_end(p: VisualLine, n: VisualLine, layout: Layout, *,
                               n_next: VisualLine | None) -> bool:
    """Whether a paragraph goes on past a column break that follows a sentence end.

    Only where the dump dropped the indents and paragraphs open two cells short
    (:attr:`Layout.first_line_room`), and blank lines are breaks, not paragraphs'
    ends (none, or many inside sentences: :attr:`Layout.blank_in_sentences`): then a
    full line that ends a sentence, and after the break a full line of the column
    that goes on (another line follows, or it stops mid-sentence), are one
    paragraph, for a new one would have opened two cells short. A line without
    punctuation may be a headline: it goes on only with a full line after it (a
    headline's paragraph opens two cells short). Anywhere else a sentence end before
    a break ends the paragraph.
    """
    width = layout.width
    if (width is None or not layout.first_line_room
            or (layout.blank_separated and not layout.blank_in_sentences)
            or layout.column_spaces):
        return False
    if n_next is None and (ends_sentence(n.text) or not layout.blank_in_sentences):
        return False
    if _is_short(p, width, first=False) or n.indent or _is_short(n, width, first=False):
        return False
    if layout.blank_separated and n.width < width - TOL.indent_slack:
        return False  # a blank line may still end a paragraph: the line must be full
    if _at_first_line_room(n, width):
        return False  # it may open a paragraph
    if is_headline_like(n.text) and (
            n_next is None or _is_short(n_next, width, first=False)
            or _at_first_line_room(n_next, width)):
        return False
    return not (starts_turn(n.text, layout.speakers) or _is_headline_line(n, width))


def _left_short_by_carry(p: VisualLine, n: VisualLine, width: float, *,
                         first: bool = False, after_sentence: bool = False) -> bool:
    """Whether ``p`` is short only because the word that opens ``n`` did not fit on it.

    A ``first`` line without its indent had two cells less room. A line that ends a
    sentence is taken to end there, unless ``after_sentence`` asks about it too.

    >>> vl = lambda t: VisualLine(t, 0.0, cells(t))
    >>> _left_short_by_carry(vl('疆—上海。支持市场'), vl('11.9%——农村举行'), 12.0)
    True
    >>> _left_short_by_carry(vl('支持市场'), vl('11.9%——农村举行'), 12.0)
    False
    """
    if ends_sentence(p.text) and not after_sentence:
        return False
    m = _CARRIED_UNIT.match(n.text)
    room = width - (2 if first and not p.indent else 0)
    return m is not None and p.width + p.indent + cells(m.group()) > room - 1


def _joint(left_tail: str, right: str) -> tuple[int, str]:
    """How to join two pieces of a paragraph, from the last two characters of the left.

    Returns how many characters to drop from the left's end and what to put between.
    """
    if not left_tail or not right:
        return 0, ""
    a, b = left_tail[-1], right[0]
    if a == "-" and len(left_tail) > 1:
        if left_tail[-2].islower() and b.islower():
            return 1, ""
        return 0, ""
    if (_FULLWIDTH_ALNUM.match(a) and _FULLWIDTH_ALNUM.match(b)
            and not (a.islower() and b.isupper())):
        # A word or number set character by character: Ｅｕｒ + ｏｐｅ. A capital after
        # a small letter starts the next word (Ｎｅｗ + Ｙｏｒｋ): it takes a space.
        return 0, ""
    if (a.isascii() and (a.isdigit() or a == ".") and b.isascii() and b.isdigit()
            and _NUMBER_GOES_ON.match(right)):
        if a.isdigit() and len(left_tail) > 1 and left_tail[-2] in cd.HSPACE:
            # A number spaced out digit by digit goes on spaced (1 2 + 0多亿): the
            # spaced number is then joined whole, not left as two groups (1 20多亿).
            return 0, " "
        return 0, ""  # digits meet digits in Chinese text: 2.4 + 7%, 2 + 003年
    if a.isdigit() and b in "%％‰":
        return 0, ""  # a number and its percent sign: 15 + %以上
    if _latin_side(a) and _latin_side(b):
        return 0, " "
    return 0, ""


@lru_cache(maxsize=1 << 12)
def _latin_side(ch: str) -> bool:
    """Whether a character makes its side of a join Latin (_LATIN_SIDE), remembered:
    every join asks of two characters."""
    return _LATIN_SIDE.match(ch) is not None


_FULLWIDTH_ALNUM = cd.compile_class(f"[{cd.FULLWIDTH_ALNUM_CLASS}]")
#: The digits at the start of a line run into CJK text or a percent sign: the number
#: the line break cut is Chinese text's (7%, 003年), not a Latin sentence's.
_NUMBER_GOES_ON = cd.compile(f"[0-9]+(?:[.][0-9]+)?(?:[%％‰]|[{cd.CJK_STRONG}])")


def join_lines(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space in CJK text, a space between Latin words.

    >>> join_lines('中国', '外交'), join_lines('Hong', 'Kong'), join_lines('inter-', 'national')
    ('中国外交', 'Hong Kong', 'international')
    >>> join_lines('COVID-', '19')
    'COVID-19'
    >>> join_lines('增长2.4', '7%'), join_lines('Ｅｕｒ', 'ｏｐｅ')
    ('增长2.47%', 'Ｅｕｒｏｐｅ')
    >>> join_lines('in 2020', '2021 was')
    'in 2020 2021 was'
    >>> join_lines('出口了1 2', '0多亿只')
    '出口了1 2 0多亿只'
    """
    drop, glue = _joint(left[-2:], right)
    return left[:len(left) - drop] + glue + right


class _Paragraph:
    """A paragraph being rebuilt from its lines, in pieces (no quadratic string building)."""

    def __init__(self, text: str) -> None:
        self.parts = [text]
        self.tail = text[-2:]

    def join(self, text: str) -> None:
        drop, glue = _joint(self.tail, text)
        if drop:
            self.parts[-1] = self.parts[-1][:-drop]
        self.parts.append(glue + text)
        self.tail = (self.tail[:len(self.tail) - drop] + glue + text)[-2:]

    def text(self) -> str:
        return "".join(self.parts)


def iter_paragraphs(lines: Iterable[str], layout: Layout,
                    decisions: list[tuple[int, Decision]] | None = None, *,
                    first_line: int = 0) -> Iterator[str]:
    """The paragraphs of a document given as its lines, decided with its layout.

    Reads the lines lazily, looking two visual lines ahead: a document of any size
    streams through with one paragraph in memory. ``decisions``, if given, receives
    each decision at a line break: the number of the line after it (from
    ``first_line``), and the :class:`Decision`.

    Decided compiled where the engine is built (textclean.engine), as
    :func:`iter_paragraphs_reference` decides.
    """
    compiled = engine.compiled()
    if compiled is None:
        return iter_paragraphs_reference(lines, layout, decisions, first_line=first_line)
    return _compiled_paragraphs(compiled, _line_batches(lines), layout, decisions,
                                first_line)


#: A character the engine reads as U+FFFD: a lone surrogate (no UTF-8 form), or U+FFFD.
_READ_AS_REPLACEMENT = cd.compile("[\ud800-\udfff\ufffd]")


def _line_batches(lines: Iterable[str]) -> Iterator[list[str]]:
    lines = iter(lines)
    while batch := list(islice(lines, _TOKEN_BATCH)):
        yield batch


def _compiled_paragraphs(compiled: ModuleType, batches: Iterable[list[str] | str],
                         layout: Layout, decisions: list[tuple[int, Decision]] | None,
                         first_line: int) -> Iterator[str]:
    """iter_paragraphs by the engine's ``Paragraphs``, a batch at a time: a list of
    lines, or a chunk whose lines (:func:`~textclean.document.lines_of`) the engine
    reads itself.

    A lone surrogate has no UTF-8 form: the engine reads it as U+FFFD, which every
    clause treats alike (one cell, in no class). From the first batch that holds
    one, the characters read as U+FFFD are kept in order (with the U+FFFD the engine
    still holds from before), and each U+FFFD of a paragraph given back is the next
    of them: layout moves no character past another.
    """
    for paragraphs in _compiled_paragraph_batches(compiled, batches, layout, decisions,
                                                  first_line):
        yield from paragraphs


def _compiled_paragraph_batches(compiled: ModuleType, batches: Iterable[list[str] | str],
                                layout: Layout,
                                decisions: list[tuple[int, Decision]] | None,
                                first_line: int) -> Iterator[list[str]]:
    """:func:`_compiled_paragraphs`, the paragraphs each batch completes as a list."""
    builder = compiled.Paragraphs(layout, TOL, first_line=first_line,
                                  record=decisions is not None)
    originals: deque[str] | None = None

    def given_back(paragraphs: list[str]) -> list[str]:
        if decisions is not None:
            decisions.extend((line, Decision(joins, clause))
                             for line, joins, clause in builder.decisions())
        if originals is None:
            return paragraphs
        return ["".join(originals.popleft() if ch == "\ufffd" else ch for ch in paragraph)
                if "\ufffd" in paragraph else paragraph for paragraph in paragraphs]

    for batch in batches:
        paragraphs: list[str] = []
        if originals is None:
            try:
                paragraphs = (builder.feed_text(batch) if isinstance(batch, str)
                              else builder.feed(batch))
            except UnicodeEncodeError:
                originals = deque("\ufffd" * builder.pending_replacements())
        if originals is not None:
            batch_lines = lines_of(batch) if isinstance(batch, str) else batch
            for line in batch_lines:
                originals.extend(_READ_AS_REPLACEMENT.findall(line))
            paragraphs = builder.feed([_SURROGATE.sub("\ufffd", line)
                                       for line in batch_lines])
        yield given_back(paragraphs)
    yield given_back(builder.finish())


def iter_paragraphs_reference(lines: Iterable[str], layout: Layout,
                              decisions: list[tuple[int, Decision]] | None = None, *,
                              first_line: int = 0) -> Iterator[str]:
    """:func:`iter_paragraphs` in Python: the specification of the engine's
    ``Paragraphs``."""
    tokens = _Lookahead(_tokens(lines, layout, first_line))
    current: _Paragraph | None = None
    prev_last: VisualLine | None = None
    prev_alone = prev_first = False
    while (first := tokens.next()) is not None:
        alone = tokens.peek() is None
        if prev_last is not None and current is not None:
            decision = decide_across_gap(prev_last, first, layout, p_alone=prev_alone,
                                         n_alone=alone, p_first=prev_first,
                                         n_next=tokens.peek())
            if decisions is not None:
                decisions.append((first.line, decision))
            if decision.joins:
                current.join(first.text)
            else:
                yield current.text()
                current = _Paragraph(first.text)
        else:
            current = _Paragraph(first.text)
        first_of_para = True
        standalone = False
        prev = first
        alone = True
        while (nxt := tokens.peek()) is not None:
            tokens.next()
            alone = False
            after, after2 = tokens.peek(), tokens.peek2()
            decision = decide_within_block(prev, nxt, after, layout,
                                           prev_is_first=first_of_para,
                                           prev_standalone=standalone, after2=after2)
            if decisions is not None and not nxt.joined:
                decisions.append((nxt.line, decision))
            if not decision.joins:
                yield current.text()
                current = _Paragraph(nxt.text)
                first_of_para = True
                standalone = (not layout.blank_separated
                              and is_standalone_headline(nxt, after, layout, after2))
            else:
                current.join(nxt.text)
                first_of_para = False
                standalone = False
            prev = nxt
        tokens.next()  # the gap, or the end
        # A line that opens with a turn label opens its paragraph, even where the
        # block ran it on from the line before (restore_turn_breaks splits them).
        prev_first = first_of_para or starts_turn(prev.text, layout.speakers)
        prev_last, prev_alone = prev, alone
    if current is not None:
        yield current.text()


def iter_region_paragraphs(lines: Iterable[str], layout: Layout, starts: tuple[int, ...],
                           decisions: list[tuple[int, Decision]] | None = None,
                           ) -> Iterator[str]:
    """The paragraphs of a document whose regions begin at the line numbers ``starts``
    (:meth:`LayoutEvidence.regions`), each region decided with its own layout.

    A document of one region streams through with ``layout``, the whole document's.
    Where there are several, each region is read whole and measured on its own
    (a column width measured in one article says nothing about the next): memory
    holds one region. A region's first line opens a paragraph (``opens_region``).
    """
    if len(starts) <= 1:
        yield from iter_paragraphs(lines, layout, decisions)
        return
    bounds = list(starts[1:])
    region: list[str] = []
    first = 0
    for number, line in enumerate(lines):
        if bounds and number == bounds[0]:
            yield from _region(region, first, decisions)
            bounds.pop(0)
            region, first = [], number
        region.append(line)
    yield from _region(region, first, decisions)


def _region(lines: list[str], first_line: int,
            decisions: list[tuple[int, Decision]] | None) -> Iterator[str]:
    if first_line and decisions is not None:
        opening = next((k for k, line in enumerate(lines) if line.strip()), None)
        if opening is not None:
            decisions.append((first_line + opening, _break("opens_region")))
    yield from iter_paragraphs(lines, measure(lines), decisions, first_line=first_line)


class _Lookahead:
    """An iterator of visual lines and gaps (None) that can peek up to three items ahead."""

    _END = VisualLine("", 0.0, 0.0)

    def __init__(self, items: Iterator[VisualLine | None]) -> None:
        self._items = items
        self._buffer: deque[VisualLine | None] = deque()

    def _item(self, k: int) -> VisualLine | None:
        """The item ``k`` places ahead (0: the next one), or ``_END``."""
        while len(self._buffer) <= k:
            if self._buffer and self._buffer[-1] is self._END:
                return self._END
            self._buffer.append(next(self._items, self._END))
        return self._buffer[k]

    def peek(self) -> VisualLine | None:
        """The next visual line, or None at a gap or at the end."""
        item = self._buffer[0] if self._buffer else self._item(0)
        return None if item is self._END else item

    def peek2(self) -> VisualLine | None:
        """The visual line after the next one, across one gap, else None.

        A line before a page break may be short only because the word that opens the
        page after it did not fit: what follows the gap tells.
        """
        if self.peek() is None:
            return None
        item = self._item(1)
        if item is None:
            item = self._item(2)
        return None if item is None or item is self._END else item

    def next(self) -> VisualLine | None:
        """Take the next item: a visual line, or None for a gap or the end."""
        item = self._item(0)
        if item is self._END:
            return None
        self._buffer.popleft()
        return item


# --- Rules ------------------------------------------------------------------------------------


def split_headline_block(text: str) -> str:
    r"""Set each element of a headline block that a dump ran together on its own line.

    Fires when: a line without clause punctuation ends with a byline of the house or an
    agency (``本报记者张岚``, ``新华社记者李航``) after a title, possibly with a ``——``
    sub-title between them: ``…——访全国人大代表王建国本报记者张岚``.
    Does: breaks the line before the ``——`` and before the byline (spaces there go).
    Leaves alone: a byline on its own line; a title with a dash and no byline after it
    (``X——Y`` may be a title); a photo credit (``…新华社记者李航摄``); any line with
    clause punctuation (a sentence that names a reporter).

    >>> print(split_headline_block('坚持走和平发展道路——访全国人大代表王建国本报记者张岚'))
    坚持走和平发展道路
    ——访全国人大代表王建国
    本报记者张岚
    >>> split_headline_block('他对本报记者张岚说，今年的收成很好。')
    '他对本报记者张岚说，今年的收成很好。'
    """
    return engine.twin(split_headline_block_reference, text)


def split_headline_block_reference(text: str) -> str:
    """:func:`split_headline_block` in Python: the specification of the engine's twin."""
    if "记者" not in text and "通讯员" not in text:
        return text
    # A match lies inside one line: only the lines that name a reporter are tried.
    return sub_in_lines(partial(_RUN_ON_HEADLINE.sub, _split_headline), text, "者员",
                        lambda line: "记者" in line or "通讯员" in line)


_RUN_ON_HEADLINE = cd.compile(
    rf"^(?P<title>[^\n，。！？；：、,.!?;:—]{{2,40}}?){_HSPACE}*"
    rf"(?P<sub>——[^\n，。！？；：、,.!?;:]{{2,40}}?)?{_HSPACE}*"
    rf"(?P<byline>{cd.BYLINE_RUN_ON})(?<![摄图])$",  # (not a photo credit: …李航摄)
    regex.MULTILINE)


def _split_headline(m: regex.Match[str]) -> str:
    parts = [m["title"].rstrip(cd.HSPACE), m["sub"], m["byline"]]
    return "\n".join(part for part in parts if part)


def remove_continuation_markers(text: str) -> str:
    """Remove page-continuation markers: ``(上接6版)``, ``（下转第四版）``.

    Fires when: a bracketed 上接/下转/接/转 … 版 marker stands anywhere in the text, in
    half-width or full-width brackets.
    Does: deletes the marker with the spaces before it; a line that held nothing else
    becomes blank.
    Leaves alone: the word 版 elsewhere (第二版, 版权), brackets with other content.
    Runs before: join_wrapped_lines, which then sees the page break as a blank line.

    >>> remove_continuation_markers('不得人心。（下转第四版）')
    '不得人心。'
    >>> remove_continuation_markers('本书第二版（2020年）')
    '本书第二版（2020年）'
    """
    return engine.twin(remove_continuation_markers_reference, text)


def remove_continuation_markers_reference(text: str) -> str:
    """:func:`remove_continuation_markers` in Python: the specification of the engine's
    twin."""
    if "版" not in text:
        return text
    return MARKER_RE.sub("", text)


def join_wrapped_lines(text: str) -> str:
    """Rebuild paragraphs: one paragraph per line, no blank lines, lines stripped.

    Fires when: the text has any line break, blank line, or leading/trailing space.
    Does: measures the document (column width, blank-line and indentation conventions,
    speakers) and joins column-wrapped lines; joins across a blank line that falls
    inside a sentence; keeps headline lines, captions, credit lines and turns as
    paragraphs of their own; joins Latin words with a space and rejoins a word
    hyphenated at a line end.
    Leaves alone: the text inside lines (spaces inside a line are the inline phase's);
    a paragraph that lost its end; the final newline, which stays exactly when the
    input had one.

    >>> raw = ('这场疫情的启示\\n\\n王毅：各国人民的生命\\n健康从来没有像今天\\n'
    ...        '这样休戚与共、紧密\\n相连。\\n\\n病毒不分国界和种族\\n'
    ...        '，对全人类发起挑战\\n。政治操弄只会给病\\n毒以可乘之机。\\n')
    >>> print(join_wrapped_lines(raw), end='')
    这场疫情的启示
    王毅：各国人民的生命健康从来没有像今天这样休戚与共、紧密相连。
    病毒不分国界和种族，对全人类发起挑战。政治操弄只会给病毒以可乘之机。

    Lines are paragraphs when the document shows no column width to measure:

    >>> join_wrapped_lines('第一段没有结束\\n第二段。')
    '第一段没有结束\\n第二段。'
    >>> join_wrapped_lines('第一段。\\n第二段。')
    '第一段。\\n第二段。'
    """
    return apply_whole(JOIN_WRAPPED_LINES, text)


class _LayoutCounter:
    def __init__(self) -> None:
        self._evidence = LayoutEvidence()

    def add(self, chunk: str) -> None:
        self._evidence.add_text(chunk)

    def result(self) -> tuple[Layout, tuple[int, ...]]:
        return self._evidence.layout(), self._evidence.regions()


class JoinWrappedLines:
    """join_wrapped_lines as a document rule: measure the layout, then stream paragraphs."""

    def evidence(self) -> _LayoutCounter:
        return _LayoutCounter()

    def transform(self, evidence: tuple[Layout, tuple[int, ...]],
                  chunks: Iterable[str]) -> Iterator[str]:
        ends_with_newline = False

        def nonempty() -> Iterator[str]:
            nonlocal ends_with_newline
            for chunk in chunks:
                if chunk:
                    ends_with_newline = chunk.endswith("\n")
                    yield chunk

        first = True
        layout, starts = evidence
        compiled = engine.compiled()
        batches: Iterable[list[str]] = (
            # One region, compiled: the engine reads the chunks' lines itself, and
            # gives back the paragraphs of a chunk at a time.
            _compiled_paragraph_batches(compiled, nonempty(), layout, None, 0)
            if len(starts) <= 1 and compiled is not None
            else ([p] for p in iter_region_paragraphs(iter_lines(nonempty()), layout,
                                                      starts)))
        for paragraphs in batches:
            if paragraphs:
                yield ("" if first else "\n") + "\n".join(paragraphs)
                first = False
        if not first and ends_with_newline:
            yield "\n"


JOIN_WRAPPED_LINES = JoinWrappedLines()


def layout_decisions(text: str) -> list[tuple[int, Decision]]:
    r"""The layout phase's decision at each line break of ``text``, as join_wrapped_lines
    takes it: the number of the line after the break (from 0), and the
    :class:`Decision` (whether the line goes on with the paragraph, and the clause).

    >>> for line, d in layout_decisions('第一段没有结束\n第二段。'):
    ...     print(line, d.joins, d.clause)
    1 False no_column_width
    """
    decisions: list[tuple[int, Decision]] = []
    evidence = LayoutEvidence()
    evidence.add(lines_of(text))
    for _ in iter_region_paragraphs(lines_of(text), evidence.layout(), evidence.regions(),
                                    decisions):
        pass
    return decisions


def explain_joins(text: str, edits: tuple[Edit, ...]) -> tuple[tuple[Edit, ...], tuple[Edit, ...]]:
    """join_wrapped_lines' edits of ``text`` with the clause that decided each join, and
    the line breaks it kept, each as an edit that changes nothing, with its clause."""
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)
    by_line = dict(layout_decisions(text))
    annotated = []
    for edit in edits:
        # The line after the line breaks this edit removed.
        end = edit.offset + len(edit.before)
        line = bisect_right(starts, end) - 1 if "\n" in edit.before else -1
        if end < len(text) and text[end] == "\n":  # a break that only lost its spaces
            line = -1
        decision = by_line.get(line)
        if decision is not None:
            annotated.append(replace(edit, why=decision.clause))
        elif "\n" in edit.before and not edit.before.strip():
            # Blank lines before the first paragraph or after the last: no decision.
            annotated.append(replace(edit, why="leading_or_trailing_blank_lines"))
        else:
            annotated.append(edit)
    kept = tuple(
        Edit(starts[line] - 1, "\n", "\n", why=decision.clause)
        for line, decision in sorted(by_line.items())
        if not decision.joins and 0 < line < len(starts))
    return tuple(annotated), kept


def restore_turn_breaks(text: str) -> str:
    """Start a new paragraph where a transcript turn lost its break.

    Fires when: inside a paragraph, a sentence ends (。？！… possibly closed by ” or ）)
    and a turn label follows: ``XX记者：``, ``问：``/``答：``, or a name that the document
    itself uses to open two or more paragraphs (``王毅：``). Also in a question turn (a
    paragraph opened by ``XX记者：`` or ``问：``): a name label of 2 to 4 characters
    right after the question mark is the answer (``…？ 李明：``, ``…？李明：``).
    Does: replaces the spaces between the sentence end and the label by a line break.
    Leaves alone: a label that follows no sentence end, names the document never uses
    as labels (outside a question turn), reported speech (告诉记者：).
    Runs after: join_wrapped_lines (a turn split over lines is whole by then).

    >>> print(restore_turn_breaks('王毅：是的。\\n记者：如何评价? 王毅:面对疫情。\\n王毅：好。'))
    王毅：是的。
    记者：如何评价?
    王毅:面对疫情。
    王毅：好。
    >>> restore_turn_breaks('他告诉记者：这很好。\\n')
    '他告诉记者：这很好。\\n'
    >>> print(restore_turn_breaks('新华社记者：如何评价？ 李明：很好。'))
    新华社记者：如何评价？
    李明：很好。
    """
    if "：" not in text and ":" not in text:
        return text
    return apply_whole(RESTORE_TURN_BREAKS, text)


class _SpeakerCounter:
    def __init__(self) -> None:
        self._names: Counter[str] = Counter()

    def add(self, chunk: str) -> None:
        if "：" not in chunk and ":" not in chunk:
            return
        compiled = engine.compiled()
        if compiled is not None:
            with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: in Python
                self._names.update(compiled.count_name_labels(chunk))
                return
        for line in lines_of(chunk):
            _count_label(self._names, line.strip())

    def result(self) -> frozenset[str]:
        return _speakers(self._names)


class RestoreTurnBreaks:
    """restore_turn_breaks as a document rule: count the speakers, then split turns."""

    def evidence(self) -> _SpeakerCounter:
        return _SpeakerCounter()

    def transform(self, evidence: frozenset[str], chunks: Iterable[str]) -> Iterator[str]:
        for chunk in chunks:
            if "：" in chunk or ":" in chunk:
                yield split_turns(chunk, evidence)
            else:
                yield chunk


def split_turns(text: str, speakers: frozenset[str]) -> str:
    """Break ``text`` (whole lines) before each turn label that lost its break, with
    the document's ``speakers``: restore_turn_breaks's edit. Compiled where the engine
    is built (textclean.engine), as :func:`split_turns_reference` splits.

    >>> split_turns('新华社记者：好吗？ 李明：好。王毅：是。', frozenset({'王毅'}))
    '新华社记者：好吗？\\n李明：好。\\n王毅：是。'
    """
    compiled = engine.compiled()
    if compiled is not None:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: in Python
            out: str = compiled.split_turns(text, speakers)
            return out
    return split_turns_reference(text, speakers)


def split_turns_reference(text: str, speakers: frozenset[str]) -> str:
    """:func:`split_turns` in Python: the specification."""
    return _split_answers(_split_turns(_turn_break_pattern(speakers), text))


def _split_turns(pattern: regex.Pattern[str], text: str) -> str:
    """Break before each turn label that follows a sentence end (``pattern``). A match
    lies inside one line (a label ends with its colon): only lines with a colon are
    tried."""
    return sub_in_lines(partial(pattern.sub, "\\1\n"), text, "：:")


def _split_answers(text: str) -> str:
    """Break each question turn before the answer's label that follows its question
    mark (_ANSWER_AFTER_QUESTION). A match lies inside one line: only the lines that
    hold a label's 记者 or 问 and a question mark are tried."""
    if not any(mark in text for mark in _QUESTION_MARKS):
        return text
    return sub_in_lines(partial(_ANSWER_AFTER_QUESTION.sub, _split_answer), text,
                        _QUESTION_MARKS, lambda line: "记者" in line or "问" in line)


#: The question marks that end a question turn.
_QUESTION_MARKS = "？?"


#: A question turn (a line opened by XX记者： or 问：) whose question mark is followed,
#: with or without a space, by a short name label: the answer's turn lost its break.
_ANSWER_AFTER_QUESTION = cd.compile(
    rf"^(?:{_REPORTER_LABEL}|问){_HSPACE}*[:：][^\n]*?[{_QUESTION_MARKS}]"
    rf"[{regex.escape(cd.CLOSERS)}]*"
    rf"({_HSPACE}*)(?=[\p{{Han}}·]{{2,4}}{_HSPACE}*[:：])",
    regex.MULTILINE,
)


def _split_answer(m: regex.Match[str]) -> str:
    return m.group()[:m.start(1) - m.start()] + "\n"


#: The sentence ends a turn label may follow (not the semicolon).
_TURN_SENTENCE_END = "。！？!?…"


@lru_cache(maxsize=64)
def _turn_break_pattern(speakers: frozenset[str]) -> regex.Pattern[str]:
    label = turn_label_pattern(speakers)
    # The label must not itself run on from the sentence end: anchor it at the
    # characters that may open a label.
    # The pattern opens with the sentence end itself (kept by the replacement), not a
    # lookbehind, so that the engine can skip to the sentence ends.
    return cd.compile(
        rf"([{_TURN_SENTENCE_END}][{regex.escape(cd.CLOSERS)}]*){_HSPACE}*"
        rf"(?=(?<![\p{{Han}}A-Za-z0-9·》]){label}(?![“\"]))"
    )


RESTORE_TURN_BREAKS = RestoreTurnBreaks()
