"""Wall and CPU time of the command line's local engine against --engine ray.

Writes a JSONL corpus of DOCS documents (pieces of the benchmark corpus, a few hundred
characters each, as a crawl's records are), cleans it with ``--engine local`` and with
``--engine ray`` (a local cluster started by the command), both with ``--jobs JOBS``,
checks the outputs are the same, and prints wall time and the machine's CPU time
(from /proc/stat: Ray's work happens in processes that are not the command's children).

    python benchmarks/ray_engine.py [--docs 100000] [--jobs 2]

The corpus is split into FILES files, so that the local engine, which parallelises over
files, has something to share out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from corpus import documents


def pieces(count: int) -> Iterator[str]:
    """``count`` documents of a few hundred characters, cut at line breaks."""
    made = 0
    for doc in documents(10_000):
        lines = doc.splitlines(keepends=True)
        for start in range(0, len(lines), 12):
            yield "".join(lines[start:start + 12])
            made += 1
            if made == count:
                return


def cpu_seconds() -> float:
    """CPU time spent by the whole machine so far (user, nice, system)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = stat.readline().split()[1:]
    user, nice, system = (int(x) for x in fields[:3])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def timed(command: list[str]) -> tuple[float, float]:
    cpu, start = cpu_seconds(), time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000, help="documents (default 100000)")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs of both engines")
    ap.add_argument("--files", type=int, default=8, help="JSONL files the corpus is in")
    args = ap.parse_args()
    script = str(Path(sys.executable).parent / "textclean")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        outs = [(src / f"{k:02}.jsonl").open("w", encoding="utf-8")
                for k in range(args.files)]
        size = 0
        for n, text in enumerate(pieces(args.docs)):
            line = json.dumps({"id": n, "text": text}, ensure_ascii=False) + "\n"
            outs[n % args.files].write(line)
            size += len(line.encode("utf-8"))
        for out in outs:
            out.close()
        print(f"corpus: {args.docs} documents in {args.files} JSONL files, "
              f"{size / 1e6:.1f} MB; --jobs {args.jobs}")
        results = {}
        for engine in ("local", "ray"):
            dest = Path(tmp) / engine
            results[engine] = timed([script, str(src), "-o", str(dest), "-q",
                                     "--jobs", str(args.jobs), "--engine", engine])
            wall, cpu = results[engine]
            print(f"{engine:6} wall {wall:7.1f} s  CPU {cpu:7.1f} s  "
                  f"{size / 1e6 / wall:5.2f} MB/s")
        same = all((Path(tmp) / "local" / p.name).read_bytes()
                   == (Path(tmp) / "ray" / p.name).read_bytes() for p in src.iterdir())
        print(f"outputs identical: {same}; ray/local wall "
              f"{results['ray'][0] / results['local'][0]:.2f}x, CPU "
              f"{results['ray'][1] / results['local'][1]:.2f}x")


if __name__ == "__main__":
    main()
