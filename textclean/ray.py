"""textclean on Ray Data: a dataset's text column, or the command line's files, cleaned
on a Ray cluster with exactly the result of cleaning them here.

Needs the extra: ``pip install 'textclean-zh[ray]'``.

    import ray.data
    from textclean.ray import clean_dataset

    ds = ray.data.read_parquet("corpus/")
    clean_dataset(ds, column="text").write_parquet("clean/")

(tests/test_ray.py and the README's test run this against a real local cluster.)

Two ways in:

- :func:`clean_dataset` takes a ``ray.data.Dataset`` and returns one with one string
  column cleaned, batch by batch as Arrow tables; every other column, and each row's
  place, is kept. Write it with Ray's own writers.
- :func:`process_all` is the command line's ``--engine ray``. Workers read the input
  files and cut each into parts (a JSONL file at line breaks, a Parquet file into record
  batches; a text file is one document and stays one part, because its layout is
  judged on the whole of it; a large one is cleaned in chunks, as locally); the parts
  are spread over the cluster, one part per block, and cleaned with the same functions
  as the local engine; the driver writes each output atomically, in input order. So
  the output is the local engine's, byte for byte.

What this module handles for you (each seen on this project's machines):

- Workers do not inherit the driver's ``sys.path``. A local cluster is started with
  this textclean's folder on the workers' ``PYTHONPATH``; when joining a cluster,
  a first task checks that the workers import the same textclean version.
- Ray 2.60 listens on every interface even when told ``127.0.0.1`` (it replaces a
  loopback address with the node's). Its token authentication, on by default, is what
  keeps other hosts out: it is left on. Join a cluster that uses it with the token
  in ``RAY_AUTH_TOKEN`` (or ``RAY_AUTH_TOKEN_PATH``).
- The object store lives in ``/dev/shm``, which containers often keep at 64 MB; a local
  cluster's object store is sized to fit in it (Ray would otherwise fall back to disk).
- A single input file is read by one task: its parts are then split into blocks of
  one part each so that every CPU gets some of it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import textclean
from textclean.encodings import DecodeError, decode, iter_decode
from textclean.formats import (
    PARQUET_BATCH_ROWS,
    InputError,
    Job,
    Options,
    Outcome,
    _finish,
    _JsonlRecords,
    clean_parquet_batch,
    cleaner_of,
    parquet_column,
    stream_block,
    utf8,
)
from textclean.pipeline import Config

if TYPE_CHECKING:
    import ray.data

#: Characters of JSONL text in one part: a few tenths of a second of cleaning.
PART_CHARS = 1 << 18
#: Ray's smallest object store, and the share of /dev/shm a local cluster may take.
MIN_OBJECT_STORE = 80 << 20
SHM_SHARE = 0.5


def _ray() -> Any:
    try:
        import ray  # noqa: PLC0415
        import ray.data  # noqa: PLC0415
    except ImportError:
        raise ImportError("textclean.ray needs Ray Data: pip install 'textclean-zh[ray]'") \
            from None
    return ray


# --- A dataset's column ----------------------------------------------------------------


def clean_dataset(ds: ray.data.Dataset, column: str = "text", *,
                  config: Config | None = None, batch_size: int = 256,
                  **options: Any) -> ray.data.Dataset:
    """``ds`` with its string column ``column`` cleaned as :func:`textclean.clean` would.

    ``options`` are those of :func:`textclean.clean` (``preset``, ``enable``,
    ``disable``, ``paragraph_separator``, ``convert``), or a ready ``config``. Batches go
    to the workers as Arrow tables; nulls stay null, the column keeps its type, and
    every other column is passed through untouched. Lazy, like every Ray transform.
    A missing or non-string column fails when the first batch runs, naming it.
    """
    _ray()
    config = config or Config.make(**options)
    fn: Any = _clean_column  # Ray's stubs do not admit a function with keyword options
    return ds.map_batches(fn, batch_format="pyarrow", batch_size=batch_size,
                          fn_kwargs={"column": column, "config": config})


def _clean_column(batch: Any, column: str, config: Config) -> Any:
    """One Arrow table with ``column`` cleaned (runs in a worker)."""
    import pyarrow as pa  # noqa: PLC0415

    index = batch.schema.get_field_index(column)
    if index < 0:
        raise KeyError(f"textclean: no column {column!r} (columns: "
                       f"{', '.join(batch.schema.names)})")
    field = batch.schema.field(index)
    if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
        raise TypeError(f"textclean: column {column!r} is {field.type}, not strings")
    cleaner = cleaner_of(config)
    values = batch.column(index).to_pylist()
    cleaned = [None if v is None else cleaner.clean(v) for v in values]
    return batch.set_column(index, field, pa.array(cleaned, type=field.type))


# --- The command line's engine ------------------------------------------------------------


def start(address: str | None, cpus: int) -> None:
    """Join the cluster at ``address``, or start a local one with ``cpus`` CPUs."""
    ray = _ray()
    # Ray's notices (token authentication is on, progress bars are off, a dataset
    # finished) are not the user's business: the command line reports per file.
    quiet = {"include_dashboard": False, "log_to_driver": False,
             "logging_level": "error", "configure_logging": True}
    if address:
        ray.init(address=address, **quiet)
        _check_workers(ray)
    else:
        here = str(Path(textclean.__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
        ray.init(address="local", num_cpus=cpus, object_store_memory=_object_store(),
                 runtime_env={"env_vars": {"PYTHONPATH": path}}, **quiet)
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    context.print_on_execution_start = False


def _object_store() -> int | None:
    """An object store size that fits /dev/shm, when Ray's default would not."""
    try:
        free = shutil.disk_usage("/dev/shm").free
    except OSError:
        return None
    default = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.3)
    if free >= default:
        return None  # Ray's default fits
    return max(MIN_OBJECT_STORE, int(free * SHM_SHARE))


