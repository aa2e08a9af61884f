"""The README's examples run as written: the Python doctests, the shell lines, and the
Ray Data snippet."""

from __future__ import annotations

import doctest
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import textclean
from tests.conftest import ROOT, SAMPLES, sample_names

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_examples() -> None:
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False)
    assert result.attempted > 0
    assert result.failed == 0


def block_after(heading: str, language: str) -> str:
    """The first fenced block of ``language`` after the line that starts ``heading``."""
    start = README.index(heading)
    match = re.compile(rf"```{language}\n(.*?)```", re.S).search(README, start)
    assert match is not None
    return match.group(1)


def needs_ray() -> None:
    if "ray" not in os.environ.get("REQUIRE_ENGINES", "").split(","):
        pytest.importorskip("ray", reason="Ray is not installed (textclean-zh[ray])")


def inputs(folder: Path) -> None:
    """The files the README's shell lines name."""
    names = sample_names()
    (folder / "raw.txt").write_text((SAMPLES / "raw" / names[0]).read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (folder / "dumps").mkdir()
    for name in names[:3]:
        (folder / "dumps" / name).write_bytes((SAMPLES / "raw" / name).read_bytes())
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": 1, "body": "王毅:好!"}, ensure_ascii=False) + "\n")
    pq.write_table(pa.table({"text": ["5 月 24 日", None]}), folder / "table.parquet")


def test_readme_shell_lines(tmp_path: Path) -> None:
    lines = [line.split("  #")[0].strip()
             for line in block_after("From the shell", "sh").splitlines() if line.strip()]
    assert len(lines) >= 8
    inputs(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ['PATH']}"}
    for line in lines:
        if "--engine ray" in line:
            needs_ray()
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=False, timeout=600)
        assert done.returncode == (1 if "--check" in line else 0), (line, done.stderr)
    assert (tmp_path / "clean.txt").read_text(encoding="utf-8") == textclean.clean(
        (tmp_path / "raw.txt").read_text(encoding="utf-8"))
    assert sorted(p.name for p in (tmp_path / "clean").iterdir()) == sample_names()[:3]
    assert json.loads((tmp_path / "out" / "corpus.jsonl").read_text(encoding="utf-8")) == \
        {"id": 1, "body": "王毅：好！"}
    assert pq.read_table(tmp_path / "out" / "table.parquet").column("text").to_pylist() \
        == ["5月24日", None]
    assert "textclean report" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_readme_ray_snippet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_ray()
    import ray  # noqa: PLC0415

    (tmp_path / "corpus").mkdir()
    pq.write_table(pa.table({"text": ["王毅:好!", "5 月 24 日"]}),
                   tmp_path / "corpus" / "part.parquet")
    monkeypatch.chdir(tmp_path)
    try:
        exec(block_after("On Ray Data, from Python", "python"), {})
    finally:
        ray.shutdown()
    written = pa.concat_tables([pq.read_table(p) for p in (tmp_path / "clean").iterdir()])
    assert sorted(written.column("text").to_pylist()) == sorted(["王毅：好！", "5月24日"])


def test_the_getting_started_pool_example_runs(tmp_path: Path) -> None:
    """docs/getting-started.md's example of preloading before a pool forks, as a script."""
    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    start = page.index("## Many documents, many processes")
    match = re.compile(r"```python\n(.*?)```", re.S).search(page, start)
    assert match is not None
    script = tmp_path / "pool.py"
    script.write_text('texts = ["这一理念深人人心。", "王毅:好!"] * 4\n' + match.group(1)
                      + "print(cleaned[:2])\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=600, check=True)
    assert proc.stdout.strip() == "['这一理念深入人心。', '王毅：好！']"
