"""Candidate pool from the ChainKnowledgeGraph refdata (A-share companies, October 2021).

The refdata (github.com/liuhuanyong/ChainKnowledgeGraph, 刘焕勇, data of 2021-10) states no
licence.  The project's decision (issue #15): ship only a compiled, filtered **table of facts**
derived from it (firm names, stock codes, exchange, product lines with the revenue shares
disclosed in annual reports, the data's date), credited in ``data/README.md`` and the README,
never the raw files.  That table is :data:`SHIPPED_POOL` (``pool/chainkg.ttl``, written by
``python3 -m chaingraph.pool.chainkg SRC``), loaded beside the bundled graph unless the user
built their own: ``chaingraph pool build`` runs :func:`convert` on a local copy and writes
``$CHAINGRAPH_HOME/data/pool/chainkg.ttl``, which then replaces the shipped table.

What :func:`convert` keeps and why (see ``PROVENANCE.md`` of the refdata for the problems):

* only company→product rows whose product maps onto a segment of the chain templates
  (:class:`~chaingraph.pool.matching.TermMatcher`: most specific term wins, head shifts,
  accounting and service lines dropped);
* ``rel_weight`` is the line's revenue share: ``0.001`` is a placeholder (a business-scope
  line) and becomes *share unknown* (``share=None``, ``share_status="placeholder"``), never
  0.001; negative shares and shares above 1 drop the row; duplicated (company, product) rows
  keep the largest share;
* the Shenwan 2021 industry (L1 and L3) of each company; a product line in a chain whose usual
  Shenwan L1 sectors (:data:`CHAIN_SECTORS`) do not include the company's is flagged
  ``stale_suspect`` (likely a line from an earlier business, e.g. a media company's
  汽车塑料零部件) — flagged, not dropped; its evidence gets ``cg:confidence 0.4``; so is a line a
  renamed firm kept from its earlier business (:func:`_flag_renamed_stale`: 晶澳科技's 硬岩掘进机);
* a line of an equipment maker (Shenwan L3 in :data:`EQUIPMENT_INDUSTRIES`) that names
  equipment for a segment's activity rather than the activity (its words after the matched
  term, or another name of the same revenue line, end with 设备/装备/系统/机 …: 蓝英装备's
  表面处理 = 工业清洗系统) is linked with basis ``cg:EquipmentForSegment``: weak evidence,
  shown as an equipment supplier, not as a firm of that segment;
* the region read from the full name (:func:`~chaingraph.pool.regions.region_of`);
  ``湖南…`` names are Hunan-registered (湘商回归 candidates);
* entity resolution: a company whose full or short name equals (after
  :func:`~chaingraph.lookup.name_key`, so across scripts) a name of a firm already in the
  graph reuses that firm's IRI instead of minting ``company:sc-<code>``.

Evidence: ``cg:quote`` = the normalised JSON line of the refdata file, ``cg:start``/``cg:end``
= character offsets of that line in the decoded file.

Examples
--------
>>> from pathlib import Path
>>> src = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "chainkg"
>>> segs = [{"iri": "seg:pcb", "label": "印制电路板", "chain": "chain:electronic-devices",
...          "terms": ["PCB", "印制电路板"]}]
>>> rows = convert(src, segs)
>>> [(r["code"], r["name"], (r["region"] or {}).get("province")) for r in rows]
[('000665', '旧名传媒', '湖北'), ('002916', '深南电路', None), ('300999', '湘电路板', '湖南')]
>>> [p["stale_suspect"] for p in rows[0]["products"]]
[True]
>>> [(p["product"], p["share"], p["share_status"]) for p in rows[1]["products"]]
[('印制电路板', 0.6, 'stated'), ('PCB样板', None, 'placeholder')]
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.normalize import normalize
from chaingraph.pool.chainkg_turtle import SOURCE_INFO, pool_turtle, write_pool_turtle
from chaingraph.pool.firmlist import NameIndex
from chaingraph.pool.matching import TermMatcher, is_accounting_line
from chaingraph.pool.regions import REGION_LABELS, region_of
from chaingraph.pool.turtle import ID, local_name, write_atomic
from chaingraph.project import chain_dag, firms, names_of, segments_in_order
from chaingraph.store import bundled_files, bundled_root, load_files, select

PLACEHOLDER_WEIGHT = 0.001

FILES = ("company.json", "company_industry.json", "company_product.json", "industry.json")

# Shenwan 2021 L1 codes (2 digits) under which a chain's makers are usually classified.
CHAIN_SECTORS: dict[str, frozenset[str]] = {
    # 电子, 基础化工, 有色金属, 建筑材料, 电力设备, 计算机, 通信, 家用电器, 国防军工, 机械设备
    "electronic-devices": frozenset({"27", "22", "24", "61", "63", "71", "73", "33", "65", "64"}),
    # 机械设备, 汽车, 电力设备, 国防军工, 家用电器, 电子, 钢铁, 基础化工
    "equipment": frozenset({"64", "28", "63", "65", "33", "27", "23", "22"}),
    "electronic-information": frozenset({"27", "71", "73", "63", "33", "65"}),
}

#: Shenwan 2021 L3 industries whose firms make production equipment, instruments and automation
#: for other industries (机械设备's 通用/专用/自动化设备, and the equipment L3s of 电子, 电力设备 and
#: 环保): such a firm's line named after an activity (表面处理) is equipment *for* that activity.
EQUIPMENT_INDUSTRIES = frozenset({
    "机床工具", "其他通用设备", "能源及重型设备", "纺织服装设备", "印刷包装机械", "其他专用设备", "楼宇设备",
    "仪器仪表", "机器人", "工控设备", "激光设备", "其他自动化设备", "半导体设备", "光伏加工设备", "锂电专用设备",
    "环保设备Ⅲ",
})
#: Head nouns that name a machine or installation (the last words of a product name).
EQUIPMENT_HEADS = ("设备", "装备", "系统", "装置", "机械", "仪器", "生产线", "机")
#: GB/T 4754-2017 divisions of machine makers (C34 通用设备, C35 专用设备, C40 仪器仪表): a
#: segment with such a code is itself an equipment segment (its product is a machine).
EQUIPMENT_DIVISIONS = ("34", "35", "40")


def is_equipment_name(name: str, after: str = "") -> bool:
    """True when ``name`` ends with a head noun naming equipment (:data:`EQUIPMENT_HEADS`; 电机,
    a motor, is a part).  With ``after`` (the matched term), only the words after that term are
    read, and they must qualify the head (调测系统), not be the bare head (动力电池系统 is a
    battery pack).

    Examples
    --------
    >>> is_equipment_name("工业清洗系统"), is_equipment_name("OLED调测系统", "OLED"), is_equipment_name("表面处理")
    (True, True, False)
    >>> is_equipment_name("直线电机"), is_equipment_name("新能源动力电池系统", "动力电池")
    (False, False)
    """
    key = name_key(name or "")
    if after:
        t = name_key(after)
        key = key[key.rfind(t) + len(t):].lstrip("和及与") if t in key else ""
        if key in EQUIPMENT_HEADS:
            return False
    return key.endswith(EQUIPMENT_HEADS) and not key.endswith("电机")


def is_equipment_segment(segment: dict) -> bool:
    """True when the segment's product is itself equipment: a GB/T 4754 code in
    :data:`EQUIPMENT_DIVISIONS`, or (no code) a label naming equipment (仪器仪表, 设备, 装备, 机械).

    Examples
    --------
    >>> is_equipment_segment({"label": "数控机床", "codes": ["3421"]}), is_equipment_segment({"label": "电镀", "codes": ["3360"]})
    (True, False)
    """
    codes = segment.get("codes") or []
    if codes:
        return any(str(c).startswith(EQUIPMENT_DIVISIONS) for c in codes)
    return any(w in (segment.get("label") or "") for w in ("仪器", "仪表", "设备", "装备", "机械"))


def six(code: str) -> str:
    """The 6-digit stock code of ``600707.SH`` or ``600707``."""
    return str(code).split(".")[0].strip().zfill(6)


def segments_from_graph(graph) -> list[dict]:
    """Segments of every chain template as ``{iri, label, chain, terms, codes}`` (sorted by IRI)."""
    dag = chain_dag(graph)
    return [
        {"iri": n, "label": d["label"], "chain": d["chain"], "terms": list(d["product_terms"]),
         "process_terms": list(d.get("process_terms", [])), "exclude_terms": list(d.get("exclude_terms", [])),
         "codes": list(d["industry_codes"])}
        for n, d in sorted(dag.nodes(data=True))
    ]


class JsonLine(NamedTuple):
    """One line of a refdata file: its number, character offsets, text and parsed record."""

    line: int
    start: int
    end: int
    text: str
    record: dict


class Cited(NamedTuple):
    """Where a company's facts are read: a line of a refdata file (``text`` None: not kept)."""

    file: str
    line: int
    start: int
    end: int
    text: str | None