def _version() -> str:
    return textclean.__version__


def _check_workers(ray: Any) -> None:
    try:
        theirs = ray.get(ray.remote(num_cpus=0)(_version).remote())
    except Exception as exc:  # the worker could not import textclean
        raise RuntimeError(f"the Ray workers cannot import textclean ({exc}); install "
                           f"textclean {textclean.__version__} on every node") from None
    if theirs != textclean.__version__:
        raise RuntimeError(f"the Ray workers have textclean {theirs}, this is "
                           f"{textclean.__version__}: install the same version")


def process_all(tasks: Sequence[Any], opts: Options) -> Iterator[Outcome]:
    """Clean the command line's tasks (``cli.Task``) on the Ray cluster :func:`start`
    joined; one outcome per task, in order. Write and check modes only."""
    from textclean.cli import refusal  # noqa: PLC0415  (cli imports this module lazily)

    ray = _ray()
    if opts.mode not in ("write", "check"):
        raise ValueError("the ray engine writes outputs or checks them: use the local "
                         "engine for --diff and --explain")
    outcomes: dict[int, Outcome] = {}
    items = []
    for i, task in enumerate(tasks):
        refused = refusal(task, opts)
        if refused is not None:
            outcomes[i] = refused
        else:
            items.append({"index": i, "path": str(task.source), "format": task.format})
    if items:
        ds = (ray.data.from_items(items)
              .flat_map(_read_parts, fn_kwargs={"opts": opts})
              .repartition(target_num_rows_per_block=1)
              .map(_clean_part, fn_kwargs={"opts": opts}))
        writer: _Writer | None = None
        for row in ds.iter_rows():
            if writer is not None and writer.index != row["index"]:
                outcomes[writer.index] = writer.close()
                writer = None
            if writer is None:
                writer = _Writer(row["index"], tasks[row["index"]], opts)
            writer.add(row)
        if writer is not None:
            outcomes[writer.index] = writer.close()
    for i in range(len(tasks)):
        yield outcomes[i]


def _part(item: dict[str, Any], number: int, payload: bytes, *, first: int = 0,
          digest: bytes = b"", error: str = "") -> dict[str, Any]:
    """One part of an input: ``first`` counts the records or rows before it; the first
    part carries the digest of the input's bytes."""
    return {"index": item["index"], "format": item["format"], "part": number,
            "payload": payload, "first": first, "digest": digest, "error": error,
            "changed": False}


def _read_parts(item: dict[str, Any], opts: Options) -> list[dict[str, Any]]:
    """Read one input (in a worker) and cut it into parts to clean apart."""
    try:
        data = Path(item["path"]).read_bytes()
        digest = hashlib.blake2b(data, digest_size=20).digest()
        if item["format"] == "text":
            return [_part(item, 0, data, digest=digest)]
        if item["format"] == "jsonl":
            return _jsonl_parts(item, data, digest, opts)
        return _parquet_parts(item, data, digest, opts)
    except InputError as exc:
        return [_part(item, 0, b"", error=str(exc))]
    except OSError as exc:
        return [_part(item, 0, b"", error=exc.strerror or str(exc))]


def _jsonl_parts(item: dict[str, Any], data: bytes, digest: bytes,
                 opts: Options) -> list[dict[str, Any]]:
    try:
        text = "".join(iter_decode(io.BytesIO(data), opts.encoding))
    except DecodeError as exc:
        raise InputError(exc.reason) from None
    parts: list[dict[str, Any]] = []
    start = first = 0
    while start < len(text) or not parts:
        end = text.find("\n", start + PART_CHARS)
        end = len(text) if end < 0 else end + 1
        piece = text[start:end]
        parts.append(_part(item, len(parts), piece.encode("utf-8", "surrogatepass"),
                           first=first, digest=digest if not parts else b""))
        first += piece.count("\n")
        start = end
    return parts


