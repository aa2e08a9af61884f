"""Character classes, translation tables and compiled patterns shared by the rules.

Everything here is data: no rule logic. Character classes are strings meant to go
inside a regex character class (``[...]``); invisible or confusable characters are
written with ``\\N{...}`` names. Each deliberate exception carries a comment.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any, cast

import regex

# --- Scripts: a snapshot of Unicode's ------------------------------------------------

#: The code points of the Han, Hiragana, Katakana and Hangul scripts, as the ``regex``
#: module 2026.11.19 gives them (\p{Han}, \p{Hiragana}, \p{Katakana}, \p{Hangul};
#: Unicode 17). A snapshot, so that what the rules match is the same whatever ``regex``
#: is installed (an older one has fewer ideographs: U+2B81E is not Han for regex
#: 2026.5.9), and the compiled engine's tables are these. Patterns name the scripts
#: as ``\p{Han}`` and so on; :func:`compile` puts the snapshot in their place. A test
#: checks that each code point here is of its script, or unassigned, for the ``regex``
#: installed.
SCRIPTS: dict[str, tuple[tuple[int, int], ...]] = {
    "Han": (
        (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x3005, 0x3005),
        (0x3007, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF), (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0x16FE2, 0x16FE3),
        (0x16FF0, 0x16FF6), (0x20000, 0x2A6DF), (0x2A700, 0x2B81E), (0x2B820, 0x2CEAD),
        (0x2CEB0, 0x2EBE0), (0x2EBF0, 0x2EE5D), (0x2F800, 0x2FA1D), (0x30000, 0x3134A),
        (0x31350, 0x33479),
    ),
    "Hiragana": (
        (0x3041, 0x3096), (0x309D, 0x309F), (0x1B001, 0x1B11F), (0x1B123, 0x1B123),
        (0x1B132, 0x1B132), (0x1B150, 0x1B152), (0x1F200, 0x1F200),
    ),
    "Katakana": (
        (0x30A1, 0x30FA), (0x30FD, 0x30FF), (0x31F0, 0x31FF), (0x32D0, 0x32FE),
        (0x3300, 0x3357), (0xFF66, 0xFF6F), (0xFF71, 0xFF9D), (0x1AFF0, 0x1AFF3),
        (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B000), (0x1B120, 0x1B122),
        (0x1B124, 0x1B128), (0x1B155, 0x1B155), (0x1B164, 0x1B168),
    ),
    "Hangul": (
        (0x1100, 0x11FF), (0x302E, 0x302F), (0x3131, 0x318E), (0x3200, 0x321E),
        (0x3260, 0x327E), (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6),
        (0xD7CB, 0xD7FB), (0xFFA0, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF),
        (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC),
    ),
}


def _categories() -> dict[str, tuple[tuple[int, int], ...]]:
    out: dict[str, list[tuple[int, int]]] = {}
    text = resources.files("textclean.data").joinpath("categories.txt").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, first, last = line.split()
            out.setdefault(name, []).append((int(first, 16), int(last, 16)))
    return {name: tuple(ranges) for name, ranges in out.items()}


#: The general categories the rules name, ``\p{L}`` (letters), ``\p{N}`` (numbers) and
#: ``\p{M}`` (marks): a snapshot as for the scripts (textclean/data/categories.txt,
#: taken from the regex module 2026.11.19 by scripts/build_unicode_snapshot.py).
#: :func:`compile` puts it in their place too.
CATEGORIES: dict[str, tuple[tuple[int, int], ...]] = _categories()

#: Every property a pattern may name and the snapshot holds.
_SNAPSHOT = {**SCRIPTS, **CATEGORIES}


def class_body(ranges: tuple[tuple[int, int], ...]) -> str:
    """The body of a regex character class (inside ``[...]``) for code point ranges."""
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}"
                   for a, b in ranges)


#: The Han script's class body (the snapshot's ``\p{Han}``).
HAN = class_body(SCRIPTS["Han"])


@cache
def _class_body(name: str) -> str:
    return class_body(_SNAPSHOT[name])


def with_scripts(pattern: str) -> str:
    r"""A pattern with each ``\p{Han}``, ``\p{Hiragana}`` and ``\p{Katakana}`` (and
    ``\p{L}``, ``\p{N}``, ``\p{M}``) replaced by the snapshot's code points: a class
    body inside a character class, a class outside one.

    >>> with_scripts(r"[\p{Han}·]+") == "[" + HAN + "·]+"
    True
    >>> with_scripts(r"\p{Han}{2}") == "[" + HAN + "]{2}"
    True
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            name = next((n for n in _SNAPSHOT if pattern.startswith(f"\\p{{{n}}}", i)),
                        None)
            if name is not None:
                body = _class_body(name)
                out.append(body if in_class else f"[{body}]")
                i += len(name) + 4
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            # A ] right after [ (or [^) is a literal, not the class's end.
            for lead in ("^", "]"):
                if pattern.startswith(lead, i + 1):
                    out.append(lead)
                    i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class LazyPattern:
    """A pattern compiled on first use, then used as the compiled one.

    Compiling every rule's patterns cost importing textclean some 0.1 s, and a
    document meets only some of them (most wait behind a cheap test for a character
    they need). The first attribute asked for compiles the pattern and keeps its
    methods on this object, so that later calls cost what calls on the compiled
    pattern cost. A ``plain`` pattern (:func:`compile_class`) is compiled by the
    standard library's ``re``.
    """

    _METHODS = ("sub", "subn", "search", "match", "fullmatch", "finditer", "findall",
                "split", "splititer", "scanner")

    def __init__(self, pattern: str, flags: int = 0, *, plain: bool = False) -> None:
        self._source = (pattern, flags, plain)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        pattern, flags, plain = self._source
        compiled = re.compile(pattern, flags) if plain else regex.compile(pattern, flags)
        for method in self._METHODS:
            if hasattr(compiled, method):
                setattr(self, method, getattr(compiled, method))
        self.compiled = compiled
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[Any, ...]:
        pattern, flags, plain = self._source
        return (_lazy_pattern, (pattern, flags, plain))

    def __repr__(self) -> str:
        return f"LazyPattern{self._source!r}"


