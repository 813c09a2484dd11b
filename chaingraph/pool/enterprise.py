"""Import the lists officers export from enterprise-information services (企查查, 天眼查, 启信宝 …).

``chaingraph import FILE.xlsx|csv`` sends a file here when its header row holds Chinese column
names such as 企业名称 (:func:`is_enterprise_export`); a file with the English columns of
:mod:`chaingraph.pool.csv_import` goes there.  Columns (order free, unknown columns ignored,
only 企业名称 is required; the first header of each group that is present is used):

==============================  ===================================================================
企业名称 / 公司名称              the registered name: full name and label
企业简称 / 简称                  short name (label when given)
统一社会信用代码 / 信用代码      18 characters (GB 32100-2015 alphabet), the 18th its check
                                 character (:func:`credit_check_char`); checked, kept as
                                 ``schema:taxID``; a duplicate in the file is a bad row
注册地址 / 企业地址 / 通信地址   the place: province and city read with ``cnloc`` (an address
/ 地址                           parser with the national division tables inside the package,
                                 works offline); else 省份 / 所属省份 and 城市 / 所属城市 columns;
                                 else the place prefix of the name; else unknown
经营范围                         business scope: each item matched with the segments' vocabulary
                                 (:mod:`chaingraph.pool.matching`, exclude terms included) →
                                 ``cg:basis cg:BusinessScope`` (weak evidence: a licence to do
                                 something, not proof that the firm does it)
所属行业 / 国标行业 / 行业       industry: a GB/T 4754 class code in it (``C3360``) → segments
                                 with that code, and its words matched like a product →
                                 ``cg:basis cg:IndustryCode``
主营产品 / 主要产品               products, separated by 、；; → ``cg:basis cg:StatedProduct``
成立日期                         a date (2015-03-02, 2015/3/2, 2015年3月2日): checked
注册资本                         an amount (1000万人民币, 500万美元): checked
企业类型 / 企业规模 / 标签        tiers named in it (专精特新, 小巨人, 高新技术企业, 上市 …)
==============================  ===================================================================

When nothing maps the firm, an industry word in its name links it (``cg:InferredFromName``).
Rows are numbered as the file shows them (the header is row 1).  A row is bad when it has no
name, a name or credit code already used in the file, a malformed credit code (or one whose check
character does not match), date or capital; nothing is written unless every row is good
(``skip_bad=True`` writes the good rows).  Output:
``$CHAINGRAPH_HOME/data/imports/<stem>-<path hash>.ttl`` (one file per imported path),
replaced atomically.  Evidence: one ``cg:Source`` per file (name, SHA-256); each firm's quote is
its row (cells joined by tabs for a workbook) with character offsets into the file's text (for a
workbook, into its rows written as tab-separated lines).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.pool.csv_import import Record, decode, records
from chaingraph.pool.firmlist import (
    TIERS, CheckedRow, NameIndex, bad_row, evidence_turtle, file_key, firm_turtle, head_turtle, import_target,
    new_report, segments_by_code, source_turtle, split, write_import,
)
from chaingraph.pool.matching import TermMatcher
from chaingraph.pool.regions import CITIES, PROVINCES, region_of, region_of_columns
from chaingraph.pool.turtle import ID, SCHEMA, Link, iri, lit, place_turtle
from chaingraph.store import user_data_dir

#: field -> header names accepted (first present wins)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "公司名称", "企业全称", "名称"),
    "short": ("企业简称", "简称", "公司简称"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "address": ("注册地址", "企业地址", "通信地址", "地址", "经营地址"),
    "province": ("所属省份", "省份", "所在省份"),
    "city": ("所属城市", "城市", "所在城市"),
    "scope": ("经营范围",),
    "industry": ("所属行业", "国标行业", "行业", "国民经济行业"),
    "products": ("主营产品", "主要产品", "产品"),
    "founded": ("成立日期", "成立时间"),
    "capital": ("注册资本",),
    "tags": ("企业类型", "企业规模", "标签", "企业标签", "资质"),
}
REQUIRED = "name"
_CREDIT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
#: GB 32100-2015: the 31 characters a code is written in (no I, O, Z, S, V), their values 0-30 …
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: … and the weights of the first 17 characters (3**i mod 31) for the check character
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_CAPITAL_WORDS = re.compile(r"人民币|美元|港元|港币|欧元|日元|英镑|万|亿|元|[()（）\s,，]")
_SCOPE_SPLIT = re.compile(r"[、，,；;。：:（）()\s]+")
_INDUSTRY_CODE = re.compile(r"(?:^|[^0-9])[A-T]?(\d{4})(?![0-9])")


def credit_check_char(code: str) -> str:
    """The GB 32100-2015 check character (the 18th) for the first 17 characters of a 统一社会信用代码.

    ``31 - (Σ value × weight mod 31)``, 31 written as ``0``, over the 31-character alphabet.

    Examples
    --------
    >>> credit_check_char("91440300192203821")  # 华为技术有限公司 914403001922038216
    '6'
    >>> credit_check_char("91440300708461136")  # 深圳市腾讯计算机系统有限公司 91440300708461136T
    'T'
    """
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def header_map(cells: list[str]) -> dict[str, int]:
    """``{field: column index}`` for the known headers among ``cells``."""
    norm = [str(c or "").strip().lstrip("\ufeff").replace(" ", "") for c in cells]
    out = {}
    for field, names in HEADERS.items():
        for n in names:
            if n in norm:
                out[field] = norm.index(n)
                break
    return out


def is_enterprise_export(path) -> bool:
    """True for a workbook, or a CSV whose header names 企业名称 (or another name header)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    line = head.split(b"\n", 1)[0]
    first = ""
    for enc in ("utf-8-sig", "gb18030"):  # the header line only: a cut character cannot fail it
        try:
            first = line.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    return any(n in first for n in HEADERS["name"][:3])


