"""Precision, recall and cost of the context repairs (repair_lookalikes, restore_yi_in_words).

Runs ``textclean.clean`` over tests/lookalikes/negatives.txt (correct sentences: any
edit is a false positive) and tests/lookalikes/positives.tsv (damaged sentence and
its repair), counting single-character edits; then times ``textclean.clean`` with and
without the context rules over the bundled samples, cleaned again until ``--mb`` megabytes are done.

    python benchmarks/lookalikes.py [--mb 4] [--margins 4,5,6,7]

``--margins`` also prints precision and recall with other values of
LOOKALIKE_MARGIN, to show how much room the chosen one leaves.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from pathlib import Path

import textclean
from textclean import lexicon, lm
from textclean.rules import context

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "lookalikes"
CONTEXT_RULES = ("repair_lookalikes", "restore_yi_in_words", "repair_o_in_numbers",
                 "rejoin_split_words")


def data_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def edits(before: str, after: str) -> set[tuple[int, str]]:
    """Positions and new characters where two strings of equal length differ."""
    if len(before) != len(after):
        raise ValueError(f"length changed: {before!r} -> {after!r}")
    return {(i, b) for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}


def measure(negatives: Iterable[str], positives: Iterable[tuple[str, str]]) -> dict[str, int]:
    counts = {"negatives": 0, "negatives_changed": 0, "damaged": 0, "repaired": 0,
              "wrong": 0}
    for sentence in negatives:
        counts["negatives"] += 1
        changed = edits(sentence, textclean.clean(sentence))
        counts["negatives_changed"] += bool(changed)
        counts["wrong"] += len(changed)
    for damaged, correct in positives:
        want = edits(damaged, correct)
        got = edits(damaged, textclean.clean(damaged))
        counts["damaged"] += len(want)
        counts["repaired"] += len(want & got)
        counts["wrong"] += len(got - want)
    return counts


def report(counts: dict[str, int], label: str) -> None:
    made = counts["repaired"] + counts["wrong"]
    precision = counts["repaired"] / made if made else 1.0
    recall = counts["repaired"] / counts["damaged"] if counts["damaged"] else 1.0
    print(f"{label}: negatives={counts['negatives']} changed={counts['negatives_changed']} "
          f"damaged_chars={counts['damaged']} repaired={counts['repaired']} "
          f"wrong_edits={counts['wrong']} precision={precision:.3f} recall={recall:.3f}")


def mb_per_second(text: str, config: textclean.Config, repeat: int) -> float:
    """MB/s of cleaning ``text`` ``repeat`` times, each time with a cold decision cache
    (so that a repeated corpus is not cheaper than a real one)."""
    cleaner = textclean.Cleaner(config)
    seconds = 0.0
    for _ in range(repeat):
        context._lookalike_for.cache_clear()
        context._splits_word.cache_clear()
        start = time.perf_counter()
        cleaner.clean(text)
        seconds += time.perf_counter() - start
    return len(text.encode("utf-8")) * repeat / seconds / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="corpus size for the timing")
    parser.add_argument("--margins", default="", help="other LOOKALIKE_MARGIN values")
    args = parser.parse_args()

    negatives = data_lines(SETS / "negatives.txt")
    positives = [(line.split("\t")[0], line.split("\t")[1])
                 for line in data_lines(SETS / "positives.tsv")]

    start = time.perf_counter()
    lexicon.load()
    print(f"lexicon: {len(lexicon.load())} words, loaded in "
          f"{time.perf_counter() - start:.2f} s (once per process)")
    start = time.perf_counter()
    model = lm.load()
    print(f"trigram model: {len(model.ids)} words, loaded in "
          f"{time.perf_counter() - start:.2f} s (once per process)")
    report(measure(negatives, positives), f"margin={context.LOOKALIKE_MARGIN}")
    chosen = context.LOOKALIKE_MARGIN
    for value in filter(None, args.margins.split(",")):
        context.LOOKALIKE_MARGIN = float(value)
        report(measure(negatives, positives), f"margin={value}")
    context.LOOKALIKE_MARGIN = chosen

    samples = "\n".join(p.read_text(encoding="utf-8")
                        for p in sorted((ROOT / "samples" / "raw").glob("*.txt")))
    size = len(samples.encode("utf-8")) / 1e6
    repeat = max(1, round(args.mb / size))
    with_rules = mb_per_second(samples, textclean.Config.make(), repeat)
    without = mb_per_second(samples, textclean.Config.make(disable=CONTEXT_RULES), repeat)
    print(f"timing: the bundled raw samples ({size:.2f} MB) cleaned {repeat} times")
    print(f"MB/s default preset: {with_rules:.2f}; without the context rules: {without:.2f}; "
          f"cost {100 * (1 - with_rules / without):.0f}%")


if __name__ == "__main__":
    main()
