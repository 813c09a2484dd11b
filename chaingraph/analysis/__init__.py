"""Chain analysis: graph in, plain data out (no file reading, no printing).

Start with :func:`~chaingraph.analysis.context.build_context`; then
:func:`~chaingraph.analysis.panorama.panorama`, :func:`~chaingraph.analysis.gaps.find_gaps`,
:func:`~chaingraph.analysis.risk.break_risk`, :func:`~chaingraph.analysis.match.matchmaking`
and :func:`~chaingraph.analysis.referrals.referral_network`.

A new analysis goes in a module of its own here: an
:class:`~chaingraph.analysis.context.AnalysisContext` in, plain data out, with a runnable example
on :func:`~chaingraph.analysis.context.example_graph`.  What it reads from the graph comes through
the context (:mod:`~chaingraph.analysis.source`, :mod:`chaingraph.project`), never from a
particular backend.
"""
