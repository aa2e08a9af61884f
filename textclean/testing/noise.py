"""A noise model: pure functions that damage canonical text the way layout and OCR do.

Each operator mirrors one kind of damage that a textclean rule repairs. Operators take
canonical text (one paragraph per line) or the output of another operator, and a
``random.Random`` where they choose places; they never raise on any ``str``.

The layout operator :func:`wrap` renders paragraphs into newspaper columns. It keeps
to damage that is recoverable in principle: a paragraph that ends on a full line, with
nothing (not even a blank line or an indent) before the next one, cannot be told from a
wrapped line, so ``wrap`` always leaves the last line of a paragraph visibly short when
the separator is ``"none"``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterator

import regex

from textclean import chardata as cd
from textclean.testing.typography import cells, ends_sentence, is_credit_line, is_headline_like

#: Marks that a typesetter never puts at the start of a line (kinsoku).
_NO_LINE_START = "，。、；：？！）》”’…—%"

#: Marks that a typesetter never leaves at the end of a line.
_NO_LINE_END = "（《“‘"

#: A Latin word or a number, which a typesetter keeps on one line and a justified line
#: keeps whole: RCEP, COVID-19, 15.3%, 10:30, 1-4 (in full-width forms too).
_WORD = regex.compile(f"[{cd.ALNUM_CLASS}]+(?:[.:,+\\-][{cd.ALNUM_CLASS}]+)*%?")

_HAN = regex.compile(r"\p{Han}")


def is_standalone(paragraph: str) -> bool:
    """Headline, caption and credit lines are set on lines of their own, not wrapped."""
    return (is_headline_like(paragraph) or is_credit_line(paragraph)
            or paragraph[:1] in cd.CAPTION_MARKS)


def wrap_paragraph(paragraph: str, width: int, *, indent: int = 2) -> list[str]:
    """Cut one paragraph into column lines of ``width`` cells (the first ``indent`` shorter).

    As typesetters do, lines never start with closing punctuation (a mark that would,
    stays at the end of the line before, which is then a little wider) and never end
    with an opening mark (it moves to the next line); a Latin word or a number stays
    on one line.

    >>> wrap_paragraph('王毅：各国人民的生命健康从来没有像今天这样休戚与共。', 10)
    ['王毅：各国人民的', '生命健康从来没有像今', '天这样休戚与共。']
    >>> wrap_paragraph('我们的发展《规划》和10:30的会议', 8)
    ['我们的发展', '《规划》和10:30', '的会议']
    """
    lines: list[str] = []
    current = ""
    limit = width - indent
    i = 0
    while i < len(paragraph):
        m = _WORD.match(paragraph, i)
        token = m.group() if m else paragraph[i]
        if current and cells(current + token) > limit and token[0] not in _NO_LINE_START:
            carried = len(current) - len(current.rstrip(_NO_LINE_END))
            if carried < len(current):
                lines.append(current[:len(current) - carried])
                current = current[len(current) - carried:]
                limit = width
        current += token
        i += len(token)
    if current:
        lines.append(current)
    return lines


def wrap(text: str, width: int, *, separator: str = "blank", rng: random.Random | None = None,
         keep_indent: bool = False) -> str:
    """Render canonical text as a column-wrapped dump.

    ``separator`` says how paragraphs are told apart: ``"blank"`` (a blank line),
    ``"indent"`` (the first line indented with two ideographic spaces) or ``"none"``
    (only by a short last line; a paragraph that ends on a full line is followed by a
    blank line, so that its end stays visible). Headlines,
    captions and credit lines stay whole lines. ``keep_indent`` keeps the indentation
    with the other separators too.
    """
    rng = rng or random.Random(0)
    out: list[str] = []
    full_end = False
    for paragraph in text.split("\n"):
        if not paragraph:
            continue
        if is_standalone(paragraph):
            lines = [paragraph]
        else:
            lines = wrap_paragraph(paragraph, width)
            if separator == "indent" or keep_indent:
                lines[0] = "\u3000\u3000" + lines[0]
        if out and (separator == "blank" or (separator == "none" and full_end)):
            out.append("")
        out.extend(lines)
        # With no separator, a paragraph that ends on a full line can't be told from a
        # wrapped one: the typesetter's only way to show the end is a blank line.
        limit = width - (2 if len(lines) == 1 and separator != "indent" else 0)
        full_end = not is_standalone(paragraph) and cells(lines[-1]) >= limit - 2
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def column_spaces(text: str, width: int) -> str:
    """Render text as paragraphs whose column lines were joined with spaces (seed 004).

    >>> column_spaces('国务委员兼外交部长王毅就中国外交政策和对外关系回答中外记者提问。', 8)
    '国务委员兼外 交部长王毅就中国 外交政策和对外关 系回答中外记者提 问。'
    """
    out = [lines[0] if whole else " ".join(lines) for whole, lines in _set(text, width)]
    return "\n\n".join(out) + ("\n" if text.endswith("\n") else "")


def _set(text: str, width: int) -> Iterator[tuple[bool, list[str]]]:
    """Each paragraph of canonical text as a column sets it: whether it stands whole
    (a headline, caption or credit line), and its lines."""
    for paragraph in text.split("\n"):
        if paragraph:
            whole = is_standalone(paragraph)
            yield whole, [paragraph] if whole else wrap_paragraph(paragraph, width)


def column_lines(text: str, width: int) -> list[str]:
    """The lines of canonical text set in a column of ``width`` cells: paragraphs
    wrapped with their first line indented by two ideographic spaces, headlines,
    captions and credits whole (the order a reader reads them in).

    >>> column_lines('王毅：各国人民的生命健康从来没有像今天这样休戚与共。', 12)
    ['\u3000\u3000王毅：各国人民的生命', '健康从来没有像今天这样休', '戚与共。']
    """
    out: list[str] = []
    for whole, lines in _set(text, width):
        out.extend(lines if whole else ["\u3000\u3000" + lines[0], *lines[1:]])
    return out


def side_by_side(lines: list[str], columns: int, *, gap: int = 4, cells_wide: bool = False,
                 holes: tuple[tuple[int, int, int], ...] = (),
                 height: int | None = None) -> list[str]:
    """Set column lines (in reading order) as a layout-preserving engine prints them:
    ``columns`` columns of equal height next to each other on each physical line,
    the last one shorter if the lines do not divide evenly.

    Positions count one slot a character, as ``pdftotext -layout`` and pdfplumber
    print them (or display cells with ``cells_wide``); a column is padded to its
    widest line plus ``gap`` spaces; an indent (two ideographic spaces) becomes two
    slots. ``holes`` leave rows of a column empty (a picture): (column, first row,
    rows). ``height`` sets the columns' height (the band's): the last columns hold
    what is left, or nothing.

    >>> for row in side_by_side(['甲一', '甲二', '乙一', '乙二'], 2, gap=2): print(row)
    甲一  乙一
    甲二  乙二
    """
    height = height or -(-len(lines) // columns)
    cols: list[list[str]] = []
    k = 0
    for c in range(columns):
        col: list[str] = []
        for r in range(height + sum(n for cc, _, n in holes if cc == c)):
            if any(cc == c and first <= r < first + n for cc, first, n in holes):
                col.append("")
            elif k < len(lines):
                col.append(lines[k])
                k += 1
        cols.append(col)

    def slots(line: str) -> int:
        if cells_wide:
            return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        return len(line)

    def shown(line: str) -> str:
        return "  " + line[2:] if line.startswith("\u3000\u3000") else line

    widths = [max((slots(shown(line)) for line in col), default=0) + gap for col in cols]
    height = max(len(col) for col in cols)
    out = []
    for r in range(height):
        printed = ""
        for c, col in enumerate(cols):
            text = shown(col[r]) if r < len(col) else ""
            printed += text + " " * (widths[c] - slots(text))
        out.append(printed.rstrip())
    return out


def _trimmed_cells(line: str) -> float:
    """Width of a line without a last mark that may hang past the column's end."""
    line = line.strip()
    return cells(line) - (1 if line and line[-1] in _NO_LINE_START else 0)


