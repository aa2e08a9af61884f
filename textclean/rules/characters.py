"""Character repairs (CANON.md, "Characters"): encoding, invisible characters, radicals, 一.

These rules see the whole document and run before the layout phase, so that the layout
phase measures and reads repaired characters.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import regex

from textclean import chardata as cd
from textclean import engine


def repair_surrogates(text: str) -> str:
    r"""Join a surrogate pair written as two code points; a lone surrogate becomes U+FFFD.

    Fires when: the text holds a surrogate code point (U+D800..U+DFFF), as a JSON escape
    (``"\ud83d\ude00"``, ``"\ud800"``) or a lossy decoder can leave in a ``str``.
    Does: a high surrogate followed by a low one becomes the one character they encode;
    any other surrogate, which is not a character and cannot be written as UTF-8,
    becomes the replacement character U+FFFD (as ftfy does).
    Leaves alone: every other character.
    Runs before: every other rule, so that none of them meets a surrogate.

    >>> repair_surrogates('\ud83d\ude00')
    '😀'
    >>> repair_surrogates('中\ud800国')
    '中�国'
    >>> repair_surrogates('中国')
    '中国'
    """
    try:
        text.encode("utf-8")  # the fast test: only a surrogate makes this fail
    except UnicodeEncodeError:
        return cd.SURROGATE_RE.sub(_surrogate, text)
    return text


def _surrogate(match: re.Match[str]) -> str:
    high, low = match.group(1), match.group(2)
    if high is None:
        return "\ufffd"
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


@cache
def _ftfy_config() -> Any:
    import ftfy  # noqa: PLC0415 - only paid for when mojibake is suspected

    # ftfy's defaults would turn ，：！？ into ASCII (fix_character_width), straighten “”
    # (uncurl_quotes), unescape HTML and NFC-normalise: all wrong for this text. Keep
    # only its encoding repairs, with the C1 controls read as Windows-1252 punctuation.
    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
        restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
        fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
        remove_control_chars=False, normalization=None, explain=False,
    )


def repair_mojibake(text: str) -> str:
    r"""Repair text that was UTF-8 but was decoded in a single-byte code page.

    Fires when: a line holds a C1 control, a replacement character or a character that
    a single-byte code page gives for a byte (``ä``, ``Ã``, ``Ð``, ``√``, ``╨``...), other
    than the marks clean Chinese text uses (“”‘’—…·°×); then ftfy's own measure of
    how implausible the line is decides.
    Does: ftfy's encoding repairs on that line and nothing else of ftfy: a UTF-8 text read
    as Latin-1, Windows-125x, Mac Roman or IBM 437 is decoded again (also a fragment of
    a line, and twice over for a text mis-decoded twice); C1 controls that stand for
    Windows-1252 punctuation become it (``\x93…\x94`` → ``“…”``).
    Leaves alone: what ftfy finds plausible, which is what a person writes: accented
    Latin text (``Brontë``, ``café……``, ``NESTLÉ®``), signs (``5×£35``), and every line
    without the hint; a line the repair would make longer; a line whose one sign is
    ``Â`` before a no-break space (a letter as often as mojibake); CJK punctuation and
    curly quotes (ftfy's width and quote fixers are off).
    Runs before: remove_invisible_chars (C1 controls are still needed here).

    >>> repair_mojibake('ä¸\xadå\x9b½')
    '中国'
    >>> repair_mojibake('据新华社ä¸\xadå›½å¤–äº¤')
    '据新华社中国外交'
    >>> repair_mojibake('\x93云外交\x94')
    '“云外交”'
    >>> repair_mojibake('法国café……。Charlotte Brontë…” NESTLÉ® 5×£35')
    '法国café……。Charlotte Brontë…” NESTLÉ® 5×£35'
    """
    if not cd.MOJIBAKE_HINT.search(text):
        return text
    # Line by line: the rule stays line-local, so a document cut at line breaks gets the
    # same repairs, and a refused repair costs one line only.
    return "\n".join(
        _ftfy_line(line) if cd.MOJIBAKE_HINT.search(line) else line
        for line in text.split("\n")
    )


def _ftfy_line(line: str) -> str:
    import ftfy  # noqa: PLC0415

    fixed: str = ftfy.fix_text(line, config=_ftfy_config())
    if len(fixed) > len(line):
        return line
    if line.count(_A_NBSP) == 1 and line.replace(_A_NBSP, "\N{NO-BREAK SPACE}") == fixed:
        # The one sign was Â before a no-break space, and the repair only drops the Â:
        # UTF-8's no-break space read as Latin-1, or a capital Â that stood there. A
        # single two-character sequence is no certainty; more mojibake in the line is.
        return line
    return fixed


_A_NBSP = "\N{LATIN CAPITAL LETTER A WITH CIRCUMFLEX}\N{NO-BREAK SPACE}"


_LINE_BREAKS = cd.compile("\r\n|[\r\u2028\u2029\x0b]|(\x0c)")


def normalize_line_breaks(text: str) -> str:
    r"""Turn every line break into ``\n``, and a form feed (page break) into a blank line.

    Fires when: the text has ``\r\n``, ``\r``, U+2028/U+2029, a vertical tab or a form
    feed.
    Does: ``\r\n``, ``\r``, U+2028, U+2029 and vertical tab become ``\n``; a form feed
    becomes ``\n\n``, so the layout phase sees the page break as a blank line and
    decides from the text whether the sentence goes on.
    Leaves alone: ``\n`` and everything else.

    >>> normalize_line_breaks('第一行\r\n第二行\r第三行')
    '第一行\n第二行\n第三行'
    >>> normalize_line_breaks('没有换行符')
    '没有换行符'
    """
    return engine.twin(normalize_line_breaks_reference, text)


def normalize_line_breaks_reference(text: str) -> str:
    """:func:`normalize_line_breaks` in Python: the specification of the engine's
    twin."""
    if "\r" not in text and not _LINE_BREAKS.search(text):
        return text
    return _LINE_BREAKS.sub(lambda m: "\n\n" if m.group(1) else "\n", text)


def remove_invisible_chars(text: str) -> str:
    r"""Remove zero-width and control characters.

    Fires when: the text has a control character other than ``\n`` and ``\t``, a C1
    control, a zero-width space or joiner, a bidi mark, a soft hyphen or a BOM.
    Does: deletes them.
    Leaves alone: ``\n``, ``\t`` and every visible character.
    Runs after: repair_mojibake, which needs the C1 controls.

    >>> remove_invisible_chars('中\u200b国\ufeff')
    '中国'
    >>> remove_invisible_chars('中国\t外交')
    '中国\t外交'
    """
    return engine.twin(remove_invisible_chars_reference, text)


def remove_invisible_chars_reference(text: str) -> str:
    """:func:`remove_invisible_chars` in Python: the specification of the engine's
    twin."""
    return cd.INVISIBLE_RE.sub("", text)


_IDEOGRAPH_HINT = cd.compile_class("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def map_compatibility_ideographs(text: str) -> str:
    """Map Kangxi radicals and CJK compatibility ideographs to the unified ideographs.

    Fires when: the text has a Kangxi radical (U+2F00..), a CJK Radicals Supplement
    character that stands for a whole character, or a compatibility ideograph, as PDF
    extraction produces.
    Does: replaces each with its unified ideograph (``⼀`` U+2F00 → ``一``).
    Leaves alone: everything else; unlike NFKC it never touches punctuation or width.

    >>> map_compatibility_ideographs('⼀带⼀路，⻓江')
    '一带一路，长江'
    >>> map_compatibility_ideographs('一带一路，长江')
    '一带一路，长江'
    """
    if not _IDEOGRAPH_HINT.search(text):
        return text
    return engine.twin(map_compatibility_ideographs_reference, text)


def map_compatibility_ideographs_reference(text: str) -> str:
    """:func:`map_compatibility_ideographs` in Python: the specification of the
    engine's twin."""
    if not _IDEOGRAPH_HINT.search(text):
        return text
    return text.translate(cd.IDEOGRAPH_TABLE)


#: What a clause may start after, for restore_yi_from_dash: a mark right before it,
#: or a sentence or clause mark and one space.
_YI_AFTER = "。，；：！？、“‘（《【,;:!?(\n"
_YI_AFTER_SPACED = "。，；：！？,;:!?"
#: The spaces that may stand before and after the dash.
_YI_SPACES = " \u3000"


def _yi_pattern() -> regex.Pattern[str]:
    tails = sorted(cd.yi_word_tails(), key=len, reverse=True)
    words = "|".join(regex.escape(t) for t in tails)
    boundary = rf"(?:^|(?<=[{_YI_AFTER}])|(?<=[{_YI_AFTER_SPACED}][{_YI_SPACES}]))"
    dash = f"[{cd.DASHES}]"
    # The boundary and the spaces after it are looked behind from the dash, so that
    # a match is tried only where a dash stands (twelve times faster on the engine
    # corpus than matching them first and dropping them with \K; the same matches).
    return cd.compile(
        rf"(?<={boundary}(?<![{cd.DASHES}])[{_YI_SPACES}]*){dash}(?!{dash})"
        rf"(?=[{_YI_SPACES}]*(?:{words}))",
        regex.MULTILINE,
    )


_YI_RE = _yi_pattern()


def restore_yi_from_dash(text: str) -> str:
    """Restore 一 that OCR read as a dash, hyphen or underscore.

    Fires when: a single dash, hyphen, em dash or underscore stands at a line start,
    or after sentence or clause punctuation, and the text after it begins a word
    that starts with 一 (data/yi_words.txt).
    Does: replaces the dash with 一.
    Leaves alone: double dashes (——), a dash after a character (中国-东盟, 1-4月), a
    dash not followed by a 一-word. (Spaces between the dash and the word do not
    matter: the inline phase removes them, and the result must be a fixed point.)
    Runs before: the layout phase, so that line starts are still visible.

    >>> restore_yi_from_dash('-年来，投入精力最大的是抗疫外交。')
    '一年来，投入精力最大的是抗疫外交。'
    >>> restore_yi_from_dash('我们注意到，—些西方政客')
    '我们注意到，一些西方政客'
    >>> restore_yi_from_dash('中国-东盟，1-4月，——一些')
    '中国-东盟，1-4月，——一些'
    """
    return engine.twin(restore_yi_from_dash_reference, text)


def restore_yi_from_dash_reference(text: str) -> str:
    """:func:`restore_yi_from_dash` in Python: the specification of the engine's twin."""
    if not any(ch in text for ch in cd.DASHES):
        return text
    return _YI_RE.sub("一", text)


@cache
def _opencc(config: str) -> Any:
    """An OpenCC converter from whichever binding is installed (both are module opencc)."""
    try:
        import opencc  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "Traditional/Simplified conversion needs OpenCC: pip install 'textclean-zh[opencc]'"
        ) from exc
    # The official binding accepts 't2s' and 't2s.json'; the pure-Python port
    # accepts 't2s' (older releases) or 't2s.json'. Try the bare name first.
    last: Exception | None = None
    for name in (config, f"{config}.json"):
        try:
            return opencc.OpenCC(name)
        except Exception as exc:  # the two bindings raise different types
            last = exc
    raise ValueError(f"unknown OpenCC configuration {config!r}") from last


def check_conversion(config: str) -> None:
    """Raise ValueError (an unknown configuration) or RuntimeError (OpenCC missing)
    unless ``config`` converts: a run checks it once before its first file."""
    _opencc(config)


def convert_script(text: str, *, config: str = "t2s") -> str:
    """Convert between Traditional and Simplified Chinese with OpenCC.

    Fires when: switched on with the ``convert`` option (off by default: CANON does no
    conversion).
    Does: runs the OpenCC configuration (``t2s``, ``s2t``, ``tw2sp``, ...) over the text.
    Leaves alone: everything when not switched on.
    Runs after: repair_mojibake (conversion needs real characters).

    >>> convert_script('漢字', config='t2s')
    '汉字'
    """
    converted: str = _opencc(config).convert(text)
    return converted
