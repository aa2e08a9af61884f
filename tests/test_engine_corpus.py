"""The engine corpus's own parts that need no engine: its articles and its typesetter.

benchmarks/engines.py renders and extracts with tools CI does not install (reportlab,
PyMuPDF, tesseract…); what it measures rests on these parts, which are plain Python.
"""

from __future__ import annotations

import pytest

import textclean
from benchmarks.engines import (
    ARTICLES,
    CLOSING,
    articles,
    cells,
    documents,
    read_article,
    to_fullwidth,
    wrap,
)


def test_every_article_parses_and_is_canonical() -> None:
    paths = sorted(ARTICLES.glob("*.txt"))
    assert len(paths) >= 8
    for path in paths:
        article = read_article(path.read_text(encoding="utf-8"))
        kinds = [kind for kind, _ in article.headline]
        assert "T" in kinds, path.name
        assert set(kinds) <= set("KTSDB"), path.name
        assert sum(kind == "P" for kind, _ in article.body) >= 4, path.name
        text = "\n".join(article.gold()) + "\n"
        assert textclean.clean(text) == text, path.name


def test_the_pool_sets_each_sample_paragraph_once() -> None:
    paragraphs = [text for article in articles() for kind, text in article.body if kind == "P"]
    assert len(paragraphs) == len(set(paragraphs))


@pytest.mark.parametrize("fullwidth", [False, True])
@pytest.mark.parametrize("width", [10, 13, 17, 22])
def test_wrap_fills_the_column_and_loses_nothing(width: int, fullwidth: bool) -> None:
    """Lines stay within the column (the renderer once measured digits before setting
    them full-width, and its lines ran into the gutter)."""
    paragraph = ("据农业农村部统计，截至10月25日，全国秋粮已收获72.3%，进度快于去年同期"
                 "1.5个百分点。“烘干塔建起来以后，再也不怕下雨了。”")
    if fullwidth:
        paragraph = to_fullwidth(paragraph)
    lines = wrap(paragraph, width)
    assert "".join(text for text, _ in lines) == paragraph
    for k, (text, full) in enumerate(lines):
        room = width - (2 if k == 0 else 0)
        body = text.rstrip(CLOSING)
        assert sum(cells(ch) for ch in body) <= room, text
        assert full == (k < len(lines) - 1)
        assert text[0] not in CLOSING or k == 0, text  # closing marks hang, never open


def test_documents_are_the_same_for_a_seed() -> None:
    a, b = documents(4, seed=3), documents(4, seed=3)
    assert [d.gold() for d in a] == [d.gold() for d in b]
    for doc in a:
        assert 2 <= doc.layout.columns <= 5 and 10 <= doc.layout.chars <= 22
        assert doc.gold().endswith("\n") and "\n\n" not in doc.gold()
