"""The ``textclean`` command line.

``textclean [OPTIONS] [PATH ...]``: no PATH or ``-`` reads stdin and writes stdout; one
file and no ``-o`` writes stdout; folders are walked recursively. See ``--help`` and
docs/cli.md.

Exit codes: 0 done; 1 ``--check`` found inputs that would change; 2 a usage error, or an
input that could not be read, decoded or parsed (the other inputs are still processed);
123 an internal error; 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

import textclean
from textclean import engine, settings
from textclean.docs import plain
from textclean.encodings import check_encoding
from textclean.files import (
    DEFAULT_GLOBS,
    AtomicOutput,
    Input,
    discover,
    display,
    skipped_files,
)
from textclean.formats import (
    DEFAULT_CHUNK_BYTES,
    HANDLERS,
    InputError,
    Job,
    Options,
    Outcome,
    cleaner_of,
    format_of,
)
from textclean.pipeline import PRESETS, RULES, Config
from textclean.report import render
from textclean.rules.characters import check_conversion

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 123
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: outputs whole or absent, scratch removed."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textclean",
        description="Turn raw Chinese newspaper dumps into canonical text (one paragraph "
                    "per line). With no PATH, or PATH '-', reads stdin and writes stdout; "
                    "one file and no -o also writes stdout.",
        epilog="Exit codes: 0 done; 1 --check found changes; 2 usage error or an input "
               "that could not be read or decoded; 123 internal error; 130 interrupted.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    where = parser.add_argument_group("where the output goes")
    where.add_argument("-o", "--output", type=Path, metavar="DIR",
                       help="write each input under DIR at its path relative to the "
                            "folder given (DIR is never read as input)")
    where.add_argument("--in-place", action="store_true",
                       help="rewrite the inputs that change (atomically)")
    report = parser.add_argument_group("report instead of writing")
    report.add_argument("--check", action="store_true",
                        help="write nothing; list the inputs that would change; exit 1 if "
                             "any would")
    shown = report.add_mutually_exclusive_group()
    shown.add_argument("--diff", action="store_true",
                       help="write nothing; print a unified diff of what would change")
    shown.add_argument("--explain", action="store_true",
                       help="write nothing; print the edits as JSON lines (file, rule, "
                            "start and end offsets into the input, before, after)")
    report.add_argument("--report", type=Path, metavar="FILE.html",
                        help="also write an HTML page of the changes: edits per rule and "
                             "per input, and each changed paragraph raw and clean side "
                             "by side with the edits marked by rule (works with any mode)")
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument("--format", choices=["auto", "text", "jsonl", "parquet"],
                        default="auto",
                        help="input format; auto (default) goes by the file extension "
                             "(.jsonl/.ndjson, .parquet, else text)")
    inputs.add_argument("--field", action="append", metavar="NAME",
                        help="the JSONL field or Parquet column to clean (default: text; "
                             "JSONL or Parquet input only: with stdin, add --format jsonl)")
    inputs.add_argument("--encoding", default="auto", metavar="NAME",
                        help="auto (default: UTF-8 with or without BOM, UTF-16/32 with "
                             "BOM, else GB18030 or Big5) or a Python codec name; output "
                             "is always UTF-8")
    inputs.add_argument("--glob", action="append", default=[], metavar="PATTERN",
                        help="file names a folder walk takes (repeatable; default by "
                             "format: *.txt, *.jsonl, *.ndjson, each also .gz, and *.parquet)")
    rules = parser.add_argument_group("rules")
    rules.add_argument("--preset", default="default", choices=sorted(PRESETS),
                       help="the rules to start from; conservative leaves out the risky "
                            "ones (default: default)")
    rules.add_argument("--enable", action="append", default=[], metavar="RULE",
                       help="switch a rule on (repeatable; see --list-rules)")
    rules.add_argument("--disable", action="append", default=[], metavar="RULE",
                       help="switch a rule off (repeatable)")
    rules.add_argument("--convert", metavar="OPENCC_CONFIG",
                       help="Traditional/Simplified conversion, e.g. t2s or s2t")
    rules.add_argument("--paragraph-separator", choices=["newline", "blank-line"],
                       default="newline",
                       help="what separates paragraphs in the output (default: newline)")
    rules.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    run = parser.add_argument_group("running")
    run.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                     help="files cleaned in parallel (default: all cores); the output is "
                          "the same for any N")
    run.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_BYTES, metavar="BYTES",
                     help="text files larger than this are cleaned in chunks, in bounded "
                          "memory, with the same output (default: 1 MiB)")
    run.add_argument("--engine", choices=["local", "ray"], default="local",
                     help="local (default): processes on this machine; ray: a Ray "
                          "cluster (pip install 'textclean-zh[ray]'), same output; writes "
                          "files or checks them (not --diff, --explain or stdout)")
    run.add_argument("--ray-address", metavar="ADDR",
                     help="the Ray cluster to join (default: start a local one with "
                          "--jobs CPUs)")
    talk = run.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="also name each input and what became of it, on stderr")
    parser.add_argument("--version", action="version",
                        version=f"textclean {textclean.__version__} "
                                f"(engine: {engine.describe()})")
    return parser


def list_rules(config: Config) -> str:
    """The rules as a table: name, phase, whether the configuration runs it, whether
    it is risky (switched off by --preset conservative), and what it does."""
    header = ("rule", "phase", "runs", "risky", "what it does")
    rows = [header] + [
        (rule.name, rule.phase.value, "on" if rule.name in config.rules else "off",
         "risky" if rule.risky else "", plain(rule.summary))
        for rule in RULES
    ]
    widths = [max(len(row[k]) for row in rows) for k in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True))
             + "  " + row[4] for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * len(header[4]))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Task:
    """One input for a worker."""

    name: str
    source: Path
    target: Path | None
    format: str


def _mode(args: argparse.Namespace) -> str:
    if args.explain:
        return "explain"
    if args.diff:
        return "diff"
    return "check" if args.check else "write"


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Options:
    try:
        config = Config.make(
            preset=args.preset, enable=args.enable, disable=args.disable, convert=args.convert,
            paragraph_separator="\n\n" if args.paragraph_separator == "blank-line" else "\n",
        )
        encoding = check_encoding(args.encoding)
        if "convert_script" in config.rules:
            check_conversion(config.convert or "t2s")
    except (ValueError, RuntimeError) as exc:
        parser.error(str(exc))
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.chunk_size < 1:
        parser.error("--chunk-size must be at least 1")
    if args.field is not None and len(args.field) > 1:
        parser.error(f"--field given {len(args.field)} times: one field per run "
                     f"(run again for {args.field[1]!r})")
    writes = not (args.check or args.diff or args.explain)
    if args.output is not None and args.in_place:
        parser.error("-o/--output and --in-place exclude each other")
    if not writes and (args.output is not None or args.in_place):
        parser.error("--check, --diff and --explain write nothing: drop -o/--in-place")
    field = args.field[0] if args.field else "text"
    return Options(config=config, format=args.format, field=field, encoding=encoding,
                   mode=_mode(args), in_place=args.in_place, chunk_bytes=args.chunk_size,
                   report=args.report is not None)


def _given(argv: Sequence[str] | None) -> set[str]:
    """The options the command line gives (their dests), whatever their values."""
    parser = build_parser()
    for action in parser._actions:
        action.default = argparse.SUPPRESS
    return set(vars(parser.parse_intermixed_args(argv)))


def _apply_settings(args: argparse.Namespace, argv: Sequence[str] | None,
                    parser: argparse.ArgumentParser) -> None:
    """Take the [tool.textclean] settings of the project's pyproject.toml for each
    option the command line does not give (textclean.settings)."""
    try:
        path = settings.find(args.paths)
        found = settings.read(path) if path is not None else {}
    except settings.SettingsError as exc:
        parser.error(str(exc))
    given = _given(argv)
    for name, setting in found.items():
        if name in given:
            continue
        value = [setting] if name == "field" else setting
        choices = next((a.choices for a in parser._actions
                        if a.dest == name and a.choices), None)
        if choices is not None and value not in choices:
            parser.error(f"{path}: [tool.textclean] {name.replace('_', '-')} must be one "
                         f"of {', '.join(map(str, choices))}")
        setattr(args, name, value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_intermixed_args(argv)
    _apply_settings(args, argv, parser)
    opts = _options(args, parser)
    if args.list_rules:
        sys.stdout.write(list_rules(opts.config))
        return EXIT_OK
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args, opts, parser)
    except Terminated:
        print("textclean: terminated; no partial output was left", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("textclean: interrupted; no partial output was left", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `textclean big.txt | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _open_report(args: argparse.Namespace, parser: argparse.ArgumentParser,
                 tasks: Sequence[Task] = ()) -> AtomicOutput | None:
    """The --report page's output, opened before any work, so that a path that cannot
    be written, or would overwrite an input or an output, is found first."""
    target: Path | None = args.report
    if target is None:
        return None
    where = target.resolve()
    for task in tasks:
        if task.source.resolve() == where:
            parser.error(f"--report {display(str(target))} would overwrite the input "
                         f"{display(task.name)}")
        if task.target is not None and task.target.resolve() == where:
            parser.error(f"--report {display(str(target))} would overwrite the output of "
                         f"{display(task.name)}")
    if target.is_dir():
        parser.error(f"--report {display(str(target))} is a folder: name the page's file")
    try:
        return AtomicOutput(target)
    except OSError as exc:
        parser.error(f"--report {display(str(target))}: cannot be written "
                     f"({exc.strerror or exc})")


def _check_output_folder(args: argparse.Namespace, parser: argparse.ArgumentParser,
                         present: list[str]) -> None:
    """A usage error, before any file is read, where -o DIR is an input folder."""
    if args.output is None or not _writes(args):
        return
    out = args.output.resolve()
    for root in present:
        if Path(root).is_dir() and Path(root).resolve() == out:
            parser.error(f"-o {display(str(args.output))} is the input folder: the outputs "
                         f"would overwrite the inputs (use --in-place to mean it)")


def _make_output_folder(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Make -o DIR once every other check has passed; a usage error if it cannot be."""
    if args.output is None or not _writes(args):
        return
    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        parser.error(f"-o {display(str(args.output))}: cannot be made "
                     f"({exc.strerror or exc})")


