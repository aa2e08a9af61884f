"""An engine corpus of our own: newspaper pages rendered to PDF, extracted by real engines.

Renders pages from canonical text (the samples' gold and the articles in
``benchmarks/articles/``) with reportlab and a Debian CJK font: 2 to 5 columns of 10-22
characters, justified (each line one text object, with character spacing), two-character
indents, gutters of 2.2-3 characters, several articles a page, each in a band of its own
under its headline block (kicker, title, which may wrap, ``——`` sub-title, deck,
byline), in-column sub-headings, photo captions with credits under a picture's box,
articles continued on the next page with 下转/上接 markers, running headers (date,
weekday, paper, page label, section; as separate strings or one) and page numbers
(``5``, ``-5-``, ``第5页``), and full-width digits and letters as older PDFs carry.
Each document is then extracted by each engine:
``pdftotext`` (default mode, and ``-layout``: columns side by side), pdfplumber (with
layout: columns side by side), PyMuPDF, pdfminer.six, tesseract ``chi_sim`` and RapidOCR
(whose models ship in its wheel), and scored as ``../shared/eval/score.py`` scores:

  raw_err   edits from the engine's dump to the gold (what there was to fix)
  out_err   edits from textclean's output to the gold (what is left)
  fixed     1 - out_err / raw_err
  damage    edits textclean makes to the gold itself (must be 0)
  idem      clean(clean(dump)) == clean(dump) for every document
  ceiling   the share of raw_err that is recoverable at all: the edits left between
            the dump and the gold once white space, line breaks, width and the page
            furniture are set aside (an OCR character substitution) cannot be undone;
            for the engines that set columns side by side, with the order set aside
            too (the characters gained or lost)
  in order  the documents whose dump kept the reading order: what is unrecoverable in
            them is at most ORDER_KEPT of the gold's characters, character errors and
            not text read out of place (a block read out of order costs its length
            twice); ``fixed`` and ``of ceiling`` over those documents alone

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
from collections import Counter
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
    """Canonical text: the headline block's elements and the body's items.

    ``headline`` holds ``(kind, text)`` pairs, kind one of ``K`` kicker, ``T`` title,
    ``S`` sub-title, ``D`` deck, ``B`` byline; ``body`` holds ``(kind, text)`` pairs,
    kind ``P`` paragraph, ``H`` in-column sub-heading, ``C`` photo caption.
    """

    headline: list[tuple[str, str]]
    body: list[tuple[str, str]]

    def gold(self) -> list[str]:
        return [text for _kind, text in self.headline + self.body]


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
    leading: float = 1.4    #: line pitch in cells
    gutter: float = 2.5     #: space between columns in cells
    header_one_string: bool = False  #: the running header set as one string
    folio: str = "{}"       #: how the page number is set: 5, -5-, 第5页


@dataclass
class Document:
    name: str
    layout: Layout
    articles: list[Article]
    furniture: list[str] = field(default_factory=list)  #: header and footer strings

    def gold(self) -> str:
        return "\n".join(line for a in self.articles for line in a.gold()) + "\n"


# --- Canonical text ----------------------------------------------------------------------


def read_article(text: str) -> Article:
    """An article file: ``K:``/``T:``/``S:``/``D:``/``B:`` headline lines, then the body,
    one paragraph a line, ``= `` opening a sub-heading and ``@ `` a caption."""
    headline: list[tuple[str, str]] = []
    body: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if len(line) > 2 and line[0] in "KTSDB" and line[1] == ":":
            headline.append((line[0], line[2:]))
        elif line.startswith(("= ", "@ ")):
            body.append(("H" if line[0] == "=" else "C", line[2:]))
        else:
            body.append(("P", line))
    return Article(headline, body)


def articles() -> list[Article]:
    """The written articles, and the samples' gold bodies cut into articles."""
    out = [read_article(path.read_text(encoding="utf-8"))
           for path in sorted(ARTICLES.glob("*.txt"))]
    seen: set[str] = set()  # the samples share paragraphs: each is set once
    for path in sorted((ROOT / "samples" / "gold").glob("*.txt")):
        body = []
        for ln in path.read_text(encoding="utf-8").splitlines():
            if len(ln) >= 30 and not ln.endswith("摄") and ln not in seen:
                seen.add(ln)
                body.append(ln)
        for start in range(0, len(body), 8):
            out.append(Article([], [("P", ln) for ln in body[start:start + 8]]))
    return out


