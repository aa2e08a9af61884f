"""Inline phase (CANON.md, "Punctuation and width"): width, quotes, dashes, ellipses.

Chinese context is decided per mark from its nearest non-space neighbours: a mark next to
a CJK letter or CJK punctuation is Chinese; a mark between Latin words or inside a
number is not.
"""

from __future__ import annotations

from functools import cache

import regex

from textclean import chardata as cd
from textclean import engine

_STRONG = f"[{cd.CJK_STRONG}]"
_STRONG_RE = cd.compile_class(_STRONG)
_HAN_RE = cd.compile(r"\p{Han}")
_DIGIT_RE = cd.compile_class(r"[0-9]")
_LATIN_LETTER_RE = cd.compile_class(r"[A-Za-z]")

#: Opening and closing marks that carry a Chinese context to the mark beside them.
_CJK_OPENERS = "“‘《（〈「『【"
_CJK_CLOSERS = "”’》）〉」』】"

_WIDE = {",": "，", ";": "；", "!": "！", "?": "？", ":": "：", ".": "。"}


def neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest non-space characters before start and after end ('' at a line edge)."""
    i = start - 1
    while i >= 0 and text[i] in cd.HSPACE:
        i -= 1
    j = end
    while j < len(text) and text[j] in cd.HSPACE:
        j += 1
    left = text[i] if i >= 0 and text[i] != "\n" else ""
    right = text[j] if j < len(text) and text[j] != "\n" else ""
    return left, right


def fold_fullwidth_alnum(text: str) -> str:
    """Full-width letters and digits to ASCII: ``２０２０年``, ``ＡＰＰ`` → ``2020年``, ``APP``.

    Fires when: the text has a character of U+FF10..U+FF19, U+FF21..U+FF3A or
    U+FF41..U+FF5A.
    Does: replaces it with its ASCII letter or digit.
    Leaves alone: full-width punctuation (，。：), which is right in Chinese text.

    >>> fold_fullwidth_alnum('２０２０年，ＡＰＰ')
    '2020年，APP'
    >>> fold_fullwidth_alnum('中国，2020年')
    '中国，2020年'
    """
    return engine.twin(fold_fullwidth_alnum_reference, text)


def fold_fullwidth_alnum_reference(text: str) -> str:
    """:func:`fold_fullwidth_alnum` in Python: the specification of the engine's twin."""
    if not _FULLWIDTH_ALNUM.search(text):
        return text
    return text.translate(cd.FULLWIDTH_ALNUM)


_FULLWIDTH_ALNUM = cd.compile_class(f"[{cd.FULLWIDTH_ALNUM_CLASS}]")
_NUMBER_PUNCT = cd.compile(r"(?<=[0-9])(?:[．｡](?=[0-9])|％|[：∶](?=[0-9])|－(?=[0-9]))")
_NARROW = {"．": ".", "｡": ".", "％": "%", "：": ":", "∶": ":", "－": "-"}


def narrow_number_punctuation(text: str) -> str:
    """Half-width decimal point, percent sign, colon and hyphen inside numbers.

    Fires when: ``．``, ``％``, ``：`` or ``－`` stands inside a number (after a digit,
    and before one for the point, colon and hyphen).
    Does: makes it ASCII: ``15．3％`` → ``15.3%``, ``10：30`` → ``10:30``, ``1－4月`` → ``1-4月``.
    Leaves alone: the same marks outside numbers (``王毅：``).
    Runs after: fold_fullwidth_alnum (the digits must be ASCII).

    >>> narrow_number_punctuation('增长15．3％，10：30开始，1－4月')
    '增长15.3%，10:30开始，1-4月'
    >>> narrow_number_punctuation('王毅：好')
    '王毅：好'
    """
    return engine.twin(narrow_number_punctuation_reference, text)


def narrow_number_punctuation_reference(text: str) -> str:
    """:func:`narrow_number_punctuation` in Python: the specification of the engine's twin."""
    if not _NUMBER_PUNCT.search(text):
        return text
    return _NUMBER_PUNCT.sub(lambda m: _NARROW[m.group()], text)


