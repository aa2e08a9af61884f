"""The rules reference (docs/rules.md), generated from the registry."""

from __future__ import annotations

import inspect

from textclean.pipeline import PRESETS, RULES


def rules_markdown() -> str:
    """Markdown for every rule: name, phase, risky or not, presets, and its docstring."""
    out = [
        "# Rules",
        "",
        "Generated from the rule registry (`textclean.RULES`) by "
        "`python -m textclean.docs > docs/rules.md`; a test checks it is current.",
        "",
        "Rules run phase by phase (characters, layout, inline, output), in this order; "
        "each phase runs to a fixed point.",
        "",
        "| rule | phase | risky | presets |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        presets = ", ".join(name for name, rules in PRESETS.items() if rule.name in rules)
        out.append(f"| `{rule.name}` | {rule.phase.value} | {'yes' if rule.risky else 'no'} | "
                   f"{presets or 'opt-in'} |")
    for rule in RULES:
        out += ["", f"## `{rule.name}`", "",
                f"Phase: {rule.phase.value}. Risky: {'yes' if rule.risky else 'no'}.", "",
                "```text", inspect.cleandoc(rule.func.__doc__ or ""), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
