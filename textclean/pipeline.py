"""The rule registry, configuration and the phase runner.

``RULES`` is the single ordered list of rules. The configuration's switches, the presets,
the CLI's ``--list-rules``, the explanation's step names and the docs' rule reference all
come from it.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textclean import engine, lexicon
from textclean.document import DocumentRule, apply_whole
from textclean.explain import Edit, Explanation, Step, diff
from textclean.rules import characters, columns, context, lines, page, punctuation, spaces
from textclean.store import (
    DEFAULT_CHUNK_CHARS,
    Doc,
    FileStore,
    MemoryDoc,
    MemoryStore,
    Store,
    TextDoc,
    TextStore,
    cut_at_line_breaks,
)

if TYPE_CHECKING:
    from textclean import _engine


class Phase(enum.Enum):
    """When a rule runs: the whole document first, then each paragraph, then the output."""

    CHARACTERS = "characters"  #: whole document: encoding, invisible and broken characters
    LAYOUT = "layout"          #: whole document: line breaks and paragraphs
    INLINE = "inline"          #: per paragraph (line by line): spaces, punctuation, width
    OUTPUT = "output"          #: the output's shape (paragraph separator)


#: What :attr:`Rule.explain` gives: the edits with why, and the kept decisions.
_Explained = tuple[tuple[Edit, ...], tuple[Edit, ...]]


@dataclass(frozen=True)
class Rule:
    """A named rule: a pure ``str -> str`` function and where it runs."""

    name: str
    func: Callable[..., str]
    phase: Phase
    risky: bool = False    #: may rewrite correct text in rare contexts; off in "conservative"
    opt_in: bool = False   #: off in every preset; switched on by an option or by name
    #: The rule may add, remove or replace Han characters (every other rule keeps the
    #: sequence of Han characters as it is: the "no Han lost" law).
    changes_han: bool = False
    #: For a rule that needs evidence from the whole document: builds its
    #: :class:`~textclean.document.DocumentRule` from the rule's options. Every other
    #: rule is line-local and runs on any piece of a document cut at line breaks.
    document: Callable[..., DocumentRule] | None = None
    #: Builds, ahead of use, what the rule otherwise builds on first use (the lexicon):
    #: :meth:`Cleaner.preload` calls it so that forked workers share the result.
    preload: Callable[[], object] | None = None
    #: The rule runs exactly once, on the first pass, outside the loops that repeat a
    #: phase to a fixed point: a rule that is not idempotent (a script conversion maps
    #: 乾 to 干 once, and 干 to 干 again only by luck) must not be run twice. The
    #: idempotence law exempts it: cleaning its output again, without it, changes
    #: nothing.
    once: bool = False
    #: For the explanation: given the text the rule started from and its edits, the
    #: edits with why each was made, and the decisions that kept text as it was (each
    #: as an edit that changes nothing). Only the layout rule that joins lines says.
    explain: Callable[[str, tuple[Edit, ...]], _Explained] | None = None

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
    if separator == "\n":
        return text
    return apply_whole(SeparateParagraphs(separator), text)


class _InnerBreak:
    """Whether a document has a line break with text after it."""

    def __init__(self) -> None:
        self.found = False
        self._after_break = False

    def add(self, chunk: str) -> None:
        if not chunk or self.found:
            return
        stripped = chunk.rstrip("\n")
        self.found = (self._after_break and bool(stripped)) or "\n" in stripped
        self._after_break = chunk.endswith("\n")

    def result(self) -> bool:
        return self.found


class SeparateParagraphs:
    """separate_paragraphs as a document rule: the final line break is the document's."""

    def __init__(self, separator: str = "\n") -> None:
        self.separator = separator

    def evidence(self) -> _InnerBreak:
        return _InnerBreak()

    def transform(self, evidence: bool, chunks: Iterable[str]) -> Iterator[str]:
        if self.separator == "\n" or not evidence:
            yield from chunks
            return
        held: str | None = None
        for chunk in chunks:
            if held is not None:
                yield held.replace("\n", self.separator)
            held = chunk
        if held is not None:
            final = held.endswith("\n")
            body = held[:-1] if final else held
            yield body.replace("\n", self.separator) + ("\n" if final else "")


