"""The project's RDF namespaces: one place for every term.

``CG`` is a closed namespace: ``CG.Compnay`` raises ``AttributeError`` instead of minting a
typo IRI.  ``tests/test_namespaces.py`` checks that these terms and ``ontology/chaingraph.ttl``
declare the same set.
"""

from rdflib import Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, DCTERMS, PROV, ClosedNamespace

BASE = "https://w3id.org/chaingraph/"

CG_TERMS = (
    "AboveScale", "Capacity", "ChainLeader", "China500", "Company", "Downstream", "Employees",
    "Evidence", "ExtendChain", "Figure", "FillGap", "FirmCount", "FloorArea", "Fortune500",
    "HighTech", "IndustryChain", "IndustryCode", "InferredFromName", "Introduced",
    "InvestmentAmount", "Landed", "LeadStage", "LeaderPull", "Listed", "LittleGiant",
    "MarketRank", "Metric", "Midstream", "NationalLevel", "OtherMetric", "OutputValue", "Park",
    "ParkLevel", "PeerReferral", "Place", "PlanningIntent", "PlanningStatement", "Product",
    "Project", "ProjectCount", "ProvincialLevel", "RecruitmentLead", "Referral",
    "ReferralKind", "ReferralShareMetric", "Relation", "Relocation", "ReportedCount",
    "ReportedShare", "Revenue", "Segment", "SegmentBasis", "SegmentLink", "Signed", "Source",
    "SpecializedSME", "Stage", "StatedForGroup", "StatedLack", "StatedProduct", "StatedSegment",
    "StrengthenChain", "Supply", "TaxPaid", "Tier", "Upstream", "Visit", "Visited", "about",
    "aboutChain", "basis", "chain", "characteristicChain", "city", "confidence", "count",
    "customer", "date", "end", "evidence", "feeds", "fileName", "firm", "fromPlace",
    "fullName", "granularity", "inRegion", "inSegment", "industryCode", "industryNote",
    "intent", "leadStage", "leaderExpected", "leadingChain", "makes", "metric", "order",
    "origin", "park", "parkLevel", "partOf", "population", "product", "productTerm", "quote",
    "referee", "referralKind", "referred", "referrer", "revenueShare", "script", "segment",
    "sha256", "share", "shortName", "source", "stage", "start", "stockCode", "supplier",
    "supplies", "supportsProperty", "target", "tier", "toPark", "topic", "unit", "value",
    "visitedBy", "visitor", "visitorNote", "xiangshang", "year",
    # segment matching vocabulary and weak (business-scope) evidence (#15)
    "BusinessScope", "excludeTerm", "processTerm",
    # evidence for segment statuses (#14)
    "Claim", "ClaimCapability", "ClaimCluster", "ClaimLeading", "ClaimPresent", "ClaimSigned",
    "ClaimUnderConstruction", "SegmentStatement", "claim", "feedsAcross", "hostPark", "wholePopulation",
    # firm A set up or invested in firm B, from articles (#19)
    "Investment", "investor", "investee", "invested",
    # another name a firm reports the same revenue line under (#15 follow-up)
    "sameRevenueLineAs",
    # an equipment maker's line named after the activity it equips (target fit)
    "EquipmentForSegment",
    # two chain templates' segments naming the same activity: their statuses share evidence (trust)
    "sameActivityAs", "includesActivityOf",
)

CG = ClosedNamespace("https://w3id.org/chaingraph/ns#", CG_TERMS)

# Instance data
COMPANY = Namespace(BASE + "id/company/")
PARK = Namespace(BASE + "id/park/")
PLACE = Namespace(BASE + "id/place/")
CHAIN = Namespace(BASE + "id/chain/")
SEGMENT = Namespace(BASE + "id/segment/")
PRODUCT = Namespace(BASE + "id/product/")
SOURCE = Namespace(BASE + "id/source/")
FACT = Namespace(BASE + "id/fact/")

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

PREFIXES = {
    "cg": str(CG),
    "company": str(COMPANY),
    "park": str(PARK),
    "place": str(PLACE),
    "chain": str(CHAIN),
    "seg": str(SEGMENT),
    "product": str(PRODUCT),
    "src": str(SOURCE),
    "fact": str(FACT),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
}


def sparql_prologue() -> str:
    """``PREFIX`` lines for every project prefix, to prepend to user queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def turtle_prologue() -> str:
    """``@prefix`` lines for every project prefix, for Turtle written inline (examples, tests)."""
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib graph (for readable serialisation)."""
    for p, iri in PREFIXES.items():
        graph.bind(p, iri, override=True)
