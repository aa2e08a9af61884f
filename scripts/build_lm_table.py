"""Build textclean's word-trigram table from fcitx5 libime's Simplified Chinese model.

The model is libime's ``data/lm_sc.arpa`` (an ARPA text file of a word-level trigram
model: about 165,000 words, 2 million bigrams, 630,000 trigrams; LGPL-2.1-or-later),
shipped inside libime's source release and so in Debian's source package ``libime``.
The table keeps what the look-alike rules need to tell two readings of a few
characters apart (textclean.lm):

- every unigram (a segmentation needs every word, and back-off needs their weights);
- every bigram and trigram that holds a word with a character of
  ``textclean/data/lookalikes.tsv`` or 一 (the characters a repair changes): n-grams
  without one score the same in both readings, so dropping them changes no decision.

Log probabilities and back-off weights (base 10) are rounded to thousandths.

Usage, from the repository's top (the build does not run at install time; the
table it writes is committed)::

    apt-get source --download-only libime      # needs a deb-src line
    python scripts/build_lm_table.py libime_1.0.16.orig.tar.xz

or give the path of an ``lm_sc.arpa`` (or the ``lm_sc.arpa-*.tar.xz`` inside the
release). Writes ``textclean/data/lm_sc_lookalikes.bin``; the format is described in
textclean/lm.py.
"""

from __future__ import annotations

import argparse
import io
import lzma
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textclean import chardata as cd  # noqa: E402
from textclean.files import atomic_output  # noqa: E402
from textclean.lm import SCALE, encode  # noqa: E402

OUT = ROOT / "textclean" / "data" / "lm_sc_lookalikes.bin"


def _arpa_in(tar: tarfile.TarFile) -> Iterator[str] | None:
    """The lines of the lm_sc.arpa inside a tarball (or inside the lm_sc.arpa-*.tar.xz
    inside it), or None."""
    for member in tar:
        f = tar.extractfile(member) if member.isfile() else None
        if f is None:
            continue
        if member.name.endswith("lm_sc.arpa"):
            return io.TextIOWrapper(f, encoding="utf-8")
        if "lm_sc.arpa" in member.name and member.name.endswith(".tar.xz"):
            # In memory, and kept open: its lines are read after this returns.
            inner = tarfile.open(fileobj=io.BytesIO(lzma.decompress(f.read())))  # noqa: SIM115
            return _arpa_in(inner)
    return None


def arpa_lines(path: Path) -> Iterator[str]:
    """The lines of the ARPA file at ``path``: the file itself, a tarball holding
    it, or libime's source release holding that tarball."""
    if path.name.endswith(".arpa"):
        with path.open(encoding="utf-8") as f:
            yield from f
        return
    with tarfile.open(path) as tar:
        lines = _arpa_in(tar)
        if lines is None:
            raise SystemExit(f"{path}: no lm_sc.arpa inside")
        yield from lines


def read_arpa(path: Path, changed: set[str]) -> tuple[list[tuple[str, int, int]],
                                                      list[tuple[str, str, int, int]],
                                                      list[tuple[str, str, str, int]]]:
    """Unigrams (word, logp, backoff), and the bigrams and trigrams that hold a word
    with a character of ``changed``, with their weights scaled to integers."""
    uni: list[tuple[str, int, int]] = []
    bi: list[tuple[str, str, int, int]] = []
    tri: list[tuple[str, str, str, int]] = []
    order = 0
    for raw in arpa_lines(path):
        line = raw.rstrip("\n")
        if line.startswith("\\"):
            order = int(line[1]) if line[1:2].isdigit() else 0
            continue
        if not order or not line:
            continue
        fields = line.split("\t")
        logp = round(float(fields[0]) * SCALE)
        backoff = round(float(fields[2]) * SCALE) if len(fields) > 2 else 0
        words = fields[1].split(" ")
        if order == 1:
            uni.append((words[0], logp, backoff))
        elif any(c in changed for w in words for c in w):
            if order == 2:
                bi.append((words[0], words[1], logp, backoff))
            else:
                tri.append((words[0], words[1], words[2], logp))
    return uni, bi, tri


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="libime's source release, or lm_sc.arpa")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    changed = set(cd.lookalike_pairs()) | set("".join(cd.lookalike_pairs().values())) | {"一"}
    uni, bi, tri = read_arpa(args.source, changed)
    if max(len(uni), 1) >= 1 << 18:
        raise SystemExit("too many words for 18-bit ids")
    source = (f"fcitx5 libime lm_sc.arpa from {args.source.name}; LGPL-2.1-or-later; "
              f"unigrams {len(uni)}, bigrams and trigrams with "
              f"{''.join(sorted(changed))}: {len(bi)}, {len(tri)}")
    data = encode(uni, bi, tri, source)
    with atomic_output(args.out) as out:
        out.write(data)
    print(f"{args.out}: {len(data) / 1e6:.2f} MB ({source})")


if __name__ == "__main__":
    main()