#: A quote kind: the straight mark, its opening and closing forms, and the pattern of
#: every mark of that kind in a line, curly ones included.
_DOUBLE = ('"', "\u201c", "\u201d", cd.compile("[\"\u201c\u201d]"))
_SINGLE = ("'", "\u2018", "\u2019", cd.compile("['\u2018\u2019]"))
_QUOTE_LINE = cd.compile("^.*[\"'][^\n]*$", regex.MULTILINE)
_CLOSING_LINE = cd.compile("^.*\u201d[^\n]*$", regex.MULTILINE)
_WORD_CHAR = cd.compile(r"[\p{L}\p{N}]")
#: Where one sentence ends and the next begins, no quote mark between them.
_GAP_ENDS = "。！？"
_GAP_NOT_BEFORE = "\"'“”‘’」』）)"
_SENTENCE_GAP = cd.compile(f"[{_GAP_ENDS}]+(?=[^{_GAP_NOT_BEFORE}\\s])")


def _is_apostrophe(line: str, i: int) -> bool:
    """A single mark with a letter or digit right on both sides (China's, don't)."""
    return (0 < i < len(line) - 1 and bool(_WORD_CHAR.match(line[i - 1]))
            and bool(_WORD_CHAR.match(line[i + 1]))
            and not (_HAN_RE.match(line[i - 1]) and _HAN_RE.match(line[i + 1])))


#: Marks a quote may not open before (it would open nothing)…
_NOTHING_TO_OPEN = "，。、；：！？,.;:!?）)”’"
#: …and marks it may not close after.
_NOTHING_TO_CLOSE = "（(“‘《"


def _quote_changes(line: str, kind: tuple[str, str, str, regex.Pattern[str]], *,
                   may_stay_open: bool, curly_known: bool = True,
                   ) -> list[tuple[int, str]] | None:
    """Where the straight quotes of ``kind`` in ``line`` open and close, or None when
    that is not certain (a quote would open before punctuation, close after an opening
    mark, or stay open: only a paragraph's start, if ``may_stay_open``, may leave one
    open, a quotation that runs over several paragraphs). Unless ``curly_known``,
    curly marks are taken as straight ones too (which way they face is unknown)."""
    straight, opening, closing, marks = kind
    inside = False
    opened_at_start = False
    changes: list[tuple[int, str]] = []
    for m in marks.finditer(line):
        q, i = m.group(), m.start()
        if straight == "'" and _is_apostrophe(line, i):
            continue
        if q == opening and curly_known:
            inside = True
            continue
        if q == closing and curly_known:
            inside = False
            continue
        left, right = neighbours(line, i, i + 1)
        if not inside:
            # An opening quote needs something to open.
            if not right or right in _NOTHING_TO_OPEN:
                return None
            changes.append((i, opening))
            inside = True
            opened_at_start = i == len(line) - len(line.lstrip(cd.HSPACE))
        else:
            if not left or left in _NOTHING_TO_CLOSE:
                return None
            changes.append((i, closing))
            inside = False
    if inside and changes and changes[-1][1] == opening and not (
            may_stay_open and opened_at_start):
        return None
    return changes


def _pair_quotes_in_line(line: str, kind: tuple[str, str, str, regex.Pattern[str]], *,
                         curly_known: bool = True) -> str:
    straight, _, _, marks = kind
    if (straight not in line and curly_known) or not _STRONG_RE.search(line):
        return line
    # A quotation may stay open at a paragraph's start (it runs over several), but
    # not where the marks' facing is unknown: an orphaned closing mark may open it.
    changes = _quote_changes(line, kind, may_stay_open=curly_known, curly_known=curly_known)
    if changes is None:
        # An engine dropped a quote somewhere: each sentence whose quotes pair on
        # their own is paired, the others stay as they are.
        changes = []
        start = 0
        for end in [m.end() for m in _SENTENCE_GAP.finditer(line)] + [len(line)]:
            piece = line[start:end]
            if straight in piece or (not curly_known and marks.search(piece)):
                found = _quote_changes(piece, kind, may_stay_open=False,
                                       curly_known=curly_known)
                changes += [(start + i, q) for i, q in found or ()]
            start = end
    if not changes:
        return line
    chars = list(line)
    for i, q in changes:
        chars[i] = q
    return "".join(chars)


