"""The HTML change report of ``textclean --report FILE``: what changed, where, by which rule.

One self-contained page (no scripts, no outside resources): the count of edits per rule
over the whole run and per input; then, for each changed paragraph, the raw text and
the clean text side by side. Raw text that a rule removed or replaced is struck out, and
clean text that a rule wrote is marked; both are coloured by rule and carry its name.
Counts are those of ``--explain``: one edit there is one edit here.

The page keeps at most :data:`MAX_PARAGRAPHS` changed paragraphs per document (the
counts are always complete), so a report on a large corpus stays readable.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from textclean.explain import SourceEdit, Step, source_edits

#: Changed paragraphs shown per document.
MAX_PARAGRAPHS = 200

#: (text, rules) pieces of one side of a paragraph; no rules: unchanged text.
Pieces = list[tuple[str, tuple[str, ...]]]


@dataclass
class Paragraph:
    """One changed paragraph: the raw text it came from and its clean text, in pieces."""

    raw: Pieces
    clean: Pieces
    rules: dict[str, int]            #: edits per rule inside this paragraph


@dataclass
class DocumentReport:
    """The changes of one document (a file, or a record or row of one)."""

    name: str                        #: the input file
    where: str = ""                  #: "record 3", "row 7", or "" for a whole file
    counts: dict[str, int] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    more: int = 0                    #: changed paragraphs left out (past MAX_PARAGRAPHS)
    #: the reading order the layout phase chose where columns stood side by side
    reading_order: list[str] = field(default_factory=list)


def document_report(name: str, raw: str, steps: Iterable[Step],
                    where: str = "") -> DocumentReport:
    """The report of one document, from its raw text and the steps that cleaned it."""
    steps = list(steps)
    edits = source_edits(raw, steps)
    report = DocumentReport(name, where, dict(Counter(e.rule for e in edits)))
    report.reading_order = list(dict.fromkeys(
        edit.why for step in steps if step.rule == "read_columns_in_order"
        for edit in step.edits if edit.why))
    if not edits:
        return report
    clean, origin, maker = _provenance(raw, steps)
    starts = [0] + [i + 1 for i, c in enumerate(clean) if c == "\n" and i + 1 < len(clean)]
    bounds = [*starts, len(clean)]
    raw_at = [origin[i] if i < len(clean) else len(raw) for i in bounds]
    raw_at[0], raw_at[-1] = 0, len(raw)
    marks = _raw_marks(raw, edits)
    for k in range(len(starts)):
        a, b = bounds[k], bounds[k + 1]
        ra, rb = raw_at[k], raw_at[k + 1]
        if raw[ra:rb] == clean[a:b] and not any(maker[a:b]):
            continue
        if len(report.paragraphs) >= MAX_PARAGRAPHS:
            report.more += 1
            continue
        inside = Counter(e.rule for e in edits if ra <= e.start < rb or
                         (e.start == e.end == rb == len(raw)))
        report.paragraphs.append(Paragraph(
            _group(raw[ra:rb], marks[ra:rb]),
            _group(clean[a:b], [(r,) if r else () for r in maker[a:b]]),
            dict(inside)))
    return report


def _provenance(raw: str, steps: Sequence[Step]) -> tuple[str, list[int], list[str]]:
    """The clean text; for each of its characters, the raw offset it stands at, and the
    rule that last wrote it ("" for a character copied from the input)."""
    text = raw
    origin = list(range(len(raw)))
    maker = [""] * len(raw)
    for step in steps:
        pieces: list[str] = []
        new_origin: list[int] = []
        new_maker: list[str] = []
        done = 0
        for edit in sorted(step.edits, key=lambda e: e.offset):
            end = edit.offset + len(edit.before)
            at = origin[edit.offset] if edit.offset < len(origin) else len(raw)
            pieces.append(text[done:edit.offset])
            new_origin += origin[done:edit.offset]
            new_maker += maker[done:edit.offset]
            pieces.append(edit.after)
            new_origin += [at] * len(edit.after)
            new_maker += [step.rule] * len(edit.after)
            done = end
        pieces.append(text[done:])
        new_origin += origin[done:]
        new_maker += maker[done:]
        text, origin, maker = "".join(pieces), new_origin, new_maker
    return text, origin, maker


def _raw_marks(raw: str, edits: Iterable[SourceEdit]) -> list[tuple[str, ...]]:
    """For each raw character, the rules of the edits that removed or replaced it."""
    marks: list[list[str]] = [[] for _ in raw]
    for edit in edits:
        for i in range(edit.start, edit.end):
            if edit.rule not in marks[i]:
                marks[i].append(edit.rule)
    return [tuple(m) for m in marks]


def _group(text: str, marks: Sequence[tuple[str, ...]]) -> Pieces:
    pieces: Pieces = []
    for char, mark in zip(text, marks, strict=True):
        if pieces and pieces[-1][1] == mark:
            pieces[-1] = (pieces[-1][0] + char, mark)
        else:
            pieces.append((char, mark))
    return pieces


# --- HTML ------------------------------------------------------------------------------

_PALETTE = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc",
            "#f5d0fe", "#d9f99d", "#e5e7eb", "#fbcfe8", "#c7d2fe")

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2rem;
color:#111;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table.counts{border-collapse:collapse;margin:.5rem 0}
table.counts td,table.counts th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
table.counts td.n{text-align:right;font-variant-numeric:tabular-nums}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.8rem 0}
.side{white-space:pre-wrap;word-break:break-all;border:1px solid #ddd;padding:.5rem;
background:#fafafa;font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace}
.side h3{margin:0 0 .3rem;font:600 .8rem system-ui;color:#555}
del{text-decoration:line-through;text-decoration-color:#b91c1c}
ins{text-decoration:none;border-bottom:2px solid #15803d}
.ws{color:#b91c1c}
.rules{font-size:.8rem;color:#444}
.swatch{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;
margin-right:.3rem;border:1px solid #999}
"""


