"""Normalise Chinese article text while keeping a map back to the original.

Articles arrive in two scripts, with spaces inside words (PDF extraction) and lines broken
mid-sentence.  Extraction and evidence quotes work on a normalised copy; evidence offsets
always point into the ORIGINAL text.  :func:`normalize` returns both the normalised text and,
for every normalised character, the offset of the original character it came from.

Rules, applied in one pass:

* traditional → simplified with OpenCC (``t2s``), phrase-aware;
* full-width ASCII letters, digits and symbols → half-width; ``(`` ``)`` → ``（`` ``）`` and
  ``「」`` → ``“”`` so company names compare equal whatever the typesetting;
* ASCII ``, ; : ! ?`` next to a Chinese character become full width (，；：！？), so clause
  and sentence rules see them (``1,000`` stays);
* pinyin inserted after a character (``業(yè)``, ``发(fā)展``: lower-case Latin letters, tone
  marks allowed, in round brackets right after a CJK ideograph) is dropped;
* white space (including line breaks) next to a CJK character or CJK punctuation is dropped;
  other runs of white space become one space, except that a line break after sentence-final
  punctuation (。！？；) is kept as ``\\n``.

Examples
--------
>>> n = normalize("永州經開區 \\n 湖 南 骏 捷")
>>> n.text
'永州经开区湖南骏捷'
>>> n.original_span(0, 5)
(0, 5)
>>> n.slice_original(0, 5)
'永州经开区'
"""

from __future__ import annotations

import bisect
import re
import functools
import unicodedata
from dataclasses import dataclass

SENTENCE_END = set("。！？；!?;")
_PUNCT_MAP = {"(": "（", ")": "）", "「": "“", "」": "”", "『": "“", "』": "”", "\u3000": " "}


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # start-up: loading the conversion tables costs ~0.1 s; only text needs them

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified (OpenCC ``t2s``)."""
    return _converter().convert(text)


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs and CJK/full-width punctuation."""
    if not ch:
        return False
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F  # CJK punctuation
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFF0F  # full-width ！＂ … ／ (kept as CJK punctuation)
        or 0xFF1A <= o <= 0xFF20
        or 0xFF3B <= o <= 0xFF40
        or 0xFF5B <= o <= 0xFF65
        or 0x2018 <= o <= 0x201F  # quotes
        or o in (0x2014, 0x2026, 0x00B7)  # — … ·
    )


def _width(ch: str) -> str:
    if ch in _PUNCT_MAP:
        return _PUNCT_MAP[ch]
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)  # full-width letters and digits
    if ch in "．％＋－＝＜＞＠＆＊＃＄":
        return unicodedata.normalize("NFKC", ch)
    return ch


def _simplify_keep_length(text: str) -> str:
    """t2s per line; fall back to per-character where a phrase changes the length."""
    out = []
    for line in text.splitlines(keepends=True):
        conv = to_simplified(line)
        if len(conv) != len(line):
            conv = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in line)
        out.append(conv)
    return "".join(out)


@dataclass(frozen=True)
class Normalized:
    """A normalised text and, per character, the offset of its original character."""

    original: str
    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to ``(start, end)`` in the original text."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        return self.origin[start], self.origin[end - 1] + 1

    def slice_original(self, start: int, end: int) -> str:
        """The normalised characters that come from original offsets ``[start, end)``."""
        lo = bisect.bisect_left(self.origin, start)
        hi = bisect.bisect_left(self.origin, end)
        return self.text[lo:hi]

    def find(self, quote: str, start: int = 0) -> list[tuple[int, int]]:
        """Original spans of every occurrence of a normalised ``quote``."""
        needle = normalize(quote).text
        spans, i = [], self.text.find(needle, start)
        while needle and i >= 0:
            spans.append(self.original_span(i, i + len(needle)))
            i = self.text.find(needle, i + 1)
        return spans


#: pinyin in brackets right after an ideograph: 業(yè), 摩托车(mótuōchē); lower case only, so
#: English words and stock codes in brackets stay
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\s?[(（]([a-z\u00e0-\u024f\u0300-\u036f]{1,30})[)）]")


_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def _is_ideograph(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or ch in "”）")


def _next_char(text: str, i: int) -> str:
    j = i + 1
    while j < len(text) and text[j] in " \t":
        j += 1
    return text[j:j + 1]


def _pinyin_spans(text: str) -> set[int]:
    drop: set[int] = set()
    for m in _PINYIN.finditer(text):
        drop.update(range(m.start(), m.end()))
    return drop


def normalize(original: str) -> Normalized:
    """Normalise ``original`` (see module docstring); keeps the offset map."""
    simple = _simplify_keep_length(original)
    drop = _pinyin_spans(simple)
    chars = [("" if i in drop else _width(c)) for i, c in enumerate(simple)]
    for i, c in enumerate(chars):  # ASCII , ; : ! ? between Chinese words → full width
        if c in _ASCII_PUNCT and (_is_ideograph(simple[i - 1:i]) or _is_ideograph(_next_char(simple, i))):
            chars[i] = _ASCII_PUNCT[c]
    text: list[str] = []
    origin: list[int] = []
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if not c:
            i += 1
            continue
        if not c.isspace():
            text.append(c)
            origin.append(i)
            i += 1
            continue
        j = i
        while j < n and chars[j].isspace():
            j += 1
        prev = text[-1] if text else ""
        nxt = chars[j] if j < n else ""
        run = "".join(chars[i:j])
        has_break = "\n" in run
        if not prev or not nxt:
            pass
        elif has_break and prev in SENTENCE_END:
            text.append("\n")
            origin.append(i)
        elif is_cjk(prev) or is_cjk(nxt):
            pass
        else:
            text.append(" ")
            origin.append(i)
        i = j
    return Normalized(original, "".join(text), tuple(origin))
