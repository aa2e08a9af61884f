"""Hypothesis strategies for canonical Chinese newspaper text, and noisy renderings of it.

:func:`canonical_text` draws documents in textclean's canonical form (CANON.md): one
paragraph per line, made of realistic parts: sentences with CJK punctuation, numbers,
dates, Latin names and acronyms, quotations, book titles, parenthesised acronyms,
dashes and ellipses, headline lines, captions, credit lines and question/answer turns.
Every document it draws is a fixed point of :func:`textclean.clean`.

:func:`noisy_text` draws ``(raw, canonical)`` pairs: a canonical document and the same
document damaged by a mix of noise operators (:mod:`textclean.testing.noise`), limited
to damage that can be undone in principle, so ``clean(raw) == canonical`` is a law.

The vocabulary is made up for testing (common words, made-up names); it carries no
text from the samples.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import regex
from hypothesis import strategies as st

from textclean.testing import noise
from textclean.testing.typography import (
    cells,
    ends_sentence,
    is_headline_like,
    looks_like_a_column,
)

# --- Vocabulary ---------------------------------------------------------------------------

#: Everyday two- to four-character words of news prose.
WORDS = (
    "发展", "合作", "经济", "国家", "人民", "世界", "社会", "政府", "企业", "市场",
    "城市", "农村", "教育", "科技", "文化", "环境", "交通", "工作", "生活", "问题",
    "会议", "记者", "代表", "地区", "国际", "改革", "创新", "建设", "服务", "政策",
    "项目", "资金", "产业", "工程", "技术", "研究", "学生", "老师", "医院", "医生",
    "健康", "安全", "能源", "气候", "历史", "未来", "今年", "去年", "目前", "已经",
    "继续", "推动", "加强", "提高", "支持", "参加", "举行", "表示", "认为", "指出",
    "介绍", "完成", "实现", "开展", "促进", "保护", "增长", "下降", "扩大", "提升",
    "共同", "重要", "主要", "全面", "积极", "稳定", "持续", "明显", "进一步", "高质量",
    "基础设施", "数字经济", "绿色发展", "对外开放", "公共卫生", "乡村振兴", "科学研究",
    "我们", "他们", "大家", "一起", "一步", "一直", "同时", "此外", "因此", "但是",
)

#: Made-up personal names (surname and given name), used as speakers and in credits.
NAMES = ("李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏")

#: Places and organisations, joined with a dash in pairs (中国—东盟).
PLACES = ("中国", "东盟", "欧盟", "非洲", "北京", "上海", "广东", "新疆", "香港", "澳门")

#: Latin names and acronyms as they appear in Chinese text.
LATIN = ("RCEP", "APP", "WTO", "GDP", "5G", "G20", "COVID-19", "Hong Kong", "New York",
         "iPhone", "Wi-Fi", "CEO")

_HAN = regex.compile(r"\p{Han}")

UNITS = ("年", "个", "家", "人", "亿元", "万人", "公里", "项", "次", "倍")

CAPTION_MARKS = "▲■●◆"


# --- Parts ---------------------------------------------------------------------------------


def _range(start: int) -> st.SearchStrategy[str]:
    return st.integers(start + 1, 12).map(lambda end: f"{start}-{end}月")


def number() -> st.SearchStrategy[str]:
    """A number as Chinese news prints it: 2020年, 5月24日, 15.3%, 120多亿, 10:30, 1-4月."""
    return st.one_of(
        st.builds("{}{}".format, st.integers(1, 9999), st.sampled_from(UNITS)),
        st.builds("{}年".format, st.integers(1949, 2030)),
        st.builds("{}月{}日".format, st.integers(1, 12), st.integers(1, 28)),
        st.builds("{}.{}%".format, st.integers(0, 99), st.integers(1, 9)),
        st.builds("{}.{}亿".format, st.integers(1, 999), st.integers(1, 9)),
        st.builds("{}多{}".format, st.integers(1, 9999), st.sampled_from(["万", "亿"])),
        st.builds("{}:{}".format, st.integers(0, 23), st.integers(10, 59)),
        st.integers(1, 10).flatmap(_range),
    )


@st.composite
def phrase(draw: st.DrawFn) -> str:
    """A run of words, with now and then a number, a Latin name or a named pair."""
    parts = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    extra = draw(st.sampled_from(["", "", "number", "latin", "pair", "quote", "title"]))
    at = draw(st.integers(0, len(parts)))
    if extra == "number":
        # Never first: a clause mark between two digits (0:10,1年) reads as part of a
        # number once made half-width.
        parts.insert(max(at, 1), draw(number()))
    elif extra == "latin":
        # Between two words: a mark right after a Latin phrase (发展Hong Kong?) has no
        # Chinese neighbour once made half-width, just like an English quotation's; and
        # one before a token that opens with a digit (0:10,5G) reads as inside a number.
        if len(parts) == 1:
            parts.append(draw(st.sampled_from(WORDS)))
        parts.insert(min(max(at, 1), len(parts) - 1), draw(st.sampled_from(LATIN)))
    elif extra == "pair":
        a, b = draw(st.lists(st.sampled_from(PLACES), min_size=2, max_size=2, unique=True))
        parts.insert(at, f"{a}—{b}")
    elif extra == "quote":
        parts.insert(at, "“" + "".join(draw(st.lists(st.sampled_from(WORDS), min_size=1,
                                                      max_size=3))) + "”")
    elif extra == "title":
        parts.insert(at, "《" + "".join(draw(st.lists(st.sampled_from(WORDS), min_size=1,
                                                      max_size=3))) + "》")
    return "".join(parts)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """Clauses joined by ，、； (or a dash, an ellipsis, a parenthesis) and a sentence end."""
    clauses = draw(st.lists(phrase(), min_size=1, max_size=4))
    out = clauses[0]
    for clause in clauses[1:]:
        out += draw(st.sampled_from(["，", "，", "、", "；", "——"])) + clause
    if draw(st.integers(0, 5)) == 0 and _HAN.match(out[-1]):
        # After Latin (RCEP(RCEP)!) the marks around the parenthesis would have no
        # Chinese neighbour once made half-width: not recoverable, so not drawn.
        out += f"（{draw(st.sampled_from(['RCEP', 'WTO', 'GDP']))}）"
    return out + draw(st.sampled_from(["。", "。", "。", "！", "？", "……"]))


@st.composite
def body_paragraph(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(sentence(), min_size=1, max_size=5)))


@st.composite
def headline(draw: st.DrawFn) -> str:
    """A short line without clause punctuation, sometimes two parallel phrases."""
    first = "".join(draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=4)))
    if draw(st.booleans()):
        second = "".join(draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=4)))
        return f"{first} {second}"
    return first


@st.composite
def caption(draw: st.DrawFn) -> str:
    mark = draw(st.sampled_from(CAPTION_MARKS))
    return mark + draw(number().filter(lambda n: n.endswith("日"))) + "，" + \
        draw(body_paragraph())


@st.composite
def credit(draw: st.DrawFn) -> str:
    return f"新华社记者{draw(st.sampled_from(NAMES))}摄"


@st.composite
def turns(draw: st.DrawFn) -> list[str]:
    """A question and an answer: ``XX记者：…？`` then ``NAME：…``, the speaker twice."""
    speaker = draw(st.sampled_from(NAMES))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        outlet = draw(st.sampled_from(["新华社", "中央广播电视总台", "路透社"]))
        question = draw(phrase()) + "？"
        out.append(f"{outlet}记者：{question}")
        out.append(f"{speaker}：{draw(body_paragraph())}")
    return out


# --- Documents -------------------------------------------------------------------------------


def _looks_wrapped(lines: list[str]) -> bool:
    """Whether the lines could be read as a column (the noise model's own reading,
    not the cleaner's): a canonical document that could is ambiguous by nature (six
    or more paragraphs of one width), and is not drawn."""
    return looks_like_a_column(lines)


@st.composite
def canonical_text(draw: st.DrawFn, *, min_paragraphs: int = 1, max_paragraphs: int = 12,
                   final_newline: bool | None = None) -> str:
    """A canonical document: one paragraph per line, a fixed point of textclean.clean.

    It opens with headline lines now and then, and mixes body paragraphs with captions,
    credit lines and question/answer turns. ``final_newline`` None draws either.
    """
    lines: list[str] = []
    if draw(st.booleans()):
        lines.extend(draw(st.lists(headline(), min_size=1, max_size=2)))
    kinds = draw(st.lists(st.sampled_from(["body", "body", "body", "caption", "credit",
                                           "turns"]),
                          min_size=min_paragraphs, max_size=max_paragraphs))
    for kind in kinds:
        if kind == "body":
            lines.append(draw(body_paragraph()))
        elif kind == "caption":
            lines.append(draw(caption()))
        elif kind == "credit":
            lines.append(draw(credit()))
        else:
            lines.extend(draw(turns()))
    if _looks_wrapped(lines):
        lines = lines[:5]
    ending = draw(st.booleans()) if final_newline is None else final_newline
    return "\n".join(lines) + ("\n" if ending else "")


# --- Noise -------------------------------------------------------------------------------------

Operator = Callable[[str, random.Random], str]

#: Column widths (in full-width cells) that the layout operators draw from. Narrower
#: columns are left to tests on whole documents (tests/test_layouts.py): in a short
#: document, a Latin word or a bracket carried over takes too much of a line.
MIN_WIDTH, MAX_WIDTH = 12, 36

#: Operators on characters, which a clean() undoes for any document canonical_text
#: draws. Each takes (text, rng) and damages the text at places it draws.
INLINE_OPERATORS: dict[str, Operator] = {
    "space_numbers": noise.space_numbers,
    "space_digits": noise.space_digits,
    "half_width_punctuation": noise.half_width_punctuation,
    "straight_quotes": noise.straight_quotes,
    "fullwidth_alnum": noise.fullwidth_alnum,
    "kangxi_radicals": noise.kangxi_radicals,
    "yi_as_dash": noise.yi_as_dash,
}


def _rate(rng: random.Random) -> float:
    return rng.choice([0.1, 0.3, 1.0])


#: A dump shows its column when at least this many lines are full column lines.
MIN_FULL_LINES = 6


def shows_column(text: str, width: int, *, separator: str = "blank") -> bool:
    """Whether ``text`` wrapped at ``width`` shows its layout, so that the wrap can be undone.

    A reader tells a wrapped line from a paragraph by its width, and paragraphs apart
    by the convention the dump follows. So the rendering must show:

    - the column: at least :data:`MIN_FULL_LINES` lines that fill it (a first line may
      be short by its indent, and any line may hang one mark past it), making most
      (70%) of the lines that could be wrapped (all lines where no blank line
      separates paragraphs, every line of a paragraph but its last where one does;
      with ``"column_spaces"``, the segments between two breaks). A line left short
      by a word carried over does not fill the column; a two-line document shows
      none: ``发展（\nRCEP）。`` may be one paragraph or two;
    - the convention: two or more blank lines (``"blank"``), two or more indented
      paragraphs (``"indent"``);
    - no wrapped line that falls short (a word or an opening mark carried over) with
      no punctuation, or at a sentence end: it reads as a headline or a paragraph's
      end (``发展发展\n（RCEP）。``, ``目前。\n“此外…``);
    - no headline as wide as a column line or a first line, where paragraphs are not
      separated by blank lines: it reads as the first line of the paragraph after it.
    """
    full = counted = paragraphs = 0
    for paragraph in text.split("\n"):
        if not paragraph:
            continue
        if noise.is_standalone(paragraph):
            lines = [paragraph]
            if separator in ("none", "indent") and is_headline_like(paragraph) and \
                    cells(paragraph) >= width - 3.5:
                return False
        else:
            lines = noise.wrap_paragraph(paragraph, width)
            paragraphs += 1
        inner = list(enumerate(lines))[1 if separator == "column_spaces" else 0:-1]
        counted += len(inner) if separator in ("blank", "column_spaces") else len(lines)
        fills = [_fills(line, width, first=k == 0) for k, line in inner]
        if any(not ok and (is_headline_like(line) or ends_sentence(line))
               for ok, (_, line) in zip(fills, inner, strict=True)):
            return False
        full += sum(fills)
    blocks = sum(1 for p in text.split("\n") if p)
    convention = {"blank": blocks >= 3, "indent": paragraphs >= 2}.get(separator, True)
    return convention and full >= MIN_FULL_LINES and full >= 0.7 * counted


def _fills(line: str, width: int, *, first: bool) -> bool:
    """Whether a column line fills the column: to half a cell (a first line may be
    short by its indent), and past it by one hanging mark at most."""
    return width - 0.5 - (2 if first else 0) <= cells(line) <= width + 1


def _column_width(text: str, rng: random.Random, separator: str) -> int | None:
    """A drawn width at which the text shows its column, or None if it shows none."""
    for width in range(rng.randint(MIN_WIDTH, MAX_WIDTH), MIN_WIDTH - 1, -1):
        if shows_column(text, width, separator=separator):
            return width
    return None


def _wrap(separator: str) -> Operator:
    def render(text: str, rng: random.Random) -> str:
        width = _column_width(text, rng, separator)
        return text if width is None else noise.wrap(text, width, separator=separator,
                                                     rng=rng)
    render.__doc__ = (f"Wrap at a drawn column width that shows, paragraphs told apart "
                      f"by {separator!r}.")
    return render


def _column_spaces(text: str, rng: random.Random) -> str:
    width = _column_width(text, rng, "column_spaces")
    return text if width is None else noise.column_spaces(text, width)


def _justify_lines(text: str, rng: random.Random) -> str:
    return noise.justify_lines(text, rng, rate=_rate(rng))


def _page_breaks(text: str, rng: random.Random) -> str:
    return noise.page_breaks(text, rng, rate=_rate(rng))


def _lose_turn_breaks(text: str, rng: random.Random) -> str:
    return noise.lose_turn_breaks(text, rng, rate=_rate(rng))


def _continuation_markers(text: str, rng: random.Random) -> str:
    return noise.continuation_markers(text, rng, rate=_rate(rng))


def _mojibake(text: str, rng: random.Random) -> str:
    return noise.mojibake(text, encoding=rng.choice(["latin-1", "windows-1252"]))

#: Operators on the layout of the whole document, and mojibake, in the order noisy_text
#: applies them. The four renderings (wrap_* and column_spaces) exclude each other.
LAYOUT_OPERATORS: dict[str, Operator] = {
    "lose_turn_breaks": _lose_turn_breaks,
    "wrap_blank": _wrap("blank"),
    "wrap_indent": _wrap("indent"),
    "wrap_none": _wrap("none"),
    "column_spaces": _column_spaces,
    "justify_lines": _justify_lines,
    "page_breaks": _page_breaks,
    "continuation_markers": _continuation_markers,
    "mojibake": _mojibake,
}

_RENDERINGS = ("wrap_blank", "wrap_indent", "wrap_none", "column_spaces")

#: Every operator noisy_text knows, by name.
OPERATORS: dict[str, Operator] = {**LAYOUT_OPERATORS, **INLINE_OPERATORS}


#: Inline damage that is typeset: applied before the rendering into columns.
_TYPESET = frozenset({"fullwidth_alnum"})


def noisy_text(*, operators: tuple[str, ...] = tuple(OPERATORS)
               ) -> st.SearchStrategy[tuple[str, str]]:
    """A ``(raw, canonical)`` pair: a canonical document and a damaged rendering of it.

    Draws a canonical document and a non-empty subset of ``operators`` (names in
    :data:`OPERATORS`), and applies them the way a page is made and then read:
    full-width letters and digits (``fullwidth_alnum``, which are typeset a cell wide);
    turns run together (``lose_turn_breaks``); one rendering into columns (the first
    drawn of ``wrap_blank``, ``wrap_indent``, ``wrap_none``, ``column_spaces``);
    justified lines, page breaks and continuation markers; the inline operators in a
    drawn order; and last, ``mojibake``.

    An unknown operator name raises ValueError at once, not at the first draw.
    """
    unknown = set(operators) - set(OPERATORS)
    if unknown:
        raise ValueError(f"unknown noise operators: {sorted(unknown)}")
    return _noisy_text(tuple(operators))


@st.composite
def _noisy_text(draw: st.DrawFn, operators: tuple[str, ...]) -> tuple[str, str]:
    canonical = draw(canonical_text())
    chosen = draw(st.lists(st.sampled_from(operators), min_size=1, unique=True))
    renderings = [name for name in chosen if name in _RENDERINGS]
    layout = [name for name in LAYOUT_OPERATORS if name in chosen
              and (name not in _RENDERINGS or name == renderings[0])]
    inline = [name for name in chosen if name in INLINE_OPERATORS]
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    encoding = [name for name in layout if name == "mojibake"]
    # Full-width letters and digits are typeset so, a whole cell each: they go in
    # before the text is set in columns, and the column's lines are measured with them.
    typeset = [name for name in inline if name in _TYPESET]
    inline = [name for name in inline if name not in _TYPESET]
    raw = canonical
    for name in typeset + [n for n in layout if n != "mojibake"] + inline + encoding:
        raw = OPERATORS[name](raw, rng)
    return raw, canonical
