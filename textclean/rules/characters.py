"""Character repairs (CANON.md, "Characters"): encoding, invisible characters, radicals, 一.

These rules see the whole document and run before the layout phase, so that the layout
phase measures and reads repaired characters.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import regex

from textclean import chardata as cd

# Windows-1252 characters in 0x80..0x9F, back to their byte (the others are Latin-1).
_CP1252_BYTE = {
    chr(b).encode("latin-1").decode("cp1252", errors="ignore") or chr(b): b
    for b in range(0x80, 0xA0)
}


def _char_byte(ch: str) -> int | None:
    """The byte a mis-decoded character came from, or None if it came from no byte."""
    o = ord(ch)
    if o < 0x100:
        return o
    return _CP1252_BYTE.get(ch)


def _utf8_length(lead: int) -> int:
    """Length of the UTF-8 sequence a lead byte opens (0 for a byte that opens none)."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _decode_run(match: regex.Match[str]) -> str:
    """Decode, inside one run of mis-decoded characters, every whole UTF-8 sequence."""
    run = match.group()
    data = [_char_byte(ch) for ch in run]
    out: list[str] = []
    i = 0
    while i < len(run):
        lead = data[i]
        n = _utf8_length(lead) if lead is not None else 0
        chunk = data[i:i + n]
        if n and len(chunk) == n and all(b is not None for b in chunk):
            try:
                out.append(bytes(chunk).decode("utf-8"))  # type: ignore[arg-type]
                i += n
                continue
            except UnicodeDecodeError:
                pass
        out.append(run[i])
        i += 1
    return "".join(out)


@cache
def _ftfy_config() -> Any:
    import ftfy  # noqa: PLC0415 - only paid for when mojibake is seen

    # ftfy's defaults would turn ，：！？ into ASCII (fix_character_width), straighten “”
    # (uncurl_quotes) and NFC-normalise: all wrong for Chinese text. Keep only the
    # encoding repairs.
    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
        restore_byte_a0=True, replace_lossy_sequences=False, decode_inconsistent_utf8=True,
        fix_c1_controls=False, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
        remove_control_chars=False, normalization=None, explain=False,
    )


def repair_mojibake(text: str) -> str:
    """Decode text that was UTF-8 but was read as Latin-1 or Windows-1252.

    Fires when: a cheap check sees a UTF-8 lead byte read as a Latin-1 letter followed
    by a continuation byte (``ä¸­`` for 中); plain Chinese never shows that.
    Does: in every run of characters that single bytes can turn into (C1 controls
    included, which carry the bytes Latin-1 has no letter for), decodes each complete,
    valid UTF-8 sequence; then lets ftfy's encoding repair (and nothing else of ftfy)
    try what is left.
    Leaves alone: text without the pattern; bytes that do not form valid UTF-8; a line
    that ftfy's repair would make longer; CJK punctuation and curly quotes (ftfy's
    width and quote fixers are off).
    Runs before: remove_invisible_chars (C1 controls are still needed here).

    >>> repair_mojibake('ä¸\\xadå\\x9b½')
    '中国'
    >>> repair_mojibake('ä¸\\xadå\\x9b½ä¸\\x8eä¸\\x96ç\\x95\\x8c')
    '中国与世界'
    >>> repair_mojibake('åˆ›æ–°')
    '创新'
    >>> repair_mojibake('café, 30°C, 豪尔赫·切迪克')
    'café, 30°C, 豪尔赫·切迪克'
    """
    if not cd.MOJIBAKE_HINT.search(text):
        return text
    text = cd.MOJIBAKE_RUN.sub(_decode_run, text)
    if cd.MOJIBAKE_HINT.search(text):
        # Line by line: a repair that would lengthen one line is refused for that line
        # alone (and the rule stays line-local, so a document cut at line breaks gets
        # the same repairs).
        text = "\n".join(
            _ftfy_line(line) if cd.MOJIBAKE_HINT.search(line) else line
            for line in text.split("\n")
        )
    return text


def _ftfy_line(line: str) -> str:
    import ftfy  # noqa: PLC0415

    fixed: str = ftfy.fix_text(line, config=_ftfy_config())
    return fixed if len(fixed) <= len(line) else line


_LINE_BREAKS = regex.compile("\r\n|[\r\u2028\u2029\x0b]|(\x0c)")


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
    return cd.INVISIBLE_RE.sub("", text)


_IDEOGRAPH_HINT = regex.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


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
    return text.translate(cd.IDEOGRAPH_TABLE)


def _yi_pattern() -> regex.Pattern[str]:
    tails = sorted(cd.yi_word_tails(), key=len, reverse=True)
    words = "|".join(regex.escape(t) for t in tails)
    boundary = r"(?:^|(?<=[。，；：！？、“‘（《【,;:!?(\n])|(?<=[。，；：！？,;:!?][ \u3000]))"
    dash = f"[{cd.DASHES}]"
    return regex.compile(
        rf"{boundary}(?<![{cd.DASHES}])[ \u3000]*\K{dash}(?!{dash})(?=[ \u3000]*(?:{words}))",
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
            "Traditional/Simplified conversion needs OpenCC: pip install 'textclean[opencc]'"
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