# --- Rendering ---------------------------------------------------------------------------


def cells(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def wrap(text: str, width: float, indent: float = 2.0) -> list[tuple[str, bool]]:
    """Lines of ``text`` set in a column of ``width`` cells, the first indented
    ``indent`` cells, with closing marks hung at the line end; each with whether it is
    full (to justify). A run of ASCII letters and digits is kept together."""
    lines: list[tuple[str, bool]] = []
    line, used = "", indent
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isascii() and text[i].isalnum():
            while j < len(text) and text[j].isascii() and (
                    text[j].isalnum() or text[j] in ".%"):
                j += 1
        token = text[i:j]
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


@dataclass
class Item:
    """One thing set in a column: a text line, or a picture's box (``text`` None)."""

    height: float                 #: in points, with the space after it
    text: str | None = None
    size: float = 0.0
    indent: float = 0.0           #: in cells
    full: bool = False            #: justified to the column's width
    centred: bool = False


class Renderer:
    """Lays documents out on PDF pages with reportlab.

    A page has a running header and a page number; each article takes a band of the
    page, its headline block centred across the band and its body in balanced columns
    under it. An article that does not fit goes on on the next page, with a marker at
    the end of the part before (下转) and at the start of the part after (上接).
    """

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
        from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

        if "zh" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("zh", str(FONT), subfontIndex=0))

    def render(self, doc: Document, path: Path) -> None:
        from reportlab.pdfgen import canvas  # noqa: PLC0415

        lay = doc.layout
        c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.c, self.lay, self.doc = c, lay, doc
        self.page = lay.first_page
        self.col_w = lay.chars * lay.size
        gutter = lay.gutter * lay.size
        self.pitch = self.col_w + gutter
        self.left = (PAGE_W - lay.columns * self.col_w - (lay.columns - 1) * gutter) / 2
        self.top = PAGE_H - MARGIN - 40
        self.bottom = MARGIN + 30
        self.y = self.top  # where the next band starts
        self._furniture()
        for article in doc.articles:
            self._article(article)
        c.showPage()
        c.save()

    # Page furniture.

    def _furniture(self) -> None:
        c, lay = self.c, self.lay
        y, m, d = lay.date
        header = f"{y}年{m}月{d}日 星期{WEEKDAYS[(d + m) % 7]}"
        label = f"第{self.page}版 {lay.section}"
        c.setFont("zh", 9)
        if lay.header_one_string:
            c.drawString(MARGIN, PAGE_H - MARGIN, f"{header} {lay.paper} {label}")
        else:
            c.drawString(MARGIN, PAGE_H - MARGIN, header)
            c.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN, lay.paper)
            c.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN, label)
        c.line(MARGIN, PAGE_H - MARGIN - 6, PAGE_W - MARGIN, PAGE_H - MARGIN - 6)
        folio = lay.folio.format(self.page)
        c.drawCentredString(PAGE_W / 2, MARGIN, folio)
        self.doc.furniture.extend([header, lay.paper, label, folio])

    def _new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self._furniture()
        self.y = self.top

    # Setting text.

    def _line(self, x: float, y: float, item: Item) -> None:
        assert item.text is not None
        c = self.c
        shown = item.text
        width = sum(cells(ch) for ch in shown) * item.size
        room = self.col_w - item.indent * item.size
        t = c.beginText()
        t.setFont("zh", item.size)
        if item.centred:
            x += (self.col_w - width) / 2
        else:
            x += item.indent * item.size
        if item.full and len(shown) > 1:
            t.setCharSpace(max(0.0, min((room - width) / (len(shown) - 1), item.size)))
        t.setTextOrigin(x, y)
        t.textOut(shown)
        c.drawText(t)

    def _items(self, article: Article) -> list[Item]:
        lay = self.lay
        size, pitch = lay.size, lay.size * lay.leading
        shown = to_fullwidth if lay.fullwidth else (lambda t: t)
        items: list[Item] = []
        for kind, text in article.body:
            if kind == "P":
                for k, (line, full) in enumerate(wrap(shown(text), lay.chars)):
                    items.append(Item(pitch, line, size, 2.0 if k == 0 else 0.0, full))
            elif kind == "H":
                items.append(Item(pitch * 0.5))
                for line, _full in wrap(shown(text), lay.chars - 1, indent=0.0):
                    items.append(Item(pitch * 1.2, line, size + 1, centred=True))
                items.append(Item(pitch * 0.3))
            else:  # a caption under its picture, in a smaller size, not justified
                items.append(Item(pitch * 7))
                small = size - 1.5
                for line, full in wrap(shown(text), self.col_w / small, indent=0.0):
                    items.append(Item(small * lay.leading, line, small, 0.0, full))
                items.append(Item(pitch * 0.5))
        return items

    def _fill(self, items: list[Item], cap: float) -> tuple[list[list[Item]], list[Item]]:
        """The items set in columns no taller than ``cap``, and those left over."""
        columns: list[list[Item]] = [[] for _ in range(self.lay.columns)]
        col, used, k = 0, 0.0, 0
        while k < len(items) and col < self.lay.columns:
            if used + items[k].height > cap and columns[col]:
                col, used = col + 1, 0.0
                continue
            columns[col].append(items[k])
            used += items[k].height
            k += 1
        return columns, items[k:]

    def _headline(self, article: Article) -> None:
        c = self.c
        band_w = self.lay.columns * self.pitch
        for kind, text in article.headline:
            size = {"K": 13.0, "T": 24.0, "S": 14.0, "D": 13.0, "B": 11.0}[kind]
            if kind == "T" and len(article.headline) > 1 and len(text) * size > band_w * 0.9:
                size = 20.0
            per_line = int(band_w * 0.9 / size)
            for start in range(0, len(text), per_line):
                part = text[start:start + per_line]
                self.y -= size * 1.6
                c.setFont("zh", size)
                c.drawCentredString(PAGE_W / 2, self.y, part)
        self.y -= self.lay.size * 2.0

    def _article(self, article: Article) -> None:
        lay = self.lay
        room_needed = lay.size * lay.leading * 6
        if article.headline and self.y - room_needed * 2 < self.bottom:
            self._new_page()
        if article.headline:
            self._headline(article)
        items = self._items(article)
        marker_h = lay.size * lay.leading
        while items:
            if self.y - room_needed < self.bottom:
                self._new_page()
            avail = self.y - self.bottom
            total = sum(it.height for it in items)
            per_col = max(total / lay.columns, *(it.height for it in items))
            fits = total <= avail * lay.columns * 0.98
            cap = per_col if fits else avail - marker_h
            while True:  # balanced columns: the least height that takes every item
                columns, rest = self._fill(items, cap)
                if not rest or not fits or cap >= avail - marker_h:
                    break
                cap += lay.size * lay.leading / 2
            items = rest
            while items and items[0].text is None:
                items.pop(0)  # no space opens a column
            lowest = self.y
            for k, column in enumerate(columns):
                y = self.y
                for it in column:
                    y -= it.height
                    if it.text is not None:
                        self._line(self.left + k * self.pitch, y + (it.height - it.size), it)
                lowest = min(lowest, y)
            for k in range(1, lay.columns):  # rules between the columns
                x = self.left + k * self.pitch - (self.pitch - self.col_w) / 2
                self.c.line(x, self.y, x, lowest)
            if items:  # continued on the next page
                last = self.left + (lay.columns - 1) * self.pitch
                self._line(last, lowest - marker_h, Item(marker_h, f"（下转第{self.page + 1}版）",
                                                         lay.size))
                self.doc.furniture.append(f"（下转第{self.page + 1}版）")
                self._new_page()
                self.doc.furniture.append(f"（上接第{self.page - 1}版）")
                items.insert(0, Item(marker_h, f"（上接第{self.page - 1}版）", lay.size))
            else:  # a rule across the page under the article
                rule = lowest - lay.size * 1.5
                self.c.line(self.left, rule, self.left + lay.columns * self.pitch, rule)
                self.y = rule - lay.size * 1.5


