"""The ``textclean`` command line: stdin to stdout, or files into an output folder.

Exit codes: 0 done; 2 a usage error or an input that could not be read or decoded (the
other inputs are still processed); 123 an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import textclean
from textclean.pipeline import PRESETS, RULES, Cleaner, Config

EXIT_OK = 0
EXIT_INPUT = 2
EXIT_INTERNAL = 123


class InputError(Exception):
    """An input that could not be read or decoded: carries the path and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without a BOM); a clear error with the byte offset otherwise."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "binary file (NUL byte), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                  f"({exc.reason})"
        ) from None


def write_atomic(path: Path, text: str) -> None:
    """Write text as UTF-8 to path through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def iter_inputs(paths: Sequence[str], output: Path | None) -> Iterator[tuple[Path, Path]]:
    """(input file, path relative to the output folder) for files and folders (recursive)."""
    out_resolved = output.resolve() if output else None
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if out_resolved and out_resolved in file.resolve().parents:
                    continue  # never read the output folder as input
                if any(part.startswith(".") for part in file.relative_to(path).parts):
                    continue
                yield file, file.relative_to(path)
        else:
            yield path, Path(path.name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textclean",
        description="Turn raw Chinese newspaper dumps into canonical text (one paragraph "
                    "per line). With no PATH, or PATH '-', reads stdin and writes stdout.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help="write each input under DIR at its relative path")
    parser.add_argument("--preset", default="default", choices=sorted(PRESETS))
    parser.add_argument("--enable", action="append", default=[], metavar="RULE")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE")
    parser.add_argument("--convert", metavar="OPENCC_CONFIG",
                        help="Traditional/Simplified conversion, e.g. t2s or s2t")
    parser.add_argument("--paragraph-separator", choices=["newline", "blank-line"],
                        default="newline")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--version", action="version", version=f"textclean {textclean.__version__}")
    return parser


def list_rules(config: Config) -> str:
    rows = []
    for rule in RULES:
        flags = ("on " if rule.name in config.rules else "off") + (" risky" if rule.risky else "")
        rows.append(f"{rule.name:<30} {rule.phase.value:<10} {flags:<9} {rule.summary}")
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = Config.make(
            preset=args.preset, enable=args.enable, disable=args.disable, convert=args.convert,
            paragraph_separator="\n\n" if args.paragraph_separator == "blank-line" else "\n",
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.list_rules:
        sys.stdout.write(list_rules(config))
        return EXIT_OK
    cleaner = Cleaner(config)
    try:
        return _run(args, cleaner)
    except KeyboardInterrupt:
        print("textclean: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so, with the exit code black uses
        print(f"textclean: internal error: {exc!r}", file=sys.stderr)
        return EXIT_INTERNAL


def _run(args: argparse.Namespace, cleaner: Cleaner) -> int:
    paths: list[str] = args.paths or ["-"]
    if paths == ["-"]:
        data = sys.stdin.buffer.read()
        try:
            text = decode(data, "<stdin>")
        except InputError as exc:
            print(f"textclean: {exc}", file=sys.stderr)
            return EXIT_INPUT
        sys.stdout.write(cleaner.clean(text))
        return EXIT_OK
    if "-" in paths:
        print("textclean: '-' (stdin) cannot be mixed with paths", file=sys.stderr)
        return EXIT_INPUT
    status = EXIT_OK
    inputs = list(iter_inputs(paths, args.output))
    if args.output is None and len(inputs) != 1:
        print("textclean: several inputs need -o/--output DIR", file=sys.stderr)
        return EXIT_INPUT
    for source, relative in inputs:
        try:
            try:
                data = source.read_bytes()
            except OSError as exc:
                raise InputError(str(source), exc.strerror or str(exc)) from None
            text = cleaner.clean(decode(data, str(source)))
        except InputError as exc:
            print(f"textclean: {exc}", file=sys.stderr)
            status = EXIT_INPUT
            continue
        if args.output is None:
            sys.stdout.write(text)
        else:
            target = args.output / relative
            if target.resolve() == source.resolve():
                print(f"textclean: {source}: output would overwrite the input; skipped",
                      file=sys.stderr)
                status = EXIT_INPUT
                continue
            write_atomic(target, text)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
