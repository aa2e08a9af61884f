"""An engine corpus of our own: newspaper pages rendered to PDF, extracted by real engines.

Renders pages from canonical text (the samples' gold and the articles in
``benchmarks/articles/``) with reportlab and a Debian CJK font: 2 to 5 columns of 10-22
characters, justified, two-character indents, a headline block across the columns
(kicker, title, ``——`` sub-title, byline), running headers (date, weekday, paper, page
label, section) and page numbers, articles continued on the next page, and full-width
digits and letters as older PDFs carry. Each document is then extracted by each engine:
``pdftotext`` (default mode), PyMuPDF, pdfminer.six, tesseract ``chi_sim`` and RapidOCR
(whose models ship in its wheel), and scored as ``../shared/eval/score.py`` scores:

  raw_err   edits from the engine's dump to the gold (what there was to fix)
  out_err   edits from textclean's output to the gold (what is left)
  fixed     1 - out_err / raw_err
  damage    edits textclean makes to the gold itself (must be 0)
  idem      clean(clean(dump)) == clean(dump) for every document
  ceiling   the share of raw_err that is recoverable at all: the edits left between
            the dump and the gold once white space, line breaks, width and the page
            furniture are set aside (an OCR character substitution) cannot be undone

Setup (Debian): ``apt-get install poppler-utils tesseract-ocr tesseract-ocr-chi-sim
fonts-wqy-zenhei`` and ``pip install -e '.[engines]'``. An engine that is not installed
is reported as missing and skipped.

Usage: python benchmarks/engines.py [--engines pdftotext,pymupdf,...] [--docs N]
                                    [--out DIR] [--show N]
The dumps are kept in DIR (default ``benchmarks/engine-dumps/``, not in git) with their
gold, so a later run scores them without extracting again (``--fresh`` extracts anew).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "benchmarks" / "articles"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PAGE_W, PAGE_H = 842.0, 1191.0  # A3 in points
MARGIN = 40.0
CLOSING = "，。、；：？！”’）》」』…—"
PAPERS = ("光明日报", "人民日报", "经济日报", "科技日报")
SECTIONS = ("要闻", "综合", "经济", "国际", "社会")
WEEKDAYS = "一二三四五六日"


@dataclass
class Article:
    """Canonical text: the headline block's elements (possibly none) and paragraphs."""

    headline: list[str]
    paragraphs: list[str]

    def gold(self) -> list[str]:
        return self.headline + self.paragraphs


@dataclass
class Layout:
    columns: int
    chars: int          #: characters per column line
    size: float         #: body font size in points (one cell)
    fullwidth: bool     #: digits and letters set full-width, as older PDFs carry them
    paper: str
    section: str
    date: tuple[int, int, int]
    first_page: int


@dataclass
class Document:
    name: str
    layout: Layout
    articles: list[Article]
    furniture: list[str] = field(default_factory=list)  #: header and footer strings

    def gold(self) -> str:
        return "\n".join(line for a in self.articles for line in a.gold()) + "\n"


# --- Canonical text ----------------------------------------------------------------------


def articles() -> list[Article]:
    """The written articles, and the samples' gold bodies cut into articles."""
    out: list[Article] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln and not ln.startswith("#")]
        out.append(Article(lines[:4], lines[4:]))
    for path in sorted((ROOT / "samples" / "gold").glob("*.txt")):
        body = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                if len(ln) >= 30 and not ln.endswith("摄")]
        for start in range(0, len(body), 8):
            out.append(Article([], body[start:start + 8]))
    return out


# --- Rendering ---------------------------------------------------------------------------


