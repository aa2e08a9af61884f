"""The benchmark corpus: documents drawn from the bundled samples, as raw dumps look.

A pool of renderings (each raw sample as it is, and each gold text wrapped by the noise
model at several column widths, so the layout phase has real work), drawn from at
random with a fixed seed until the corpus reaches its size.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

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
