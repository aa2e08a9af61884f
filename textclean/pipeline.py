"""The rule registry, configuration and the phase runner.

``RULES`` is the single ordered list of rules. The configuration's switches, the presets,
the CLI's ``--list-rules``, the explanation's step names and the docs' rule reference all
come from it.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from textclean.explain import Explanation, Step, diff
from textclean.rules import characters, lines, punctuation, spaces


class Phase(enum.Enum):
    """When a rule runs: the whole document first, then each paragraph, then the output."""

    CHARACTERS = "characters"  #: whole document: encoding, invisible and broken characters
    LAYOUT = "layout"          #: whole document: line breaks and paragraphs
    INLINE = "inline"          #: per paragraph (line by line): spaces, punctuation, width
    OUTPUT = "output"          #: the output's shape (paragraph separator)


@dataclass(frozen=True)
class Rule:
    """A named rule: a pure ``str -> str`` function and where it runs."""

    name: str
    func: Callable[..., str]
    phase: Phase
    risky: bool = False    #: may rewrite correct text in rare contexts; off in "conservative"
    opt_in: bool = False   #: off in every preset; switched on by an option or by name

    @property
    def summary(self) -> str:
        """The first line of the rule's docstring."""
        doc = self.func.__doc__ or ""
        return doc.strip().splitlines()[0] if doc.strip() else ""


def separate_paragraphs(text: str, *, separator: str = "\n") -> str:
    r"""Separate paragraphs with another separator than one line break.

    Fires when: switched on with the ``paragraph_separator`` option.
    Does: replaces each line break between paragraphs with the separator; a final
    line break stays one ``\n``.
    Leaves alone: the text when the separator is ``\n`` (the canonical form).

    >>> separate_paragraphs('第一段。\n第二段。\n', separator='\n\n')
    '第一段。\n\n第二段。\n'
    """
    if separator == "\n" or "\n" not in text.rstrip("\n"):
        return text
    body = text[:-1] if text.endswith("\n") else text
    out = body.replace("\n", separator)
    return out + "\n" if text.endswith("\n") else out


RULES: tuple[Rule, ...] = (
    Rule("repair_mojibake", characters.repair_mojibake, Phase.CHARACTERS),
    Rule("normalize_line_breaks", characters.normalize_line_breaks, Phase.CHARACTERS),
    Rule("remove_invisible_chars", characters.remove_invisible_chars, Phase.CHARACTERS),
    Rule("map_compatibility_ideographs", characters.map_compatibility_ideographs,
         Phase.CHARACTERS),
    Rule("convert_script", characters.convert_script, Phase.CHARACTERS, opt_in=True),
    Rule("restore_yi_from_dash", characters.restore_yi_from_dash, Phase.CHARACTERS,
         risky=True),
    Rule("remove_continuation_markers", lines.remove_continuation_markers, Phase.LAYOUT),
    Rule("join_wrapped_lines", lines.join_wrapped_lines, Phase.LAYOUT),
    Rule("restore_turn_breaks", lines.restore_turn_breaks, Phase.LAYOUT, risky=True),
    Rule("normalize_spaces", spaces.normalize_spaces, Phase.INLINE),
    Rule("fold_fullwidth_alnum", punctuation.fold_fullwidth_alnum, Phase.INLINE),
    Rule("narrow_number_punctuation", punctuation.narrow_number_punctuation, Phase.INLINE),
    Rule("pair_straight_quotes", punctuation.pair_straight_quotes, Phase.INLINE),
    Rule("widen_cjk_punctuation", punctuation.widen_cjk_punctuation, Phase.INLINE),
    Rule("widen_cjk_parentheses", punctuation.widen_cjk_parentheses, Phase.INLINE),
    Rule("normalize_ellipses_and_dashes", punctuation.normalize_ellipses_and_dashes,
         Phase.INLINE),
    Rule("join_names_with_dash", punctuation.join_names_with_dash, Phase.INLINE),
    Rule("collapse_spaced_digits", spaces.collapse_spaced_digits, Phase.INLINE),
    Rule("remove_cjk_spaces", spaces.remove_cjk_spaces, Phase.INLINE),
    Rule("separate_paragraphs", separate_paragraphs, Phase.OUTPUT, opt_in=True),
)

RULES_BY_NAME: Mapping[str, Rule] = {rule.name: rule for rule in RULES}

PRESETS: Mapping[str, frozenset[str]] = {
    "default": frozenset(r.name for r in RULES if not r.opt_in),
    "conservative": frozenset(r.name for r in RULES if not r.opt_in and not r.risky),
    "none": frozenset(),
}

#: Passes a phase may take to reach a fixed point before the runner gives up and warns.
MAX_PASSES = 4


def _check_names(names: Iterable[str], what: str) -> frozenset[str]:
    names = frozenset(names)
    unknown = sorted(names - RULES_BY_NAME.keys())
    if unknown:
        raise ValueError(
            f"unknown rule{'s' if len(unknown) > 1 else ''} in {what}: {', '.join(unknown)}; "
            f"known rules: {', '.join(RULES_BY_NAME)}"
        )
    return names


