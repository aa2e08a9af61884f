"""Count round-trip failures of textclean.clean on many noisy_text() examples.

Draws examples without shrinking (hypothesis' generate phase only), so a long run
counts how often the law ``clean(raw) == canonical`` fails instead of stopping at the
first failure. Prints the figures; ``--save`` writes each failure as a JSON line
(raw, canonical, output) for a closer look. ``unsettled`` counts the times a phase
did not settle within its passes (an idempotence risk).

    python benchmarks/round_trip.py [--examples 10000] [--operators wrap_none,page_breaks]
                                    [--save failures.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

import textclean
from textclean.testing import OPERATORS, noisy_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--operators", default="",
                        help="comma-separated operator names (default: all)")
    parser.add_argument("--save", type=Path, help="write the failures here (JSON lines)")
    args = parser.parse_args()
    operators = tuple(args.operators.split(",")) if args.operators else tuple(OPERATORS)

    counts = {"examples": 0, "damaged": 0, "failures": 0}
    failures: list[dict[str, str]] = []

    @settings(max_examples=args.examples, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(noisy_text(operators=operators))
    def run(pair: tuple[str, str]) -> None:
        raw, canonical = pair
        counts["examples"] += 1
        counts["damaged"] += raw != canonical
        out = textclean.clean(raw)
        if out != canonical:
            counts["failures"] += 1
            failures.append({"raw": raw, "canonical": canonical, "output": out})

    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        run()
    seconds = time.perf_counter() - start
    # A phase that did not settle is an idempotence risk: count it, don't hide it.
    unsettled = sum("did not settle" in str(w.message) for w in caught)
    rate = counts["failures"] / max(counts["examples"], 1)
    print(f"operators={','.join(operators)}")
    print(f"examples={counts['examples']} damaged={counts['damaged']} "
          f"failures={counts['failures']} ({rate:.2%}) unsettled={unsettled} "
          f"seconds={seconds:.0f}")
    if args.save:
        with args.save.open("w", encoding="utf-8") as f:
            for failure in failures:
                f.write(json.dumps(failure, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