def _pair_in_line(line: str) -> str:
    return _pair_quotes_in_line(_pair_quotes_in_line(line, _DOUBLE), _SINGLE)


def _faces_wrong_way(line: str) -> bool:
    """Whether a closing double quote stands where none is open (OCR turned it)."""
    depth = 0
    for m in _DOUBLE[3].finditer(line):
        q = m.group()
        if q == "\u201c":
            depth += 1
        elif q == "\u201d":
            if depth == 0:
                return True
            depth -= 1
    return False


def turn_ocr_quotes(text: str) -> str:
    """Turn double quotes that an OCR engine set facing the wrong way.

    Fires when: a line (paragraph) with CJK characters has a closing ``”`` where no
    quotation is open (before any ``“``, or after the quotations opened have closed).
    Does: takes the line's double quotes as if all were straight and pairs them as
    :func:`pair_straight_quotes` does: the whole line where that is certain, else each
    sentence whose quotes pair on their own.
    Leaves alone: lines whose curly quotes open before they close (nested quotes
    too: ``“学习“雷锋”精神”``), lines without CJK, single quotes (``’`` is also an
    apostrophe), and every quote of a sentence whose pairing is not certain.
    Runs before: pair_straight_quotes.

    >>> turn_ocr_quotes('积极进展，”南海行为准则“磋商也在推进。')
    '积极进展，“南海行为准则”磋商也在推进。'
    >>> turn_ocr_quotes('他说：“我们走，”然后又说：“好。”')
    '他说：“我们走，”然后又说：“好。”'
    >>> turn_ocr_quotes('”我们走吧。')
    '”我们走吧。'
    """
    if "\u201d" not in text:
        return text
    return engine.twin(turn_ocr_quotes_reference, text)


def turn_ocr_quotes_reference(text: str) -> str:
    """:func:`turn_ocr_quotes` in Python: the specification of the engine's twin."""
    if "\u201d" not in text:
        return text
    return _CLOSING_LINE.sub(
        lambda m: _pair_quotes_in_line(m.group(), _DOUBLE, curly_known=False)
        if _faces_wrong_way(m.group()) else m.group(), text)


def pair_straight_quotes(text: str) -> str:
    """Pair straight quotes into “” and ‘’ in Chinese text.

    Fires when: a line (paragraph) with CJK characters has a straight ``"`` or ``'``.
    Does: for double quotes, then single ones, walks the line's quotes of that kind in
    order, curly ones included, and makes each straight quote the opening or closing
    one the walk expects; a quotation opened at the paragraph start may stay open (it
    runs over several paragraphs).
    Where the line's quotes do not pair (an OCR engine dropped one), each sentence
    whose quotes pair on their own is paired.
    Leaves alone: lines without CJK (``Hello "world"``); an apostrophe, a ``'`` with a
    letter or digit right on both sides (``China's``, ``don't``); and every quote of
    its kind in a sentence where a quote would open before punctuation, close after an
    opening mark, or stay open (but at a paragraph's start): there the pairing is not
    certain.
    Runs after: join_wrapped_lines (a quotation broken over lines is whole by then).

    >>> pair_straight_quotes('推进高质量共建"一带一路","健康丝绸之路"')
    '推进高质量共建“一带一路”,“健康丝绸之路”'
    >>> pair_straight_quotes("他说：China's 'new' plan")
    "他说：China's ‘new’ plan"
    >>> pair_straight_quotes('He said "yes".')
    'He said "yes".'
    >>> pair_straight_quotes('还有一种"政治病毒"在扩散。这种"政治病毒就是')
    '还有一种“政治病毒”在扩散。这种"政治病毒就是'
    """
    if '"' not in text and "'" not in text:
        return text
    return engine.twin(pair_straight_quotes_reference, text)


def pair_straight_quotes_reference(text: str) -> str:
    """:func:`pair_straight_quotes` in Python: the specification of the engine's twin."""
    if '"' not in text and "'" not in text:
        return text
    return _QUOTE_LINE.sub(lambda m: _pair_in_line(m.group()), text)