@dataclass(frozen=True)
class Config:
    """Which rules run, and the options of the output.

    Build one with :meth:`Config.make`; it is immutable and hashable.
    """

    rules: frozenset[str] = field(default_factory=lambda: PRESETS["default"])
    paragraph_separator: str = "\n"
    convert: str | None = None

    @classmethod
    def make(
        cls,
        *,
        preset: str = "default",
        enable: Iterable[str] = (),
        disable: Iterable[str] = (),
        paragraph_separator: str = "\n",
        convert: str | None = None,
    ) -> Config:
        """A configuration from a preset, rules switched on and off by name, and options.

        ``convert`` is an OpenCC configuration name (``t2s``, ``s2t``, ...); giving it
        switches on ``convert_script``. A ``paragraph_separator`` other than ``\\n``
        switches on ``separate_paragraphs``.
        """
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
        if isinstance(enable, str) or isinstance(disable, str):
            raise TypeError("enable and disable take a list of rule names, not one string")
        on = _check_names(enable, "enable")
        off = _check_names(disable, "disable")
        if not paragraph_separator or set(paragraph_separator) - {"\n", "\r"}:
            raise ValueError("paragraph_separator must be line breaks only, e.g. '\\n\\n'")
        rules = (PRESETS[preset] | on) - off
        if convert is not None and "convert_script" not in off:
            rules |= {"convert_script"}
        if paragraph_separator != "\n" and "separate_paragraphs" not in off:
            rules |= {"separate_paragraphs"}
        return cls(frozenset(rules), paragraph_separator, convert)


class Cleaner:
    """Runs the configured rules, phase by phase, each phase to a fixed point."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        options: dict[str, dict[str, Any]] = {
            "convert_script": {"config": self.config.convert or "t2s"},
            "separate_paragraphs": {"separator": self.config.paragraph_separator},
        }
        self._phases: list[tuple[Phase, list[tuple[str, Callable[[str], str]]]]] = []
        for phase in Phase:
            funcs: list[tuple[str, Callable[[str], str]]] = []
            for rule in RULES:
                if rule.phase is phase and rule.name in self.config.rules:
                    kwargs = options.get(rule.name)
                    funcs.append((rule.name, partial(rule.func, **kwargs) if kwargs
                                  else rule.func))
            self._phases.append((phase, funcs))

    def _run(self, text: str, steps: list[Step] | None) -> str:
        if not isinstance(text, str):
            if isinstance(text, (bytes, bytearray, memoryview)):
                raise TypeError(
                    "textclean works on str, not bytes: decode first, e.g. "
                    "data.decode('utf-8') (the textclean command line detects encodings)"
                )
            raise TypeError(f"textclean works on str, not {type(text).__name__}")
        # A later phase can make work for an earlier one (a page break joined across
        # the halves of a mis-decoded character): run all phases again until nothing
        # changes, so that clean() is idempotent.
        for _ in range(MAX_PASSES):
            before = text
            text = self._run_phases(text, steps)
            if text == before:
                break
        return text

    def _run_phases(self, text: str, steps: list[Step] | None) -> str:
        for phase, funcs in self._phases:
            if not funcs:
                continue
            changed_by: list[str] = []
            for _ in range(MAX_PASSES):
                changed_by = []
                for name, func in funcs:
                    new = func(text)
                    if new != text:
                        if steps is not None:
                            steps.append(Step(name, diff(text, new)))
                        changed_by.append(name)
                        text = new
                if not changed_by or phase is Phase.OUTPUT:
                    break
            else:
                warnings.warn(
                    f"textclean: the {phase.value} phase did not settle after {MAX_PASSES} "
                    f"passes; still changing: {', '.join(changed_by)}",
                    RuntimeWarning, stacklevel=4,
                )
        return text

    def clean(self, text: str) -> str:
        """The canonical form of text."""
        return self._run(text, None)

    def explain(self, text: str) -> Explanation:
        """The canonical form of text, with the steps each rule took."""
        steps: list[Step] = []
        out = self._run(text, steps)
        return Explanation(out, tuple(steps))


@lru_cache(maxsize=32)
def _cached_cleaner(preset: str, enable: frozenset[str], disable: frozenset[str],
                    paragraph_separator: str, convert: str | None) -> Cleaner:
    return Cleaner(Config.make(preset=preset, enable=enable, disable=disable,
                               paragraph_separator=paragraph_separator, convert=convert))


def cleaner_for(
    *,
    preset: str = "default",
    enable: Iterable[str] = (),
    disable: Iterable[str] = (),
    paragraph_separator: str = "\n",
    convert: str | None = None,
    config: Config | None = None,
) -> Cleaner:
    """A (cached) cleaner for these options, or for a ready ``config``."""
    if config is not None:
        return Cleaner(config)
    if isinstance(enable, str) or isinstance(disable, str):
        raise TypeError("enable and disable take a list of rule names, not one string")
    return _cached_cleaner(preset, frozenset(enable), frozenset(disable),
                           paragraph_separator, convert)
