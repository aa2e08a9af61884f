"""Edits, steps and explanations: what each rule did, in a form that can be replayed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """One change: ``before`` at ``offset`` (in the text the step started from) became ``after``."""

    offset: int
    before: str
    after: str
    #: why the rule did it, where the rule says (the layout clause that decided a join)
    why: str = ""


@dataclass(frozen=True)
class Step:
    """One application of a rule, with the edits it made to the text it was given."""

    rule: str
    edits: tuple[Edit, ...]
    #: decisions the rule took that changed nothing, each as an edit that keeps its
    #: text, with why (a line break the layout phase kept, and its clause)
    kept: tuple[Edit, ...] = ()


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


#: How far ahead (in characters of each text) the diff looks for the next place where
#: the two texts agree, window by window; past the last one, it records the region up to
#: there as one replacement and goes on from its end.
_SYNC_WINDOWS = (16, 128, 1024)
#: Characters compared at once where the two texts agree.
_STRIDE = 64


def _sync(a: str, i: int, b: str, j: int) -> tuple[int, int]:
    """Where the texts agree again after a[i] != b[j]: the (d, e) with a[i + d] == b[j + e]
    and d + e smallest, looking at most a window ahead in each; (window, window) if
    they do not agree within the last window."""
    for window in _SYNC_WINDOWS:
        best: tuple[int, int] | None = None
        b_end = min(len(b), j + window)
        for d in range(min(window, len(a) - i)):
            if best is not None and d >= sum(best):
                break
            e = b.find(a[i + d], j, b_end)
            if e >= 0 and (best is None or d + e - j < sum(best)):
                best = (d, e - j)
        if best is not None:
            return best
    window = _SYNC_WINDOWS[-1]
    return min(window, len(a) - i), min(window, len(b) - j)


def diff(before: str, after: str) -> tuple[Edit, ...]:
    """The edits that turn ``before`` into ``after`` (offsets into ``before``).

    Linear in the length of the texts: it walks both, and where they differ it takes the
    cheapest way to the next character they agree on, looking a bounded window ahead
    (rules change text locally: a space removed, a mark widened, a line joined). The
    edits are always exact (they replay to ``after``); they are minimal where the
    changes are sparse, and may be coarser where a whole region was rewritten.

    >>> [(e.offset, e.before, e.after) for e in diff('5 月 24 日', '5月24日')]
    [(1, ' ', ''), (3, ' ', ''), (6, ' ', '')]
    >>> [(e.offset, e.before, e.after) for e in diff('王毅:好!', '王毅：好！')]
    [(2, ':', '：'), (4, '!', '！')]
    """
    if before == after:
        return ()
    a, b = before, after
    n, m = len(a), len(b)
    edits: list[Edit] = []
    i = j = 0
    while i < n and j < m:
        while i + _STRIDE <= n and j + _STRIDE <= m and a[i:i + _STRIDE] == b[j:j + _STRIDE]:
            i += _STRIDE
            j += _STRIDE
        while i < n and j < m and a[i] == b[j]:
            i += 1
            j += 1
        if i == n or j == m:
            break
        d, e = _sync(a, i, b, j)
        edits.append(Edit(i, a[i:i + d], b[j:j + e]))
        i += d
        j += e
    if i < n or j < m:
        edits.append(Edit(i, a[i:], b[j:]))
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
    why: str = ""        #: the clause that decided, where the rule says
    kept: bool = False   #: a decision that kept the text (``before == after``)


def source_edits(raw: str, steps: Iterable[Step], *, kept: bool = False) -> list[SourceEdit]:
    """Every edit of every step, with offsets into the raw input rather than the step's.

    Text that an earlier rule inserted has no place in the input of its own: it is
    placed where the insertion was. With ``kept``, the decisions that kept text as it
    was come too (:attr:`Step.kept`), in order with the edits.

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
        marks = [(e, True) for e in step.kept] if kept else []
        for edit, is_kept in sorted([*((e, False) for e in step.edits), *marks],
                                    key=lambda item: item[0].offset):
            end = edit.offset + len(edit.before)
            start_raw, end_raw = pos[edit.offset], pos[end]
            if is_kept:  # nothing changed: the offsets stay as they are
                out.append(SourceEdit(step.rule, start_raw, end_raw, edit.before,
                                      edit.after, edit.why, kept=True))
                continue
            out.append(SourceEdit(step.rule, start_raw, end_raw, edit.before, edit.after,
                                  edit.why))
            new.extend(pos[done:edit.offset])
            new.extend([start_raw] * len(edit.after))
            done = end
        new.extend(pos[done:])
        pos = new
    return out