#: A paragraph that may be Latin-only: no Han, Kana or Hangul letter, and no CJK
#: punctuation but the marks narrow_latin_punctuation narrows.
_NOT_LATIN_ONLY = cd.compile(
    f"[\\p{{Han}}\\p{{Hiragana}}\\p{{Katakana}}\\p{{Hangul}}]"
    f"|[{cd.CJK_PUNCT}--[{''.join(cd.LATIN_MARKS)}]]",
    regex.V1,
)
_FULL_MARK = cd.compile_class(f"[{''.join(cd.LATIN_MARKS)}]")
#: A line that opens with a Latin letter or digit (_LATIN_SENTENCE: no other line is
#: narrowed, and the pattern passes over it at its first character), has a Latin
#: letter, and has one of the marks.
_LATIN_LETTER_LINE = cd.compile(
    "^(?=[A-Za-z0-9])(?=[^\n]*[A-Za-z])[^\n]*[{}][^\n]*$".format("".join(cd.LATIN_MARKS)),
    regex.MULTILINE)
#: What a space goes before, after a narrowed mark: a letter, a digit or one of these.
_WORDLIKE_MARKS = "(“‘\"'"
_WORDLIKE = cd.compile(rf"[\p{{L}}\p{{N}}{_WORDLIKE_MARKS}]")
#: What may stand before ``(`` with no space put between (narrow_latin_punctuation).
_NO_SPACE_BEFORE_PAREN = cd.HSPACE + "(“‘\"'（"
#: A Latin sentence starts with a letter or digit (a line that starts with a mark is a
#: fragment: ``，Not a sentence。``) ...
_LATIN_SENTENCE = cd.compile_class(r"[A-Za-z0-9]")
#: ... and has two words with a space between them, or two marks (``Hello，world！``); a
#: lone word with one Chinese mark (``SHA1。``, ``Ningbo，China``) may be the end of a
#: Chinese sentence and stays as written.
_LATIN_WORD_SPACE = cd.compile(r"[A-Za-z0-9][ ]+[A-Za-z0-9]")


def narrow_latin_punctuation(text: str) -> str:
    """Make full-width punctuation ASCII in a paragraph without CJK: ``Hello，world！``.

    Fires when: a line (paragraph) that starts with a Latin letter or digit and has no
    Han, Kana or Hangul character has ``，；：！？。（）`` and no other CJK punctuation
    (CANON: a paragraph with no CJK character gets ASCII punctuation), and reads as a
    sentence: two words with a space between them, or two such marks.
    Does: replaces each with its ASCII mark, with the space that Latin typography puts
    after it before a letter, digit or opening mark, and before ``(`` unless a space or
    an opening mark is there: ``Hello，world！`` → ``Hello, world!``.
    Leaves alone: every line with a CJK character, and lines with other CJK marks
    (``《》``, ``「」``), whose context is not Latin; a line that starts with a mark or
    is one word with one mark (``SHA1。``, ``Ningbo，China``): it may be a fragment of
    Chinese text.
    Runs before: widen_cjk_punctuation (which never fires on the lines this rule
    narrows: none of their characters is CJK afterwards).

    >>> narrow_latin_punctuation('Hello，world！（Reuters）')
    'Hello, world! (Reuters)'
    >>> narrow_latin_punctuation('中国，你好！')
    '中国，你好！'
    """
    return engine.twin(narrow_latin_punctuation_reference, text)


def narrow_latin_punctuation_reference(text: str) -> str:
    """:func:`narrow_latin_punctuation` in Python: the specification of the engine's twin."""
    if not _FULL_MARK.search(text):
        return text
    return _LATIN_LETTER_LINE.sub(lambda m: _narrow_line(m.group()), text)