def _writes(args: argparse.Namespace) -> bool:
    """Whether the run writes files (not --check, --diff or --explain)."""
    return not (args.check or args.diff or args.explain)


def _run(args: argparse.Namespace, opts: Options, parser: argparse.ArgumentParser) -> int:
    paths: list[str] = args.paths or ["-"]
    if "-" in paths:
        if len(paths) > 1:
            parser.error("'-' (stdin) cannot be mixed with paths")
        if args.in_place:
            parser.error("--in-place needs files, not stdin")
        if args.output is not None:
            parser.error("stdin is written to stdout: drop -o/--output (or name files)")
        if args.field and opts.format in ("auto", "text"):
            parser.error("--field names a JSONL field or Parquet column, but stdin is read "
                         "as text: add --format jsonl (or --format parquet)")
        report = _open_report(args, parser)
        try:
            outcomes = [_process_stdin(opts)]
            return _finish(outcomes, args, report)
        finally:
            if report is not None:
                report.discard()
    missing = [p for p in paths if not Path(p).exists()]
    for name in missing:
        print(f"textclean: {name}: no such file or folder", file=sys.stderr)
    present = [p for p in paths if p not in missing]
    globs = args.glob or list(DEFAULT_GLOBS[opts.format])
    exclude = [args.output] if args.output is not None else []
    problems: list[str] = []
    inputs = list(discover(present, globs, exclude, problems))
    for problem in problems:
        print(f"textclean: {display(problem)}", file=sys.stderr)
    to_stdout = opts.mode == "write" and args.output is None and not args.in_place
    if to_stdout and (len(inputs) > 1 or any(Path(p).is_dir() for p in present)):
        parser.error("a folder or several files need -o/--output DIR or --in-place "
                     "(or --check, --diff, --explain)")
    for root in present:
        if Path(root).is_dir() and not any(Path(root) in inp.path.parents for inp in inputs):
            skipped = skipped_files(Path(root), globs)
            problems.append(f"{root}: no file to take ({', '.join(globs)}; --glob chooses)"
                            + (f"; skipped {len(skipped)}: {', '.join(skipped[:5])}"
                               + (", ..." if len(skipped) > 5 else "") if skipped else ""))
            print(f"textclean: {display(problems[-1])}", file=sys.stderr)
    tasks = [_task(inp, args, opts) for inp in inputs]
    if to_stdout and any(t.format == "parquet" for t in tasks) and sys.stdout.isatty():
        parser.error("Parquet is binary: give -o DIR or --in-place, or send stdout to a "
                     "file (> out.parquet)")
    if args.field:
        given = {Path(p) for p in present}
        prose = [t.name for t in tasks if t.format == "text" and t.source in given]
        if prose:
            parser.error(f"--field names a JSONL field or Parquet column, but "
                         f"{display(prose[0])} is read as text (by its extension): add "
                         f"--format jsonl, or name a .jsonl or .parquet file")
    targets: dict[Path, str] = {}
    for task in tasks:
        if task.target is not None and not args.in_place:
            key = task.target.resolve()
            if key in targets:
                parser.error(f"{targets[key]} and {task.name} would both be written to "
                             f"{task.target}")
            targets[key] = task.name
    if args.engine == "ray" and (to_stdout or opts.mode in ("diff", "explain")
                                 or opts.report):
        parser.error("--engine ray writes files (-o DIR or --in-place) or checks "
                     "them (--check): use the local engine for stdout, --diff, "
                     "--explain and --report")
    _check_output_folder(args, parser, present)
    report = _open_report(args, parser, tasks)
    try:
        _make_output_folder(args, parser)
        if args.engine == "ray":
            outcomes = _process_on_ray(tasks, opts, args)
        elif to_stdout and tasks:
            outcomes = [_process_stdout(tasks[0], opts)]
        else:
            outcomes = list(_process_all(tasks, opts, args.jobs, quiet=args.quiet))
        status = _finish(outcomes, args, report)
    finally:
        if report is not None:
            report.discard()  # after a commit, only its temporary file is gone
    return max(status, EXIT_INPUT) if missing or problems else status