def _read_rows(path: Path, data: bytes) -> tuple[str, str, list[Record]]:
    """(text for offsets, encoding, :class:`Record` per row) of a CSV or workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # a workbook only: a CSV export never pays for openpyxl

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ChaingraphError(f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
        ws = wb.worksheets[0]
        rows, parts, pos = [], [], 0
        for row_no, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else (v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            body = "\t".join(cells)
            parts.append(body + "\n")
            if body.strip():
                rows.append(Record(row_no, pos, pos + len(body), body, cells, None))
            pos += len(body) + 1
        wb.close()
        return "".join(parts), "xlsx", rows
    text, encoding = decode(data)
    return text, encoding, list(records(text))


def _place_from(address: str, province: str, city: str, name: str) -> tuple[dict | None, str]:
    """Region dict (as :func:`region_of`, plus ``label`` for a city outside the tables) and where it came from."""
    if address:
        hit = _cnloc(address)
        if hit:
            return hit, "注册地址"
    found, where = region_of_columns(province, city, name)
    return found, {"city": "城市列", "province": "省份列", "name": "企业名称", "": "未知"}[where]


_CNLOC_CACHE: dict[str, dict | None] = {}


def _cnloc(address: str) -> dict | None:
    """Province and city of an address read by ``cnloc`` (offline tables), as a region dict."""
    if address in _CNLOC_CACHE:
        return _CNLOC_CACHE[address]
    import cnloc  # a dependency of the import only: loads its national division tables (~1 s)

    res = cnloc.getlocation(address, drop=["id"]).to_dict("records")[0]
    prov = res.get("province_name") if isinstance(res.get("province_name"), str) else None
    city = res.get("city_name") if isinstance(res.get("city_name"), str) else None
    out = None
    if prov:
        short = next((p for p in sorted(PROVINCES, key=len, reverse=True) if prov.startswith(p)), None)
        if short:
            pslug = PROVINCES[short][0]
            cshort = city[:-1] if city and city.endswith("市") else city
            if cshort and cshort in CITIES and CITIES[cshort][1] == short:
                out = region_of(PROVINCES[short][1] + cshort + "市") or region_of(cshort + "市")
            elif cshort and short not in ("北京", "天津", "上海", "重庆"):
                code = str(res.get("city_adcode") or "").split(".")[0]
                out = {"city": cshort, "city_slug": f"cn-{code}" if code.isdigit() else None, "province": short,
                       "province_slug": pslug, "regions": sorted(PROVINCES[short][2]), "label": city}
                if out["city_slug"] is None:
                    out.update(city=None)
            else:
                out = region_of(PROVINCES[short][1])
    _CNLOC_CACHE[address] = out
    return out


@dataclass
class ExportRow(CheckedRow):
    """A good row of an export, with its credit code and the place read for it."""

    code: str  # 统一社会信用代码 (upper case) or ""
    place: dict | None
    place_from: str  # which column the place came from (注册地址, 城市列, 省份列, 企业名称, 未知)


def import_export(
    path,
    segments: list[dict],
    *,
    out_dir=None,
    skip_bad: bool = False,
    known: dict[str, list[str]] | None = None,
    known_places: set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Validate and import one enterprise-information export (see the module docstring).

    Returns ``{file, encoding, rows, imported, bad: [{row, reason, text}], written, firms:
    [{row, name, iri, segments, place, place_from, existing}], columns: {field: header}}``;
    with bad rows and no ``skip_bad`` nothing is written and ``written`` is None.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ChaingraphError(f"cannot read {path}: {exc.strerror or exc}") from None
    _, encoding, rows = _read_rows(path, data)
    head_cells, cols = _header(path, rows)
    rules = _RowRules(segments, cols)
    good: list[ExportRow] = []
    bad: list[dict] = []
    for i, r in enumerate(rows[1:], start=2):
        if progress:
            progress(i, len(rows))
        checked = bad_row(r.row, r.problem, r.text) if r.cells is None else rules.check(r)
        (good if isinstance(checked, ExportRow) else bad).append(checked)
    report = new_report(path, encoding, good, bad, columns={f: head_cells[j] for f, j in cols.items()})
    if (bad and not skip_bad) or not good:
        return report
    key = file_key(path)
    target = import_target(path, out_dir if out_dir is not None else user_data_dir() / "imports")
    source = "ent-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    head = head_turtle(f"# Imported from {path.name} by `chaingraph import` ({len(good)} firms, enterprise-information export).\n",
                       source_turtle(source, path.name, data), f"@prefix schema:  <{SCHEMA}> .\n\n")
    index, places = NameIndex(known), set(known_places or ())
    return write_import(report, target, head, good, lambda g, products: _firm_turtle(g, source, index, places, products))


def _header(path: Path, rows: list[Record]) -> tuple[list[str], dict[str, int]]:
    """The header row's cells and ``{field: column}``; an error when there is no usable header."""
    if not rows:
        raise ChaingraphError(f"{path}: empty file (no header row)")
    head = rows[0]
    if head.cells is None:
        raise ChaingraphError(f"{path}: row {head.row}: {head.problem}")
    cols = header_map(head.cells)
    if REQUIRED not in cols:
        raise ChaingraphError(f"{path}: row {head.row}: no 企业名称 column (found: {', '.join(c for c in head.cells if c)})")
    return head.cells, cols


