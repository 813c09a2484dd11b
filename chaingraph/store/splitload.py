"""Split one Turtle file into pieces that several Oxigraph bulk loads can take at once.

Oxigraph's bulk loader gives batches of a million triples to worker threads, so a file
smaller than that is parsed, sorted and written by one thread while the other cores wait.
:func:`pieces` cuts such a file at statement boundaries into pieces (a few per core, so one
piece's parsing overlaps another's disk writes); the store then bulk-loads them concurrently
(``Store.bulk_load`` releases the GIL).  On two cores, four pieces of a 300,000-triple file
are stored in 1.3 s instead of 1.9 s.

A cut is only made where it cannot change what the file means:

- the file has no long string literals (``\"\"\"`` or ``'''``), so no token spans a newline
  and every cut (always after a line ending in '.' and before one starting in column 0)
  falls between tokens;
- every ``@prefix``/``@base``/``PREFIX``/``BASE`` directive starts a line; each piece is
  preceded by the directives that come before it in the file, in order;
- no blank node label is written in two pieces: every bulk load gives labels fresh ids, so a
  label may only be used within one piece (cuts are moved forward past shared labels);
- a cut inside a statement leaves the piece before it ending mid-statement, which Oxigraph
  reports as a syntax error.  The caller must then discard the store and load the file in one
  stream (which also reports the error with the file's own line numbers).  Since no token
  spans a cut, a piece that parses completely ends exactly where the whole file's parser is
  between statements.

Files that do not qualify give ``None`` and are loaded in one stream.
"""

from __future__ import annotations

import os
import re

_LONG_QUOTES = (b'"""', b"'''")
_LABEL_CHARS = rb"A-Za-z0-9_.\-\x80-\xff"
_LABEL = re.compile(rb"_:([" + _LABEL_CHARS + rb"]+)")
"""A blank node label, or a prefix of it (a label never ends in '.'; it is stripped).  In a
valid file a label is followed by an ASCII delimiter, so this never reads past its end."""
_DIRECTIVE = re.compile(rb'(?i)@?prefix[ \t]+[^\s:<>"]*:[ \t]*<[^>\s]*>|@?base[ \t]+<[^>\s]*>')
_STATEMENT_END = re.compile(rb"\.[ \t]*\r?\n(?=[^ \t#])")
"""A line ending in '.' followed by one that starts in column 0: most likely between statements."""
_MAX_MOVES = 8


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def pieces(data: bytes, parts: int) -> list[bytes] | None:
    """``data`` (a Turtle document) cut into up to ``parts`` self-contained documents, or None.

    Each piece carries the directives in force where it starts.  None when the file cannot
    be cut safely (see the module docstring) or ``parts`` < 2.

    >>> doc = b"@prefix ex: <http://e/> .\\nex:a ex:p _:b .\\n_:b ex:q 1 .\\nex:c ex:p 2 .\\n"
    >>> [p.decode() for p in pieces(doc, 2)]
    ['@prefix ex: <http://e/> .\\nex:a ex:p _:b .\\n_:b ex:q 1 .\\n', '@prefix ex: <http://e/> .\\nex:c ex:p 2 .\\n']
    >>> q = b'"' * 3  # a long string literal may hold a newline: not cut
    >>> pieces(b"<a> <b> " + q + b"x .\\ny" + q + b" .\\n<c> <d> <e> .\\n", 2) is None
    True
    """
    if parts < 2 or any(q in data for q in _LONG_QUOTES):
        return None
    directives = _directives(data)
    if directives is None:
        return None
    cuts = _cuts(data, parts)
    if cuts is None:
        return None
    out = []
    for start, end in zip(cuts, cuts[1:]):
        header = b"".join(text for at, text in directives if at < start)
        out.append(header + data[start:end])
    return out


def _directives(data: bytes) -> list[tuple[int, bytes]] | None:
    """(offset, directive as a line) of every directive; None if one does not start a line."""
    lower = data.lower()  # directive keywords are found with bytes.find: a regex scan is 30x slower
    starts = set()
    for word in (b"prefix", b"base"):
        i = lower.find(word)
        while i >= 0:
            starts.add(i - 1 if i and data[i - 1] == 0x40 else i)  # include a leading '@'
            i = lower.find(word, i + len(word))
    found = []
    for start in sorted(starts):
        m = _DIRECTIVE.match(data, start)
        if m is None:
            continue
        line_start = data.rfind(b"\n", 0, start) + 1
        if data[line_start:start].strip(b" \t"):
            return None
        text = m.group(0)
        found.append((start, text + (b" .\n" if text.startswith(b"@") else b"\n")))
    return found


def _cuts(data: bytes, parts: int) -> list[int] | None:
    """Offsets (between statements, see :func:`_statement_end`) that cut ``data`` into pieces sharing no blank node label."""
    cuts = [0]
    for i in range(1, parts):
        c = _statement_end(data, max(len(data) * i // parts, cuts[-1]))
        if c is None or c <= cuts[-1]:
            break
        cuts.append(c)
    cuts.append(len(data))
    if len(cuts) < 3:
        return None
    labels = [_labels(data[a:b]) for a, b in zip(cuts, cuts[1:])]
    for j in range(1, len(cuts) - 1):
        for _ in range(_MAX_MOVES):
            shared = labels[j - 1] & labels[j]
            if not shared:
                break
            # move the cut past the last use of the shared labels in the next piece
            last = max(m.end() for m in _LABEL.finditer(data, cuts[j], cuts[j + 1])
                       if m.group(1).rstrip(b".") in shared)
            c = _statement_end(data, last)
            if c is None or c >= cuts[j + 1]:
                return None
            cuts[j] = c
            labels[j - 1] = _labels(data[cuts[j - 1]:c])
            labels[j] = _labels(data[c:cuts[j + 1]])
        else:
            return None
    seen: set[bytes] = set()
    for s in labels:  # pieces further apart may still share one
        if not seen.isdisjoint(s):
            return None
        seen |= s
    return cuts


def _statement_end(data: bytes, start: int) -> int | None:
    """The first offset after ``start`` that is likely between two statements (None: none)."""
    m = _STATEMENT_END.search(data, start)
    return m.end() if m and m.end() < len(data) else None


def _labels(chunk: bytes) -> set[bytes]:
    return {m.rstrip(b".") for m in _LABEL.findall(chunk)}
