"""The command line, run as a real console script in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import textclean
from tests.conftest import SAMPLES


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "textclean", *args], input=stdin,
                          capture_output=True, check=False, timeout=120)


def test_stdin_to_stdout() -> None:
    proc = run(stdin="王毅:好!\n".encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == "王毅：好！\n"


def test_folder_to_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run(str(SAMPLES / "raw"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    for gold in (SAMPLES / "gold").glob("*.txt"):
        got = (out / gold.name).read_text(encoding="utf-8")
        assert got.rstrip("\n") == gold.read_text(encoding="utf-8").rstrip("\n")
    assert not list(out.glob(".*.tmp")), "no temporary file is left behind"


def test_bad_file_among_good_ones(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("中国 外交\n", encoding="utf-8")
    (src / "b.txt").write_bytes(b"\xc4\xe3\xba\xc3 \xff\xfe broken")
    (src / "c.txt").write_text("5 月 24 日\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run(str(src), "-o", str(out))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "b.txt" in err and "offset" in err
    assert (out / "a.txt").read_text(encoding="utf-8") == "中国外交\n"
    assert (out / "c.txt").read_text(encoding="utf-8") == "5月24日\n"
    assert not (out / "b.txt").exists()


def test_output_folder_inside_input_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("中国 外交\n", encoding="utf-8")
    assert run(str(tmp_path), "-o", str(tmp_path / "out")).returncode == 0
    assert run(str(tmp_path), "-o", str(tmp_path / "out")).returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["a.txt"]


def test_list_rules_and_unknown_rule() -> None:
    proc = run("--list-rules")
    assert proc.returncode == 0 and b"join_wrapped_lines" in proc.stdout
    proc = run("--disable", "no_such_rule", stdin=b"x")
    assert proc.returncode == 2 and b"known rules" in proc.stderr


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and textclean.__version__ in proc.stdout.decode()
