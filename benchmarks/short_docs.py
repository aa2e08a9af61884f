"""Short documents, as a pipeline hands them over: one to three paragraphs, wrapped.

Takes the gold samples' paragraphs and the engine corpus's written ones (40 characters
or more), sets one to three of them in a column of 12 to 24 cells with the noise
model's typesetter (``textclean.testing.noise.wrap_paragraph``: closing marks hung, a
Latin word or number kept whole), with the paragraph's indent kept as two ideographic
spaces, or dropped as PyMuPDF and pdftotext drop it, and counts the documents that
come back exactly as their paragraphs. Prints the share, per indent style and overall.

    python benchmarks/short_docs.py [--docs N] [--seed S] [--show N]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import textclean  # noqa: E402
from benchmarks.engines import articles  # noqa: E402
from textclean.testing.noise import wrap_paragraph  # noqa: E402


def paragraphs() -> list[str]:
    out = [line for path in sorted((ROOT / "samples" / "gold").glob("*.txt"))
           for line in path.read_text(encoding="utf-8").splitlines() if len(line) >= 40]
    out += [text for article in articles() if article.headline
            for kind, text in article.body if kind == "P" and len(text) >= 40]
    return list(dict.fromkeys(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=0, help="print N documents that fail")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = paragraphs()
    whole = {"kept": [0, 0], "dropped": [0, 0]}
    shown = 0
    for _ in range(a.docs):
        doc = rng.sample(pool, rng.randint(1, 3))
        width = rng.randint(12, 24)
        style = rng.choice(["kept", "dropped"])
        lines: list[str] = []
        for paragraph in doc:
            wrapped = wrap_paragraph(paragraph, width)
            if style == "kept":
                wrapped[0] = "\u3000\u3000" + wrapped[0]
            lines.extend(wrapped)
        raw = "\n".join(lines) + "\n"
        out = textclean.clean(raw)
        ok = out.splitlines() == doc
        whole[style][0] += ok
        whole[style][1] += 1
        if not ok and shown < a.show:
            shown += 1
            print(f"--- width {width}, indent {style}\n{raw}=>\n{out}")
    for style, (ok, n) in whole.items():
        print(f"indent {style:8} {ok:4} of {n:4} whole  {ok / n:.3f}")
    ok = sum(v[0] for v in whole.values())
    n = sum(v[1] for v in whole.values())
    print(f"TOTAL          {ok:4} of {n:4} whole  {ok / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
