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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import regex

from textclean import chardata as cd

# --- Patterns -------------------------------------------------------------------------

_HSPACE = f"[{cd.HSPACE}]"
_STRONG = regex.compile(f"[{cd.CJK_STRONG}]")
_LETTER = regex.compile(f"[{cd.CJK_LETTER}]")
_ASCII_ALNUM = regex.compile(r"[A-Za-z0-9]")
#: A character that a Latin word or number may end or start with.
_LATIN_SIDE = regex.compile(f"[^{cd.CJK_STRONG}{cd.NEUTRAL_PUNCT}\\s/]")

#: Page-continuation markers: (上接6版), （下转第四版）, 〔接第3版〕, (转A2版).
MARKER_RE = regex.compile(
    rf"{_HSPACE}*[(（〔\[【]{_HSPACE}*(?:上接|下转|接|转|紧接|续)(?:第|本报)?"
    rf"{_HSPACE}*[A-Za-z]?[0-9０-９一二三四五六七八九十百零〇两]{{1,4}}{_HSPACE}*版"
    rf"{_HSPACE}*[)）〕\]】]"
)

#: Characters that cannot start a paragraph: the text before them goes on.
_CONTINUATION_START = "，。、；：？！）》」』”’,.;:?!)%…—"

#: Clause and sentence punctuation: a line without any is headline-like.
_CLAUSE_PUNCT = regex.compile(r"[，。！？；：、,.!?;:]")

#: Credit line of a photo or a graphic: 新华社记者李鑫摄, 本报记者 张三 摄影, 制图：李四.
_CREDIT_RE = regex.compile(
    r"^(?:[^，。！？；,.!?;]{0,30}(?:摄|摄影|供图|制图|绘图)|(?:制图|摄影|图)[：:][^，。！？；]{1,20})$"
)

#: A ``XX记者：`` turn label. The character before 记者 may not be a verb or preposition
#: (告诉记者：, 对记者：, 接受记者采访 are reported speech, not labels).
_REPORTER_LABEL = (
    r"(?:《[^》\n]{1,20}》|[\p{Han}A-Za-z0-9·]){1,24}?(?<![诉对向给和跟与受访随同让请带])记者"
)
_REPORTER_LABEL_RE = regex.compile(rf"^{_REPORTER_LABEL}{_HSPACE}*[:：]")

#: A generic transcript label: 问：, 答：, 主持人：.
_GENERIC_LABEL_RE = regex.compile(rf"^(?:问|答|主持人){_HSPACE}*[:：]")

#: A name label candidate (王毅：, 豪尔赫·切迪克：): counted in the document; it is a label
#: only where the same name opens two or more lines.
_NAME_LABEL_RE = regex.compile(rf"^([\p{{Han}}·]{{2,6}}){_HSPACE}*[:：]")


# --- Measuring --------------------------------------------------------------------------


def cells(text: str) -> float:
    """Width of text in full-width cells: ASCII letters and digits count half, spaces nothing.

    ASCII punctuation counts a whole cell: in a Chinese column it stood for full-width
    punctuation before the dump made it half-width.
    """
    spaces = sum(text.count(ch) for ch in " \t")
    return len(text) - spaces - 0.5 * len(_ASCII_ALNUM.findall(text))


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
    return len(text) <= 40 and bool(_CREDIT_RE.match(text.strip()))


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


def _label_names(lines: Sequence[str]) -> frozenset[str]:
    """Names that open two or more lines as ``NAME：``: the document's speakers."""
    counts = Counter(
        m.group(1) for line in lines if (m := _NAME_LABEL_RE.match(line.strip()))
    )
    return frozenset(name for name, n in counts.items() if n >= 2)


def starts_turn(text: str, speakers: frozenset[str]) -> bool:
    """Whether a line opens with a turn label (``XX记者：``, ``问：``, or a known speaker)."""
    stripped = text.lstrip(cd.HSPACE)
    if _REPORTER_LABEL_RE.match(stripped) or _GENERIC_LABEL_RE.match(stripped):
        return True
    m = _NAME_LABEL_RE.match(stripped)
    return bool(m and m.group(1) in speakers)


