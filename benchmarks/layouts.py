"""Score textclean on the gold samples re-rendered in other layouts and noise mixes.

Prints, per layout, how many edits were left (out_err) out of how many there were to fix
(raw_err), like ../shared/eval/score.py, summed over the gold samples.

    python benchmarks/layouts.py [--show N]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

import textclean
from textclean.testing import noise

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


Render = Callable[[str, random.Random], str]


def _wrap(width: int, sep: str) -> Render:
    return lambda t, r: noise.wrap(t, width, separator=sep, rng=r)


def _page_breaks(width: int, sep: str) -> Render:
    return lambda t, r: noise.page_breaks(noise.wrap(t, width, separator=sep), r, rate=0.08)


def _column_spaces(width: int) -> Render:
    return lambda t, r: noise.column_spaces(t, width)


def layouts() -> dict[str, Render]:
    out: dict[str, Render] = {}
    for width in (9, 13, 17, 24, 32):
        for sep in ("blank", "indent", "none"):
            out[f"wrap{width}-{sep}"] = _wrap(width, sep)
        out[f"wrap{width}-blank-pagebreaks"] = _page_breaks(width, "blank")
        out[f"wrap{width}-indent-pagebreaks"] = _page_breaks(width, "indent")
    for width in (10, 16, 22):
        out[f"colspaces{width}"] = _column_spaces(width)
    out["long-blank"] = lambda t, r: t.replace("\n", "\n\n")
    out["inline-mix"] = lambda t, r: noise.half_width_punctuation(
        noise.straight_quotes(noise.space_numbers(noise.space_digits(t, r), r), r), r)
    out["chars-mix"] = lambda t, r: noise.kangxi_radicals(
        noise.fullwidth_alnum(noise.yi_as_dash(t, r), r), r)
    out["mojibake-latin1"] = lambda t, r: noise.mojibake(t)
    out["mojibake-cp1252"] = lambda t, r: noise.mojibake(t, encoding="windows-1252")
    out["turns-lost"] = noise.lose_turn_breaks
    out["wrap15-everything"] = lambda t, r: noise.continuation_markers(noise.justify_lines(
        noise.page_breaks(noise.wrap(noise.half_width_punctuation(noise.straight_quotes(
            noise.space_numbers(noise.yi_as_dash(t, r), r), r), r), 15), r), r), r)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    golds = sorted((ROOT / "samples" / "gold").glob("*.txt"))
    tot_raw = tot_out = 0
    for name, make in layouts().items():
        if args.only and args.only not in name:
            continue
        raw_err = out_err = 0
        examples: list[str] = []
        for path in golds:
            gold = path.read_text(encoding="utf-8")
            raw = make(gold, random.Random(path.name))
            out = paragraphs(textclean.clean(raw))
            g = paragraphs(gold)
            raw_err += Levenshtein.distance(paragraphs(raw), g)
            out_err += Levenshtein.distance(out, g)
            for op in Levenshtein.opcodes(out, g):
                if op.tag != "equal" and len(examples) < args.show:
                    got = out[max(0, op.src_start - 10):op.src_end + 10]
                    want = g[max(0, op.dest_start - 10):op.dest_end + 10]
                    examples.append(f"  {path.name[:4]} got {got!r}\n       want {want!r}")
        tot_raw += raw_err
        tot_out += out_err
        fixed = 1 - out_err / raw_err if raw_err else 1.0
        print(f"{name:<28} raw_err={raw_err:>7} out_err={out_err:>5} fixed={fixed:.4f}")
        for e in examples:
            print(e)
    print(f"TOTAL raw_err={tot_raw} out_err={tot_out} fixed={1 - tot_out / max(1, tot_raw):.4f}")


if __name__ == "__main__":
    main()
