"""textclean on Ray gives exactly what it gives locally (issue 7).

These tests start a real local Ray cluster (2 CPUs, no dashboard). Without Ray they
skip, unless REQUIRE_ENGINES names ray (CI sets it): then a missing Ray fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import textclean
from tests.conftest import SAMPLES, sample_names

if "ray" not in os.environ.get("REQUIRE_ENGINES", "").split(","):
    pytest.importorskip("ray", reason="Ray is not installed (pip install "
                                      "'textclean-zh[ray]'); REQUIRE_ENGINES=ray fails")
import ray
import ray.data

from textclean.cli import main
from textclean.formats import PARQUET_BATCH_ROWS, Options
from textclean.ray import (
    PART_CHARS,
    _clean_part,
    _read_parts,
    clean_dataset,
    start,
)

SCRIPT = Path(sys.executable).parent / "textclean"


def records() -> list[dict[str, Any]]:
    """Rows of a small corpus: each raw sample in pieces, nulls, and clean text."""
    rows: list[dict[str, Any]] = []
    for k, name in enumerate(sample_names()):
        text = (SAMPLES / "raw" / name).read_text(encoding="utf-8")
        for j, start_at in enumerate(range(0, len(text), 700)):
            rows.append({"id": 100 * k + j, "source": name, "text": text[start_at:start_at + 900]})
    rows.append({"id": -1, "source": "null", "text": None})
    rows.append({"id": -2, "source": "clean", "text": "已经干净的文本。\n"})
    return rows


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    start(None, cpus=2)
    yield
    ray.shutdown()


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            # Half the records ASCII-escaped, as other tools write them.
            out.write(json.dumps(row, ensure_ascii=row["id"] % 2 == 0) + "\n")


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_clean_dataset_cleans_the_column_row_by_row(cluster: None, tmp_path: Path,
                                                    fmt: str) -> None:
    rows = records()
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
        ds = ray.data.read_parquet(str(tmp_path / "c.parquet"))
    else:
        write_jsonl(tmp_path / "c.jsonl", rows)
        ds = ray.data.read_json(str(tmp_path / "c.jsonl"))
    out = clean_dataset(ds, column="text").take_all()
    assert len(out) == len(rows)
    by_id = {row["id"]: row for row in out}
    changed = 0
    for row in rows:
        got = by_id[row["id"]]
        assert got["source"] == row["source"], "other columns pass through"
        if row["text"] is None:
            assert got["text"] is None
        else:
            assert got["text"] == textclean.clean(row["text"])
            changed += got["text"] != row["text"]
    assert changed > len(rows) // 2


def test_clean_dataset_takes_clean_options(cluster: None) -> None:
    ds = ray.data.from_items([{"body": "深人人心 。"}, {"body": "王毅:好!"}])
    out = clean_dataset(ds, column="body", preset="conservative").take_all()
    assert [r["body"] for r in out] == [textclean.clean(t, preset="conservative")
                                        for t in ("深人人心 。", "王毅:好!")]
    assert out[0]["body"] == "深人人心。"  # the risky look-alike repair is off


def test_clean_dataset_names_a_missing_column(cluster: None) -> None:
    ds = ray.data.from_items([{"body": "好"}])
    with pytest.raises(Exception, match="no column 'text'"):
        clean_dataset(ds).take_all()


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=900)


def test_engine_ray_writes_what_the_local_engine_writes(tmp_path: Path) -> None:
    # The command line starts its own local cluster, as a user's run does.
    rows = records()
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "c.jsonl", rows)
    pq.write_table(pa.Table.from_pylist(rows), src / "c.parquet")
    for name in sample_names()[:4]:
        (src / name).write_bytes((SAMPLES / "raw" / name).read_bytes())
    (src / "bad.jsonl").write_text('{"text": "好"}\n{not json\n', encoding="utf-8")

    local = run(src, "-o", tmp_path / "local", "-q")
    remote = run(src, "-o", tmp_path / "ray", "-q", "--engine", "ray", "--jobs", "2")
    assert local.returncode == remote.returncode == 2, remote.stderr
    assert "bad.jsonl: line 2, column 2: not JSON" in remote.stderr
    assert remote.stderr == local.stderr

    names = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ray").iterdir())
    assert "bad.jsonl" not in names and len(names) == 6
    for name in names:
        if name.endswith(".parquet"):
            ours = pq.read_table(tmp_path / "ray" / name)
            theirs = pq.read_table(tmp_path / "local" / name)
            assert ours.schema == theirs.schema
            assert ours.to_pylist() == theirs.to_pylist()  # row by row
        else:
            assert (tmp_path / "ray" / name).read_bytes() == \
                (tmp_path / "local" / name).read_bytes(), name
    first = (tmp_path / "ray" / "c.jsonl").read_text(encoding="utf-8").split("\n")[0]
    assert "\\u" in json.dumps(rows[0]) and "\\u" not in first, \
        "a changed record is written back with its Chinese unescaped"


def test_engine_ray_check_agrees_with_local(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "dirty.txt").write_text("王毅:好!\n", encoding="utf-8")
    (src / "clean.txt").write_text("王毅：好！\n", encoding="utf-8")
    local = run(src, "--check")
    remote = run(src, "--check", "--engine", "ray", "--jobs", "2")
    assert (local.returncode, local.stdout) == (remote.returncode, remote.stdout)
    assert remote.returncode == 1 and "dirty.txt" in remote.stdout
    assert "clean.txt" not in remote.stdout


def test_engine_ray_refuses_diff_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("好!\n", encoding="utf-8")
    result = run(tmp_path / "a.txt", "--diff", "--engine", "ray")
    assert result.returncode == 2
    assert "use the local engine" in result.stderr


def test_one_large_input_is_cut_into_parts_that_clean_as_the_whole(tmp_path: Path) -> None:
    # No cluster needed: the functions the workers run, called here.
    rows = records()
    many = [dict(row, id=k) for k in range(PART_CHARS // 20_000 + 2) for row in rows]
    write_jsonl(tmp_path / "big.jsonl", many)
    table = pa.Table.from_pylist([dict(rows[k % len(rows)], id=k)
                                  for k in range(2 * PARQUET_BATCH_ROWS + 5)])
    pq.write_table(table, tmp_path / "big.parquet")
    assert main([str(tmp_path / "big.jsonl"), str(tmp_path / "big.parquet"),
                 "-o", str(tmp_path / "local"), "-q", "--jobs", "1"]) == 0

    opts = Options()
    jsonl = _read_parts({"index": 0, "path": str(tmp_path / "big.jsonl"), "format": "jsonl"},
                        opts)
    assert len(jsonl) > 1
    assert jsonl[0]["first"] == 0 and jsonl[1]["first"] > 0
    assert all(p["payload"].endswith(b"\n") for p in jsonl)
    cleaned = b"".join(_clean_part(p, opts)["payload"] for p in jsonl)
    assert cleaned == (tmp_path / "local" / "big.jsonl").read_bytes()

    # A text file is one part; above the chunk size it is cleaned in chunks, as locally.
    text = "".join((SAMPLES / "raw" / name).read_text(encoding="utf-8")
                   for name in sample_names())
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    small = Options(chunk_bytes=1 << 16)
    (part,) = _read_parts({"index": 2, "path": str(tmp_path / "big.txt"), "format": "text"},
                          small)
    assert len(part["payload"]) > small.chunk_bytes
    assert _clean_part(part, small)["payload"].decode("utf-8") == textclean.clean(text)

    parts = _read_parts({"index": 1, "path": str(tmp_path / "big.parquet"),
                         "format": "parquet"}, opts)
    assert len(parts) == 3
    out = [pa.ipc.open_stream(_clean_part(p, opts)["payload"]).read_all() for p in parts]
    assert pa.concat_tables(out).to_pylist() == \
        pq.read_table(tmp_path / "local" / "big.parquet").to_pylist()


def test_the_documented_json_writer_keeps_chinese_unescaped(cluster: None,
                                                             tmp_path: Path) -> None:
    # docs/scaling.md: Ray's write_json escapes non-ASCII unless told force_ascii=False.
    ds = clean_dataset(ray.data.from_items([{"text": "王毅:好!"}]))
    ds.write_json(str(tmp_path / "out"), force_ascii=False)
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert json.loads(written) == {"text": "王毅：好！"}
    assert "王毅：好！" in written


def test_the_object_store_fits_a_small_dev_shm(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil  # noqa: PLC0415
    from collections import namedtuple  # noqa: PLC0415

    import textclean.ray as engine  # noqa: PLC0415

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(1 << 30, 0, 1 << 30))
    assert engine._object_store() == 1 << 29  # half of a 1 GiB /dev/shm
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(64 << 20, 0, 64 << 20))
    assert engine._object_store() == engine.MIN_OBJECT_STORE  # a container's 64 MB
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(1 << 50, 0, 1 << 50))
    assert engine._object_store() is None  # Ray's default fits


def test_engine_ray_never_writes_over_an_input(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("王毅:好!\n", encoding="utf-8")
    (src / "b.jsonl").write_text('{"text": "好!"}\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    result = run(src, "-o", src, "--engine", "ray", "--jobs", "2")
    assert result.returncode == 2
    assert result.stderr.count("is the input folder") == 1  # one usage error (issue 21)
    # A file named alone, with its own folder as -o, is refused file by file.
    result = run(src / "a.txt", src / "b.jsonl", "-o", src, "--engine", "ray", "--jobs", "2")
    assert result.returncode == 2
    assert result.stderr.count("would overwrite the input (use --in-place") == 2
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


def test_engine_ray_fails_one_output_and_writes_the_others(tmp_path: Path) -> None:
    """An output whose commit fails (a folder stands where it goes) is reported and
    leaves no temporary file; the other outputs are still written (issue 17)."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text("王毅:好!\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "b.txt").mkdir(parents=True)
    result = run(src, "-o", out, "--engine", "ray", "--jobs", "2")
    assert result.returncode == 2, result.stderr
    assert "b.txt" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file()} == {
        "a.txt": "王毅：好！\n", "c.txt": "王毅：好！\n"}
    assert not list(out.rglob(".*"))