def _lazy_pattern(pattern: str, flags: int, plain: bool) -> LazyPattern:
    return LazyPattern(pattern, flags, plain=plain)


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile`` with the scripts' snapshot in the pattern (:func:`with_scripts`),
    compiled on first use (:class:`LazyPattern`)."""
    return cast("regex.Pattern[str]", LazyPattern(with_scripts(pattern), flags))


#: One character class, perhaps negated, perhaps repeated: what compile_class takes.
_ONE_CLASS = re.compile(r"\[\^?(?:[^\\\]]|\\.)+\](?:[+*?]|\{\d+(?:,\d*)?\})?", re.DOTALL)


#: Escapes that name a set, which ``re`` and ``regex`` define apart (``\\s``: ``re``
#: takes U+001C..U+001F for spaces, ``regex`` does not).
_CLASS_ESCAPE = re.compile(r"\\[pPsSwWdDbB]")


def compile_class(pattern: str) -> regex.Pattern[str]:
    """A pattern that is one character class of listed characters (perhaps negated or
    repeated), compiled on first use by the standard library's ``re``: it finds a
    character of a set two to three times as fast as ``regex``, and matches the same
    characters (the class holds no property; the scripts are the snapshot's code
    points).

    >>> compile_class("[，。]+").sub("", "一，。二")
    '一二'
    """
    body = with_scripts(pattern)
    if not _ONE_CLASS.fullmatch(body) or _CLASS_ESCAPE.search(body) or "[[" in body:
        raise ValueError(f"not one character class of listed characters: {pattern!r}")
    return cast("regex.Pattern[str]", LazyPattern(body, plain=True))


# --- Character classes (inside [...]) ----------------------------------------------

#: Han ideographs of every block and Kana: the letters of CJK text. Not Hangul: Korean
#: puts spaces between its words and uses Latin punctuation (CANON "Spaces").
CJK_LETTER = with_scripts(r"[\p{Han}\p{Hiragana}\p{Katakana}]")[1:-1] + "\N{KATAKANA MIDDLE DOT}"

#: Full-width CJK punctuation. Only characters that are never used in Latin text:
#: curly quotes, the em dash, the ellipsis and the middle dot are *neutral* (below),
#: because English uses them too.
CJK_PUNCT = (
    "\N{IDEOGRAPHIC COMMA}\N{IDEOGRAPHIC FULL STOP}\u3008-\u3011\u3014-\u301f"
    "\uff01\uff02\uff03\uff05-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)

#: Letters and punctuation that make a context Chinese.
CJK_STRONG = CJK_LETTER + CJK_PUNCT

#: Punctuation shared by Chinese and Latin typography: it takes its context from
#: its neighbours.
NEUTRAL_PUNCT = (
    "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"
    "\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{EM DASH}\N{HORIZONTAL ELLIPSIS}\N{MIDDLE DOT}"
)

#: Horizontal white space that a layout or OCR engine leaves in text (not \n). Each
#: character is listed (no ranges): this is both a set for ``in`` and ``strip`` and the
#: body of a regex character class.
HSPACE = (
    " \t\N{NO-BREAK SPACE}\N{IDEOGRAPHIC SPACE}"
    + "".join(map(chr, range(0x2000, 0x200B)))  # EN QUAD .. HAIR SPACE
    + "\N{NARROW NO-BREAK SPACE}\N{MEDIUM MATHEMATICAL SPACE}"
)

#: What ``str.strip()`` strips inside a line: every character ``str.isspace`` holds
#: but the line break (the C0 separators, NEL, the line and paragraph separators and
#: the horizontal spaces), each listed, escaped, for a character class; a test holds
#: it to the enumeration.
LINE_WHITESPACE = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

#: Punctuation that ends a sentence in Chinese (and its half-width look-alikes,
#: which the layout phase sees before the width rules run).
SENTENCE_END = "。！？!?…\N{SEMICOLON}；"

#: Closing marks that may follow a sentence end: 。” ！） …》.
CLOSERS = "”’）)》」』\"'】〕"

#: The words a headline block's sub-title opens with after its ——: ——访全国人大代表王建国,
#: ——记…, ——来自东北产粮区的调查, ——写在…之际 (a regex alternation).
SUBTITLE_OPENERS = "专访|访|记|来自|写在|评|析|读|看|谈|对话"

#: A headline block's byline, a whole line: who wrote the story, by outlet and role
#: (本报记者张岚, 新华社记者李航, 本报特派记者刘明, 本报驻京记者王海燕, 通讯员李明):
#: an outlet or a role comes first (记者会历时 is a press conference), and names have
#: two to four characters.
BYLINE_BODY = (
    r"(?:(?:本报|新华社|中新社|\p{Han}{1,8}?(?:报|社|台|网))(?:驻\p{Han}{1,6}?)?"
    r"(?:特派|特约|首席|实习)?|特派|特约|首席|实习)(?:记者|通讯员)"
    r"\p{Han}{2,4}(?:[ 、]\p{Han}{2,4}){0,3}"
)
BYLINE = f"^{BYLINE_BODY}$"
#: A byline that a dump ran on after a headline (…王建国本报记者张岚): only the house's
#: and the agencies' own, so that the headline's last words are not read as an outlet.
BYLINE_RUN_ON = (
    r"(?:本报|新华社|中新社)(?:驻\p{Han}{1,4}?)?(?:特派|特约|首席|实习)?(?:记者|通讯员)"
    r"\p{Han}{2,4}(?:[ 、]\p{Han}{2,4}){0,3}"
)

#: Who a photo credit names before the name (本报记者陈思远摄, 通讯员李明摄), as a regex
#: alternation.
CREDIT_AGENTS = "记者|通讯员|实习生|摄影"

#: The dash that opens a headline block's sub-title line.
SUBTITLE_DASH = "——"

#: Caption markers that open a photo caption line.
CAPTION_MARKS = "▲△▼▽■□●○◆◇★☆"

#: Dashes and hyphens that OCR confuses with each other or with 一.
DASHES = (
    "\N{HYPHEN-MINUS}\N{HYPHEN}\N{NON-BREAKING HYPHEN}\N{FIGURE DASH}\N{EN DASH}"
    "\N{EM DASH}\N{HORIZONTAL BAR}\N{MINUS SIGN}\N{FULLWIDTH HYPHEN-MINUS}"
    "\N{BOX DRAWINGS LIGHT HORIZONTAL}\N{LOW LINE}"
)

#: Full-width letters and digits, for a regex character class (\uff10-\uff19 ...).
FULLWIDTH_ALNUM_CLASS = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
#: Letters and digits in ASCII or full-width forms, for a regex character class.
ALNUM_CLASS = "A-Za-z0-9" + FULLWIDTH_ALNUM_CLASS

# --- Translation tables -------------------------------------------------------------

#: Full-width punctuation to its ASCII mark, in a paragraph without CJK characters, and
#: whether a space goes after it (before a letter, a digit or an opening mark) or, for
#: ``(``, before it (unless a space or an opening mark is there).
LATIN_MARKS = {
    "，": (",", "after"), "；": (";", "after"), "：": (":", "after"), "！": ("!", "after"),
    "？": ("?", "after"), "。": (".", "after"), "）": (")", "after"), "（": ("(", "before"),
}

#: Full-width ASCII letters and digits to ASCII (CANON: letters and digits are ASCII).
FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}

#: Zero-width and control characters that carry nothing in running text. \n and \t
#: stay (CANON); C1 controls are listed so that the mojibake repair, which runs
#: first, can still use them.
INVISIBLE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\N{SOFT HYPHEN}\N{ZERO WIDTH SPACE}\N{ZERO WIDTH NON-JOINER}\N{ZERO WIDTH JOINER}"
    "\N{LEFT-TO-RIGHT MARK}\N{RIGHT-TO-LEFT MARK}\u202a-\u202e\N{WORD JOINER}\u2061-\u2064"
    "\u2066-\u2069\N{ZERO WIDTH NO-BREAK SPACE}\N{OBJECT REPLACEMENT CHARACTER}"
)


def _read_data(name: str) -> list[str]:
    """The non-comment, non-blank lines of a file in ``textclean/data``."""
    text = resources.files("textclean.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _build_ideograph_table() -> dict[int, str]:
    """Kangxi radicals, CJK compatibility ideographs and whole-character radicals → unified.

    Built from Unicode's own NFKC decompositions (so it follows the Python's Unicode
    version), plus the whole-character radicals of the CJK Radicals Supplement, which
    have no decomposition (data/radicals_supplement.tsv). Only code points whose
    target is a single Han ideograph are mapped: nothing here touches punctuation.
    """
    table: dict[int, str] = {}
    ranges = (range(0x2E80, 0x2F00), range(0x2F00, 0x2FE0), range(0xF900, 0xFB00),
              range(0x2F800, 0x2FA20))
    han = compile(r"\p{Han}")
    for block in ranges:
        for cp in block:
            ch = chr(cp)
            target = unicodedata.normalize("NFKC", ch)
            if target != ch and len(target) == 1 and han.fullmatch(target):
                table[cp] = target
    for line in _read_data("radicals_supplement.tsv"):
        radical, unified = line.split("\t")[:2]
        table[ord(radical)] = unified
    return table


#: Code point → unified ideograph, for str.translate.
IDEOGRAPH_TABLE: dict[int, str] = _build_ideograph_table()


@cache
def yi_word_tails() -> frozenset[str]:
    """Words that start with 一, without the 一 (data/yi_words.txt)."""
    return frozenset(_read_data("yi_words.txt"))


@cache
def lookalike_pairs() -> dict[str, str]:
    """Damaged character → the characters it may stand for (data/lookalikes.tsv)."""
    pairs: dict[str, str] = {}
    for line in _read_data("lookalikes.tsv"):
        damaged, repaired = line.split("\t")[:2]
        pairs[damaged] = pairs.get(damaged, "") + repaired
    return pairs


@cache
def transliteration_chars() -> str:
    """Characters of transliterated foreign names (data/transliteration_chars.txt)."""
    return "".join(_read_data("transliteration_chars.txt"))


@cache
def lexicon_exclusions() -> frozenset[str]:
    """Dictionary entries the lexicon leaves out (data/lexicon_exclude.txt)."""
    return frozenset(line.split("\t")[0] for line in _read_data("lexicon_exclude.txt"))


# --- Compiled patterns --------------------------------------------------------------

def _single_byte_letters() -> str:
    """Every non-ASCII character that the single-byte code pages ftfy repairs from
    (Latin-1, Windows-1250..1254 and 1257, ISO 8859-2, Mac Roman, IBM 437) give for a byte:
    the characters mojibake is made of. Built from Python's own codecs."""
    chars: set[str] = set()
    for codec in ("latin-1", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257",
                  "iso8859-2", "mac-roman", "cp437"):
        for byte in range(0x80, 0x100):
            ch = bytes([byte]).decode(codec, errors="ignore")
            if ch:
                chars.add(ch)
    return "".join(sorted(chars))


