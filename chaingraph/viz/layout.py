"""Where the map's boxes sit: a layered layout computed in Python, so the page needs no physics.

Chains are drawn as horizontal bands one under another; inside a band, segments stand in columns
left → right (stages upstream → downstream, the longest ``cg:feeds`` path inside a stage), each
column ordered by the mean height of the segments feeding it.  Firms sit in rows under their segment.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

import networkx as nx

COL_W = 330          # x distance between layers
SEG_H = 86           # vertical room for a segment box
FIRM_ROW = 42        # vertical room per row of attached firms
FIRM_COLS = 2
FIRM_DX = 128
CHAIN_GAP = 170      # vertical gap between chain bands


class Point(NamedTuple):
    """Where a node is drawn (vis-network coordinates); sorts as ``(x, y)``."""

    x: float
    y: float


def layers(dag, segs: list[str]) -> dict[str, int]:
    """Column of each segment: stages left → right, longest feeds path inside a stage."""
    sub = dag.subgraph(segs)
    order = list(nx.lexicographical_topological_sort(sub, key=lambda n: (sub.nodes[n]["stage_order"], n)))
    within: dict[str, int] = {}
    for n in order:
        st = sub.nodes[n]["stage_order"]
        within[n] = max([within[p] + 1 for p in sub.predecessors(n) if sub.nodes[p]["stage_order"] == st], default=0)
    stages = sorted({sub.nodes[n]["stage_order"] for n in segs})
    offset, base = {}, 0
    for st in stages:
        offset[st] = base
        base += 1 + max(within[n] for n in segs if sub.nodes[n]["stage_order"] == st)
    return {n: offset[sub.nodes[n]["stage_order"]] + within[n] for n in segs}


def poster_order(rows: list[dict]) -> list[dict]:
    """Panorama rows of one stage with each sub-segment right after its parent."""
    by_label = {r["label"]: r for r in rows}
    children: dict[str, list[dict]] = defaultdict(list)
    top = []
    for r in rows:
        if r.get("broader") in by_label:
            children[r["broader"]].append(r)
        else:
            top.append(r)
    out: list[dict] = []

    def put(r):
        out.append(r)
        for c in children.get(r["label"], []):
            put(c)

    for r in top:
        put(r)
    return out


def band(dag, segs: list[str], at_seg: dict[str, int]) -> tuple[dict[str, int], dict[str, float], float]:
    """One chain's band: ``(column, y within the band, band height)`` of its segments.  A column
    is ordered by the mean height of each segment's predecessors (barycentre), then label; a
    segment's box leaves room for the rows of firms drawn under it."""
    col = layers(dag, segs)
    cols: dict[int, list[str]] = defaultdict(list)
    for s in segs:
        cols[col[s]].append(s)
    band_h, ypos = 0.0, {}
    for k in sorted(cols):
        def bary(s):
            ys = [ypos[p] for p in dag.predecessors(s) if p in ypos]
            return (sum(ys) / len(ys)) if ys else math.inf
        y = 0.0
        for s in sorted(cols[k], key=lambda s: (bary(s), dag.nodes[s]["label"], s)):
            ypos[s] = y
            y += SEG_H + math.ceil(at_seg[s] / FIRM_COLS) * FIRM_ROW
        band_h = max(band_h, y)
    return col, ypos, band_h


def chain_bands(dag, chains: list[str], at_seg: dict[str, int]) -> tuple[dict[str, Point], dict[str, float]]:
    """``(position of each segment, y of each chain's band)``: ``chains`` one under another, each
    band as high as its tallest column; ``at_seg`` counts the firms drawn under each segment."""
    seg_pos: dict[str, Point] = {}
    band_top: dict[str, float] = {}
    y0 = 0.0
    for c in chains:
        segs = sorted(n for n in dag if dag.nodes[n]["chain"] == c)
        col, ypos, band_h = band(dag, segs, at_seg)
        band_top[c] = y0
        for s in segs:
            seg_pos[s] = Point(float(col[s] * COL_W), y0 + ypos[s])
        y0 += band_h + CHAIN_GAP
    return seg_pos, band_top


def member_position(seg: Point, i: int) -> Point:
    """Where the ``i``-th firm under a segment sits: rows of ``FIRM_COLS`` below its box."""
    return Point(seg.x + (i % FIRM_COLS - (FIRM_COLS - 1) / 2) * FIRM_DX, seg.y + SEG_H * 0.62 + (i // FIRM_COLS) * FIRM_ROW)