def _narrow_line(line: str) -> str:
    if _NOT_LATIN_ONLY.search(line) or not _LATIN_SENTENCE.match(line):
        return line
    if not _LATIN_WORD_SPACE.search(line) and len(_FULL_MARK.findall(line)) < 2:
        return line

    def fix(m: regex.Match[str]) -> str:
        mark, space = cd.LATIN_MARKS[m.group()]
        i = m.start()
        if space == "before":
            before = line[i - 1] if i else ""
            return mark if not before or before in _NO_SPACE_BEFORE_PAREN else f" {mark}"
        after = line[i + 1] if i + 1 < len(line) else ""
        return f"{mark} " if after and _WORDLIKE.match(after) else mark

    return _FULL_MARK.sub(fix, line)


#: One ASCII mark, or a run of them (好?!, 表?????): a run takes one decision, so that
#: one pass widens all of it (mark by mark, each pass would widen only the next one).
_ASCII_MARK = cd.compile(r"[,;!?:]{2,}|[,;!?:.]")
_WIDE_RUN = str.maketrans(_WIDE)


def widen_cjk_punctuation(text: str) -> str:
    """Make ``, ; ! ? : .`` full-width in Chinese context.

    Fires when: in a line (paragraph) with CJK characters, one of these ASCII marks has
    a CJK letter, CJK punctuation or a closing Chinese mark (”》）) as its nearest
    neighbour on the left, or an opening one or CJK on the right.
    Does: replaces it with ``，；！？：``; ``.`` becomes ``。`` only right after a Han
    character and before a line end, CJK text or an opening quote.
    Leaves alone: marks in Latin text (``Hello, world!``), and inside numbers
    (``1,000``, ``10:30``, ``3.5``); dots of an ellipsis (``...``); every mark of a line
    without CJK characters (``He said “yes”: fine``).
    Runs after: pair_straight_quotes (a straight quote gives no context).

    >>> widen_cjk_punctuation('王毅:好!各国人民,团结合作.')
    '王毅：好！各国人民，团结合作。'
    >>> widen_cjk_punctuation('Hello, world! At 10:30, 1,000.5 people.')
    'Hello, world! At 10:30, 1,000.5 people.'
    """
    if not _ASCII_MARK.search(text):
        return text
    return engine.twin(widen_cjk_punctuation_reference, text)


def widen_cjk_punctuation_reference(text: str) -> str:
    """:func:`widen_cjk_punctuation` in Python: the specification of the engine's
    twin."""
    if not _ASCII_MARK.search(text):
        return text
    # The Chinese context is the paragraph's: a line without CJK is left alone, whatever
    # the rest of the document holds.
    return "\n".join(
        _ASCII_MARK.sub(_widen_mark, line) if _STRONG_RE.search(line) else line
        for line in text.split("\n")
    )