# --- Engines -----------------------------------------------------------------------------


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def _pdftotext_layout(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          check=True, capture_output=True).stdout.decode("utf-8")


def _pdfplumber(pdf: Path) -> str:
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text(layout=True) for page in doc.pages)


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
    "pdftotext-layout": (_pdftotext_layout, lambda: shutil.which("pdftotext") is not None),
    "pdfplumber": (_pdfplumber, lambda: _importable("pdfplumber")),
    "pymupdf": (_pymupdf, lambda: _importable("pymupdf")),
    "pdfminer": (_pdfminer, lambda: _importable("pdfminer")),
    "tesseract": (_tesseract, lambda: shutil.which("tesseract") is not None
                  and shutil.which("pdftoppm") is not None),
    "rapidocr": (_rapidocr, lambda: _importable("rapidocr_onnxruntime")),
}


#: Engines that print a page's columns side by side: their ceiling is reckoned with
#: the reading order restored (textclean's reading-order stage is what restores it).
SIDE_BY_SIDE = frozenset({"pdftotext-layout", "pdfplumber"})


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
        layout.leading = rng.uniform(1.3, 1.45)
        layout.gutter = rng.uniform(2.2, 3.0)
        layout.header_one_string = rng.random() < 0.3
        layout.folio = rng.choice(["{}", "-{}-", "第{}页"])
        usable = (PAGE_W - 2 * MARGIN) / layout.size
        widest = int((usable - layout.gutter * (layout.columns - 1)) / layout.columns)
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


