"""Cleaning one input of the command line: a text file, a JSONL corpus or a Parquet table.

Each function reads one input, cleans it, and according to the mode writes the output
atomically, or only reports: whether it would change (``--check``), a unified diff
(``--diff``), or the edits as JSON lines (``--explain``). Nothing here writes to an
input unless the run is ``--in-place``, and then only when the output differs.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import re
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from textclean.encodings import DecodeError, Readable, decode, iter_decode
from textclean.explain import Explanation, source_edits
from textclean.files import AtomicOutput, HashingReader, atomic_output, is_compressed, open_source
from textclean.pipeline import Cleaner, Config
from textclean.report import DocumentReport, document_report
from textclean.store import DEFAULT_CHUNK_CHARS, cut_at_line_breaks

#: Files larger than this are cleaned in chunks, in bounded memory. Cleaning a text whole
#: takes about 30 times its UTF-8 size at the peak (4 MB: +170 MB of RSS), so only
#: small files are read whole.
DEFAULT_CHUNK_BYTES = 1 << 20
#: Rows of a Parquet file read, cleaned and written at a time.
PARQUET_BATCH_ROWS = 4096
#: A surrogate code point: not a character, and not writable as UTF-8.
SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """Text as UTF-8 for an output: a surrogate left in it (only when the rule that repairs
    them is switched off) becomes U+FFFD, so that every output is valid UTF-8."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE.sub("\N{REPLACEMENT CHARACTER}", text).encode("utf-8")


class InputError(Exception):
    """An input that cannot be read, decoded or parsed; the message says where and why."""


@dataclass(frozen=True)
class Options:
    """What a run does with each input (picklable: it is sent to worker processes)."""

    config: Config = field(default_factory=Config)
    format: str = "auto"             #: auto, text, jsonl or parquet
    field: str = "text"              #: the field of a JSONL record or Parquet column
    encoding: str = "auto"
    mode: str = "write"              #: write, check, diff or explain
    in_place: bool = False
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    report: bool = False             #: collect each document's edits for --report


@dataclass(frozen=True)
class Job:
    """One input: its name for messages, where it is read and where its output goes.

    ``source`` None reads ``stdin``; ``target`` None writes ``stdout`` (in write mode).
    """

    name: str
    source: Path | None
    target: Path | None
    opts: Options
    stdin: Readable | None = None
    stdout: BinaryIO | None = None
    #: Told how many bytes of output each piece made, as they are made: a progress
    #: line's measure of how far into the input the cleaning is (about as long).
    progress: Callable[[int], None] | None = None

    def open_input(self) -> Readable:
        return open_source(self.source) if self.source is not None else (
            self.stdin or sys.stdin.buffer)

    def close_input(self, handle: Readable) -> None:
        if isinstance(handle, io.IOBase) and self.source is not None:
            handle.close()

    def output(self) -> AtomicOutput | None:
        """The atomic output file, in write mode with a target."""
        if self.opts.mode == "write" and self.target is not None:
            return AtomicOutput(self.target)
        return None

    def sink(self) -> BinaryIO | None:
        """Where output goes when it is not a file: stdout, in write mode."""
        if self.opts.mode == "write" and self.target is None:
            return self.stdout or sys.stdout.buffer
        return None


@dataclass
class Outcome:
    """What happened to one input."""

    name: str                        #: the input as the user named it
    changed: bool = False
    error: str | None = None         #: a message for stderr: the input is bad
    internal: bool = False           #: the error is a bug of textclean's
    report: str = ""                 #: diff or explanation for stdout
    #: The changes of each document, for the HTML report (with --report only).
    documents: list[DocumentReport] = field(default_factory=list)


def format_of(path: Path | None, fmt: str) -> str:
    """The format of an input: as given, or from the file name's extension.

    >>> format_of(Path('a.jsonl'), 'auto'), format_of(Path('a.txt'), 'auto')
    ('jsonl', 'text')
    >>> format_of(Path('a.jsonl.gz'), 'auto'), format_of(Path('a.txt.gz'), 'auto')
    ('jsonl', 'text')
    """
    if fmt != "auto":
        return fmt
    if path is None:
        return "text"
    name = path.name.lower().removesuffix(".gz") if is_compressed(path) else path.name.lower()
    suffix = PurePath(name).suffix
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}.get(suffix, "text")