def page_breaks(dump: str, rng: random.Random, *, rate: float = 0.05) -> str:
    """Insert a blank line after some wrapped lines that stop mid-sentence (a page break).

    Only lines inside a paragraph (followed by a non-blank line) that do not end a
    sentence get one: a break after a sentence end looks like a paragraph end. Nor
    does a line whose next line, after the break, is as short as a paragraph's first
    line (its last mark aside): that reads as a paragraph that lost its end.
    """
    lines = dump.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (line.strip() and nxt.strip() and not ends_sentence(line)
                and not nxt.startswith("\u3000") and not is_standalone(line.strip())
                and not is_standalone(nxt.strip()) and nxt.strip()[0] not in _NO_LINE_START
                and _trimmed_cells(nxt) > cells(line) - 2 and rng.random() < rate):
            out.append("")
    return "\n".join(out)


# --- Inline noise ----------------------------------------------------------------------


def _sub_some(pattern: str, repl: Callable[[regex.Match[str]], str], text: str,
              rng: random.Random, rate: float) -> str:
    return regex.sub(pattern, lambda m: repl(m) if rng.random() < rate else m.group(), text)


def space_numbers(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Put spaces around numbers that touch Han characters: ``5月24日`` → ``5 月 24 日``."""
    return _sub_some(r"(?<=\p{Han})[0-9]+(?:\.[0-9]+)?%?(?=\p{Han})",
                     lambda m: f" {m.group()} ", text, rng, rate)


def space_digits(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Space a number out digit by digit: ``120多亿`` → ``1 2 0 多亿``."""
    return _sub_some(r"(?<=\p{Han})[0-9]{2,}(?=\p{Han})",
                     lambda m: " ".join(m.group()) + " ", text, rng, rate)


_JUSTIFY_UNIT = regex.compile(_WORD.pattern + "|.", regex.DOTALL)


def justify_lines(dump: str, rng: random.Random, *, rate: float = 0.05) -> str:
    """Put a space between the characters of some lines (a justified line).

    A Latin word or number is one unit, as a typesetter justifies a Chinese line by
    spacing its ideographs: ``发展RCEP经济`` → ``发 展 RCEP 经 济``.
    """
    lines = dump.split("\n")
    return "\n".join(
        " ".join(_JUSTIFY_UNIT.findall(line)) if line and _HAN.search(line)
        and not is_standalone(line) and rng.random() < rate else line
        for line in lines
    )


_HALF = {"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"}


def half_width_punctuation(text: str, rng: random.Random, *, rate: float = 1.0) -> str:
    """Make CJK punctuation ASCII (``王毅：`` → ``王毅:``), as some dumps do."""
    return _sub_some("[，：；！？（）]", lambda m: _HALF[m.group()], text, rng, rate)


def straight_quotes(text: str, rng: random.Random, *, rate: float = 1.0) -> str:
    """Straighten curly double quotes: ``“云外交”`` → ``"云外交"``."""
    return _sub_some("[“”]", lambda m: '"', text, rng, rate)


def yi_as_dash(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Read 一 as a dash where a clause or line starts with a 一-word: ``一年来`` → ``-年来``."""
    tails = "|".join(sorted(cd.yi_word_tails(), key=len, reverse=True))
    return _sub_some(rf"(?:^|(?<=[。，；：！？]))一(?=(?:{tails}))",
                     lambda m: rng.choice(["-", "—", "_"]), text, rng, rate)


def fullwidth_alnum(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Make ASCII letters and digits full-width: ``2020`` → ``２０２０``."""
    return _sub_some(r"[0-9A-Za-z]+", lambda m: m.group().translate(
        {cp - 0xFEE0: cp for cp in cd.FULLWIDTH_ALNUM}), text, rng, rate)


_RADICAL_OF = {v: chr(k) for k, v in sorted(cd.IDEOGRAPH_TABLE.items())
               if 0x2F00 <= k <= 0x2FDF}


def kangxi_radicals(text: str, rng: random.Random, *, rate: float = 0.3) -> str:
    """Replace characters by the Kangxi radical that looks the same (``一`` → ``⼀``)."""
    chars = "".join(_RADICAL_OF)
    if not chars:
        return text
    return _sub_some(f"[{regex.escape(chars)}]", lambda m: _RADICAL_OF[m.group()], text,
                     rng, rate)


def mojibake(text: str, *, encoding: str = "latin-1") -> str:
    """Encode as UTF-8 and decode as ``latin-1`` or ``windows-1252`` (sloppily)."""
    data = text.encode("utf-8")
    if encoding == "latin-1":
        return data.decode("latin-1")
    return "".join(
        bytes([b]).decode("cp1252", errors="replace") if b >= 0x80 and bytes([b]).decode(
            "cp1252", errors="replace") != "\ufffd" else chr(b)
        for b in data
    )


def lose_turn_breaks(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Merge a turn into the paragraph before it: ``…关系？\\n王毅：`` → ``…关系？ 王毅：``."""
    return _sub_some(r"(?<=[。？！])\n(?=[\p{Han}·]{2,4}：)", lambda m: " ", text, rng, rate)


def continuation_markers(dump: str, rng: random.Random, *, rate: float = 0.05) -> str:
    """Add page-continuation markers on lines of their own: ``（下转第四版）``."""
    lines = dump.split("\n")
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line.strip() and rng.random() < rate:
            page = rng.choice(["6", "第四", "2", "第12"])
            out.extend([rng.choice(["(上接", "（上接", "（下转", "(转"]) + page + "版"
                        + rng.choice([")", "）"]), ""])
    return "\n".join(out)
