"""The compiled engine (textclean._engine) returns what the Python reference returns.

The Python code is the specification (issue 22): each compiled step is checked
against its Python twin on the project's own sets, on the samples and on hypothesis
inputs. Where the engine is not built these tests skip, unless REQUIRE_ENGINES names
``compiled`` (CI sets it: its machines have a Rust toolchain): then they fail.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

import textclean
from tests.conftest import ROOT, SAMPLES, sample_names
from textclean import chardata as cd
from textclean import engine, lexicon, lm, pipeline
from textclean.document import lines_of
from textclean.rules import characters, columns, context, lines, page, punctuation, spaces
from textclean.store import TextDoc, TextStore
from textclean.testing import noise
from textclean.testing.strategies import noisy_text

REQUIRED = "compiled" in os.environ.get("REQUIRE_ENGINES", "").split(",")

if engine.compiled() is None:
    if REQUIRED:
        pytest.fail(f"REQUIRE_ENGINES names compiled, but {engine.describe()}",
                    pytrace=False)
    pytest.skip(f"{engine.describe()}; REQUIRE_ENGINES=compiled fails",
                allow_module_level=True)

_HAN_RUN = regex.compile(r"\p{Han}+")


def _lines(name: str) -> list[str]:
    path = ROOT / "tests" / "lookalikes" / name
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _runs() -> list[str]:
    """The Han runs of the look-alike sets and of the samples' gold and raw text."""
    texts = _lines("negatives.txt") + _lines("positives.tsv")
    for name in sample_names():
        for kind in ("gold", "raw"):
            texts.append((SAMPLES / kind / name).read_text(encoding="utf-8"))
    return [run for text in texts for run in _HAN_RUN.findall(text)]


def _reference(text: str) -> lm.Reading:
    return lm.load().read_reference(text)


@pytest.fixture(scope="module")
def python_model() -> lm.TrigramModel:
    """The model run in Python alone."""
    return lm.TrigramModel(lm.TABLE.read_bytes(), compiled_engine=False)


def test_the_model_finds_words_as_the_reference_does(python_model: lm.TrigramModel) -> None:
    model = lm.load()
    assert (model.unk, model.longest) == (python_model.unk, python_model.longest)
    for run in _runs()[:800]:
        for j in range(len(run) + 1):
            assert model.has_word_over(run, j) == python_model.has_word_over(run, j)


def test_the_model_reads_the_sets_as_the_reference_does() -> None:
    runs = _runs()
    assert len(runs) > 1000
    model = lm.load()
    different = [run for run in runs if model.read(run) != model.read_reference(run)]
    assert different == []


def test_long_runs_read_as_the_reference_does() -> None:
    """Whole paragraphs, past the beam's width many times over."""
    model = lm.load()
    text = "".join(_runs())
    for start in range(0, 4000, 400):
        run = text[start:start + 400]
        assert model.read(run) == model.read_reference(run)


#: Characters to draw from: words the model knows (with look-alikes among them),
#: characters it does not know, and the empty run.
_KNOWN = st.sampled_from(["中国", "收入", "人", "入", "己", "已", "经济", "发展", "的", "一",
                          "士", "土", "未来", "末", "来", "深", "心", "大幅", "增加", "钱财",
                          "出人意料", "工程", "期", "过", "好", "今天", "王", "杰"])
_ANY_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_RARE = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF)


@given(st.lists(st.one_of(_KNOWN, _ANY_HAN, _RARE), max_size=24).map("".join))
def test_any_run_reads_as_the_reference_does(text: str) -> None:
    assert lm.load().read(text) == _reference(text)


@pytest.fixture(scope="module")
def narrow() -> list[lm.TrigramModel]:
    """Models that keep one, two and three readings a position, so that the beam's
    pruning (and its order among ties) decides most readings."""
    data = lm.TABLE.read_bytes()
    return [lm.TrigramModel(data, beam=beam) for beam in (1, 2, 3)]


def test_a_narrow_beam_prunes_as_the_reference_does(narrow: list[lm.TrigramModel]) -> None:
    runs = _runs()[:1500]
    for model in narrow:
        different = [run for run in runs if model.read(run) != model.read_reference(run)]
        assert different == [], model.beam
    # The narrow beams do read otherwise than the full one: pruning is tested.
    full = lm.load()
    assert any(narrow[0].read(run) != full.read(run) for run in runs)


