"""Property testing for text pipelines: canonical-text strategies, a noise model, laws.

>>> from hypothesis import given, settings
>>> import textclean
>>> from textclean.testing import canonical_text, laws
>>> @settings(max_examples=20, database=None)
... @given(canonical_text())
... def test_my_pipeline_keeps_clean_text(doc):
...     laws.assert_fixed_point(textclean.clean, doc)
>>> test_my_pipeline_keeps_clean_text()

See docs/testing.md.
"""

from __future__ import annotations

from textclean.testing import laws, noise
from textclean.testing.strategies import (
    INLINE_OPERATORS,
    LAYOUT_OPERATORS,
    OPERATORS,
    canonical_text,
    noisy_text,
)

__all__ = ["INLINE_OPERATORS", "LAYOUT_OPERATORS", "OPERATORS", "canonical_text", "laws",
           "noise", "noisy_text"]