_CLEANERS: dict[Config, Cleaner] = {}


def cleaner_of(config: Config) -> Cleaner:
    """One cleaner per configuration in each process."""
    if config not in _CLEANERS:
        _CLEANERS[config] = Cleaner(config)
    return _CLEANERS[config]


def _explain_lines(name: str, raw: str, explanation: Explanation,
                   where: dict[str, Any] | None = None) -> list[str]:
    """The JSON lines of the edits of one explained document."""
    lines = []
    for edit in source_edits(raw, explanation.steps, kept=True):
        record: dict[str, Any] = {"file": name, **(where or {})}
        record.update(rule=edit.rule, start=edit.start, end=edit.end,
                      line=raw.count("\n", 0, edit.start) + 1,
                      before=edit.before, after=edit.after)
        if edit.why:
            record["clause"] = edit.why
        if edit.kept:
            record["kept"] = True
        lines.append(json_dumps(record) + "\n")
    return lines


def _clean_document(job: Job, cleaner: Cleaner, text: str, *, reports: list[str],
                    documents: list[DocumentReport],
                    where: dict[str, Any] | None = None) -> str:
    """Clean one document; with --explain add its edits to ``reports``, with --report
    its changes to ``documents``."""
    opts = job.opts
    if opts.mode != "explain" and not opts.report:
        return cleaner.clean(text)
    explanation = cleaner.explain(text)
    if opts.mode == "explain":
        reports.extend(_explain_lines(job.name, text, explanation, where))
    if opts.report:
        label = ", ".join(f"{k} {v}" for k, v in (where or {}).items() if k != "field")
        documents.append(document_report(job.name, text, explanation.steps, label))
    return explanation.text


def unified_diff(before: str, after: str, name: str, label: str = "") -> str:
    """A unified diff of two texts, headed ``a/NAME`` and ``b/NAME``."""
    where = f" {label}" if label else ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{name}{where}", tofile=f"b/{name}{where}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _finish(output: AtomicOutput | None, outcome: Outcome, opts: Options) -> None:
    """Put an output in place; in place of an input, only if it changed."""
    if output is None:
        return
    if outcome.changed or not opts.in_place:
        output.commit()
    else:
        output.discard()


# --- Text -----------------------------------------------------------------------------


def clean_text(job: Job) -> Outcome:
    """Clean a text file (or stdin) into its target (or stdout, or nothing)."""
    name, source, target, opts = job.name, job.source, job.target, job.opts
    cleaner = cleaner_of(opts.config)
    streamable = opts.mode in ("write", "check") and not opts.report
    if source is not None:
        if streamable and source.stat().st_size > opts.chunk_bytes:
            return _clean_text_streamed(job, cleaner)
        with open_source(source) as handle:
            data = handle.read()
    else:
        # stdin: whole if it is small, else in chunks (what was read goes first).
        stdin: Readable = job.stdin or sys.stdin.buffer
        data = stdin.read(opts.chunk_bytes + 1) if streamable else stdin.read()
        if len(data) > opts.chunk_bytes:
            job = replace(job, stdin=_Prefixed(data, stdin))
            return _clean_text_streamed(job, cleaner)
    try:
        text, _ = decode(data, opts.encoding)
    except DecodeError as exc:
        raise InputError(exc.reason) from None
    outcome = Outcome(name)
    reports: list[str] = []
    out = _clean_document(job, cleaner, text, reports=reports, documents=outcome.documents)
    outcome.report = "".join(reports)
    out_bytes = utf8(out)
    outcome.changed = out_bytes != data
    if opts.mode == "diff" and out != text:
        outcome.report = unified_diff(text, out, name)
    if opts.mode == "write":
        if target is None:
            sink = job.sink()
            assert sink is not None  # write mode without a target
            sink.write(out_bytes)
        else:
            with atomic_output(target) as output:
                output.write(out_bytes)
                _finish(output, outcome, opts)
    return outcome