def _read_lines(path: Path) -> Iterator[JsonLine]:
    """Yield a :class:`JsonLine` for every JSON line (offsets in characters)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChaingraphError(f"refdata file not found: {path}") from None
    pos = 0
    for no, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        start, pos = pos, pos + len(line)
        if not body.strip():
            continue
        try:
            rec = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ChaingraphError(f"{path}:{no}: not a JSON line: {exc.msg}") from None
        yield JsonLine(no, start, start + len(body), body, rec)


def _cite(file: str, j: JsonLine) -> Cited:
    return Cited(file, j.line, j.start, j.end, j.text)


def is_risk_warning(short_name: str) -> bool:
    """True for exchange risk-warning names (``ST``, ``*ST``, ``S*ST``) that are not recruitment targets.

    Examples
    --------
    >>> is_risk_warning("*ST丹邦"), is_risk_warning("ST大集"), is_risk_warning("深南电路")
    (True, True, False)
    """
    return bool(re.match(r"^(S\s*)?\*?\s*ST", (short_name or "").strip(), re.I))


@dataclass
class ProductLines:
    """The product lines of ``company_product.json`` kept per company, and what was dropped."""

    best: dict[tuple[str, str], dict] = field(default_factory=dict)  # (code, product key) -> line
    dropped: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> reason -> count
    meta: dict[str, dict] = field(default_factory=dict)  # code -> {stock_code, name} of its first line
    # code -> stated share -> {name key: (product name, segments it maps onto)}, every kept line
    shares: dict[str, dict[float, dict[str, tuple[str, frozenset]]]] = field(default_factory=dict)

    def by_code(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for (code, _), item in self.best.items():
            out.setdefault(code, []).append(item)
        return out


def convert(
    src_dir,
    segments: list[dict],
    *,
    known: dict[str, list[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Companies of the refdata whose products map onto ``segments``, one row per company.

    Parameters
    ----------
    src_dir : path
        Folder with ``company.json``, ``company_industry.json``, ``company_product.json`` and
        ``industry.json`` (JSON lines, as in ChainKnowledgeGraph).
    segments : list of dict
        ``{iri, label, chain, terms}`` per segment (:func:`segments_from_graph`).
    known : dict, optional
        ``{firm_iri: [names…]}`` of firms already in the graph, for entity resolution.
    progress : callable, optional
        Called as ``progress(done, total)`` with product rows read so far.

    Returns
    -------
    list of dict
        Sorted by code.  Keys: ``code`` (6 digits), ``stock_code`` (``002916.SZ``), ``name``,
        ``full_name`` (or None), ``aliases``, ``iri``, ``resolved`` (True when ``iri`` is an
        existing firm), ``shenwan`` ({l1, l1_code, l3, l3_code} or None), ``region`` (see
        :func:`region_of`, or None), ``products`` (sorted by share, unknown last: {product,
        segments, term, specificity, exact, share, share_status, stale_suspect, stale_reason (the
        current line when :func:`_flag_renamed_stale` flagged it), same_line
        ({segment: [other names with the same share]}), equipment_for ({segment: [names of
        equipment for the segment's activity]}, :func:`_flag_equipment`), line, start, end, quote}), ``segments`` (sorted IRIs), ``company_evidence`` ({file, line, start,
        end, quote}), ``dropped`` (counts by reason for this company).
    """
    src = Path(src_dir)
    if not src.is_dir():
        raise ChaingraphError(f"refdata folder not found: {src}", hint="pass the folder holding company_product.json")
    industry_of = _industries(src)
    listing = _listings(src)
    lines = _product_lines(src / "company_product.json", TermMatcher(segments), progress)
    seg_chain = {s["iri"]: s.get("chain") or "" for s in segments}
    equipment_segs = frozenset(s["iri"] for s in segments if is_equipment_segment(s))
    index = NameIndex(known)
    rows = []
    by_code = lines.by_code()
    for code in sorted(by_code):
        row = _company_row(code, by_code[code], industry_of.get(code), listing.get(code, []), lines, index, seg_chain,
                          equipment_segs)
        if row is not None:
            rows.append(row)
    _flag_renamed_stale(rows, lines.shares)
    return rows


