"""What the map's kinds of node and edge look like: names in Chinese, colours, shapes, arrows.

One place for the page's visual vocabulary: :mod:`chaingraph.viz.view` builds nodes and edges
with it and the page's legend is made from it (``meta["node_kinds"]``, ``meta["edge_styles"]``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from chaingraph.analysis.status import STATUS_INFO, STATUSES  # one set of status words and colours (#14)

STATUS_COLORS = {s: STATUS_INFO[s]["color"] for s in STATUSES}
OTHER_STATUS_COLOR = "#9aa3b2"

NODE_KINDS = {
    "chain": "产业链",
    "segment": "产业环节",
    "firm": "本地企业",
    "candidate": "候选招引目标",
    "external": "外部关联企业",
    "place": "来源地",
    "park": "园区",
}

#: one visual style per edge kind: colour, dash pattern, arrow head (vis-network options)
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "feeds": {"label": "产业链上下游（供给）", "color": "#7b8494", "dashes": False, "arrow": "arrow", "width": 2.2},
    "member": {"label": "所属环节", "color": "#c3c9d3", "dashes": [2, 4], "arrow": None, "width": 1.0},
    "target": {"label": "推荐招引（候选 → 缺口）", "color": "#8e44ad", "dashes": [8, 5], "arrow": "diamond", "width": 1.6},
    "supply": {"label": "供应关系（供应商 → 客户）", "color": "#1f6fb2", "dashes": False, "arrow": "triangle", "width": 2.8},
    "referral": {"label": "以商引商 / 链主带动", "color": "#e67e22", "dashes": [12, 6], "arrow": "vee", "width": 2.8},
    "relocation": {"label": "迁移来源（来源地 → 企业）", "color": "#138d75", "dashes": [3, 4], "arrow": "bar", "width": 2.0},
    "visit": {"label": "考察拜访（园区 → 企业）", "color": "#c0392b", "dashes": [14, 4, 3, 4], "arrow": "circle", "width": 2.0},
}

#: style of the related nodes by kind (a column left of the bands)
RELATED_STYLES = {
    "external": {"shape": "dot", "size": 8, "color": {"background": "#d5d8dc", "border": "#7f8c8d"}},
    "place": {"shape": "triangle", "size": 12, "color": {"background": "#a3e4d7", "border": "#138d75"}},
    "park": {"shape": "star", "size": 15, "color": {"background": "#f5b7b1", "border": "#c0392b"}},
}


class Link(NamedTuple):
    """One edge before it is styled: ``a → b`` of an :data:`EDGE_STYLES` kind, with its card."""

    a: str
    b: str
    kind: str
    card: dict


def vis_edge(i: int, link: Link, name_by_node: dict[str, str]) -> dict:
    """A link as a vis-network edge in its kind's style, with its card (step 5b of ``build_view``)."""
    st = EDGE_STYLES[link.kind]
    return {
        "id": f"e{i}", "from": link.a, "to": link.b, "kind": link.kind,
        "color": {"color": st["color"], "highlight": st["color"], "opacity": 0.95},
        "dashes": st["dashes"], "width": st["width"],
        "arrows": {"to": {"enabled": bool(st["arrow"]), "type": st["arrow"] or "arrow", "scaleFactor": 0.8}},
        "smooth": {"enabled": link.kind != "member", "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
        "card": {"kind": st["label"], "from": name_by_node[link.a], "to": name_by_node[link.b], **link.card},
    }
