"""Edits, steps and explanations: what each rule did, in a form that can be replayed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """One change: ``before`` at ``offset`` (in the text the step started from) became ``after``."""

    offset: int
    before: str
    after: str


@dataclass(frozen=True)
class Step:
    """One application of a rule, with the edits it made to the text it was given."""

    rule: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Explanation:
    """The cleaned text and the steps that produced it from the input."""

    text: str
    steps: tuple[Step, ...]

    def rules_applied(self) -> list[str]:
        """The names of the rules that changed something, in order, without repeats."""
        seen: dict[str, None] = {}
        for step in self.steps:
            seen.setdefault(step.rule, None)
        return list(seen)


def _line_blocks(before: str, after: str) -> Iterable[tuple[int, int, int, int]]:
    """Regions that differ, found line by line first (fast), as (a0, a1, b0, b1) offsets."""
    a_lines = before.splitlines(keepends=True)
    b_lines = after.splitlines(keepends=True)
    a_pos = [0]
    for line in a_lines:
        a_pos.append(a_pos[-1] + len(line))
    b_pos = [0]
    for line in b_lines:
        b_pos.append(b_pos[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield a_pos[i1], a_pos[i2], b_pos[j1], b_pos[j2]


def diff(before: str, after: str) -> tuple[Edit, ...]:
    """The edits that turn ``before`` into ``after`` (offsets into ``before``).

    >>> [(e.offset, e.before, e.after) for e in diff('5 月 24 日', '5月24日')]
    [(1, ' ', ''), (3, ' ', ''), (6, ' ', '')]
    """
    edits: list[Edit] = []
    for a0, a1, b0, b1 in _line_blocks(before, after):
        a, b = before[a0:a1], after[b0:b1]
        # Trim what the region has in common at both ends, then diff characters.
        p = 0
        while p < min(len(a), len(b)) and a[p] == b[p]:
            p += 1
        s = 0
        while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
            s += 1
        a_mid, b_mid = a[p:len(a) - s], b[p:len(b) - s]
        base = a0 + p
        matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=len(a_mid) > 20000)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                edits.append(Edit(base + i1, a_mid[i1:i2], b_mid[j1:j2]))
    return tuple(edits)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply the edits of one step to the text that step started from.

    Raises ValueError if an edit's ``before`` is not found at its offset.
    """
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.offset):
        if edit.offset < pos or text[edit.offset:edit.offset + len(edit.before)] != edit.before:
            raise ValueError(f"edit {edit!r} does not apply at offset {edit.offset}")
        parts.append(text[pos:edit.offset])
        parts.append(edit.after)
        pos = edit.offset + len(edit.before)
    parts.append(text[pos:])
    return "".join(parts)


def replay(text: str, steps: Iterable[Step]) -> str:
    """Apply every step in order to the raw text: gives the cleaned text back."""
    for step in steps:
        text = apply_edits(text, step.edits)
    return text


@dataclass(frozen=True)
class SourceEdit:
    """An edit placed in the raw input: ``raw[start:end]`` is the input it touched.

    ``before`` is what the rule saw (earlier rules may already have changed that part
    of the input), ``after`` what it wrote.
    """

    rule: str
    start: int
    end: int
    before: str
    after: str


def source_edits(raw: str, steps: Iterable[Step]) -> list[SourceEdit]:
    """Every edit of every step, with offsets into the raw input rather than the step's.

    Text that an earlier rule inserted has no place in the input of its own: it is
    placed where the insertion was.

    >>> e = source_edits('5 月 24 日', [Step('r', (Edit(1, ' ', ''),)),
    ...                               Step('s', (Edit(2, ' ', ''),))])
    >>> [(x.rule, x.start, x.end) for x in e]
    [('r', 1, 2), ('s', 3, 4)]
    """
    # pos[i]: the offset in raw of character i of the current text (and of its end).
    pos = list(range(len(raw) + 1))
    out: list[SourceEdit] = []
    for step in steps:
        new: list[int] = []
        done = 0
        for edit in sorted(step.edits, key=lambda e: e.offset):
            end = edit.offset + len(edit.before)
            start_raw, end_raw = pos[edit.offset], pos[end]
            out.append(SourceEdit(step.rule, start_raw, end_raw, edit.before, edit.after))
            new.extend(pos[done:edit.offset])
            new.extend([start_raw] * len(edit.after))
            done = end
        new.extend(pos[done:])
        pos = new
    return out
