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

from textclean.rules.lines import measure
from textclean.testing import noise

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
    """Whether the lines measure as a column: a canonical document that does is
    ambiguous by nature (six or more paragraphs of one width), and is not drawn."""
    return measure(lines).width is not None


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

#: Operators on canonical text that a clean() undoes for any document canonical_text
#: draws. Each takes (text, rng).
INLINE_OPERATORS: dict[str, Callable[[str, random.Random], str]] = {
    "space_numbers": noise.space_numbers,
    "space_digits": noise.space_digits,
    "half_width_punctuation": noise.half_width_punctuation,
    "straight_quotes": noise.straight_quotes,
    "fullwidth_alnum": noise.fullwidth_alnum,
    "kangxi_radicals": noise.kangxi_radicals,
    "yi_as_dash": noise.yi_as_dash,
}


@st.composite
def noisy_text(draw: st.DrawFn, *,
               operators: tuple[str, ...] = tuple(INLINE_OPERATORS)) -> tuple[str, str]:
    """A ``(raw, canonical)`` pair: a canonical document and a damaged rendering of it.

    Draws a canonical document, then applies a non-empty subset of ``operators`` (names
    of :data:`INLINE_OPERATORS`) in a drawn order, each at random places.
    """
    canonical = draw(canonical_text())
    chosen = draw(st.lists(st.sampled_from(operators), min_size=1, unique=True))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    raw = canonical
    for name in chosen:
        raw = INLINE_OPERATORS[name](raw, rng)
    return raw, canonical
