"""The planners' interactive chain map (全景图谱): a pure view builder and a pyvis page writer.

* :func:`build_view` — graph (or analysis context) in, plain ``{"nodes", "edges", "meta"}`` out:
  positions, styles and every card the page shows, computed in Python and testable without a
  browser.
* :func:`write_page` — one self-contained, offline HTML file (pyvis 0.3.2, vis-network inlined,
  no network requests) with hover cards, details panel, search, filters, legend and on-demand
  expansion of large graphs.
"""

from chaingraph.viz.styles import EDGE_STYLES, STATUS_COLORS
from chaingraph.viz.view import build_view
from chaingraph.viz.page import page_html, write_page

__all__ = ["build_view", "write_page", "page_html", "EDGE_STYLES", "STATUS_COLORS"]
