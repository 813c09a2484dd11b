"""Where an article places a firm: in the focal park (the park the article is ingested for), in
another park or county, or nowhere it says.

A city's articles name several parks and counties (永州经开区, 祁阳经开区, 江华高新区 …), so a firm
named in an article about the city is not in the focal park because it is named.  The rules ask
:func:`placed_elsewhere` before they put a firm in the park, and :func:`about_focal_park` decides
whether the article as a whole is about the focal park (then its firms with no stated place are in
it).  "Not in the park" is the default when the text does not say.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chaingraph.ingest import lexicon as lx
from chaingraph.normalize import normalize

#: a named park: a place part and a park word (祁阳经开区, 江华高新区, 蓝山皮具箱包科技产业园)
PARK_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(?:经济技术开发区|高新技术产业开发区|经济开发区|经开区|高新区|开发区|"
    r"工业园区|工业园|产业园|工业集中区|产业集聚区|集聚区)"
)
#: a county, district or city right after a placing verb (落户江华, 入驻零陵区, 在祁阳县投资)
PLACED_AT = re.compile(
    r"(?:落户于?|入驻|落地于?|扎根)([\u4e00-\u9fff]{2,3}?)(?:县|区|市)?"
    r"(?=投资|建设|落户|设立|建厂|办厂|的|，|。|；|$)"
)
_PARK_WORD = re.compile(
    r"(?:经济技术开发区|高新技术产业开发区|经济开发区|经开区|高新区|开发区|工业园区|工业园|产业园|"
    r"工业集中区|产业集聚区|集聚区)$"
)
#: words before a park's place part that are not part of it (全市, 推进, 落户 …): cut up to the last
_LEAD = re.compile(r"^.*(?:全市|我市|全县|各|和|与|及|、|的|在|是|对|让|由|落户|入驻|到|至|年|推进|支持|打造|围绕|来到)")
_PROVINCE = re.compile(r"^(?:" + "|".join(lx.PROVINCES) + r")省?")
#: a park's "place part" with these words names an industry (电子信息产业园, 智能装备产业园: a
#: park inside the focal one, or any park), not a county
_INDUSTRY = re.compile(
    r"电子|信息|装备|制造|智能|科技|材料|食品|医药|生物|能源|汽车|产业|工业|物流|电商|商务|光电|机电|纺织|"
    r"服装|鞋|化工|农业|数字|创新|创业|国家|省级|高新|高端|特色|绿色|军民|皮具|箱包|锰|钙|园区|本级|县域|"
    r"^(?:建设|投产|生产|发展|运营|项目|企业|当地|本地|我|该|此|这|个|家|多|首|新|一|两|几|各)"
)


def _core(name: str) -> str:
    """The place part of a park or region name: 永州经开区 → 永州, 大悟县经济开发区 → 大悟."""
    n = _PARK_WORD.sub("", name)
    n = re.sub(r"(?:省|市|县|区|縣|镇)$", "", n)
    return _PROVINCE.sub("", n) or n


@lru_cache(maxsize=64)
def focal_cores(park: str) -> tuple[str, ...]:
    """Place parts of the focal park's name and of the alternatives written in it
    (天柱县（工业园区）, A／B, 江门(鹤山工业城/江门国家高新区)); folded to simplified script."""
    park = normalize(park).text
    parts = [p for p in re.split(r"[／/（）()·—\-、]", park) if p] + [park]
    parts += [m.group(1) for p in parts for m in [re.match(r"([\u4e00-\u9fff]{2,4}?)[县市縣]", p)] if m]
    out = []
    for p in parts:
        c = _core(p)
        if len(c) >= 2 and not re.fullmatch(r"(?:工业|产业|园区|工业园区|科技|经济)", c):
            out.append(c)
    return tuple(dict.fromkeys(out))


def _judge(name: str, park: str) -> bool | None:
    """True if ``name`` (a park or a place) names the focal park, False if it names another
    county or park, None if it names no place (电子信息产业园, 国家级经济技术开发区)."""
    if any(f in name for f in focal_cores(park)):
        return True
    n = _LEAD.sub("", name)
    if _PARK_WORD.fullmatch(n):
        return None  # the bare park word (经开区, 园区): the article's own park or any
    c = _core(n)
    if len(c) >= 2 and any(c in f for f in focal_cores(park)):
        return True  # 绿园经开区 for 长春绿园经济开发区
    if 2 <= len(c) <= 4 and not _INDUSTRY.search(c):
        return False
    return None


def is_focal(place: str, park: str) -> bool:
    """True when ``place`` names the focal park (or the county the park is about)."""
    return _judge(place, park) is True


def places(text: str, park: str) -> list[tuple[int, int, bool | None]]:
    """Named parks and placed counties in ``text``: ``(start, end, is the focal park)``; None
    for the focal park's own city or county named bare (落户永州 for 永州经开区)."""
    out = []
    for m in PARK_NAME.finditer(text):
        lead = _LEAD.match(m.group())
        a = m.start() + (lead.end() if lead else 0)  # 目前该公司又在永州经开区 → 永州经开区
        j = _judge(text[a:m.end()], park)
        if j is not None:
            out.append((a, m.end(), j))
    for m in PLACED_AT.finditer(text):
        if any(a <= m.start(1) < b for a, b, _ in out) or _PARK_WORD.search(m.group()):
            continue  # a named park, or the bare park word (落户经开区: the park of the article)
        j = _judge(m.group(1), park)
        if j is None:
            continue
        if j and _PARK_WORD.search(normalize(park).text):
            # the focal park's city or county (落户永州 for 永州经开区) is no placement in the
            # park itself, nor in another place
            out.append((m.start(1), m.end(), None))
        else:
            out.append((m.start(1), m.end(), j))
    return sorted(out)