class _RowRules:
    """What a good row of an export is, and the segments it links to."""

    def __init__(self, segments: list[dict], cols: dict[str, int]):
        self.cols = cols
        self.matcher = TermMatcher(segments)
        self.by_code = segments_by_code(segments)
        self.seen: dict[str, int] = {}  # name key -> row, of the good rows so far
        self.seen_code: dict[str, int] = {}  # credit code -> row

    def check(self, r: Record) -> ExportRow | dict:
        """The row as an :class:`ExportRow` when good, else the bad row with every reason."""
        cells = r.cells
        rec = {f: (str(cells[j]).strip() if j < len(cells) and cells[j] is not None else "") for f, j in self.cols.items()}
        name = rec.get("name", "")
        code = rec.get("credit_code", "").upper()
        reasons = self._problems(r.text, rec, name, code)
        links = self._links(rec, name)
        tiers = sorted({TIERS[t] for t in TIERS if t in rec.get("tags", "")})
        if reasons:
            return bad_row(r.row, "; ".join(reasons), r.text)
        self.seen[name_key(name)] = r.row
        if code:
            self.seen_code[code] = r.row
        place, place_from = _place_from(rec.get("address", ""), rec.get("province", ""), rec.get("city", ""), name)
        return ExportRow(r.row, r.start, r.end, r.text, rec, sorted(links, key=lambda k: (k.segment, k.basis, k.product or "", k.detail)),
                         tiers, code, place, place_from)

    def _problems(self, text: str, rec: dict[str, str], name: str, code: str) -> list[str]:
        reasons = []
        if "\ufffd" in text:
            reasons.append("bad encoding (replacement character)")
        if not name:
            reasons.append("缺少企业名称 (missing name)")
        elif name_key(name) in self.seen:
            reasons.append(f"企业名称重复 {name!r} (also row {self.seen[name_key(name)]})")
        if code:
            if not _CREDIT.match(code):
                reasons.append(f"统一社会信用代码格式不对 {code!r} (18 characters)")
            elif code[17] != credit_check_char(code):
                reasons.append(f"统一社会信用代码校验位不对 {code!r} (GB 32100-2015: the first 17 characters give "
                               f"check character {credit_check_char(code)}, not {code[17]}; a character mistyped?)")
            elif code in self.seen_code:
                reasons.append(f"统一社会信用代码重复 {code} (also row {self.seen_code[code]})")
        if rec.get("founded") and not _DATE.match(rec["founded"]):
            reasons.append(f"成立日期不是日期 {rec['founded']!r}")
        if rec.get("capital") and not re.fullmatch(r"\d+(?:\.\d+)?", _CAPITAL_WORDS.sub("", rec["capital"])):
            reasons.append(f"注册资本不是金额 {rec['capital']!r}")
        return reasons

    def _links(self, rec: dict[str, str], name: str) -> set[Link]:
        """Links from the products, business scope and industry columns, else from the name."""
        m_of = self.matcher.match
        links: set[Link] = set()
        for p in split(rec.get("products")):
            m = m_of(p)
            links |= {Link(sg, "StatedProduct", p, m["term"]) for sg in (m or {}).get("segments", [])}
        for item in _SCOPE_SPLIT.split(rec.get("scope", "")):
            m = m_of(item) if len(item) >= 2 else None
            links |= {Link(sg, "BusinessScope", item, m["term"]) for sg in (m or {}).get("segments", [])}
        industry = rec.get("industry", "")
        for c in _INDUSTRY_CODE.findall(industry):
            links |= {Link(sg, "IndustryCode", None, industry) for sg in self.by_code.get(c, [])}
        words = re.sub(r"[A-T]?\d{2,4}", " ", industry).strip()
        m = m_of(words) if words else None
        links |= {Link(sg, "IndustryCode", None, industry) for sg in (m or {}).get("segments", [])}
        if not links and name:
            for t, _ in self.matcher.candidates(name_key(name)):
                links |= {Link(sg, "InferredFromName", None, self.matcher.original[t])
                          for sg in sorted(self.matcher.by_term.get(t, ())) if sg not in self.matcher.excluded(name)}
        return links