def render(documents: Sequence[DocumentReport], *, title: str = "textclean report") -> str:
    """The report page for these documents (those with no edits count as unchanged)."""
    totals: Counter[str] = Counter()
    for doc in documents:
        totals.update(doc.counts)
    colour = {rule: _PALETTE[i % len(_PALETTE)] for i, rule in enumerate(sorted(totals))}
    changed = [d for d in documents if d.counts]
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p id="summary">{len(documents)} document(s), {len(changed)} changed, '
        f'<span id="total-edits">{sum(totals.values())}</span> edit(s).</p>',
        '<h2>Edits per rule</h2><table class="counts" id="rule-counts">',
        "<tr><th>rule</th><th>edits</th></tr>",
    ]
    for rule, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f'<tr data-rule="{rule}"><td><span class="swatch" style="background:'
                   f'{colour[rule]}"></span>{rule}</td><td class="n">{n}</td></tr>')
    out.append("</table>")
    out.append('<h2>Edits per document</h2><table class="counts" id="document-counts">')
    out.append("<tr><th>document</th><th>edits</th><th>rules</th></tr>")
    for doc in changed:
        label = html.escape(_label(doc))
        rules = ", ".join(f"{r} {n}" for r, n in sorted(doc.counts.items()))
        out.append(f'<tr><td>{label}</td><td class="n">{sum(doc.counts.values())}</td>'
                   f"<td>{html.escape(rules)}</td></tr>")
    out.append("</table>")
    if len(documents) > len(changed):
        out.append(f"<p>{len(documents) - len(changed)} unchanged document(s) not listed."
                   "</p>")
    for doc in changed:
        out.append(f"<h2>{html.escape(_label(doc))}</h2>")
        if doc.reading_order:
            out.append('<ul class="reading-order">' + "".join(
                f"<li>{html.escape(line)}</li>" for line in doc.reading_order) + "</ul>")
        for number, para in enumerate(doc.paragraphs, 1):
            names = ", ".join(f"{r} ×{n}" for r, n in sorted(para.rules.items()))
            out.append(f'<div class="paragraph"><p class="rules">paragraph {number}: '
                       f"{html.escape(names)}</p>")
            out.append('<div class="pair"><div class="side raw"><h3>raw</h3>'
                       f'{_side(para.raw, colour, "del")}</div>')
            out.append('<div class="side clean"><h3>clean</h3>'
                       f'{_side(para.clean, colour, "ins")}</div></div></div>')
        if doc.more:
            out.append(f"<p>{doc.more} more changed paragraph(s) not shown.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _label(doc: DocumentReport) -> str:
    return f"{doc.name} ({doc.where})" if doc.where else doc.name


def _side(pieces: Pieces, colour: dict[str, str], tag: str) -> str:
    parts = []
    for text, rules in pieces:
        if not rules:
            parts.append(html.escape(text))
            continue
        shown = text
        if tag == "del":  # make removed white space visible
            shown = shown.replace(" ", "␣").replace("\u3000", "□").replace("\n", "↵\n")
        names = " ".join(rules)
        parts.append(f'<{tag} data-rule="{names}" title="{names}" style="background:'
                     f'{colour.get(rules[0], "#eee")}">{html.escape(shown)}</{tag}>')
    return "".join(parts)
