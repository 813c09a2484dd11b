"""Candidate pools: the ChainKnowledgeGraph refdata converter and the user's list imports.

Both write Turtle into the user data folder (``$CHAINGRAPH_HOME/data``), atomically, where
:mod:`chaingraph.store` loads it beside the bundled graph.  A converter for another outside data
set or export goes here too.

Modules, each importing only those above it:

* :mod:`~chaingraph.pool.regions` — province and city of a firm (name prefix, list columns).
* :mod:`~chaingraph.pool.matching` — product names onto segments through the templates' terms.
* :mod:`~chaingraph.pool.turtle` — the Turtle text they all write (literals, places, segment
  links, products) and the atomic file write.
* :mod:`~chaingraph.pool.firmlist` — what the two list imports share: name index of the graph's
  firms, checked rows, the source/evidence/firm blocks, the output file.
* :mod:`~chaingraph.pool.chainkg_turtle`, :mod:`~chaingraph.pool.chainkg` — the refdata pool
  (``chaingraph pool build``): converted rows and their Turtle.
* :mod:`~chaingraph.pool.csv_import` — the English-column CSV list (``chaingraph import``).
* :mod:`~chaingraph.pool.enterprise` — an enterprise-information export (企查查, 天眼查 …).
"""
