"""Shared fixtures and the hypothesis profiles (CI runs the derandomized one)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# The engine's contract (issue 22): its differential tests, run once with 100,000 cases
# each before a change to the engine is called done.
settings.register_profile("differential", max_examples=100_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def sample_names() -> list[str]:
    return sorted(p.name for p in (SAMPLES / "gold").glob("*.txt"))


@pytest.fixture(params=sample_names())
def sample(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(raw, gold) text of one bundled sample."""
    name = request.param
    raw = (SAMPLES / "raw" / name).read_text(encoding="utf-8")
    gold = (SAMPLES / "gold" / name).read_text(encoding="utf-8")
    return raw, gold
