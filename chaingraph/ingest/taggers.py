"""Optional statistical taggers as extra sources of firm mentions (measured, not the default).

``chaingraph ingest`` uses the rules of :mod:`chaingraph.ingest.names` only.  This module lets
``benchmarks/extraction_devset.py --method`` measure what a part-of-speech tagger whose model
ships inside its PyPI package adds: ``jieba`` (organisation tag ``nt``).  Nothing here
downloads a model.  A tagger's organisation tags are filtered like every rule candidate
(no government bodies, parks, chambers, universities or banks; a valid trade name).
"""

from __future__ import annotations

from chaingraph.ingest.names import NameMention, name_ok, is_non_firm

#: tagger names accepted by :func:`tagger_mentions`
TAGGERS = ("jieba-nt",)


def tagger_mentions(text: str, tagger: str) -> list[NameMention]:
    """Firm mentions a tagger finds in normalised ``text`` (kind ``list``, low confidence).

    Raises
    ------
    ValueError
        For an unknown tagger name.
    ImportError
        When the tagger's package is not installed.
    """
    if tagger == "jieba-nt":
        return _jieba_nt(text)
    raise ValueError(f"unknown tagger {tagger!r}; known: {', '.join(TAGGERS)}")


def _jieba_nt(text: str) -> list[NameMention]:
    import logging

    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    out, pos = [], 0
    for word, flag in pseg.cut(text):
        w = str(word)
        if flag == "nt" and len(w) >= 2 and not is_non_firm(w) and name_ok(w, need_form=False, bare=True):
            out.append(NameMention(w, pos, pos + len(w), "list", 0.5))
        pos += len(w)
    return out
