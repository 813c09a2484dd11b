"""The staff's target list (招商清单): the ranked targets as an Excel workbook.

One sheet per chain (frozen header, filters, widths) with the candidates of each gap, and a sheet
评分说明 explaining the score, the status words and where candidates come from.  ``chaingraph
targets --format xlsx`` and ``chaingraph report`` both write it; every cell goes through
:func:`chaingraph.excel.write_workbook`, so names from articles stay text, never formulas.
"""

from __future__ import annotations

from pathlib import Path

from chaingraph.excel import Sheet, write_workbook
from chaingraph.render import cell

TARGET_COLUMNS = [
    ("chain_label", "产业链"), ("segment_label", "环节"), ("gap_kind", "缺口类型（未见记录不是缺口）"), ("group", "分组"), ("rank", "排名"),
    ("name", "企业"), ("full_name", "全称"), ("stock_code", "股票代码"), ("city", "所在地"),
    ("products_text", "匹配产品（营收占比）"), ("score", "得分"), ("coverage", "证据覆盖"),
    ("gap_priority", "缺口优先级"), ("product_fit", "产品匹配"), ("proximity", "关系邻近"),
    ("strategic_fit", "战略区域"), ("tier", "企业层级"), ("contacted", "已接触"),
    ("introducer_text", "引荐人（以商引商）"), ("why", "推荐理由"),
    ("gap_status", "环节状态"), ("gap_explanation", "状态依据（原文）"),
]

POOL_NOTE = ("图谱内园区外企业；随软件附带的A股上市公司候选库（据刘焕勇 ChainKnowledgeGraph 产业链知识图谱整理的事实表："
             "企业名称、股票代码、主营产品及年报营收占比，数据截至2021年10月，可能已过时，须核实）；"
             "`chaingraph import` 导入的企业信息平台名单")


def flat_row(row: dict) -> dict:
    """A ranked row with its score components, products and introducer paths as text (one cell each)."""
    from chaingraph.analysis.targets import product_text  # start-up: the CLI imports this module to declare options

    out = dict(row)
    for k, c in row["components"].items():
        out[k] = c["value"] if c["known"] else "未知"
    out["products_text"] = "、".join(product_text(p) for p in row["products"][:4])
    out["introducer_text"] = "；".join(introducer_text(i) for i in row["introducers"])
    return out


def introducer_text(introducer: dict) -> str:
    """``创鑫隆：创鑫隆 → 东莞（迁出地） → 捷荣技术（同城）``: who can introduce, by which ties.

    >>> introducer_text({"label": "甲", "path": [{"from_label": "甲", "to_label": "乙", "kind": "supply"}]})
    '甲：甲 → 乙（供应）'
    """
    from chaingraph.analysis.ties import TIE_WORDS  # start-up: see flat_row

    steps = [e["to_label"] + f"（{TIE_WORDS.get(e['kind'], e['kind'])}）" for e in introducer["path"]]
    return introducer["label"] + "：" + " → ".join([introducer["path"][0]["from_label"], *steps])


def write_target_list(result: dict, path: Path) -> None:
    """The staff list: one sheet per chain, frozen header, filters, widths, and 评分说明.

    Written by :func:`chaingraph.excel.write_workbook`: names stay text, never formulas."""
    # start-up: the analysis modules load only when a list is written
    from chaingraph.analysis.status import KIND_INFO, legend  # one set of status words (#14)
    from chaingraph.analysis.targets import COMPONENT_LABELS

    by_chain: dict[str, list[dict]] = {}
    for r in result["rows"] + result.get("local_rows", []):
        by_chain.setdefault(r["chain_label"] or "未分链", []).append(flat_row(r))
    for e in result["empty"]:
        by_chain.setdefault(e["chain_label"] or "未分链", [])
    if not by_chain:
        by_chain["招商清单"] = []
    sheets = []
    for chain_label, rows in by_chain.items():
        body = [[r.get(k) if isinstance(r.get(k), (int, float)) else cell(r.get(k)) for k, _ in TARGET_COLUMNS]
                for r in rows]
        for e in result["empty"]:
            if (e["chain_label"] or "未分链") == chain_label:
                at = [k for k, _ in TARGET_COLUMNS].index("name")
                body.append(["" if k != "segment_label" else e["label"] for k, _ in TARGET_COLUMNS[:at]]
                            + [e["message"]] + [""] * (len(TARGET_COLUMNS) - at - 1))
        sheets.append(Sheet(chain_label, [h for _, h in TARGET_COLUMNS], body))
    notes = [["得分公式", result["rules"]["formula"]], ["未知证据", result["rules"]["unknown"]]]
    notes += [[f"{COMPONENT_LABELS[k]} ({k}) 权重 {w}", result["rules"][k]] for k, w in result["weights"].items()]
    notes.append(["分组", result["rules"].get("local", "")])
    notes.append(["弱证据", "经营范围条目、占位占比（原始数据0.001）、顺带提及或极小营收占比，在“匹配产品”中标注“弱证据”，须核实。"])
    notes.append(["候选来源", POOL_NOTE])
    notes += [[f"环节状态：{x['status']}", x["zh"]] for x in legend()]
    notes += [[f"缺口类型：{k}", v["zh"]] for k, v in KIND_INFO.items()]
    sheets.append(Sheet("评分说明", ["项目", "说明"], notes, widths={1: 34, 2: 110}, filters=False, wrap=False))
    write_workbook(sheets, path)