def _industries(src: Path) -> dict[str, dict]:
    """Shenwan industry of each company (first line wins): ``{code: {l3, l3_code, l1_code, l1,
    name, stock_code, ev}}``."""
    industries = {j.record["code"]: j.record["name"] for j in _read_lines(src / "industry.json")}
    industry_of: dict[str, dict] = {}
    for j in _read_lines(src / "company_industry.json"):
        rec = j.record
        code = six(rec["company_code"])
        l3 = str(rec.get("industry_code") or "")
        industry_of.setdefault(code, {
            "l3": rec.get("industry_name"), "l3_code": l3, "l1_code": l3[:2],
            "l1": industries.get(l3[:2] + "0000"), "name": rec.get("company_name"),
            "stock_code": rec["company_code"], "ev": _cite("company_industry.json", j),
        })
    return industry_of


def _listings(src: Path) -> dict[str, list[dict]]:
    """The entries of ``company.json`` by code (a code may have several: renamed companies)."""
    listing: dict[str, list[dict]] = {}
    for j in _read_lines(src / "company.json"):
        listing.setdefault(six(j.record["code"]), []).append({**j.record, "ev": _cite("company.json", j)})
    return listing


def _product_lines(path: Path, matcher: TermMatcher, progress) -> ProductLines:
    """The product lines that map onto a segment, one per (company, product): the largest share."""
    lines = list(_read_lines(path))
    out = ProductLines()
    for i, j in enumerate(lines, start=1):
        if progress and (i % 2000 == 0 or i == len(lines)):
            progress(i, len(lines))
        rec = j.record
        code = six(rec["company_code"])
        out.meta.setdefault(code, {"stock_code": rec["company_code"], "name": rec.get("company_name")})
        drops = out.dropped.setdefault(code, {})
        item = _product_line(j, matcher, drops, out.shares.setdefault(code, {}))
        if item is None:
            continue
        k = (code, name_key(item["product"]))
        old = out.best.get(k)
        if old is not None:
            drops["duplicate"] = drops.get("duplicate", 0) + 1
            if (old["share"] or -1) >= (item["share"] or -1):
                continue
        out.best[k] = item
    return out