def stream_block(opts: Options) -> int:
    """Characters per chunk when a text is cleaned in chunks."""
    return max(1 << 16, min(opts.chunk_bytes, DEFAULT_CHUNK_CHARS))


def _clean_text_streamed(job: Job, cleaner: Cleaner) -> Outcome:
    """Clean text in chunks: bounded memory, and the same output as cleaning it whole."""
    block = stream_block(job.opts)
    outcome = Outcome(job.name)
    _stream(job, outcome, lambda chunks: cleaner.clean_chunks(chunks, chunk_chars=block),
            block)
    return outcome


def _stream(job: Job, outcome: Outcome,
            produce: Callable[[Iterator[str]], Iterator[str]], block: int = 1 << 20) -> None:
    """Decode the input in blocks, write what ``produce`` makes of it, and tell whether
    the output's bytes differ from the input's."""
    handle = job.open_input()
    output = job.output()
    sink = job.sink()
    reader = HashingReader(handle)
    pieces = produce(_decoded(iter_decode(reader, job.opts.encoding, block=block)))
    try:
        digest = hashlib.blake2b(digest_size=20)
        for piece in pieces:
            data = utf8(piece)
            digest.update(data)
            if job.progress is not None:
                job.progress(len(data))
            if output is not None:
                output.write(data)
            elif sink is not None:
                sink.write(data)
    except BaseException:
        if output is not None:
            output.discard()
        raise
    finally:
        # Unwind the producer now (its temporary files go with it), even when a worker
        # is stopped by SIGTERM while the producer waits.
        if isinstance(pieces, Generator):
            pieces.close()
        job.close_input(handle)
    outcome.changed = digest.digest() != reader.digest.digest()
    _finish(output, outcome, job.opts)


class _Prefixed:
    """A binary stream with bytes already read put back in front."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        if len(data) < size:  # a full read, as a buffered file gives until the end
            data += self._rest.read(size - len(data))
        return data


def _decoded(chunks: Iterator[str]) -> Iterator[str]:
    try:
        yield from chunks
    except DecodeError as exc:
        raise InputError(exc.reason) from None


# --- JSONL ------------------------------------------------------------------------------


def clean_jsonl(job: Job) -> Outcome:
    """Clean one field of every record of a JSON Lines file, record by record.

    A record whose field is not a string (or is missing) is kept as it is; so is the
    line of every record the cleaning does not change. In a changed record only the
    field's value is rewritten (Chinese unescaped); every other byte stays as it was.
    """
    records = _JsonlRecords(job)
    _stream(job, records.outcome, records.run)
    records.outcome.report = "".join(records.reports)
    return records.outcome


class _JsonlRecords:
    """The records of one JSON Lines input, cleaned line by line."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.cleaner = cleaner_of(job.opts.config)
        self.outcome = Outcome(job.name)
        self.reports: list[str] = []
        #: The top-level keys of the first record (None before one is read), and
        #: whether any record holds the field as a string.
        self.first_keys: list[str] | None = None
        self.found = False

    def run(self, chunks: Iterator[str]) -> Iterator[str]:
        """The cleaned file, in pieces; InputError at its end if it has records but
        none holds the field as a string (a wrong ``--field`` must not pass for a
        file with nothing to clean)."""
        number = 0
        for chunk in cut_at_line_breaks(chunks, 1 << 20):
            out, number = self.lines(chunk, number)
            yield out
        if self.first_keys is not None and not self.found:
            name = self.job.opts.field
            seen = ", ".join(self.first_keys) or "none"
            nested = (" (nested fields are not read: name a top-level one)"
                      if "." in name and name.split(".")[0] in self.first_keys else "")
            raise InputError(f"no record has a string field {name!r}{nested}; the first "
                             f"record's fields: {seen}")

    def lines(self, chunk: str, number: int) -> tuple[str, int]:
        """Whole lines of the file (the last may lack its line break), cleaned, and the
        number of the last record; ``number`` is the record before the first line."""
        out_lines: list[str] = []
        # Only \n ends a record: U+2028 and a lone \r may stand inside a JSON string.
        lines = chunk.split("\n")
        last = lines.pop()  # "" after a final \n, else a last line without one
        for line in lines:
            number += 1
            out_lines.append(self.line(number, line) + "\n")
        if last:
            number += 1
            out_lines.append(self.line(number, last))
        return "".join(out_lines), number

    def line(self, number: int, line: str) -> str:
        """One line of the file, cleaned: only the bytes of the field's value change."""
        opts = self.job.opts
        body = line.rstrip("\r")
        if not body.strip():
            return line
        check_json(body, number)
        if self.first_keys is None:
            self.first_keys = [key for key, _, _, _ in members(body)]
        pieces: list[str] = []
        done = 0
        for start, end, text in field_values(body, opts.field):
            self.found = True
            where = {"record": number, "field": opts.field}
            out = _clean_value(self.job, self.cleaner, text, where, reports=self.reports,
                               documents=self.outcome.documents)
            if out != text:
                pieces += [body[done:start], json_dumps(out)]
                done = end
        if not pieces:
            return line
        return "".join(pieces) + line[done:]


