"""Throughput of textclean.clean against the regex floor and ftfy, scaling, and bad inputs.

Builds a varied corpus from the bundled samples (benchmarks/corpus.py: distinct
documents, noise-model renderings of new articles) and prints, from one run:

- MB/s of ``textclean.clean`` with each preset, of the floor (one ``regex.sub`` of
  ``(?<=\\p{Han}) (?=\\p{Han})``), of ``ftfy.fix_text`` and of OpenCC's ``t2s`` (where
  a binding is installed), each as a ratio to the default preset;
- peak RSS of this process;
- seconds for 1, 2, 4, 8 and 16 MB of the corpus (32 and 64 with ``--max-mb 64``), and
  seconds per MB (flat when the cost grows linearly);
- seconds for 1 MB of each pathological input, as a multiple of the corpus's per-MB
  time (the target is at most 2x);
- with ``--cli``, wall time of the ``textclean`` command on a folder of files with
  ``--jobs 1`` and ``--jobs 2``, beside what two independent busy processes get from
  the machine in the same round (the ceiling of ``--jobs 2``);
- with ``--engines`` (alone), MB/s of the default preset with the compiled engine and
  with ``TEXTCLEAN_ENGINE=python``, each in fresh processes, interleaved.

    python benchmarks/throughput.py [--mb 20] [--cli | --cli-only | --engines]

Documents are cleaned one by one, as a pipeline calls ``textclean.clean``. Timings are
of one run on a possibly busy machine: compare figures from the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ftfy
import regex
from corpus import pathological, varied

import textclean
from textclean import engine
from textclean.rules import characters

FLOOR = regex.compile(r"(?<=\p{Han}) (?=\p{Han})")
#: The corpus sizes of the scaling figures, in MB, up to --max-mb.
SIZES = (1, 2, 4, 8, 16, 32, 64)


def seconds(func: Callable[[str], object], docs: Sequence[str]) -> float:
    start = time.perf_counter()
    for doc in docs:
        func(doc)
    return time.perf_counter() - start


def size_mb(docs: Sequence[str]) -> float:
    return sum(len(doc.encode("utf-8")) for doc in docs) / 1e6


#: A fixed amount of pure CPU work for one process (about a second).
_BUSY = "sum(i * i for i in range(12_000_000))"


def machine_ceiling() -> float:
    """What two processes get from this machine at the moment: the wall time of one
    busy process alone, twice over, divided by that of two started together (2.0
    where both cores are free and equally fast)."""
    def wall(count: int) -> float:
        start = time.perf_counter()
        busy = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(count)]
        for process in busy:
            process.wait()
        return time.perf_counter() - start
    return 2 * wall(1) / wall(2)


def opencc_t2s() -> Callable[[str], str] | None:
    """OpenCC's Traditional-to-Simplified conversion from the installed binding (the
    official one is C++, ``opencc-python-reimplemented`` pure Python), or None."""
    try:
        converter = characters._opencc("t2s")
    except RuntimeError:  # OpenCC is not installed
        return None
    convert: Callable[[str], str] = converter.convert
    return convert


def cli(docs: Sequence[str], files: int, rounds: int = 3) -> None:
    """Wall time of the command line on ``files`` files, with --jobs 1 and --jobs 2,
    alternately ``rounds`` times (this machine's speed drifts between runs): each
    round's speed-up, and the median; and in each round the machine's own ceiling
    for two processes (:func:`machine_ceiling`), the most --jobs 2 could reach then."""
    script = Path(sys.executable).parent / "textclean"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for k in range(files):
            (folder / f"{k:03}.txt").write_text("".join(docs[k::files]), encoding="utf-8")
        ratios, ceilings = [], []
        for round_ in range(rounds):
            ceilings.append(machine_ceiling())
            walls, cpus = {}, {}
            for jobs in (1, 2):
                out = Path(tmp) / f"out{round_}-{jobs}"
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([str(script), str(folder), "-o", str(out), "-q",
                                "--jobs", str(jobs)], check=True)
                walls[jobs] = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[jobs] = ((after.ru_utime + after.ru_stime)
                              - (before.ru_utime + before.ru_stime))
            ratios.append(walls[1] / walls[2])
            print(f"cli on {files} files, {size_mb(docs):.1f} MB: "
                  f"--jobs 1 {walls[1]:.1f} s wall, {cpus[1]:.1f} s CPU; "
                  f"--jobs 2 {walls[2]:.1f} s wall, {cpus[2]:.1f} s CPU; "
                  f"speed-up {ratios[-1]:.2f}x; two busy processes {ceilings[-1]:.2f}x")
        print(f"--jobs 2 / --jobs 1: median speed-up {statistics.median(ratios):.2f}x; "
              f"two independent busy processes: median {statistics.median(ceilings):.2f}x "
              f"(CPU time is the work done: when it is flat and the speed-up is low, "
              f"the second core was not idle)")


_CHILD = """
import sys, time
sys.path.insert(0, {folder!r})
from corpus import varied
import textclean
docs = list(varied({mb}, seed=7))
textclean.clean("深人人心，末来。")
start = time.perf_counter()
for doc in docs:
    textclean.clean(doc)
print(sum(len(d.encode("utf-8")) for d in docs) / 1e6 / (time.perf_counter() - start))
"""


def engines(mb: float) -> None:
    """MB/s of the default preset with the compiled engine and in Python alone, each in a
    fresh process, interleaved twice (so that a slower spell of the machine falls on
    both)."""
    code = _CHILD.format(folder=str(Path(__file__).parent), mb=mb)
    rates: dict[str, list[float]] = {"compiled": [], "python": []}
    for _ in range(2):
        for name, runs in rates.items():
            env = dict(os.environ)
            env.pop(engine.SWITCH, None)
            if name == "python":
                env[engine.SWITCH] = "python"
            out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                 capture_output=True, text=True).stdout
            runs.append(float(out))
    best = {name: max(r) for name, r in rates.items()}
    print(f"engines on {mb} MB: compiled {best['compiled']:.2f} MB/s, python "
          f"{best['python']:.2f} MB/s, ratio {best['compiled'] / best['python']:.2f}x "
          f"(best of two runs each, interleaved)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20, help="corpus size in MB (default 20)")
    ap.add_argument("--cli", action="store_true", help="also time the command line's --jobs")
    ap.add_argument("--cli-only", action="store_true", help="time only the command line")
    ap.add_argument("--max-mb", type=int, default=16,
                    help="the largest size of the scaling figures (default 16; up to 64)")
    ap.add_argument("--engines", action="store_true",
                    help="only compare the compiled engine with Python alone")
    args = ap.parse_args()
    if args.engines:
        if engine.compiled() is None:
            sys.exit(f"--engines needs the compiled engine: {engine.describe()}")
        engines(args.mb)
        return

    docs = list(varied(args.mb))
    if args.cli_only:
        cli(docs, files=8)
        return
    total = size_mb(docs)
    textclean.clean("深人人心，末来。")  # load the lexicon once, outside the timings
    print(f"corpus: {len(docs)} documents ({len(set(docs))} distinct), {total:.1f} MB; "
          f"engine: {engine.describe()}")

    rates: dict[str, float] = {}
    for preset in ("default", "conservative", "none"):
        rates[f"textclean ({preset})"] = total / seconds(
            textclean.Cleaner(textclean.Config.make(preset=preset)).clean, docs)
    rates["floor (one regex.sub)"] = total / seconds(lambda d: FLOOR.sub("", d), docs)
    rates["ftfy.fix_text"] = total / seconds(ftfy.fix_text, docs)
    t2s = opencc_t2s()
    if t2s is not None:
        rates["OpenCC t2s"] = total / seconds(t2s, docs)
    default = rates["textclean (default)"]
    for name, rate in rates.items():
        print(f"{name:24} {rate:9.2f} MB/s  {rate / default:8.2f}x default")
    print(f"default / floor = 1/{rates['floor (one regex.sub)'] / default:.0f}; "
          f"default / ftfy = {default / rates['ftfy.fix_text']:.1f}x"
          + (f"; default / OpenCC t2s = {default / rates['OpenCC t2s']:.2f}x"
             if t2s is not None else "; OpenCC not installed"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB")

    cleaner = textclean.Cleaner()
    per_mb = []
    for mb in (size for size in SIZES if size <= args.max_mb):
        part = list(varied(mb, seed=mb))
        spent = seconds(cleaner.clean, part)
        per_mb.append(spent / size_mb(part))
        print(f"{mb:3} MB: {spent:7.2f} s  {per_mb[-1]:.2f} s/MB")
    normal = min(per_mb)
    for name, text in pathological(1_000_000).items():
        spent = seconds(cleaner.clean, [text])
        mb = len(text.encode("utf-8")) / 1e6
        print(f"pathological {name:22} {mb:4.2f} MB {spent:7.2f} s  "
              f"{spent / mb / normal:5.2f}x normal per MB")

    if args.cli:
        cli(docs, files=8)


if __name__ == "__main__":
    main()