def _product_line(j: JsonLine, matcher: TermMatcher, drops: dict[str, int], shares: dict) -> dict | None:
    """The product line of ``j`` mapped onto segments; None (counted in ``drops`` when it is an
    accounting line or a bad share) when it is not kept.  Every line with a stated share, mapped
    or not, is noted in ``shares`` (share -> name key -> (name, segments)) to find
    :func:`_same_line_names`."""
    rec = j.record
    product = (rec.get("product_name") or "").strip()
    if not product or is_accounting_line(product):
        drops["accounting"] = drops.get("accounting", 0) + 1
        return None
    try:
        w = float(rec.get("rel_weight"))
    except (TypeError, ValueError):
        w = None
    if w is not None and (w < 0 or w > 1):
        drops["bad_share"] = drops.get("bad_share", 0) + 1
        return None
    m = matcher.match(product)
    placeholder = w is None or abs(w - PLACEHOLDER_WEIGHT) < 1e-12
    if not placeholder:
        shares.setdefault(round(w, 6), {}).setdefault(
            name_key(product), (product, frozenset(m["segments"]) if m else frozenset()))
    if m is None:
        return None
    return {
        "product": product, "segments": m["segments"], "term": m["term"],
        "specificity": m["specificity"], "exact": m["exact"], "process": m["process"],
        "share": None if placeholder else round(w, 6),
        "share_status": "placeholder" if placeholder else "stated",
        "line": j.line, "start": j.start, "end": j.end, "quote": normalize(j.text).text,
    }


