"""The registry is the single source: config, presets, CLI list and explanations agree."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest

import textclean
from tests.conftest import ROOT
from textclean import RULES, Config, Phase
from textclean.cli import list_rules
from textclean.docs import rules_markdown
from textclean.pipeline import PRESETS, RULES_BY_NAME


def test_rule_names_are_unique_and_verb_first() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.func.__name__ == rule.name, "a rule is named after its function"


def test_every_rule_documents_itself_with_examples() -> None:
    for rule in RULES:
        doc = rule.func.__doc__ or ""
        assert "Fires when" in doc and "Does" in doc and "Leaves alone" in doc, rule.name
        examples = doctest.DocTestParser().get_examples(doc)
        assert examples, f"{rule.name} has no doctest example"


def test_phases_run_in_order() -> None:
    order = list(Phase)
    positions = [order.index(r.phase) for r in RULES]
    assert positions == sorted(positions), "RULES is listed phase by phase"


def test_presets_come_from_the_registry() -> None:
    assert PRESETS["default"] == {r.name for r in RULES if not r.opt_in}
    assert PRESETS["conservative"] == {r.name for r in RULES if not r.opt_in and not r.risky}
    assert all(set(p) <= RULES_BY_NAME.keys() for p in PRESETS.values())


def test_cli_lists_every_rule_in_order() -> None:
    header, rule, *rows = list_rules(Config.make()).splitlines()
    assert header.split()[:4] == ["rule", "phase", "runs", "risky"]
    assert set(rule) == {"-", " "}
    assert [row.split()[0] for row in rows] == [r.name for r in RULES]
    for row, entry in zip(rows, RULES, strict=True):
        assert (" risky " in row) == entry.risky, row
        assert entry.phase.value in row.split()[1]
    # A table a terminal shows: no reStructuredText marks (issue 21)
    assert not any("``" in row or ":func:" in row for row in rows)
    assert any("``" in r.summary for r in RULES)  # (there were some to drop)


def test_explanation_steps_name_registry_rules() -> None:
    raw = "王毅:好!\n\n(上接6版)\n\n中国-东盟 \"合作\"。⼀带⼀路\n"
    explanation = textclean.clean_and_explain(raw, paragraph_separator="\n\n")
    assert {s.rule for s in explanation.steps} <= RULES_BY_NAME.keys()
    assert textclean.replay(raw, explanation.steps) == explanation.text


def test_switching_a_rule_off() -> None:
    assert textclean.clean("5 月 24 日", disable=["remove_cjk_spaces"]) == "5 月 24 日"
    assert textclean.clean("-年来", preset="conservative") == "-年来"
    assert textclean.clean("-年来") == "一年来"


def test_paragraph_separator_option() -> None:
    out = textclean.clean("第一段。\n\n第二段。\n", paragraph_separator="\n\n")
    assert out == "第一段。\n\n第二段。\n"


def test_convert_option() -> None:
    # opencc is in the test extra: a missing binding fails here rather than skipping.
    assert textclean.clean("漢字與詞語。", convert="t2s") == "汉字与词语。"
    assert textclean.clean("漢字與詞語。") == "漢字與詞語。", "no conversion by default"


def test_bytes_raise_type_error_with_a_hint() -> None:
    with pytest.raises(TypeError, match="decode"):
        textclean.clean(b"abc")  # type: ignore[arg-type]


def test_unknown_names_raise_value_error() -> None:
    with pytest.raises(ValueError, match="known rules"):
        textclean.clean("x", disable=["no_such_rule"])
    with pytest.raises(ValueError, match="presets"):
        textclean.clean("x", preset="nope")
    with pytest.raises(TypeError):
        textclean.clean("x", disable="remove_cjk_spaces")


def test_rules_reference_is_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "regenerate with: python -m textclean.docs > docs/rules.md")


PRELOAD_PROBE = """
import sys
from textclean import Cleaner, Config, lexicon
from textclean.rules import context
Cleaner(Config.make(preset=sys.argv[1])).preload()
print(lexicon.load.cache_info().currsize, context._candidates.cache_info().currsize)
"""


@pytest.mark.parametrize(("preset", "loaded"), [("default", "1 1"), ("conservative", "0 0")])
def test_preload_builds_the_lexicon_only_for_rules_that_use_it(preset: str,
                                                               loaded: str) -> None:
    # A fresh process: this one may have loaded the lexicon already.
    out = subprocess.run([sys.executable, "-c", PRELOAD_PROBE, preset], check=True,
                         capture_output=True, text=True).stdout
    assert out.split() == loaded.split()
