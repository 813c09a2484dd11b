"""Map product names onto chain segments through the templates' vocabulary.

Each segment of a chain template states, as data (``ontology/chains/*.ttl``):

* ``cg:productTerm`` — words for what a supplier of the segment makes (``电机外壳``, ``机壳``);
* ``cg:processTerm`` — processes and forms by which it is made (a housing is a die-cast or
  stamped shell: ``压铸件``, ``冲压件``, ``壳体``, ``金属结构件``): a product matched only
  through such a word is a *form match*, weaker evidence than a product word
  (:data:`PROCESS_FACTOR`);
* ``cg:excludeTerm`` — look-alikes that are not the segment's product: a product name that
  contains one never matches that segment (``镀锌板``, ``电镀金刚线``, ``电镀轮`` are not plating
  services; ``玻璃纤维`` is not a substrate).

Shared by the refdata converter and the CSV import.  Rules (documented in README, pinned by
tests):

* names and terms are compared after :func:`chaingraph.lookup.name_key` (simplified script,
  no spaces, lower-case Latin);
* of the terms contained in a product name, the most specific wins: an exact match first, then
  a term that ends the name (the head noun in Chinese: 钻头 in ``PCB钻头``), then the longest;
  every segment that carries that same winning term is returned;
* Latin terms (``PCB``, ``OCA``) must not touch other Latin letters or digits (``OCA`` does not
  match ``VOCAL``);
* a head shift rejects the match: when the words after the term name equipment, materials or
  a service (``锂电池设备``, ``PCB材料``, ``电机维修``) the product is not the segment's product;
* an exclude term of a segment inside the name removes that segment from the terms found
  (another segment's term may then win);
* accounting lines (平衡项目, 分部间抵销, 调整项目, 合计, …) and pure service lines are never
  mapped.

Examples
--------
>>> segs = [{"iri": "s:pcb", "terms": ["PCB", "印制电路板"]}, {"iri": "s:drill", "terms": ["钻头"]}]
>>> m = TermMatcher(segs)
>>> m.match("多层PCB")["segments"], m.match("多层PCB")["specificity"]
(['s:pcb'], 0.6)
>>> m.match("PCB钻头")["segments"]
['s:drill']
>>> m.match("PCB设备") is None, m.match("PCB钻孔机") is None
(True, True)
>>> m.match("分部间抵销") is None
True
>>> h = TermMatcher([{"iri": "s:housing", "terms": ["电机外壳", "机壳"], "process_terms": ["压铸件"],
...                   "exclude_terms": ["压气机壳"]}])
>>> h.match("汽车压铸件")["process"], h.match("压气机壳") is None
(['s:housing'], True)
"""

from __future__ import annotations

import re

from chaingraph.lookup import name_key

ACCOUNTING_WORDS = (
    "平衡项目", "分部间抵销", "分部间抵消", "调整项目", "内部抵销", "内部抵消", "抵销", "抵消", "合计", "小计",
    "其他业务", "其他(补充)", "其他（补充）", "补充项目",
)
# a product line that is a service, trade or generic business, not a made product
SERVICE_WORDS = (
    "服务", "维修", "维保", "租赁", "贸易", "代理", "咨询", "物流", "运营", "运输", "销售", "批发", "零售",
    "工程施工", "施工", "安装", "技术开发", "技术转让", "特许", "物业", "融资", "利息", "投资",
)
# words after a term that shift the head noun away from the segment's product
HEAD_SHIFT_WORDS = (
    "设备", "装备", "生产线", "材料", "原料", "辅料", "耗材", "检测", "测试", "仪器", "维修", "服务", "贸易",
    "租赁", "工程", "软件", "专用机", "机械",
)
_LATIN = re.compile(r"[0-9a-z]")
#: A product matched only through a process/form word (压铸件 for 电机外壳) counts this much of a
#: product-word match.
PROCESS_FACTOR = 0.6


def is_accounting_line(name: str) -> bool:
    """True for revenue-breakdown lines that are accounting items, not products."""
    key = name_key(name)
    return any(w in key for w in ACCOUNTING_WORDS) or key in {"其他", "其它", "其他业务", "主营业务"}


