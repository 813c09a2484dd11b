"""Read a source file's bytes and decode them, refusing binary input.

Articles arrive as UTF-8 (with or without a byte-order mark), UTF-16 (Windows "Unicode"), GB18030
(a superset of GBK and GB2312) or Big5 (traditional script, Taiwan and Hong Kong).  Decoding is
strict: UTF-8 first because a GB18030 decode of UTF-8 bytes rarely fails but always produces
mojibake; GB18030 and Big5 both decode most byte strings, so the one made of common characters
wins.  Binary content (NUL bytes outside UTF-16, a high share of control characters, or a
decode made of rare characters) raises :class:`chaingraph.errors.ChaingraphError` naming the file.

Input is bounded here, at the entry point, before any extraction: a file over
:data:`MAX_ARTICLE_BYTES` or a passage of more than :data:`MAX_UNPUNCTUATED` characters without
sentence or clause punctuation (extraction works sentence by sentence and its cost grows much
faster than the sentence) is refused with a message saying so.

Examples
--------
>>> decode_bytes("永州经开区".encode("gb18030")).encoding
'gb18030'
>>> decode_bytes(b"\\xef\\xbb\\xbfabc").text
'abc'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from chaingraph.errors import ChaingraphError

#: Largest article file read (news articles are tens of KB; a 20 MB file took 102 s and 1 GB).
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
#: Longest run of characters without sentence or clause punctuation or a line break.
MAX_UNPUNCTUATED = 5000
_BREAKS = re.compile(r"[。！？；，、：,.!?;:\n\r]")
#: Share of control characters (other than tab, CR, LF, FF) above which text is "binary".
MAX_CONTROL_SHARE = 0.01
#: Share of characters outside common Chinese/Latin ranges above which a GB18030 decode
#: is taken to be noise rather than text.
MAX_RARE_SHARE = 0.05


@dataclass(frozen=True)
class SourceText:
    """A decoded source file.

    Attributes
    ----------
    name : str
        File name (no directory).
    path : str
        Path as given.
    text : str
        Decoded text (a UTF-8 BOM is removed).
    encoding : str
        ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"utf-16-le"``, ``"utf-16-be"``, ``"gb18030"``
        or ``"big5"``.
    sha256 : str
        Hex SHA-256 of the file's bytes.
    """

    name: str
    path: str
    text: str
    encoding: str
    sha256: str


@dataclass(frozen=True)
class Decoded:
    """Result of :func:`decode_bytes`: the text and the encoding that decoded it."""

    text: str
    encoding: str


def _is_common(ch: str) -> bool:
    o = ord(ch)
    return (
        o < 0x80
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation
        or 0x00A0 <= o <= 0x00FF  # Latin-1 supplement (·, ×, °)
        or 0x2100 <= o <= 0x22FF  # letter-like symbols, arrows, maths (㎡ is below)
        or 0x3300 <= o <= 0x33FF  # CJK compatibility (㎡)
        or 0x2460 <= o <= 0x27BF  # enclosed numbers, shapes (▲ ▶ ▼ ①)
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0xF900 <= o <= 0xFAFF
    )


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7F <= ord(c) < 0xA0)
    return bad / len(text)


def decode_bytes(data: bytes, name: str = "<bytes>") -> Decoded:
    """Decode ``data`` as UTF-8 (BOM optional), UTF-16 (BOM, or NULs beside ASCII), GB18030 or
    Big5, strictly (GB18030 and Big5 both decode most bytes: the decode made of common
    characters wins).

    Parameters
    ----------
    data : bytes
        File content.
    name : str
        File name used in error messages.

    Returns
    -------
    Decoded
        The text and the encoding used.

    Raises
    ------
    ChaingraphError
        If the content looks binary or decodes in neither encoding.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte order mark (Windows Notepad's "Unicode")
        text = _strict(data, "utf-16", name)
        if text is None:
            raise _undecodable(name)
        return _checked(text, "utf-16", name)
    if b"\x00" in data:
        for enc in ("utf-16-le", "utf-16-be"):  # UTF-16 without a mark: NULs beside ASCII characters
            text = _strict(data, enc, name) if len(data) % 2 == 0 else None
            if text and _control_share(text) <= MAX_CONTROL_SHARE and _rare_share(text) <= MAX_RARE_SHARE:
                return Decoded(text, enc)
        raise ChaingraphError(f"{name}: binary file (contains NUL bytes), not a text article")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data, "utf-8-sig", name)
        if text is not None:
            return _checked(text, "utf-8-sig", name)
    text = _strict(data, "utf-8", name)
    if text is not None:
        return _checked(text, "utf-8", name)
    # GB18030 (simplified, mainland) or Big5 (traditional, Taiwan/Hong Kong): both decode most
    # byte strings, so the one whose text is made of common characters wins
    tried = [(enc, t) for enc in ("gb18030", "cp950") if (t := _strict(data, enc, name)) is not None]
    if not tried:
        raise _undecodable(name)
    enc, text = min(tried, key=lambda et: _rare_share(et[1]))
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise ChaingraphError(f"{name}: binary file (too many control characters), not a text article")
    if _rare_share(text) > MAX_RARE_SHARE:
        raise ChaingraphError(f"{name}: cannot decode as UTF-8, UTF-16, GB18030 or Big5 (looks binary)")
    return Decoded(text, "big5" if enc == "cp950" else enc)


