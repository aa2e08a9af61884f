"""The benchmark corpora: documents made from the bundled samples, as raw dumps look.

- :func:`varied`: distinct documents, each a new article of the samples' and the written
  articles' paragraphs, rendered by the noise model (what benchmarks/throughput.py
  measures: no document repeats, so nothing is cheap for having been seen).
- :func:`documents`: a pool of 25 renderings (each raw sample as it is, and each gold
  text wrapped by the noise model at several column widths) drawn from at random with
  a fixed seed, so repeats (for the streaming and scale-out benchmarks, where the size
  matters and the variety does not).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import regex

from textclean.testing import noise

ROOT = Path(__file__).resolve().parent.parent


def pool(rng: random.Random) -> list[str]:
    """The renderings documents are drawn from, each ending with a blank line."""
    golds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples/gold").glob("*"))]
    raws = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples/raw").glob("*"))]
    texts = raws + [noise.wrap(g, width, rng=rng) for g in golds for width in (11, 17, 23, 29)]
    return [text.rstrip("\n") + "\n\n" for text in texts]


def documents(megabytes: float, seed: int = 0) -> Iterator[str]:
    """Documents whose UTF-8 sizes add up to at least ``megabytes`` MB."""
    rng = random.Random(seed)
    renderings = pool(rng)
    target = int(megabytes * 1e6)
    size = 0
    while size < target:
        doc = rng.choice(renderings)
        size += len(doc.encode("utf-8"))
        yield doc


#: The operators of textclean.testing a varied document may get, in the order
#: noisy_text applies them: a rendering into lines first, mojibake last.
_RENDERINGS = ("wrap_blank", "wrap_indent", "wrap_none", "column_spaces")
_AFTER = ("justify_lines", "page_breaks", "continuation_markers")
_INLINE = ("space_numbers", "space_digits", "half_width_punctuation", "straight_quotes",
           "kangxi_radicals", "yi_as_dash")


def _paragraphs() -> list[str]:
    """Every line of the samples' gold and every body line of benchmarks/articles (a
    paragraph, a sub-heading or a caption), once."""
    seen: dict[str, None] = {}
    for path in sorted((ROOT / "samples" / "gold").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            seen.setdefault(line)
    for path in sorted((ROOT / "benchmarks" / "articles").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and line[1:2] != ":":
                seen.setdefault(line.removeprefix("= ").removeprefix("@ "))
    seen.pop("", None)
    return list(seen)


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.findall(paragraph) if s]


_SENTENCE = regex.compile(r"[^。！？]*[。！？]+[”’」』）]*|[^。！？]+$")


def varied(megabytes: float, seed: int = 0) -> Iterator[str]:
    """Distinct documents with real noise, whose UTF-8 sizes add up to at least
    ``megabytes`` MB: no document is another's copy, so no cache of a step's results
    makes a repeated document cheap.

    Each is a new article: a headline, then 4 to 12 paragraphs drawn from the samples'
    gold and the written articles, each with its sentences drawn in a new order (a
    paragraph of one sentence stays whole), rendered by textclean.testing's noise model
    (one rendering into lines at a width of 11 to 30 cells, then some of justified
    lines, page breaks, continuation markers and inline damage, and mojibake in one
    document out of 25), as the noise model draws them.
    """
    from textclean.testing.strategies import OPERATORS  # noqa: PLC0415

    rng = random.Random(seed)
    paragraphs = _paragraphs()
    target = int(megabytes * 1e6)
    size = 0
    while size < target:
        body = []
        for paragraph in rng.sample(paragraphs, rng.randint(4, 12)):
            sentences = _sentences(paragraph)
            if len(sentences) > 1 and paragraph[-1] in "。！？":
                rng.shuffle(sentences)
            body.append("".join(sentences) if sentences else paragraph)
        headline = rng.choice(paragraphs)[: rng.randint(6, 16)].rstrip("，。、；：！？")
        doc = "\n".join([headline, *body]) + "\n"
        doc = OPERATORS[rng.choice(_RENDERINGS)](doc, rng)
        for name in (*_AFTER, *rng.sample(_INLINE, rng.randint(0, len(_INLINE)))):
            if name in _INLINE or rng.random() < 0.5:
                doc = OPERATORS[name](doc, rng)
        if rng.random() < 0.04:
            doc = OPERATORS["mojibake"](doc, rng)
        doc = doc.rstrip("\n") + "\n\n"
        size += len(doc.encode("utf-8"))
        yield doc


def pathological(size: int) -> dict[str, str]:
    """Inputs of about ``size`` UTF-8 bytes that a careless regex or loop would choke on.

    Each is one document: runs of one character (where a regex that backtracks over
    nested repeats goes quadratic or worse), one line with no break, one paragraph of
    many lines, and a long run of empty lines.
    """
    sentence = "各国人民的生命健康从来没有像今天这样休戚与共，"
    repeats = size // len(sentence.encode("utf-8"))
    return {
        "only spaces": " " * size,
        "only -": "-" * size,
        "one line, no newline": (sentence * repeats)[: size // 3],
        "'1 ' repeated": "1 " * (size // 2),
        "only quotes": '"' * size,
        "only U+3000": "\u3000" * (size // 3),
        "one huge paragraph": "\n".join([sentence] * repeats),
        "100,000 empty lines": "\n" * (size // 10) + "完。\n",
    }