def _company_row(code: str, products: list[dict], ind: dict | None, entries: list[dict], lines: ProductLines,
                 index: NameIndex, seg_chain: dict[str, str], equipment_segs: frozenset = frozenset()) -> dict | None:
    """The row of one company (see :func:`convert`); None for a risk-warning (ST) name."""
    meta = lines.meta[code]
    short = (ind or {}).get("name") or meta["name"] or (entries[0]["name"] if entries else code)
    if is_risk_warning(short):  # ST / *ST: under delisting risk warning, not a recruitment target
        return None
    entry = next((x for x in entries if x.get("name") == short), None)
    if entry is None and entries:
        entry = sorted(entries, key=lambda x: str(x.get("time") or ""))[-1]
    full = entry.get("fullname") if entry else None
    aliases = sorted({x["name"] for x in entries if x.get("name") and x["name"] != short})
    l1_code = (ind or {}).get("l1_code")
    _flag_stale(products, l1_code, seg_chain)
    _same_line_names(products, lines.shares.get(code, {}))
    _flag_equipment(products, (ind or {}).get("l3"), equipment_segs)
    products.sort(key=lambda p: (p["share"] is None, -(p["share"] or 0), p["product"]))
    resolved = index.matches([short, full, *aliases])
    ev = entry["ev"] if entry else (ind["ev"] if ind else Cited(
        "company_product.json", products[0]["line"], products[0]["start"], products[0]["end"], None))
    stock = meta["stock_code"] if "." in str(meta["stock_code"]) else (ind or {}).get("stock_code")
    return {
        "code": code,
        "stock_code": stock if stock and "." in stock else None,
        "name": short,
        "full_name": full,
        "aliases": aliases,
        "iri": sorted(resolved)[0] if len(resolved) == 1 else ID + "company/sc-" + code,
        "resolved": len(resolved) == 1,
        "ambiguous_matches": sorted(resolved) if len(resolved) > 1 else [],
        "shenwan": {"l1": ind["l1"], "l1_code": l1_code, "l3": ind["l3"], "l3_code": ind["l3_code"]} if ind else None,
        "region": region_of(full),
        "products": products,
        "segments": sorted({sg for p in products for sg in p["segments"]}),
        "company_evidence": {
            "file": ev.file, "line": ev.line, "start": ev.start, "end": ev.end,
            "quote": normalize(ev.text).text if ev.text else products[0]["quote"],
        },
        "dropped": dict(sorted(lines.dropped.get(code, {}).items())),
    }


def _same_line_names(products: list[dict], shares: dict[float, dict[str, tuple[str, frozenset]]]) -> None:
    """Set ``same_line`` on each product line: ``{segment: [names]}``, the other product names
    the company reports with exactly the same stated share that do not map onto that segment.

    Equal shares to six decimals are one revenue line reported under two names (a product
    name and a business-segment name, e.g. 工业清洗系统 and 表面处理 of an equipment maker):
    the share then says how big the line is, not that it is this segment's product.
    """
    for p in products:
        twins = shares.get(p["share"], {}) if p["share"] is not None else {}
        key = name_key(p["product"])
        p["same_line"] = {
            sg: names for sg in p["segments"]
            if (names := sorted(n for k, (n, segs) in twins.items() if k != key and sg not in segs))
        }


