"""Relocations: a firm came to the park from another place (``relocation``; the firm's origin).

Read from a move (从深圳整体搬迁至…, 由东莞回迁), "从深圳引进的X", "企业原本在浙江温州", and in a
story of a return home (返乡), where the firm was first set up (曾在浙江德清创办了…).
"""

from __future__ import annotations

import re

from chaingraph.ingest import lexicon as lx
from chaingraph.ingest.model import Relation, Resolved
from chaingraph.ingest.names import REGION_AT
from chaingraph.ingest.relations.context import YEAR, Article, Sentence, prev_subject
from chaingraph.ingest.relations.placement import put_in_park

_MOVE = r"(?:整体|全面|陆续|成功|全部|逐步)?(?:回迁|迁回|转移|搬迁|迁入|迁至|迁到|迁来|迁往|回归|返乡|回流|迁移|搬到|搬来|搬至|搬过来|来到|转战|转移到)"
#: (pattern with the place in group 1, where the firm is: "subject" before or around, "after" it)
_RELOC_PATTERNS = (
    # 从深圳整体搬迁至…, 由东莞回迁, 企业从深圳来到江门, 将自家工厂从雄安迁到了上蔡
    (re.compile(rf"(?:从|由|自(?!家|己|身|主|然|动|治|行))([\u4e00-\u9fff]{{2,8}}?)(?:[\u4e00-\u9fff]{{0,4}}(?:总部|工厂|厂区|生产线))?{_MOVE}"), "subject"),
    # 从深圳引进的X: X came from 深圳
    (re.compile(r"从([\u4e00-\u9fff]{2,8}?)引进(?:了|的)?"), "after"),
    # 企业原本在浙江温州, 原在广州的总部迁至…
    (re.compile(r"(?:原本|原来|原先|此前|之前|原)(?:就)?(?:在|位于|扎根)([\u4e00-\u9fff]{2,8}?)(?=的总部|的工厂|，|,|。|发展|经营|办厂|生产|$)"), "subject"),
)
#: "(曾)在浙江德清创办了…" in a story of a return home (返乡): where the firm started
_FOUNDED_AT = re.compile(r"(?:成立于|创办于|起家于|发家于|(?:曾|最早|最初|最终|先|早年)(?:经)?在)([\u4e00-\u9fff]{2,8}?)(?:创办|创立|成立|开办|办厂|创业|办起)")
_HOMECOMING = re.compile(r"返乡|回乡|回归|回迁|回到家乡|回老家|归乡")


def is_place(x: str) -> bool:
    """True for a place name: region words (浙江温州, 成都市新津), an X市/县/区, or a macro region.

    Examples
    --------
    >>> is_place("浙江温州"), is_place("温州市"), is_place("电子")
    (True, True, False)
    """
    if x in lx.MACRO_REGIONS:
        return True
    rest, n = x, 0
    while rest:
        m = REGION_AT.match(rest)
        if not m:
            break
        rest, n = rest[m.end():], n + 1
    if n and (not rest or (len(rest) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]{1,2}(?:区|县|镇)?", rest))):
        return True
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{1,4}(?:市|县|区|省)", x))


def _clean_place(place: str) -> str:
    place = re.sub(r"^(?:广东省?|湖南省?|江苏省?|浙江省?)(?=[\u4e00-\u9fff]{2})", "", place) or place
    return re.sub(r"(?<=[\u4e00-\u9fff]{2})市[\u4e00-\u9fff]{1,4}区$|(?<=[\u4e00-\u9fff]{2})市$", "", place) or place


def relocations(doc: Article, s: Sentence) -> None:
    """A move from a place (the firm before it, after 的, in a sentence before, or the owner's
    firm of the next sentence); sets the firm's origin and puts it in the park."""
    t, ss, sent = doc.text, s.start, s.text
    for pat, role in _RELOC_PATTERNS:
        for m in pat.finditer(sent):
            place = m.group(1)
            while place and not is_place(place) and len(place) > 2:
                place = place[:-1]  # 雄安迁 → 雄安 when the lazy match ran on
            if not is_place(place):
                continue
            subj = _moved_firm(doc, s, m, role)
            if subj is None:
                continue
            place = _clean_place(place)
            f = doc.firms[subj.key]
            if f.origin is None:
                f.origin = place
            if subj.start >= ss:
                put_in_park(doc, s, subj)
            elif doc.park is None or doc.about_park and subj.key not in doc.elsewhere:
                f.in_park = True  # the firm of another sentence: no place of its own here
            tp = ss + m.start()
            a = min(tp, subj.start) if subj.start >= ss else tp
            b = max(ss + m.end(), subj.end) if subj.start >= ss else ss + m.end()
            yr = YEAR.search(t[max(ss, a - 12):b])
            doc.add(Relation("relocation", subj.key, place, doc.span(a, b), 0.7 if subj.start >= ss else 0.6,
                             place=place, year=int(yr.group(1)) if yr else None, stage="Landed"))


def _moved_firm(doc: Article, s: Sentence, m: re.Match, role: str) -> Resolved | None:
    """The firm a move pattern match ``m`` is about, or None."""
    t, ss, ms, si = doc.text, s.start, s.mentions, s.index
    tp = ss + m.start()
    if role == "after":
        post = [r for r in ms if ss + m.end() <= r.start <= ss + m.end() + 1]
        return post[0] if post else None
    if [r for r in ms if ss + m.start(1) <= r.start < ss + m.end(1)]:
        return None  # the "place" is a firm's name
    before = [r for r in ms if r.end <= tp and not re.search(r"[。；]", t[r.end:tp])]
    if before:
        return before[-1]
    # "从深圳整体搬迁至郴州高新区的X": the firm follows, after 的
    post = [r for r in ms if ss + m.end() <= r.start
            and re.fullmatch(r"[^，。；]{0,14}的", t[ss + m.end():r.start])]
    subj = post[0] if post else prev_subject(doc, si)
    if subj is None and si + 1 < len(doc.spans):
        # "他将工厂从雄安迁到了上蔡。如今，他的X公司…": the owner's firm comes next
        a, b = doc.spans[si + 1]
        own = re.match(r"[^，。；]{0,4}，?(?:他的|他们的|她的|其)", t[a:b])
        nxt = [r for r in doc.resolved if own and a + own.end() <= r.start <= a + own.end() + 1]
        subj = nxt[0] if nxt else None
    return subj


def founded_elsewhere(doc: Article, s: Sentence) -> None:
    """In a story of a return home (返乡 within two sentences): 曾在浙江德清创办了… is where the
    firm (before it, or named in the next two sentences) came from."""
    t, ss, se, ms, si = doc.text, s.start, s.end, s.mentions, s.index
    sents = doc.spans
    near = t[sents[max(0, si - 2)][0]:sents[min(len(sents) - 1, si + 2)][1]]
    if not _HOMECOMING.search(near):
        return
    for m in _FOUNDED_AT.finditer(t[ss:se]):
        place = m.group(1)
        if not is_place(place):
            continue
        before = [r for r in ms if r.end <= ss + m.start()]
        subj = before[-1] if before else None
        for k in (si + 1, si + 2):  # the returnee's firm is named next
            if subj is None and k < len(sents):
                nxt = doc.mentions_in(*sents[k])
                subj = nxt[0] if nxt else None
        if subj is None:
            continue
        f = doc.firms[subj.key]
        if f.origin is None:
            f.origin = place
        doc.add(Relation("relocation", subj.key, place, doc.evidence(ss + m.start(), ss + m.end()), 0.5,
                         place=place, stage="Landed"))
