"""Where a candidate is: its place, regions, strategic-fit grade, and the park's home area.

A firm's place is its ``cg:city`` (a registered address or the user's list), else the place read
from its full name; its regions are the place's ancestors and regions from the graph
(:func:`chaingraph.analysis.targets.target_facts`) or, for a place the graph does not describe,
the built-in city and province tables (:mod:`chaingraph.pool.regions`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, NamedTuple

from chaingraph.analysis.targets.scoring import (GRADE_GUANGDONG, GRADE_HUNAN, GRADE_NEIGHBOUR, GRADE_OTHER,
                                                 GRADE_TARGET)
from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.namespaces import PLACE
from chaingraph.pool.regions import CITIES, NEIGHBOUR_CITIES, PROVINCES, REGION_LABELS, region_of

#: Regions the plan targets for relocation (沿海产业转移).
TARGET_REGIONS = (PLACE + "gba", PLACE + "yrd")
HUNAN = PLACE + "hunan"


class Whereabouts(NamedTuple):
    """A place with everything it lies in, and whether any place is known at all."""

    regions: set[str]  # place IRIs: the place, its ancestors and its regions
    known: bool


def place_regions(place: str | None, places: dict) -> Whereabouts:
    """The place, its ancestors and regions, for a place IRI, using the graph or the slug tables."""
    if not place:
        return Whereabouts(set(), False)
    info = places.get(place)
    out = {place} | _slug_regions(place)
    if info:
        out |= set(info["ancestors"]) | set(info["regions"])
    return Whereabouts(out, True)


@lru_cache(maxsize=4096)
def _slug_regions(place: str) -> frozenset[str]:
    """Provinces and regions of a place IRI whose slug is a city or province of the built-in tables."""
    out: set[str] = set()
    slug = place[len(PLACE):] if place.startswith(PLACE) else ""
    for _, (cs, prov, regs) in CITIES.items():
        if cs == slug:
            ps, _, pregs = PROVINCES[prov]
            out |= {PLACE + ps, *(PLACE + r for r in regs), *(PLACE + r for r in pregs)}
    for _, (ps, _, pregs) in PROVINCES.items():
        if ps == slug:
            out |= {PLACE + r for r in pregs}
    return frozenset(out)


def firm_regions(firm: dict, places: dict) -> Whereabouts:
    """Where a firm is: its ``cg:city`` (from a registered address or the user's list), else the
    place read from its full name."""
    where = place_regions(firm.get("city"), places)
    if not where.known and firm.get("full_name"):
        r = region_of(firm["full_name"])
        if r:
            regs = {PLACE + r["province_slug"], *(PLACE + x for x in r["regions"])}
            if r["city_slug"]:
                regs.add(PLACE + r["city_slug"])
            return Whereabouts(regs, True)
    return where


def region_grade(regs: set[str], known: bool, xiangshang: bool = False) -> tuple[float | None, list[str]]:
    """Strategic-fit grade of a place (its IRI, ancestors and regions) and the reasons, in Chinese.

    粤港澳大湾区 / 长三角 / 湘商 1.0; elsewhere in Hunan 0.9; neighbours 粤北, 郴州, 桂东北
    (:data:`chaingraph.pool.regions.NEIGHBOUR_CITIES`) 0.8; Guangdong with the city unknown 0.6
    (whether it is in the Greater Bay Area is not known); any other known place 0.2; ``None``
    when the place is unknown (the prior applies).  A Guangdong firm is in the GBA when its city is.

    Examples
    --------
    >>> region_grade({PLACE + "shenzhen", PLACE + "guangdong", PLACE + "gba"}, True)
    (1.0, ['粤港澳大湾区'])
    >>> region_grade({PLACE + "guangdong"}, True)
    (0.6, ['广东（城市未知，是否在大湾区待核实）'])
    >>> region_grade({PLACE + "guilin", PLACE + "guangxi"}, True)
    (0.8, ['邻近地区（桂东北）'])
    >>> region_grade(set(), False)
    (None, [])
    """
    why, grade = [], None
    if xiangshang:
        why.append("湘商")
        grade = GRADE_TARGET
    names = {PLACE + "gba": "粤港澳大湾区", PLACE + "yrd": "长三角"}
    for r in TARGET_REGIONS:
        if r in regs:
            why.append(names[r])
            grade = GRADE_TARGET
    if grade is not None:
        return grade, why
    near = sorted({NEIGHBOUR_CITIES[p[len(PLACE):]] for p in regs if p.startswith(PLACE) and p[len(PLACE):] in NEIGHBOUR_CITIES})
    if HUNAN in regs:
        return GRADE_HUNAN, ["湖南省内（湘商回归/省内转移）"] + [f"邻近地区（{n}）" for n in near]
    if near:
        return GRADE_NEIGHBOUR, [f"邻近地区（{n}）" for n in near]
    if PLACE + "guangdong" in regs and not any(p != PLACE + "guangdong" and p.startswith(PLACE) and p[len(PLACE):] not in ("gba", "yrd") for p in regs):
        return GRADE_GUANGDONG, ["广东（城市未知，是否在大湾区待核实）"]
    if known:
        return GRADE_OTHER, []
    return None, []


def strategic_fit(firm: dict, places: dict) -> tuple[float | None, list[str]]:
    """The firm's strategic-fit grade and its reasons (:func:`region_grade` of its place)."""
    regs, known = firm_regions(firm, places)
    return region_grade(regs, known, bool(firm.get("xiangshang")))


def good_places(places: dict) -> set[str]:
    """Place IRIs whose firms may get a strategic fit above :data:`GRADE_OTHER` (the store's
    bound counts them at 1.0): target regions, Hunan, neighbours, Guangdong, and every place in them."""
    cands = set(places) | {HUNAN, *TARGET_REGIONS} | {PLACE + cs for cs, _, _ in CITIES.values()} | {PLACE + ps for ps, _, _ in PROVINCES.values()}
    good = set()
    for p in cands:
        grade, _ = region_grade(*place_regions(p, places))
        if (grade or 0) > GRADE_OTHER:
            good.add(p)
    return good


def matches_region(firm: dict, wanted: set[str], places: dict) -> bool:
    """Whether the firm lies in one of the ``wanted`` places or regions."""
    return bool(firm_regions(firm, places).regions & wanted)


def place_text(firm: dict) -> str | None:
    """The firm's place as people say it, from its full name (for a firm with no place recorded)."""
    r = region_of(firm.get("full_name")) if firm.get("full_name") else None
    if not r:
        return None
    return r["city"] if r["city"] and r["city"] != r["province"] else (r["province"] + ("（城市未知）" if not r["city"] else ""))


def home_area(ctx, places: dict) -> str | None:
    """The place whose firms are local, not new recruits: the focal park's city (scope ``park``)
    or that city's province (scope ``city``); ``None`` when the park's city is not recorded."""
    city = (ctx.park_info.get(ctx.park) or {}).get("city")
    if not city:
        return None
    if ctx.scope != "city":
        return city
    regs = place_regions(city, places).regions
    provinces = sorted(p for p in regs if p != city and p not in TARGET_REGIONS and p.startswith(PLACE)
                       and (places.get(p, {}).get("ancestors") == [] or p == HUNAN))
    return HUNAN if HUNAN in regs else (provinces[0] if provinces else city)


def resolve_regions(names: Iterable[str], places: dict) -> set[str]:
    """Place IRIs for region names (粤港澳大湾区, 大湾区, 长三角, 湖南, 深圳, slugs or IRIs)."""
    out = set()
    for n in names:
        k = name_key(n)
        hit = None
        if n.startswith("http"):
            hit = n
        for slug, lab_ in REGION_LABELS.items():
            if k in (name_key(lab_), slug) or (slug == "gba" and k == "大湾区"):
                hit = PLACE + slug
        for short, (ps, full, _) in PROVINCES.items():
            if k in (name_key(short), name_key(full), ps):
                hit = PLACE + ps
        for short, (cs, _, _) in CITIES.items():
            if k in (name_key(short), name_key(short + "市"), cs):
                hit = PLACE + cs
        for p, info in places.items():
            if name_key(info["label"]) == k:
                hit = p
        if hit is None:
            raise ChaingraphError(f"unknown region {n!r}; try 粤港澳大湾区, 长三角, a province (湖南) or a city (深圳)")
        out.add(hit)
    return out