#: The characters mojibake is made of (see above), for ``in`` tests.
MOJIBAKE_CHARS = _single_byte_letters()

#: Of those, the punctuation and signs that clean Chinese text uses all the time. They
#: are never the lead byte of a UTF-8 sequence read as Latin-1 or Windows-1252 (the
#: lead byte gives a letter: ``ä¸­`` for 中, ``â€œ`` for “), so they are no sign of
#: mojibake on their own.
_CJK_TEXT_MARKS = (
    "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"
    "\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{EM DASH}\N{EN DASH}\N{HORIZONTAL ELLIPSIS}\N{MIDDLE DOT}\N{BULLET}"
    "\N{BLACK SQUARE}\N{DEGREE SIGN}\N{MULTIPLICATION SIGN}"
)

#: Cheap first check for mojibake, before ftfy's own measure decides: a C1 control
#: character, the replacement character of a lossy decoding, or a character mojibake is
#: made of other than the marks above. Plain Chinese text has none of them. (The
#: standard library's ``re`` finds a character of a large set some 40 times faster than
#: ``regex`` does.)
MOJIBAKE_HINT = re.compile(
    "[\\x80-\\x9f\\ufffd"
    + "".join(re.escape(c) for c in sorted(set(MOJIBAKE_CHARS) - set(_CJK_TEXT_MARKS)))
    + "]"
)

