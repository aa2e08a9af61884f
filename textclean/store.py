"""Where a document lives between two steps of the cleaner: in memory, or in a file.

The cleaner runs each step over a :class:`Doc` and writes the step's output into its
:class:`Store`. :class:`MemoryStore` keeps the text as one string (what
:func:`textclean.clean` uses); :class:`FileStore` keeps it in temporary UTF-8 files read
back in chunks, so that a document of any size is cleaned in bounded memory. Both run
the same steps in the same order, so they give the same text.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import hashlib
import itertools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Protocol

#: Characters read from a file at a time before the chunk is cut at its last line break.
#: The peak memory of a run grows with it: a 1 GB dump peaked at 528 MB of RSS with
#: 4 Mi characters, 193 MB (64 MB dump) with 1 Mi.
DEFAULT_CHUNK_CHARS = 1 << 20


class Doc(Protocol):
    """A document between two steps."""

    def chunks(self) -> Iterator[str]:
        """The document in chunks (each but the last ends with ``\\n``)."""

    @property
    def key(self) -> object:
        """Equal keys mean equal text (the text itself, or a digest of it)."""


class Store(Protocol):
    """Makes documents from the pieces a step writes."""

    def write(self, pieces: Iterable[str]) -> Doc:
        """A new document holding the concatenation of the pieces."""

    def release(self, doc: Doc) -> None:
        """Forget a document no step will read again."""


class TextDoc:
    """A short document: its text, one chunk, which is also its key.

    :func:`textclean.clean` keeps a document no longer than a chunk as this, with
    :class:`TextStore`: the steps see the same one chunk that :class:`MemoryDoc`
    would give them, without the bookkeeping of chunks (a pipeline cleaning millions
    of short documents pays it on every step).

    >>> list(TextDoc('一\\n二').chunks()), TextStore().write(['一', '\\n二']).key
    (['一\\n二'], '一\\n二')
    """

    __slots__ = ("key", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        #: The text itself.
        self.key: object = text

    def chunks(self) -> Iterator[str]:
        return iter((self.text,))


class TextStore:
    """Documents as :class:`TextDoc`: a step's pieces joined into one string."""

    def write(self, pieces: Iterable[str]) -> TextDoc:
        return TextDoc("".join(pieces))

    def release(self, doc: Doc) -> None:
        pass


class MemoryDoc:
    """A document held in memory: one string, or the chunks a step wrote.

    A step works on one chunk at a time (about ``chunk_chars`` characters, cut at
    line breaks), so that what a rule builds from its text (its lines, their
    features) is made for a chunk, not for the whole of a long document; and a step's
    output stays in its chunks, not copied into one string, until :attr:`text` is
    asked for.

    >>> list(MemoryDoc('一\\n二\\n三', chunk_chars=2).chunks())
    ['一\\n', '二\\n', '三']
    >>> MemoryDoc(parts=['一\\n', '二']).text
    '一\\n二'
    """

    def __init__(self, text: str = "", chunk_chars: int = DEFAULT_CHUNK_CHARS, *,
                 parts: list[str] | None = None) -> None:
        #: The text in pieces, each but the last ending with a line break.
        self._parts = parts if parts is not None else [text] if text else []
        self.chunk_chars = chunk_chars
        self._digest: bytes | None = None

    @property
    def text(self) -> str:
        """The whole text."""
        return self._parts[0] if len(self._parts) == 1 else "".join(self._parts)

    def chunks(self) -> Iterator[str]:
        size = self.chunk_chars
        for text in self._parts:
            start, n = 0, len(text)
            while start < n:
                if n - start <= size:
                    yield text[start:] if start else text
                    break
                cut = text.rfind("\n", start, start + size) + 1
                if cut <= start:  # a line longer than a chunk stays whole
                    cut = text.find("\n", start + size) + 1 or n
                yield text[start:cut]
                start = cut

    @property
    def key(self) -> object:
        """The text itself, or for a text longer than a chunk a digest of it (as
        :class:`FileDoc` has): the runner keeps the keys of texts it has seen, which
        must not keep those texts alive."""
        parts = self._parts
        if not parts:
            return ""
        # By the text's length, not by how it is held: the same text in one part or
        # in two has the same key (else a step that only regroups it would seem to
        # change it, and its phase would never settle).
        if sum(map(len, parts)) <= self.chunk_chars:
            return parts[0] if len(parts) == 1 else "".join(parts)
        if self._digest is None:
            digest = hashlib.blake2b(digest_size=20)
            size = self.chunk_chars
            for text in parts:
                for start in range(0, len(text), size):
                    digest.update(text[start:start + size].encode("utf-8", "surrogatepass"))
            self._digest = digest.digest()
        return self._digest


