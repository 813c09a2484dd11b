"""Read a source file's bytes and decode them, refusing binary input.

Articles arrive as UTF-8 (with or without a byte-order mark) or as GB18030 (a superset of
GBK and GB2312).  Decoding is strict: the first encoding that decodes the whole file without
error wins, UTF-8 first because a GB18030 decode of UTF-8 bytes rarely fails but always
produces mojibake.  Binary content (NUL bytes, a high share of control characters, or a
GB18030 decode made of rare characters) raises :class:`chaingraph.errors.ChaingraphError`
naming the file.

Examples
--------
>>> decode_bytes("永州经开区".encode("gb18030")).encoding
'gb18030'
>>> decode_bytes(b"\\xef\\xbb\\xbfabc").text
'abc'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from chaingraph.errors import ChaingraphError

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
        ``"utf-8"``, ``"utf-8-sig"`` or ``"gb18030"``.
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
    """Decode ``data`` as UTF-8 (BOM optional) or GB18030, strictly.

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
    if b"\x00" in data:
        raise ChaingraphError(f"{name}: binary file (contains NUL bytes), not a text article")
    candidates = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.append("utf-8-sig")
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if _control_share(text) > MAX_CONTROL_SHARE:
            raise ChaingraphError(f"{name}: binary file (too many control characters), not a text article")
        if enc == "gb18030" and text:
            rare = sum(1 for c in text if not _is_common(c)) / len(text)
            if rare > MAX_RARE_SHARE:
                raise ChaingraphError(f"{name}: cannot decode as UTF-8 or GB18030 (looks binary)")
        return Decoded(text, enc)
    raise ChaingraphError(f"{name}: cannot decode as UTF-8 or GB18030")


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
        data = p.read_bytes()
    except OSError as exc:
        raise ChaingraphError(f"{p}: cannot read file ({exc.strerror or exc})") from exc
    decoded = decode_bytes(data, name=str(p))
    return SourceText(
        name=p.name,
        path=str(p),
        text=decoded.text,
        encoding=decoded.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def read_text(path: str | Path) -> str:
    """Decoded text of a source file (see :func:`read_source`)."""
    return read_source(path).text
