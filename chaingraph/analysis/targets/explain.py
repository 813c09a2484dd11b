"""The words of a ranking, for people who read Chinese: score rules, 推荐理由, notes and messages."""

from __future__ import annotations

from chaingraph.analysis.gaps import KIND_SEVERITY
from chaingraph.analysis.targets.scoring import (COMPONENT_LABELS, GRADE_GUANGDONG, GRADE_HUNAN, GRADE_NEIGHBOUR,
                                                 GRADE_OTHER, GRADE_TARGET, PRIORS, SHARE_UNSTATED, WEAK_FIT)
from chaingraph.analysis.ties import MAX_DEPTH
from chaingraph.pool.matching import PROCESS_FACTOR

GROUP_RECRUIT = "新引进"
GROUP_LOCAL = "本地企业增资扩产 / 市内协作"

def _n(x: float) -> str:
    """A weight or value as the rules write it: ``0.25``, ``0.4``, ``0``."""
    return f"{x:g}"


#: The score rules in words (the 评分说明 sheet, ``targets --format json``); the numbers are the
#: ones the score uses.
RULES = {
    "formula": "得分 = Σ 权重×分项值 / Σ 权重（各分项在0到1之间，保留4位小数）。score = Σ w·v / Σ w",
    "unknown": "没有证据的分项取中性先验值（" + "、".join(f"{COMPONENT_LABELS[k]}{_n(v)}" for k, v in PRIORS.items() if k != "gap_priority")
               + "），证据只能把企业从先验值往上抬或往下压；证据覆盖 = 有证据分项的权重 / 总权重。",
    "gap_priority": "该环节的缺口优先级（缺口分析按缺口类型、本地需求、规划表述等算出的0到1分值，不在名单间再归一化）；"
                    f"未见记录环节不是缺口，其缺口类型分项只取{_n(KIND_SEVERITY['未见记录'])}；非缺口为0。",
    "product_fit": "依据（明确产品1.0、明确环节0.8、群体表述0.7、行业代码0.6、经营范围或占位占比0.4、名称推断0.4、"
                   "设备供应0.3：设备制造企业（申万行业为专用/通用/自动化设备、仪器仪表等）以该环节活动命名、实为其设备的收入行，如“表面处理”另名“工业清洗系统”，一律弱证据）× 可信度（疑似历史业务0.4）× 营收占比（√min(1,占比/50%)：2%→0.2、18%→0.6、50%及以上→1；"
                   f"未披露{_n(SHARE_UNSTATED)}；同一收入行另有他名时占比不单属该产品，至多{_n(SHARE_UNSTATED)}）× 匹配强度（完全一致1.0、产品中心词0.8-1.0、顺带提及0.3-0.7；仅靠工艺/形态词如“压铸件”对“电机外壳”再×{_n(PROCESS_FACTOR)}）。"
                   f"含排除词的相似产品（如“镀锌板”之于电镀）不计。低于{_n(WEAK_FIT)}为弱证据。先验{_n(PRIORS['product_fit'])}。",
    "proximity": f"与本地企业或园区的关系（供应、引荐、迁出地、拜访），{MAX_DEPTH}步以内；距离d的每个来源贡献0.5^(d-1)；值 = 0.5 + 0.5×(1 − Π(1 − c))。"
                 f"无已知关系取先验{_n(PRIORS['proximity'])}。",
    "strategic_fit": f"粤港澳大湾区、长三角、湘商{GRADE_TARGET}；湖南省内其他地区{GRADE_HUNAN}；邻近地区（粤北、郴州、桂东北）{GRADE_NEIGHBOUR}；"
                     f"广东但城市未知{GRADE_GUANGDONG}；其他已知地区{GRADE_OTHER}；地点未知取先验{_n(PRIORS['strategic_fit'])}。地点取自工商地址、企业全称或用户名单。",
    "tier": f"世界500强1.0、中国500强/链主0.9、专精特新小巨人0.8、上市0.7、专精特新0.6、高新技术0.5、规上0.3；未知取先验{_n(PRIORS['tier'])}。",
    "contacted": f"园区已拜访、已考察或已签约（热线索）1.0；没有记录取{_n(PRIORS['contacted'])}（不表示没有接触过）。",
    "local": f"已在本市（city范围时为本省）的企业不算新引进对象，单列为“{GROUP_LOCAL}”。",
}


def product_text(p: dict) -> str:
    """``压铸件 98%`` / ``电镀 占比未知（经营范围，弱证据）``: one product line for people."""
    t = (p["product"] or "未注明产品") + (f" {p['share']:.0%}" if p["share"] is not None else " 占比未知")
    tags = [x for x, on in (("经营范围", p.get("business_scope")), ("仅工艺/形态匹配", p.get("form")),
                            ("疑似历史业务", p.get("stale_suspect")),
                            ("同一收入行另名：" + "、".join(p.get("same_line") or []), p.get("same_line")),
                            ("设备供应商：为该环节供应设备，非从事该环节", p.get("equipment_for")),
                            ("弱证据", p.get("weak"))) if on]
    return t + (f"（{'，'.join(tags)}）" if tags else "")


