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
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.pool.chainkg import PREFIXES, iri, lit, place_turtle, product_slug, write_atomic
from chaingraph.pool.matching import TermMatcher
from chaingraph.pool.regions import CITIES, PROVINCES, region_of
from chaingraph.store import user_data_dir

COLUMNS = ("name", "full_name", "aliases", "province", "city", "products", "segments", "tiers",
           "stock_code", "industry_code", "note")
TIERS = {
    "链主": "ChainLeader", "链主企业": "ChainLeader", "上市": "Listed", "上市企业": "Listed", "上市公司": "Listed",
    "500强": "Fortune500", "世界500强": "Fortune500", "中国500强": "China500", "民营500强": "China500",
    "专精特新": "SpecializedSME", "专精特新企业": "SpecializedSME", "小巨人": "LittleGiant",
    "专精特新小巨人": "LittleGiant", "高新技术企业": "HighTech", "高新": "HighTech", "高企": "HighTech",
    "规上": "AboveScale", "规模以上企业": "AboveScale", "规模以上": "AboveScale",
}
_SPLIT = re.compile(r"[；;、]")
_STOCK = re.compile(r"^[0-9A-Z]{1,10}\.[A-Z]{1,4}$")


def split(value: str | None) -> list[str]:
    """Split a multi-value cell on ；/;/、 (blanks dropped)."""
    return [v.strip() for v in _SPLIT.split(value or "") if v.strip()]


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
        found = None
        for j in range(i, min(len(lines), i - 1 + MAX_QUOTED_LINES)):
            chunk = text[start:starts[j + 1]].rstrip("\r\n")
            if len(chunk) > MAX_ROW_CHARS:
                break
            try:
                cells = _parse_record(chunk)
            except csv.Error:
                continue
            if columns() in (None, len(cells)):
                found = (j + 1, chunk, cells)
            break
        if found is None:
            yield Record(row_no, start, start + len(body), body, None, 'unclosed quote (a cell starts with " and never ends)')
            continue
        i, chunk, cells = found
        yield Record(row_no, start, start + len(chunk), chunk, cells, None)


_NAME_BAD = re.compile(r"[^\w\u3400-\u9fff.()（）-]+")


def display_name(path: Path) -> str:
    """The file name as safe one-line text: undecodable bytes replaced, control characters
    (newlines included) shown as ``?``.

    >>> display_name(Path("a\\nb.csv"))
    'a?b.csv'
    """
    name = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", "?", name)


def file_key(path: Path) -> str:
    """``<stem>-<hash of the absolute path>``: the name of this file's import, so two lists with
    the same name in different folders never replace each other, and re-importing a file
    replaces its own earlier import.

    >>> file_key(Path("/a/名单.csv")) != file_key(Path("/b/名单.csv"))
    True
    """
    stem = _NAME_BAD.sub("_", display_name(path).rsplit(".", 1)[0]).strip("._") or "import"
    where = str(path.resolve()).encode("utf-8", "surrogateescape")
    return f"{stem[:60]}-{hashlib.sha1(where).hexdigest()[:8]}"


