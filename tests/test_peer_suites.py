"""Other projects' own test cases (../shared/peer-suites): textclean on the agreeing ones.

Each suite file holds a peer's inputs, the outputs its maintainers expect and a verdict
against CANON. Every agreeing case must pass and its expected output must be a fixed
point (a conversion excepted: OpenCC is not idempotent), except the cases listed with a
reason in tests/peer_differences.json, which must still differ.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

import textclean
from tests.conftest import ROOT

PEERS = ROOT.parent / "shared" / "peer-suites"
DIFFERENCES = {
    c["id"]: c["reason"]
    for c in json.loads((ROOT / "tests" / "peer_differences.json").read_text(
        encoding="utf-8"))["cases"]
}


def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(PEERS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        cases += [c for c in data["cases"] if c["verdict"] == "agrees"]
    return cases


CASES = _cases()


def test_the_suites_are_there() -> None:
    if not PEERS.is_dir() and os.environ.get("CI") != "true":
        pytest.skip(f"no peer suites at {PEERS} (they come with the project's shared folder)")
    assert len(CASES) >= 700, f"the peer suites at {PEERS} hold {len(CASES)} agreeing cases"
    assert set(DIFFERENCES) <= {c["id"] for c in CASES}, "a listed difference is no case"


def _outcome(case: dict[str, Any]) -> tuple[str, bool]:
    options = case.get("options") or {}
    out = textclean.clean(case["input"], **options)
    fixed = "convert" in options or textclean.clean(case["expected"], **options) == \
        case["expected"]
    return out, fixed


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_agreeing_case(case: dict[str, Any]) -> None:
    out, fixed = _outcome(case)
    if case["id"] in DIFFERENCES:
        assert not (out == case["expected"] and fixed), (
            f"{case['id']} now passes: remove it from peer_differences.json")
        return
    assert out == case["expected"], f"input {case['input']!r}"
    assert fixed, f"the expected output {case['expected']!r} is not a fixed point"
