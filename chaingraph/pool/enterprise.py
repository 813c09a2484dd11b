"""Import the lists officers export from enterprise-information services (企查查, 天眼查, 启信宝 …).

``chaingraph import FILE.xlsx|csv`` sends a file here when its header row holds Chinese column
names such as 企业名称 (:func:`is_enterprise_export`); a file with the English columns of
:mod:`chaingraph.pool.csv_import` goes there.  Columns (order free, unknown columns ignored,
only 企业名称 is required; the first header of each group that is present is used):

==============================  ===================================================================
企业名称 / 公司名称              the registered name: full name and label
企业简称 / 简称                  short name (label when given)
统一社会信用代码 / 信用代码      18 characters (GB 32100-2015 alphabet); checked, kept as
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
name, a name or credit code already used in the file, a malformed credit code, date or capital;
nothing is written unless every row is good (``skip_bad=True`` writes the good rows).  Output:
``$CHAINGRAPH_HOME/data/imports/<stem>-<path hash>.ttl`` (one file per imported path),
replaced atomically.  Evidence: one ``cg:Source`` per file (name, SHA-256); each firm's quote is
its row (cells joined by tabs for a workbook) with character offsets into the file's text (for a
workbook, into its rows written as tab-separated lines).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable

from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.pool.chainkg import PREFIXES, iri, lit, place_turtle, product_slug, write_atomic
from chaingraph.pool.csv_import import TIERS, Record, decode, file_key, links_turtle, products_turtle, records, split
from chaingraph.pool.matching import TermMatcher
from chaingraph.pool.regions import CITIES, PROVINCES, region_of
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
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_CAPITAL_WORDS = re.compile(r"人民币|美元|港元|港币|欧元|日元|英镑|万|亿|元|[()（）\s,，]")
_SCOPE_SPLIT = re.compile(r"[、，,；;。：:（）()\s]+")
_INDUSTRY_CODE = re.compile(r"(?:^|[^0-9])[A-T]?(\d{4})(?![0-9])")
SCHEMA = "https://schema.org/"


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
    """(text for offsets, encoding, [(row_no, start, end, text, cells, problem)]) of a CSV or workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

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
                rows.append((row_no, pos, pos + len(body), body, cells, None))
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
    prov, cty = province.rstrip("省市"), city.rstrip("市")
    if cty and cty in CITIES:
        return region_of(CITIES[cty][1] + "省" + cty + "市") or region_of(cty + "市"), "城市列"
    if prov and prov in PROVINCES:
        return region_of(prov), "省份列"
    r = region_of(name)
    return (r, "企业名称") if r else (None, "未知")


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
    text, encoding, rows = _read_rows(path, data)
    if not rows:
        raise ChaingraphError(f"{path}: empty file (no header row)")
    head_no, _, _, _, head_cells, problem = rows[0]
    if head_cells is None:
        raise ChaingraphError(f"{path}: row {head_no}: {problem}")
    cols = header_map(head_cells)
    if REQUIRED not in cols:
        raise ChaingraphError(f"{path}: row {head_no}: no 企业名称 column (found: {', '.join(c for c in head_cells if c)})")
    matcher = TermMatcher(segments)
    by_code: dict[str, list[str]] = {}
    for s in segments:
        for c in s.get("codes", []):
            by_code.setdefault(str(c), []).append(s["iri"])
    key_index: dict[str, set[str]] = {}
    for f, names in (known or {}).items():
        for n in names:
            if n:
                key_index.setdefault(name_key(n), set()).add(f)

    bad, good, seen, seen_code = [], [], {}, {}
    total = len(rows)
    for i, (row_no, start, end, body, cells, problem) in enumerate(rows[1:], start=2):
        if progress:
            progress(i, total)
        if cells is None:
            bad.append({"row": row_no, "reason": problem, "text": body})
            continue
        rec = {f: (str(cells[j]).strip() if j < len(cells) and cells[j] is not None else "") for f, j in cols.items()}
        reasons = []
        name = rec.get("name", "")
        if "\ufffd" in body:
            reasons.append("bad encoding (replacement character)")
        if not name:
            reasons.append("缺少企业名称 (missing name)")
        elif name_key(name) in seen:
            reasons.append(f"企业名称重复 {name!r} (also row {seen[name_key(name)]})")
        code = rec.get("credit_code", "").upper()
        if code:
            if not _CREDIT.match(code):
                reasons.append(f"统一社会信用代码格式不对 {code!r} (18 characters)")
            elif code in seen_code:
                reasons.append(f"统一社会信用代码重复 {code} (also row {seen_code[code]})")
        if rec.get("founded") and not _DATE.match(rec["founded"]):
            reasons.append(f"成立日期不是日期 {rec['founded']!r}")
        if rec.get("capital") and not re.fullmatch(r"\d+(?:\.\d+)?", _CAPITAL_WORDS.sub("", rec["capital"])):
            reasons.append(f"注册资本不是金额 {rec['capital']!r}")
        links: set[tuple[str, str, str | None, str]] = set()  # (segment, basis, product, detail)
        for p in split(rec.get("products")):
            m = matcher.match(p)
            for sg in (m or {}).get("segments", []):
                links.add((sg, "StatedProduct", p, m["term"]))
        for item in _SCOPE_SPLIT.split(rec.get("scope", "")):
            m = matcher.match(item) if len(item) >= 2 else None
            for sg in (m or {}).get("segments", []):
                links.add((sg, "BusinessScope", item, m["term"]))
        industry = rec.get("industry", "")
        for c in _INDUSTRY_CODE.findall(industry):
            for sg in by_code.get(c, []):
                links.add((sg, "IndustryCode", None, industry))
        words = re.sub(r"[A-T]?\d{2,4}", " ", industry).strip()
        m = matcher.match(words) if words else None
        for sg in (m or {}).get("segments", []):
            links.add((sg, "IndustryCode", None, industry))
        if not links and name:
            for t, _ in matcher.candidates(name_key(name)):
                for sg in sorted(matcher.by_term.get(t, ())):
                    if sg not in matcher.excluded(name):
                        links.add((sg, "InferredFromName", None, matcher.original[t]))
        tiers = sorted({TIERS[t] for t in TIERS if t in rec.get("tags", "")})
        if reasons:
            bad.append({"row": row_no, "reason": "; ".join(reasons), "text": body})
            continue
        seen[name_key(name)] = row_no
        if code:
            seen_code[code] = row_no
        place, place_from = _place_from(rec.get("address", ""), rec.get("province", ""), rec.get("city", ""), name)
        good.append({"row": row_no, "start": start, "end": end, "text": body, "rec": rec, "code": code,
                     "links": sorted(links, key=lambda x: (x[0], x[1], x[2] or "", x[3])), "tiers": tiers,
                     "place": place, "place_from": place_from})
    report = {"file": str(path), "encoding": encoding, "rows": len(good) + len(bad), "imported": 0, "bad": bad,
              "written": None, "firms": [], "columns": {f: head_cells[j] for f, j in cols.items()}}
    if bad and not skip_bad:
        return report
    if not good:
        return report
    key = file_key(path)
    target = (Path(out_dir) if out_dir is not None else user_data_dir() / "imports") / f"{key}.ttl"
    src = "ent-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    out = [f"# Imported from {path.name} by `chaingraph import` ({len(good)} firms, enterprise-information export).\n",
           PREFIXES, f"@prefix schema:  <{SCHEMA}> .\n\n"]
    out.append(" ;\n    ".join([
        f"src:{src} a cg:Source", f"rdfs:label {lit(path.name)}", f"dcterms:title {lit(path.name)}",
        f"cg:fileName {lit(path.name, None)}", f'cg:sha256 "{hashlib.sha256(data).hexdigest()}"',
    ]) + " .\n\n")
    products: dict[str, dict] = {}
    written_places: set[str] = set(known_places or ())
    for g in good:
        rec = g["rec"]
        hits = set()
        for n in (rec["name"], rec.get("short")):
            if n:
                hits |= key_index.get(name_key(n), set())
        existing = sorted(hits)[0] if len(hits) == 1 else None
        slug = "ent-" + hashlib.sha1(((g["code"] or "") + "|" + name_key(rec["name"])).encode("utf-8")).hexdigest()[:12]
        # the row is quoted once, in a named evidence node every fact from the row points to (as
        # in csv_import: a blank node per fact repeated a long 经营范围 for every segment link)
        ev = f"fact:{slug}-row{g['row']}"
        out.append(f"{ev} a cg:Evidence ; cg:source src:{src} ; cg:quote {lit(g['text'])} ;"
                   f" cg:start {g['start']} ; cg:end {g['end']} .\n")
        firm = iri(existing) if existing else f"company:{slug}"
        parts = [f"{firm} a cg:Company"]
        place = g["place"]
        if not existing:
            parts.append(f"rdfs:label {lit(rec.get('short') or rec['name'])}")
            parts.append(f"cg:fullName {lit(rec['name'])}")
            if place:
                parts.append(f"cg:city place:{place['city_slug'] or place['province_slug']}")
                out.extend(_place_turtle(place, written_places, ev))
        if rec.get("short") and existing:
            parts.append(f"cg:shortName {lit(rec['short'])}")
        if g["code"]:
            parts.append(f"schema:taxID {lit(g['code'], None)}")
        if g["tiers"]:
            parts.append("cg:tier " + " , ".join(f"cg:{t}" for t in g["tiers"]))
        notes = [f"{h} {rec[f]}" for f, h in (("founded", "成立日期"), ("capital", "注册资本"), ("industry", "所属行业"),
                                               ("address", "注册地址")) if rec.get(f)]
        if notes:
            parts.append(f"rdfs:comment {lit('；'.join(notes))}")
        link_parts, segs, link_blocks = links_turtle(firm, slug, g["links"], ev, products)
        parts += link_parts
        parts.append(f"cg:evidence {ev}")
        out.append(f"# row {g['row']}\n" + " ;\n    ".join(parts) + " .\n")
        out.extend(link_blocks)
        out.append("\n")
        report["firms"].append({"row": g["row"], "name": rec["name"], "iri": firm, "segments": segs,
                                "place": (place or {}).get("label") or (place or {}).get("city") or (place or {}).get("province"),
                                "place_from": g["place_from"], "existing": bool(existing)})
    out.extend(products_turtle(products))
    write_atomic(target, "".join(out))
    report["written"] = str(target)
    report["imported"] = len(good)
    return report


def _place_turtle(place: dict, written: set[str], ev: str) -> list[str]:
    """Turtle for a place read from an address; a city outside the built-in tables gets an
    adcode slug (``place:cn-440300``) with its label, part of its province."""
    if place.get("label") and place.get("city_slug", "").startswith("cn-"):
        out = place_turtle({**place, "city": None, "city_slug": None}, written, written, ev)
        full = "https://w3id.org/chaingraph/id/place/" + place["city_slug"]
        if full not in written:
            written.add(full)
            out.append(f"place:{place['city_slug']} a cg:Place ; rdfs:label {lit(place['label'])} ;\n"
                       f"    cg:partOf place:{place['province_slug']} ;\n    cg:evidence {ev} .\n")
        return out
    return place_turtle(place, written, written, ev)