class MemoryStore:
    """Documents in memory, each in the chunks its step wrote."""

    def __init__(self, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> None:
        self.chunk_chars = chunk_chars

    def write(self, pieces: Iterable[str]) -> MemoryDoc:
        it = iter(pieces)
        first, second = next(it, ""), next(it, None)
        if second is None:  # one piece (a short document): kept as it is
            return MemoryDoc(first, self.chunk_chars)
        parts = cut_at_line_breaks(itertools.chain((first, second), it), self.chunk_chars)
        return MemoryDoc(parts=list(parts), chunk_chars=self.chunk_chars)

    def release(self, doc: Doc) -> None:
        """Forget a version of a document the runner is done with. A long one's chunks
        go now, and the memory they held goes back to the system
        (:func:`return_free_memory`): else glibc's heap, fragmented by the engine's
        large short-lived buffers between the chunks that stay, keeps it, and a 48 MB
        document grew the process by 3.5 times its size instead of 2.8."""
        if isinstance(doc, MemoryDoc) and len(doc._parts) > 1:
            doc._parts = []
            doc._digest = None
            return_free_memory()


def return_free_memory() -> None:
    """Give the C library's free heap memory back to the system, where the C library
    is glibc (``malloc_trim``); elsewhere nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    return trim


def cut_at_line_breaks(texts: Iterable[str], chunk_chars: int) -> Iterator[str]:
    """Regroup text pieces into chunks that end with ``\\n`` (all but the last).

    A chunk holds at least ``chunk_chars`` characters where the text allows; a line
    longer than that stays whole in one chunk.

    >>> list(cut_at_line_breaks(['一\\n二', '三\\n四'], 1))
    ['一\\n', '二三\\n', '四']
    """
    pending: list[str] = []
    size = 0
    for text in texts:
        if not text:
            continue
        pending.append(text)
        size += len(text)
        if size < chunk_chars:
            continue
        joined = "".join(pending)
        cut = joined.rfind("\n") + 1
        if cut == 0:
            pending, size = [joined], len(joined)
            continue
        yield joined[:cut]
        rest = joined[cut:]
        pending, size = ([rest], len(rest)) if rest else ([], 0)
    if pending:
        yield "".join(pending)


class FileDoc:
    """A document in a UTF-8 file of the store's."""

    def __init__(self, path: Path, digest: bytes, chunk_chars: int) -> None:
        self.path = path
        self.digest = digest
        self.chunk_chars = chunk_chars

    def _texts(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        with self.path.open("rb") as handle:
            while block := handle.read(self.chunk_chars):
                yield decoder.decode(block)
        yield decoder.decode(b"", final=True)

    def chunks(self) -> Iterator[str]:
        return cut_at_line_breaks(self._texts(), self.chunk_chars)

    @property
    def key(self) -> object:
        return self.digest


#: A scratch folder's name: the prefix, the process id of its owner, a dash, a random part.
SCRATCH_PREFIX = "textclean-"
_SCRATCH_NAME = re.compile(rf"{SCRATCH_PREFIX}([0-9]+)-[A-Za-z0-9_]+")


def sweep_scratch(folder: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders that runs killed outright (SIGKILL, a power cut) left
    in ``folder`` (default the system's temporary folder): those named for a process
    that no longer exists. A folder of a live process, or of another user's, stays.
    Returns the folders removed."""
    where = Path(folder) if folder is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            match = _SCRATCH_NAME.fullmatch(entry.name)
            if not match or not entry.is_dir(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if _alive(int(match.group(1))):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


class FileStore:
    """Documents in temporary files in one folder, removed by :meth:`close`."""

    def __init__(self, folder: str | Path | None = None,
                 chunk_chars: int = DEFAULT_CHUNK_CHARS) -> None:
        sweep_scratch(folder)
        self._dir = tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-",
                                                dir=folder)
        self.chunk_chars = chunk_chars
        self._count = 0

    def write(self, pieces: Iterable[str]) -> FileDoc:
        self._count += 1
        path = Path(self._dir.name) / f"step{self._count}.txt"
        digest = hashlib.blake2b(digest_size=20)
        buffered: list[str] = []
        size = 0
        with path.open("wb") as handle:
            for piece in pieces:
                buffered.append(piece)
                size += len(piece)
                if size >= self.chunk_chars:
                    data = "".join(buffered).encode("utf-8", "surrogatepass")
                    digest.update(data)
                    handle.write(data)
                    buffered, size = [], 0
            data = "".join(buffered).encode("utf-8", "surrogatepass")
            digest.update(data)
            handle.write(data)
        return FileDoc(path, digest.digest(), self.chunk_chars)

    def release(self, doc: Doc) -> None:
        if isinstance(doc, FileDoc):
            doc.path.unlink(missing_ok=True)

    def close(self) -> None:
        self._dir.cleanup()

    def __enter__(self) -> FileStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