def _firm_turtle(g: ExportRow, source: str, index: NameIndex, places: set[str], products: dict) -> tuple[list[str], dict]:
    """Turtle for one good row (its evidence, places new to the graph, the firm and its links)
    and the row's entry in the report."""
    rec = g.rec
    existing = index.resolve([rec["name"], rec.get("short")])
    slug = "ent-" + hashlib.sha1(((g.code or "") + "|" + name_key(rec["name"])).encode("utf-8")).hexdigest()[:12]
    ev = f"fact:{slug}-row{g.row}"
    out = [evidence_turtle(ev, source, g)]
    firm = iri(existing) if existing else f"company:{slug}"
    parts = [f"{firm} a cg:Company"]
    place = g.place
    if not existing:
        parts.append(f"rdfs:label {lit(rec.get('short') or rec['name'])}")
        parts.append(f"cg:fullName {lit(rec['name'])}")
        if place:
            parts.append(f"cg:city place:{place['city_slug'] or place['province_slug']}")
            out.extend(_place_turtle(place, places, ev))
    if rec.get("short") and existing:
        parts.append(f"cg:shortName {lit(rec['short'])}")
    if g.code:
        parts.append(f"schema:taxID {lit(g.code, None)}")
    if g.tiers:
        parts.append("cg:tier " + " , ".join(f"cg:{t}" for t in g.tiers))
    notes = [f"{h} {rec[f]}" for f, h in (("founded", "成立日期"), ("capital", "注册资本"), ("industry", "所属行业"),
                                           ("address", "注册地址")) if rec.get(f)]
    if notes:
        parts.append(f"rdfs:comment {lit('；'.join(notes))}")
    text, segs = firm_turtle(g, firm, parts, slug, ev, products)
    out.append(text)
    return out, {"row": g.row, "name": rec["name"], "iri": firm, "segments": segs,
                 "place": (place or {}).get("label") or (place or {}).get("city") or (place or {}).get("province"),
                 "place_from": g.place_from, "existing": bool(existing)}


def _place_turtle(place: dict, written: set[str], ev: str) -> list[str]:
    """Turtle for a place read from an address; a city outside the built-in tables gets an
    adcode slug (``place:cn-440300``) with its label, part of its province."""
    if place.get("label") and place.get("city_slug", "").startswith("cn-"):
        out = place_turtle({**place, "city": None, "city_slug": None}, written, written, ev)
        full = ID + "place/" + place["city_slug"]
        if full not in written:
            written.add(full)
            out.append(f"place:{place['city_slug']} a cg:Place ; rdfs:label {lit(place['label'])} ;\n"
                       f"    cg:partOf place:{place['province_slug']} ;\n    cg:evidence {ev} .\n")
        return out
    return place_turtle(place, written, written, ev)