def turn_label_pattern(speakers: frozenset[str]) -> str:
    """Regex source of a turn label, for splitting a paragraph that lost a turn break."""
    names = "|".join(regex.escape(s) for s in sorted(speakers, key=len, reverse=True))
    alternatives = [_REPORTER_LABEL, "问", "答", "主持人"]
    if names:
        alternatives.append(f"(?:{names})")
    return "(?:" + "|".join(alternatives) + f"){_HSPACE}*[:：]"


# --- The document model -------------------------------------------------------------------


@dataclass(frozen=True)
class VisualLine:
    """One line as it stood in the column: a physical line, or a column-space segment."""

    text: str
    indent: float
    width: float


@dataclass(frozen=True)
class Layout:
    """What the document says about itself."""

    width: float | None          #: column width in cells, None if lines are paragraphs
    blank_separated: bool        #: blank lines separate paragraphs
    indented: bool               #: indentation marks paragraph starts
    column_spaces: bool          #: column breaks became spaces inside lines
    speakers: frozenset[str]     #: names used as turn labels


def _indent(line: str) -> float:
    n = len(line) - len(line.lstrip(cd.HSPACE))
    lead = line[:n]
    return lead.count("\u3000") + 0.5 * (n - lead.count("\u3000"))


_COLUMN_SPACE = regex.compile(rf"(?<=[^{cd.HSPACE}]){_HSPACE}+(?=[^{cd.HSPACE}])")


def _segments(line: str) -> list[str]:
    """Split a line at spaces that touch a CJK character (column-break candidates)."""
    parts: list[str] = []
    start = 0
    for m in _COLUMN_SPACE.finditer(line):
        left, right = line[m.start() - 1], line[m.end()]
        if _STRONG.match(left) or _STRONG.match(right):
            parts.append(line[start:m.start()])
            start = m.end()
    parts.append(line[start:])
    return parts


def _mode_width(widths: Sequence[float]) -> float | None:
    """The dominant width, if lines of about that width cover most of the lines.

    "About" is one cell either way (punctuation squeezed or hanging), and two cells
    less for first lines whose indent was stripped.
    """
    if len(widths) < 6:
        return None
    counts = Counter(round(w) for w in widths)
    mode, _ = counts.most_common(1)[0]
    near = sum(n for w, n in counts.items() if mode - 2 <= w <= mode + 1)
    if near < 0.6 * len(widths) or not 4 <= mode <= 80:
        return None
    return float(mode)


def _detect_column_spaces(lines: Sequence[str]) -> float | None:
    """Column width if the document's lines are columns joined with spaces (seed 004)."""
    inner: list[float] = []
    for line in lines:
        segs = _segments(line.strip())
        if len(segs) >= 3:
            inner.extend(cells(s) for s in segs[1:-1])
    width = _mode_width(inner)
    return width if width is not None and width >= 6 else None


def analyse(lines: Sequence[str]) -> tuple[Layout, list[list[VisualLine]]]:
    """Measure the document and cut it into blocks of visual lines (blank lines between)."""
    stripped = [line.strip() for line in lines]
    seg_width = _detect_column_spaces(stripped)
    blocks: list[list[VisualLine]] = []
    current: list[VisualLine] = []
    for raw, text in zip(lines, stripped, strict=True):
        if not text:
            if current:
                blocks.append(current)
                current = []
            continue
        indent = _indent(raw)
        segs = _segments(text) if seg_width is not None else [text]
        if len(segs) < 3:
            segs = [text]
        for k, seg in enumerate(segs):
            current.append(VisualLine(seg, indent if k == 0 else 0.0, cells(seg)))
    if current:
        blocks.append(current)

    if seg_width is not None:
        width: float | None = seg_width
    else:
        inner = [vl.width + vl.indent for b in blocks for vl in b[:-1]]
        width = _mode_width(inner)

    gaps = len(blocks) - 1
    inner_ends = 0
    if width is not None:
        inner_ends = sum(
            1 for b in blocks for vl in b[:-1]
            if ends_sentence(vl.text) and vl.width + vl.indent <= width - 2
        )
    blank_separated = gaps >= 2 and inner_ends <= 0.3 * gaps
    # Indentation marks paragraph starts only where some lines have it and most don't
    # (a margin in front of every line says nothing).
    indented_lines = sum(1 for b in blocks for vl in b if vl.indent > 0)
    n_lines = sum(len(b) for b in blocks)
    indented = (2 <= indented_lines <= 0.5 * n_lines) and not blank_separated
    layout = Layout(width, blank_separated, indented, seg_width is not None,
                    _label_names(stripped))
    return layout, blocks


