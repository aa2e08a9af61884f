"""No input makes the cleaner hang: a guard against catastrophic backtracking.

The inputs are benchmarks/corpus.py's pathological ones (runs of one character, one line
with no break, one huge paragraph, many empty lines) at 200 KB each. This measures no
speed (benchmarks/throughput.py does, against the 2x target): the bound is generous, far
above the fraction of a second each takes, and is only there so that a regex that goes
quadratic or exponential fails the test instead of hanging CI.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.corpus import pathological
from tests.conftest import ROOT

SIZE = 200_000
#: Seconds for all the inputs together, the lexicon's load included.
BOUND = 300

CHILD = """
import sys
from benchmarks.corpus import pathological
import textclean
for name, text in pathological(int(sys.argv[1])).items():
    print("start", name, flush=True)
    out = textclean.clean(text)
    assert textclean.clean(out) == out, name
    print("done", name, flush=True)
"""


def test_no_pathological_input_hangs_the_cleaner() -> None:
    names = list(pathological(SIZE))
    try:
        run = subprocess.run([sys.executable, "-c", CHILD, str(SIZE)], check=False, cwd=ROOT,
                             capture_output=True, text=True, timeout=BOUND)
    except subprocess.TimeoutExpired as stop:
        out = stop.stdout.decode() if isinstance(stop.stdout, bytes) else stop.stdout or ""
        started = [line.split(" ", 1)[1] for line in out.splitlines()
                   if line.startswith("start")]
        raise AssertionError(f"still cleaning {started[-1] if started else names[0]!r} "
                             f"after {BOUND} s") from None
    assert run.returncode == 0, run.stderr
    done = [line.split(" ", 1)[1] for line in run.stdout.splitlines()
            if line.startswith("done")]
    assert done == names
