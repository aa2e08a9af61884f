"""Data-driven cases (tests/cases/*.json): raw → clean, and clean is a fixed point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import textclean

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['label']}",
                                       marks=[pytest.mark.xfail(strict=True)]
                                       if case.get("known_failure") else []))
    return params


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict[str, str]) -> None:
    assert textclean.clean(case["raw"]) == case["clean"]
    assert textclean.clean(case["clean"]) == case["clean"], "clean text must be a fixed point"


@pytest.mark.parametrize("case", [c for c in load_cases() if "clause" in c.values[0]])
def test_case_is_decided_by_its_clause(case: dict[str, str]) -> None:
    """A layout case names the clause it is about: the explanation shows that clause
    deciding one of the case's line breaks (joined, or kept)."""
    explanation = textclean.clean_and_explain(case["raw"])
    clauses = {edit.why for step in explanation.steps if step.rule == "join_wrapped_lines"
               for edit in (*step.edits, *step.kept)}
    assert case["clause"] in clauses, sorted(clauses - {""})


@pytest.mark.parametrize("case", [c for c in load_cases() if "rule" in c.values[0]])
def test_case_is_decided_by_its_rule(case: dict[str, str]) -> None:
    """A layout case about a rule of the layout phase other than join_wrapped_lines
    names it: that rule is one of those that changed the text."""
    explanation = textclean.clean_and_explain(case["raw"])
    assert case["rule"] in {step.rule for step in explanation.steps if step.edits}


def test_every_layout_case_names_what_decides_it() -> None:
    """Each layout case names its clause or its rule, but a fixed point (nothing to
    decide: the raw text is already clean)."""
    doc = json.loads((CASES_DIR / "layout.json").read_text(encoding="utf-8"))
    for case in doc["cases"]:
        assert ("clause" in case or "rule" in case
                or case["raw"] == case["clean"]), case["label"]


def test_every_case_has_provenance() -> None:
    for path in CASES_DIR.glob("*.json"):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            assert {"label", "raw", "clean", "source"} <= case.keys(), (path.name, case)