def cells(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def wrap(paragraph: str, width: int) -> list[tuple[str, bool]]:
    """Lines of a paragraph set in a column of ``width`` cells, indented two cells, with
    closing marks hung at the line end; each with whether it is full (to justify)."""
    lines: list[tuple[str, bool]] = []
    line, used = "", 2.0
    i = 0
    while i < len(paragraph):
        ch = paragraph[i]
        j = i + 1
        if ch.isascii() and ch.isalnum():  # keep a Latin word or a number together
            while j < len(paragraph) and paragraph[j].isascii() and (
                    paragraph[j].isalnum() or paragraph[j] in ".%"):
                j += 1
        token = paragraph[i:j]
        need = sum(cells(c) for c in token)
        if used + need > width and line and token[0] not in CLOSING:
            lines.append((line, True))
            line, used = "", 0.0
        line += token
        used += need
        i = j
    if line:
        lines.append((line, False))
    return lines


class Renderer:
    """Lays documents out on PDF pages with reportlab."""

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
        from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

        if "zh" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("zh", str(FONT), subfontIndex=0))

    def render(self, doc: Document, path: Path) -> None:
        from reportlab.pdfgen import canvas  # noqa: PLC0415

        lay = doc.layout
        c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        page = lay.first_page
        col_w = lay.chars * lay.size
        gutter = 2 * lay.size
        left = (PAGE_W - lay.columns * col_w - (lay.columns - 1) * gutter) / 2
        top = PAGE_H - MARGIN - 40
        bottom = MARGIN + 40
        state = {"col": 0, "y": top, "top": top}

        def furniture() -> None:
            y, m, d = lay.date
            weekday = WEEKDAYS[(d + m) % 7]
            header = f"{y}年{m}月{d}日 星期{weekday}"
            label = f"第{page}版 {lay.section}"
            c.setFont("zh", 9)
            c.drawString(MARGIN, PAGE_H - MARGIN, header)
            c.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN, lay.paper)
            c.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN, label)
            c.line(MARGIN, PAGE_H - MARGIN - 6, PAGE_W - MARGIN, PAGE_H - MARGIN - 6)
            c.drawCentredString(PAGE_W / 2, MARGIN, str(page))
            doc.furniture.extend([header, lay.paper, label, str(page)])

        def new_page() -> None:
            nonlocal page
            c.showPage()
            page += 1
            furniture()
            state["col"], state["y"], state["top"] = 0, top, top

        def put(text: str, full: bool, indent: float = 0.0) -> None:
            """One column line; a paragraph's first starts ``indent`` cells in."""
            if state["y"] < bottom:
                state["col"] += 1
                state["y"] = state["top"]
                if state["col"] >= lay.columns:
                    new_page()
            x0 = left + state["col"] * (col_w + gutter) + indent * lay.size
            shown = to_fullwidth(text) if lay.fullwidth else text
            widths = [cells(ch) * lay.size for ch in shown]
            room = col_w - indent * lay.size
            extra = (room - sum(widths)) / max(1, len(shown) - 1) if full else 0.0
            extra = max(0.0, min(extra, lay.size))
            x = x0
            c.setFont("zh", lay.size)
            for ch, w in zip(shown, widths, strict=True):
                c.drawString(x, state["y"], ch)
                x += w + extra
            state["y"] -= lay.size * 1.5

        furniture()
        for article in doc.articles:
            if article.headline:
                if state["col"] or state["y"] < top:  # a new article starts a new page
                    new_page()
                y = top
                for k, line in enumerate(article.headline):
                    size = (14, 22, 13, 11)[min(k, 3)]
                    c.setFont("zh", size)
                    c.drawCentredString(PAGE_W / 2, y, line)
                    y -= size * 1.8
                state["top"] = y - lay.size
                state["y"] = state["top"]
            for paragraph in article.paragraphs:
                for k, (text, full) in enumerate(wrap(paragraph, lay.chars)):
                    put(text, full, indent=2.0 if k == 0 else 0.0)
        c.showPage()
        c.save()


# --- Engines -----------------------------------------------------------------------------


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def _pymupdf(pdf: Path) -> str:
    import pymupdf  # noqa: PLC0415

    with pymupdf.open(pdf) as doc:
        return "\n".join(page.get_text() for page in doc)


def _pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text  # noqa: PLC0415

    text: str = extract_text(str(pdf))
    return text


def _pages_as_png(pdf: Path, folder: Path, dpi: int = 200) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "p")],
                   check=True)
    return sorted(folder.glob("p*.png"))


def _tesseract(pdf: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        return "\n".join(
            subprocess.run(["tesseract", str(png), "-", "-l", "chi_sim"], check=True,
                           capture_output=True).stdout.decode("utf-8")
            for png in _pages_as_png(pdf, Path(tmp)))


def _rapidocr(pdf: Path) -> str:
    from rapidocr_onnxruntime import RapidOCR  # noqa: PLC0415

    engine = RapidOCR()
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for png in _pages_as_png(pdf, Path(tmp)):
            result, _ = engine(str(png))
            # One text line per box, top to bottom (the engine's own order).
            out.extend(text for _box, text, _score in result or [])
    return "\n".join(out) + "\n"


ENGINES: dict[str, tuple[Callable[[Path], str], Callable[[], bool]]] = {
    "pdftotext": (_pdftotext, lambda: shutil.which("pdftotext") is not None),
    "pymupdf": (_pymupdf, lambda: _importable("pymupdf")),
    "pdfminer": (_pdfminer, lambda: _importable("pdfminer")),
    "tesseract": (_tesseract, lambda: shutil.which("tesseract") is not None
                  and shutil.which("pdftoppm") is not None),
    "rapidocr": (_rapidocr, lambda: _importable("rapidocr_onnxruntime")),
}


def _importable(module: str) -> bool:
    import importlib.util  # noqa: PLC0415

    return importlib.util.find_spec(module) is not None


# --- The corpus ------------------------------------------------------------------------


def documents(count: int, seed: int = 0) -> list[Document]:
    """``count`` documents, each one to three articles in one layout."""
    rng = random.Random(seed)
    pool = articles()
    docs: list[Document] = []
    for k in range(count):
        layout = Layout(
            columns=rng.randint(2, 5), chars=0, size=rng.choice([9.0, 10.0, 11.0]),
            fullwidth=rng.random() < 0.25, paper=rng.choice(PAPERS),
            section=rng.choice(SECTIONS), date=(rng.randint(2003, 2023), rng.randint(1, 12),
                                                rng.randint(1, 28)),
            first_page=rng.randint(1, 12))
        usable = (PAGE_W - 2 * MARGIN) / layout.size
        widest = int((usable - 2 * (layout.columns - 1)) / layout.columns)
        layout.chars = rng.randint(10, max(10, min(22, widest)))
        picked = rng.sample(pool, rng.randint(1, 3))
        docs.append(Document(f"doc{k:03}", layout, picked))
    return docs


# --- Scoring -----------------------------------------------------------------------------


def paragraphs(text: str) -> str:
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _key(text: str, furniture: list[str]) -> str:
    """What no cleaner can change: text without white space, furniture, width or the
    punctuation's form (an engine's character errors stay)."""
    items = set(furniture)
    text = "\n".join(line for line in text.splitlines() if line.strip() not in items)
    for item in sorted(items, key=len, reverse=True):
        if len(item) > 1:  # a page number alone is text within a line
            text = text.replace(item, "")
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace()
                   and not unicodedata.category(ch).startswith(("P", "S")))


