"""Which engine runs: the compiled one (``textclean._engine``, Rust) or Python alone.

The Python code is the specification. Where the compiled engine is built (``pip
install`` builds it on a machine with a Rust toolchain), the steps it implements run
compiled and return exactly what the Python reference returns (tests/test_engine.py
holds the two equal); every other step runs in Python. Where it is not built, or
``TEXTCLEAN_ENGINE=python`` is set, everything runs in Python.

Compiled so far: the word-trigram model's reader (textclean.lm).

>>> describe().split()[0] in ("compiled", "python")
True
"""

from __future__ import annotations

import os
from types import ModuleType

#: The environment variable that turns the compiled engine off (value ``python``).
SWITCH = "TEXTCLEAN_ENGINE"

_engine: ModuleType | None
try:
    from textclean import _engine
except ImportError as err:  # not built: a machine without a Rust toolchain
    _engine = None
    _MISSING = f"the compiled engine is not built ({err})"
else:
    _MISSING = ""


def compiled() -> ModuleType | None:
    """The compiled engine's module, or None where it is not built or is switched
    off."""
    if os.environ.get(SWITCH, "").strip().lower() == "python":
        return None
    return _engine


def describe() -> str:
    """Which engine runs, for ``textclean --version``."""
    engine = compiled()
    if engine is not None:
        return f"compiled {engine.__version__}"
    if _engine is not None:
        return f"python ({SWITCH}=python)"
    return f"python ({_MISSING})"
