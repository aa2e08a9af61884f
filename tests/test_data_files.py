"""Data files are sorted, unique and documented (OpenCC's habit)."""

from __future__ import annotations

import pickle
from importlib import resources
from itertools import pairwise

import pytest

#: Each data file and how many of its leading columns make a line's key.
DATA_FILES = {"yi_words.txt": 1, "radicals_supplement.tsv": 1, "lookalikes.tsv": 2,
              "lexicon_exclude.txt": 1, "transliteration_chars.txt": 1}


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_sorted_unique_with_header(name: str) -> None:
    text = resources.files("textclean.data").joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if line and not line.startswith("#")]
    assert any("Used by" in line for line in header)
    assert any("Provenance" in line for line in header)
    keys = ["\t".join(line.split("\t")[:DATA_FILES[name]]) for line in body]
    assert keys == sorted(keys), f"{name} is not sorted"
    assert len(keys) == len(set(keys)), f"{name} has duplicates"


def test_space_set_lists_characters_not_ranges() -> None:
    """HSPACE serves as a set for ``in``/``strip`` and as a regex class body: a range
    written as ``a-b`` would make ``-`` a space for the former."""
    from textclean import chardata as cd  # noqa: PLC0415
    from textclean.rules.lines import ends_sentence  # noqa: PLC0415
    from textclean.rules.punctuation import neighbours  # noqa: PLC0415

    assert "-" not in cd.HSPACE
    assert all(chr(c) in cd.HSPACE for c in range(0x2000, 0x200B))
    assert neighbours("A-,", 2, 3) == ("-", "")
    assert not ends_sentence("他说。-")


def test_line_whitespace_is_what_strip_strips_inside_a_line() -> None:
    """LINE_WHITESPACE stands for ``str.isspace`` (but the line break) in patterns that
    must agree with ``str.strip``."""
    from textclean import chardata as cd  # noqa: PLC0415

    every = {chr(cp) for cp in range(0x110000) if chr(cp).isspace()}
    assert set(cd.LINE_WHITESPACE) == every - {"\n"}
    assert len(cd.LINE_WHITESPACE) == len(set(cd.LINE_WHITESPACE))


def test_the_scripts_snapshot_agrees_with_the_installed_regex() -> None:
    """Each code point of chardata.SCRIPTS is of its script, or unassigned, for the
    regex module installed (an older one knows fewer ideographs; a newer one may know
    more, which the snapshot then leaves out until it is taken again)."""
    import regex  # noqa: PLC0415

    from textclean import chardata as cd  # noqa: PLC0415

    for name, ranges in cd.SCRIPTS.items():
        script = regex.compile(rf"[\p{{{name}}}\p{{Cn}}]")
        text = "".join(chr(cp) for a, b in ranges for cp in range(a, b + 1))
        assert script.sub("", text) == "", name
        assert all(a <= b for a, b in ranges)
        assert all(b1 < a2 - 1 for (_, b1), (a2, _) in pairwise(ranges))
    # The snapshot holds the scripts' core as any regex module knows it.
    han = regex.compile(r"\p{Han}")
    assert all(han.fullmatch(ch) for ch in "中国人〇々")
    assert regex.compile(f"[{cd.HAN}]").fullmatch("\U0002B81E")


def test_the_categories_snapshot_agrees_with_the_installed_regex() -> None:
    """Each code point of chardata.CATEGORIES is of its category, or unassigned, for
    the regex module installed, and the snapshot holds every code point the installed
    module puts in the category among those it knew when it was taken."""
    import regex  # noqa: PLC0415

    from textclean import chardata as cd  # noqa: PLC0415

    assert set(cd.CATEGORIES) == {"L", "N", "M"}
    for name, ranges in cd.CATEGORIES.items():
        text = "".join(chr(cp) for a, b in ranges for cp in range(a, b + 1))
        assert regex.sub(rf"[\p{{{name}}}\p{{Cn}}]", "", text) == "", name
        assert all(a <= b for a, b in ranges)
        assert all(b1 < a2 - 1 for (_, b1), (a2, _) in pairwise(ranges))
        # Assigned for the installed module and of the category: in the snapshot
        # (a category keeps its code points from one Unicode to the next).
        snapshot = regex.compile(f"[{cd.class_body(ranges)}]")
        every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
        assert snapshot.sub("", regex.sub(rf"\P{{{name}}}", "", every)) == "", name
    assert regex.compile(cd.with_scripts(r"[\p{L}]")).fullmatch("é")
    assert not regex.compile(cd.with_scripts(r"[\p{L}\p{N}\p{M}]")).search(" ,.中"[:3])


def test_a_lazy_pattern_compiles_on_first_use_and_acts_as_the_compiled_one() -> None:
    import regex  # noqa: PLC0415

    from textclean import chardata as cd  # noqa: PLC0415

    pattern = cd.compile(r"(?<=\p{Han}) +(?=\p{Han})")
    assert "compiled" not in vars(pattern)  # nothing compiled yet
    text = "中 国  经济 growth 好"
    assert pattern.sub("", text) == regex.sub(r"(?<=\p{Han}) +(?=\p{Han})", "", text)
    assert "compiled" in vars(pattern)
    assert [m.span() for m in pattern.finditer(text)] == [(1, 2), (3, 5)]
    assert pattern.pattern == cd.with_scripts(r"(?<=\p{Han}) +(?=\p{Han})")
    copy = pickle.loads(pickle.dumps(pattern))  # Ray ships rules to its workers
    assert copy.sub("", text) == pattern.sub("", text)


def test_plain_class_patterns_match_what_regex_matches() -> None:
    """Each pattern compiled by compile_class (the standard library's re) matches the
    characters the regex module matches for the same class, over every code point."""
    import gc  # noqa: PLC0415

    import regex  # noqa: PLC0415

    import textclean  # noqa: F401, PLC0415 - the rules' patterns
    from textclean import chardata as cd  # noqa: PLC0415

    plain = [p for p in gc.get_objects()
             if isinstance(p, cd.LazyPattern) and p._source[2]]
    assert len(plain) >= 10
    everything = "".join(map(chr, range(0x110000)))
    for pattern in plain:
        source = pattern._source[0]
        assert pattern.sub("", everything) == regex.compile(source).sub("", everything), source


def test_compile_class_refuses_what_re_reads_apart() -> None:
    from textclean import chardata as cd  # noqa: PLC0415

    for source in (r"[\p{Lu}]", r"[\s，]", r"[a-z]|[0-9]", r"[\w]+", r"[[a-z]--[aeiou]]"):
        with pytest.raises(ValueError, match="not one character class"):
            cd.compile_class(source)
    # The scripts are the snapshot's code points: listed characters, taken.
    assert cd.compile_class(r"[\p{Han}]").search("中")
    assert cd.compile_class(r"[\p{L}\p{N}]").search("é")
    pattern = cd.compile_class("[，。]+")
    assert pickle.loads(pickle.dumps(pattern)).sub("", "一，。二") == "一二"
