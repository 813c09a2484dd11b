"""Park membership of ingested firms: only firms the article places in the focal park are put in
it (``cg:park``); a city's article names several parks and counties."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from chaingraph.ingest.extract import extract
from chaingraph.ingest.relations.placement import about_focal_park, place_of
from chaingraph.namespaces import CG
from chaingraph.normalize import normalize
from conftest import REPO, SEEDS

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repo")
PARK = "永州经开区"


def _in_park(ex):
    return {f.name: f.in_park for f in ex.firms}


def _bundled_parks():
    """Each name (label, short name) of a bundled firm -> the local name of its cg:park."""
    g = Graph().parse(REPO / "data" / "companies.ttl")
    out = {}
    for c, park in g.subject_objects(CG.park):
        for p in (RDFS.label, CG.shortName):
            for n in g.objects(c, p):
                out[normalize(str(n)).text] = str(park).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return out


# ---------------------------------------------------------------- hand-built sentences

def test_firm_landing_in_the_focal_park_is_in_it():
    ex = extract("湖南星拓精密有限公司签约落户永州经开区，总投资5亿元。", park=PARK)
    assert _in_park(ex) == {"星拓精密": True}
    assert [r.type for r in ex.relations] == ["project"]


def test_firm_landing_in_another_park_is_not_in_the_focal_one():
    text = ("永州经开区坚持招商引资。其中总投资10亿元，落户江华高新区的湖南青石光电有限公司项目从签约到投产只用了150天。"
            "湖南青石光电有限公司主要生产液晶显示模组，园区配套不断完善。")
    ex = extract(text, park=PARK)
    assert _in_park(ex) == {"青石光电": False}  # the second sentence's 园区 does not override 江华高新区
    assert not [r for r in ex.relations if r.type == "project"]  # no project written into 永州经开区


def test_firm_brought_into_another_park_by_a_previous_clause():
    text = "永州经开区获批示范基地，祁阳经开区成功获批国家新型工业化产业示范基地，引进湖南金峰企业集团有限公司采用PBOS模式。"
    assert _in_park(extract(text, park=PARK)) == {"金峰企业": False}
    # the same sentence ingested for 祁阳经开区 puts the firm there
    assert _in_park(extract(text, park="祁阳经开区")) == {"金峰企业": True}


def test_city_wide_article_puts_no_unplaced_firm_in_the_park():
    text = ("全市各工业园区加快发展，祁阳经开区、江华高新区、东安经开区、宁远工业园成功创建省级园区。"
            "湖南宏川科技有限公司等一批企业项目竣工投产。")
    assert not about_focal_park(normalize(text).text, PARK)
    assert _in_park(extract(text, park=PARK)) == {"宏川科技": False}
    # an article about the park puts its unplaced firms in it (the default kept from before)
    text2 = "永州经开区加快发展电子信息产业。湖南宏川科技有限公司主要生产电容器。"
    assert _in_park(extract(text2, park=PARK)) == {"宏川科技": True}


def test_place_of_reads_the_nearest_place():
    s = normalize("落户江华高新区的湖南青石光电有限公司").text
    i = s.index("湖南青石")
    assert place_of(s, i, i + 10, PARK) is False
    s = normalize("湖南青石光电有限公司落户永州经济技术开发区").text
    assert place_of(s, 0, 10, PARK) is True
    # the bare park word, an industry park and the focal park's own city name no other place
    for text in ("湖南青石光电有限公司落户经开区", "湖南青石光电有限公司入驻电子信息产业园", "湖南青石光电有限公司落户永州"):
        assert place_of(normalize(text).text, 0, 10, PARK) is None, text


# ---------------------------------------------------------------- the seed articles

@needs_seeds
def test_seed_city_plan_puts_firms_of_other_parks_out_of_the_focal_park():
    """Seed 004 (the city's plan) names 金荣 in 祁阳经开区 and 贵德 in 江华高新区 (the bundled
    data agrees); no firm of it is placed in 永州经开区."""
    seed = next(SEEDS.glob("004_*.txt"))
    ex = extract(seed.read_text(encoding="utf-8"), park=PARK)
    got = _in_park(ex)
    assert got["金荣企业"] is False and got["贵德集团"] is False
    assert not any(got.values()), {k for k, v in got.items() if v}
    bundled = _bundled_parks()
    assert bundled["金荣企业集团"] == "qiyang-hitech" and bundled["贵德集团"] == "jianghua-hitech"


@needs_seeds
@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_seed_park_articles_keep_their_park_firms(seed):
    """Every firm of a park article that the bundled data puts in 永州经开区 stays in it; none
    the bundled data puts in another park is put in it."""
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    ex = extract(path.read_text(encoding="utf-8"), park=PARK)
    bundled = _bundled_parks()
    checked = 0
    for f in ex.firms:
        park = next((bundled[n] for n in map(lambda x: normalize(x).text, [f.name, *f.names]) if n in bundled), None)
        if park is None:
            continue
        checked += 1
        assert f.in_park is (park == "yongzhou-etdz"), (f.name, park)
    assert checked >= 3


@needs_seeds
def test_cli_staging_of_the_city_plan_writes_no_focal_park(run_cli, tmp_path):
    seed = next(SEEDS.glob("004_*.txt"))
    out = tmp_path / "s.ttl"
    r = run_cli("ingest", str(seed), "--park", PARK, "-o", str(out))
    assert r.code == 0, r.err
    g = Graph().parse(out)
    assert not list(g.triples((None, CG.park, None))), "a firm or project of 004 written into a park"
    # the same CLI call on a park article writes the park
    seed3 = next(SEEDS.glob("003_*.txt"))
    r = run_cli("ingest", str(seed3), "--park", PARK, "-o", str(out))
    assert r.code == 0, r.err
    parks = set(Graph().parse(out).objects(None, CG.park))
    assert len(parks) == 1 and all(isinstance(p, URIRef) for p in parks)
