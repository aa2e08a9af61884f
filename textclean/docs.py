"""The rules reference (docs/rules.md), generated from the registry."""

from __future__ import annotations

import inspect
import re

from textclean.pipeline import PRESETS, RULES

#: The fields a rule's docstring gives, in its own words (see STYLE: when it fires,
#: what it does, what it leaves alone, what it runs after).
FIELDS = ("Fires when:", "Does:", "Leaves alone:", "Runs after:", "Runs before:")
#: reStructuredText marks a docstring may hold: :func:`name`, ``literal``.
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def plain(text: str) -> str:
    """A docstring's line as a terminal shows it: its reStructuredText marks dropped.

    >>> plain("Join ``广播电`` + ``台记者`` (see :func:`splits_word`).")
    'Join 广播电 + 台记者 (see splits_word).'
    """
    return _LITERAL.sub(r"\1", _ROLE.sub(r"\1", text))


def markdown_of(text: str) -> str:
    """A docstring's prose in Markdown: ``literal`` and :role:`name` become code.

    >>> markdown_of("Join ``广播电`` + ``台记者`` (see :func:`splits_word`).")
    'Join `广播电` + `台记者` (see `splits_word`).'
    """
    return _LITERAL.sub(r"`\1`", _ROLE.sub(r"``\1``", text))


def docstring_markdown(doc: str) -> list[str]:
    """A rule's docstring as Markdown: its summary and paragraphs as prose, its
    fields (Fires when, Does, Leaves alone, Runs after) as a list, its examples as a
    console block."""
    lines = inspect.cleandoc(doc).splitlines()
    first_example = next((k for k, line in enumerate(lines) if line.startswith(">>>")),
                         len(lines))
    prose, examples = lines[:first_example], lines[first_example:]
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(paragraph)
            field = next((f for f in FIELDS if joined.startswith(f)), None)
            if field is not None:
                out.append(f"- **{field}** {markdown_of(joined[len(field):].strip())}")
            else:
                if out and out[-1].startswith("- "):
                    out.append("")
                out.extend([markdown_of(joined), ""])
            paragraph.clear()

    for line in prose:
        stripped = line.strip()
        if not stripped:
            flush()
        elif any(stripped.startswith(f) for f in FIELDS):
            flush()
            paragraph.append(stripped)
        else:
            paragraph.append(stripped)
    flush()
    while out and not out[-1]:
        out.pop()
    if examples:
        while examples and not examples[-1].strip():
            examples.pop()
        out += ["", "```pycon", *examples, "```"]
    return out


def rules_markdown() -> str:
    """Markdown for every rule: a table (name, phase, risky, presets, what it does),
    then each rule's docstring as prose."""
    out = [
        "# Rules",
        "",
        "Generated from the rule registry (`textclean.RULES`) by "
        "`python -m textclean.docs > docs/rules.md`; a test checks it is current.",
        "",
        "Rules run phase by phase (characters, layout, inline, output), in this order; "
        "each phase runs to a fixed point. A risky rule may change good text where its "
        "evidence misleads it: `preset=\"conservative\"` (`--preset conservative`) "
        "leaves the risky rules out; an opt-in rule runs only when switched on.",
        "",
        "| rule | phase | risky | presets | what it does |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        presets = ", ".join(name for name, rules in PRESETS.items() if rule.name in rules)
        out.append(f"| [`{rule.name}`](#{rule.name}) | {rule.phase.value} | "
                   f"{'yes' if rule.risky else 'no'} | {presets or 'opt-in'} | "
                   f"{markdown_of(rule.summary).replace('|', '&#124;')} |")
    for rule in RULES:
        out += ["", f"## {rule.name}", "",
                f"*Phase: {rule.phase.value}. Risky: {'yes' if rule.risky else 'no'}.*",
                "", *docstring_markdown(rule.func.__doc__ or "")]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
