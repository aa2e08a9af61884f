"""No input makes the cleaner, or its explanation, hang: a guard against catastrophic
backtracking and quadratic diffs.

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


def _run_child(child: str, size: int, doing: str) -> list[str]:
    """Run a child that prints ``start NAME`` and ``done NAME``; the names it finished."""
    try:
        run = subprocess.run([sys.executable, "-c", child, str(size)], check=False, cwd=ROOT,
                             capture_output=True, text=True, timeout=BOUND)
    except subprocess.TimeoutExpired as stop:
        out = stop.stdout.decode() if isinstance(stop.stdout, bytes) else stop.stdout or ""
        started = [line.split(" ", 1)[1] for line in out.splitlines()
                   if line.startswith("start")]
        raise AssertionError(f"still {doing} {started[-1] if started else '?'!r} "
                             f"after {BOUND} s") from None
    assert run.returncode == 0, run.stderr
    return [line.split(" ", 1)[1] for line in run.stdout.splitlines()
            if line.startswith("done")]


def test_no_pathological_input_hangs_the_cleaner() -> None:
    assert _run_child(CHILD, SIZE, "cleaning") == list(pathological(SIZE))


#: Letter-spaced text and runs of line breaks: the inputs that made the explanation's
#: diff (difflib's, before) quadratic or worse: 4 KB of '中 ' took 34 s, 4 KB of \r\n
#: over 300 s.
EXPLAIN_CHILD = """
import sys
from benchmarks.corpus import pathological
import textclean
size = int(sys.argv[1])
inputs = dict(pathological(size))
inputs["letter-spaced"] = "中 " * (size // 4)
inputs["CRLF runs"] = "\\r\\n" * (size // 2) + "完。"
for name, text in inputs.items():
    print("start", name, flush=True)
    explanation = textclean.clean_and_explain(text)
    assert textclean.replay(text, explanation.steps) == explanation.text, name
    print("done", name, flush=True)
"""


def test_no_pathological_input_hangs_the_explanation() -> None:
    done = _run_child(EXPLAIN_CHILD, SIZE // 2, "explaining")
    assert done == [*pathological(SIZE // 2), "letter-spaced", "CRLF runs"]