def component_notes(gap: dict | None, products: list[dict], region: tuple[float | None, list[str]],
                    tiers: list[str], warm: list[str] | None) -> dict[str, str]:
    """The note shown beside each score component (proximity's is filled for the rows shown).

    ``region``: the strategic-fit grade and its reasons; ``warm``: the reasons the firm is a warm
    lead, ``None`` when it is not one."""
    grade, why_region = region
    return {
        "gap_priority": f"{gap['kind']} 优先级 {gap.get('priority')}" if gap else "非缺口环节",
        "product_fit": "；".join(product_text(p) for p in products[:3]) or "没有产品证据",
        "proximity": "没有已知关系",
        "strategic_fit": "、".join(why_region) or ("地点已知，非目标地区" if grade is not None else "地点未知"),
        "tier": "、".join(tiers) or "层级未知",
        "contacted": "、".join(warm) if warm is not None else "无拜访、考察或签约记录",
    }


def why(row: dict, introducers: list[dict]) -> str:
    """推荐理由: one line in plain Chinese — what it makes, why it fits, who can introduce us,
    what is unknown."""
    c = row["components"]
    prods = row.get("products") or []
    parts = []
    strong = [p for p in prods if not p["weak"]]
    if strong:
        parts.append("主营" + "、".join(product_text(p) for p in strong[:2]))
    elif prods:
        parts.append("仅有弱证据：" + "、".join(product_text(p) for p in prods[:2]))
    else:
        parts.append("没有产品证据")
    if row.get("gap_kind") == "未见记录":  # no record is not a lack: nothing says the park needs it
        parts.append(f"「{row['segment_label']}」图谱未见本地记录（不是缺口），招商前先核实本地是否已有")
    elif row.get("gap_kind"):
        parts.append(f"可补「{row['segment_label']}」{row['gap_kind']}")
    region = c["strategic_fit"]
    if region["known"]:
        parts.append(region["note"] if region["value"] > GRADE_OTHER else f"位于{row.get('city') or '非目标地区'}")
    if introducers:
        parts.append("可请" + "、".join(i["label"] for i in introducers[:2]) + "引荐")
    if c["contacted"]["known"]:
        parts.append(f"{c['contacted']['note']}（热线索）")
    unknown = [c[k]["label"] for k in ("strategic_fit", "proximity", "tier") if not c[k]["known"]]
    unknown_txt = {"战略区域": "所在地", "关系邻近": "与本地企业的关系", "企业层级": "企业层级"}
    if unknown:
        parts.append("未知：" + "、".join(unknown_txt.get(u, u) for u in unknown))
    return "；".join(parts)


def partner_why(leader_segment_label: str, role: str, leader_labels: list[str]) -> str:
    """The opening of 推荐理由 for a 强链 partner row."""
    lead = "、".join(leader_labels)
    # the segment leads (its status is 强); not every firm in it is a stated leader
    return f"强链「{leader_segment_label}」：为" + (f"龙头环节的本地企业{lead}" if lead else "本地龙头环节") + f"引进{role}；"


def local_why(home_label: str | None) -> str:
    """The opening of 推荐理由 for a firm already in the home area."""
    return f"已在{home_label or '本地'}：{GROUP_LOCAL}对象，不算新引进；"


def empty_message(label: str) -> str:
    return (f"候选库中没有「{label}」环节的企业。"
            f"补充候选：`chaingraph import 名单.xlsx`（企业信息平台导出的名单）或 `chaingraph pool build`。")


def weak_only_message(label: str, listed: int) -> str:
    return (f"候选库中没有以「{label}」为主业的企业：所列{listed}家仅有弱证据"
            "（经营范围、占位占比、顺带提及或极小营收占比），须核实。"
            f"补充候选：`chaingraph import 名单.xlsx`（企业信息平台导出的名单）。")


POOL_FIRMS = "/company/sc-"
"""IRIs of the A-share pool's own firms (``company:sc-<stock code>``, :mod:`chaingraph.pool.chainkg`)."""


def pool_notice(firms) -> str | None:
    """The line saying where and how old the A-share pool's facts are, when any of ``firms``
    (IRIs) comes from it; None otherwise (``targets``, ``report`` and the map show it)."""
    if any(POOL_FIRMS in f for f in firms):
        return ("注意：A股上市公司候选来自 ChainKnowledgeGraph（刘焕勇），数据截至2021年10月；产品线可能已变化，"
                "标“疑似历史业务”的尤须核实")
    return None


def notices(result: dict) -> list[str]:
    """What a reader of the ranking must know beside its rows, one line each: segments without
    candidates or with weak evidence only, leading segments ranked by their partners (强链),
    the age of the A-share pool's data when its firms are listed, and the firms set apart as
    local."""
    out = [e["message"] for e in result["empty"] + result.get("weak_only", [])]
    for p in result.get("partners_instead", []):
        out.append(f"「{p['label']}」是本地龙头环节（{'、'.join(p['leader_labels']) or '本地企业'}）：强链推荐其上下游配套企业，不推荐同业竞争者"
                   f"（见{len(p['partner_segments'])}个上下游环节）")
    note = pool_notice(r["firm"] for r in result["rows"] + result.get("local_rows", []))
    if note:
        out.append(note)
    if result.get("local_rows"):
        out.append(f"另有{len(result['local_rows'])}家已在{result['params'].get('home_label') or '本地'}的企业单列为"
                   f"「{GROUP_LOCAL}」（不算新引进）")
    return out