def _slug(name: str, stem: str) -> str:
    return "csv-" + hashlib.sha1((stem + "|" + name_key(name)).encode("utf-8")).hexdigest()[:12]


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
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ChaingraphError(f"{display_name(path)}: {size / 2**20:.0f} MiB is too large to import "
                                  f"(at most {MAX_FILE_BYTES // 2**20} MiB; split the list)")
        data = path.read_bytes()
    except OSError as exc:
        raise ChaingraphError(f"cannot read {display_name(path)}: {exc.strerror or exc}") from None
    text, encoding = decode(data)
    total = len(text)
    matcher = TermMatcher(segments)
    by_label = {}
    for s in segments:
        by_label[name_key(s["label"])] = s["iri"]
        by_label[name_key(s["iri"])] = s["iri"]
        by_label[name_key(s["iri"].rsplit("/", 1)[-1])] = s["iri"]
    by_code: dict[str, list[str]] = {}
    for s in segments:
        for c in s.get("codes", []):
            by_code.setdefault(str(c), []).append(s["iri"])
    key_index = {}
    for f, names in (known or {}).items():
        for n in names:
            if n:
                key_index.setdefault(name_key(n), set()).add(f)

    bad, good, seen = [], [], {}
    header = None
    for row_no, start, end, body, cells, problem in records(text, lambda: None if header is None else len(header)):
        if progress:
            progress(end, total)
        if problem:
            if header is None:
                raise ChaingraphError(f"{display_name(path)} row {row_no}: header: {problem}")
            bad.append({"row": row_no, "reason": problem, "text": body})
            continue
        if header is None:
            header = [c.strip().lstrip("\ufeff").lower() for c in cells]
            unknown = [h for h in header if h not in COLUMNS]
            if "name" not in header:
                raise ChaingraphError(f"row {row_no}: header has no 'name' column (columns: {', '.join(COLUMNS)})")
            if unknown:
                raise ChaingraphError(f"row {row_no}: unknown column(s) {', '.join(unknown)} (columns: {', '.join(COLUMNS)})")
            continue
        reasons = []
        if len(cells) != len(header):
            bad.append({"row": row_no, "reason": f"wrong column count: {len(cells)} instead of {len(header)}", "text": body})
            continue
        rec = {h: (c or "").strip() for h, c in zip(header, cells)}
        name = rec.get("name", "")
        if "\ufffd" in body:
            reasons.append("bad encoding (replacement character)")
        if not name:
            reasons.append("missing name")
        elif name_key(name) in seen:
            reasons.append(f"duplicate name {name!r} (also row {seen[name_key(name)]})")
        tiers = []
        for t in split(rec.get("tiers")):
            if t not in TIERS:
                reasons.append(f"unknown tier {t!r} (known: {', '.join(sorted(set(TIERS)))})")
            else:
                tiers.append(TIERS[t])
        seg_links: list[tuple[str, str, str | None, str]] = []  # (segment, basis, product, detail)
        for s in split(rec.get("segments")):
            hit = by_label.get(name_key(s))
            if hit is None:
                reasons.append(f"unknown segment {s!r}")
            else:
                seg_links.append((hit, "StatedSegment", None, s))
        products = split(rec.get("products"))
        for p in products:
            m = matcher.match(p)
            if m:
                for sg in m["segments"]:
                    seg_links.append((sg, "StatedProduct", p, m["term"]))
        code = rec.get("industry_code", "")
        if code:
            if not re.fullmatch(r"\d{4}", code):
                reasons.append(f"bad industry_code {code!r} (GB/T 4754: 4 digits)")
            for sg in by_code.get(code, []):
                seg_links.append((sg, "IndustryCode", None, code))
        stock = rec.get("stock_code", "")
        if stock and not _STOCK.match(stock):
            reasons.append(f"bad stock_code {stock!r} (e.g. 600707.SH)")
        province, city = rec.get("province", "").rstrip("省市"), rec.get("city", "").rstrip("市")
        if province and province not in PROVINCES:
            reasons.append(f"unknown province {rec['province']!r}")
        if not seg_links and name:
            for full in (rec.get("full_name") or name,):
                m = matcher.match(full)
                for cand in matcher.candidates(name_key(full)) if m is None else [(name_key(m["term"]), 0)]:
                    for sg in sorted(matcher.by_term.get(cand[0], ())):
                        seg_links.append((sg, "InferredFromName", None, matcher.original[cand[0]]))
        if reasons:
            bad.append({"row": row_no, "reason": "; ".join(reasons), "text": body})
            continue
        seen[name_key(name)] = row_no
        good.append({"row": row_no, "start": start, "end": end, "text": body, "rec": rec, "tiers": sorted(set(tiers)),
                     "links": sorted(set(seg_links)), "products": products, "province": province, "city": city})
    if header is None:
        raise ChaingraphError(f"{display_name(path)}: empty file (no header row)")
    if not good and not bad:
        raise ChaingraphError(f"{display_name(path)}: no rows after the header; nothing imported")
    report = {"file": str(path), "encoding": encoding, "rows": len(good) + len(bad), "imported": 0,
              "bad": bad, "written": None, "firms": []}
    if bad and (not skip_bad or not good):
        return report
    out_dir = Path(out_dir) if out_dir is not None else user_data_dir() / "imports"
    key = file_key(path)
    target = out_dir / f"{key}.ttl"
    stem_slug = "csv-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    shown = display_name(path)
    out = [f"# Imported by `chaingraph import` ({len(good)} firms; the file is the source below).\n", PREFIXES, "\n"]
    out.append(" ;\n    ".join([
        f"src:{stem_slug} a cg:Source", f"rdfs:label {lit(shown)}", f"dcterms:title {lit(shown)}",
        f"cg:fileName {lit(shown, None)}", f'cg:sha256 "{hashlib.sha256(data).hexdigest()}"',
    ]) + " .\n\n")
    products: dict[str, dict] = {}
    written_places: set[str] = set()
    for g in good:
        rec = g["rec"]
        # the row is quoted once, in a named evidence node every fact from the row points to
        # (a blank node per fact repeated the whole row for each segment link: output grew as
        # row length x links)
        ev = f"fact:{_slug(rec['name'], key)}-row{g['row']}"
        out.append(f"{ev} a cg:Evidence ; cg:source src:{stem_slug} ; cg:quote {lit(g['text'])} ;"
                   f" cg:start {g['start']} ; cg:end {g['end']} .\n")
        hits = set()
        for n in [rec["name"], rec.get("full_name"), *split(rec.get("aliases"))]:
            if n:
                hits |= key_index.get(name_key(n), set())
        existing = sorted(hits)[0] if len(hits) == 1 else None
        firm = iri(existing) if existing else f"company:{_slug(rec['name'], key)}"
        parts = [f"{firm} a cg:Company"]
        if not existing:
            parts.append(f"rdfs:label {lit(rec['name'])}")
            if rec.get("full_name"):
                parts.append(f"cg:fullName {lit(rec['full_name'])}")
            place = _place(g["province"], g["city"], rec.get("full_name"))
            if place:
                parts.append(f"cg:city place:{place['city_slug'] or place['province_slug']}")
                out.extend(place_turtle(place, set(known_places or ()), written_places, ev))
        aliases = split(rec.get("aliases")) + ([rec["name"]] if existing else [])
        if aliases:
            parts.append("cg:shortName " + " , ".join(lit(a) for a in dict.fromkeys(aliases)))
        if rec.get("stock_code"):
            parts.append(f"cg:stockCode {lit(rec['stock_code'], None)}")
        if g["tiers"]:
            parts.append("cg:tier " + " , ".join(f"cg:{t}" for t in g["tiers"]))
        if rec.get("note"):
            parts.append(f"rdfs:comment {lit(rec['note'])}")
        link_parts, segs, link_blocks = links_turtle(firm, _slug(rec["name"], key), g["links"], ev, products)
        parts += link_parts
        parts.append(f"cg:evidence {ev}")
        out.append(f"# row {g['row']}\n" + " ;\n    ".join(parts) + " .\n")
        out.extend(link_blocks)
        out.append("\n")
        report["firms"].append({"row": g["row"], "name": rec["name"], "iri": firm, "segments": segs, "existing": bool(existing)})
    out.extend(products_turtle(products))
    write_atomic(target, "".join(out))
    report["written"] = str(target)
    report["imported"] = len(good)
    return report


