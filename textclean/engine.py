"""Which engine runs: the compiled one (``textclean._engine``, Rust) or Python alone.

The Python code is the specification. Where the compiled engine is built (``pip
install`` builds it on a machine with a Rust toolchain), the steps it implements run
compiled and return exactly what the Python reference returns (tests/test_engine.py
holds the two equal); every other step runs in Python. Where it is not built, or
``TEXTCLEAN_ENGINE=python`` is set (read at import; :func:`refresh` reads it again),
everything runs in Python.

Compiled so far: the word-trigram model (textclean.lm), the lexicon
(textclean.lexicon), the layout phase's per-line features
(textclean.rules.lines.LayoutEvidence), its visual lines and its decisions
(textclean.rules.lines.iter_paragraphs), column order (textclean.rules.columns),
page furniture (textclean.rules.page), turn breaks (textclean.rules.lines.split_turns
and the speaker count), the look-alike repair's sites (textclean.rules.context), and
the rules that have a twin (``<rule>_reference`` beside them; the engine's
``twin_names()``): consecutive ones of a pipeline step run in one call
(:func:`twin_runs`).

>>> describe().split()[0] in ("compiled", "python")
True
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import regex

#: The environment variable that turns the compiled engine off (value ``python``).
SWITCH = "TEXTCLEAN_ENGINE"

_engine: ModuleType | None
try:
    from textclean import _engine
except ImportError as err:  # not built: a machine without a Rust toolchain
    _engine = None
    _MISSING = f"the compiled engine is not built ({err})"
else:
    _MISSING = ""


def _switched_off() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() == "python"


#: Whether the switch was set when the environment was last read (at import, or by
#: refresh()): reading the environment costs microseconds, and the steps ask for the
#: engine many times a document.
_off = _switched_off()


def refresh() -> None:
    """Read the switch again: for a process that sets or clears ``TEXTCLEAN_ENGINE``
    after importing textclean (the environment is read once, at import)."""
    global _off  # noqa: PLW0603 - the one piece of state the switch has
    _off = _switched_off()


@contextlib.contextmanager
def python_only() -> Iterator[None]:
    """Within the block, every rule runs its Python reference, as under
    ``TEXTCLEAN_ENGINE=python``: to compare the engine with the specification in one
    process. The switch is read again after it."""
    global _off  # noqa: PLW0603
    _off = True
    try:
        yield
    finally:
        refresh()


def compiled() -> ModuleType | None:
    """The compiled engine's module, or None where it is not built or is switched
    off."""
    return None if _off else _engine


def run_compiled(name: str, text: str) -> str | None:
    """The engine's twin of the rule ``name`` applied to ``text``, or None where the
    engine is not built, is switched off, or cannot take the text (a lone surrogate
    has no UTF-8 form): then the rule's Python reference runs."""
    engine = compiled()
    if engine is None:
        return None
    try:
        out: str = getattr(engine, name)(text)
    except UnicodeEncodeError:
        return None
    return out


def twin(reference: Callable[[str], str], text: str) -> str:
    """An inline rule's result on ``text``: its compiled twin's, where the engine can
    run it (:func:`run_compiled`), else its Python reference's. The reference is the
    function ``<rule>_reference`` beside the rule, and names the twin."""
    out = run_compiled(reference.__name__.removesuffix("_reference"), text)
    return reference(text) if out is None else out


#: Consecutive rules of a step that the engine runs in one call: from the position of
#: the first, the position after the last and the engine's ``InlineRules`` for them.
TwinRuns = dict[int, tuple[int, Any]]


def twin_runs(names: Sequence[str | None]) -> TwinRuns:
    """Where a step's rules (``names``, in order; None for a rule that must run in
    Python, e.g. one given options) have twins one after another: each such run, for
    :func:`apply_twins`. Empty where the engine is not built."""
    if _engine is None:
        return {}
    known = set(_engine.twin_names())
    runs: TwinRuns = {}
    k = 0
    while k < len(names):
        end = k
        while end < len(names) and names[end] in known:
            end += 1
        if end > k:
            runs[k] = (end, _engine.InlineRules(list(names[k:end])))
            k = end
        else:
            k += 1
    return runs