# --- Decisions ------------------------------------------------------------------------------


def _standalone(vl: VisualLine) -> bool:
    """A caption or credit line: always a paragraph of its own."""
    return vl.text[:1] in cd.CAPTION_MARKS or is_credit_line(vl.text)


def _is_short(vl: VisualLine, width: float, *, first: bool) -> bool:
    """Shorter than a full column line (a first line may be short by its stripped indent)."""
    slack = 4 if first and not vl.indent else 2
    # Punctuation that may not open a line hangs past the column's end (or squeezes
    # in): it does not count towards how full the line is.
    hanging = 1 if vl.text[-1] in _CONTINUATION_START else 0
    return vl.width + vl.indent - hanging <= width - slack


def breaks_within_block(prev: VisualLine, nxt: VisualLine, after: VisualLine | None,
                        layout: Layout, *, prev_is_first: bool,
                        prev_standalone: bool) -> bool:
    """Whether a line break without a blank line is a paragraph end.

    ``after`` is the line after ``nxt`` in the block (None at the block's end);
    ``prev_standalone`` says that ``prev`` was found to be a line of its own (a
    headline), so the text after it starts a new paragraph.
    """
    if _standalone(prev) or _standalone(nxt) or prev_standalone:
        return True
    if nxt.text[0] in _CONTINUATION_START:
        return False
    width = layout.width
    if width is None:
        # No column width: each line is a paragraph (a long-line dump, or text that
        # is already canonical). A line that stops mid-sentence may have lost its end:
        # nothing says the next line continues it.
        return True
    if layout.blank_separated:
        # Blank lines separate paragraphs, so a line break inside a block is a wrap.
        return False
    if layout.indented and nxt.indent > 0:
        return True
    short = _is_short(prev, width, first=prev_is_first)
    if starts_turn(nxt.text, layout.speakers) and (
            short or ends_sentence(prev.text) or is_headline_like(prev.text)):
        return True
    if short and (ends_sentence(prev.text) or not _ASCII_ALNUM.match(nxt.text)):
        # A line inside a paragraph is full; a short one ended its paragraph (unless a
        # Latin word or number too long for the line was carried over).
        return True
    if _is_headline_line(prev, width):
        return True
    return ends_sentence(prev.text) and is_standalone_headline(nxt, after, layout)


def is_standalone_headline(vl: VisualLine, after: VisualLine | None, layout: Layout) -> bool:
    """Whether a headline-like line that follows a sentence end is a line of its own.

    It is when its width is not a column line's, or when what follows it opens a
    paragraph (an indented or short first line, a turn label, a caption, another
    headline, or a blank line): a body paragraph's first line would be followed by
    its continuation instead.
    """
    width = layout.width
    if width is None or not is_headline_like(vl.text) or (layout.indented and vl.indent):
        return False
    if _is_headline_line(vl, width) or after is None:
        return True
    return (
        (layout.indented and after.indent > 0)
        or starts_turn(after.text, layout.speakers)
        or _standalone(after)
        or _is_headline_line(after, width)
        or (_is_short(after, width, first=False) and not ends_sentence(after.text))
    )


def _is_headline_line(vl: VisualLine, width: float) -> bool:
    """A headline-like line whose width is not a column line's, nor a first line's.

    A first line whose indent was stripped is short by about two cells and may well
    have no punctuation yet; a headline is set in its own width.
    """
    full = vl.width + vl.indent
    return is_headline_like(vl.text) and (full <= width - 4 or full >= width + 3)


