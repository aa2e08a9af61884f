"""The HTML change report (--report): what it shows, checked in a real headless browser.

The browser is Debian's chromium, started by the test. Without it the browser test
skips, unless REQUIRE_ENGINES names browser (CI sets it, and .ci/run installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import textclean
from tests.conftest import SAMPLES, sample_names
from textclean.report import document_report

SCRIPT = Path(sys.executable).parent / "textclean"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: What the project's machines need to start Chromium headless as root with no network.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=600)


def explain_counts(stdout: str) -> tuple[Counter[str], Counter[str]]:
    """Edits per rule and per file, from --explain's JSON lines (a line break the
    layout phase kept is a decision, not an edit)."""
    records = [r for r in map(json.loads, stdout.splitlines()) if not r.get("kept")]
    return Counter(r["rule"] for r in records), Counter(r["file"] for r in records)


def page_counts(page: str) -> tuple[Counter[str], Counter[str]]:
    """Edits per rule and per document, read off the report page."""
    rules = Counter({m[1]: int(m[2]) for m in re.finditer(
        r'<tr data-rule="([a-z_]+)"><td>.*?</td><td class="n">(\d+)</td>', page)})
    table = page[page.index('id="document-counts"'):]
    table = table[:table.index("</table>")]
    docs = Counter({m[1]: int(m[2]) for m in re.finditer(
        r'<tr><td>([^<]+)</td><td class="n">(\d+)</td>', table)})
    return rules, +docs


def test_report_pieces_are_the_raw_and_clean_text() -> None:
    for name in sample_names():
        raw = (SAMPLES / "raw" / name).read_text(encoding="utf-8")
        explanation = textclean.clean_and_explain(raw)
        report = document_report(name, raw, explanation.steps)
        assert sum(report.counts.values()) == sum(len(s.edits) for s in explanation.steps)
        assert report.paragraphs, name
        clean_paragraphs = explanation.text.splitlines(keepends=True)
        for para in report.paragraphs:
            assert "".join(text for text, _ in para.raw) in raw
            assert "".join(text for text, _ in para.clean) in clean_paragraphs
            assert any(rules for _, rules in para.raw + para.clean), "a change is marked"
            assert sum(para.rules.values()) > 0


def test_report_counts_match_explain(tmp_path: Path) -> None:
    result = run(SAMPLES / "raw", "--explain", "--report", tmp_path / "r.html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page_counts(page) == explain_counts(result.stdout)


def test_report_on_jsonl_names_each_record(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text('{"text": "王毅:好!"}\n{"text": "已经干净。"}\n{"text": "5 月 24 日"}\n',
                   encoding="utf-8")
    result = run(src, "-o", tmp_path / "out", "-q", "--report", tmp_path / "r.html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"{src} (record 1)" in page and f"{src} (record 3)" in page
    assert f"{src} (record 2)" not in page  # unchanged: counted, not listed
    assert "3 document(s), 2 changed" in page
    assert "1 unchanged document(s) not listed" in page
    assert 'id="total-edits">' in page
    assert (tmp_path / "out" / "c.jsonl").exists(), "the report comes with the outputs"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    if CHROMIUM is None:
        if "browser" in os.environ.get("REQUIRE_ENGINES", "").split(","):
            pytest.fail("chromium is not installed (REQUIRE_ENGINES names browser)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    report = tmp_path / "report.html"
    result = run(SAMPLES / "raw", "--explain", "--report", report)
    assert result.returncode == 0, result.stderr
    profile = ["--user-data-dir=" + str(tmp_path / "profile"), "--window-size=1280,2000"]
    url = report.resolve().as_uri()
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, *profile, f"--screenshot={shot}", url],
                   capture_output=True, check=True, timeout=120)
    assert png_size(shot.read_bytes()) == (1280, 2000)
    assert shot.stat().st_size > 20_000, "the screenshot shows a page, not a blank"
    dom = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, *profile, "--dump-dom", url],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    # The page as the browser parsed it: the counts match --explain's edits.
    assert "<title>textclean report</title>" in dom
    assert page_counts(dom) == explain_counts(result.stdout)
    assert dom.count('class="paragraph"') > 10
    assert "<del " in dom and "<ins " in dom


def test_report_never_overwrites_an_input(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("王毅:好!\n", encoding="utf-8")
    result = run(src, "--check", "--report", src)
    assert result.returncode == 2
    assert "would overwrite the input" in result.stderr
    assert src.read_text(encoding="utf-8") == "王毅:好!\n"


def test_report_shows_the_column_order_it_chose(tmp_path: Path) -> None:
    """Where columns stood side by side (pdftotext -layout), the page says which region
    was read column after column, and in what order; a sample's page says none."""
    from textclean.testing import noise  # noqa: PLC0415

    body = (SAMPLES / "gold" / "001_2020_narrow_columns.txt").read_text(encoding="utf-8")
    body = "\n".join(body.splitlines()[1:12]) + "\n"
    rows = noise.side_by_side(noise.column_lines(body, 14), 3)
    dump = tmp_path / "layout.txt"
    dump.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(dump, "--check", "--report", tmp_path / "r.html")
    assert result.returncode in (0, 1), result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    order = re.findall(r'<ul class="reading-order"><li>([^<]+)</li></ul>', page)
    assert len(order) == 1
    assert order[0].startswith(f"columns_side_by_side: lines 1-{len(rows)}, 3 columns at 0, ")
    assert order[0].endswith("(characters)")
    sample = run(SAMPLES / "raw", "--check", "--report", tmp_path / "s.html")
    assert sample.returncode in (0, 1), sample.stderr
    assert "reading-order" not in (tmp_path / "s.html").read_text(encoding="utf-8")