#: A dump kept the reading order when at most this share of the gold's characters is
#: unrecoverable (tesseract misreads 0.5-2% of the characters of a clean render; a
#: column or a block read out of place costs far more).
ORDER_KEPT = 0.02


@dataclass
class Score:
    raw_err: int = 0
    out_err: int = 0
    damage: int = 0
    unrecoverable: int = 0
    idempotent: bool = True
    docs: int = 0
    #: the documents whose reading order the engine kept (see ORDER_KEPT)
    in_order: int = 0
    in_order_raw: int = 0
    in_order_out: int = 0
    in_order_lost: int = 0
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
        gold_key = _key(gold, [])
        if engine in SIDE_BY_SIDE:
            # The columns stand side by side: what is recoverable once the reading
            # order is restored, the characters gained or lost, whatever their order.
            have, want = Counter(_key(raw, furniture)), Counter(gold_key)
            lost = max(sum((have - want).values()), sum((want - have).values()))
        else:
            lost = Levenshtein.distance(_key(raw, furniture), gold_key)
        result.unrecoverable += lost
        if lost <= ORDER_KEPT * len(gold_key):
            result.in_order += 1
            result.in_order_raw += Levenshtein.distance(paragraphs(raw), gold)
            result.in_order_out += out_err
            result.in_order_lost += lost
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
    print(f"{'engine':16} {'docs':>4} {'raw_err':>8} {'out_err':>8} {'fixed':>6} "
          f"{'ceiling':>7} {'of ceiling':>10} {'damage':>6} {'idem':>5} "
          f"{'in order':>8} {'fixed':>6} {'of ceiling':>10}")
    for engine in a.engines.split(","):
        if not ENGINES[engine][1]():
            print(f"{engine:16} missing (see the setup in this script's docstring)")
            continue
        s = score(engine, docs, a.out, a.fresh, a.show)
        fixed = 1 - s.out_err / s.raw_err if s.raw_err else 1.0
        ceiling = 1 - s.unrecoverable / s.raw_err if s.raw_err else 1.0
        share = fixed / ceiling if ceiling else 0.0
        raw = s.in_order_raw
        in_fixed = 1 - s.in_order_out / raw if raw else 1.0
        in_ceiling = 1 - s.in_order_lost / raw if raw else 1.0
        in_share = in_fixed / in_ceiling if in_ceiling else 0.0
        print(f"{engine:16} {s.docs:4} {s.raw_err:8} {s.out_err:8} {fixed:6.3f} "
              f"{ceiling:7.3f} {share:10.3f} {s.damage:6} {s.idempotent!s:>5} "
              f"{s.in_order:8} {in_fixed:6.3f} {in_share:10.3f}")
        for line in s.examples:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
