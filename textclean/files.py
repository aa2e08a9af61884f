"""Files for the command line: which inputs a run takes, and writing outputs atomically."""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePath
from typing import BinaryIO

from textclean.encodings import Readable

#: File names a folder walk takes, per format, when no --glob is given.
DEFAULT_GLOBS = {
    "text": ("*.txt", "*.txt.gz"),
    "jsonl": ("*.jsonl", "*.ndjson", "*.jsonl.gz", "*.ndjson.gz"),
    "parquet": ("*.parquet",),
}
DEFAULT_GLOBS["auto"] = tuple(g for globs in DEFAULT_GLOBS.values() for g in globs)


_SURROGATE = re.compile("[\ud800-\udfff]")


def display(text: str) -> str:
    r"""Text for a person's eyes (stderr, stdout, a report page), always writable as UTF-8.

    A file name that is not UTF-8 comes from the system with its bytes as surrogate
    escapes: each is shown as ``\xNN``; any other surrogate as U+FFFD.

    >>> display('a\udcffb.txt'), display('好')
    ('a\\xffb.txt', '好')
    """
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}"
                          if 0xDC80 <= ord(m.group()) <= 0xDCFF
                          else "\N{REPLACEMENT CHARACTER}", text)


@dataclass(frozen=True)
class Input:
    """One input file and where its output goes, relative to the output folder."""

    path: Path
    relative: PurePath


def matches(relative: PurePath, globs: Sequence[str]) -> bool:
    """Whether a path (relative to the folder walked) matches one of the globs.

    A glob matches from the right, so ``*.txt`` takes text files at any depth and
    ``2021/*.txt`` those of any folder named 2021.

    >>> matches(PurePath('a/b/c.txt'), ['*.txt']), matches(PurePath('a/c.md'), ['*.txt'])
    (True, False)
    """
    return any(relative.match(glob) for glob in globs)


def skipped_files(root: Path, globs: Sequence[str]) -> list[str]:
    """The files a walk of ``root`` passes over because no glob takes their names
    (hidden ones aside), relative to ``root``, sorted."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            relative = (Path(folder) / file).relative_to(root)
            if not file.startswith(".") and not matches(relative, globs):
                out.append(str(relative))
    return out


def discover(paths: Sequence[str], globs: Sequence[str],
             exclude: Sequence[Path] = (), problems: list[str] | None = None,
             ) -> Iterator[Input]:
    """The input files: files named as they are, folders walked recursively.

    A folder walk is sorted (the same order on every machine), skips hidden files and
    folders (``.git``, and the temporary files of an unfinished output), takes the file
    names that match ``globs``, and never enters a folder of ``exclude`` (the output
    folder). A file named twice is taken once. An entry the walk cannot take (a
    symbolic link in a loop or to nothing, a folder it may not read, a path too long)
    is skipped with a message added to ``problems``: one bad entry never stops the walk.
    """
    excluded = {_resolved(p) for p in exclude}
    seen: set[Path] = set()
    problems = problems if problems is not None else []
    for name in paths:
        root = Path(name)
        if not root.is_dir():
            resolved = _resolved(root)
            if resolved is None or _is_fifo(root):
                problems.append(f"{name}: {_why_unusable(root)}")
            elif resolved not in seen:
                seen.add(resolved)
                yield Input(root, PurePath(root.name))
            continue

        for folder, dirs, files in os.walk(root, onerror=partial(_walk_error, problems)):
            here = Path(folder)
            dirs[:] = sorted(
                d for d in dirs
                if not d.startswith(".") and _resolved(here / d) not in excluded
            )
            for file in sorted(files):
                path = here / file
                relative = path.relative_to(root)
                if file.startswith(".") or not matches(relative, globs):
                    continue
                resolved = _resolved(path)
                if resolved is None:
                    problems.append(f"{path}: {_why_unusable(path)}")
                    continue
                if resolved in seen:
                    continue
                try:
                    regular = path.is_file()
                except OSError as exc:
                    problems.append(f"{path}: {exc.strerror or exc}")
                    continue
                if not regular:
                    if path.is_symlink() or _is_fifo(path):
                        problems.append(f"{path}: {_why_unusable(path)}")
                    continue
                seen.add(resolved)
                yield Input(path, relative)


def _walk_error(problems: list[str], exc: OSError) -> None:
    problems.append(f"{exc.filename}: cannot read this folder ({exc.strerror or exc})")


def _resolved(path: Path) -> Path | None:
    """The path with every symbolic link followed; None where that cannot be done (a
    link in a loop, a path too long)."""
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError):
        return None


def _is_fifo(path: Path) -> bool:
    try:
        return stat.S_ISFIFO(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _why_unusable(path: Path) -> str:
    """Why a path named or met in a walk is no file to clean."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link in a loop"
        if exc.errno == errno.ENOENT and path.is_symlink():
            return "a symbolic link to nothing"
        return exc.strerror or str(exc)
    except (RuntimeError, ValueError) as exc:
        return str(exc)
    if _is_fifo(path):
        return "a named pipe, not a file (read it with: textclean < PIPE)"
    return "not a regular file"


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


