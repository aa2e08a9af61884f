"""The command line's settings from ``pyproject.toml``, as black and ruff read theirs.

A project keeps its textclean settings in the ``[tool.textclean]`` table of its
``pyproject.toml``. The command line looks for that file from the folder the inputs
have in common (the current folder for stdin) up to the top of the repository (a
folder holding ``.git``) or of the file system, and takes the first one that has the
table. An option given on the command line wins over the file.

The keys are the long options' names, with dashes or underscores::

    [tool.textclean]
    preset = "conservative"
    enable = ["repair_lookalikes"]
    disable = ["restore_turn_breaks"]
    paragraph-separator = "blank-line"
    glob = ["*.txt", "*.jsonl"]
    field = "body"
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

#: The keys a [tool.textclean] table may hold, and the type of each value.
KEYS: dict[str, type] = {
    "preset": str, "enable": list, "disable": list, "paragraph_separator": str,
    "glob": list, "convert": str, "format": str, "field": str, "encoding": str,
}


class SettingsError(ValueError):
    """A [tool.textclean] table the command line cannot take (the message names the
    file and the key)."""


def find(paths: Sequence[str], start: Path | None = None) -> Path | None:
    """The pyproject.toml whose [tool.textclean] table applies to ``paths``, if any."""
    here = (start or Path.cwd()).resolve()
    named = [Path(p).resolve() for p in paths if p != "-"]
    if named:
        common = Path(os.path.commonpath([str(p) for p in named]))
        here = common if common.is_dir() else common.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def _has_table(path: Path) -> bool:
    try:
        return "textclean" in _load(path).get("tool", {})
    except SettingsError:
        return True  # a broken file is reported when it is read


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            loaded: dict[str, Any] = tomllib.load(f)
            return loaded
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read as TOML ({exc})") from None


def read(path: Path) -> dict[str, Any]:
    """The [tool.textclean] settings of ``path``, keys with underscores, checked.

    Raises SettingsError for an unknown key or a value of the wrong type.
    """
    table = _load(path).get("tool", {}).get("textclean", {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.textclean] must be a table")
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in KEYS:
            raise SettingsError(f"{path}: [tool.textclean] has no setting {key!r} "
                                f"(settings: {', '.join(k.replace('_', '-') for k in KEYS)})")
        want = KEYS[name]
        if not isinstance(value, want) or (
                isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            kind = "a list of strings" if want is list else "a string"
            raise SettingsError(f"{path}: [tool.textclean] {key} must be {kind}")
        out[name] = value
    return out
