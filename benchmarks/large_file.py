"""Peak memory and time of the command line on one large generated dump.

Builds a dump of SIZE megabytes from the samples (raw, and gold texts wrapped by the
noise model at several column widths, so the layout phase has real work), runs the installed
``textclean`` console script on it in a subprocess, and prints the wall time, MB/s and
the child's peak RSS. With ``--verify`` (small sizes only) it also checks that the output
equals cleaning the whole text in memory.

    python benchmarks/large_file.py --size 1024          # the 1 GB dump of issue 3
    python benchmarks/large_file.py --size 20 --verify
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import documents

import textclean


def build(path: Path, megabytes: float) -> int:
    """Write a dump of about ``megabytes`` MB; its size in bytes."""
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in documents(megabytes):
            out.write(doc)
            size += len(doc.encode("utf-8"))
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=1024, help="dump size in MB")
    ap.add_argument("--verify", action="store_true", help="compare with clean() in memory")
    ap.add_argument("--chunk-size", type=int, help="passed to textclean --chunk-size")
    ap.add_argument("--keep", type=Path, help="folder for the dump and output (kept)")
    args = ap.parse_args()
    script = Path(sys.executable).parent / "textclean"
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        dump = folder / "dump.txt"
        size = build(dump, args.size)
        out = folder / "out"
        start = time.perf_counter()
        command = [str(script), str(dump), "-o", str(out), "-q"]
        if args.chunk_size:
            command += ["--chunk-size", str(args.chunk_size)]
        proc = subprocess.run(command, check=False)
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"input {size / 1e6:.1f} MB  exit {proc.returncode}  wall {wall:.1f} s  "
              f"{size / 1e6 / wall:.2f} MB/s  cpu {usage.ru_utime + usage.ru_stime:.1f} s  "
              f"peak RSS {usage.ru_maxrss / 1024:.0f} MB")
        if args.verify:
            same = textclean.clean(dump.read_text(encoding="utf-8")) == (
                out / "dump.txt").read_text(encoding="utf-8")
            print(f"output equals clean() of the whole text: {same}")


if __name__ == "__main__":
    main()
