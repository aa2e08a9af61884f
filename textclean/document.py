"""Rules that need the whole document, in a form that also runs over a document in chunks.

Most rules are *line-local*: what they do to a line depends on that line alone, so they
can run over any piece of a document that is cut at line breaks. A few rules first need
evidence from the whole document (its column width, the names it uses as turn labels,
where it ends). Those are written as a :class:`DocumentRule`: an evidence pass that
counts, and a transform that streams. The rule's plain ``str -> str`` function runs the
same two steps over a single chunk, so cleaning a document whole and cleaning it in
chunks run the same code and give the same text.

Chunks: a document is a sequence of strings whose concatenation is the document; every
chunk but the last ends with ``\\n``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, Protocol


class Evidence(Protocol):
    """Counts gathered from a document's chunks, in order."""

    def add(self, chunk: str) -> None:
        """Count one more chunk."""

    def result(self) -> Any:
        """What the chunks counted so far show."""


class DocumentRule(Protocol):
    """A rule that reads the whole document before it changes any part of it."""

    def evidence(self) -> Evidence:
        """A fresh evidence counter."""

    def transform(self, evidence: Any, chunks: Iterable[str]) -> Iterator[str]:
        """The rule's output, in pieces, for the chunks the evidence was counted from."""


def lines_of(chunk: str) -> list[str]:
    """The lines of a chunk without their line breaks.

    A chunk that ends with ``\\n`` has no empty line after it (the next chunk goes on).

    >>> lines_of('一\\n二\\n'), lines_of('一\\n二'), lines_of('')
    (['一', '二'], ['一', '二'], [])
    """
    if not chunk:
        return []
    lines = chunk.split("\n")
    if chunk.endswith("\n"):
        lines.pop()
    return lines


def sub_in_lines(sub: Callable[[str], str], text: str, marks: str,
                 tried: Callable[[str], bool] | None = None) -> str:
    """``sub`` (a substitution whose matches never span a line break) applied to the
    lines of ``text`` that hold one of the characters ``marks`` (and that ``tried``
    accepts, where given); the others stay as they are. The same text as
    ``sub(text)`` whenever a line left out holds no match: the lines are found by a
    search for the marks, so the pattern never sees the lines that cannot match.

    >>> sub_in_lines(lambda t: t.replace('a', 'b'), 'a1\\na2\\na3', '23',
    ...              lambda t: '3' not in t)
    'a1\\nb2\\na3'
    """
    find = _finder(marks)
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    pos = 0
    while (hit := find(text, pos)) is not None:
        start = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.end())
        if end < 0:
            end = len(text)
        line = text[start:end]
        if tried is None or tried(line):
            new = sub(line)
            if new != line:
                pieces += (text[done:start], new)
                done = end
        pos = end + 1
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


@cache
def _finder(marks: str) -> Callable[[str, int], re.Match[str] | None]:
    """The search for the first of the characters ``marks`` from a position."""
    return re.compile(f"[{re.escape(marks)}]").search


def iter_lines(chunks: Iterable[str]) -> Iterator[str]:
    """The lines of a document given in chunks."""
    for chunk in chunks:
        yield from lines_of(chunk)


def apply_whole(rule: DocumentRule, text: str) -> str:
    """Run a document rule over a document given whole (one chunk)."""
    evidence = rule.evidence()
    evidence.add(text)
    return "".join(rule.transform(evidence.result(), [text]))