def _flag_equipment(products: list[dict], l3: str | None, equipment_segs: frozenset) -> None:
    """Set ``equipment_for`` on each product line: ``{segment: [equipment names]}`` when the firm's
    Shenwan L3 is an equipment industry (:data:`EQUIPMENT_INDUSTRIES`) and the line names equipment
    for the segment's activity rather than the activity: the words after the matched term name a
    machine (OLED调测系统), or the firm reports the same revenue line under an equipment name that
    does not map onto the segment (蓝英装备: 表面处理 = 工业清洗系统, 0.788492); segments whose
    product is itself equipment (:func:`is_equipment_segment`) are exempt.  Such a link is
    written with basis ``cg:EquipmentForSegment`` (weak evidence; the row says so)."""
    equipment_maker = (l3 or "") in EQUIPMENT_INDUSTRIES
    for p in products:
        own = [p["product"]] if is_equipment_name(p["product"], p["term"]) else []
        p["equipment_for"] = {
            sg: names for sg in p["segments"]
            if equipment_maker and sg not in equipment_segs and (names := own + [n for n in p["same_line"].get(sg, []) if is_equipment_name(n)])
        }


def _flag_stale(products: list[dict], l1_code: str | None, seg_chain: dict[str, str]) -> None:
    """Set ``stale_suspect`` on each product line: its chains' usual Shenwan sectors
    (:data:`CHAIN_SECTORS`) do not include the company's ``l1_code``."""
    for p in products:
        chains = {local_name(seg_chain.get(sg, "")) for sg in p["segments"]}
        sets = [CHAIN_SECTORS[c] for c in chains if c in CHAIN_SECTORS]
        p["stale_suspect"] = bool(l1_code and sets and not any(l1_code in st for st in sets))
        p["stale_reason"] = None


#: A line is "from another year" when its share and the current business's share sum above this.
STALE_SUM = 1.2
#: Smallest share of the line that stands for the firm's current business.
CURRENT_SHARE = 0.9


def _bigrams(text: str) -> set[str]:
    key = name_key(text or "")
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _flag_renamed_stale(rows: list[dict], shares: dict[str, dict[float, dict[str, tuple[str, frozenset]]]]) -> None:
    """Flag ``stale_suspect`` (``stale_reason`` = the current line) on lines a renamed firm kept
    from its earlier business although its Shenwan L1 fits the chain (晶澳科技, ex-天业通联:
    硬岩掘进机 39%; 爱旭股份, ex-ST新梅/上海港机: 集装箱起重机 78%).  All must hold:

    * the firm was renamed: ``company.json`` lists it only under other names;
    * it reports a *current* line: a stated share >= :data:`CURRENT_SHARE` whose name shares a
      two-character word with its Shenwan 2021 L3 (太阳能组件 / 光伏电池组件) and that does not
      map onto the line's segment;
    * the two shares sum above :data:`STALE_SUM`, so they cannot come from the same year;
    * no other firm of the same Shenwan L3 has a stated line in that segment.

    Then every line of the firm in that segment is flagged (the same earlier business).
    Measured on the refdata of 2021-10 with the bundled chains: 7 lines of 2 firms (晶澳科技's
    硬岩掘进机, 爱旭股份's six port cranes), all lines of the earlier business."""
    peers: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        l3 = (r["shenwan"] or {}).get("l3")
        for p in r["products"]:
            if p["share"] is not None:
                for sg in p["segments"]:
                    peers.setdefault((l3, sg), set()).add(r["code"])
    for r in rows:
        l3 = (r["shenwan"] or {}).get("l3")
        if not l3 or not r["aliases"] or r["name"] in r["aliases"]:
            continue
        current = [(w, name, segs) for w, by_name in shares.get(r["code"], {}).items() if w >= CURRENT_SHARE
                   for name, segs in by_name.values() if _bigrams(name) & _bigrams(l3)]
        stale: dict[str, str] = {}
        for p in r["products"]:
            if p["share"] is None:
                continue
            for sg in p["segments"]:
                if peers.get((l3, sg), set()) - {r["code"]}:
                    continue
                hit = next((n for w, n, segs in sorted(current, reverse=True)
                            if sg not in segs and w + p["share"] > STALE_SUM), None)
                if hit:
                    stale.setdefault(sg, hit)
        for p in r["products"]:
            hits = [stale[sg] for sg in p["segments"] if sg in stale]
            if hits and not p["stale_suspect"]:
                p["stale_suspect"] = True
                p["stale_reason"] = hits[0]