def _clean_in(env_engine: str | None, text: str) -> str:
    env = dict(os.environ)
    env.pop(engine.SWITCH, None)
    if env_engine is not None:
        env[engine.SWITCH] = env_engine
    code = ("import sys, textclean; sys.stdout.write(textclean.clean(sys.stdin.read()))")
    return subprocess.run([sys.executable, "-c", code], input=text, env=env,
                          capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout


def test_the_pipeline_cleans_the_samples_alike_with_and_without_the_engine() -> None:
    raw = "\n\n".join((SAMPLES / "raw" / name).read_text(encoding="utf-8")
                      for name in sample_names())
    with_engine = _clean_in(None, raw)
    assert with_engine == _clean_in("python", raw)
    assert with_engine == textclean.clean(raw)


def test_the_engine_leaves_no_utf8_copy_in_the_callers_strings() -> None:
    """Reading a str as UTF-8 the cheap way (PyO3's ``&str``) caches a UTF-8 copy inside
    the str object for as long as it lives: for Chinese text 1.5 times the text again,
    in the memory of a caller who keeps its documents. The engine encodes for the call
    instead, on every path that takes a document or a chunk of one."""
    compiled = engine.compiled()
    rules = context.compiled_rules()
    assert compiled is not None and rules is not None
    calls = [
        textclean.clean,  # the whole pipeline in one call
        compiled.remove_cjk_spaces,  # one twin
        compiled.InlineRules(["normalize_spaces", "remove_cjk_spaces"]).apply,
        compiled.header_lines,
        lambda chunk: compiled.remove_furniture(chunk, True),
        compiled.count_name_labels,
        lambda chunk: compiled.split_turns(chunk, {"李明"}),
        lambda chunk: compiled.LayoutFeatures(lines.TOL).add_text(chunk),
        lambda chunk: compiled.Paragraphs(lines.measure(["甲"]), lines.TOL,
                                          first_line=0, record=False).feed_text(chunk),
        rules.rejoin_split_words,
        rules.restore_yi_in_words,
        rules.repair_lookalikes,
    ]
    for k, call in enumerate(calls):
        text = f"{k}李明：中国 经济，发展统—思想\n深人人心，末来可期。\n" * 50
        before = sys.getsizeof(text)
        call(text)
        assert sys.getsizeof(text) == before, k


def test_the_switch_turns_the_engine_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert engine.describe().startswith("compiled ")
    monkeypatch.setenv(engine.SWITCH, "python")
    assert engine.compiled() is not None, "the environment is read at import"
    engine.refresh()
    try:
        assert engine.compiled() is None
        assert engine.describe() == f"python ({engine.SWITCH}=python)"
        assert textclean.clean("第一段\n") == "第一段\n"
    finally:
        monkeypatch.undo()
        engine.refresh()
    assert engine.compiled() is not None


def test_version_says_which_engine_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "textclean", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert f"(engine: compiled {engine.compiled().__version__})" in out  # type: ignore[union-attr]
    env = {**os.environ, engine.SWITCH: "python"}
    out = subprocess.run([sys.executable, "-m", "textclean", "--version"],
                         capture_output=True, text=True, check=True, env=env).stdout
    assert "(engine: python" in out


def test_bad_tables_are_refused() -> None:
    compiled = engine.compiled()
    assert compiled is not None
    with pytest.raises(ValueError, match="inconsistent"):
        compiled.TrigramModel(b"a\nb", b"\0\0", b"\0\0", b"", b"", b"", b"", b"",
                              max_word=8, beam=12, unknown_penalty=1000)
    with pytest.raises(ValueError, match="differ in number"):
        compiled.Lexicon(b"a\nb", b"\1\0\0\0", max_word=8)


# --- The layout phase's per-line features (LayoutEvidence) ---------------------------------


def test_the_generated_tables_are_current() -> None:
    """engine/src/tables.rs is what scripts/build_engine_tables.py writes now."""
    committed = (ROOT / engine.TABLES_RS).read_text(encoding="utf-8")
    assert committed == engine.rust_tables(), "run python scripts/build_engine_tables.py"


def _documents() -> list[str]:
    """The samples raw and gold, the layout cases' raw texts, and the written articles
    wrapped by the noise model at several widths, with blank lines and indents."""
    docs = [(SAMPLES / kind / name).read_text(encoding="utf-8")
            for name in sample_names() for kind in ("raw", "gold")]
    for path in sorted((ROOT / "tests" / "cases").glob("*.json")):
        docs += [case["raw"] for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]
    rng = random.Random(0)
    for path in sorted((ROOT / "benchmarks" / "articles").glob("*.txt")):
        text = "\n".join(line.removeprefix("= ").removeprefix("@ ").split(":", 1)[-1]
                         for line in path.read_text(encoding="utf-8").splitlines()
                         if line and not line.startswith("#"))
        for width in (9, 14, 21):
            for separator in ("blank", "indent", "none"):
                docs.append(noise.wrap(text, width, separator=separator, rng=rng))
        docs.append(noise.column_spaces(text, 16))
        docs.append("\n".join(noise.side_by_side(noise.column_lines(text, 12), 3)))
    return docs


def _evidence(text: str, *, compiled: bool, pieces: int = 1) -> lines.LayoutEvidence:
    evidence = lines.LayoutEvidence(compiled=compiled)
    all_lines = lines_of(text)
    step = max(1, len(all_lines) // pieces)
    for start in range(0, len(all_lines), step):
        evidence.add(all_lines[start:start + step])
    return evidence


_SURROGATE = regex.compile("[\ud800-\udfff]")


def _chunks(text: str, pieces: int) -> list[str]:
    """The text cut at line breaks into about ``pieces`` chunks, each but the last
    ending with its line break (as a document's chunks do)."""
    ends = regex.findall(r"[^\n]*\n|[^\n]+\Z", text)
    step = max(1, len(ends) // pieces)
    return ["".join(ends[k:k + step]) for k in range(0, len(ends), step)]


def _agree(text: str, pieces: int = 1) -> None:
    python = _evidence(text, compiled=False)
    compiled = _evidence(text, compiled=True, pieces=pieces)
    assert compiled.regions() == python.regions()
    assert compiled.layout() == python.layout()
    # The engine reading whole chunks (add_text) counts what it counts line by line.
    chunked = lines.LayoutEvidence(compiled=True)
    for chunk in _chunks(text, pieces + 1):
        chunked.add_text(chunk)
    assert chunked.counts() == compiled.counts()
    assert chunked.regions() == python.regions()
    # The engine reads a lone surrogate as U+FFFD (it has no UTF-8 form): its counts
    # are those of the text with U+FFFD in its place.
    as_read = _SURROGATE.sub("\ufffd", text)
    if as_read != text:
        python = _evidence(as_read, compiled=False)
    assert compiled.counts() == python.counts()


def test_layout_features_agree_on_the_documents() -> None:
    docs = _documents()
    assert len(docs) > 250
    for text in docs:
        _agree(text)


def test_layout_features_agree_when_the_lines_come_in_pieces() -> None:
    for text in _documents()[::7]:
        _agree(text, pieces=5)


def test_the_compiled_features_count_something() -> None:
    """The agreement above is not between two empty records."""
    gold = (SAMPLES / "gold" / sample_names()[0]).read_text(encoding="utf-8")
    evidence = _evidence(noise.wrap(gold, 14, separator="indent"), compiled=True)
    counts = evidence.counts()
    assert counts["_n_lines"] and counts["_widths"] and counts["_indented"]
    assert evidence.layout().width == 14


def test_the_layout_holds_at_the_width_share_exactly() -> None:
    """Six lines of twelve cells among ten inner lines are the share (0.6) exactly: the
    width holds; with five it does not. Both engines decide at the boundary alike."""
    line, other = "中国经济，发展的基本盘没", "人民生活，持续改善中国经济发展的基本盘没"
    for n, width in ((6, 12.0), (5, None)):
        text = "\n".join([line] * n + [other] * 4 + ["结束了。"])
        _agree(text)
        assert _evidence(text, compiled=True).layout().width == width


@given(noisy_text())
def test_layout_features_agree_on_noisy_text(pair: tuple[str, str]) -> None:
    raw, canonical = pair
    _agree(raw)
    _agree(canonical)


# é and 𠮷 are two and four bytes of UTF-8: a line's bytes meet the engine's
# eight-byte words (cells, segments) at every offset.
_LINE_CHARS = st.sampled_from(
    list("中国经济发展，。：:；？！…”）》—  \u3000\t1 2aZ.,·▲摄图记者本报张岚é𠮷"))


@given(st.lists(st.lists(_LINE_CHARS, max_size=30).map("".join), max_size=40))
def test_layout_features_agree_on_any_lines(doc: list[str]) -> None:
    """Lines of the characters the features look at, in any mix."""
    _agree("\n".join(doc))


def _layout(column_spaces: bool) -> lines.Layout:
    return lines.Layout(width=None, blank_separated=False, indented=False,
                        column_spaces=column_spaces, speakers=frozenset())


def _tokens_agree(text: str) -> None:
    """The visual lines made by the engine (through the dispatch, in batches) are the
    reference's, made at once."""
    line_list = lines_of(text)
    for column_spaces in (False, True):
        made = list(lines._tokens(line_list, _layout(column_spaces), first_line=3))
        expected, _ = lines._tokens_batch(line_list, column_spaces, 3, True)
        assert made == expected


def test_visual_lines_agree_on_the_documents() -> None:
    for text in _documents():
        _tokens_agree(text)


def test_visual_lines_agree_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of blank lines that a batch boundary cuts is still one gap."""
    monkeypatch.setattr(lines, "_TOKEN_BATCH", 3)
    for text in _documents()[::5]:
        _tokens_agree(text)
    _tokens_agree("甲\n\n\n\n乙\n丙\n\n")


@given(st.lists(st.lists(_LINE_CHARS, max_size=30).map("".join), max_size=40))
def test_visual_lines_agree_on_any_lines(doc: list[str]) -> None:
    _tokens_agree("\n".join(doc))


# --- Layout decisions -------------------------------------------------------------------


def _paragraphs(text: str, layout: lines.Layout, *, compiled: bool,
                ) -> tuple[list[str], list[tuple[int, lines.Decision]]]:
    decide = lines.iter_paragraphs if compiled else lines.iter_paragraphs_reference
    decisions: list[tuple[int, lines.Decision]] = []
    paragraphs = list(decide(iter(lines_of(text)), layout, decisions, first_line=2))
    return paragraphs, decisions


def _paragraphs_agree(text: str, layout: lines.Layout | None = None,
                      ) -> list[tuple[int, lines.Decision]]:
    """The engine's paragraphs and decisions (clause by clause) are the reference's."""
    if layout is None:
        layout = lines.measure(lines_of(text))
    compiled = _paragraphs(text, layout, compiled=True)
    assert compiled == _paragraphs(text, layout, compiled=False)
    # The engine reading whole chunks (feed_text) gives the same paragraphs.
    engine_module = engine.compiled()
    assert engine_module is not None
    batches = lines._compiled_paragraph_batches(engine_module, _chunks(text, 3), layout,
                                                None, 2)
    assert [p for batch in batches for p in batch] == compiled[0]
    return compiled[1]


def _variants(layout: lines.Layout, rng: random.Random) -> list[lines.Layout]:
    """The layout, and others the same lines could have been measured with: every
    clause is reached from some layout."""
    out = [layout]
    for _ in range(3):
        width = rng.choice([None, 8.0, 12.5, 16.0, layout.width])
        flag = [rng.random() < 0.5 for _ in range(6)]
        out.append(dataclasses.replace(
            layout, width=width, blank_separated=flag[0], indented=flag[1],
            column_spaces=flag[2], first_line_room=flag[3], latin_in_half_cells=flag[4],
            blank_in_sentences=flag[5]))
    return out


def test_layout_decisions_agree_on_the_documents() -> None:
    rng = random.Random(7)
    clauses: set[str] = set()
    for text in _documents():
        for layout in _variants(lines.measure(lines_of(text)), rng):
            clauses.update(d.clause for _, d in _paragraphs_agree(text, layout))
    # The agreement is over the clauses, not over a few of them.
    assert len(clauses) >= 30, sorted(clauses)


def test_layout_decisions_agree_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch boundary falls anywhere in the look-ahead of three visual lines."""
    for size in (1, 2, 3, 5):
        monkeypatch.setattr(lines, "_TOKEN_BATCH", size)
        for text in _documents()[::9]:
            _paragraphs_agree(text)


def test_layout_decisions_agree_on_lone_surrogates(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine reads a lone surrogate as U+FFFD and gives the character back; a
    U+FFFD it held from before the first surrogate stays U+FFFD."""
    monkeypatch.setattr(lines, "_TOKEN_BATCH", 2)
    text = ("第一行\ufffd没有\n结束的段落，\ufffd还在\n继续\ud800写\n下去。\n\n"
            "另\udc00一段\ufffd\n" + "的内容\ud801。\n" * 4)
    for layout in _variants(lines.measure(lines_of(text)), random.Random(1)):
        _paragraphs_agree(text, layout)
    layout = lines.Layout(8.0, False, False, False, frozenset())
    paragraphs, _ = _paragraphs(text, layout, compiled=True)
    assert "".join(paragraphs).count("\ufffd") == 3
    assert "\ud800" in "".join(paragraphs)


def test_the_look_ahead_reaches_across_a_gap_at_any_batch_size(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A headline-like line after a sentence end goes on when the line after it is
    short only because the number that opens the next page did not fit: the
    decision reads three items ahead (a line, a gap, a line), wherever a batch ends."""
    layout = lines.Layout(10.0, False, False, False, frozenset())
    text = "一二三四五六七八九。\n中国经济发展基本盘\n人民生活，持续改\n\n2020年持续改善的\n"
    reference = _paragraphs(text, layout, compiled=False)
    assert reference[1][0] == (3, lines.Decision(True, "full_line_goes_on"))
    for size in range(1, 6):
        monkeypatch.setattr(lines, "_TOKEN_BATCH", size)
        assert _paragraphs(text, layout, compiled=True) == reference


_DECISION_PIECES = st.sampled_from([
    "中国经济", "发展", "，", "。", "：", "；", "？", "”", "）", "——", "—", "《人民日报》",
    "记者", "新华社记者", "本报记者张岚", "问：", "答：", "王毅：", "主持人：", "告诉记者：",
    "▲", "摄", "李鑫摄", "图：", "5月24日电", " ", "\u3000", "\t", "1", "2", "20", ".",
    "%", "Hong", "Kong", "a-", "-b", "１２", "ＡＢ", "“", "（", "\ufffd", "\ud800"])
_DECISION_LINE = st.lists(_DECISION_PIECES, max_size=8).map("".join)
_LAYOUTS = st.builds(
    lines.Layout,
    width=st.one_of(st.none(), st.integers(4, 24).map(lambda w: w / 2 + 4)),
    blank_separated=st.booleans(), indented=st.booleans(), column_spaces=st.booleans(),
    speakers=st.sampled_from([frozenset(), frozenset({"王毅"})]),
    first_line_room=st.booleans(), latin_in_half_cells=st.booleans(),
    blank_in_sentences=st.booleans())


@given(st.lists(_DECISION_LINE, max_size=30), _LAYOUTS)
def test_layout_decisions_agree_on_any_lines(doc: list[str], layout: lines.Layout) -> None:
    """Lines of the pieces the clauses look at, in any mix, under any layout."""
    _paragraphs_agree("\n".join(doc), layout)


_FILL = "中国经济发展的基本盘没有变人民生活持续改善"
_LEADS = st.sampled_from(["", "", "", "——", "王毅：", "新华社记者：", "▲", "（", "“", "　　", "  "])
_ENDS = st.sampled_from(["", "", "。", "，", "：", "”", "。”", "——", "摄", "5月24日电"])
_INSIDE = st.sampled_from(["", "", "", "", "20", "Hong Kong", "１２", "、", "，", " "])


@st.composite
def _lines_about(draw: st.DrawFn, width: float) -> str:
    """A line about ``width`` cells wide: a few cells either side of it, where the
    clauses' tolerances cut."""
    n = max(1, int(width) + draw(st.integers(-7, 4)))
    body = "".join(_FILL[(k * 7 + n) % len(_FILL)] for k in range(n))
    cut = draw(st.integers(0, n))
    return draw(_LEADS) + body[:cut] + draw(_INSIDE) + body[cut:] + draw(_ENDS)


@st.composite
def _documents_about_a_width(draw: st.DrawFn) -> tuple[str, lines.Layout, int]:
    layout = draw(_LAYOUTS.filter(lambda lay: lay.width is not None))
    assert layout.width is not None
    doc = draw(st.lists(st.tuples(_lines_about(layout.width),
                                  st.sampled_from(["\n", "\n", "\n", "\n\n"])),
                        min_size=2, max_size=12))
    return "".join(line + sep for line, sep in doc), layout, draw(st.integers(1, 6))


@given(_documents_about_a_width())
def test_layout_decisions_agree_at_the_tolerances(case: tuple[str, lines.Layout, int]) -> None:
    """Lines a few cells either side of the column width, under any layout, read in
    batches of any size: where a tolerance is one comparison off, they differ."""
    text, layout, batch = case
    saved = lines._TOKEN_BATCH
    lines._TOKEN_BATCH = batch
    try:
        _paragraphs_agree(text, layout)
        _paragraphs_agree(text)
    finally:
        lines._TOKEN_BATCH = saved


@given(noisy_text())
def test_layout_decisions_agree_on_noisy_text(pair: tuple[str, str]) -> None:
    raw, canonical = pair
    _paragraphs_agree(raw)
    _paragraphs_agree(canonical)


# --- Inline rules --------------------------------------------------------------------

_RULE_MODULES = (characters, context, lines, punctuation, spaces)


def _reference_of(name: str) -> Callable[[str], str]:
    found: list[Callable[[str], str]] = [
        getattr(module, f"{name}_reference") for module in _RULE_MODULES
             if hasattr(module, f"{name}_reference")]
    assert len(found) == 1, name
    return found[0]


#: Each rule the engine has a twin of: the rule, its Python reference, and the twin.
_ENGINE = engine.compiled()
_TWINS = [(pipeline.RULES_BY_NAME[name].func, _reference_of(name), getattr(_ENGINE, name))
          for name in getattr(_ENGINE, "twin_names", list)()]


def test_every_reference_has_its_twin() -> None:
    """The engine's list of twins is the rules that have a ``_reference``."""
    references = {name.removesuffix("_reference") for module in _RULE_MODULES
                  for name in dir(module) if name.endswith("_reference")
                  and name.removesuffix("_reference") in pipeline.RULES_BY_NAME}
    # The context rules' twins decide with the engine's lexicon and model: they are
    # methods of its ContextRules, held equal to their references below.
    with_model = {name for name in dir(getattr(_ENGINE, "ContextRules", object))
                  if name in pipeline.RULES_BY_NAME}
    assert with_model == {"rejoin_split_words", "restore_yi_in_words", "repair_lookalikes"}
    assert references == {twin.__name__ for _, _, twin in _TWINS} | with_model
    assert len(references) >= 25


def _has_utf8_form(text: str) -> bool:
    """No lone surrogate (the engine cannot take the text)."""
    return not any("\ud800" <= ch <= "\udfff" for ch in text)


def _twins_agree(text: str) -> None:
    utf8 = _has_utf8_form(text)
    for rule, reference, twin in _TWINS:
        expected = reference(text)
        if utf8:  # (a lone surrogate has no UTF-8 form: the rule runs its reference)
            assert twin(text) == expected, rule.__name__
        assert rule(text) == expected, rule.__name__


def test_inline_twins_agree_on_the_documents() -> None:
    """On the documents and on each of their lines, and on their canonical forms, where
    the inline rules meet text in the pipeline."""
    changed = 0
    for text in _documents():
        _twins_agree(text)
        for line in lines_of(text):
            _twins_agree(line)
            changed += any(reference(line) != line for _, reference, _ in _TWINS)
    assert changed > 300  # the agreement is on lines the rules change


def test_the_ideograph_twin_maps_every_code_point_of_its_blocks() -> None:
    """Each radical and compatibility ideograph, mapped or not, as str.translate does."""
    blocks = (range(0x2E80, 0x2FE0), range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
    text = "".join(chr(cp) for block in blocks for cp in block) + "中国"
    mapped = characters.map_compatibility_ideographs(text)
    assert mapped == characters.map_compatibility_ideographs_reference(text) != text


_INLINE_PIECES = st.sampled_from([
    "中国", "经济", " ", "  ", "\u3000", "\t", "\u00a0", "\u2009", "“", "”", "‘", "’", "—",
    "…", "……", "——", "·", "，", "。", "5", "24", "%", "Hong", "Kong", "APP", "a", "\n",
    "践行人类命运共同体理念", "展现负责任大国担当", "摄", "新华社记者", "《", "》", "\ufffd",
    "\ud800", "한국", "é", "1", "2", "12", "204", "2020", ".", "．", "‰", "％", "年", "亿",
    "x", "3 ", " .", ". ", "⼀", "⻓", "\uf900", "\U0002f800", "\u2e80", "\u2fdf",
    # ASCII marks in and out of Chinese context (widen_cjk_punctuation)
    ",", ";", "!", "?", ":", "?!", ",,", "...", "（", "）", "「", "】", "²", "-", "RCEP",
    # letters, digits and marks beside spaces in Latin text (normalize_spaces)
    "Kong", "\u0301", "٣", "é", "Ⅻ", " \t", "\t", "\u3000 ", "\u2028", "\u200b",
    # numbers spaced out digit by digit (collapse_spaced_digits)
    "1 2 0", "3 . 5 %", " %", "．", "0  ", "   ",
    # ellipses and dashes, lone, spaced apart and mixed (normalize_ellipses_and_dashes)
    "…", "… …", "。。。", "·", "・", "⋯", "--", "－", "─", "–", "—-", "-—", "— —", "4:35",
    # quotes, straight and curly, apostrophes, sentence ends before them (the quote rules)
    '"', "'", '"', "'", "China's", "中'国", "。”", "！", "？", "。」", "』", "）", "(", "《",
    # line breaks of every kind, controls and invisible characters (the characters phase)
    "\r", "\r\n", "\r\r", "\x0c", "\x0b", "\u2029", "\x00", "\x7f", "\x9f", "\u00ad",
    "\u200d", "\ufeff", "\u2066", "\ufffc", "\x1c", "\u2061",
    # full-width letters, digits and number marks (fold_fullwidth_alnum and
    # narrow_number_punctuation)
    "２０", "Ａ", "ｚ", "Ｚ", "ｉ", "：", "∶", "－", "｡", "％", "10", "3",
    # OCR's look-alike marks (restore_ocr_marks)
    "丶", "一一", "访", "记", "对话", "本报记者孙静", "新华社记者", "李", "」", "』",
    # Latin text with full-width marks (narrow_latin_punctuation)
    "Hello", "world", "，", "；", "！", "？", "。", "（", "）", "Reuters", " ", "가", "ア",
    # parentheses (widen_cjk_parentheses)
    "(", ")", "(RCEP)", "（", "）", "f(x)",
    # dashes between names (join_names_with_dash) and before 一-words (restore_yi_from_dash)
    "-", "‐", "−", "－", "─", "–", "_", "让", "保罗", "·", "萨特", "里姆斯基", "科萨科夫",
    "年来", "些", "个", "切", "，", "：", "(",
    # letters spelt out (join_spaced_capitals) and O for 0 (repair_o_in_numbers)
    "A", " B", "C", "A P E C", " ", "O", "o", "2O2O", "1O", "H2O", "O2", "."])


@given(st.lists(_INLINE_PIECES, max_size=30).map("".join))
@example("增长5% ……a，APP ——b")  # a Chinese ellipsis or dash after a Latin side
@example("中国 “ ” 经济 a “ ” b")  # two neutral marks past the space, and none to CJK
@example("增长 1   2 0 多亿，3 .5 %，x2 0")  # three spaces end a spaced number
@example("发展— ——好，他… ……说，…… …")  # a spaced mark before a doubled one stays
def test_inline_twins_agree_on_any_text(text: str) -> None:
    _twins_agree(text)
    # A rule's quick test before its twin passes every text its pattern matches.
    assert punctuation._may_hold_ellipsis(text) or not punctuation._ELLIPSIS.search(text)


@given(st.lists(st.one_of(st.characters(exclude_categories=["Cs"]),
                          st.sampled_from([" ", "  ", "\t", "\u3000", "中", ","])),
                max_size=30).map("".join))
@example("Kong  \u0301 ok")  # a mark after the gap: no letter or digit there
@example("e\u0301\t\u0663")  # a mark before it, an Arabic-Indic digit after it
@example("\u216b  \U0001d400")  # a letter number, a mathematical letter
def test_inline_twins_agree_on_any_characters_between_spaces(text: str) -> None:
    """Any code point beside spaces and marks: the generated classes (the snapshot's
    letters, digits and marks, CJK, the marks' sets) decide as the patterns do."""
    _twins_agree(text)


#: A sentence with quotes: words, quotes of each kind and facing (or straight), marks
#: beside them, a sentence end.
_QUOTED = st.lists(st.sampled_from([
    "中国", "经济", "a", "5", " ", "\u3000", '"', '"', "'", "“", "”", "‘", "’", "，", "：",
    "、", "（", "）", "《", "(", "!", "China's", "。", "！", "？", "。。", "」"]),
    max_size=12).map("".join)


@given(st.lists(_QUOTED, max_size=6).map("".join))
@example('他说："好"。"我们走"，她说：“好。”')  # straight quotes that pair
@example('积极进展，”南海行为准则“磋商。还有"一种"。')  # quotes turned by OCR
@example('这种"政治病毒就是。那"是"。。"好')  # a run of ends before a quote
@example('\u3000"中国经济')  # a quotation open from the paragraph's start
@example('好”。他说”中国“很好。')  # a sentence of turned curly quotes alone pairs
@example('"好”中国')  # a straight quote opens nothing for the turned one
def test_the_quote_twins_agree_on_quoted_sentences(text: str) -> None:
    _twins_agree(text)


#: Lines as the marks rules meet them: sub-title lines over bylines, Latin sentences
#: with full-width marks, names with dashes, dashes before 一-words, spelt-out letters.
_MARKED_LINE = st.lists(st.sampled_from([
    "一一", "访", "专访", "记", "来自", "全国人大代表", "王建国", "本报记者", "新华社记者",
    "孙静", "张岚", "、", " ", "，", "。", "！", "？", "；", "：", "（", "）", "(", ")",
    "Hello", "world", "at", "10", "2O2O", "H2O", "A", " B", " C", "APEC", "x", "é",
    "가", "《", "》", "“", "”", "'", '"', "·", "・", "丶", "让", "保罗", "萨特",
    "里姆斯基", "科萨科夫", "中国", "东盟", "-", "—", "－", "‐", "_", "\u3000",
    "年来", "些", "切", "个", "举一动", "１", "Ｂ", "．", "％", "∶",
    # Continuation markers and run-on headline blocks (the layout phase's line rules).
    "（下转第四版）", "(上接6版)", "版", "第", "上接", "下转", "〔", "】", "十二", "A",
    "——", "通讯员", "摄", "图", "本报", "驻京", "特派", "坚持走和平发展道路", "李航"]),
    max_size=14).map("".join)


@given(st.lists(_MARKED_LINE, max_size=5).map("\n".join))
@example("一一访全国人大代表王建国\n本报记者孙静")  # a sub-title over a byline
@example("坚持走和平发展道路——访全国人大代表王建国本报记者张岚\n新华社记者李航摄")
@example("不得人心。（下转第四版）\n　（ 上接 A 1 2 版 ）好")
@example("一一海关总署答记者问\n本报记者孙静\n一一列举，")  # and a sentence
@example("Hello，world！（Reuters）")  # a Latin sentence
@example("哲学家让-保罗·萨特，里姆斯基-科萨科夫，中国-东盟")  # names
@example("，-年来\n—些人，— 切")  # dashes before 一-words
@example("出席A P E C会议，2O2O年，1O，(RCEP)")  # letters, O for 0, parentheses
@example("一一访他\n一一" + "对话" + "一" * 40 + "\n一一记" + "二" * 41)  # 1, 40 and 41 after
@example("A（Reuters）said so，ok\n2.2O2O and 12O，x")  # ( one character in; a point before
def test_the_marks_twins_agree_on_marked_lines(text: str) -> None:
    _twins_agree(text)


def _runs_of_the_pipeline() -> list[list[str]]:
    """The names of each run of consecutive twins in the default pipeline's steps."""
    runs = []
    for _, steps in pipeline.Cleaner()._fused:
        for step in steps:
            runs += [list(step.names[k:end]) for k, (end, _) in step.twins.items()]
    return runs


def _run_agrees(names: list[str], text: str) -> None:
    """The engine's run of rules gives what the references give one after another, and
    names the rules that changed the text."""
    expected, changed = text, []
    for k, name in enumerate(names):
        out = _reference_of(name)(expected)
        if out != expected:
            changed.append(k)
        expected = out
    assert _ENGINE is not None
    run = _ENGINE.InlineRules(names)
    if _has_utf8_form(text):
        assert run.apply(text) == (expected, changed)
    else:  # the rules run one by one in Python
        assert engine.apply_twins(run, text) is None


def test_the_pipeline_runs_its_twins_in_runs() -> None:
    """The inline phase's rules but the lexicon's run in one call, and so do the
    characters phase's after the mojibake repair; each run as its references."""
    runs = _runs_of_the_pipeline()
    assert runs[-1][:2] == ["normalize_spaces", "fold_fullwidth_alnum"]
    assert len(runs[-1]) >= 16 and "restore_yi_from_dash" in runs[0]
    changed = 0
    for text in _documents():
        for names in runs:
            _run_agrees(names, text)
        assert _ENGINE is not None
        changed += _has_utf8_form(text) and _ENGINE.InlineRules(runs[-1]).apply(text)[0] != text
    assert changed > 50


@given(st.lists(st.one_of(_INLINE_PIECES, _MARKED_LINE), max_size=30).map("".join))
@example("增长１ ２ ０亿")  # a rule makes what a later one needs: ASCII digits, spaced
def test_the_runs_agree_on_any_text(text: str) -> None:
    for names in _runs_of_the_pipeline():
        _run_agrees(names, text)


def test_a_run_refuses_a_rule_without_a_twin() -> None:
    assert _ENGINE is not None
    with pytest.raises(ValueError, match="repair_mojibake"):
        _ENGINE.InlineRules(["normalize_spaces", "repair_mojibake"])


_DIGIT_RUN = st.integers(1, 5).map(lambda n: "2046819"[:n])
_NUMBER_GAP = st.sampled_from([" ", "  ", ".", " .", ". ", " . ", "\u3000", "\u3000.", ""])
_SPACED_NUMBER = st.tuples(
    st.sampled_from(["", "增长", "a", ".", "1", " ", "达"]),
    st.lists(st.tuples(_DIGIT_RUN, _NUMBER_GAP), min_size=1, max_size=5),
    _DIGIT_RUN,
    st.sampled_from(["%", "％", "‰", "年", "亿", "a", "", " 元", "。", "."]),
).map(lambda t: t[0] + "".join(run + gap for run, gap in t[1]) + t[2] + t[3])


@given(st.lists(_SPACED_NUMBER, min_size=1, max_size=4).map("，".join))
@example("达2 04 6亿，12 .8%，2. 5亿，x1 23 456年，2046 20 2亿")
def test_inline_twins_agree_on_spaced_numbers(text: str) -> None:
    """Numbers cut by spaces and points the ways OCR cuts them, in Chinese text."""
    _twins_agree(text)


# --- Turn breaks ------------------------------------------------------------------------

def _turns_agree(text: str, speakers: frozenset[str]) -> None:
    assert lines.split_turns(text, speakers) == lines.split_turns_reference(text, speakers)
    compiled = engine.compiled()
    assert compiled is not None
    if regex.search("[\ud800-\udfff]", text):
        return  # no UTF-8 form: the dispatch above kept it in Python
    assert compiled.split_turns(text, speakers) == lines.split_turns_reference(text, speakers)
    counted: collections.Counter[str] = collections.Counter()
    for line in lines_of(text):
        lines._count_label(counted, line.strip())
    assert compiled.count_name_labels(text) == dict(counted)


def _speakers_of(text: str) -> frozenset[str]:
    counter = lines.RESTORE_TURN_BREAKS.evidence()
    counter.add(text)
    return counter.result()


def test_turn_breaks_agree_on_the_documents() -> None:
    """On the documents, as they are and joined into paragraphs (where the rule meets
    them), with the speakers each one counts, and with those of every document."""
    everyone: set[str] = set()
    split = 0
    for text in _documents():
        joined = lines.join_wrapped_lines(text)
        for doc in (text, joined):
            speakers = _speakers_of(doc)
            everyone |= speakers
            _turns_agree(doc, speakers)
            split += lines.split_turns_reference(doc, speakers) != doc
    for text in _documents():
        _turns_agree(lines.join_wrapped_lines(text), frozenset(everyone))
    assert split > 10 and len(everyone) > 3  # the agreement is on texts the rule splits


#: Pieces of transcripts: sentence ends and closers, spaces, labels of every kind (and
#: their look-alikes: reported speech, a name after 》, a quote after the colon).
_TURN_PIECES = st.sampled_from([
    "。", "！", "？", "!", "?", "…", "；", "”", "’", "）", "》", "」", "\"", " ", "  ", "\u3000",
    "\t", "\n", "：", ":", "“", "记者", "新华社", "本报", "《人民日报》", "《", "》", "告诉",
    "对", "问", "答", "主持人", "王毅", "李明", "豪尔赫·切迪克", "·", "A", "x9", "很好",
    "中国外交聚焦五大任务", "《" + "长" * 20 + "》", "《" + "长" * 21 + "》", "李" * 23,
    "\u2028", "\ufffd", "1", "：“"])
_SPEAKER_SETS = st.sets(st.sampled_from(["王毅", "李明", "豪尔赫·切迪克", "问答", "很好"]),
                        max_size=3).map(frozenset)


#: A turn: a label (of every kind, and look-alikes), words, a sentence end with
#: closers and spaces, perhaps a line break.
_TURN = st.tuples(
    st.sampled_from(["", "", "新华社记者：", "记者：", "问：", "答 :", "主持人：", "王毅：",
                     "李明 ：", "豪尔赫·切迪克：", "告诉记者：", "《人民日报》记者：", "》记者：",
                     "王毅：“", "李明:\"", "李" * 23 + "记者：", "李" * 24 + "记者：",
                     "《" + "长" * 20 + "》记者：", "《" + "长" * 21 + "》记者：", "问答：",
                     "很好很好：", "A记者：", "新华社记者：问："]),
    st.sampled_from(["很好", "如何评价", "中国外交聚焦五大任务", "A", "x9", "", "好？李明：是"]),
    st.sampled_from(["。", "？", "?", "！", "…", "；", ""]),
    st.sampled_from(["", "", "”", "》", "）”", "\"", "’"]),
    st.sampled_from(["", "", " ", "  ", "\u3000", "\t"]),
    st.sampled_from(["", "", "", "\n"]),
).map("".join)


@given(st.lists(_TURN, max_size=12).map("".join), _SPEAKER_SETS)
@example("好。李明:\"是。\n李明：好。", frozenset({"李明"}))  # a quote after the colon
@example("问：好吗？ 司马相如子：是。问：好吗？ 司马相如：是。", frozenset())  # 5 and 4
@example("好。《》记者：问。好。《长》记者：问。", frozenset())  # an empty book title
@example("好。" + "李" * 25 + "记者：问。", frozenset())  # one unit too many
@example("\x1c王毅：好。\n\x1f王毅：是。\n好。王毅：对。", frozenset())  # what strip strips
def test_turn_breaks_agree_on_transcripts(text: str, speakers: frozenset[str]) -> None:
    _turns_agree(text, speakers)
    _turns_agree(text, _speakers_of(text))


@given(st.lists(_TURN_PIECES, max_size=40).map("".join), _SPEAKER_SETS)
@example("新华社记者：如何评价？ 李明：很好。王毅：是。", frozenset({"王毅"}))
@example("好。《人民日报》记者：问。好。》记者：问。他告诉记者：好。", frozenset())
@example("问：好吗？” 李明：好。答：“是。", frozenset({"李明"}))
def test_turn_breaks_agree_on_any_text(text: str, speakers: frozenset[str]) -> None:
    _turns_agree(text, speakers)
    _turns_agree(text, _speakers_of(text))


# --- Context repairs --------------------------------------------------------------------

def _context_agrees(text: str) -> int:
    """The engine's context rules decide as the Python references do (a text with a
    lone surrogate stays in Python); the number of look-alike sites the reference
    decides."""
    rules = context.compiled_rules()
    assert rules is not None
    if regex.search("[\ud800-\udfff]", text):
        return 0
    assert rules.repair_lookalikes(text) == context.repair_lookalikes_reference(text)
    assert rules.restore_yi_in_words(text) == context.restore_yi_in_words_reference(text)
    assert rules.rejoin_split_words(text) == context.rejoin_split_words_reference(text)
    for left, right in itertools.pairwise(text.split("\n")):
        assert rules.splits_word(left, right) == context.splits_word(left, right)
    return len(list(context._lookalike_sites(text))) if context._LOOKALIKE_HINT.search(text) else 0


def test_context_rules_agree_on_the_sets_and_documents() -> None:
    texts = _lines("negatives.txt") + [line.split("\t")[0] for line in _lines("positives.tsv")]
    sites = sum(_context_agrees(text) for text in texts + _documents())
    assert sites > 500
    # Repairs close together: a later window sees the earlier repair (read without
    # it, the second site of each of these is decided otherwise).
    for text in ("农民入均纯收人增长百分之八。", "他从末去讨南方。", "这个问题值得深人探过。"):
        assert _context_agrees(text) >= 2
    # Breaks inside words and dashes inside words, repaired and left.
    for text in ("鑫摄\n中国国际广播电\n台记者：中方如何评价？\n", "市发展改革委有关负责\n人表示",
                 "要统—思想，进—步加强单—窗口建设。", "中国—东盟，京—沪，——我们"):
        _context_agrees(text)
    assert context.rejoin_split_words_reference("有关负责\n人表示") == "有关负责人表示"
    assert context.restore_yi_in_words_reference("统—思想") == "统一思想"


_CONTEXT_PIECES = st.sampled_from([
    "深", "人", "人心", "入", "己", "已", "经", "末", "未", "来", "曰", "本", "士", "土", "壤",
    "讨", "过", "收", "大幅增加", "，", " ", "\u3000", "a", "\n", "出人意料", "收人钱财", "中国",
    "—", "-", "——", "统", "思想", "进", "步", "一", "广播电", "台记者：", "有关负责", "人表示",
    "摄", "▲", "新华社记者", "\t", "。"])


@given(st.lists(_CONTEXT_PIECES, max_size=30).map("".join))
@example("他从末去讨南方。")
@example("有关负责 \n\u3000人表示")
def test_context_rules_agree_on_any_text(text: str) -> None:
    _context_agrees(text)


# --- Page furniture ---------------------------------------------------------------------

_FURNITURE_PARTS = st.sampled_from([
    "2003年6月9日", "二〇二一年三月八日", "2021 年 3 月 8 日", "星期一", "礼拜天", "光明日报",
    "人民日报", "北京青年报", "第4版", "第 十二 版", "A2版", "Ｂ３版", "第5页", "要闻", "综合",
    "5", "-5-", "— 12 —", " ", "\u3000", "|", "·", "\t", "推动发", "展。", "据报道，", "记者",
    "新华社", "\n", "\n\n", "年", "版", "页", "2020", "十"])


def _furniture_agrees(text: str) -> None:
    """The engine's answers (through the dispatching functions, which keep a text with
    a lone surrogate in Python) are the reference's."""
    assert page.header_lines(text) == page.header_lines_reference(text)
    for has_headers in (False, True):
        assert page.remove_furniture(text, has_headers) == \
            page.remove_furniture_reference(text, has_headers)


def test_furniture_agrees_on_the_documents() -> None:
    docs = _documents()
    for text in docs:
        _furniture_agrees(text)
    # The samples hold header lines: the agreement is not only on "nothing to do".
    assert sum(page.header_lines_reference(text) for text in docs) > 0


@given(st.lists(_FURNITURE_PARTS, max_size=30).map("".join))
def test_furniture_agrees_on_any_header_parts(text: str) -> None:
    _furniture_agrees(text)


# --- Columns side by side -----------------------------------------------------------------


def _columns_agree(text: str) -> int:
    """The engine's reading of the columns (through the dispatching function) is the
    reference's, both ways of counting positions, with the same regions; the number
    of regions found."""
    line_list = lines_of(text)
    regions = 0
    for cells in (False, True):
        found_python: list[columns.Region] = []
        found_compiled: list[columns.Region] = []
        python = columns._reorder_reference(line_list, cells=cells, found=found_python)
        compiled = columns._reorder(line_list, cells=cells, found=found_compiled)
        assert compiled == python
        assert found_compiled == found_python
        regions += len(found_python)
    for line in line_list:
        if _SURROGATE.search(line):
            continue  # no UTF-8 form: the dispatch keeps such a document in Python
        for cells in (False, True):
            assert engine.compiled().column_segments(line, cells=cells) == [  # type: ignore[union-attr]
                (s.start, s.end, s.text) for s in columns.segments(line, cells=cells)]
    return regions


def test_columns_agree_on_the_documents() -> None:
    found = sum(_columns_agree(text) for text in _documents())
    # The side-by-side renderings hold regions: the agreement is not only on "no
    # columns here" (the hypothesis test below makes many more).
    assert found >= 12


_COLUMN_TEXT = st.lists(st.sampled_from(
    ["王毅：", "中国经济发展", "稳中向好。", "“一带一路”", "2020年", "GDP增长2.3%", "，", "。",
     "新华社记者李鑫摄", "▲图为施工现场。", "本报北京电", "的", " ", "人民日报"]),
    min_size=30, max_size=150).map("".join)


_SIDE_BY_SIDE = st.tuples(st.integers(8, 16), st.integers(2, 4), st.integers(2, 6),
                          st.booleans())


def _damaged(row: str, rng: random.Random) -> str | None:
    """A row dropped (None), blanked, a gap narrowed to one space, or shifted right."""
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.16:
        return ""
    if roll < 0.24:
        return regex.sub(r"  +", " ", row, count=1)
    if roll < 0.32:
        return " " * rng.randint(1, 3) + row
    return row


@given(_COLUMN_TEXT, _SIDE_BY_SIDE, st.randoms(use_true_random=False))
def test_columns_agree_on_columns_side_by_side(text: str, shape: tuple[int, int, int, bool],
                                                 rng: random.Random) -> None:
    """Columns set side by side (width, columns, gap, display cells), then damaged."""
    width, count, gap, wide = shape
    rows = noise.side_by_side(noise.column_lines(text, width), count, gap=gap,
                              cells_wide=wide)
    kept = [_damaged(row, rng) for row in rows]
    _columns_agree("\n".join(row for row in kept if row is not None))


@given(st.lists(st.lists(_LINE_CHARS, max_size=40).map("".join), max_size=30))
def test_columns_agree_on_any_lines(doc: list[str]) -> None:
    _columns_agree("\n".join(doc))


# --- The lexicon ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def python_lexicon() -> lexicon.Lexicon:
    """The lexicon run in Python alone."""
    return lexicon.Lexicon.from_table(lexicon.TABLE.read_bytes(), compiled=False)


def _lexicon_agrees(compiled: lexicon.Lexicon, python: lexicon.Lexicon, text: str) -> None:
    assert compiled.segment(text) == python.segment(text)
    assert compiled.log_prob(text) == python.log_prob(text)
    assert (text in compiled) == (text in python)
    for index in range(len(text) + 1):
        assert compiled.has_word_over(text, index) == python.has_word_over(text, index)


def test_the_lexicon_reads_the_sets_as_the_reference_does(
        python_lexicon: lexicon.Lexicon) -> None:
    compiled = lexicon.load()
    assert compiled._compiled is not None and python_lexicon._compiled is None
    assert len(compiled) == len(python_lexicon) and compiled.max_word == python_lexicon.max_word
    for run in _runs()[:1500]:
        _lexicon_agrees(compiled, python_lexicon, run)
    repaired = "".join(sorted(set("".join(cd.lookalike_pairs().values()))))
    assert compiled.neighbours(repaired) == python_lexicon.neighbours(repaired)
    assert compiled.freq == python_lexicon.freq


@given(st.lists(st.one_of(_KNOWN, _ANY_HAN, _RARE), max_size=16).map("".join))
def test_the_lexicon_reads_any_run_as_the_reference_does(text: str) -> None:
    _lexicon_agrees(lexicon.load(), _python_lexicon(), text)


@functools.cache
def _python_lexicon() -> lexicon.Lexicon:
    """The Python lexicon, once (hypothesis tests take no fixture per example)."""
    return lexicon.Lexicon.from_table(lexicon.TABLE.read_bytes(), compiled=False)


# --- The whole pipeline in one call -----------------------------------------------------

def _by_the_runner(cleaner: pipeline.Cleaner, text: str) -> str:
    """What the Python phase runner gives (each step's twins still compiled)."""
    doc = cleaner._run(TextDoc(text), TextStore(), None)
    assert isinstance(doc, TextDoc)
    return doc.text


_PRESETS = [pipeline.cleaner_for(), pipeline.cleaner_for(preset="conservative"),
            pipeline.cleaner_for(disable=["repair_mojibake", "join_wrapped_lines"])]


def _in_python_alone(cleaner: pipeline.Cleaner, text: str) -> str:
    """What the cleaner gives with the engine switched off: every rule's Python
    reference, the specification."""
    with engine.python_only():
        return cleaner.clean(text)


def _pipeline_agrees(text: str) -> None:
    for cleaner in _PRESETS:
        assert cleaner._driver is not None
        if _has_utf8_form(text):
            done = cleaner._driver.clean(text)
            assert done is not None
            assert done == (_by_the_runner(cleaner, text), [])
        assert cleaner.clean(text) == _by_the_runner(cleaner, text)
        assert cleaner.clean(text) == _in_python_alone(cleaner, text)


def test_the_compiled_pipeline_cleans_as_the_runner_does() -> None:
    texts = _documents() + _lines("negatives.txt") + [
        line.split("\t")[0] for line in _lines("positives.tsv")]
    for text in texts:
        _pipeline_agrees(text)
    changed = sum(textclean.clean(text) != text for text in texts)
    assert changed > len(texts) // 4


@given(noisy_text())
def test_the_compiled_pipeline_cleans_noisy_text_as_the_runner_does(
        pair: tuple[str, str]) -> None:
    _pipeline_agrees(pair[0])


@given(st.lists(st.one_of(_INLINE_PIECES, _MARKED_LINE, _CONTEXT_PIECES, _TURN_PIECES,
                          _FURNITURE_PARTS), max_size=40).map("".join))
@example("ä¸\xadå\x9b½\n据新华社ä¸\xadå›½\n")  # mojibake: ftfy through the engine
def test_the_compiled_pipeline_cleans_any_text_as_the_runner_does(text: str) -> None:
    _pipeline_agrees(text)


def test_the_compiled_pipeline_warns_where_a_phase_does_not_settle(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With one pass allowed, every phase that changes the text fails to settle: the
    engine names the same phases and rules as the runner."""
    monkeypatch.setattr(pipeline, "MAX_PASSES", 1)
    pipeline._cached_cleaner.cache_clear()  # cleaners built for four passes
    text = "中国\u3000 经济\n发展。（下转第四版）\n增长１２％"
    try:
        assert pipeline.cleaner_for()._driver is not None
        with pytest.warns(RuntimeWarning) as compiled:
            out = textclean.clean(text)
        monkeypatch.setattr(engine, "_off", True)  # the runner, in Python alone
        with pytest.warns(RuntimeWarning) as runner:
            assert textclean.clean(text) == out
    finally:
        monkeypatch.undo()
        pipeline._cached_cleaner.cache_clear()
    assert [str(w.message) for w in compiled] == [str(w.message) for w in runner]
    assert len(compiled) >= 2
    # Both point at the caller's line.
    assert {w.filename for w in [*compiled, *runner]} == {__file__}


def test_a_rule_the_engine_cannot_run_keeps_the_pipeline_in_python() -> None:
    assert pipeline.cleaner_for(enable=["fix_stray_script"])._driver is None
    assert pipeline.cleaner_for(convert="s2t")._driver is None
