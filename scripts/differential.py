"""The engine's contract on many documents: compiled output == the Python reference's.

Draws distinct documents with real noise from the benchmark corpus
(``benchmarks/corpus.py``: new articles rendered by the noise model, with layouts,
page breaks, continuation markers, inline damage and mojibake), cleans each with the
compiled engine and with ``TEXTCLEAN_ENGINE=python`` semantics (every rule's Python
reference), under each preset, and prints how many documents were compared and how
many differed. The first differing documents are written to ``--out`` (JSON lines of
preset, input, compiled output, reference output) for a test case.

    python scripts/differential.py [--documents 100000] [--seed 1] [--out FILE]

The hypothesis side of the contract is ``HYPOTHESIS_PROFILE=differential pytest
tests/test_engine.py``; this script adds documents of the size a pipeline sees, at a
cost the hypothesis runner cannot reach.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import varied  # noqa: E402

from textclean import engine, pipeline  # noqa: E402

PRESETS = ("default", "conservative")
#: Differences kept for the report: enough to see a pattern, not a flood.
KEEP = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("differential-differences.jsonl"))
    args = parser.parse_args()
    if engine.compiled() is None:
        print("the compiled engine is not running: nothing to compare", file=sys.stderr)
        return 2
    cleaners = {name: pipeline.cleaner_for(preset=name) for name in PRESETS}
    compared = differing = chars = 0
    kept: list[dict[str, str]] = []
    start = time.perf_counter()
    seed = args.seed
    while compared < args.documents:
        # 8 MB a batch: the corpus draws its paragraphs' order from the seed.
        for doc in varied(8, seed=seed):
            if compared >= args.documents:
                break
            compared += 1
            chars += len(doc)
            for name, cleaner in cleaners.items():
                compiled = cleaner.clean(doc)
                with engine.python_only():
                    reference = cleaner.clean(doc)
                if compiled != reference:
                    differing += 1
                    if len(kept) < KEEP:
                        kept.append({"preset": name, "input": doc, "compiled": compiled,
                                     "reference": reference})
            if compared % 5000 == 0:
                print(f"{compared:,} documents, {differing} differences, "
                      f"{time.perf_counter() - start:.0f} s", flush=True)
        seed += 1
    print(f"compared {compared:,} documents ({chars / 1e6:.1f} M characters) under "
          f"{len(PRESETS)} presets: {differing} differences "
          f"({time.perf_counter() - start:.0f} s)")
    if kept:
        with args.out.open("w", encoding="utf-8") as out:
            for case in kept:
                out.write(json.dumps(case, ensure_ascii=False) + "\n")
        print(f"the first {len(kept)} written to {args.out}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