def apply_twins(run: Any, text: str) -> tuple[str, list[int]] | None:
    """A run's rules applied to text in one call (the text, and the positions in the
    run of the rules that changed it), or None where the engine is switched off or
    cannot take the text (:func:`run_compiled`): then the rules run one by one."""
    if compiled() is None:
        return None
    try:
        out: tuple[str, list[int]] = run.apply(text)
    except UnicodeEncodeError:
        return None
    return out


def describe() -> str:
    """Which engine runs, for ``textclean --version``."""
    engine = compiled()
    if engine is not None:
        return f"compiled {engine.__version__}"
    if _engine is not None:
        return f"python ({SWITCH}=python)"
    return f"python ({_MISSING})"


# --- The engine's tables, generated from the Python ones ------------------------------

#: The Rust file the tables are written to (scripts/build_engine_tables.py writes it;
#: tests/test_engine.py checks that it is current).
TABLES_RS = "engine/src/tables.rs"


def _ranges(test: Callable[[str], object]) -> list[tuple[int, int]]:
    """The code points where ``test`` holds, as inclusive ranges (surrogates left out:
    Rust's char has none)."""
    out: list[tuple[int, int]] = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or not test(chr(cp)):
            continue
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def _merged(*classes: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """The union of classes given as ranges, as sorted, disjoint, non-adjacent ranges."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(r for ranges in classes for r in ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _rust_ranges(name: str, ranges: list[tuple[int, int]]) -> str:
    body = "".join(f"    (0x{a:04X}, 0x{b:04X}),\n" for a, b in ranges)
    return f"pub const {name}: &[(u32, u32)] = &[\n{body}];\n"


def _rust_char_map(name: str, table: dict[int, str]) -> str:
    """A str.translate table of one character to one character, as sorted pairs."""
    assert all(len(v) == 1 for v in table.values())
    body = "".join(f"    (0x{k:04X}, 0x{ord(v):04X}),\n" for k, v in sorted(table.items()))
    return f"pub const {name}: &[(u32, u32)] = &[\n{body}];\n"


def _rust_str(name: str, text: str) -> str:
    body = "".join(ch if ch.isprintable() and ch not in '"\\ ' else f"\\u{{{ord(ch):x}}}"
                   for ch in text)
    return f'pub const {name}: &str = "{body}";\n'


def _rust_strs(name: str, texts: list[str]) -> str:
    assert all('"' not in t and "\\" not in t and t.isprintable() for t in texts)
    return f"pub const {name}: &[&str] = &[" + ", ".join(f'"{t}"' for t in texts) + "];\n"


def _rust_char_set(name: str, chars: str) -> str:
    """A set of characters as a ``matches!`` test (a jump table, where ``str::contains``
    would scan the string for each character asked about)."""
    arms = " | ".join(f"'\\u{{{ord(ch):x}}}'" for ch in sorted(set(chars)))
    return (f"#[inline]\npub fn {name}(c: char) -> bool {{\n    matches!(c, {arms})\n}}\n")


def _rust_pattern(pattern: str) -> str:
    """A Python pattern's source in Rust's regex syntax: the scripts as the snapshot's
    code points (chardata.with_scripts), ``\\uXXXX`` and ``\\UXXXXXXXX`` as
    ``\\x{...}``; nothing else may need changing."""
    import regex  # noqa: PLC0415

    from textclean import chardata as cd  # noqa: PLC0415

    out = cd.with_scripts(pattern)
    out = regex.sub(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})",
                    lambda m: f"\\x{{{int(m.group(1) or m.group(2), 16):x}}}", out)
    # (Written as a Rust raw string r#"…"#.)
    assert r"\p" not in out and r"\N" not in out and '"#' not in out
    return out


def rust_tables() -> str:
    """The engine's character tables and patterns, as Rust source, from the Python
    ones (textclean.chardata and the layout rules' patterns): the engine carries no
    hand-written copy. Classes are enumerated from the compiled Python patterns, so
    they are what the Python rules match; the scripts are chardata's snapshot, so the
    output does not depend on the ``regex`` module installed."""
    import unicodedata  # noqa: PLC0415

    import regex  # noqa: PLC0415

    from textclean import chardata as cd  # noqa: PLC0415
    from textclean.rules import characters, columns, lines, page, punctuation  # noqa: PLC0415

    han = list(cd.SCRIPTS["Han"])
    column_constants = ("LOOKAHEAD", "BAND_GAP", "BAND_END_MARGIN", "MIN_MULTI_LINES",
                        "INDENT_SLACK", "BAND_ROWS", "MIN_COLUMN_TEXT", "FLUSH_LINES",
                        "WORD_CONTEXT")
    parts = [
        "//! Generated by scripts/build_engine_tables.py from textclean.chardata and\n"
        "//! textclean.rules.lines (textclean.engine.rust_tables): do not edit.\n\n",
        _rust_ranges("PY_SPACE", _ranges(str.isspace)),
        _rust_ranges("RE_SPACE", _ranges(regex.compile(r"\s").fullmatch)),
        # columns._display: what unicodedata says of each code point (unassigned ones
        # too), for this Python's Unicode.
        _rust_ranges("EAST_ASIAN_WIDE",
                     _ranges(lambda ch: unicodedata.east_asian_width(ch) in "WF")),
        *(f"pub const COLUMNS_{name}: i64 = {getattr(columns, name)};\n"
          for name in column_constants),
        f"pub const COLUMNS_COLUMN_SHARE: f64 = {columns.COLUMN_SHARE!r};\n",
        _rust_ranges("HAN", han),
        _rust_ranges("CJK_STRONG", _ranges(lines._STRONG.fullmatch)),
        _rust_ranges("CJK_LETTER", _ranges(lines._LETTER.fullmatch)),
        _rust_ranges("CLAUSE_PUNCT", _ranges(lines._CLAUSE_PUNCT.fullmatch)),
        _rust_ranges("HALF_WIDTH_ALNUM", _ranges(lines._HALF_WIDTH_ALNUM.fullmatch)),
        _rust_char_set("is_hspace", cd.HSPACE),
        _rust_char_set("is_sentence_end", cd.SENTENCE_END),
        _rust_char_set("is_closer", cd.CLOSERS),
        _rust_char_set("is_caption_mark", cd.CAPTION_MARKS),
        _rust_char_set("is_continuation_start", lines._CONTINUATION_START),
        _rust_char_set("is_mid_clause", lines._MID_CLAUSE),
        _rust_str("FURNITURE_KINDS", ",".join(cd.FURNITURE_ITEMS)),
        _rust_str("FURNITURE_MARKING", ",".join(sorted(page._MARKING))),
        # The layout decisions' tests of a character (str methods too: Python's
        # Unicode, not Rust's).
        _rust_ranges("FULLWIDTH_ALNUM", _ranges(lines._FULLWIDTH_ALNUM.fullmatch)),
        _rust_ranges("LATIN_SIDE", _ranges(lines._LATIN_SIDE.fullmatch)),
        _rust_ranges("PY_LOWER", _ranges(str.islower)),
        _rust_ranges("PY_UPPER", _ranges(str.isupper)),
        _rust_ranges("PY_DIGIT", _ranges(str.isdigit)),
        _rust_str("SUBTITLE_DASH", cd.SUBTITLE_DASH),
        _rust_char_set("is_neutral_punct", cd.NEUTRAL_PUNCT),
        # widen_cjk_punctuation's sets (textclean.rules.punctuation).
        _rust_char_set("is_cjk_opener", punctuation._CJK_OPENERS),
        _rust_char_set("is_cjk_closer", punctuation._CJK_CLOSERS),
        _rust_char_set("is_token_char", "".join(punctuation._TOKEN_CHARS)),
        _rust_char_map("WIDE", {ord(k): v for k, v in punctuation._WIDE.items()}),
        _rust_char_set("is_wide_mark", "".join(punctuation._WIDE)),
        _rust_char_set("is_mark_around", punctuation._MARKS_AROUND),
        # The quote rules' sets (turn_ocr_quotes, pair_straight_quotes).
        _rust_char_set("is_nothing_to_open", punctuation._NOTHING_TO_OPEN),
        _rust_char_set("is_nothing_to_close", punctuation._NOTHING_TO_CLOSE),
        _rust_char_set("is_gap_end", punctuation._GAP_ENDS),
        _rust_char_set("is_gap_not_before", punctuation._GAP_NOT_BEFORE),
        # normalize_spaces' Latin gap: the snapshot's \p{L}\p{N}\p{M} and \p{L}\p{N}.
        _rust_ranges("UNI_LNM", _merged(cd.CATEGORIES["L"], cd.CATEGORIES["N"],
                                        cd.CATEGORIES["M"])),
        _rust_ranges("UNI_LN", _merged(cd.CATEGORIES["L"], cd.CATEGORIES["N"])),
        _rust_char_map("IDEOGRAPHS", cd.IDEOGRAPH_TABLE),
        # remove_invisible_chars's characters (textclean.rules.characters).
        _rust_ranges("INVISIBLE", _ranges(cd.compile_class(f"[{cd.INVISIBLE}]").fullmatch)),
        # repair_mojibake's hint: a text without any leaves ftfy uncalled.
        _rust_ranges("MOJIBAKE_HINT", _ranges(cd.MOJIBAKE_HINT.fullmatch)),
        # The marks rules (engine/src/marks.rs; textclean.rules.punctuation, spaces,
        # context and characters).
        _rust_char_map("FOLD_ALNUM", {k: chr(v) for k, v in cd.FULLWIDTH_ALNUM.items()}),
        _rust_char_map("NARROW_NUMBER", {ord(k): v for k, v in punctuation._NARROW.items()}),
        _rust_char_set("is_name_dash", punctuation._NAME_DASHES),
        # What a match of _ELLIPSIS may hold (a text with none of these has no match).
        _rust_char_set("is_ellipsis_part",
                       "".join(start[0] for start in punctuation._ELLIPSIS_STARTS) + "·・—"),
        _rust_strs("ELLIPSIS_STARTS", list(punctuation._ELLIPSIS_STARTS)),
        _rust_char_set("is_transliteration", cd.transliteration_chars()),
        _rust_char_set("is_not_in_subtitle", punctuation._NOT_IN_SUBTITLE),
        f"pub const SUBTITLE_CHARS: usize = {punctuation._SUBTITLE_CHARS};\n",
        _rust_strs("SUBTITLE_OPENERS", cd.SUBTITLE_OPENERS.split("|")),
        _rust_ranges("NOT_LATIN_ONLY", _ranges(punctuation._NOT_LATIN_ONLY.fullmatch)),
        _rust_char_set("is_wordlike_mark", punctuation._WORDLIKE_MARKS),
        _rust_char_set("is_no_space_before_paren", punctuation._NO_SPACE_BEFORE_PAREN),
        _rust_char_map("LATIN_MARKS", {ord(k): v for k, (v, _) in cd.LATIN_MARKS.items()}),
        _rust_char_set("is_space_before_mark",
                       "".join(k for k, (_, where) in cd.LATIN_MARKS.items()
                               if where == "before")),
        _rust_char_set("is_dash", cd.DASHES),
        _rust_char_set("is_yi_after", characters._YI_AFTER),
        _rust_char_set("is_yi_after_spaced", characters._YI_AFTER_SPACED),
        _rust_char_set("is_yi_space", characters._YI_SPACES),
        _rust_strs("YI_WORD_TAILS", sorted(cd.yi_word_tails())),
        # restore_turn_breaks's labels and marks (textclean.rules.lines).
        _rust_char_set("is_turn_sentence_end", lines._TURN_SENTENCE_END),
        _rust_char_set("is_question_mark", lines._QUESTION_MARKS),
        _rust_char_set("is_not_before_reporter", lines._NOT_BEFORE_REPORTER),
        f"pub const LABEL_UNITS: usize = {lines._LABEL_UNITS};\n",
        f"pub const BOOK_TITLE_CHARS: usize = {lines._BOOK_TITLE_CHARS};\n",
        _rust_strs("GENERIC_LABELS", list(lines._GENERIC_LABELS)),
        *(f"pub const {name}: &str = r#\"{_rust_pattern(pattern)}\"#;\n"
          for name, pattern in _decision_patterns()),
        *(f"pub const {name}: &str = r#\"{_rust_pattern(pattern)}\"#;\n"
          for name, pattern in (("BYLINE", cd.BYLINE), ("CREDIT", lines._CREDIT_RE.pattern),
                                ("FURNITURE_ITEM", page._ITEM.pattern),
                                ("FURNITURE_GAP", page._GAP.pattern),
                                ("FURNITURE_PAPER", page._PAPER.pattern),
                                ("FURNITURE_GLUED", page._GLUED.pattern),
                                ("PAGE_NUMBER_LINE", cd.PAGE_NUMBER_LINE.pattern),
                                ("CONTINUATION_MARKER", lines.MARKER_RE.pattern),
                                ("RUN_ON_HEADLINE", run_on_headline_without_lookbehind()))),
    ]
    return "".join(parts)


def _decision_patterns() -> list[tuple[str, str]]:
    """The layout decisions' patterns, as the engine runs them: a pattern Python
    tries with ``.match`` is anchored at the start (Rust's regex has no ``match``).
    Their texts hold no line break, so ``$`` means the same in both.

    The reporter label's lookbehind (``(?<![诉对…])记者``, which Rust's regex lacks)
    becomes a last unit that is no such character: the same lines match
    (tests/test_engine.py compares the two forms)."""
    from textclean.rules import lines  # noqa: PLC0415

    def anchored(pattern: regex.Pattern[str]) -> str:
        return f"^(?:{pattern.pattern})"

    return [
        ("CARRIED_WORD", anchored(lines._CARRIED_WORD)),
        ("CARRIED_UNIT", anchored(lines._CARRIED_UNIT)),
        ("LONG_REPORTER_LABEL", lines._LONG_REPORTER_LABEL_RE.pattern),
        ("REPORTER_LABEL", reporter_label_without_lookbehind()),
        ("GENERIC_LABEL", lines._GENERIC_LABEL_RE.pattern),
        ("CREDIT_ENDS_CAPTION", lines._CREDIT_ENDS_CAPTION.pattern),
        ("SPLIT_CREDIT", lines._SPLIT_CREDIT.pattern),
        ("BYLINE_START", anchored(lines._BYLINE_START)),
        ("DATELINE", lines._DATELINE.pattern),
        ("CREDIT_AGENT", lines._CREDIT_AGENT.pattern),
        ("NUMBER_GOES_ON", anchored(lines._NUMBER_GOES_ON)),
    ]


def run_on_headline_without_lookbehind() -> str:
    """``lines._RUN_ON_HEADLINE`` without its closing lookbehind ``(?<![摄图])$``,
    which Rust's regex lacks: the engine tries only lines that end with neither
    character, so the same lines match (a match ends at the line's end)."""
    import regex  # noqa: PLC0415

    from textclean.rules import lines  # noqa: PLC0415

    lookbehind = "(?<![摄图])$"
    pattern = lines._RUN_ON_HEADLINE.pattern
    assert pattern.endswith(lookbehind) and lines._RUN_ON_HEADLINE.flags & regex.MULTILINE
    return pattern[:-len(lookbehind)] + "$"


def reporter_label_without_lookbehind() -> str:
    """``lines._REPORTER_LABEL_RE`` without its lookbehind, in the set syntax both
    Rust's regex and Python's ``regex`` (version 1) read: the unit before 记者 is a
    book title, or a label character that may stand there."""
    from textclean import chardata as cd  # noqa: PLC0415
    from textclean.rules import lines  # noqa: PLC0415

    unit = f"(?:{lines._BOOK_TITLE}|{lines._LABEL_CHAR})"
    last = f"(?:{lines._BOOK_TITLE}|[{lines._LABEL_CHAR}--[{lines._NOT_BEFORE_REPORTER}]])"
    return cd.with_scripts(
        f"^{unit}{{0,{lines._LABEL_UNITS - 1}}}?{last}记者[{cd.HSPACE}]*[:：]")
