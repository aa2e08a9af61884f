"""The first call in a fresh process: importing textclean and cleaning one document.

Runs ``--runs`` fresh Python processes for each document (three lines of a sample, and
a whole raw sample page), each timing ``import textclean`` and the
first ``textclean.clean``, which loads what the rules need on first use (the
lexicon, the word-trigram model, the patterns they meet). Prints the median and the
range. The issue's target is under 0.3 s in all.

A first run, not counted, writes the ``.pyc`` files, as installing a wheel does: a
machine that sets ``PYTHONDONTWRITEBYTECODE`` would otherwise compile textclean's
source on every import (about 0.05 s).

    python benchmarks/first_call.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
start = time.perf_counter()
import textclean
imported = time.perf_counter()
textclean.clean(sys.stdin.read())
done = time.perf_counter()
from textclean import engine
print(json.dumps({"import": imported - start, "clean": done - imported,
                  "engine": engine.describe()}))
"""


def run(doc: str) -> dict[str, float | str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", CHILD], input=doc, capture_output=True,
                         text=True, check=True, env=env)
    result: dict[str, float | str] = json.loads(out.stdout)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    page = sorted((ROOT / "samples" / "raw").glob("*.txt"))[0]
    raw = page.read_text(encoding="utf-8")
    # Three lines with 人, a look-alike's twin, so that the look-alike rule loads the
    # tables (a document without one never needs them).
    short = "\n".join([line for line in raw.splitlines() if "人" in line][:3]) + "\n"
    docs = {"3 lines with 人 of a sample": short,
            f"the page {page.name} ({len(raw)} characters)": raw}
    run("中国")  # writes the .pyc files
    for name, doc in docs.items():
        rows = [run(doc) for _ in range(args.runs)]
        total = [float(r["import"]) + float(r["clean"]) for r in rows]
        imports = [float(r["import"]) for r in rows]
        print(f"{name}: import + first clean median {statistics.median(total):.3f} s "
              f"({min(total):.3f}-{max(total):.3f}), of which import "
              f"{statistics.median(imports):.3f} s; engine: {rows[0]['engine']}")


if __name__ == "__main__":
    main()