_TOKEN_CHARS = frozenset("0123456789.%-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _before_token(s: str, i: int) -> str:
    """The context on the left of a mark that follows a number or a Latin word.

    A number takes the script of the text around it, and so does a Latin word set
    straight against CJK (发展RCEP!): the result is the nearest character before it. A
    Latin word after a space belongs to Latin text: the result is then ''.

    >>> _before_token('增长0.1%!', 6), _before_token('发展RCEP!', 6)
    ('长', '展')
    >>> _before_token('grew 5%!', 7), _before_token('他说：Hello world!', 14)
    ('w', '')
    """
    j = i - 1
    while j >= 0 and s[j] in cd.HSPACE:
        j -= 1
    end = j
    letters = False
    while j >= 0 and (s[j] in _TOKEN_CHARS
                      or (s[j] in ",:" and j < end and s[j + 1].isdigit())):
        letters = letters or s[j].isalpha()
        j -= 1
    k = j
    while k >= 0 and s[k] in cd.HSPACE:
        k -= 1
    if letters and k != j:
        return ""
    return s[k] if k >= 0 and s[k] != "\n" else ""


def _widen_mark(m: regex.Match[str]) -> str:
    """The width an ASCII mark should have, from its neighbours (widen_cjk_punctuation)."""
    mark = m.group()
    s = m.string
    i = m.start()
    left, right = neighbours(s, i, m.end())
    if len(mark) > 1:
        if left in _TOKEN_CHARS and left:
            left = _before_token(s, i)
        if ((left and (_STRONG_RE.match(left) or left in _CJK_CLOSERS))
                or (right and (_STRONG_RE.match(right) or right in _CJK_OPENERS))):
            return mark.translate(_WIDE_RUN)
        return mark
    if mark == ".":
        if s[i - 1:i] == "." or s[i + 1:i + 2] == ".":
            return mark
        if (_HAN_RE.match(s[i - 1:i]) and
                (not right or _STRONG_RE.match(right) or right in _CJK_OPENERS)):
            return "。"
        return mark
    if _DIGIT_RE.match(left) and _DIGIT_RE.match(right):
        return mark
    if left and (left in _TOKEN_CHARS):
        left = _before_token(s, i)
    cjk_left = bool(left) and (bool(_STRONG_RE.match(left)) or left in _CJK_CLOSERS)
    cjk_right = bool(right) and (bool(_STRONG_RE.match(right)) or right in _CJK_OPENERS)
    if mark == ":" and not cjk_left and _DIGIT_RE.match(left):
        return mark
    if cjk_left or cjk_right:
        return _WIDE[mark]
    return mark


_PARENS = cd.compile(r"[(（]([^()（）\n]*)[)）]")


def widen_cjk_parentheses(text: str) -> str:
    """Make a pair of half-width parentheses full-width in Chinese context: ``（RCEP）``.

    Fires when: a matched pair with at least one half-width parenthesis encloses CJK
    text, or has CJK on its outer side (``东盟与中日韩(10+3)抗击``).
    Does: makes both parentheses full-width.
    Leaves alone: pairs in Latin text (``f(x)``), unmatched parentheses.

    >>> widen_cjk_parentheses('区域全面经济伙伴关系协定(RCEP)生效，(参与记者：王建功)')
    '区域全面经济伙伴关系协定（RCEP）生效，（参与记者：王建功）'
    >>> widen_cjk_parentheses('f(x) = 2')
    'f(x) = 2'
    """
    return engine.twin(widen_cjk_parentheses_reference, text)


def widen_cjk_parentheses_reference(text: str) -> str:
    """:func:`widen_cjk_parentheses` in Python: the specification of the engine's twin."""
    if "(" not in text and ")" not in text:
        return text

    def fix(m: regex.Match[str]) -> str:
        whole, inner = m.group(), m.group(1)
        if "(" not in whole and ")" not in whole:
            return whole
        left, _ = neighbours(m.string, m.start(), m.start())
        _, right = neighbours(m.string, m.end(), m.end())
        chinese = (bool(_STRONG_RE.search(inner)) or bool(_STRONG_RE.match(left))
                   or bool(_STRONG_RE.match(right)))
        return f"（{inner}）" if chinese else whole

    return _PARENS.sub(fix, text)


_ELLIPSIS = cd.compile(
    r"\.{3,}|。{3,}|[·・]{3,}|⋯+|(?<!…)…(?:[" + cd.HSPACE + r"]+…(?!…))*(?!…)"
    r"|-{2,}|－{2,}|─{2,}|–{2,}|—[-－─]|[-－─]—|(?<!—)—[" + cd.HSPACE + r"]+—(?!—)"
)


#: What some alternative of _ELLIPSIS holds, as plain strings (the pattern itself,
#: with its lookbehinds, is slower to say that a text has none).
_ELLIPSIS_STARTS = ("...", "。。。", "⋯", "…", "--", "－－", "──", "––",
                    "-—", "－—", "─—", "—-", "—－", "—─")
_DOT_RUN = cd.compile_class("[·・]{3}")
_SPACED_DASH = cd.compile(f"—[{cd.HSPACE}]")


def _may_hold_ellipsis(text: str) -> bool:
    """Whether text may hold a match of _ELLIPSIS: false only where it holds none.

    >>> _may_hold_ellipsis('他说...'), _may_hold_ellipsis('— —'), _may_hold_ellipsis('——。')
    (True, True, False)
    """
    return (any(start in text for start in _ELLIPSIS_STARTS)
            or (("·" in text or "・" in text) and _DOT_RUN.search(text) is not None)
            or ("—" in text and _SPACED_DASH.search(text) is not None))


#: Neighbours that make a spaced pair of em dashes Chinese, when both sides have one.
#: OCR's 丶 (a radical, U+4E36) between two pieces of Chinese text, where 、 belongs.
_OCR_DUN = cd.compile(f"(?<=[\\p{{Han}}{_CJK_CLOSERS}])丶(?=[\\p{{Han}}{_CJK_OPENERS}])")
#: OCR's · for 。 at a paragraph's end after a Han character (closing marks may follow).
_OCR_STOP = cd.compile(
    f"(?<=\\p{{Han}})[·・](?=[{_CJK_CLOSERS}]*$)", regex.MULTILINE)
#: OCR's 一一 for —— opening a sub-title line: a sub-title's opening word follows
#: (一一访…, 一一记…, 一一来自…), and the line has no sentence punctuation, so it is
#: no sentence or headline that starts with the adverb 一一 (一一列举, 一一破解).
_NOT_IN_SUBTITLE = "，。！？；："
#: A sub-title line after its 一一 has at most this many characters.
_SUBTITLE_CHARS = 40
_OCR_SUBTITLE = cd.compile(
    rf"^一一(?=(?:{cd.SUBTITLE_OPENERS})[^\n{_NOT_IN_SUBTITLE}]{{1,{_SUBTITLE_CHARS}}}$"
    # or any words, on the line above a byline: the headline block's sub-title
    rf"|[^\n{_NOT_IN_SUBTITLE}]{{1,{_SUBTITLE_CHARS}}}\n(?:{cd.BYLINE_BODY})$)",
    regex.MULTILINE)


def restore_ocr_marks(text: str) -> str:
    r"""Restore marks OCR read as look-alike characters in Chinese text.

    Fires when: ``丶`` (a radical) stands between two pieces of Chinese text; ``·`` ends
    a paragraph right after a Han character; ``一一`` opens a line without sentence
    punctuation that a sub-title's word opens (``一一访全国人大代表王建国``) or that
    stands over a byline (``本报记者孙静``).
    Does: makes them ``、``, ``。`` and ``——``.
    Leaves alone: ``·`` between the parts of a name (``比尔·盖茨``) or anywhere but a
    paragraph's end; the adverb ``一一`` inside a sentence (``一一列举``, ``一一对应``)
    or at the start of one (it has punctuation); ``丶`` next to anything but Chinese.
    Runs before: widen_cjk_punctuation.

    >>> restore_ocr_marks('北京丶上海丶广州都很好·')
    '北京、上海、广州都很好。'
    >>> print(restore_ocr_marks('一一访全国人大代表王建国\n比尔·盖茨说，要一一列举。'))
    ——访全国人大代表王建国
    比尔·盖茨说，要一一列举。
    >>> print(restore_ocr_marks('一一海关总署新闻发言人答记者问\n本报记者孙静'))
    ——海关总署新闻发言人答记者问
    本报记者孙静
    """
    return engine.twin(restore_ocr_marks_reference, text)


def restore_ocr_marks_reference(text: str) -> str:
    """:func:`restore_ocr_marks` in Python: the specification of the engine's twin."""
    if "丶" in text:
        text = _OCR_DUN.sub("、", text)
    if "·" in text or "・" in text:
        text = _OCR_STOP.sub("。", text)
    if "一一" in text:
        text = _OCR_SUBTITLE.sub("——", text)
    return text


_MARKS_AROUND = cd.NEUTRAL_PUNCT + cd.CJK_PUNCT


def normalize_ellipses_and_dashes(text: str) -> str:
    """Chinese ellipsis ``……`` and dash ``——``.

    Fires when: ``...``, ``。。。``, ``···``, ``⋯``, a lone ``…`` or lone ones spaced apart
    (``… …``, a justified line); ``--``, ``－－``, ``──``, ``––``, a mixed pair such as
    ``—-``, or ``— —`` (a justified line); each in Chinese context (for ``— —``, between
    quotes is Chinese too).
    Does: replaces it with ``……`` or ``——`` (spaced-apart lone marks: one ``……`` for
    each two).
    Leaves alone: ``……`` and ``——`` themselves, and all of these in Latin text
    (``wait...``, ``--verbose``).

    >>> normalize_ellipses_and_dashes('他说...我们--一起。。。')
    '他说……我们——一起……'
    >>> normalize_ellipses_and_dashes('发 展 … … 发 展')
    '发 展 …… 发 展'
    >>> normalize_ellipses_and_dashes('时间4:35 … …')
    '时间4:35 ……'
    >>> normalize_ellipses_and_dashes('wait... use --verbose')
    'wait... use --verbose'
    """
    if not _may_hold_ellipsis(text):
        return text
    return engine.twin(normalize_ellipses_and_dashes_reference, text)


def normalize_ellipses_and_dashes_reference(text: str) -> str:
    """:func:`normalize_ellipses_and_dashes` in Python: the specification of the
    engine's twin."""
    if not _ELLIPSIS.search(text):
        return text

    def fix(m: regex.Match[str]) -> str:
        s = m.group()
        left, right = neighbours(m.string, m.start(), m.end())
        if left and left in _TOKEN_CHARS:
            # After a number (``4:35 …``), the script of the text before the number.
            left = _before_token(m.string, m.start())
        chinese = bool(_STRONG_RE.match(left) or _STRONG_RE.match(right)) or s[0] == "。"
        if s[0] == "—" and s[-1] == "—":
            # Two em dashes spaced apart (a justified line): Chinese beside quotes too.
            chinese = chinese or bool(left and right and left in _MARKS_AROUND
                                      and right in _MARKS_AROUND)
        if not chinese:
            return s
        if s[0] == "…":
            # Lone marks, perhaps spaced apart in a justified line: two make one ellipsis.
            return "……" * ((s.count("…") + 1) // 2)
        return "……" if s[0] in ".。·・⋯" else "——"

    return _ELLIPSIS.sub(fix, text)


#: The dashes join_names_with_dash reads between two names.
_NAME_DASHES = "-‐‑–−－─"
_DASH = f"[{_NAME_DASHES}]"
_NAME_DASH = cd.compile(rf"(?<=\p{{Han}}){_DASH}(?=\p{{Han}})")


@cache
def _foreign_name_hyphen() -> regex.Pattern[str]:
    """A hyphen inside a transliterated name: the name goes on with ``·`` on one side
    (让-保罗·萨特), or three or more name characters stand on each side
    (里姆斯基-科萨科夫)."""
    t = f"[{cd.transliteration_chars()}]"
    return cd.compile(
        rf"(?:·{t}+|(?<!{t}){t}+){_DASH}(?={t}+·)"
        rf"|·{t}+{_DASH}(?={t})"
        rf"|{t}{{3}}{_DASH}(?={t}{{3}})"
    )



def join_names_with_dash(text: str) -> str:
    """Make the dash that joins two Chinese names an em dash: ``中国-东盟`` → ``中国—东盟``.

    Fires when: a hyphen, en dash, minus or full-width hyphen stands between two Han
    characters.
    Does: replaces it with ``—``; inside a transliterated foreign name (below), with
    the hyphen ``-``.
    Leaves alone: hyphens in numbers (``1-4月``, ``2020-2021年度``) and Latin words
    (``COVID-19``), and ``——``; the hyphen of a transliterated foreign name, written
    in name characters (data/transliteration_chars.txt) that go on with ``·`` on one
    side (``让-保罗·萨特``) or stand three or more on each side (``里姆斯基-科萨科夫``).

    >>> join_names_with_dash('中国-东盟，中国－中亚')
    '中国—东盟，中国—中亚'
    >>> join_names_with_dash('1-4月，COVID-19，哲学家让-保罗·萨特，里姆斯基-科萨科夫')
    '1-4月，COVID-19，哲学家让-保罗·萨特，里姆斯基-科萨科夫'
    """
    return engine.twin(join_names_with_dash_reference, text)


def join_names_with_dash_reference(text: str) -> str:
    """:func:`join_names_with_dash` in Python: the specification of the engine's twin."""
    if not _NAME_DASH.search(text):
        return text
    keep = {m.end() - 1 for m in _foreign_name_hyphen().finditer(text)}
    if not keep:
        return _NAME_DASH.sub("—", text)
    return _NAME_DASH.sub(lambda m: "-" if m.start() in keep else "—", text)


