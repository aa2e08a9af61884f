"""Build textclean's lexicon table (textclean/data/lexicon.bin) from jieba's dictionary.

The table holds the counts of jieba's ``dict.txt`` (MIT licence) less the
misspellings textclean.lexicon drops (data/lexicon_exclude.txt, and rare entries
whose look-alike twin is far more frequent). textclean reads it in a tenth of the time
it takes to build from the dictionary's text. Run it from the repository's top when
jieba, data/lookalikes.tsv or data/lexicon_exclude.txt change; a test checks that
the committed table is current::

    python scripts/build_lexicon_table.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textclean import lexicon  # noqa: E402
from textclean.files import atomic_output  # noqa: E402


def main() -> None:
    data = lexicon.encode_table(lexicon.build())
    with atomic_output(lexicon.TABLE) as out:
        out.write(data)
    print(f"{lexicon.TABLE}: {len(data) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
