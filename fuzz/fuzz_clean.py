"""Coverage-guided fuzzing of textclean.clean with atheris (libFuzzer for Python).

The target decodes the fuzzer's bytes as UTF-8 (with replacement, so every input is
text, mojibake and control characters included) and checks the laws that hold for any
text: clean() does not crash, returns str, and is idempotent; the explanation replays.

    pip install -e '.[fuzz]' && mkdir -p fuzz/corpus && \
        python fuzz/fuzz_clean.py -atheris_runs=100000 -max_len=4000 fuzz/corpus samples/raw

libFuzzer starts from the raw samples and keeps the inputs that reach new code in
fuzz/corpus (not committed). A failure writes crash-<hash> with the input that broke a
law: pin it as an @example in tests/test_properties.py or as a case in tests/cases/.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import textclean
    from textclean.testing import laws


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    laws.assert_idempotent(textclean.clean, text)
    laws.assert_explanation_replays(text)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
