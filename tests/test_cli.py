"""The command line, run as the real console script in a subprocess, point by point."""

from __future__ import annotations

import contextlib
import gzip
import json
import multiprocessing
import os
import pty
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import textclean
from tests.conftest import SAMPLES, sample_names

SCRIPT = Path(sys.executable).parent / "textclean"


def run(*args: str | Path, stdin: bytes = b"", cwd: Path | None = None,
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(SCRIPT), *map(str, args)], input=stdin, capture_output=True,
                          check=False, timeout=600, cwd=cwd)


def raw(name: str) -> str:
    return (SAMPLES / "raw" / name).read_text(encoding="utf-8")


def gold(name: str) -> str:
    return (SAMPLES / "gold" / name).read_text(encoding="utf-8")


def cleaned(name: str) -> str:
    """The library's output for a raw sample: the gold text (the final newline follows
    the input's)."""
    out = textclean.clean(raw(name))
    assert out.rstrip("\n") == gold(name).rstrip("\n")
    return out


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The raw samples in a folder with a subfolder, a hidden file and a non-text file."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for name in sample_names():
        (src / name).write_text(raw(name), encoding="utf-8")
    (src / "sub" / "nested.txt").write_text("中国 外交\n", encoding="utf-8")
    (src / ".hidden.txt").write_text("中国 外交\n", encoding="utf-8")
    (src / "notes.md").write_text("中国 外交\n", encoding="utf-8")
    return src


def test_the_console_script_is_installed() -> None:
    assert SCRIPT.exists(), "run `pip install -e '.[test]'` first (the README's test command)"


# --- Where input comes from and output goes ------------------------------------------------


