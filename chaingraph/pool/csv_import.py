"""Import the user's own candidate list from a CSV file (``chaingraph import FILE.csv``).

Columns (header row required, names in English; order free; only ``name`` is required):

==============  ==================================================================================
``name``        display (short) name — required, unique within the file
``full_name``   full registered name (also used to read province/city when those are empty)
``aliases``     other names, separated by ``；`` ``;`` or ``、``
``province``    province, e.g. 广东 / 广东省
``city``        city, e.g. 深圳 / 深圳市
``products``    products, separated by ``；`` ``;`` or ``、`` — mapped onto segments through the
                templates' product terms (``cg:basis cg:StatedProduct``)
``segments``    segment labels or IRIs (``cg:basis cg:StatedSegment``); unknown names are errors
``tiers``       链主 / 上市 / 世界500强 / 中国500强 / 专精特新 / 小巨人 / 高新技术企业 / 规上
``stock_code``  e.g. 600707.SH
``industry_code`` GB/T 4754-2017 class (4 digits) → segments with that ``cg:industryCode``
                (``cg:basis cg:IndustryCode``)
``note``        free text (kept as ``rdfs:comment``)
==============  ==================================================================================

When no product, segment or code maps the firm, an industry word in its name (a product term
contained in the name, e.g. ``某某电镀有限公司`` → 电镀) links it with ``cg:basis
cg:InferredFromName``.

Encoding: UTF-8 (with or without BOM), else GB18030.  Rows are read one at a time; a row is bad
when it has the wrong number of columns, no name, a name already used in the file, an unknown
tier or segment, a malformed stock or industry code, or undecodable bytes.  Nothing is written
unless every row is good (``skip_bad=True`` writes the good rows; a file with no good row, or
no row at all after the header, is an error); the output
(``$CHAINGRAPH_HOME/data/imports/<stem>-<path hash>.ttl``, see :func:`file_key`) is replaced
atomically.  A quote inside a cell is text; a stray opening quote makes its own row bad and
never swallows the rows after it; rows over :data:`MAX_ROW_CHARS` characters are bad rows.

Evidence: one ``cg:Source`` per file (file name, SHA-256); each firm's ``cg:quote`` is the row
text exactly as in the file and ``cg:start``/``cg:end`` are the character offsets of that row in the
decoded file (the header is row 1, so the first firm is row 2).

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "list.csv").write_text("name,city,products,tiers\\n甲电镀,深圳,电镀加工,专精特新\\n", encoding="utf-8")
>>> segs = [{"iri": "https://w3id.org/chaingraph/id/segment/ed-plating", "label": "电镀", "terms": ["电镀", "电镀加工"], "codes": []}]
>>> rep = import_csv(d / "list.csv", segs, out_dir=d / "out")
>>> rep["imported"], rep["bad"], pathlib.Path(rep["written"]).name.startswith("list-")
(1, [], True)
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.pool.firmlist import (
    TIERS, CheckedRow, NameIndex, bad_row, display_name, evidence_turtle, file_key, firm_turtle, head_turtle,
    import_target, new_report, segments_by_code, source_turtle, split, write_import,
)
from chaingraph.pool.matching import TermMatcher
from chaingraph.pool.regions import PROVINCES, region_of_columns
from chaingraph.pool.turtle import Link, iri, lit, place_turtle
from chaingraph.store import user_data_dir

COLUMNS = ("name", "full_name", "aliases", "province", "city", "products", "segments", "tiers",
           "stock_code", "industry_code", "note")
_STOCK = re.compile(r"^[0-9A-Z]{1,10}\.[A-Z]{1,4}$")


def decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM stripped), else GB18030; raise with the first bad line."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ChaingraphError(f"row {line}: bad encoding (neither UTF-8 nor GB18030)") from None


MAX_ROW_CHARS = 32768  # one firm's row; longer rows are refused (their evidence would bloat every link)
MAX_QUOTED_LINES = 200  # a quoted cell may span lines, but not more than this many
MAX_FILE_BYTES = 200 * 1024 * 1024


def _parse_record(body: str) -> list[str]:
    return next(csv.reader(io.StringIO(body), strict=True), [])


class Record(NamedTuple):
    """One record of a CSV text, with character offsets into the text (the evidence quote)."""

    row: int  # 1-based, blank lines not counted
    start: int
    end: int
    text: str  # the record as written (cut at 200 characters when too long)
    cells: list[str] | None  # None for a bad record
    problem: str | None  # why the record is bad


def records(text: str, columns: Callable[[], int | None] = lambda: None) -> Iterator[Record]:
    """Yield each :class:`Record` of ``text`` with character offsets.

    Records are read strictly: a quote inside an unquoted cell is kept as text; a quoted cell
    may span lines only when the record then has the header's number of columns (``columns()``)
    and spans at most :data:`MAX_QUOTED_LINES` lines.  A stray opening quote therefore makes
    its own line a bad row (``problem`` says why, ``cells`` is None) and the rows after it are
    read as usual, never swallowed.

    >>> [(r.row, r.cells, r.problem) for r in records('name,city\\n"甲,深圳\\n乙,广州\\n', lambda: 2)]
    [(1, ['name', 'city'], None), (2, None, 'unclosed quote (a cell starts with " and never ends)'), (3, ['乙', '广州'], None)]
    """
    lines = text.splitlines(keepends=True)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln))
    i, row_no = 0, 0
    while i < len(lines):
        start = starts[i]
        body = lines[i].rstrip("\r\n")
        i += 1
        if not body.strip():
            continue
        row_no += 1
        if len(body) > MAX_ROW_CHARS:
            yield Record(row_no, start, start + len(body), body[:200] + "…", None, (
                f"row too long ({len(body):,} characters; at most {MAX_ROW_CHARS:,} per row)"))
            continue
        try:
            yield Record(row_no, start, start + len(body), body, _parse_record(body), None)
            continue
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                yield Record(row_no, start, start + len(body), body, None, f"malformed quoting: {exc}")
                continue
        found = _quoted_record(text, lines, starts, i, start, columns())
        if found is None:
            yield Record(row_no, start, start + len(body), body, None, 'unclosed quote (a cell starts with " and never ends)')
            continue
        i, chunk, cells = found
        yield Record(row_no, start, start + len(chunk), chunk, cells, None)


def _quoted_record(text: str, lines: list[str], starts: list[int], i: int, start: int,
                   columns: int | None) -> tuple[int, str, list[str]] | None:
    """A record whose quoted cell spans the lines after line ``i - 1`` (which starts at
    ``start``): ``(index of the line after it, its text, its cells)``; None when no such record
    has ``columns`` cells within :data:`MAX_QUOTED_LINES` lines and :data:`MAX_ROW_CHARS`."""
    for j in range(i, min(len(lines), i - 1 + MAX_QUOTED_LINES)):
        chunk = text[start:starts[j + 1]].rstrip("\r\n")
        if len(chunk) > MAX_ROW_CHARS:
            return None
        try:
            cells = _parse_record(chunk)
        except csv.Error:
            continue
        return (j + 1, chunk, cells) if columns in (None, len(cells)) else None
    return None


def _slug(name: str, stem: str) -> str:
    return "csv-" + hashlib.sha1((stem + "|" + name_key(name)).encode("utf-8")).hexdigest()[:12]


@dataclass
class CsvRow(CheckedRow):
    """A good row of the CSV, with its province and city columns (suffix 省/市 dropped)."""

    province: str
    city: str


def import_csv(
    path,
    segments: list[dict],
    *,
    out_dir=None,
    skip_bad: bool = False,
    known: dict[str, list[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    known_places: set[str] | None = None,
) -> dict:
    """Validate and import one CSV file of candidate firms (see module docstring).

    Parameters
    ----------
    path : path
        The CSV file.
    segments : list of dict
        ``{iri, label, terms, codes}`` of the chain templates' segments.
    out_dir : path, optional
        Folder to write ``<stem>.ttl`` into (default ``$CHAINGRAPH_HOME/data/imports``).
    skip_bad : bool
        Import the good rows even when some rows are bad.
    known : dict, optional
        ``{firm_iri: [names]}`` of firms in the graph: a row naming one of them adds facts
        to that firm instead of creating a new one.
    progress : callable, optional
        ``progress(done_bytes, total_bytes)``.

    Returns
    -------
    dict
        ``{file, encoding, rows, imported, bad: [{row, reason, text}], written (path or None),
        firms: [{row, name, iri, segments}]}``.  With bad rows and no ``skip_bad`` nothing is
        written and ``written`` is None.
    """
    path = Path(path)
    data = _read_bytes(path)
    text, encoding = decode(data)
    good, bad = _check_rows(path, text, _RowRules(segments), progress)
    if not good and not bad:
        raise ChaingraphError(f"{display_name(path)}: no rows after the header; nothing imported")
    report = new_report(path, encoding, good, bad)
    if bad and (not skip_bad or not good):
        return report
    target = import_target(path, out_dir if out_dir is not None else user_data_dir() / "imports")
    key = file_key(path)
    source = "csv-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    head = head_turtle(f"# Imported by `chaingraph import` ({len(good)} firms; the file is the source below).\n",
                       source_turtle(source, display_name(path), data))
    index, places = NameIndex(known), set(known_places or ())
    return write_import(report, target, head, good, lambda g, products: _firm_turtle(g, key, source, index, places, products))


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; one clear error for a file too large or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ChaingraphError(f"{display_name(path)}: {size / 2**20:.0f} MiB is too large to import "
                                  f"(at most {MAX_FILE_BYTES // 2**20} MiB; split the list)")
        return path.read_bytes()
    except OSError as exc:
        raise ChaingraphError(f"cannot read {display_name(path)}: {exc.strerror or exc}") from None


def _header(path: Path, record: Record) -> list[str]:
    """The column names of the header record; an error for a bad header."""
    if record.problem:
        raise ChaingraphError(f"{display_name(path)} row {record.row}: header: {record.problem}")
    header = [c.strip().lstrip("\ufeff").lower() for c in record.cells]
    unknown = [h for h in header if h not in COLUMNS]
    if "name" not in header:
        raise ChaingraphError(f"row {record.row}: header has no 'name' column (columns: {', '.join(COLUMNS)})")
    if unknown:
        raise ChaingraphError(f"row {record.row}: unknown column(s) {', '.join(unknown)} (columns: {', '.join(COLUMNS)})")
    return header


def _check_rows(path: Path, text: str, rules: "_RowRules", progress) -> tuple[list[CsvRow], list[dict]]:
    """The good rows and the bad ones (``{row, reason, text}``) of the CSV ``text``."""
    good: list[CsvRow] = []
    bad: list[dict] = []
    header: list[str] | None = None
    for r in records(text, lambda: None if header is None else len(header)):
        if progress:
            progress(r.end, len(text))
        if header is None:
            header = _header(path, r)
        elif r.problem:
            bad.append(bad_row(r.row, r.problem, r.text))
        elif len(r.cells) != len(header):
            bad.append(bad_row(r.row, f"wrong column count: {len(r.cells)} instead of {len(header)}", r.text))
        else:
            checked = rules.check(r, {h: (c or "").strip() for h, c in zip(header, r.cells)})
            (good if isinstance(checked, CsvRow) else bad).append(checked)
    if header is None:
        raise ChaingraphError(f"{display_name(path)}: empty file (no header row)")
    return good, bad


class _RowRules:
    """What a good row of the CSV is, and the segments it links to."""

    def __init__(self, segments: list[dict]):
        self.matcher = TermMatcher(segments)
        self.by_label: dict[str, str] = {}
        for s in segments:
            self.by_label[name_key(s["label"])] = s["iri"]
            self.by_label[name_key(s["iri"])] = s["iri"]
            self.by_label[name_key(s["iri"].rsplit("/", 1)[-1])] = s["iri"]
        self.by_code = segments_by_code(segments)
        self.seen: dict[str, int] = {}  # name key -> row of the good rows so far

    def check(self, r: Record, rec: dict[str, str]) -> CsvRow | dict:
        """The row as a :class:`CsvRow` when good, else the bad row with every reason."""
        reasons = []
        name = rec.get("name", "")
        if "\ufffd" in r.text:
            reasons.append("bad encoding (replacement character)")
        if not name:
            reasons.append("missing name")
        elif name_key(name) in self.seen:
            reasons.append(f"duplicate name {name!r} (also row {self.seen[name_key(name)]})")
        tiers = self._tiers(rec, reasons)
        links = self._links(rec, reasons)
        stock = rec.get("stock_code", "")
        if stock and not _STOCK.match(stock):
            reasons.append(f"bad stock_code {stock!r} (e.g. 600707.SH)")
        province, city = rec.get("province", "").rstrip("省市"), rec.get("city", "").rstrip("市")
        if province and province not in PROVINCES:
            reasons.append(f"unknown province {rec['province']!r}")
        if not links and name:
            links = self._name_links(rec.get("full_name") or name)
        if reasons:
            return bad_row(r.row, "; ".join(reasons), r.text)
        self.seen[name_key(name)] = r.row
        return CsvRow(r.row, r.start, r.end, r.text, rec, sorted(set(links)), sorted(set(tiers)), province, city)

    @staticmethod
    def _tiers(rec: dict[str, str], reasons: list[str]) -> list[str]:
        tiers = []
        for t in split(rec.get("tiers")):
            if t not in TIERS:
                reasons.append(f"unknown tier {t!r} (known: {', '.join(sorted(set(TIERS)))})")
            else:
                tiers.append(TIERS[t])
        return tiers

    def _links(self, rec: dict[str, str], reasons: list[str]) -> list[Link]:
        """Links stated by the segments, products and industry_code columns."""
        links = []
        for s in split(rec.get("segments")):
            hit = self.by_label.get(name_key(s))
            if hit is None:
                reasons.append(f"unknown segment {s!r}")
            else:
                links.append(Link(hit, "StatedSegment", None, s))
        for p in split(rec.get("products")):
            m = self.matcher.match(p)
            if m:
                links += [Link(sg, "StatedProduct", p, m["term"]) for sg in m["segments"]]
        code = rec.get("industry_code", "")
        if code:
            if not re.fullmatch(r"\d{4}", code):
                reasons.append(f"bad industry_code {code!r} (GB/T 4754: 4 digits)")
            links += [Link(sg, "IndustryCode", None, code) for sg in self.by_code.get(code, [])]
        return links

    def _name_links(self, full: str) -> list[Link]:
        """Links through an industry word in the firm's name (when nothing else links it)."""
        m = self.matcher.match(full)
        terms = [t for t, _ in self.matcher.candidates(name_key(full))] if m is None else [name_key(m["term"])]
        return [Link(sg, "InferredFromName", None, self.matcher.original[t])
                for t in terms for sg in sorted(self.matcher.by_term.get(t, ()))]