def is_service_line(name: str) -> bool:
    """True when the line names a service or trade rather than a product."""
    key = name_key(name)
    return any(w in key for w in SERVICE_WORDS)


class TermMatcher:
    """Match product names against segment product terms (see module docstring).

    Parameters
    ----------
    segments : list of dict
        Each with ``iri`` and ``terms`` (product-term strings); other keys are ignored.
    """

    def __init__(self, segments: list[dict]):
        self.by_term: dict[str, set[str]] = {}
        self.original: dict[str, str] = {}
        self.process: set[tuple[str, str]] = set()  # (term key, segment) matched as a process/form
        self.exclude: dict[str, list[str]] = {}
        for seg in segments:
            product = list(seg.get("terms") or seg.get("product_terms") or [])
            for t, kind in [(t, "product") for t in product] + [(t, "process") for t in seg.get("process_terms") or []]:
                k = name_key(t)
                if len(k) < 2:
                    continue
                if kind == "process" and seg["iri"] in self.by_term.get(k, ()) and (k, seg["iri"]) not in self.process:
                    continue  # a product word of the segment stays a product word
                self.by_term.setdefault(k, set()).add(seg["iri"])
                self.original.setdefault(k, t)
                if kind == "process":
                    self.process.add((k, seg["iri"]))
            ex = sorted({name_key(t) for t in seg.get("exclude_terms") or [] if name_key(t)})
            if ex:
                self.exclude[seg["iri"]] = ex
        self.max_len = max((len(k) for k in self.by_term), default=0)

    def excluded(self, product: str) -> set[str]:
        """Segments whose exclude terms occur in ``product``."""
        key = name_key(product or "")
        return {s for s, ex in self.exclude.items() if any(x in key for x in ex)}

    def candidates(self, key: str) -> list[tuple[str, int]]:
        """Every ``(term_key, start)`` occurrence of a known term in ``key``."""
        out = []
        n = len(key)
        for i in range(n):
            for j in range(i + 2, min(n, i + self.max_len) + 1):
                t = key[i:j]
                if t in self.by_term:
                    if _LATIN.match(t[0]) and i > 0 and _LATIN.match(key[i - 1]):
                        continue
                    if _LATIN.match(t[-1]) and j < n and _LATIN.match(key[j]):
                        continue
                    out.append((t, i))
        return out

    def match(self, product: str) -> dict | None:
        """Best segment match of one product name, or ``None``.

        Returns ``{term, segments (sorted IRIs), exact (bool), head (bool), specificity,
        strength, process}``: ``specificity`` = len(term) / len(product key), rounded to 3
        places (1.0 = exact); ``head`` = the term ends the name (its head noun); ``strength``
        in [0, 1] = 1.0 exact, 0.8 + 0.2·specificity for a head term, 0.3 + 0.4·specificity for
        a term inside the name (a passing mention); ``process`` = the segments matched only
        through a process/form word (count them at :data:`PROCESS_FACTOR`).
        """
        if not product or is_accounting_line(product):
            return None
        key = name_key(product)
        excluded = self.excluded(product)
        found = [(t, i) for t, i in self.candidates(key) if self.by_term[t] - excluded]
        if not found:
            return None
        n = len(key)

        def rank(item):
            t, i = item
            return (t == key, i + len(t) == n, len(t), -i)

        term, start = max(found, key=rank)
        rest = key[start + len(term):]
        if any(w in rest for w in HEAD_SHIFT_WORDS) or (rest.endswith("机") and not term.endswith("机")):
            return None
        if is_service_line(product) and not any(w in term for w in SERVICE_WORDS):
            return None
        segs = sorted(self.by_term[term] - excluded)
        spec = round(len(term) / n, 3)
        head = start + len(term) == n
        strength = 1.0 if term == key else (0.8 + 0.2 * spec if head else 0.3 + 0.4 * spec)
        return {
            "term": self.original[term],
            "segments": segs,
            "exact": term == key,
            "head": head,
            "specificity": spec,
            "strength": round(strength, 3),
            "process": [s_ for s_ in segs if (term, s_) in self.process],
        }