def check_json(body: str, number: int) -> None:
    """Raise InputError, naming the line, unless ``body`` is one JSON value.

    Numbers are not converted (a 5,000-digit integer is valid JSON, which Python's int
    conversion refuses), and a value nested deeper than the parser can go is reported.
    """
    try:
        json.loads(body, parse_int=str, parse_float=str, parse_constant=str,
                   object_pairs_hook=_ignore)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number}, column {exc.colno}: not JSON ({exc.msg})") \
            from None
    except RecursionError:
        raise InputError(f"line {number}: a JSON value nested too deep to read "
                         f"(over {sys.getrecursionlimit()} levels)") from None


def _ignore(pairs: list[tuple[str, Any]]) -> None:
    return None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _after_space(body: str, pos: int) -> int:
    """The first position at or after ``pos`` that is not JSON white space."""
    match = _JSON_SPACE.match(body, pos)
    assert match is not None  # the pattern matches the empty string anywhere
    return match.end()
_JSON_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null|NaN|-?Infinity")
_JSON_STRUCTURE = re.compile(r'["\[\]{}]')


def field_values(body: str, name: str) -> Iterator[tuple[int, int, str]]:
    """Where the string values of the top-level key ``name`` stand in a JSON object:
    (start, end, value) for each, ``body[start:end]`` being the value as written,
    quotes included; none when ``body`` is not an object. Every occurrence of a
    duplicated key is given. ``body`` must be valid JSON (:func:`check_json`)."""
    for key, start, end, value in members(body):
        if key == name and value is not None:
            yield start, end, value


def members(body: str) -> Iterator[tuple[str, int, int, str | None]]:
    """The top-level members of a JSON object: (key, start, end, value), the value a
    string or None when it is of another type; none when ``body`` is not an object.
    ``body`` must be valid JSON (:func:`check_json`)."""
    pos = _after_space(body, 0)
    if not body.startswith("{", pos):
        return
    pos += 1
    while True:
        pos = _after_space(body, pos)
        if body.startswith("}", pos):
            return
        key, pos = scanstring(body, pos + 1)
        pos = _after_space(body, _after_space(body, pos) + 1)  # past the ':'
        start = pos
        if body.startswith('"', pos):
            value, pos = scanstring(body, pos + 1)
            yield key, start, pos, value
        else:
            pos = _skip_value(body, pos)
            yield key, start, pos, None
        pos = _after_space(body, pos)
        if body.startswith(",", pos):
            pos += 1
        else:
            return


def _skip_value(body: str, pos: int) -> int:
    """The end of the (non-string) JSON value at ``pos``, without recursion."""
    if body[pos] not in "[{":
        match = _JSON_SCALAR.match(body, pos)
        return match.end() if match else pos
    depth = 0
    while True:
        match = _JSON_STRUCTURE.search(body, pos)
        assert match is not None, "check_json lets only valid JSON through"
        ch, pos = match.group(), match.end()
        if ch == '"':
            _, pos = scanstring(body, pos)
        elif ch in "[{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return pos


