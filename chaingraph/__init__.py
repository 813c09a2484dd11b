"""chaingraph: an investment-attraction (招商引资) knowledge graph of industry chains.

The package is laid out in the order its imports flow (``tests/test_imports.py`` keeps it so):

* :mod:`chaingraph.cli` — the ``chaingraph`` command (the only click code);
* :mod:`chaingraph.viz`, :mod:`chaingraph.render`, :mod:`chaingraph.excel`,
  :mod:`chaingraph.target_list` — the map, tables and Excel lists people read;
* :mod:`chaingraph.analysis` (gaps, targets, risk, matchmaking, referrals),
  :mod:`chaingraph.ingest` (articles), :mod:`chaingraph.pool` (candidate pools),
  :mod:`chaingraph.company`, :mod:`chaingraph.stats`, :mod:`chaingraph.validate`;
* :mod:`chaingraph.project` — RDF onto plain data and NetworkX graphs;
* :mod:`chaingraph.store` — where triples live and how queries run (the one place that knows
  the backend);
* :mod:`chaingraph.namespaces`, :mod:`chaingraph.defaults`, :mod:`chaingraph.lookup`,
  :mod:`chaingraph.normalize`, :mod:`chaingraph.errors` — terms, defaults, names, text.

The README's "Where things go" says where a new backend, analysis, data source or chain goes.
"""
