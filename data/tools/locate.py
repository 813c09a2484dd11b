"""Curation helper: locate evidence quotes in the seed articles.

The bundled graph is curated by hand.  Offsets are never counted by hand: write each
evidence as

    cg:evidence [ a cg:Evidence ; cg:source src:s001 ; cg:quote "…"@zh ; cg:start 0 ; cg:end 0 ]

(the quote copied from the NORMALISED text, see ``show``) and run ``fill`` to write the
original offsets.  ``cg:start -N`` asks for the N-th occurrence (1-based) when a quote occurs
more than once; a positive start that is already a correct span is kept; otherwise the
occurrence nearest to the given start is taken.

Usage (from the repository root)::

    python3 data/tools/locate.py show s001            # normalised text, one line per sentence
    python3 data/tools/locate.py find s001 骏捷智能    # every occurrence with context
    python3 data/tools/locate.py fill data/*.ttl      # (re)write cg:start/cg:end in place
    python3 data/tools/locate.py check data/*.ttl     # verify every evidence span
"""

from __future__ import annotations

import functools
import glob
import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from chaingraph.normalize import normalize  # noqa: E402

SEEDS = Path(os.environ.get("CHAINGRAPH_SEEDS", ROOT.parent / "shared" / "seeds"))

EVIDENCE = re.compile(
    r'(cg:source\s+src:(?P<src>s\d+)\s*;\s*cg:quote\s+"(?P<quote>(?:[^"\\]|\\.)*)"@zh\s*;\s*'
    r"cg:start\s+)(?P<start>-?\d+)(\s*;\s*cg:end\s+)(?P<end>-?\d+)"
)


def seed_path(src: str) -> Path:
    """The seed file of ``src:sNNN`` (file name starts with ``NNN_``)."""
    hits = sorted(SEEDS.glob(src[1:] + "_*.txt"))
    if not hits:
        raise SystemExit(f"no seed file for {src} in {SEEDS}")
    return hits[0]


@functools.lru_cache(maxsize=None)
def seed(src: str):
    text = seed_path(src).read_text(encoding="utf-8")
    return normalize(text)


def sha256(src: str) -> str:
    return hashlib.sha256(seed_path(src).read_bytes()).hexdigest()


def _unescape(q: str) -> str:
    return q.replace('\\"', '"').replace("\\\\", "\\")


def choose(src: str, quote: str, start: int, end: int) -> tuple[int, int] | str:
    n = seed(src)
    spans = n.find(quote)
    if not spans:
        return f"NOT FOUND in {src}: {quote!r}"
    if normalize(quote).text != quote:
        return f"quote is not normalised ({normalize(quote).text!r}): {quote!r}"
    if (start, end) in spans:
        return (start, end)
    if start < 0:
        k = -start
        if k > len(spans):
            return f"only {len(spans)} occurrence(s) in {src}: {quote!r}"
        return spans[k - 1]
    if start > 0:
        return min(spans, key=lambda s: abs(s[0] - start))
    if len(spans) > 1:
        print(f"warning: {len(spans)} occurrences in {src}, took the first: {quote!r}", file=sys.stderr)
    return spans[0]


def fill(paths: list[str]) -> int:
    errors = 0
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")

        def repl(m: re.Match) -> str:
            nonlocal errors
            got = choose(m["src"], _unescape(m["quote"]), int(m["start"]), int(m["end"]))
            if isinstance(got, str):
                errors += 1
                print(f"{path}: {got}", file=sys.stderr)
                return m.group(0)
            return f"{m.group(1)}{got[0]}{m.group(5)}{got[1]}"

        new = EVIDENCE.sub(repl, text)
        if new != text:
            Path(path).write_text(new, encoding="utf-8")
    return errors


def check(paths: list[str]) -> int:
    errors = total = 0
    for path in paths:
        for m in EVIDENCE.finditer(Path(path).read_text(encoding="utf-8")):
            total += 1
            n = seed(m["src"])
            s, e, q = int(m["start"]), int(m["end"]), _unescape(m["quote"])
            if not (0 <= s < e <= len(n.original)) or n.slice_original(s, e) != q:
                errors += 1
                print(f"{path}: bad span {s}:{e} in {m['src']} for {q!r}", file=sys.stderr)
    print(f"{total} evidence spans checked, {errors} bad")
    return errors


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "show":
        print(seed(args[0]).text)
    elif cmd == "find":
        n = seed(args[0])
        for s, e in n.find(args[1]):
            lo = max(0, s - 30)
            print(s, e, normalize(n.original[lo : e + 30]).text)
    elif cmd == "sha":
        for a in args:
            print(a, seed_path(a).name, sha256(a))
    elif cmd == "fill":
        return 1 if fill([p for a in args for p in glob.glob(a)]) else 0
    elif cmd == "check":
        return 1 if check([p for a in args for p in glob.glob(a)]) else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