def json_dumps(value: Any) -> str:
    """JSON of ``value``, Chinese unescaped; a lone surrogate (which UTF-8 cannot carry)
    is written as its ``\\uXXXX`` escape, so the output stays valid UTF-8 and JSON."""
    dumped = json.dumps(value, ensure_ascii=False)
    if SURROGATE.search(dumped):
        dumped = SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
    return dumped


def _clean_value(job: Job, cleaner: Cleaner, text: str, where: dict[str, Any], *,
                 reports: list[str], documents: list[DocumentReport]) -> str:
    """Clean one field value; add its explanation, diff or changes to the lists."""
    out = _clean_document(job, cleaner, text, reports=reports, documents=documents,
                          where=where)
    if out != text and job.opts.mode == "diff":
        label = ", ".join(f"{k} {v}" for k, v in where.items())
        reports.append(unified_diff(text, out, job.name, f"({label})"))
    return out


# --- Parquet ------------------------------------------------------------------------------


def clean_parquet(job: Job) -> Outcome:
    """Clean one string column of a Parquet file, batch by batch.

    Every other column, the schema (with its metadata) and the row order are kept.
    Needs pyarrow (``pip install 'textclean-zh[parquet]'``).
    """
    try:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        raise InputError(
            "Parquet needs pyarrow: pip install 'textclean-zh[parquet]'") from None
    opts = job.opts
    cleaner = cleaner_of(opts.config)
    outcome = Outcome(job.name)
    if job.source is None:
        handle = job.open_input()
        src: Any = pa.BufferReader(handle.read())
    else:
        src = str(job.source)
    try:
        parquet = pq.ParquetFile(src)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a Parquet file ({exc})") from None
    schema = parquet.schema_arrow
    index = parquet_column(schema, opts.field)

    output = job.output()
    sink: Any = output.handle if output is not None else job.sink()
    reports: list[str] = []
    writer = None
    row = 0
    try:
        if sink is not None:
            writer = pq.ParquetWriter(sink, schema)
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            cleaned, changed = clean_parquet_batch(job, cleaner, batch, schema, index=index,
                                                   row=row, reports=reports,
                                                   documents=outcome.documents)
            row += batch.num_rows
            outcome.changed = outcome.changed or changed
            if writer is not None:
                writer.write_batch(cleaned)
        if writer is not None:
            writer.close()
            writer = None
    except BaseException:
        if output is not None:
            output.discard()
        raise
    outcome.report = "".join(reports)
    _finish(output, outcome, opts)
    return outcome


def parquet_column(schema: Any, field: str) -> int:
    """The index of the string column ``field`` of a Parquet schema; InputError if none."""
    import pyarrow as pa  # noqa: PLC0415

    index: int = schema.get_field_index(field)
    if index < 0:
        raise InputError(f"no column {field!r} (columns: {', '.join(schema.names)})")
    column_type = schema.field(index).type
    if not (pa.types.is_string(column_type) or pa.types.is_large_string(column_type)):
        raise InputError(f"column {field!r} is {column_type}, not a string column")
    return index


def clean_parquet_batch(job: Job, cleaner: Cleaner, batch: Any, schema: Any, *, index: int,
                        row: int, reports: list[str],
                        documents: list[DocumentReport]) -> tuple[Any, bool]:
    """One record batch with its column ``index`` cleaned, and whether any value changed.

    ``row`` is the number of rows before the batch (for reports); nulls stay null.
    """
    import pyarrow as pa  # noqa: PLC0415

    cleaned: list[str | None] = []
    changed = False
    for value in batch.column(index).to_pylist():
        row += 1
        if value is None:
            cleaned.append(None)
            continue
        out = _clean_value(job, cleaner, value, {"row": row, "field": job.opts.field},
                           reports=reports, documents=documents)
        changed = changed or out != value
        cleaned.append(out)
    columns = list(batch.columns)
    columns[index] = pa.array(cleaned, type=schema.field(index).type)
    return pa.RecordBatch.from_arrays(columns, schema=schema), changed


HANDLERS = {"text": clean_text, "jsonl": clean_jsonl, "parquet": clean_parquet}
