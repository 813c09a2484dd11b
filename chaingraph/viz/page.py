"""Write the view as one self-contained, offline HTML page.

Jinja renders our own template with vis-network's JS and CSS inlined from pyvis 0.3.2's
bundled copy; pyvis' default template is not used because it pulls bootstrap and tom-select
from CDNs.  Nothing in the page is fetched: no CDN, no web fonts, a
``data:`` favicon.  The view goes in as JSON inside ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the page script shows every string with
``textContent`` (never ``innerHTML``); node titles are not handed to vis-network at all — the
hover card is our own DOM element.

The template, its CSS and its script are package data (``static/page.html``, ``page.css``,
``page.js``, shipped in the wheel through ``pyproject.toml``'s package-data) read with
:mod:`importlib.resources`.  The template's two ``include`` lines inline pyvis' own copy of
vis-network 9.1.2; ``@@…@@`` marks are replaced after rendering (so the script is never parsed as
a template).  The script builds every piece of text with ``textContent``.

Two views share one page: the poster (全景图谱, the first view: per chain, stage columns of
labelled segment boxes sized to fit the window, printable and exportable as SVG/PNG) and the
network (vis-network, fixed layered positions, no physics).  Cards open in a drawer on the right.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

DATA_MARK = "@@CHAINGRAPH_VIEW_JSON@@"


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """A file of the page kept in ``chaingraph/viz/static/`` (``page.html``, ``page.css``, ``page.js``).

    >>> asset("page.html").count("@@CHAINGRAPH_VIEW_JSON@@")
    1
    """
    return resources.files("chaingraph.viz").joinpath("static").joinpath(name).read_text(encoding="utf-8")


def safe_json(obj) -> str:
    """JSON that can sit inside ``<script>``: no ``</script>``, ``<!--``, U+2028/2029.

    >>> safe_json({"n": "</script><!--\\u2028"})
    '{"n":"\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u2028"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def vis_options(view: dict) -> dict:
    """vis-network options: positions computed in Python, no physics (no force layout), hover on."""
    big = view["meta"]["total_edges"] > 1500 or view["meta"]["total_nodes"] > 1500
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"face": FONT_FACE}},
        "edges": {"smooth": {"enabled": not big, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
                  "selectionWidth": 2},
    }


FONT_FACE = '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","Source Han Sans SC","WenQuanYi Micro Hei","SimHei",sans-serif'


def _vis_dir() -> str:
    """pyvis' template folder (its bundled vis-network), found without importing pyvis.network
    (which imports IPython: a second of start-up the page does not need)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        from chaingraph.errors import ChaingraphError

        raise ChaingraphError("pyvis is not installed (pip install pyvis==0.3.2); the map inlines its vis-network")
    return str(Path(list(spec.submodule_search_locations)[0]) / "templates")


def page_html(view: dict) -> str:
    """The page as a string: our template with pyvis' vis-network inlined, data spliced in."""
    from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

    env = Environment(loader=ChoiceLoader([DictLoader({"chaingraph.html": asset("page.html")}), FileSystemLoader(_vis_dir())]),
                      autoescape=False)
    # the heading is the one piece of data in the template: HTML-escaped, and its "@" written as
    # an entity so a park or chain label can never hold (and so move or duplicate) a page mark
    heading = html.escape(view["meta"].get("title") or "产业链全景图谱").replace("@", "&#64;")
    page = env.get_template("chaingraph.html").render(heading=heading, options=safe_json(vis_options(view)))
    if page.count(DATA_MARK) != 1:
        raise RuntimeError("page template must hold the data mark exactly once")
    # one pass over the page: text put in (CSS, JS, data) is never searched for marks again
    parts = {"@@CHAINGRAPH_CSS@@": asset("page.css"), "@@CHAINGRAPH_JS@@": asset("page.js"), DATA_MARK: None}
    return re.sub("|".join(re.escape(m) for m in parts),
                  lambda m: safe_json(view) if m.group(0) == DATA_MARK else parts[m.group(0)], page)


def write_page(view: dict, path) -> Path:
    """Write the view as a self-contained HTML page at ``path`` (UTF-8, atomically); returns the path."""
    from chaingraph.fileio import write_text_atomically

    return write_text_atomically(Path(path), page_html(view))