def place_of(text: str, start: int, end: int, park: str, sent_start: int = 0) -> bool | None:
    """Where the sentence ``text`` (starting at ``sent_start`` in the article) places the firm
    named at ``start:end``: True (the focal park), False (another park or county) or None.

    The place is the nearest one named before the firm in the sentence, or after it in its
    clause (落户江华高新区的贵德光电产业园项目: before; A落户祁阳经开区: after)."""
    a, b = start - sent_start, end - sent_start
    ps = places(text, park)
    after = [p for p in ps if p[0] >= b and not re.search(r"[，；。]", text[b:p[0]])]
    before = [p for p in ps if p[1] <= a]
    inside = [p for p in ps if p[0] <= a and b <= p[1]]
    if inside:  # the firm named inside a park's name: the place is what comes before the firm
        return _judge(text[inside[0][0]:a], park) if a > inside[0][0] else None
    for cand in (after[:1], before[-1:]):
        if cand:
            return cand[0][2]
    return None


def about_focal_park(text: str, park: str) -> bool:
    """True unless the article is about a wider area: it names other parks or counties three
    times or more and more than twice as often as the focal park (a city's plan naming its
    parks one after the other).  An article naming one or two other places is still about
    the park it was ingested for; their firms are kept out by :func:`mark_elsewhere`."""
    ps = [f for a, b, f in places(text, park)]
    return not (ps.count(False) >= 3 and ps.count(False) > 2 * ps.count(True))


def put_in_park(doc, s, r) -> bool:
    """Put the firm of mention ``r`` (in sentence ``s``) in the park when the sentence places it
    in the focal park, or names no place and the article is about the focal park; a firm the
    sentence places in another park or county is kept out for the whole article.  Returns
    whether the firm is now in the park."""
    f = doc.firms[r.key]
    if not doc.park:  # no focal park: nothing to tell parks apart by
        f.in_park = True
        return True
    where = place_of(s.text, r.start, r.end, doc.park, s.start)
    if where is False:
        doc.elsewhere.add(r.key)
    if r.key in doc.elsewhere or not (where or where is None and doc.about_park):
        return False
    f.in_park = True
    return True


def mark_elsewhere(doc, s) -> None:
    """Firms the sentence places in another park or county (落户江华高新区的贵德…, 祁阳经开区…
    引进湖南金荣企业集团): never in the focal park, whatever other sentences say."""
    if not doc.park:
        return
    for r in s.mentions:
        if place_of(s.text, r.start, r.end, doc.park, s.start) is False:
            doc.elsewhere.add(r.key)