def _parquet_parts(item: dict[str, Any], data: bytes, digest: bytes,
                   opts: Options) -> list[dict[str, Any]]:
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a Parquet file ({exc})") from None
    schema = parquet.schema_arrow
    parquet_column(schema, opts.field)
    batches = list(parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS))
    parts: list[dict[str, Any]] = []
    first = 0
    for batch in batches or [pa.RecordBatch.from_pylist([], schema=schema)]:
        parts.append(_part(item, len(parts), _ipc(pa.Table.from_batches([batch], schema)),
                           first=first, digest=digest if not parts else b""))
        first += batch.num_rows
    return parts


def _ipc(table: Any) -> bytes:
    import pyarrow as pa  # noqa: PLC0415

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as stream:
        stream.write_table(table)
    return bytes(sink.getvalue())


def _clean_part(row: dict[str, Any], opts: Options) -> dict[str, Any]:
    """Clean one part (in a worker), with the local engine's functions."""
    if row["error"]:
        return row
    cleaner = cleaner_of(opts.config)
    job = Job(f"part {row['part']}", None, None, replace(opts, mode="write"))
    try:
        payload, fmt = row["payload"], row["format"]
        if fmt == "text" and len(payload) > opts.chunk_bytes:
            # As the local engine: a large text in chunks, in bounded memory.
            block = stream_block(opts)
            chunks = iter_decode(io.BytesIO(payload), opts.encoding, block=block)
            out = utf8("".join(cleaner.clean_chunks(chunks, chunk_chars=block)))
        elif fmt == "text":
            text, _ = decode(payload, opts.encoding)
            out = utf8(cleaner.clean(text))
        elif fmt == "jsonl":
            records = _JsonlRecords(job)
            text = payload.decode("utf-8", "surrogatepass")
            out = utf8(records.lines(text, row["first"])[0])
        else:
            out, row["changed"] = _clean_parquet_part(job, payload, row["first"])
    except DecodeError as exc:
        return {**row, "payload": b"", "error": exc.reason}
    except InputError as exc:
        return {**row, "payload": b"", "error": str(exc)}
    return {**row, "payload": out}


def _clean_parquet_part(job: Job, payload: bytes, first: int) -> tuple[bytes, bool]:
    import pyarrow as pa  # noqa: PLC0415

    table = pa.ipc.open_stream(payload).read_all()
    schema = table.schema
    index = parquet_column(schema, job.opts.field)
    cleaner = cleaner_of(job.opts.config)
    out, changed = [], False
    row = first
    for batch in table.to_batches() or [pa.RecordBatch.from_pylist([], schema=schema)]:
        cleaned, any_changed = clean_parquet_batch(job, cleaner, batch, schema, index=index,
                                                   row=row, reports=[], documents=[])
        row += batch.num_rows
        changed = changed or any_changed
        out.append(cleaned)
    return _ipc(pa.Table.from_batches(out, schema)), changed


class _Writer:
    """The output of one input, written by the driver as its parts arrive in order."""

    def __init__(self, index: int, task: Any, opts: Options) -> None:
        self.index = index
        self.task = task
        self.opts = opts
        self.outcome = Outcome(task.name)
        self.job = Job(task.name, task.source, task.target, opts)
        self.output = self.job.output()
        self.digest = hashlib.blake2b(digest_size=20)
        self.source_digest = b""
        self.parquet: Any = None
        self.changed = False

    def add(self, row: dict[str, Any]) -> None:
        if self.outcome.error:
            return
        if row["error"]:
            self.outcome.error = f"{self.task.name}: {row['error']}"
            return
        if row["part"] == 0:
            self.source_digest = row["digest"]
        try:
            if self.task.format == "parquet":
                self._add_parquet(row)
                return
            self.digest.update(row["payload"])
            if self.output is not None:
                self.output.write(row["payload"])
        except OSError as exc:  # this output alone fails (a full disk): the run goes on
            self.outcome.error = f"{self.task.name}: {exc.strerror or exc}"

    def _add_parquet(self, row: dict[str, Any]) -> None:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        table = pa.ipc.open_stream(row["payload"]).read_all()
        self.changed = self.changed or row["changed"]
        if self.output is None:
            return
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.output.handle, table.schema)
        for batch in table.to_batches():
            self.parquet.write_batch(batch)

    def close(self) -> Outcome:
        if self.outcome.error:
            if self.output is not None:
                self.output.discard()
            return self.outcome
        try:
            if self.parquet is not None:
                self.parquet.close()
            if self.task.format == "parquet":
                self.outcome.changed = self.changed
            else:
                self.outcome.changed = self.digest.digest() != self.source_digest
            _finish(self.output, self.outcome, self.opts)
        except OSError as exc:  # the commit failed: this output alone is lost
            if self.output is not None:
                self.output.discard()
            self.outcome.error = f"{self.task.name}: {exc.strerror or exc}"
        return self.outcome
