"""textclean: canonical text from raw, OCR- and layout-damaged Chinese newspaper dumps.

>>> import textclean
>>> textclean.clean('王毅:今年是 2 0 2 1 年,中国外交"云外交"模式 。\\n')
'王毅：今年是2021年，中国外交“云外交”模式。\\n'
"""

from __future__ import annotations

from collections.abc import Iterable

from textclean.explain import Edit, Explanation, Step, apply_edits, replay
from textclean.pipeline import PRESETS, RULES, Cleaner, Config, Phase, Rule, cleaner_for

__version__ = "0.1.0"

__all__ = [
    "PRESETS", "RULES", "Cleaner", "Config", "Edit", "Explanation", "Phase", "Rule", "Step",
    "__version__", "apply_edits", "clean", "clean_and_explain", "replay",
]


def clean(
    text: str,
    *,
    preset: str = "default",
    enable: Iterable[str] = (),
    disable: Iterable[str] = (),
    paragraph_separator: str = "\n",
    convert: str | None = None,
    config: Config | None = None,
) -> str:
    """Return the canonical form of ``text`` (CANON.md).

    ``preset`` chooses a set of rules (``default``, ``conservative``: no risky rules,
    ``none``); ``enable`` and ``disable`` switch rules by name; ``paragraph_separator``
    replaces the one line break between paragraphs; ``convert`` names an OpenCC
    configuration (``t2s``, ``s2t``, ...) for Traditional/Simplified conversion, which
    is off by default. A ready ``config`` overrides the other options.

    Raises TypeError for anything but ``str`` (decode bytes first), ValueError for an
    unknown rule or preset.
    """
    return cleaner_for(preset=preset, enable=enable, disable=disable,
                       paragraph_separator=paragraph_separator, convert=convert,
                       config=config).clean(text)


def clean_and_explain(
    text: str,
    *,
    preset: str = "default",
    enable: Iterable[str] = (),
    disable: Iterable[str] = (),
    paragraph_separator: str = "\n",
    convert: str | None = None,
    config: Config | None = None,
) -> Explanation:
    """Like :func:`clean`, and also return the steps: each names its rule and its edits.

    ``replay(text, explanation.steps) == explanation.text``.
    """
    return cleaner_for(preset=preset, enable=enable, disable=disable,
                       paragraph_separator=paragraph_separator, convert=convert,
                       config=config).explain(text)