def links_turtle(firm: str, fid_slug: str, links, ev: str, products: dict) -> tuple[list[str], list[str], list[str]]:
    """Turtle for a firm's segment links, shared by the CSV and the enterprise-export import.

    ``links`` are ``(segment IRI, basis, product or None, detail)``.  Returns the firm's own
    ``cg:makes`` / ``cg:inSegment`` parts, its segments (sorted) and one ``cg:SegmentLink`` block
    per link, all citing ``ev``; products met are gathered into ``products`` for
    :func:`products_turtle`.
    """
    parts: list[str] = []
    prods = sorted({product_slug(p) for _, _, p, _ in links if p})
    for sg, _, p, _ in links:
        if p:
            products.setdefault(product_slug(p), {"label": p, "segments": set(), "ev": ev})["segments"].add(sg)
    if prods:
        parts.append("cg:makes " + " , ".join(f"product:{s}" for s in prods))
    segs = sorted({sg for sg, *_ in links})
    if segs:
        parts.append("cg:inSegment " + " , ".join(iri(s) for s in segs))
    blocks = []
    for sg, basis, p, detail in links:
        fid = f"seglink-{fid_slug}-{sg.rsplit('/', 1)[-1]}-{basis.lower()}" + (f"-{product_slug(p)}" if p else "")
        lp = [f"fact:{fid} a cg:SegmentLink", f"cg:firm {firm}", f"cg:segment {iri(sg)}", f"cg:basis cg:{basis}"]
        if p:
            lp.append(f"cg:product product:{product_slug(p)}")
        lp.append(f"rdfs:comment {lit(f'{basis}: {detail}', 'en')}")
        lp.append(f"cg:evidence {ev}")
        blocks.append(" ;\n    ".join(lp) + " .\n")
    return parts, segs, blocks


def products_turtle(products: dict) -> list[str]:
    """One ``cg:Product`` block per product gathered by :func:`links_turtle`."""
    return [f"product:{slug} a cg:Product ; rdfs:label {lit(e['label'])} ;\n    cg:inSegment "
            + " , ".join(iri(s) for s in sorted(e["segments"])) + f" ;\n    cg:evidence {e['ev']} .\n"
            for slug, e in sorted(products.items())]


def _place(province: str, city: str, full_name: str | None) -> dict | None:
    """Region dict (as :func:`region_of`) from the city/province columns, else the full name."""
    if city and city in CITIES:
        return region_of(CITIES[city][1] + "省" + city + "市") or region_of(city + "市")
    if province and province in PROVINCES:
        return region_of(province)
    return region_of(full_name)