#: Bytes of the output's name kept in its temporary file's name: with the dot, the
#: random part and the suffix, it stays under NAME_MAX (255) for any name.
_TMP_NAME_BYTES = 200


def _tmp_prefix(name: str) -> str:
    """``.NAME.`` for the temporary file, NAME cut to fit a file name's length limit."""
    raw = os.fsencode(name)
    if len(raw) > _TMP_NAME_BYTES:
        raw = raw[:_TMP_NAME_BYTES]
        while raw and raw[-1] & 0xC0 == 0x80:  # not half a UTF-8 character
            raw = raw[:-1]
        if raw and raw[-1] >= 0xC0:
            raw = raw[:-1]
    return f".{os.fsdecode(raw)}."


class AtomicOutput:
    """An output file written to a temporary file beside it, renamed into place at the end.

    Until :meth:`commit` the target is untouched; on an error or an interrupt the
    temporary file is removed, so a partial output never exists under the target's name.
    A target that is a symbolic link is written through: the file it points to is
    replaced, and the link stays. The replaced file's mode, and its owner where the run
    may set it, are kept; a file with several hard links is rewritten in place (once the
    whole output is ready), so that every link sees the new text.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        # Write through a symbolic link: its target is the file to replace.
        self.final = Path(os.path.realpath(target)) if target.is_symlink() else target
        self.final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(self.final.name), suffix=".tmp",
                                   dir=self.final.parent)
        self.tmp = Path(tmp)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        # An output named .gz is written gzip-compressed (no time stamp: the same
        # input gives the same bytes).
        self.handle: BinaryIO = (
            gzip.GzipFile(fileobj=self._file, mode="wb", mtime=0)  # type: ignore[assignment]
            if is_compressed(target) else self._file)

    def _close(self) -> None:
        self.handle.close()
        self._file.close()

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        """Put the output in place (keeping the mode and owner of a file it replaces).

        If this fails (a full disk at the last flush, a folder in the way), the
        temporary file is removed and the target stays as it was.
        """
        try:
            self._close()
            try:
                old = os.stat(self.final)
            except FileNotFoundError:
                old = None
            if old is None:
                os.chmod(self.tmp, _default_mode())
            else:
                os.chmod(self.tmp, old.st_mode & 0o7777)
                if (old.st_uid, old.st_gid) != _owner(self.tmp):
                    with contextlib.suppress(PermissionError):
                        os.chown(self.tmp, old.st_uid, old.st_gid)
                if old.st_nlink > 1 and not os.path.isdir(self.final):
                    self._rewrite_in_place()
                    return
            os.replace(self.tmp, self.final)
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise

    def _rewrite_in_place(self) -> None:
        """Copy the finished output over a hard-linked file, keeping its inode."""
        with self.tmp.open("rb") as src, self.final.open("r+b") as dst:
            shutil.copyfileobj(src, dst)
            dst.truncate()
            dst.flush()
            os.fsync(dst.fileno())
        self.tmp.unlink()

    def discard(self) -> None:
        """Forget the output: the target stays as it was."""
        # If the last flush fails (a full disk), the file goes all the same.
        with contextlib.suppress(OSError):
            self._close()
        self.tmp.unlink(missing_ok=True)


def is_compressed(path: Path | PurePath) -> bool:
    """Whether a file is read and written gzip-compressed: its name ends in .gz."""
    return path.name.lower().endswith(".gz")


def open_source(path: Path) -> BinaryIO:
    """An input file opened for reading, decompressed if it is gzip (:func:`is_compressed`)."""
    if is_compressed(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _owner(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[AtomicOutput]:
    """Write ``target`` atomically: committed when the block ends without an exception.

    The block may call ``out.discard()`` itself to leave the target as it was.
    """
    out = AtomicOutput(target)
    try:
        yield out
    except BaseException:
        out.discard()
        raise
    if not out.handle.closed:
        out.commit()


class HashingReader:
    """A binary file that keeps a digest of the bytes read from it."""

    def __init__(self, handle: Readable) -> None:
        self._handle = handle
        self.digest = hashlib.blake2b(digest_size=20)

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data
