"""Reading raw dumps: which encoding, and clear errors with byte offsets.

``auto`` reads, in this order:

1. a byte-order mark: UTF-8, UTF-16 or UTF-32 (little- or big-endian);
2. UTF-8;
3. GB18030 or Big5, whichever reads as more common Chinese (GB 2312's level-1
   characters and Big5's frequent characters, with CJK punctuation). Neither is taken
   unless most of the non-ASCII text reads as common Chinese, so Latin-1 or binary
   data is refused rather than turned into nonsense.

A NUL byte without a UTF-16/32 byte-order mark means a binary file. Everything that
cannot be decoded raises :class:`DecodeError` with the byte offset.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Iterator
from functools import cache
from typing import Protocol

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: The legacy Chinese encodings ``auto`` considers when the bytes are not UTF-8.
LEGACY = ("gb18030", "big5hkscs")

#: Bytes looked at to choose an encoding for a file read in blocks.
SNIFF_BYTES = 1 << 22

#: Share of non-ASCII characters that must read as common Chinese for a legacy encoding.
MIN_COMMON_SHARE = 0.6


class Readable(Protocol):
    """A binary file, or anything with its ``read``."""

    def read(self, size: int = -1, /) -> bytes: ...


class DecodeError(ValueError):
    """Bytes that cannot be read as text: why, and where (byte offset, if known)."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


def check_encoding(name: str) -> str:
    """The codec name for an ``--encoding`` value; ValueError if Python has no such codec
    or the codec is not a text encoding (``base64``)."""
    if name == "auto":
        return name
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        # base64, zlib, rot13...: codecs from bytes to bytes or str to str, not text.
        raise ValueError(f"{name!r} is not a text encoding (it is a {info.name} transform)")
    return info.name


@cache
def _common_chinese() -> frozenset[str]:
    """Frequent Chinese characters: GB 2312 level 1 and Big5's frequent set, and marks."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):          # GB 2312 level 1: B0A1..D7F9
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):          # Big5 frequent characters: A440..C67E
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    chars = {ch for ch in chars if "\u4e00" <= ch <= "\u9fff"}  # Big5 level 1 has kana
    chars.update(map(chr, range(0x3000, 0x3020)))  # 、。〈〉《》「」
    chars.update(map(chr, range(0xFF01, 0xFF5F)))  # full-width forms: ，！：（）
    chars.update("“”‘’…—·")
    return frozenset(chars)


def common_share(text: str) -> float:
    """Share of the non-ASCII characters of text that are common Chinese (1.0 if none).

    >>> common_share('中国外交，2020年'), common_share('ÃƒÂ©tÃ©')
    (1.0, 0.0)
    """
    common = _common_chinese()
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 1.0
    return sum(ch in common for ch in wide) / len(wide)


def _decode_prefix(data: bytes, encoding: str, final: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    return decoder.decode(data, final=final)


def _utf8_error(data: bytes, final: bool) -> UnicodeDecodeError | None:
    try:
        _decode_prefix(data, "utf-8", final)
    except UnicodeDecodeError as exc:
        return exc
    return None


def detect(data: bytes, *, final: bool = True) -> str:
    """The encoding ``auto`` chooses for these bytes (the whole file, or its start).

    ``final=False`` says that the bytes are only the start of the file (a sequence cut
    at the end is not an error).

    >>> detect('中文'.encode('gb18030')), detect('中文'.encode('big5')), detect(b'abc')
    ('gb18030', 'big5hkscs', 'utf-8')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(f"binary file (NUL byte at offset {nul})", nul)
    error = _utf8_error(data, final)
    if error is None:
        return "utf-8"
    readings: list[tuple[float, str]] = []
    failures: list[str] = []
    for name in LEGACY:
        try:
            text = _decode_prefix(data, name, final)
        except UnicodeDecodeError as exc:
            failures.append(f"{name} fails at offset {exc.start}")
            continue
        share = common_share(text)
        readings.append((share, name))
        failures.append(f"{name} reads as {share:.0%} common Chinese")
    best = max(readings, default=None)
    if best is not None and best[0] >= MIN_COMMON_SHARE:
        return best[1]
    raise DecodeError(
        f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} "
        f"({error.reason}); nor GB18030 or Big5 ({'; '.join(failures)})",
        error.start,
    )


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The text of a whole file, and the encoding it was read with.

    >>> decode('﻿中文'.encode('utf-8'))
    ('中文', 'utf-8-sig')
    >>> decode(b'\\xd6\\xd0\\xce\\xc4')
    ('中文', 'gb18030')
    """
    name = detect(data) if encoding == "auto" else encoding
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not {name}: byte 0x{data[exc.start]:02x} at offset {exc.start} ({exc.reason})",
            exc.start,
        ) from None
    return text, name


def iter_decode(handle: Readable, encoding: str = "auto",
                block: int = 1 << 20) -> Iterator[str]:
    """Decode a file in blocks (bounded memory), with byte offsets in errors.

    With ``auto`` the encoding is chosen from the file's first :data:`SNIFF_BYTES`.
    """
    head = handle.read(max(block, SNIFF_BYTES))
    name = detect(head, final=len(head) < SNIFF_BYTES) if encoding == "auto" else encoding
    decoder = codecs.getincrementaldecoder(name)("strict")
    consumed = 0  # bytes fed to the decoder before this block
    data = head
    while True:
        final = not data
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            offset = consumed - pending + exc.start
            raise DecodeError(f"not {name}: bytes at offset {offset} ({exc.reason})",
                              offset) from None
        if text:
            yield text
        if final:
            return
        consumed += len(data)
        data = handle.read(block)