RULES: tuple[Rule, ...] = (
    Rule("repair_surrogates", characters.repair_surrogates, Phase.CHARACTERS),
    Rule("repair_mojibake", characters.repair_mojibake, Phase.CHARACTERS, changes_han=True),
    Rule("normalize_line_breaks", characters.normalize_line_breaks, Phase.CHARACTERS),
    Rule("remove_invisible_chars", characters.remove_invisible_chars, Phase.CHARACTERS),
    Rule("map_compatibility_ideographs", characters.map_compatibility_ideographs,
         Phase.CHARACTERS, changes_han=True),
    Rule("convert_script", characters.convert_script, Phase.CHARACTERS, opt_in=True,
         changes_han=True, once=True),
    Rule("restore_yi_from_dash", characters.restore_yi_from_dash, Phase.CHARACTERS,
         risky=True, changes_han=True),
    Rule("read_columns_in_order", columns.read_columns_in_order, Phase.LAYOUT,
         document=lambda: columns.READ_COLUMNS_IN_ORDER, explain=columns.explain_columns),
    Rule("remove_page_furniture", page.remove_page_furniture, Phase.LAYOUT,
         changes_han=True, document=lambda: page.REMOVE_PAGE_FURNITURE),
    Rule("remove_continuation_markers", lines.remove_continuation_markers, Phase.LAYOUT,
         changes_han=True),
    Rule("join_wrapped_lines", lines.join_wrapped_lines, Phase.LAYOUT,
         document=lambda: lines.JOIN_WRAPPED_LINES, explain=lines.explain_joins),
    Rule("rejoin_split_words", context.rejoin_split_words, Phase.LAYOUT, risky=True,
         document=lambda: context.REJOIN_SPLIT_WORDS, preload=lexicon.load),
    Rule("restore_turn_breaks", lines.restore_turn_breaks, Phase.LAYOUT, risky=True,
         document=lambda: lines.RESTORE_TURN_BREAKS),
    Rule("split_headline_block", lines.split_headline_block, Phase.LAYOUT),
    Rule("normalize_spaces", spaces.normalize_spaces, Phase.INLINE),
    Rule("fold_fullwidth_alnum", punctuation.fold_fullwidth_alnum, Phase.INLINE),
    Rule("narrow_number_punctuation", punctuation.narrow_number_punctuation, Phase.INLINE),
    Rule("turn_ocr_quotes", punctuation.turn_ocr_quotes, Phase.INLINE, risky=True),
    Rule("pair_straight_quotes", punctuation.pair_straight_quotes, Phase.INLINE),
    Rule("restore_ocr_marks", punctuation.restore_ocr_marks, Phase.INLINE, risky=True,
         changes_han=True),
    Rule("narrow_latin_punctuation", punctuation.narrow_latin_punctuation, Phase.INLINE),
    Rule("widen_cjk_punctuation", punctuation.widen_cjk_punctuation, Phase.INLINE),
    Rule("widen_cjk_parentheses", punctuation.widen_cjk_parentheses, Phase.INLINE),
    Rule("normalize_ellipses_and_dashes", punctuation.normalize_ellipses_and_dashes,
         Phase.INLINE),
    Rule("join_names_with_dash", punctuation.join_names_with_dash, Phase.INLINE),
    Rule("collapse_spaced_digits", spaces.collapse_spaced_digits, Phase.INLINE),
    Rule("join_spaced_number_parts", spaces.join_spaced_number_parts, Phase.INLINE,
         risky=True),
    Rule("join_spaced_capitals", spaces.join_spaced_capitals, Phase.INLINE, risky=True),
    Rule("repair_o_in_numbers", context.repair_o_in_numbers, Phase.INLINE, risky=True),
    Rule("remove_cjk_spaces", spaces.remove_cjk_spaces, Phase.INLINE),
    Rule("fix_stray_script", context.fix_stray_script, Phase.INLINE, risky=True,
         opt_in=True, changes_han=True),
    Rule("restore_yi_in_words", context.restore_yi_in_words, Phase.INLINE, risky=True,
         changes_han=True, preload=lexicon.load),
    Rule("repair_lookalikes", context.repair_lookalikes, Phase.INLINE, risky=True,
         changes_han=True, preload=context.preload_lookalikes),
    Rule("separate_paragraphs", separate_paragraphs, Phase.OUTPUT, opt_in=True,
         document=SeparateParagraphs),
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


@dataclass(frozen=True)
class _Step:
    """Rules run in one pass over the document: line-local rules together, or one
    document rule."""

    names: tuple[str, ...]
    local: tuple[Callable[[str], str], ...] = ()
    document: DocumentRule | None = None
    once: bool = False  #: run on the first pass only (Rule.once)
    #: Runs of consecutive rules the compiled engine runs in one call (engine.twin_runs).
    twins: engine.TwinRuns = field(default_factory=dict)


class Cleaner:
    """Runs the configured rules, phase by phase, each phase to a fixed point.

    The document is held by a :class:`~textclean.store.Store`: in memory for
    :meth:`clean` and :meth:`explain`, in temporary files for :meth:`clean_chunks`. Both
    run the same steps, so a document cleaned in chunks comes out as it does whole.
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        options: dict[str, dict[str, Any]] = {
            "convert_script": {"config": self.config.convert or "t2s"},
            "separate_paragraphs": {"separator": self.config.paragraph_separator},
        }
        # Per phase: each rule alone (for explanations), and consecutive line-local
        # rules fused into one pass (for cleaning).
        self._single: list[tuple[Phase, list[_Step]]] = []
        self._fused: list[tuple[Phase, list[_Step]]] = []
        for phase in Phase:
            single: list[_Step] = []
            fused: list[_Step] = []
            for rule in RULES:
                if rule.phase is not phase or rule.name not in self.config.rules:
                    continue
                kwargs = options.get(rule.name, {})
                if rule.document is not None:
                    step = _Step((rule.name,), document=rule.document(**kwargs))
                    single.append(step)
                    fused.append(step)
                    continue
                func = partial(rule.func, **kwargs) if kwargs else rule.func
                if rule.once:
                    step = _Step((rule.name,), (func,), once=True)
                    single.append(step)
                    fused.append(step)
                    continue
                single.append(_Step((rule.name,), (func,)))
                if fused and fused[-1].document is None and not fused[-1].once:
                    last = fused.pop()
                    fused.append(_Step((*last.names, rule.name), (*last.local, func)))
                else:
                    fused.append(_Step((rule.name,), (func,)))
            self._single.append((phase, [_with_twins(step, options) for step in single]))
            self._fused.append((phase, [_with_twins(step, options) for step in fused]))
        self._options = options
        self._driver = self._compiled_pipeline(options)

    def _current_driver(self) -> _engine.Pipeline | None:
        """The engine's runner, built again if the tolerances or the number of passes
        it was built with have changed since (the Python runner reads them on every
        call); None where the engine is switched off or cannot run these rules."""
        if engine.compiled() is None:
            return None
        tol, passes = self._driver_built
        if tol is not lines.TOL or passes != MAX_PASSES:
            self._driver = self._compiled_pipeline(self._options)
        return self._driver

    def _compiled_pipeline(self, options: Mapping[str, object]) -> _engine.Pipeline | None:
        """The engine's runner of these steps (its ``Pipeline``), where the engine is
        built and runs every rule (none given options, none that runs once); else
        None, and the steps run here."""
        self._driver_built: tuple[object, int] = (lines.TOL, MAX_PASSES)
        compiled = engine.compiled()
        steps = [step for _, phase_steps in self._fused for step in phase_steps]
        if compiled is None or any(step.once or set(step.names) & set(options)
                                   for step in steps):
            return None
        phases = [([name for step in phase_steps for name in step.names],
                   phase is not Phase.OUTPUT) for phase, phase_steps in self._fused]
        try:
            runner: _engine.Pipeline = compiled.Pipeline(
                phases, passes=MAX_PASSES, tol=lines.TOL, context=context.compiled_rules,
                mojibake=characters.repair_mojibake, damaged=context.DAMAGED)
        except ValueError:  # a rule the engine has no twin of
            return None
        return runner

    def preload(self) -> None:
        """Build now what the enabled rules would build on first use (the lexicon).

        Cleaning gives the same result either way; call it before forking worker
        processes so that they share one copy (the command line does).
        """
        for rule in RULES:
            if rule.preload is not None and rule.name in self.config.rules:
                rule.preload()

    @staticmethod
    def _check(text: object) -> None:
        if not isinstance(text, str):
            if isinstance(text, (bytes, bytearray, memoryview)):
                raise TypeError(
                    "textclean works on str, not bytes: decode first, e.g. "
                    "data.decode('utf-8') (the textclean command line detects encodings)"
                )
            raise TypeError(f"textclean works on str, not {type(text).__name__}")

    def _run(self, doc: Doc, store: Store, steps: list[Step] | None) -> Doc:
        # A later phase can make work for an earlier one (a page break joined across
        # the halves of a mis-decoded character): run all phases again until nothing
        # changes, so that clean() is idempotent.
        phases = self._single if steps is not None else self._fused
        # The text each step last left as it was: the rules are pure, so a step that
        # sees that text again (a confirm pass) would leave it again, and is skipped.
        settled: dict[int, object] = {}
        for run in range(MAX_PASSES):
            before = doc.key
            doc = self._run_phases(doc, store, phases, steps, settled, first=run == 0)
            if doc.key == before:
                break
        return doc

    def _run_phases(self, doc: Doc, store: Store, phases: list[tuple[Phase, list[_Step]]],
                    steps: list[Step] | None, settled: dict[int, object], *,
                    first: bool) -> Doc:
        for phase, phase_steps in phases:
            if not phase_steps:
                continue
            changed_by: list[str] = []
            for attempt in range(MAX_PASSES):
                changed_by = []
                for step in phase_steps:
                    if step.once and not (first and attempt == 0):
                        continue
                    key = doc.key
                    if settled.get(id(step)) == key:
                        continue
                    new, changed = self._apply(step, doc, store)
                    if not changed:
                        settled[id(step)] = key
                        continue
                    if steps is not None:
                        assert isinstance(doc, MemoryDoc) and isinstance(new, MemoryDoc)
                        steps.append(_explained(step.names[0], doc.text, new.text))
                    changed_by.extend(changed)
                    if new is not doc:
                        store.release(doc)
                    doc = new
                if not changed_by or phase is Phase.OUTPUT:
                    break
            else:
                _unsettled(phase, changed_by, stacklevel=6)
        return doc

    @staticmethod
    def _apply(step: _Step, doc: Doc, store: Store) -> tuple[Doc, list[str]]:
        """Run one step: the new document and the names of the rules that changed it."""
        if step.document is not None:
            evidence = step.document.evidence()
            for chunk in doc.chunks():
                evidence.add(chunk)
            new = store.write(step.document.transform(evidence.result(), doc.chunks()))
            if new.key == doc.key:
                store.release(new)
                return doc, []
            return new, list(step.names)
        changed: dict[str, None] = {}

        def pieces() -> Iterator[str]:
            for chunk in doc.chunks():
                text = chunk
                k = 0
                while k < len(step.local):
                    run = step.twins.get(k)
                    done = None if run is None else engine.apply_twins(run[1], text)
                    if run is not None and done is not None:
                        text = done[0]
                        changed.update((step.names[k + p], None) for p in done[1])
                        k = run[0]
                        continue
                    out = step.local[k](text)
                    if out != text:
                        changed[step.names[k]] = None
                        text = out
                    k += 1
                yield text

        new = store.write(pieces())
        if not changed:
            store.release(new)
            return doc, []
        return new, list(changed)

    def clean(self, text: str) -> str:
        """The canonical form of text."""
        self._check(text)
        if len(text) <= DEFAULT_CHUNK_CHARS:
            driver = self._current_driver()
            if driver is not None:
                # The whole pipeline in one call of the engine, where it takes the text.
                try:
                    done = driver.clean(text)
                except UnicodeEncodeError:  # a lone surrogate: in Python
                    done = None
                if done is not None:
                    out, unsettled = done
                    for phase, names in unsettled:
                        _unsettled(self._fused[phase][0], names, stacklevel=4)
                    return out
            # One chunk: the same steps over the text itself (TextDoc).
            short = self._run(TextDoc(text), TextStore(), None)
            assert isinstance(short, TextDoc)
            return short.text
        doc = self._run(MemoryDoc(text), MemoryStore(), None)
        assert isinstance(doc, MemoryDoc)
        return doc.text

    def explain(self, text: str) -> Explanation:
        """The canonical form of text, with the steps each rule took."""
        self._check(text)
        steps: list[Step] = []
        doc = self._run(MemoryDoc(text), MemoryStore(), steps)
        assert isinstance(doc, MemoryDoc)
        return Explanation(doc.text, tuple(steps))

    def clean_chunks(self, chunks: Iterable[str], *, folder: str | Path | None = None,
                     chunk_chars: int = DEFAULT_CHUNK_CHARS) -> Iterator[str]:
        """The canonical form of a document given in pieces, in bounded memory.

        The pieces may be cut anywhere; they are regrouped at line breaks. The document
        is held in temporary files (in ``folder``, default the system's temporary
        folder) between steps, and the output comes in chunks of about
        ``chunk_chars`` characters. Joined, they equal ``clean("".join(chunks))``.
        Memory grows with the longest paragraph and the chunk size, not with the
        document.
        """
        with FileStore(folder, chunk_chars) as store:
            doc: Doc = store.write(cut_at_line_breaks(chunks, chunk_chars))
            doc = self._run(doc, store, None)
            yield from doc.chunks()


def _unsettled(phase: Phase, changed_by: Iterable[str], *, stacklevel: int) -> None:
    warnings.warn(
        f"textclean: the {phase.value} phase did not settle after {MAX_PASSES} "
        f"passes; still changing: {', '.join(changed_by)}",
        RuntimeWarning, stacklevel=stacklevel,
    )


def _with_twins(step: _Step, options: Mapping[str, object]) -> _Step:
    """The step with the runs of its line-local rules that the compiled engine runs in
    one call (a rule given options runs in Python)."""
    if step.document is not None:
        return step
    names = [None if name in options else name for name in step.names]
    return replace(step, twins=engine.twin_runs(names))


def _explained(rule: str, before: str, after: str) -> Step:
    """The step a rule took from ``before`` to ``after``, with its reasons where the
    rule gives them (:attr:`Rule.explain`)."""
    edits = diff(before, after)
    explain = RULES_BY_NAME[rule].explain
    if explain is None:
        return Step(rule, edits)
    edits, kept = explain(before, edits)
    return Step(rule, edits, kept)


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