def _firm_turtle(g: CsvRow, key: str, source: str, index: NameIndex, places: set[str],
                 products: dict) -> tuple[list[str], dict]:
    """Turtle for one good row (its evidence, places new to the graph, the firm and its links)
    and the row's entry in the report."""
    rec = g.rec
    slug = _slug(rec["name"], key)
    ev = f"fact:{slug}-row{g.row}"
    out = [evidence_turtle(ev, source, g)]
    existing = index.resolve([rec["name"], rec.get("full_name"), *split(rec.get("aliases"))])
    firm = iri(existing) if existing else f"company:{slug}"
    parts = [f"{firm} a cg:Company"]
    if not existing:
        parts.append(f"rdfs:label {lit(rec['name'])}")
        if rec.get("full_name"):
            parts.append(f"cg:fullName {lit(rec['full_name'])}")
        place, _ = region_of_columns(g.province, g.city, rec.get("full_name"))
        if place:
            parts.append(f"cg:city place:{place['city_slug'] or place['province_slug']}")
            out.extend(place_turtle(place, places, places, ev))
    aliases = split(rec.get("aliases")) + ([rec["name"]] if existing else [])
    if aliases:
        parts.append("cg:shortName " + " , ".join(lit(a) for a in dict.fromkeys(aliases)))
    if rec.get("stock_code"):
        parts.append(f"cg:stockCode {lit(rec['stock_code'], None)}")
    if g.tiers:
        parts.append("cg:tier " + " , ".join(f"cg:{t}" for t in g.tiers))
    if rec.get("note"):
        parts.append(f"rdfs:comment {lit(rec['note'])}")
    text, segs = firm_turtle(g, firm, parts, slug, ev, products)
    out.append(text)
    return out, {"row": g.row, "name": rec["name"], "iri": firm, "segments": segs, "existing": bool(existing)}