@dataclass
class Score:
    raw_err: int = 0
    out_err: int = 0
    damage: int = 0
    unrecoverable: int = 0
    idempotent: bool = True
    docs: int = 0
    examples: list[str] = field(default_factory=list)


def score(engine: str, docs: list[Document], folder: Path, fresh: bool,
          show: int) -> Score:
    from rapidfuzz.distance import Levenshtein  # noqa: PLC0415

    import textclean  # noqa: PLC0415

    extract = ENGINES[engine][0]
    result = Score()
    renderer: Renderer | None = None
    for doc in docs:
        dump_path = folder / engine / f"{doc.name}.txt"
        gold_path = folder / "gold" / f"{doc.name}.txt"
        pdf = folder / "pdf" / f"{doc.name}.pdf"
        if fresh or not pdf.exists():
            renderer = renderer or Renderer()
            pdf.parent.mkdir(parents=True, exist_ok=True)
            renderer.render(doc, pdf)
            gold_path.parent.mkdir(parents=True, exist_ok=True)
            gold_path.write_text(doc.gold(), encoding="utf-8")
            (folder / "pdf" / f"{doc.name}.furniture").write_text(
                "\n".join(doc.furniture), encoding="utf-8")
        if fresh or not dump_path.exists():
            dump_path.parent.mkdir(parents=True, exist_ok=True)
            dump_path.write_text(extract(pdf), encoding="utf-8")
        raw = dump_path.read_text(encoding="utf-8")
        gold = paragraphs(gold_path.read_text(encoding="utf-8"))
        furniture = (folder / "pdf" / f"{doc.name}.furniture").read_text(
            encoding="utf-8").splitlines()
        out = textclean.clean(raw)
        result.docs += 1
        result.raw_err += Levenshtein.distance(paragraphs(raw), gold)
        out_err = Levenshtein.distance(paragraphs(out), gold)
        result.out_err += out_err
        result.damage += Levenshtein.distance(paragraphs(textclean.clean(gold)), gold)
        result.idempotent &= textclean.clean(out) == out
        result.unrecoverable += Levenshtein.distance(_key(raw, furniture), _key(gold, []))
        if out_err and len(result.examples) < show:
            result.examples.append(f"{engine}/{doc.name}: {out_err} edits left")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--docs", type=int, default=12, help="documents (default 12)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "engine-dumps")
    ap.add_argument("--fresh", action="store_true", help="render and extract again")
    ap.add_argument("--show", type=int, default=0, help="name N documents with edits left")
    a = ap.parse_args()
    if not FONT.exists():
        sys.exit(f"no CJK font at {FONT}: apt-get install fonts-wqy-zenhei")
    docs = documents(a.docs)
    print(f"{'engine':10} {'docs':>4} {'raw_err':>8} {'out_err':>8} {'fixed':>6} "
          f"{'ceiling':>7} {'of ceiling':>10} {'damage':>6} {'idem':>5}")
    for engine in a.engines.split(","):
        if not ENGINES[engine][1]():
            print(f"{engine:10} missing (see the setup in this script's docstring)")
            continue
        s = score(engine, docs, a.out, a.fresh, a.show)
        fixed = 1 - s.out_err / s.raw_err if s.raw_err else 1.0
        ceiling = 1 - s.unrecoverable / s.raw_err if s.raw_err else 1.0
        share = fixed / ceiling if ceiling else 0.0
        print(f"{engine:10} {s.docs:4} {s.raw_err:8} {s.out_err:8} {fixed:6.3f} "
              f"{ceiling:7.3f} {share:10.3f} {s.damage:6} {s.idempotent!s:>5}")
        for line in s.examples:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
