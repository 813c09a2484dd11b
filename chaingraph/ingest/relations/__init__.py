"""Relation phrasing: referrals, supply ties, investments, relocations, visits, projects, and
the per-firm facts stated in the same sentences (products, tiers, figures, park membership).

Rules work sentence by sentence over the resolved firm mentions of
:func:`chaingraph.ingest.extract.extract`; the evidence of a fact is the shortest stretch
of the sentence that holds its trigger word and the firms it joins.  One module per kind of
fact (:mod:`.referral`, :mod:`.supply`, :mod:`.investment`, :mod:`.relocation`, :mod:`.visit`,
:mod:`.firm_facts`); :mod:`.context` holds what they share.  A new rule goes into its kind's
module and into the order of :func:`find_facts`.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from chaingraph.ingest.model import Firm, Relation, Resolved
from chaingraph.ingest.relations.context import Article, Sentence
from chaingraph.ingest.relations.firm_facts import firm_facts
from chaingraph.ingest.relations.investment import investment_phrases, projects
from chaingraph.ingest.relations.placement import mark_elsewhere
from chaingraph.ingest.relations.referral import introductions, passive_referrals, referral_phrases, referral_verbs
from chaingraph.ingest.relations.relocation import founded_elsewhere, relocations
from chaingraph.ingest.relations.supply import supply_phrases, supply_triggers
from chaingraph.ingest.relations.visit import meetings, visits
from chaingraph.normalize import Normalized

__all__ = ["find_facts"]

#: The rules run on a sentence that names a firm, in this order.  The order matters: the first
#: rule to find a (type, source, target) gives its evidence, and a visit read before the
#: per-firm facts keeps a visited firm out of the park.
RULES = (
    referral_verbs, passive_referrals, introductions,
    supply_triggers, supply_phrases, referral_phrases, investment_phrases,
    relocations, founded_elsewhere,
    visits, meetings,
    projects,
    firm_facts,
)
#: A sentence that names no firm may still move one (他将工厂从X迁到了Y).
RULES_WITHOUT_FIRMS = (relocations, founded_elsewhere)


def find_facts(
    norm: Normalized,
    resolved: list[Resolved],
    firms: list[Firm],
    *,
    park: str | None,
    product_terms: Mapping[str, str | Sequence[str]],
) -> list[Relation]:
    """Find relations and per-firm facts; fills ``in_park``, ``origin``, ``products``,
    ``tiers`` and ``figures`` of ``firms`` in place and returns the relations.

    Parameters
    ----------
    norm : chaingraph.normalize.Normalized
        The article's normalised text.
    resolved : list of Resolved
        Every firm mention resolved to its firm, in text order.
    firms : list of Firm
        The article's firms (changed in place).
    park : str, optional
        The park the article is about (a visit's source, a project's park).
    product_terms : mapping
        Product term → segment IRI(s).
    """
    doc = Article(norm, resolved, {f.key: f for f in firms}, park, product_terms)
    sents = [doc.sentence(i) for i in range(len(doc.spans))]
    for s in sents:  # a firm placed in another park anywhere is kept out of the focal park
        mark_elsewhere(doc, s)
    for s in sents:
        for rule in (RULES if s.mentions else RULES_WITHOUT_FIRMS):
            rule(doc, s)
    if park and doc.about_park:  # an article about the park: its firms are in it unless it says otherwise
        customers = {r.target for r in doc.relations if r.type == "supply"} - {r.source for r in doc.relations if r.type == "supply"}
        for f in firms:
            if not doc.visit_only.get(f.key) and f.key not in doc.elsewhere and f.key not in customers:
                f.in_park = True
    return doc.relations
