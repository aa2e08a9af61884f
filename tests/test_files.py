"""Files on the command line: nothing partial, nothing leaked, nothing aborted by one bad
entry (issue 17, item 3). Each test runs the real console script in a subprocess.

The disk-full test mounts a real small tmpfs; it needs root (CI runs as root) and is
skipped with the reason where mounting is not allowed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import textclean
from tests.test_cli import SCRIPT, big_dump, run, tree


def _src(tmp_path: Path, **files: str) -> Path:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


# --- One bad entry is reported; the others are cleaned ----------------------------------


def test_a_symlink_loop_is_reported_and_the_rest_cleaned(tmp_path: Path) -> None:
    src = _src(tmp_path, **{"a.txt": "5 月\n"})
    (src / "loop.txt").symlink_to("loop.txt")
    (src / "dangling.txt").symlink_to("nowhere.txt")
    out = tmp_path / "out"
    proc = run(src, "-o", out)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert "loop.txt: a symbolic link in a loop" in err
    assert "dangling.txt: a symbolic link to nothing" in err
    assert tree(out) == {"a.txt": "5月\n".encode()}


def test_a_path_too_long_to_walk_is_reported(tmp_path: Path) -> None:
    src = _src(tmp_path, **{"a.txt": "5 月\n"})
    # A chain of folders whose path exceeds PATH_MAX (4096): made step by step from
    # within, as no single path to it can be given.
    fd = os.open(src, os.O_RDONLY)
    try:
        for _ in range(40):
            os.mkdir("d" * 200, dir_fd=fd)
            new = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = new
    finally:
        os.close(fd)
    out = tmp_path / "out"
    proc = run(src, "-o", out)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "cannot read this folder" in err and "Traceback" not in err
    assert tree(out) == {"a.txt": "5月\n".encode()}
    shutil.rmtree(src, ignore_errors=True)  # rmtree copes with the depth; pytest may not


def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    """As a user without the right to read one subfolder (root reads everything, so
    as root the run drops the capabilities that override permission bits)."""
    base = Path(tempfile.mkdtemp(prefix="tc-unreadable-"))
    try:
        os.chmod(base, 0o755)
        src = base / "in"
        (src / "closed").mkdir(parents=True)
        (src / "a.txt").write_text("5 月\n", encoding="utf-8")
        (src / "closed" / "b.txt").write_text("5 月\n", encoding="utf-8")
        os.chmod(src, 0o755)
        os.chmod(src / "a.txt", 0o644)
        os.chmod(src / "closed", 0o000)
        command = [str(SCRIPT), str(src), "--check"]
        if os.geteuid() == 0:
            # Root stays root (the interpreter and the package may live in root's
            # private home) but loses the two capabilities that let it ignore
            # permission bits, so the folder's mode 000 holds for it too.
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to drop root's rights"
            command = [setpriv, "--bounding-set=-dac_override,-dac_read_search",
                       *command]
        proc = subprocess.run(command, capture_output=True, check=False, timeout=300,
                              cwd=base)
        err = proc.stderr.decode()
        assert proc.returncode == 2, err
        assert "closed: cannot read this folder" in err
        assert "would change" in proc.stdout.decode() and "a.txt" in proc.stdout.decode()
    finally:
        os.chmod(base / "in" / "closed", 0o755)
        shutil.rmtree(base)


def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    proc = run(fifo)
    assert proc.returncode == 2
    assert "a named pipe" in proc.stderr.decode()


# --- Outputs: whole or absent, never a temporary file left -------------------------------


@pytest.mark.parametrize("chunk_size", ["100000000", "20000"], ids=["whole", "streamed"])
def test_an_output_path_that_is_a_folder_leaves_nothing(tmp_path: Path,
                                                        chunk_size: str) -> None:
    src = _src(tmp_path, **{"b.txt": "6 月\n"})
    big_dump(src / "a.txt", 1)
    out = tmp_path / "out"
    (out / "a.txt").mkdir(parents=True)
    proc = run(src, "-o", out, "--chunk-size", chunk_size)
    assert proc.returncode == 2
    assert "a.txt" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    assert tree(out) == {"b.txt": "6月\n".encode()}
    assert not list(out.rglob(".*")), "no temporary file is left"


@contextlib.contextmanager
def _small_filesystem(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(where)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_full_disk_fails_that_output_alone_and_leaves_nothing(tmp_path: Path) -> None:
    """A real 64 KB filesystem. Outputs of growing sizes fill it at a write or at the
    last flush (the commit): each failure is reported, no temporary file is left, and
    the small output beside them is whole."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("5 月\n", encoding="utf-8")
    line = "中国 外交 部 发言人 表示\n"
    with _small_filesystem(tmp_path / "small", "64k") as out:
        failed = 0
        for size in range(40_000, 80_000, 5_000):
            (src / "big.txt").write_text(line * (size // len(line.encode())),
                                         encoding="utf-8")
            for chunk in ("100000000", "20000"):  # whole, and streamed in chunks
                proc = run(src, "-o", out, "--chunk-size", chunk, "-j", "1")
                err = proc.stderr.decode()
                assert "Traceback" not in err, err
                assert (out / "a.txt").read_bytes() == "5月\n".encode()
                assert not [p.name for p in out.rglob(".*")], "no temporary file is left"
                if proc.returncode == 2:
                    assert "big.txt: No space left on device" in err, err
                    assert not (out / "big.txt").exists()
                    failed += 1
                else:
                    assert proc.returncode == 0, err
                    expected = textclean.clean((src / "big.txt").read_text(encoding="utf-8"))
                    assert (out / "big.txt").read_text(encoding="utf-8") == expected
                for p in out.iterdir():
                    p.unlink()
        assert failed, "the disk filled up"


def test_a_long_file_name_is_written(tmp_path: Path) -> None:
    name = "长" * 80 + ".txt"  # 244 bytes: the temporary name must not exceed NAME_MAX
    assert len(name.encode()) > 240
    src = _src(tmp_path, **{name: "5 月\n"})
    out = tmp_path / "out"
    proc = run(src, "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    assert tree(out) == {name: "5月\n".encode()}


# --- --in-place: the file itself, its links, mode and owner -------------------------------


def test_in_place_writes_through_a_symlink_and_keeps_hard_links(tmp_path: Path) -> None:
    src = _src(tmp_path, **{"real.txt": "5 月\n", "linked.txt": "6 月\n"})
    os.symlink("real.txt", src / "link.txt")
    os.link(src / "linked.txt", tmp_path / "other-name.txt")
    os.chmod(src / "linked.txt", 0o640)
    proc = run(src / "link.txt", src / "linked.txt", "--in-place")
    assert proc.returncode == 0, proc.stderr.decode()
    assert (src / "link.txt").is_symlink(), "the link stays a link"
    assert (src / "real.txt").read_text(encoding="utf-8") == "5月\n"
    assert (tmp_path / "other-name.txt").read_text(encoding="utf-8") == "6月\n"
    assert os.stat(src / "linked.txt").st_ino == os.stat(tmp_path / "other-name.txt").st_ino
    assert os.stat(src / "linked.txt").st_mode & 0o777 == 0o640
    assert not [p for p in src.iterdir() if p.name.startswith(".")]


def test_in_place_keeps_the_owner(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file another owner to keep")
    src = _src(tmp_path, **{"a.txt": "5 月\n"})
    os.chown(src / "a.txt", 65534, 65534)
    proc = run(src / "a.txt", "--in-place")
    assert proc.returncode == 0, proc.stderr.decode()
    st = os.stat(src / "a.txt")
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert (src / "a.txt").read_text(encoding="utf-8") == "5月\n"


# --- --report -------------------------------------------------------------------------------


def test_report_paths_that_would_clash_are_usage_errors(tmp_path: Path) -> None:
    src = _src(tmp_path, **{"x.txt": "5 月\n"})
    out = tmp_path / "out"
    proc = run(src, "-o", out, "--report", out / "x.txt")
    assert proc.returncode == 2
    assert "would overwrite the output of" in proc.stderr.decode()
    assert not out.exists(), "nothing ran"
    folder = tmp_path / "folder"
    folder.mkdir()
    proc = run(src, "--check", "--report", folder)
    assert proc.returncode == 2
    assert "is a folder" in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_a_report_that_cannot_be_written_is_found_first(tmp_path: Path) -> None:
    src = _src(tmp_path, **{"x.txt": "5 月\n"})
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    proc = run(src, "--check", "--report", blocker / "r.html")
    assert proc.returncode == 2, "a usage error, not 1 (would change)"
    assert "cannot be written" in proc.stderr.decode()
    assert b"would change" not in proc.stdout, "found before the run"


def test_non_utf8_file_names_in_report_check_and_diff(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    name = b"caf\xe9.txt"  # Latin-1, not UTF-8
    (Path(os.fsdecode(src)) / os.fsdecode(name)).write_text("5 月\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    report = tmp_path / "r.html"
    for mode, code in (("--check", 1), ("--diff", 0)):
        proc = subprocess.run([str(SCRIPT), str(src), mode, "--report", str(report)],
                              capture_output=True, check=False, timeout=300, env=env)
        assert proc.returncode == code, proc.stderr.decode()
        assert "caf\\xe9.txt" in proc.stdout.decode("utf-8")
        assert "caf\\xe9.txt" in report.read_text(encoding="utf-8")


# --- Signals and scratch --------------------------------------------------------------------


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    """SIGKILL of the parent of -j 2: its workers end at once; none commits an output of
    a run that is over."""
    src = tmp_path / "in"
    src.mkdir()
    for k in range(12):
        big_dump(src / f"dump{k:02}.txt", 3)
    out = tmp_path / "out"
    proc = subprocess.Popen([str(SCRIPT), str(src), "-o", str(out), "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("dump*.txt"))) < 1:
        time.sleep(0.02)
    children = _children(proc.pid)
    assert children, "the workers are running"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    at_kill = sorted(p.name for p in out.glob("dump*.txt"))
    time.sleep(5)  # a worker left running would finish its file in about a second
    assert sorted(p.name for p in out.glob("dump*.txt")) == at_kill
    assert not [pid for pid in children if _running(pid)], "no worker outlives the parent"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_later_run_removes_scratch_a_killed_run_left(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp / f"textclean-{dead.pid}-abc123"
    (stale / "sub").mkdir(parents=True)
    live = tmp / f"textclean-{os.getpid()}-def456"
    live.mkdir()
    path = tmp_path / "dump.txt"
    big_dump(path, 2)
    proc = subprocess.run([str(SCRIPT), str(path), "--chunk-size", "20000", "--check"],
                          capture_output=True, check=False, timeout=300,
                          env={**os.environ, "TMPDIR": str(tmp)})
    assert proc.returncode == 1, proc.stderr.decode()
    assert not stale.exists(), "the dead run's scratch is gone"
    assert live.exists(), "a live process's scratch stays"