def test_stdin_to_stdout() -> None:
    proc = run(stdin="王毅:好!\n".encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == "王毅：好！\n"
    assert run("-", stdin="5 月 24 日".encode()).stdout.decode() == "5月24日"


def test_one_file_to_stdout(tmp_path: Path) -> None:
    name = sample_names()[0]
    (tmp_path / name).write_text(raw(name), encoding="utf-8")
    proc = run(tmp_path / name)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == cleaned(name)


def test_folder_to_output_folder(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run(corpus, "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    expected = {name: cleaned(name).encode() for name in sample_names()}
    expected["sub/nested.txt"] = "中国外交\n".encode()
    assert tree(out) == expected  # hidden and non-.txt files are not taken


def test_glob_chooses_the_files(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(corpus, "-o", out, "--glob", "*.md", "--glob", "sub/*.txt").returncode == 0
    assert sorted(tree(out)) == ["notes.md", "sub/nested.txt"]


def test_output_folder_inside_input_is_never_read(corpus: Path) -> None:
    out = corpus / "out"
    assert run(corpus, "-o", out).returncode == 0
    first = tree(out)
    assert run(corpus, "-o", out).returncode == 0
    assert tree(out) == first
    assert not (out / "out").exists()


def test_output_onto_the_input_is_refused(corpus: Path) -> None:
    before = tree(corpus)
    proc = run(corpus, "-o", corpus)
    assert proc.returncode == 2
    assert b"--in-place" in proc.stderr
    assert tree(corpus) == before


def test_two_inputs_onto_one_output_is_a_usage_error(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text("中国 外交\n", encoding="utf-8")
    proc = run(tmp_path / "a" / "x.txt", tmp_path / "b", "-o", tmp_path / "out")
    assert proc.returncode == 2
    assert b"would both be written to" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_folder_without_output_is_a_usage_error(corpus: Path) -> None:
    proc = run(corpus)
    assert proc.returncode == 2
    assert b"-o/--output" in proc.stderr


def test_in_place_rewrites_only_what_changes(tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.txt"
    clean = tmp_path / "clean.txt"
    dirty.write_text("王毅:好!\n", encoding="utf-8")
    clean.write_text("王毅：好！\n", encoding="utf-8")
    dirty.chmod(0o640)
    os.utime(clean, (1_000_000_000, 1_000_000_000))
    proc = run(tmp_path, "--in-place")
    assert proc.returncode == 0, proc.stderr.decode()
    assert dirty.read_text(encoding="utf-8") == "王毅：好！\n"
    assert dirty.stat().st_mode & 0o777 == 0o640
    assert clean.stat().st_mtime == 1_000_000_000  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.txt", "dirty.txt"]


# --- Reports ----------------------------------------------------------------------------------


def test_check_lists_changes_and_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    before = tree(corpus)
    proc = run(corpus, "--check")
    assert proc.returncode == 1
    listed = proc.stdout.decode().splitlines()
    assert len(listed) == len(sample_names()) + 1
    assert all(line.startswith("would change: ") for line in listed)
    assert tree(corpus) == before
    golds = tmp_path / "gold"
    golds.mkdir()
    for name in sample_names():
        (golds / name).write_text(gold(name), encoding="utf-8")
    proc = run(golds, "--check")
    assert proc.returncode == 0 and proc.stdout == b""


def test_diff_is_a_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("第一段。\n王毅:好!\n", encoding="utf-8")
    proc = run(path, "--diff")
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines() == [
        f"--- a/{path}", f"+++ b/{path}", "@@ -1,2 +1,2 @@",
        " 第一段。", "-王毅:好!", "+王毅：好！",
    ]
    assert path.read_text(encoding="utf-8") == "第一段。\n王毅:好!\n"
    assert run(path, "--diff", "--check").returncode == 1


def test_explain_gives_edits_with_offsets_into_the_input(tmp_path: Path) -> None:
    name = "003_2020_spaced_numbers.txt"
    text = raw(name)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    proc = run(path, "--explain")
    assert proc.returncode == 0, proc.stderr.decode()
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    explanation = textclean.clean_and_explain(text)
    edits = [r for r in records if not r.get("kept")]
    kept = [r for r in records if r.get("kept")]
    assert len(edits) == sum(len(step.edits) for step in explanation.steps)
    assert len(kept) == sum(len(step.kept) for step in explanation.steps) > 0
    first_rule = explanation.steps[0].rule
    fields = {"file", "rule", "start", "end", "line", "before", "after"}
    for record in kept:
        # A line break the layout phase kept, and the clause that kept it.
        assert record["rule"] == "join_wrapped_lines" and record["clause"]
        assert record["before"] == record["after"] == "\n" == text[record["start"]]
    for record in records:
        if record["rule"] == "join_wrapped_lines" and "\n" in record["before"]:
            assert record["clause"], record  # every join and break names its clause
            assert set(record) - fields <= {"clause", "kept"}
            continue
        assert set(record) == fields
        assert record["file"] == str(path)
        assert 0 <= record["start"] <= record["end"] <= len(text)
        assert record["line"] == text.count("\n", 0, record["start"]) + 1
        if record["rule"] == first_rule:  # nothing before it moved the text
            assert text[record["start"]:record["end"]] == record["before"]
    spaces = [r for r in records if r["rule"] == "remove_cjk_spaces"]
    assert spaces and all(text[r["start"]:r["end"]] == " " for r in spaces)


# --- Formats -------------------------------------------------------------------------------


def test_jsonl_cleans_one_field_and_keeps_the_rest(tmp_path: Path) -> None:
    records = [
        {"id": 1, "text": "王毅:好!", "meta": {"tags": ["a", "中"]}},
        {"id": 2, "text": "中国外交", "title": "5 月"},
        {"id": 3, "text": None},
        {"id": 4, "body": "1 2 0 多亿", "text": 7},
        {"id": 5, "text": "1 2 0 多亿", "z": 1.5},
    ]
    lines = [json.dumps(r, ensure_ascii=i % 2 == 0) for i, r in enumerate(records)]
    path = tmp_path / "in" / "corpus.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    crlf = tmp_path / "in" / "crlf.jsonl"
    crlf.write_text('{"text": "好\u20285 月"}\r\n\n{"text": "5 月"}', encoding="utf-8",
                    newline="")
    out = tmp_path / "out"
    proc = run(path.parent, "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    got = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in got] == [
        {"id": 1, "text": "王毅：好！", "meta": {"tags": ["a", "中"]}},
        records[1], records[2], records[3],
        {"id": 5, "text": "120多亿", "z": 1.5},
    ]
    # Only the field's value is rewritten (unescaped); every other byte stays.
    assert got[0] == '{"id": 1, "text": "王毅：好！", "meta": {"tags": ["a", "\\u4e2d"]}}'
    assert got[1:4] == lines[1:4]  # unchanged records are kept byte for byte
    assert got[4] == '{"id": 5, "text": "120多亿", "z": 1.5}'
    # U+2028 and \r end no record (the cleaner makes U+2028 a line break in the text)
    assert (out / "crlf.jsonl").read_bytes().decode() == (
        '{"text": "好\\n5月"}\r\n\n{"text": "5月"}')
    proc = run(path, "--field", "body", "--format", "jsonl")
    assert json.loads(proc.stdout.decode().splitlines()[3])["body"] == "120多亿"


def test_jsonl_keeps_every_other_byte_of_a_changed_record(tmp_path: Path) -> None:
    """Only the cleaned field may change: numbers Python would round or call Infinity,
    duplicate keys and spacing stay as written (issue 17)."""
    path = tmp_path / "c.jsonl"
    head = '{"id":1e400, "n": 12345678901234567890.123,"text":"王毅:好!",'
    path.write_text(head + '"text" : "再见 ,", "tail":{"a":[1,{"text":"5 月"}]}}\n',
                    encoding="utf-8")
    proc = run(path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == (
        '{"id":1e400, "n": 12345678901234567890.123,"text":"王毅：好！",'
        '"text" : "再见，", "tail":{"a":[1,{"text":"5 月"}]}}\n')


def test_jsonl_output_is_valid_utf8_and_json(tmp_path: Path) -> None:
    """A lone surrogate (a JSON escape) never reaches the output as bytes: the cleaner
    repairs it, and with that rule off it is written as an escape."""
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "中\\ud800国 ,", "x": "\\udc00"}\n', encoding="utf-8")
    for extra in ((), ("--disable", "repair_surrogates")):
        proc = run(path, *extra)
        assert proc.returncode == 0, proc.stderr.decode()
        line = proc.stdout.decode("utf-8")  # strict: raises on ED A0 80
        record = json.loads(line)
        assert record["text"] in ("中\ufffd国，", "中\ud800国，")
        assert '"x": "\\udc00"' in line


def test_jsonl_huge_numbers_and_deep_nesting_are_named(tmp_path: Path) -> None:
    """Valid JSON that Python's int conversion refuses is cleaned and kept as written; a
    value nested beyond the parser's depth is bad input (exit 2), named, not a crash."""
    big = tmp_path / "big.jsonl"
    big.write_text('{"n": ' + "7" * 5000 + ', "text": "5 月"}\n', encoding="utf-8")
    proc = run(big)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == '{"n": ' + "7" * 5000 + ', "text": "5月"}\n'
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "5 月", "d": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
                    encoding="utf-8")
    proc = run(deep)
    assert proc.returncode == 2
    assert "deep.jsonl: line 1: a JSON value nested too deep" in proc.stderr.decode()
    assert "internal error" not in proc.stderr.decode()


@pytest.mark.parametrize("codec", ["base64", "rot13", "zlib"])
def test_a_codec_that_is_no_text_encoding_is_a_usage_error(tmp_path: Path,
                                                           codec: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text("中 国\n", encoding="utf-8")
    proc = run(path, "--encoding", codec)
    assert proc.returncode == 2
    assert "is not a text encoding" in proc.stderr.decode()


def test_jsonl_explain_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "好"}\n{"text": "5 月"}\n', encoding="utf-8")
    proc = run(path, "--explain")
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [(r["record"], r["field"], r["start"], r["before"]) for r in records] == [
        (2, "text", 1, " ")]


def test_bad_jsonl_line_is_reported_and_gets_no_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad.jsonl").write_text('{"text": "好"}\n{"text": \n', encoding="utf-8")
    (src / "good.jsonl").write_text('{"text": "5 月"}\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run(src, "-o", out)
    assert proc.returncode == 2
    assert "bad.jsonl: line 2" in proc.stderr.decode()
    assert tree(out) == {"good.jsonl": '{"text": "5月"}\n'.encode()}


def test_parquet_round_trip(tmp_path: Path) -> None:
    table = pa.table({
        "id": pa.array([1, 2, 3], type=pa.int32()),
        "text": ["王毅:好!", None, "1 2 0 多亿"],
        "score": [0.5, 1.5, 2.5],
    }).replace_schema_metadata({"source": "test"})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    out = tmp_path / "out"
    proc = run(path, "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    got = pq.read_table(out / "t.parquet")
    assert got.schema == table.schema
    assert got.schema.metadata[b"source"] == b"test"
    assert got.column("text").to_pylist() == ["王毅：好！", None, "120多亿"]
    assert got.column("id").to_pylist() == [1, 2, 3]
    assert got.column("score").to_pylist() == [0.5, 1.5, 2.5]
    proc = run(path, "--check")
    assert proc.returncode == 1
    proc = run(path, "--field", "nope", "-o", tmp_path / "out2")
    assert proc.returncode == 2 and b"no column 'nope'" in proc.stderr


# --- Encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16", "utf-8-sig", "utf-32"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = "据新华社北京 5 月 24 日电\n王毅:今年是 2 0 2 1 年,开启了\"云外交\"模式。\n"
    if encoding == "big5":
        text = "據新華社北京 5 月 24 日電\n王毅:今年是 2 0 2 1 年,開啟了\"雲外交\"模式。\n"
    path = tmp_path / "in.txt"
    path.write_bytes(text.encode(encoding))
    proc = run(path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == textclean.clean(text)
    named = run(path, "--encoding", encoding)
    assert named.stdout == proc.stdout


def test_explicit_encoding_errors_and_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes("中文报纸".encode("gb18030"))
    proc = run(path, "--encoding", "utf-8")
    assert proc.returncode == 2 and b"offset 0" in proc.stderr
    proc = run(path, "--encoding", "no-such-codec")
    assert proc.returncode == 2 and b"unknown encoding" in proc.stderr


def test_bad_files_among_good_ones(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("中国 外交\n", encoding="utf-8")
    (src / "b.txt").write_bytes("你好".encode() + b" \xff\xfe broken")
    (src / "c.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    (src / "d.txt").write_text("5 月 24 日\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run(src, "-o", out, tmp_path / "missing.txt")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "b.txt: not UTF-8: byte 0xff at offset 7" in err
    assert "c.txt: binary file (NUL byte at offset 7)" in err
    assert "missing.txt: no such file" in err
    assert tree(out) == {"a.txt": "中国外交\n".encode(), "d.txt": "5月24日\n".encode()}


# --- Large files, parallel runs, interrupts ----------------------------------------------------


def big_dump(path: Path, copies: int) -> str:
    text = "".join(raw(name) + "\n\n" for name in sample_names()) * copies
    path.write_text(text, encoding="utf-8")
    return text


def test_large_file_in_chunks_equals_whole(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    text = big_dump(path, 3)
    whole = run(path, "--chunk-size", str(10 * len(text.encode())))
    chunked = run(path, "--chunk-size", "5000")
    assert whole.returncode == chunked.returncode == 0, chunked.stderr.decode()
    assert chunked.stdout == whole.stdout == textclean.clean(text).encode()
    stdin = run("--chunk-size", "5000", stdin=text.encode())
    assert stdin.stdout == whole.stdout
    out = tmp_path / "out"
    assert run(path, "-o", out, "--chunk-size", "5000").returncode == 0
    assert (out / "dump.txt").read_bytes() == whole.stdout
    assert run(out / "dump.txt", "--check", "--chunk-size", "5000").returncode == 0
    assert run(path, "--check", "--chunk-size", "5000").returncode == 1


def test_closed_stdout_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    big_dump(path, 2)
    for chunk_size in ("1000", "100000000"):
        proc = subprocess.run(f"'{SCRIPT}' '{path}' --chunk-size {chunk_size} | head -c 10",
                              shell=True, capture_output=True, check=False, timeout=120,
                              executable="/bin/bash")
        assert proc.stdout.decode("utf-8", "replace").startswith("两会回")
        assert proc.stderr == b""


def test_jsonl_from_stdin() -> None:
    proc = run("--format", "jsonl", stdin='{"text": "5 月", "n": 1}\n'.encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == '{"text": "5月", "n": 1}\n'


def test_jobs_2_equals_jobs_1(corpus: Path, tmp_path: Path) -> None:
    for k in range(6):
        (corpus / f"copy{k}.txt").write_text(raw(sample_names()[k % 5]), encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    p1 = run(corpus, "-o", one, "--jobs", "1")
    p2 = run(corpus, "-o", two, "--jobs", "2")
    assert p1.returncode == p2.returncode == 0
    assert tree(one) == tree(two) and len(tree(one)) == 12
    c1, c2 = run(corpus, "--check", "-j", "1"), run(corpus, "--check", "-j", "2")
    assert (c1.returncode, c1.stdout) == (c2.returncode, c2.stdout)


@contextlib.contextmanager
def _ctrl_c_back() -> Iterator[None]:
    """Start children with SIGINT as a terminal gives it. A shell starts background jobs
    with SIGINT ignored (a CI step run with ``&``), and a child would inherit that; a
    handled signal is reset to the default in the child."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _interrupt(args: list[str | Path], wait_for: Path, min_files: int, tmp: Path,
               sig: int = signal.SIGINT) -> int:
    tmp.mkdir()
    with _ctrl_c_back():
        proc = subprocess.Popen([str(SCRIPT), *map(str, args)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(tmp)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len([p for p in wait_for.rglob("*.txt") if not p.name.startswith(".")]) \
                >= min_files:
            break
        time.sleep(0.05)
    proc.send_signal(sig)
    proc.wait(timeout=120)
    return proc.returncode


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("chunk_size", ["20000", "100000000"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_leaves_no_partial_output(tmp_path: Path, jobs: str, chunk_size: str,
                                            sig: int) -> None:
    """Interrupted (Ctrl-C) or terminated while files are in flight: whole outputs or
    none, no temporary files (with the chunk size small, files go through the chunked
    cleaner's temporary store)."""
    src = tmp_path / "in"
    src.mkdir()
    for k in range(12):
        big_dump(src / f"dump{k:02}.txt", 2)
    expected = textclean.clean((src / "dump00.txt").read_text(encoding="utf-8")).encode()
    out = tmp_path / "out"
    code = _interrupt([src, "-o", out, "--jobs", jobs, "--chunk-size", chunk_size], out, 2,
                      tmp_path / "tmp", sig)
    assert code == 128 + sig
    written = tree(out)
    assert 2 <= len(written) < 12, "the run was interrupted midway"
    assert all(name.startswith("dump") and data == expected for name, data in written.items())
    assert not list(out.rglob(".*")), "no temporary output file is left"
    assert not list((tmp_path / "tmp").iterdir()), "no temporary store is left"


def test_interrupt_in_place_never_truncates_an_input(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for k in range(12):
        big_dump(src / f"dump{k:02}.txt", 2)
    original = (src / "dump00.txt").read_bytes()
    cleaned = textclean.clean(original.decode()).encode()
    with _ctrl_c_back():
        proc = subprocess.Popen([str(SCRIPT), str(src), "--in-place", "--jobs", "1"],
                                stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(p.read_bytes() == cleaned for p in src.glob("dump*.txt")) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    states = [p.read_bytes() for p in sorted(src.glob("dump*.txt"))]
    assert len(states) == 12 and all(s in (original, cleaned) for s in states)
    assert 2 <= states.count(cleaned) < 12
    assert not list(src.glob(".*"))


def test_progress_only_on_a_terminal(corpus: Path, tmp_path: Path) -> None:
    for k in range(10):
        big_dump(corpus / f"dump{k}.txt", 2)
    quiet = run(corpus, "-o", tmp_path / "a", "-j", "1")
    assert b"\r" not in quiet.stderr
    code, seen = on_a_terminal(corpus, "-o", tmp_path / "b", "-j", "1", stream="stderr",
                               progress_after=0.0)
    assert code == 0
    assert b"\rtextclean: " in seen and b"/16 files" in seen


# --- Exit codes, rules, version -----------------------------------------------------------------


def test_internal_error_exits_123_and_names_the_file(tmp_path: Path) -> None:
    """A bug in a rule: reported with the file, the other files still cleaned."""
    (tmp_path / "a.txt").write_text("王毅:好!Ã\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("5 月\n", encoding="utf-8")
    code = (
        # (the rule the compiled engine calls back into Python for: ftfy's, on a text
        # with a character of its hint, Ã)
        "import sys, textclean.rules.characters as c\n"
        "def broken(text):\n"
        "    if '王' in text: raise RuntimeError('rule bug')\n"
        "    return text\n"
        "c.repair_mojibake.__code__ = broken.__code__\n"
        "from textclean.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path), "-o",
                           str(tmp_path / "out"), "-j", "1"],
                          capture_output=True, check=False, timeout=120)
    assert proc.returncode == 123
    assert "a.txt: internal error: RuntimeError: rule bug" in proc.stderr.decode()
    assert tree(tmp_path / "out") == {"b.txt": "5月\n".encode()}


def test_list_rules_and_unknown_rule() -> None:
    proc = run("--list-rules")
    assert proc.returncode == 0 and b"join_wrapped_lines" in proc.stdout
    proc = run("--disable", "no_such_rule", stdin=b"x")
    assert proc.returncode == 2 and b"known rules" in proc.stderr
    proc = run("--preset", "conservative", stdin=b"-\xe5\xb9\xb4\xe6\x9d\xa5")
    assert proc.stdout.decode() == "-年来"
    proc = run("--preset", "none", "--enable", "remove_cjk_spaces", stdin="王毅 :好!".encode())
    assert proc.stdout.decode() == "王毅:好!"
    proc = run("--disable", "widen_cjk_punctuation", stdin="王毅 :好!".encode())
    assert proc.stdout.decode() == "王毅:好!"


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and textclean.__version__ in proc.stdout.decode()


# --- --field (issue 21) ----------------------------------------------------------------------


def test_field_with_stdin_read_as_text_is_refused() -> None:
    """`cat x.jsonl | textclean --field body` must not clean the JSON as prose."""
    proc = run("--field", "body", stdin='{"body": "王毅:好!"}\n'.encode())
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"--format jsonl" in proc.stderr
    proc = run("--field", "body", "--format", "jsonl", stdin='{"body": "王毅:好!"}\n'.encode())
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"body": "王毅：好！"}


def test_field_with_a_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text('{"body": "王毅:好!"}\n', encoding="utf-8")
    proc = run(path, "--field", "body")
    assert proc.returncode == 2 and b"a.txt" in proc.stderr and b"read as text" in proc.stderr


def test_a_field_no_record_has_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": 1, "doc": {"body": "王毅:好!"}}\n{"id": 2}\n', encoding="utf-8")
    for field, hint in (("body", b"'body'"), ("doc.body", b"nested")):
        proc = run(path, "--field", field, "-o", tmp_path / "out")
        assert proc.returncode == 2, proc.stderr
        assert b"c.jsonl" in proc.stderr and hint in proc.stderr
        assert b"id, doc" in proc.stderr
        assert not (tmp_path / "out" / "c.jsonl").exists()
    proc = run(path, "--field", "id", "--check")
    assert proc.returncode == 2 and b"no record has a string field 'id'" in proc.stderr


def test_a_repeated_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"title": "好", "body": "好"}\n', encoding="utf-8")
    proc = run(path, "--field", "title", "--field", "body")
    assert proc.returncode == 2 and b"--field given 2 times" in proc.stderr


# --- Usage errors found before any file is read (issue 21) -------------------------------------


def test_an_unknown_conversion_is_one_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("王毅:好!\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("好!\n", encoding="utf-8")
    proc = run(tmp_path, "--check", "--convert", "bogus")
    assert proc.returncode == 2
    assert proc.stderr.count(b"unknown OpenCC configuration 'bogus'") == 1
    assert b"internal error" not in proc.stderr


def test_an_output_folder_that_cannot_be_made_is_one_usage_error(corpus: Path) -> None:
    proc = run(corpus, "-o", "/proc/textclean-out")
    assert proc.returncode == 2
    assert proc.stderr.count(b"/proc/textclean-out") == 1 and b"cannot be made" in proc.stderr


def test_the_input_folder_as_output_is_one_usage_error(corpus: Path) -> None:
    before = tree(corpus)
    proc = run(corpus, "-o", corpus)
    assert proc.returncode == 2 and proc.stderr.count(b"input folder") == 1
    assert tree(corpus) == before


def test_output_folder_with_stdin_is_refused(tmp_path: Path) -> None:
    proc = run("-o", tmp_path / "out", stdin="王毅:好!\n".encode())
    assert proc.returncode == 2 and b"drop -o" in proc.stderr and proc.stdout == b""


def test_a_folder_with_nothing_to_take_says_what_it_skipped(tmp_path: Path) -> None:
    (tmp_path / "A.TXT").write_text("好\n", encoding="utf-8")
    (tmp_path / "b.txt.bz2").write_bytes(b"BZh")
    proc = run(tmp_path, "-o", tmp_path.parent / "out")
    assert proc.returncode == 2
    assert b"no file to take" in proc.stderr and b"A.TXT, b.txt.bz2" in proc.stderr


def test_parquet_is_not_written_to_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["王毅:好!"]}), path)
    leader, follower = pty.openpty()
    proc = subprocess.run([str(SCRIPT), str(path)], stdin=subprocess.DEVNULL, stdout=follower,
                          stderr=subprocess.PIPE, timeout=600, check=False)
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 2 and b"Parquet is binary" in proc.stderr
    piped = run(path)  # stdout a pipe: the bytes go where they are sent
    assert piped.returncode == 0 and piped.stdout.startswith(b"PAR1")


def test_a_small_run_starts_no_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start only with BYTES_PER_WORKER of input for each (issue 21)."""
    from textclean import cli  # noqa: PLC0415
    from textclean.formats import Options  # noqa: PLC0415

    def no_pool(method: str) -> None:
        raise AssertionError("a pool was started for a small run")

    tasks = []
    for k in range(3):
        path = tmp_path / f"{k}.txt"
        path.write_text("王毅:好!\n", encoding="utf-8")
        tasks.append(cli.Task(str(path), path, tmp_path / f"{k}.out", "text"))
    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    outcomes = list(cli._process_all(tasks, Options(), 8, quiet=True))
    assert [o.changed for o in outcomes] == [True, True, True]
    big = tmp_path / "big.txt"
    big.write_text("好。\n" * (2 * cli.BYTES_PER_WORKER // 7 + 1), encoding="utf-8")
    tasks.append(cli.Task(str(big), big, tmp_path / "big.out", "text"))
    with pytest.raises(AssertionError, match="a pool was started"):
        list(cli._process_all(tasks, Options(), 8, quiet=True))


def on_a_terminal(*args: str | Path, stream: str = "stdout",
                  env: dict[str, str] | None = None,
                  progress_after: float | None = None) -> tuple[int, bytes]:
    """Run the command with ``stream`` (stdout or stderr) a terminal and the other
    thrown away: its exit code, and what it printed to the terminal. With
    ``progress_after``, the command shows its progress line after that many seconds
    (not after cli.PROGRESS_AFTER: how long a run takes depends on the machine)."""
    leader, follower = pty.openpty()
    command = [str(SCRIPT)]
    if progress_after is not None:
        command = [sys.executable, "-c",
                   "import sys, textclean.cli as cli\n"
                   f"cli.PROGRESS_AFTER = {progress_after!r}\n"
                   "sys.exit(cli.main(sys.argv[1:]))\n"]
    proc = subprocess.Popen([*command, *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=follower if stream == "stdout" else subprocess.DEVNULL,
                            stderr=follower if stream == "stderr" else subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    os.close(follower)
    seen = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    code = proc.wait(timeout=600)
    os.close(leader)
    return code, seen


def test_diff_is_coloured_on_a_terminal_only(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("王毅:好!\n", encoding="utf-8")
    _, shown = on_a_terminal(path, "--diff")
    assert b"\x1b[31m-" in shown and b"\x1b[32m+" in shown
    assert b"\x1b[" not in on_a_terminal(path, "--diff", env={"NO_COLOR": "1"})[1]
    piped = run(path, "--diff")
    assert b"\x1b[" not in piped.stdout and b"+\xe7\x8e\x8b" in piped.stdout


def test_verbose_names_each_input(corpus: Path, tmp_path: Path) -> None:
    proc = run(corpus, "-o", tmp_path / "out", "-v", "-j", "1")
    assert proc.returncode == 0
    names = [line for line in proc.stderr.decode().splitlines() if line.endswith("changed")]
    taken = [p for p in corpus.rglob("*.txt") if not p.name.startswith(".")]
    assert len(names) == len(taken) and all(str(p) in proc.stderr.decode() for p in taken)
    assert run(corpus, "--check", "-q", "-v").returncode == 2  # exclusive


# --- [tool.textclean] in pyproject.toml (issue 21) -----------------------------------------


def _project(tmp_path: Path, table: str) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.textclean]\n{table}",
                                         encoding="utf-8")
    (root / "docs" / "a.txt").write_text("-年来，中国 外交\n", encoding="utf-8")
    (root / "docs" / "b.md").write_text("中国 外交\n", encoding="utf-8")
    return root


def test_settings_come_from_the_project_pyproject(tmp_path: Path) -> None:
    root = _project(tmp_path, 'preset = "conservative"\nglob = ["*.md", "*.txt"]\n')
    # Looked for from the inputs' folder up: run from elsewhere, with a file inside.
    proc = run(root / "docs", "--check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.decode().count("would change") == 2  # *.md taken too
    out = run(root / "docs" / "a.txt", cwd=tmp_path).stdout.decode()
    assert out == "-年来，中国外交\n"  # conservative: no dash read as 一
    # The command line wins.
    out = run(root / "docs" / "a.txt", "--preset", "default", cwd=tmp_path).stdout.decode()
    assert out == "一年来，中国外交\n"


def test_settings_stop_at_the_repository_top(tmp_path: Path) -> None:
    root = _project(tmp_path, 'preset = "conservative"\n')
    (tmp_path / "pyproject.toml").write_text('[tool.textclean]\npreset = "none"\n',
                                             encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    # The project's file has no table and .git marks its top: the outer file is not read.
    out = run(root / "docs" / "a.txt", cwd=tmp_path).stdout.decode()
    assert out == "一年来，中国外交\n"


@pytest.mark.parametrize(("table", "message"), [
    ('presett = "none"\n', b"no setting 'presett'"),
    ('enable = "repair_lookalikes"\n', b"enable must be a list of strings"),
    ('paragraph-separator = "tab"\n', b"must be one of"),
    ('disable = ["no_such_rule"]\n', b"no_such_rule"),
    ("preset = \n", b"cannot be read as TOML"),
])
def test_a_bad_setting_is_a_usage_error(tmp_path: Path, table: str, message: bytes) -> None:
    root = _project(tmp_path, table)
    proc = run(root / "docs" / "a.txt", cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert proc.stdout == b""


def test_one_large_file_shows_progress_in_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    big_dump(path, 2)
    while path.stat().st_size < 2 * (1 << 20):
        path.write_text(path.read_text(encoding="utf-8") * 2, encoding="utf-8")
    code, seen = on_a_terminal(path, "-o", tmp_path / "out", stream="stderr",
                               progress_after=0.0)
    assert code == 0
    shares = [int(m) for m in re.findall(rb"\rtextclean: 0/1 files, about [0-9.]+ of "
                                         rb"[0-9.]+ MB \(([0-9]+)%\)", seen)]
    assert shares and shares == sorted(shares), seen


def test_gzip_inputs_are_read_and_written_compressed(tmp_path: Path) -> None:
    """A folder of .txt.gz and .jsonl.gz dumps is taken; each output is gzip too."""
    src = tmp_path / "in"
    src.mkdir()
    with gzip.open(src / "a.txt.gz", "wt", encoding="utf-8") as f:
        f.write("王毅:好!\n")
    with gzip.open(src / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write('{"text": "5 月"}\n')
    with gzip.open(src / "c.txt.gz", "wt", encoding="utf-8") as f:
        f.write("王毅：好！\n")
    assert run(src, "--check").returncode == 1
    proc = run(src, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    assert gzip.decompress((out / "a.txt.gz").read_bytes()).decode() == "王毅：好！\n"
    assert json.loads(gzip.decompress((out / "b.jsonl.gz").read_bytes())) == {"text": "5月"}
    assert gzip.decompress((out / "c.txt.gz").read_bytes()).decode() == "王毅：好！\n"
    # The same input gives the same bytes (no time stamp in the gzip header).
    again = run(src, "-o", tmp_path / "out2")
    assert again.returncode == 0
    assert (tmp_path / "out2" / "a.txt.gz").read_bytes() == (out / "a.txt.gz").read_bytes()
    # Large ones stream in chunks, with the same output.
    big = src / "big.txt.gz"
    with gzip.open(big, "wt", encoding="utf-8") as f:
        f.write("王毅:好!\n" * 5000)
    chunked = run(big, "--chunk-size", "1", "-o", tmp_path / "out3")
    assert chunked.returncode == 0, chunked.stderr
    assert gzip.decompress((tmp_path / "out3" / "big.txt.gz").read_bytes()).decode() == (
        "王毅：好！\n" * 5000)
    assert run(big, "--check", "--chunk-size", "1").returncode == 1


def test_workers_run_and_the_parent_collects_garbage_after(tmp_path: Path) -> None:
    """The parent freezes its objects for the fork (so that the workers' collectors
    leave the pages they inherit alone) and unfreezes them once the pool is started:
    a program that runs the command line in-process keeps collecting."""
    import gc  # noqa: PLC0415

    from textclean import cli  # noqa: PLC0415
    from textclean.formats import Options  # noqa: PLC0415

    tasks = []
    for k in range(2):
        path = tmp_path / f"{k}.txt"
        path.write_text("王毅:好!\n" * (cli.BYTES_PER_WORKER // 10), encoding="utf-8")
        tasks.append(cli.Task(str(path), path, tmp_path / f"{k}.out", "text"))
    outcomes = list(cli._process_all(tasks, Options(), 2, quiet=True))
    assert [o.changed for o in outcomes] == [True, True]
    assert (tmp_path / "1.out").read_text(encoding="utf-8").startswith("王毅：好！\n")
    assert gc.get_freeze_count() == 0
