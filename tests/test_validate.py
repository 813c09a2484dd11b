"""chaingraph.validate: syntax errors, SHACL, SPARQL checks, feeds cycles, reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib

from chaingraph import store
from chaingraph.validate import (
    Problem,
    Report,
    bundled_paths,
    check_queries,
    feeds_cycles,
    run_checks,
    validate_graph,
    validate_paths,
)
from tests.test_shapes import BASE, EV, PREFIXES

# A world with every n-ary fact and its shortcut: conforms to shapes and checks.
FACTS = f"""
company:a cg:referred company:b ; cg:supplies company:b ; cg:origin place:dg ;
    cg:inSegment seg:up ; cg:visitedBy park:p .
fact:ref a cg:Referral ; cg:referrer company:a ; cg:referee company:b ;
    cg:referralKind cg:PeerReferral ; cg:leadStage cg:Landed ; {EV} .
fact:sup a cg:Supply ; cg:supplier company:a ; cg:customer company:b ; {EV} .
fact:rel a cg:Relocation ; cg:firm company:a ; cg:fromPlace place:dg ; cg:toPark park:p ; {EV} .
fact:vis a cg:Visit ; cg:visitor park:p ; cg:visitorNote "招商局"@zh ; cg:target company:a ; {EV} .
fact:link a cg:SegmentLink ; cg:firm company:a ; cg:segment seg:up ; cg:basis cg:StatedSegment ; {EV} .
"""

# check name -> [(old, new)] mutations of FACTS (or additions when old == "") that must fire it.
CHECK_CASES = {
    "referral-shortcut-violation": [
        ("company:a cg:referred company:b ;", "company:a"),  # Referral without shortcut
        ("", "company:b cg:referred company:a ."),  # shortcut without Referral
    ],
    "supply-shortcut-violation": [
        ("cg:supplies company:b ;", ""),
        ("", "company:b cg:supplies company:a ."),
    ],
    "relocation-shortcut-violation": [
        ("cg:origin place:dg ;", ""),
        ("", "company:b cg:origin place:dg ."),
    ],
    "visit-shortcut-violation": [
        ("cg:visitedBy park:p .", "cg:xiangshang true ."),
        ("", "company:b cg:visitedBy park:p ."),
    ],
    "segment-link-shortcut-violation": [
        ("cg:inSegment seg:up ;", ""),
        ("", "company:b cg:inSegment seg:down ."),
    ],
    "feeds-cross-chain-violation": [
        ("", """chain:o a cg:IndustryChain ; rdfs:label "另一链"@zh ; cg:granularity "coarse" .
                seg:o a cg:Segment ; rdfs:label "另一环节"@zh ; cg:chain chain:o ; cg:stage cg:Upstream .
                seg:up cg:feeds seg:o ."""),
    ],
    "feeds-self-loop-violation": [
        ("", "seg:down cg:feeds seg:down ."),
    ],
    "company-name-shared-violation": [
        ("", 'company:b cg:shortName "甲公司"@zh .'),  # alias of b = label of a
        ("", 'company:b cg:fullName "甲公司" .'),  # language tag ignored
    ],
}


def _world(extra: str = "", old: str = "", new: str = "") -> rdflib.Graph:
    facts = FACTS.replace(old, new, 1) if old else FACTS + new
    if old:
        assert old in FACTS
    return rdflib.Graph().parse(data=BASE + (facts + extra).replace("{EV}", EV), format="turtle")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ----------------------------------------------------------------------------- checks


def test_world_with_all_facts_conforms():
    report = validate_graph(_world())
    assert report.conforms, report.to_text()
    assert report.problems == []


def test_every_check_has_cases():
    assert set(check_queries()) == set(CHECK_CASES)


@pytest.mark.parametrize(
    "check, old, new",
    [pytest.param(c, o, n, id=f"{c}-{i}") for c, cases in CHECK_CASES.items() for i, (o, n) in enumerate(cases)],
)
def test_check_flips(check, old, new):
    assert run_checks(_world()) == []
    problems = run_checks(_world(old=old, new=new))
    fired = {p.rule for p in problems}
    assert check in fired, fired
    for p in problems:
        assert p.kind == "check" and p.focus and " / " in p.message, p


def test_shortcut_problem_names_the_node():
    problems = run_checks(_world(old="cg:supplies company:b ;", new=""))
    (p,) = [p for p in problems if p.rule == "supply-shortcut-violation"]
    assert p.focus == "fact:sup"
    assert "cg:supplies" in p.message and "供应" in p.message


def test_product_in_segment_needs_no_segment_link():
    # BASE has product:x cg:inSegment seg:up without a SegmentLink; only companies need one.
    assert [p for p in run_checks(_world()) if p.rule == "segment-link-shortcut-violation"] == []


def test_shared_name_lists_both_companies():
    problems = run_checks(_world(new='company:b cg:shortName "甲公司"@zh .'))
    (p,) = [p for p in problems if p.rule == "company-name-shared-violation"]
    assert p.focus == "company:a"
    assert "a, b" in p.message or "b, a" in p.message
    assert "甲公司" in p.message


def test_checks_use_only_standard_sparql():
    for name, query in check_queries().items():
        assert "SELECT ?focus ?message" in query, name
        assert query.lstrip().startswith("#"), f"{name}: comment header"
        rdflib.plugins.sparql.prepareQuery(query)  # parses as SPARQL 1.1
        for ext in ("bif:", "fn:", "<java:", "rdflib"):
            assert ext not in query, (name, ext)


# ----------------------------------------------------------------------------- cycles


def test_feeds_cycle_is_reported():
    g = _world(extra="seg:down cg:feeds seg:up .")
    report = validate_graph(g)
    cycles = [p for p in report.problems if p.kind == "cycle"]
    assert len(cycles) == 1, report.to_text()
    assert "seg:down -> seg:up -> seg:down" in cycles[0].message  # starts at the smallest IRI
    assert cycles[0].focus == "seg:down" and cycles[0].path == "cg:feeds"
    assert not report.conforms


def test_feeds_cycles_plain_data_per_chain():
    seg = "https://w3id.org/chaingraph/id/segment/"
    chain = "https://w3id.org/chaingraph/id/chain/"
    g = _world(extra="""
        seg:m a cg:Segment ; rdfs:label "中游"@zh ; cg:chain chain:c ; cg:stage cg:Midstream .
        seg:down cg:feeds seg:m . seg:m cg:feeds seg:up .
    """)
    assert feeds_cycles(g) == {chain + "c": [[seg + "down", seg + "m", seg + "up"]]}
    assert feeds_cycles(_world()) == {}


def test_self_loops_and_cross_chain_edges_are_not_cycles():
    g = _world(extra="""
        chain:o a cg:IndustryChain ; rdfs:label "另一链"@zh ; cg:granularity "coarse" .
        seg:o a cg:Segment ; rdfs:label "另一环节"@zh ; cg:chain chain:o ; cg:stage cg:Upstream ;
            cg:feeds seg:up .
        seg:up cg:feeds seg:o .
        seg:down cg:feeds seg:down .
    """)
    assert feeds_cycles(g) == {}
    kinds = {p.rule for p in validate_graph(g).problems}
    assert kinds == {"feeds-cross-chain-violation", "feeds-self-loop-violation"}


# ----------------------------------------------------------------------------- files


def test_syntax_error_reports_file_and_line(tmp_path):
    good = _write(tmp_path, "good.ttl", BASE)
    text = PREFIXES + 'company:z a cg:Company ;\n    rdfs:label "坏"@zh\n    cg:fullName "x"@zh .\n'
    bad = _write(tmp_path, "bad.ttl", text)
    expected_line = text.splitlines().index('    cg:fullName "x"@zh .') + 1
    report = validate_paths([good, bad], with_bundled=False)
    assert not report.conforms
    (p,) = report.problems
    assert (p.kind, p.file, p.line) == ("syntax", str(bad), expected_line)
    assert "Turtle" in p.message
    assert f"{bad}:{expected_line}:" in report.to_text()


@pytest.mark.parametrize(
    "snippet, line",
    [
        ('company:z rdfs:label "unterminated ;\n', 1),
        ("nope:z a cg:Company .\n", 1),
        ("company:z a cg:Company .\ncompany:y a cg:Company cg:Company .\n", 2),
    ],
)
def test_syntax_error_lines(tmp_path, snippet, line):
    bad = _write(tmp_path, "bad.ttl", PREFIXES + "\n" * 3 + snippet)
    (p,) = validate_paths([bad], with_bundled=False).problems
    assert p.kind == "syntax" and p.file == str(bad)
    assert p.line == PREFIXES.count("\n") + 3 + line


def test_missing_and_unreadable_files_are_problems(tmp_path):
    missing = tmp_path / "nope.ttl"
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(b"\xff\xfe\x00bad")
    report = validate_paths([missing, binary], with_bundled=False)
    assert not report.conforms
    assert [(p.kind, p.file) for p in report.problems] == [("syntax", str(binary)), ("syntax", str(missing))]
    assert "not found" in report.problems[1].message


def test_shacl_problem_located_in_its_file(tmp_path):
    base = _write(tmp_path, "base.ttl", BASE)
    text = PREFIXES + "\n\ncompany:z a cg:Company ;\n    rdfs:label \"丙公司\"@zh .\n"
    firms = _write(tmp_path, "firms.ttl", text)
    report = validate_paths([base, firms], with_bundled=False)
    (p,) = report.problems
    assert (p.kind, p.file, p.focus, p.path, p.rule) == (
        "shacl", str(firms), "company:z", "cg:evidence", "cgsh:Company-evidence")
    assert p.line == text.splitlines().index("company:z a cg:Company ;") + 1


def test_blank_node_focus_names_its_owner(tmp_path):
    text = BASE.replace("cg:start 0 ; cg:end 2 ] .\ncompany:b", "cg:start 3 ; cg:end 2 ] .\ncompany:b")
    assert text != BASE
    f = _write(tmp_path, "w.ttl", text)
    (p,) = validate_paths([f], with_bundled=False).problems
    assert p.rule == "cgsh:Evidence-start"
    assert p.focus == "company:a cg:evidence []"
    assert p.line == next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("company:a"))


def test_directory_is_expanded(tmp_path):
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "a.ttl", BASE)
    _write(tmp_path, "b.ttl", PREFIXES + "company:z a cg:Company .\n")
    report = validate_paths([tmp_path], with_bundled=False)
    assert report.files == [str(tmp_path / "b.ttl"), str(tmp_path / "sub" / "a.ttl")]
    assert {p.rule for p in report.problems} == {"cgsh:Company-label", "cgsh:Company-evidence"}


def test_user_file_validated_with_bundled_ontology(tmp_path):
    f = _write(tmp_path, "firm.ttl", PREFIXES + 'company:z a cg:Company ; rdfs:label "丙丙公司"@zh .\n')
    report = validate_paths([f])
    paths = bundled_paths()
    assert paths[0].name == "chaingraph.ttl" and all(p.suffix == ".ttl" for p in paths)
    assert [str(p) for p in paths] == report.files[: len(paths)]
    mine = [p for p in report.problems if p.file == str(f)]
    assert [(p.rule, p.focus) for p in mine] == [("cgsh:Company-evidence", "company:z")]


def test_same_file_twice_is_loaded_once(tmp_path):
    f = _write(tmp_path, "w.ttl", BASE)
    report = validate_paths([f, tmp_path / "." / "w.ttl"], with_bundled=False)
    assert report.conforms and report.files == [str(f)]


# ----------------------------------------------------------------------------- report


def test_report_rendering_and_determinism():
    g = _world(extra='company:z a cg:Company . seg:down cg:feeds seg:up . seg:up cg:feeds seg:up .')
    r1, r2 = validate_graph(g), validate_graph(g)
    assert r1 == r2 and not r1.conforms
    assert [p.kind for p in r1.problems] == sorted((p.kind for p in r1.problems),
                                                   key=["syntax", "shacl", "check", "cycle"].index)
    d = r1.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["conforms"] is False and d["counts"]["cycle"] == 1 and d["counts"]["shacl"] == 2
    assert set(d["problems"][0]) >= {"kind", "file", "line", "focus", "path", "message"}
    text = r1.to_text()
    assert "focus: company:z" in text and "4 problem(s)" in text
    assert all(isinstance(p, Problem) for p in r1.problems)


def test_conforming_report_text():
    r = Report(conforms=True, problems=[], files=["a.ttl"])
    assert r.to_text().startswith("OK")
    assert r.to_dict()["counts"] == {"syntax": 0, "conflict": 0, "shacl": 0, "check": 0, "cycle": 0}


def test_validate_graph_does_not_modify_the_graph():
    g = _world()
    before = len(g)
    validate_graph(g)
    assert len(g) == before


def test_validate_graph_on_oxigraph_store():
    g = store.new_graph()
    g.parse(data=BASE.replace("{EV}", EV) + PREFIXES + "company:z a cg:Company .", format="turtle")
    rules = {p.rule for p in validate_graph(g).problems}
    assert rules == {"cgsh:Company-label", "cgsh:Company-evidence"}


# ----------------------------------------------------------------------------- bundled graph


def test_bundled_graph_conforms():
    data = store.turtle_files(store.data_dir())
    assert len(data) > 5
    report = validate_paths(data)
    assert report.conforms, report.to_text()


def test_sh_class_follows_subclasses_without_inference():
    # SHACL's sh:class and sh:targetClass walk rdfs:subClassOf in the data graph (the TBox is
    # merged in), so no RDFS inference is needed for subclass-aware validation.
    a = rdflib.URIRef("https://w3id.org/chaingraph/id/company/a")
    listed = rdflib.URIRef("https://example.org/ListedFirm")
    g = _world()
    g.set((a, rdflib.RDF.type, listed))
    g.add((listed, rdflib.RDFS.subClassOf, rdflib.URIRef("https://w3id.org/chaingraph/ns#Company")))
    report = validate_graph(g)
    assert report.conforms, report.to_text()
    g.remove((listed, rdflib.RDFS.subClassOf, None))
    rules = {p.rule for p in validate_graph(g).problems}
    assert {"cgsh:Referral-referrer", "cgsh:Supply-supplier"} <= rules


def test_check_problem_located_in_its_file(tmp_path):
    base = _write(tmp_path, "base.ttl", BASE)
    text = PREFIXES + "\n\nseg:down cg:feeds seg:down .\n"
    extra = _write(tmp_path, "extra.ttl", text)
    (p,) = validate_paths([base, extra], with_bundled=False).problems
    assert (p.kind, p.rule, p.focus) == ("check", "feeds-self-loop-violation", "seg:down")
    assert p.file == str(base)  # the segment is declared in base.ttl
    assert p.line == next(i for i, ln in enumerate(BASE.splitlines(), 1) if ln.startswith("seg:down"))


@pytest.mark.slow
def test_planted_violations_found_in_the_shipped_pool(tmp_path):
    # The shipped candidate pool (2,207 firms) with the bundled data, three faults planted in
    # one firm: validation finishes (a check used to scan every segment link per company and
    # segment: quadratic, over 30 minutes on the pool) and each fault is reported, located in
    # the pool file at the statement about its node.
    pool = store.bundled_root() / "pool" / "chainkg.ttl"
    lines = pool.read_text(encoding="utf-8").splitlines(keepends=True)
    firms = [i for i, ln in enumerate(lines) if ln.startswith("company:") and ln.rstrip().endswith("a cg:Company ;")]
    assert len(firms) > 2000
    firm = firms[len(firms) // 2]
    stanza = range(firm + 1, lines.index("\n", firm))
    name = lines[firm].split()[0]
    label = next(i for i in stanza if lines[i].lstrip().startswith("rdfs:label"))  # Company-label: minCount 1
    shortcut = next(i for i in stanza if lines[i].lstrip().startswith("cg:inSegment"))  # link without shortcut
    links = [i for i in stanza if lines[i].startswith("fact:seglink-")]
    basis = next(i for i in range(links[0], links[0] + 6) if lines[i].lstrip().startswith("cg:basis"))
    planted = [ln for i, ln in enumerate(lines) if i not in (label, shortcut, basis)]
    path = _write(tmp_path, "chainkg.ttl", "".join(planted))

    report = validate_paths(store.turtle_files(store.data_dir()) + [path])

    def at(node: str) -> int:
        return next(i for i, ln in enumerate(planted, 1) if ln.startswith(node + " "))

    want = {("shacl", "cgsh:Company-label", name, str(path), at(name))}
    link_names = [lines[i].split()[0] for i in links]
    want.add(("shacl", "cgsh:SegmentLink-basis", link_names[0], str(path), at(link_names[0])))
    want |= {("check", "segment-link-shortcut-violation", n, str(path), at(n)) for n in link_names}
    assert {(p.kind, p.rule, p.focus, p.file, p.line) for p in report.problems} == want, report.to_text()

def test_shipped_pool_bases_are_allowed_by_the_shapes():
    # every cg:basis the shipped pool uses is in cgsh:SegmentLink-basis's sh:in list
    # (cg:BusinessScope was missing: a fresh install's `validate` reported ~1,400 problems)
    shapes = rdflib.Graph().parse(Path(store.ontology_dir()) / "shapes.ttl")
    cgsh = rdflib.Namespace("https://w3id.org/chaingraph/shapes#")
    allowed = set(rdflib.collection.Collection(shapes, shapes.value(cgsh["SegmentLink-basis"], rdflib.SH["in"])))
    text = (store.bundled_root() / "pool" / "chainkg.ttl").read_text(encoding="utf-8")
    used = {rdflib.URIRef("https://w3id.org/chaingraph/ns#" + b) for b in set(re.findall(r"cg:basis cg:(\w+)", text))}
    assert used and used <= allowed, used - allowed


def test_locator_indexes_each_file_once_and_finds_names_however_written():
    """A node starting a line is found there; one written only mid-line (after another statement,
    as ``<iri>``, or just before the statement's dot) is found on that line; a blank node at its
    owner; a node in no file nowhere.  The lines are indexed on first use, not scanned per node."""
    from chaingraph.validate.locate import Locator

    text = PREFIXES + (
        'company:a rdfs:label "甲"@zh . company:b rdfs:label "乙"@zh.\n'                      # +1
        "<https://w3id.org/chaingraph/id/company/c> cg:park park:p .\n"                       # +2
        'park:p rdfs:label "园"@zh . company:d cg:evidence [ cg:quote "丁"@zh ] .\n'          # +3
        "company:e cg:park park:p .\n"                                                        # +4
        "company:a cg:city place:x .\n"                                                       # +5
    )
    g = rdflib.Graph().parse(data=text, format="turtle")
    loc = Locator()
    loc.add("f.ttl", g, text)
    n = PREFIXES.count("\n")
    co = rdflib.Namespace("https://w3id.org/chaingraph/id/company/")
    ev = g.value(co.d, rdflib.URIRef("https://w3id.org/chaingraph/ns#evidence"))
    assert loc.locate(co.a, g) == ("f.ttl", n + 1)
    assert loc.locate(co.b, g) == ("f.ttl", n + 1)    # mid-line, glued to the dot
    assert loc.locate(co.c, g) == ("f.ttl", n + 2)    # written as a full IRI
    assert loc.locate(co.e, g) == ("f.ttl", n + 4)
    assert loc.locate(ev, g) == ("f.ttl", n + 3)      # a blank node: where its owner is stated
    assert loc.locate(co.nobody, g) == (None, None)
    (f,) = loc._files
    assert f._starts is not None and f._anywhere is not None  # both indexes built once, then reused
    starts, anywhere = f._starts, f._anywhere
    loc.locate(co.b, g)
    assert f._starts is starts and f._anywhere is anywhere
