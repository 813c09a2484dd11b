"""Candidate pools: the ChainKnowledgeGraph refdata converter and the user's CSV imports.

Both write Turtle into the user data folder (``$CHAINGRAPH_HOME/data``), atomically, where
:mod:`chaingraph.store` loads it beside the bundled graph.  A converter for another outside data
set or export goes here too.
"""