def build_pool(graph, src_dir, path, *, progress: Callable[[int, int], None] | None = None,
               compact: bool = False) -> dict:
    """Convert the refdata against ``graph``'s chain templates and firms; write ``path``.

    Returns a summary ``{path, firms, resolved, products, segments: {segment_iri: firms},
    stale_suspect, placeholder_shares, date}``.
    """
    segs = segments_from_graph(graph)
    if not segs:
        raise ChaingraphError("the graph has no chain templates with product terms; nothing to map onto")
    known = {f: names_of(d) for f, d in firms(graph).items() if not f.startswith(ID + "company/sc-")}
    places = {r["p"] for r in select(graph, "SELECT ?p WHERE { ?p a cg:Place }")}
    rows = convert(src_dir, segs, known=known, progress=progress)
    write_pool_turtle(rows, path, src_dir=src_dir, known_places=places, compact=compact)
    per_seg: dict[str, int] = {}
    for r in rows:
        for s in r["segments"]:
            per_seg[s] = per_seg.get(s, 0) + 1
    return {
        "path": str(path),
        "firms": len(rows),
        "resolved": sorted(r["iri"] for r in rows if r["resolved"]),
        "products": sum(len(r["products"]) for r in rows),
        "segments": dict(sorted(per_seg.items())),
        "stale_suspect": sum(1 for r in rows for p in r["products"] if p["stale_suspect"]),
        "placeholder_shares": sum(1 for r in rows for p in r["products"] if p["share"] is None),
        "date": SOURCE_INFO["date"],
    }


SHIPPED_POOL = "pool/chainkg.ttl"
"""The shipped pool, relative to the bundled root (the checkout, or ``chaingraph/bundled``)."""


def segment_rows(graph, summary: dict) -> list[dict]:
    """The ``pool build`` summary as one row per segment, by chain and upstream → downstream
    (labels repeat across chains): ``{chain, stage, segment, firms}``."""
    dag = chain_dag(graph)
    chains = dag.graph.get("chains", {})
    order = {s: i for i, s in enumerate(segments_in_order(dag))}
    keyed = [((chains.get(dag.nodes[s]["chain"], {}).get("label") or dag.nodes[s]["chain"]), order.get(s, 0),
              {"stage": dag.nodes[s].get("stage"), "segment": dag.nodes[s]["label"], "firms": n})
             for s, n in summary["segments"].items() if s in dag]
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [{"chain": chain, **row} for chain, _, row in keyed]


def main(argv=None) -> int:
    """Regenerate the shipped pool: ``python3 -m chaingraph.pool.chainkg SRC_DIR``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python3 -m chaingraph.pool.chainkg SRC_DIR", file=sys.stderr)
        return 2
    graph = load_files(bundled_files())
    summary = build_pool(graph, args[0], bundled_root() / SHIPPED_POOL, compact=True)
    print(f"wrote {summary['path']}: {summary['firms']} firms, {summary['products']} product lines")
    return 0


__all__ = [
    "convert", "write_pool_turtle", "build_pool", "segment_rows", "segments_from_graph", "pool_turtle",
    "write_atomic", "CHAIN_SECTORS", "SOURCE_INFO", "REGION_LABELS",
]

if __name__ == "__main__":
    raise SystemExit(main())
