"""Files for the command line: which inputs a run takes, and writing outputs atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from textclean.encodings import Readable

#: File names a folder walk takes, per format, when no --glob is given.
DEFAULT_GLOBS = {
    "text": ("*.txt",),
    "jsonl": ("*.jsonl", "*.ndjson"),
    "parquet": ("*.parquet",),
}
DEFAULT_GLOBS["auto"] = tuple(g for globs in DEFAULT_GLOBS.values() for g in globs)


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


def discover(paths: Sequence[str], globs: Sequence[str],
             exclude: Sequence[Path] = ()) -> Iterator[Input]:
    """The input files: files named as they are, folders walked recursively.

    A folder walk is sorted (the same order on every machine), skips hidden files and
    folders (``.git``, and the temporary files of an unfinished output), takes the file
    names that match ``globs``, and never enters a folder of ``exclude`` (the output
    folder). A file named twice is taken once.
    """
    excluded = {p.resolve() for p in exclude}
    seen: set[Path] = set()
    for name in paths:
        root = Path(name)
        if not root.is_dir():
            resolved = root.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield Input(root, PurePath(root.name))
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(
                d for d in dirs
                if not d.startswith(".") and (here / d).resolve() not in excluded
            )
            for file in sorted(files):
                path = here / file
                relative = path.relative_to(root)
                if file.startswith(".") or not matches(relative, globs):
                    continue
                resolved = path.resolve()
                if resolved in seen or not path.is_file():
                    continue
                seen.add(resolved)
                yield Input(path, relative)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicOutput:
    """An output file written to a temporary file beside it, renamed into place at the end.

    Until :meth:`commit` the target is untouched; on an error or an interrupt the
    temporary file is removed, so a partial output never exists under the target's name.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.tmp = Path(tmp)
        self.handle: BinaryIO = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        """Put the output in place (keeping the permissions of a file it replaces)."""
        self.handle.close()
        if self.target.exists():
            shutil.copymode(self.target, self.tmp)
        else:
            os.chmod(self.tmp, _default_mode())
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        """Forget the output: the target stays as it was."""
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


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