def continues_across_gap(prev_block: Sequence[VisualLine], next_block: Sequence[VisualLine],
                         layout: Layout) -> bool:
    """Whether the text goes on across a blank line (a page or column break).

    Joined only when the line before stops mid-sentence and nothing says that a new
    paragraph starts: a paragraph that lost its end in layout stays separate.
    """
    p, n = prev_block[-1], next_block[0]
    if n.text[0] in _CONTINUATION_START:
        return True
    if ends_sentence(p.text) or _standalone(p) or _standalone(n):
        return False
    if starts_turn(n.text, layout.speakers):
        return False
    if (len(prev_block) == 1 and is_headline_like(p.text)) or (
        len(next_block) == 1 and is_headline_like(n.text)
    ):
        return False
    if layout.indented:
        return n.indent == 0  # the document marks every paragraph start with an indent
    width = layout.width
    if width is None:
        return True
    if _is_short(p, width, first=len(prev_block) == 1):
        return False  # the paragraph ended there, before the break
    # A first line short by about an indent opens a paragraph; a line much shorter
    # that ends a sentence is the end of the continued one.
    if len(next_block) == 1 or not _is_short(n, width, first=False):
        return True
    return ends_sentence(n.text) and _is_short(n, width - 1, first=False)


def join_lines(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space in CJK text, a space between Latin words.

    >>> join_lines('中国', '外交'), join_lines('Hong', 'Kong'), join_lines('inter-', 'national')
    ('中国外交', 'Hong Kong', 'international')
    >>> join_lines('COVID-', '19')
    'COVID-19'
    """
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a == "-" and len(left) > 1:
        if left[-2].islower() and b.islower():
            return left[:-1] + right
        return left + right
    if _LATIN_SIDE.match(a) and _LATIN_SIDE.match(b):
        return left + " " + right
    return left + right


# --- Rules ------------------------------------------------------------------------------------


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
    lines = text.split("\n")
    layout, blocks = analyse(lines)
    paragraphs: list[str] = []
    current = ""
    prev_block: list[VisualLine] | None = None
    for block in blocks:
        if prev_block is not None and current:
            if continues_across_gap(prev_block, block, layout):
                current = join_lines(current, block[0].text)
            else:
                paragraphs.append(current)
                current = block[0].text
        else:
            current = block[0].text
        first_of_para = True
        standalone = False
        for k, (prev, nxt) in enumerate(pairwise(block)):
            after = block[k + 2] if k + 2 < len(block) else None
            if breaks_within_block(prev, nxt, after, layout, prev_is_first=first_of_para,
                                   prev_standalone=standalone):
                paragraphs.append(current)
                current = nxt.text
                first_of_para = True
                standalone = (not layout.blank_separated
                              and is_standalone_headline(nxt, after, layout))
            else:
                current = join_lines(current, nxt.text)
                first_of_para = False
                standalone = False
        prev_block = block
    if current:
        paragraphs.append(current)
    out = "\n".join(paragraphs)
    if out and text.endswith("\n"):
        out += "\n"
    return out


def restore_turn_breaks(text: str) -> str:
    """Start a new paragraph where a transcript turn lost its break.

    Fires when: inside a paragraph, a sentence ends (。？！… possibly closed by ” or ）)
    and a turn label follows: ``XX记者：``, ``问：``/``答：``, or a name that the document
    itself uses to open two or more paragraphs (``王毅：``).
    Does: replaces the spaces between the sentence end and the label by a line break.
    Leaves alone: a label that follows no sentence end, names the document never uses
    as labels, reported speech (告诉记者：).
    Runs after: join_wrapped_lines (a turn split over lines is whole by then).

    >>> print(restore_turn_breaks('王毅：是的。\\n记者：如何评价? 王毅:面对疫情。\\n王毅：好。'))
    王毅：是的。
    记者：如何评价?
    王毅:面对疫情。
    王毅：好。
    >>> restore_turn_breaks('他告诉记者：这很好。\\n')
    '他告诉记者：这很好。\\n'
    """
    if "：" not in text and ":" not in text:
        return text
    speakers = _label_names(text.split("\n"))
    label = turn_label_pattern(speakers)
    # The label must not itself run on from the sentence end: anchor it at the
    # characters that may open a label.
    pattern = regex.compile(
        rf"(?<=[。！？!?…][{regex.escape(cd.CLOSERS)}]*){_HSPACE}*"
        rf"(?=(?<![\p{{Han}}A-Za-z0-9·》]){label}(?![“\"]))"
    )
    return pattern.sub("\n", text)
