"""Per-firm facts stated in a sentence: park membership, tiers, figures and products.

The firm a fact is about is the nearest firm named before the fact's words.
"""

from __future__ import annotations

import re

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.model import FigureFact, ProductFact, Tier
from chaingraph.ingest.relations.context import YEAR, Article, Sentence
from chaingraph.ingest.relations.placement import put_in_park

_PRODUCT_VERB = re.compile(
    r"(?:主要生产|主要经营|主营|主要从事|主要产品(?:为|有|包括|是)?|专业生产|专业从事|研发出了?|"
    r"产品(?:为|有|包括|涵盖))"
)
#: (pattern with the value in group 1 and the unit in group 2, cg metric local name)
_FIGURES = (
    (re.compile(r"(?:总投资|计划投资|拟投资|投资|投入)(?:额)?(?:约|近|超|逾|达|超过)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "InvestmentAmount"),
    (re.compile(r"(?:年产值|总产值|产值)(?:预计)?(?:将)?(?:突破|达到|达|约|超|超过|近)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "OutputValue"),
    (re.compile(r"(?:营业收入|营收|销售收入|销售额)(?:约|达|超|超过|突破)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "Revenue"),
    (re.compile(r"(?:税收|纳税)(?:约|达|超|超过|突破)?(\d+(?:\.\d+)?)\s*(亿元|万元)"), "TaxPaid"),
    (re.compile(r"(?:员工|职工|用工)(?:约|达|超|近)?(\d+)\s*(人|名)"), "Employees"),
)


def firm_facts(doc: Article, s: Sentence) -> None:
    """All per-firm facts of the sentence, in this order."""
    _in_park(doc, s)
    _tiers(doc, s)
    _figures(doc, s)
    _stated_products(doc, s)
    _product_terms(doc, s)


def _in_park(doc: Article, s: Sentence) -> None:
    """A sentence about the park (园区, 落户 …, not a visit) puts its firms in the park, except
    firms only visited so far and firms it does not place in the focal park
    (:func:`~chaingraph.ingest.relations.placement.put_in_park`)."""
    if re.search(r"园区|经开区|开发区|高新区|产业园|落户|入驻", s.text) and not re.search(r"考察|走访|拜访", s.text):
        for r in s.mentions:
            if not doc.visit_only.get(r.key):
                put_in_park(doc, s, r)


def _tiers(doc: Article, s: Sentence) -> None:
    """A是/获评/认定…高新技术企业 (:data:`~chaingraph.ingest.lexicon.TIER_PATTERNS`), not a count of firms."""
    t, ss, sent, ms = doc.text, s.start, s.text, s.mentions
    for pat, tier in lx.TIER_PATTERNS:
        for m in pat.finditer(sent):
            tp = ss + m.start()
            prior = [r for r in ms if r.end <= tp and not re.search(r"[。；]", t[r.end:tp])]
            if not prior:
                continue
            gap = t[prior[-1].end:tp]
            if len(gap) > 30 or not (re.search(r"是|为|成为|获评|认定|入选|属于|成功", gap) or tier == "Listed" and "上市" in m.group() and len(gap) < 12):
                continue
            if re.search(r"\d+家", sent[m.start():m.start() + 12]):
                continue
            tf = doc.firms[prior[-1].key]
            if all(x.tier != tier for x in tf.tiers):
                tf.tiers.append(Tier(tier, doc.span(prior[-1].start, tp + len(m.group())), 0.7))


def _figures(doc: Article, s: Sentence) -> None:
    """A stated figure (投资, 产值, 营收, 税收, 员工) within 40 characters after the firm."""
    t, ss, sent, ms = doc.text, s.start, s.text, s.mentions
    for pat, metric in _FIGURES:
        for m in pat.finditer(sent):
            tp = ss + m.start()
            prior = [r for r in ms if r.end <= tp]
            if not prior or tp - prior[-1].end > 40 or re.search(r"园区|产业园", t[prior[-1].end:tp]):
                continue
            tf = doc.firms[prior[-1].key]
            if any(x.metric == metric and x.value == float(m.group(1)) for x in tf.figures):
                continue
            yr = YEAR.search(sent)
            tf.figures.append(FigureFact(metric, float(m.group(1)), m.group(2),
                                         doc.span(prior[-1].start, ss + m.end()), 0.6,
                                         year=int(yr.group(1)) if yr else None))


def _stated_products(doc: Article, s: Sentence) -> None:
    """A主要生产X、Y和Z: the items after a product verb, mapped to segments by the first
    (longest) product term they contain."""
    ss, sent, ms = s.start, s.text, s.mentions
    for m in _PRODUCT_VERB.finditer(sent):
        tp = ss + m.start()
        prior = [r for r in ms if r.end <= tp]
        if not prior:
            continue
        tail = re.split(r"[，。；！？]", sent[m.end():])[0][:60]
        tf = doc.firms[prior[-1].key]
        for item in re.split(r"[、，]|以及|和|及", tail):
            item = re.sub(r"^(?:了|出|的|高端|各类|各种|系列)|(?:等.*|产品$|的.*)$", "", item).strip("“”「」 ")
            if not 2 <= len(item) <= 16 or re.search(r"车间|生产线|效率|活力|经营|发展|模式|线|\d", item):
                continue
            segs, hit = [], None
            for term in doc.terms:
                if term in item:
                    v = doc.product_terms[term]
                    segs = [v] if isinstance(v, str) else list(v)
                    hit = term
                    break
            if any(p.name == item for p in tf.products):
                continue
            s0 = tp + len(m.group()) + sent[m.end():].find(item) if item in sent[m.end():] else tp
            tf.products.append(ProductFact(item, sorted(segs), doc.span(prior[-1].start, s0 + len(item)),
                                           0.7 if segs else 0.5, term=hit))


def _product_terms(doc: Article, s: Sentence) -> None:
    """A product term of the chain templates named after a firm in a sentence about making
    or selling (生产, 主营, 产品 …), unless the firm has it already."""
    ss, sent, ms = s.start, s.text, s.mentions
    if doc.terms and re.search(r"生产|经营|主营|产品|研发|制造|供应", sent):
        for term in doc.terms:
            i = sent.find(term)
            if i < 0:
                continue
            prior = [r for r in ms if r.end <= ss + i]
            if not prior:
                continue
            tf = doc.firms[prior[-1].key]
            if any(p.term == term or term in p.name for p in tf.products):
                continue
            v = doc.product_terms[term]
            tf.products.append(ProductFact(term, sorted([v] if isinstance(v, str) else v),
                                           doc.span(prior[-1].start, ss + i + len(term)), 0.6, term=term))