#: Surrogate code points: a high one followed by a low one (a pair written as two
#: escapes, group 1 and 2), or one alone.
SURROGATE_RE = re.compile("([\ud800-\udbff])([\udc00-\udfff])|[\ud800-\udfff]")

INVISIBLE_RE = compile_class(f"[{INVISIBLE}]+")

# --- Page furniture (CANON v2, "Page structure") -----------------------------------------

_NUMERAL = "0-9０-９"
_HAN_NUMERAL = "一二三四五六七八九十百零〇两"

#: The items a running header or footer is made of, by kind.
FURNITURE_ITEMS = {
    "date": rf"[{_NUMERAL}{_HAN_NUMERAL}]{{2,4}}[ \u3000]*年[ \u3000]*"
            rf"[{_NUMERAL}{_HAN_NUMERAL}]{{1,3}}[ \u3000]*月[ \u3000]*"
            rf"[{_NUMERAL}{_HAN_NUMERAL}]{{1,3}}[ \u3000]*日",
    "weekday": r"(?:星期|礼拜)[一二三四五六日天]",
    "paper": r"\p{Han}{2,6}(?:日报|晚报|时报|早报|商报|周报|青年报|法制报|导报)",
    "page": rf"第[ \u3000]*[{_NUMERAL}{_HAN_NUMERAL}]{{1,4}}[ \u3000]*[版页]"
            rf"|[A-ZＡ-Ｚ][ \u3000]*[{_NUMERAL}]{{1,3}}[ \u3000]*版",
    "section": r"要闻|综合|国际|国内|经济|社会|文化|体育|理论|评论|副刊|财经|科教|地方|时政"
               r"|视点|专版|观察|特刊|新闻",
}

#: What may stand between the items of a header line.
FURNITURE_GAP = r"[ \u3000\t|｜/·•]*"

#: A page number on a line of its own: 5, -5-, — 5 —, 第5页, Page 5.
PAGE_NUMBER_LINE = re.compile(
    rf"[-－—–]?[ \u3000]*(?:[{_NUMERAL}]{{1,3}}|第[ \u3000]*[{_NUMERAL}]{{1,4}}[ \u3000]*页)"
    rf"[ \u3000]*[-－—–]?"
)
