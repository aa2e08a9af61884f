"""The cost of an explanation against the cost of cleaning (issue 17, item 4).

`clean_and_explain` (and `--explain`, `--report`) diff the text before and after each
step. This prints, for each input, the seconds to clean it and to explain it, and their
ratio, measured in one run: letter-spaced text (OCR's usual input), runs of CRLF, and a
corpus of the samples' renderings.

Usage: python benchmarks/explain.py [--mb 1]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import textclean
from benchmarks.corpus import documents


def seconds(func: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1, help="size of each input in MB (default 1)")
    a = ap.parse_args()
    size = int(a.mb * 1e6)
    inputs = {
        "letter-spaced '中 '": "中 " * (size // 4),
        "CRLF runs": "\r\n" * (size // 2) + "完。\r\n",
        "sample renderings": "".join(documents(a.mb)),
    }
    textclean.clean("预热：一入人")  # the lexicon's load is not the explanation's cost
    print(f"{'input':22} {'MB':>5} {'clean s':>8} {'explain s':>10} {'ratio':>6}")
    for name, text in inputs.items():
        clean = seconds(textclean.clean, text)
        explain = seconds(textclean.clean_and_explain, text)
        mb = len(text.encode("utf-8")) / 1e6
        print(f"{name:22} {mb:5.2f} {clean:8.2f} {explain:10.2f} {explain / clean:6.2f}")


if __name__ == "__main__":
    main()