def _strict(data: bytes, enc: str, name: str) -> str | None:
    try:
        return data.decode(enc, errors="strict")
    except UnicodeDecodeError:
        return None


def _rare_share(text: str) -> float:
    return sum(1 for c in text if not _is_common(c)) / len(text) if text else 0.0


def _undecodable(name: str) -> ChaingraphError:
    return ChaingraphError(f"{name}: cannot decode as UTF-8, UTF-16, GB18030 or Big5")


def _checked(text: str, enc: str, name: str) -> Decoded:
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise ChaingraphError(f"{name}: binary file (too many control characters), not a text article")
    return Decoded(text.lstrip("\ufeff") if enc == "utf-16" else text, enc)


def read_source(path: str | Path) -> SourceText:
    """Read and decode a source file.

    Parameters
    ----------
    path : str or Path
        The article file.

    Returns
    -------
    SourceText

    Raises
    ------
    ChaingraphError
        If the file cannot be read, is binary, or is in neither UTF-8 nor GB18030.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ChaingraphError(f"{p}: {size / 2**20:.1f} MiB is too large for one article (at most "
                                  f"{MAX_ARTICLE_BYTES // 2**20} MiB); split it into articles")
        data = p.read_bytes()
    except OSError as exc:
        raise ChaingraphError(f"{p}: cannot read file ({exc.strerror or exc})") from None
    decoded = decode_bytes(data, name=str(p))
    check_punctuated(decoded.text, str(p))
    return SourceText(
        name=p.name,
        path=str(p),
        text=decoded.text,
        encoding=decoded.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_punctuated(text: str, name: str = "<text>") -> None:
    """Refuse text with a passage longer than :data:`MAX_UNPUNCTUATED` characters and no
    punctuation or line break (a table dump, a URL list, text with its punctuation stripped).

    >>> check_punctuated("永州" * 3000)
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: <text>: 6,000 characters without punctuation from character 0 (at most 5,000): ingest reads sentences; add punctuation or line breaks
    """
    last = 0
    for m in _BREAKS.finditer(text + "\n"):
        if m.start() - last > MAX_UNPUNCTUATED:
            raise ChaingraphError(f"{name}: {m.start() - last:,} characters without punctuation from character {last:,} "
                                  f"(at most {MAX_UNPUNCTUATED:,}): ingest reads sentences; add punctuation or line breaks")
        last = m.end()


def read_text(path: str | Path) -> str:
    """Decoded text of a source file (see :func:`read_source`)."""
    return read_source(path).text
