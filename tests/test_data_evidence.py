"""Checks on the curated Yongzhou graph in data/*.ttl.

* every cg:Evidence points into a seed article: the source's cg:fileName exists, its SHA-256
  matches, ``0 <= start < end <= len(text)`` and ``normalize(text).slice_original(start, end)``
  equals the quote (seed articles: ``../shared/seeds`` beside the repository);
* every entity and n-ary fact has evidence; tiers and 湘商 flags have evidence that supports them;
* shortcut triples and n-ary nodes agree both ways (Referral/referred, Supply/supplies,
  Relocation/origin, Visit/visitedBy, SegmentLink/inSegment);
* company names: exactly one @zh label each, and no name or alias shared by two companies
  after normalisation;
* every ``cg:`` term used is declared, and every chain/segment used exists when the chain
  templates are present.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from chaingraph.namespaces import CG, CG_TERMS, FACT
from chaingraph.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ONTOLOGY = REPO / "ontology" / "chaingraph.ttl"
CHAINS = REPO / "ontology" / "chains"
CGNS = "https://w3id.org/chaingraph/ns#"

DATA_FILES = sorted(DATA.glob("*.ttl"))
EXPECTED_FILES = {
    "sources.ttl", "places.ttl", "parks.ttl", "companies.ttl", "products.ttl",
    "relations.ttl", "figures.ttl", "aggregates.ttl", "planning.ttl",
}

# n-ary class -> (role of the subject, role of the object, shortcut property)
SHORTCUTS = {
    CG.Referral: (CG.referrer, CG.referee, CG.referred),
    CG.Supply: (CG.supplier, CG.customer, CG.supplies),
    CG.Relocation: (CG.firm, CG.fromPlace, CG.origin),
    CG.Visit: (CG.target, CG.visitor, CG.visitedBy),
    CG.SegmentLink: (CG.firm, CG.segment, CG.inSegment),
}
FACT_CLASSES = (
    CG.Referral, CG.Supply, CG.Relocation, CG.Visit, CG.Project, CG.RecruitmentLead,
    CG.SegmentLink, CG.Figure, CG.ReportedCount, CG.ReportedShare, CG.PlanningStatement,
    CG.SegmentStatement,
)
ENTITY_CLASSES = (CG.Company, CG.Park, CG.Place, CG.Product)


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    for path in DATA_FILES:
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live outside the repository)")
    return SEEDS


def _one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} needs exactly one {p}, has {values}"
    return values[0]


def test_data_files_present():
    names = {p.name for p in DATA_FILES}
    assert EXPECTED_FILES <= names, f"missing data files: {sorted(EXPECTED_FILES - names)}"


def test_data_parses_with_ontology(data):
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    g += data
    assert len(data) > 0
    assert (CG.Company, RDF.type, None) in g or True  # parsing together is the check


def test_cg_terms_declared(data):
    used = set()
    for triple in data:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(CGNS):
                used.add(str(term)[len(CGNS):])
    unknown = sorted(used - set(CG_TERMS))
    assert not unknown, f"undeclared cg: terms used in data/: {unknown}"


def test_sources_have_files(data, seeds):
    sources = set(data.subjects(RDF.type, CG.Source))
    assert len(sources) == 5
    for src in sources:
        name = str(_one(data, src, CG.fileName))
        path = seeds / name
        assert path.is_file(), f"{src}: seed file {name} not found"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert str(_one(data, src, CG.sha256)) == digest, f"{src}: sha256 does not match {name}"
        assert str(_one(data, src, CG.script)) in ("simplified", "traditional")


def test_every_evidence_span_matches_its_quote(data, seeds):
    texts = {}
    bad = []
    evidences = set(data.subjects(RDF.type, CG.Evidence))
    assert evidences, "no evidence at all"
    # evidence nodes must be typed: every object of cg:evidence is a cg:Evidence
    untyped = [e for e in data.objects(None, CG.evidence) if e not in evidences]
    assert not untyped, f"{len(untyped)} cg:evidence objects are not typed cg:Evidence"
    for ev in evidences:
        src = _one(data, ev, CG.source)
        quote = _one(data, ev, CG.quote)
        start = _one(data, ev, CG.start).toPython()
        end = _one(data, ev, CG.end).toPython()
        assert isinstance(start, int) and isinstance(end, int), f"non-integer offsets for {quote!r}"
        if src not in texts:
            name = str(_one(data, src, CG.fileName))
            path = seeds / name
            assert path.is_file(), f"{src}: seed file {name} not found"
            texts[src] = normalize(path.read_text(encoding="utf-8"))
        norm = texts[src]
        if not (0 <= start < end <= len(norm.original)):
            bad.append(f"{src} {start}:{end} out of range for {str(quote)!r}")
        elif norm.slice_original(start, end) != str(quote):
            got = norm.slice_original(start, end)
            bad.append(f"{src} {start}:{end} is {got!r}, quote is {str(quote)!r}")
    assert not bad, f"{len(bad)} bad evidence span(s):\n" + "\n".join(sorted(bad)[:30])


def test_every_entity_and_fact_has_evidence(data):
    missing = []
    for cls in ENTITY_CLASSES + FACT_CLASSES:
        for node in set(data.subjects(RDF.type, cls)):
            if not any(True for _ in data.objects(node, CG.evidence)):
                missing.append(f"{cls.n3(data.namespace_manager)} {node}")
    assert not missing, "without evidence:\n" + "\n".join(sorted(missing))


def test_there_are_companies_and_relations(data):
    assert len(set(data.subjects(RDF.type, CG.Company))) >= 30
    assert len(set(data.subjects(RDF.type, CG.Referral))) >= 5


def test_fact_nodes_are_under_fact_namespace(data):
    wrong = []
    for cls in FACT_CLASSES:
        for node in set(data.subjects(RDF.type, cls)):
            if not str(node).startswith(str(FACT)):
                wrong.append(str(node))
    assert not wrong, f"n-ary nodes outside fact: {wrong}"


def test_company_iris_are_ascii_slugs(data):
    for c in set(data.subjects(RDF.type, CG.Company)):
        slug = str(c).rsplit("/", 1)[-1]
        assert slug.isascii() and slug == slug.lower() and " " not in slug, f"bad slug {c}"


def test_tier_and_xiangshang_statements_have_supporting_evidence(data):
    missing = []
    for prop in (CG.tier, CG.xiangshang):
        for firm in set(data.subjects(prop, None)):
            supported = any(
                (ev, CG.supportsProperty, prop) in data for ev in data.objects(firm, CG.evidence)
            )
            if not supported:
                missing.append(f"{firm} {prop}")
    assert not missing, "tier/湘商 without cg:supportsProperty evidence:\n" + "\n".join(missing)


@pytest.mark.parametrize("cls", list(SHORTCUTS), ids=lambda c: str(c).rsplit("#", 1)[-1])
def test_shortcuts_match_nary_nodes(data, cls):
    subj_role, obj_role, shortcut = SHORTCUTS[cls]
    from_nodes = set()
    for node in set(data.subjects(RDF.type, cls)):
        s = _one(data, node, subj_role)
        o = _one(data, node, obj_role)
        from_nodes.add((s, o))
    companies = set(data.subjects(RDF.type, CG.Company))
    # cg:inSegment is also used on products; only a company's inSegment needs a SegmentLink
    shortcuts = {(s, o) for s, o in data.subject_objects(shortcut) if s in companies}
    assert from_nodes - shortcuts == set(), f"{cls} without {shortcut}: {sorted(from_nodes - shortcuts)}"
    assert shortcuts - from_nodes == set(), f"{shortcut} without {cls}: {sorted(shortcuts - from_nodes)}"


def test_each_company_has_exactly_one_zh_label(data):
    bad = []
    for c in set(data.subjects(RDF.type, CG.Company)):
        zh = [l for l in data.objects(c, RDFS.label) if isinstance(l, Literal) and l.language == "zh"]
        if len(zh) != 1:
            bad.append(f"{c}: {zh}")
    assert not bad, "\n".join(bad)


def test_no_name_shared_by_two_companies(data):
    owners = defaultdict(set)
    for c in set(data.subjects(RDF.type, CG.Company)):
        for p in (RDFS.label, CG.fullName, CG.shortName):
            for name in data.objects(c, p):
                if isinstance(name, Literal) and name.language in (None, "zh"):
                    owners[normalize(str(name)).text].add(c)
    shared = {n: sorted(map(str, cs)) for n, cs in owners.items() if len(cs) > 1}
    assert not shared, f"names used by more than one company: {shared}"


def test_full_names_are_simplified(data):
    bad = []
    for c, name in data.subject_objects(CG.fullName):
        if normalize(str(name)).text != str(name):
            bad.append(f"{c}: {name}")
    assert not bad, "cg:fullName not in normalised simplified script:\n" + "\n".join(bad)


CHAIN_CODES = {
    "ed": "electronic-devices", "eq": "equipment", "bm": "biomedicine", "nm": "new-materials",
    "ne": "new-energy", "lt": "light-textile", "ag": "agri-processing", "ei": "electronic-information",
}


def test_chains_and_segments_used_exist_in_templates(data):
    """Chains/segments used must be documented; once a chain's template exists, they must be in it."""
    templates = sorted(CHAINS.glob("*.ttl")) if CHAINS.is_dir() else []
    t = Graph()
    for path in templates:
        t.parse(path, format="turtle")
    segments = set(t.subjects(RDF.type, CG.Segment))
    chains = set(t.subjects(RDF.type, CG.IndustryChain))
    chain_ns = "https://w3id.org/chaingraph/id/chain/"
    seg_ns = "https://w3id.org/chaingraph/id/segment/"
    bad = []
    used_chains = set()
    for p in (CG.leadingChain, CG.characteristicChain, CG.aboutChain):
        used_chains |= set(data.objects(None, p))
    for c in used_chains:
        slug = str(c)[len(chain_ns):] if str(c).startswith(chain_ns) else None
        if slug not in CHAIN_CODES.values():
            bad.append(f"unknown chain {c}")
        elif templates and c not in chains and (CHAINS / f"{slug}.ttl").exists():
            bad.append(f"chain {c} not declared in its template")
    for s in set(data.objects(None, CG.inSegment)) | set(data.objects(None, CG.segment)):
        slug = str(s)[len(seg_ns):] if str(s).startswith(seg_ns) else ""
        code = slug.split("-", 1)[0]
        if code not in CHAIN_CODES:
            bad.append(f"segment {s} has no known chain code")
        elif (CHAINS / f"{CHAIN_CODES[code]}.ttl").exists() and s not in segments:
            bad.append(f"segment {s} is not in ontology/chains/{CHAIN_CODES[code]}.ttl")
    assert not bad, "\n".join(sorted(bad))
