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


def test_every_case_has_provenance() -> None:
    for path in CASES_DIR.glob("*.json"):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            assert {"label", "raw", "clean", "source"} <= case.keys(), (path.name, case)
