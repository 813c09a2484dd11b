"""Chain analysis: graph in, plain data out (no file reading, no printing).

Start with :func:`~chaingraph.analysis.context.build_context`; then
:func:`~chaingraph.analysis.panorama.panorama`, :func:`~chaingraph.analysis.gaps.find_gaps`,
:func:`~chaingraph.analysis.risk.break_risk`, :func:`~chaingraph.analysis.match.matchmaking`
and :func:`~chaingraph.analysis.referrals.referral_network`.
"""
