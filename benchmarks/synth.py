"""Synthetic province graphs on the bundled chain templates (deterministic with a seed).

``write_province(path, firms)`` writes one province: cities, parks (one per ~2,000 firms, at
least 6), products, and firms in parks with segments, tiers and evidence (30 % make a
product, with a ``cg:SegmentLink`` naming it, its revenue share and evidence, as ``pool
build`` writes); supply ties (2 per firm) and referral ties (1 per 5 firms) whose endpoints
follow a power law (a few hub firms take most ties, like chain leaders).  ``write_pool(path, candidates)`` writes a candidate
pool outside the province (segments Zipf-distributed, 10 % listed).  Output is N-Triples
(a subset of Turtle, so the files load as ``.ttl``), streamed to disk.

    python benchmarks/synth.py --firms 10000 --pool 100000 out/
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

B = "https://w3id.org/chaingraph/"
CG = B + "ns#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD_INT = "<http://www.w3.org/2001/XMLSchema#integer>"


def cg(term: str) -> str:
    return f"<{CG}{term}>"


def iri(kind: str, slug: str) -> str:
    return f"<{B}id/{kind}/{slug}>"


def zh(text: str) -> str:
    return f'"{text}"@zh'


def template_segments() -> list[tuple[str, str]]:
    """``[(segment IRI, chain IRI)]`` of the bundled chain templates, sorted."""
    import pyoxigraph as ox

    from chaingraph.store import ontology_files

    st = ox.Store()
    for f in ontology_files():
        st.load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=f.resolve().as_uri())
    rows = st.query(f"SELECT ?s ?c WHERE {{ ?s a <{CG}Segment> ; <{CG}chain> ?c }}")
    return sorted((r["s"].value, r["c"].value) for r in rows)


class _Writer:
    def __init__(self, path: Path):
        self.fh = open(path, "w", encoding="utf-8", buffering=1 << 20)
        self.triples = 0
        self.bnode = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.fh.write(f"{s} {p} {o} .\n")
        self.triples += 1

    def evidence(self, subject: str, source: str, quote: str, start: int) -> None:
        self.bnode += 1
        e = f"_:e{self.bnode}"
        self.t(subject, cg("evidence"), e)
        self.t(e, RDF_TYPE, cg("Evidence"))
        self.t(e, cg("source"), source)
        self.t(e, cg("quote"), zh(quote))
        self.t(e, cg("start"), f'"{start}"^^{XSD_INT}')

    def close(self) -> int:
        self.fh.close()
        return self.triples


def _power(rng: random.Random, n: int, skew: float = 2.5) -> int:
    """An index in [0, n) with a power-law preference for small indices (hubs)."""
    return min(n - 1, int(n * rng.random() ** skew))


def write_province(path: Path, firms: int, *, seed: int = 7, province: str = "synth") -> dict:
    """One province of ``firms`` firms; returns counts and the busiest park/segment."""
    rng = random.Random(seed)
    segs = template_segments()
    w = _Writer(Path(path))
    src = iri("source", f"{province}-registry")
    w.t(src, RDF_TYPE, cg("Source"))
    w.t(src, "<http://purl.org/dc/terms/title>", zh("合成企业名录"))
    prov = iri("place", f"{province}-province")
    w.t(prov, RDF_TYPE, cg("Place"))
    w.t(prov, LABEL, zh("合成省"))
    cities = [iri("place", f"{province}-city-{k}") for k in range(14)]
    for k, c in enumerate(cities):
        w.t(c, RDF_TYPE, cg("Place"))
        w.t(c, LABEL, zh(f"合成市{k}"))
        w.t(c, cg("partOf"), prov)
    n_parks = max(6, firms // 2000)
    chains = sorted({c for _, c in segs})
    parks = []
    for j in range(n_parks):
        p = iri("park", f"{province}-park-{j}")
        parks.append(p)
        w.t(p, RDF_TYPE, cg("Park"))
        w.t(p, LABEL, zh(f"合成园区{j}"))
        w.t(p, cg("city"), cities[j % len(cities)])
        w.t(p, cg("leadingChain"), f"<{chains[j % len(chains)]}>")
        w.evidence(p, src, f"合成园区{j}", j)
    products = []
    for k, (s, _) in enumerate(segs):
        prod = iri("product", f"{province}-product-{k}")
        products.append(prod)
        w.t(prod, RDF_TYPE, cg("Product"))
        w.t(prod, LABEL, zh(f"合成产品{k}"))
        w.t(prod, cg("inSegment"), f"<{s}>")
    company = [iri("company", f"{province}-{i}") for i in range(firms)]
    links: list[tuple[int, str, int]] = []  # (firm number, firm, segment) of the firms making a product
    tiers = [(0.01, "ChainLeader"), (0.06, "HighTech"), (0.10, "SpecializedSME")]
    for i, f in enumerate(company):
        park = parks[_power(rng, n_parks, 1.5)]
        k = _power(rng, len(segs), 1.7)
        w.t(f, RDF_TYPE, cg("Company"))
        w.t(f, LABEL, zh(f"合成企业{i}"))
        w.t(f, cg("fullName"), zh(f"湖南合成{i}科技有限公司"))
        w.t(f, cg("park"), park)
        w.t(f, cg("city"), cities[parks.index(park) % len(cities)])
        w.t(f, cg("inSegment"), f"<{segs[k][0]}>")
        if rng.random() < 0.3:
            w.t(f, cg("makes"), products[k])
            links.append((i, f, k))
        x = rng.random()
        for limit, tier in tiers:
            if x < limit:
                w.t(f, cg("tier"), cg(tier))
                break
        w.evidence(f, src, f"湖南合成{i}科技有限公司", i * 20)
    for k in range(2 * firms):
        a, b = company[rng.randrange(firms)], company[_power(rng, firms)]
        if a == b:
            continue
        fact = iri("fact", f"{province}-supply-{k}")
        w.t(fact, RDF_TYPE, cg("Supply"))
        w.t(fact, cg("supplier"), a)
        w.t(fact, cg("customer"), b)
        w.t(a, cg("supplies"), b)
        w.evidence(fact, src, "供货", k)
    for k in range(firms // 5):
        a, b = company[_power(rng, firms)], company[rng.randrange(firms)]
        if a == b:
            continue
        fact = iri("fact", f"{province}-referral-{k}")
        w.t(fact, RDF_TYPE, cg("Referral"))
        w.t(fact, cg("referrer"), a)
        w.t(fact, cg("referee"), b)
        w.t(fact, cg("referralKind"), cg("LeaderPull" if rng.random() < 0.3 else "PeerReferral"))
        w.t(a, cg("referred"), b)
        w.evidence(fact, src, "以商引商", k)
    # the product line behind a firm's segment, as `pool build` and `import` write it (a second
    # random stream: the firms and ties above stay those of earlier runs)
    share_rng = random.Random(seed + 1)
    for i, f, k in links:
        fact = iri("fact", f"{province}-seglink-{i}")
        w.t(fact, RDF_TYPE, cg("SegmentLink"))
        w.t(fact, cg("firm"), f)
        w.t(fact, cg("segment"), f"<{segs[k][0]}>")
        w.t(fact, cg("basis"), cg("StatedProduct"))
        w.t(fact, cg("product"), products[k])
        share = f"0.{share_rng.randrange(1, 10000):04d}".rstrip("0")  # canonical: the store keeps it as written
        w.t(fact, cg("revenueShare"), f'"{share}"^^<http://www.w3.org/2001/XMLSchema#decimal>')
        w.evidence(fact, src, f"合成产品{k}", i * 20 + 10)
    triples = w.close()
    return {"firms": firms, "parks": n_parks, "triples": triples, "park_label": "合成园区0",
            "segment": segs[0][0], "segment_links": len(links)}


def write_pool(path: Path, candidates: int, *, seed: int = 11, province: str = "synth") -> dict:
    """``candidates`` firms outside the province, each with a segment, a city and evidence."""
    rng = random.Random(seed)
    segs = template_segments()
    w = _Writer(Path(path))
    src = iri("source", f"{province}-pool")
    w.t(src, RDF_TYPE, cg("Source"))
    w.t(src, "<http://purl.org/dc/terms/title>", zh("合成候选库"))
    cities = [iri("place", f"{province}-ext-{k}") for k in range(300)]
    for k, c in enumerate(cities):
        w.t(c, RDF_TYPE, cg("Place"))
        w.t(c, LABEL, zh(f"外省市{k}"))
    for i in range(candidates):
        f = iri("company", f"{province}-cand-{i}")
        k = _power(rng, len(segs), 1.7)
        w.t(f, RDF_TYPE, cg("Company"))
        w.t(f, LABEL, zh(f"候选企业{i}"))
        w.t(f, cg("city"), cities[_power(rng, len(cities), 1.5)])
        w.t(f, cg("inSegment"), f"<{segs[k][0]}>")
        if rng.random() < 0.1:
            w.t(f, cg("tier"), cg("Listed"))
        w.evidence(f, src, f"候选企业{i}", i)
    return {"candidates": candidates, "triples": w.close()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--firms", type=int, default=1000)
    ap.add_argument("--pool", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    print(write_province(a.out / "province.ttl", a.firms, seed=a.seed))
    if a.pool:
        print(write_pool(a.out / "pool.ttl", a.pool, seed=a.seed + 4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
