"""The text of the map's cards, in Chinese: names, notes, quotes, score parts, search keys.

Pure functions of analysis rows (:func:`~chaingraph.analysis.targets.rank_targets`,
:func:`~chaingraph.analysis.gaps.find_gaps`) and evidence lists; strings are kept verbatim (they are
untrusted, and the page shows them with ``textContent``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Iterable

from chaingraph.lookup import name_key

RELATION_WORDS = {"supply": "供应", "referral": "引荐", "relocation": "迁移", "visit": "考察", "city": "同城"}

#: Chinese names of the gap-priority components (:data:`chaingraph.analysis.gaps.DEFAULT_WEIGHTS`)
GAP_COMPONENT_LABELS = {
    "severity": "缺口类型", "local_demand": "本地需求（模板推断）", "leader_demand": "链主需求（模板推断）", "betweenness": "链上枢纽度",
    "reach": "下游带动", "candidates": "可招候选", "planning": "规划提及",
}
_ENGLISH = re.compile(r"[a-z]{3,}")  # an English word (product codes such as PCB are upper case)


def simple_key(name: str) -> str:
    """What the page's search does to a query: NFKC, no whitespace, lower-case."""
    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


def search_keys(names: Iterable[str | None]) -> list[str]:
    """Search keys of a node: the project's name keys (simplified script) and the plain key."""
    return sorted({k for n in names if n for k in (name_key(n), simple_key(n))})


def chinese_note(note: str | None) -> str | None:
    """A note worth showing a Chinese reader (English notes are left out, not shown raw)."""
    return note if note and not _ENGLISH.search(note) else None


def quote_text(text: str | None) -> str | None:
    """A quote as a reader sees it: a record copied from a data set (a JSON object, as in the
    candidate pool) becomes its values, never a raw record.

    >>> quote_text('{"name": "神州高铁", "code": "000008.SZ", "tags": ["轨交", "检测"], "x": {"y": 1}}')
    '数据记录：神州高铁，000008.SZ，轨交、检测'
    >>> quote_text("引荐上游企业落户")
    '引荐上游企业落户'
    """
    if not text or not text.lstrip().startswith("{"):
        return text
    try:
        record = json.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict):
        return text
    values = []
    for v in record.values():
        if isinstance(v, list):
            v = "、".join(str(x) for x in v if isinstance(x, (str, int, float)))
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip():
            values.append(str(v))
    return "数据记录：" + "，".join(values)


def evidence_lines(items: Iterable[dict] | None) -> list[dict]:
    """Evidence as the card shows it: the quoted sentence and its article title."""
    return [{"quote": quote_text(e.get("quote")), "title": e.get("title")} for e in items or []
            if e.get("quote") or e.get("title")]


def score_lines(components: dict) -> list[dict]:
    """A target's score components as ``[{label, value, known, weight, note}]`` (Chinese)."""
    out = []
    for c in components.values():
        out.append({"label": c.get("label"), "value": c.get("value"), "known": bool(c.get("known")),
                    "weight": c.get("weight"), "note": chinese_note(c.get("note"))})
    return out


def candidate_card(row: dict) -> dict:
    """One row of :func:`~chaingraph.analysis.targets.rank_targets` as the page shows it."""
    intros = []
    for i in row.get("introducers") or []:
        hops = i.get("path") or []
        names = [h.get("from_label") for h in hops[:1]] + [h.get("to_label") for h in hops]
        kinds = "、".join(dict.fromkeys(RELATION_WORDS.get(h.get("kind"), "关系") for h in hops))
        intros.append({
            "firm": i.get("firm"), "label": i.get("label"),
            "path": " → ".join(n for n in names if n) + (f"（{kinds}）" if kinds else ""),
            "evidence": evidence_lines(e for h in hops for e in h.get("evidence") or []),
        })
    products = [p["product"] if isinstance(p, dict) else p for p in row.get("products") or []]
    return {
        "id": row["firm"], "name": row["name"], "full_name": row.get("full_name"), "city": row.get("city"),
        "stock_code": row.get("stock_code"), "products": products, "score": row.get("score"),
        "coverage": row.get("coverage"), "why": chinese_note(row.get("why")) or None,
        "components": score_lines(row.get("components") or {}), "introducers": intros,
    }


def gap_lines(components: dict | None) -> list[dict]:
    return [{"label": GAP_COMPONENT_LABELS.get(k, k), "value": c.get("normalised"), "weight": c.get("weight")}
            for k, c in (components or {}).items()]