def _write_report(report: AtomicOutput, outcomes: list[Outcome]) -> str | None:
    """Write and commit the --report page; an error message if that failed."""
    documents = [doc for outcome in outcomes if outcome.error is None
                 for doc in outcome.documents]
    try:
        report.write(display(render(documents)).encode("utf-8"))
        report.commit()
    except OSError as exc:
        report.discard()
        return f"{display(str(report.target))}: the report cannot be written " \
               f"({exc.strerror or exc})"
    return None


def _process_on_ray(tasks: list[Task], opts: Options,
                    args: argparse.Namespace) -> list[Outcome]:
    try:
        from textclean import ray as engine  # noqa: PLC0415

        engine.start(args.ray_address, cpus=args.jobs)
    except (ImportError, RuntimeError) as exc:
        print(f"textclean: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT) from None
    try:
        return list(engine.process_all(tasks, opts))
    finally:
        import ray  # noqa: PLC0415

        ray.shutdown()


def _task(inp: Input, args: argparse.Namespace, opts: Options) -> Task:
    target: Path | None = None
    if args.in_place:
        target = inp.path
    elif args.output is not None:
        target = args.output / inp.relative
    return Task(str(inp.path), inp.path, target, format_of(inp.path, opts.format))


def _guarded(name: str, work: Callable[[], Outcome]) -> Outcome:
    """Run one input's work; turn its failure into an outcome that names the input."""
    try:
        return work()
    except InputError as exc:
        return Outcome(name, error=f"{name}: {exc}")
    except BrokenPipeError:  # stdout closed by the reader: not the input's fault
        raise
    except OSError as exc:
        return Outcome(name, error=f"{name}: {exc.strerror or exc}")
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Outcome(name, error=f"{name}: internal error: {detail}", internal=True)


def refusal(task: Task, opts: Options) -> Outcome | None:
    """The outcome of a task that must not run (its output would overwrite its input
    without --in-place), or None. Both engines ask before they clean."""
    if task.target is not None and task.target.resolve() == task.source.resolve() \
            and not opts.in_place:
        return Outcome(task.name, error=f"{task.name}: the output would overwrite the "
                                        f"input (use --in-place to mean it)")
    return None


def process(task: Task, opts: Options,
            progress: Callable[[int], None] | None = None) -> Outcome:
    """Clean one input file (in a worker process, or in this one); ``progress`` is told
    the bytes of output as they are made."""
    refused = refusal(task, opts)
    if refused is not None:
        return refused
    handler = HANDLERS[task.format]
    return _guarded(task.name, lambda: handler(
        Job(task.name, task.source, task.target, opts, progress=progress)))


def _process_stdout(task: Task, opts: Options) -> Outcome:
    handler = HANDLERS[task.format]
    return _guarded(task.name, lambda: handler(Job(task.name, task.source, None, opts)))


def _process_stdin(opts: Options) -> Outcome:
    fmt = opts.format if opts.format != "auto" else "text"
    handler = HANDLERS[fmt]
    return _guarded("<stdin>", lambda: handler(Job("<stdin>", None, None, opts)))


def _worker_init(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent alone decides, and ends the
    # workers with SIGTERM, which unwinds them (removing their temporary files).
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    # A worker dies with the parent (even one killed by SIGKILL): it never commits an
    # output of a run that is over.
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        raise SystemExit(EXIT_TERMINATED)


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (prctl
    PR_SET_PDEATHSIG); elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # noqa: PLC0415

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)


def _work(item: tuple[Task, Options]) -> Outcome:
    return process(*item)


#: Workers start only for this much input each: a pool and its preloaded tables cost
#: about a second, which a small run does not win back (issue 21: the default --jobs
#: was slower than -j 1 on five small files).
BYTES_PER_WORKER = 1 << 20


def _input_bytes(tasks: list[Task]) -> int:
    total = 0
    for task in tasks:
        with contextlib.suppress(OSError):
            total += task.source.stat().st_size
    return total


def _process_all(tasks: list[Task], opts: Options, jobs: int, *,
                 quiet: bool) -> Iterator[Outcome]:
    size = _input_bytes(tasks)
    progress = _Progress(len(tasks), sys.stderr, quiet=quiet, total_bytes=size)
    jobs = min(jobs, len(tasks), max(1, size // BYTES_PER_WORKER))
    if jobs <= 1:
        for task in tasks:
            yield process(task, opts, progress.read)
            progress.step()
        progress.done()
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        cleaner_of(opts.config).preload()  # the workers inherit it, copy-on-write
        # Keep the collector of each worker off the objects it inherits: visiting them
        # would write to their pages, and so copy them (--jobs 2 spent 8% more CPU
        # than --jobs 1 for the same work).
        gc.freeze()
    try:
        pool = context.Pool(jobs, initializer=_worker_init, initargs=(os.getpid(),))
    finally:
        gc.unfreeze()  # the workers are forked: the parent collects as before
    try:
        for outcome in pool.imap(_work, [(t, opts) for t in tasks], chunksize=1):
            yield outcome
            progress.step()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        progress.done()


#: One input this large shows a progress line too (by bytes), on a terminal.
PROGRESS_BYTES = 1 << 20
#: A run shows its progress line once it has taken this many seconds (a short run
#: shows none).
PROGRESS_AFTER = 1.0


class _Progress:
    """A progress line on stderr, when stderr is a terminal and the run is long."""

    def __init__(self, total: int, stream: TextIO, *, quiet: bool, total_bytes: int = 0,
                 ) -> None:
        self.total = total
        self.done_count = 0
        self.total_bytes = total_bytes
        self.bytes_read = 0
        self.stream = stream
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False
        self.enabled = not quiet and (total > 1 or total_bytes >= PROGRESS_BYTES) \
            and stream.isatty()

    def step(self) -> None:
        self.done_count += 1
        self._show(force=True)

    def read(self, count: int) -> None:
        """Bytes of output made (in this process), about as many as the input's bytes
        cleaned: shown at most five times a second."""
        self.bytes_read += count
        self._show(force=False)

    def _show(self, *, force: bool) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.start <= PROGRESS_AFTER or (
                not force and now - self.last < 0.2):
            return
        self.last = now
        line = f"\rtextclean: {self.done_count}/{self.total} files"
        if self.bytes_read and self.total_bytes:
            share = min(1.0, self.bytes_read / self.total_bytes)
            line += (f", about {self.bytes_read / 1e6:.1f} of {self.total_bytes / 1e6:.1f} "
                     f"MB ({share:.0%})")
        self.stream.write(line)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


#: ANSI colours of a diff's lines, by their first character.
_DIFF_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}


def coloured_diff(diff: str) -> str:
    """A unified diff with its added, removed and hunk lines coloured (ANSI), as git
    shows one on a terminal; the ---/+++ header lines bold.

    >>> coloured_diff("@@ -1 +1 @@\\n-a\\n+b\\n c\\n") == (
    ...     "\\x1b[36m@@ -1 +1 @@\\x1b[0m\\n\\x1b[31m-a\\x1b[0m\\n\\x1b[32m+b\\x1b[0m\\n c\\n")
    True
    """
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip("\n")
        end = line[len(body):]
        if body.startswith(("---", "+++")):
            out.append(f"\x1b[1m{body}\x1b[0m{end}")
        elif body[:1] in _DIFF_COLOURS:
            out.append(f"{_DIFF_COLOURS[body[0]]}{body}\x1b[0m{end}")
        else:
            out.append(line)
    return "".join(out)


def _colour(stream: TextIO) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _finish(outcomes: list[Outcome], args: argparse.Namespace,
            report: AtomicOutput | None = None) -> int:
    """Print reports and errors in input order, write the --report page; the exit code."""
    status = EXIT_OK
    out = sys.stdout
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"textclean: {display(outcome.error)}", file=sys.stderr)
            status = max(status, EXIT_INTERNAL if outcome.internal else EXIT_INPUT)
            continue
        if outcome.report:
            shown = display(outcome.report)
            out.write(coloured_diff(shown) if args.diff and _colour(out) else shown)
        elif args.verbose:
            state = "unchanged" if not outcome.changed else (
                "would change" if args.check else "changed")
            print(f"textclean: {display(outcome.name)}: {state}", file=sys.stderr)
        if args.check and outcome.changed:
            if not args.diff and not args.explain:
                out.write(f"would change: {display(outcome.name)}\n")
            status = max(status, EXIT_CHANGED)
    changed = sum(o.changed for o in outcomes if o.error is None)
    failed = sum(o.error is not None for o in outcomes)
    if not args.quiet and (args.check or args.in_place or args.output is not None):
        verb = "would change" if args.check else "changed"
        print(f"textclean: {len(outcomes)} input(s), {changed} {verb}, {failed} failed",
              file=sys.stderr)
    out.flush()
    if report is not None:
        error = _write_report(report, outcomes)
        if error is not None:
            print(f"textclean: {error}", file=sys.stderr)
            status = EXIT_INPUT
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
