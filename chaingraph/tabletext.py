"""A plain-text table drawn character for character as rich draws it, at a fraction of the cost.

:func:`chaingraph.render.to_table` draws tables with rich (a ``Table`` of ``Text`` cells, heavy
head box, one space of padding, no colour).  For a table of a few hundred rows rich spends most
of its time in per-cell machinery (``Padding``, ``Segment`` lists, measuring every cell through
``Measurement.get``): 0.3-0.4 s for the 220-row ``targets`` table.  This module computes the
same thing directly:

* column widths: each cell measured as ``Text.__rich_measure__`` does (longest word, longest
  line), passed through the same ``Measurement`` steps as rich's ``Padding`` and
  ``Table._measure_column``, then rich's own ``Table._collapse_widths`` and ``ratio_reduce`` when
  the table is too wide;
* cells: a one-line cell that fits is padded; anything else is wrapped by rich's own
  ``Text.wrap`` with the options rich passes (so folding, CJK widths and ellipses are rich's);
* rows, borders, title and caption: the box's own rows, header cells aligned to the bottom and
  body cells to the top, title and caption rendered by the console as rich renders them.

:func:`draw` returns ``None`` for a table outside the case it reproduces (no rows, a column
narrower than its padding); the caller then draws with rich.  ``tests/test_tabletext.py``
checks the output equals rich's on the bundled tables, the candidate pool and edge cases
(CJK, long unbroken names, bracketed text, tabs, newlines, narrow widths).
"""

from __future__ import annotations

import io
from typing import Sequence


def draw(headers: Sequence[str], rows: Sequence[Sequence[str]], *, width: int, no_wrap: Sequence[bool],
         min_widths: Sequence[int | None], title: str | None = None, caption: str | None = None) -> str | None:
    """The text rich prints for ``Table(title=title, caption=caption, header_style="bold")`` with one
    column per header (``no_wrap`` and ``min_width`` as given, ``overflow="fold"`` for the others),
    one ``Text`` cell per value, on a colourless ``Console(width=width)``; None when not reproduced.

    >>> print(draw(["代码", "产品"], [["002579.SZ", "很长的产品名称" * 3]], width=30,
    ...            no_wrap=[True, False], min_widths=[9, None]), end="")
    ┏━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┓
    ┃ 代码      ┃ 产品           ┃
    ┡━━━━━━━━━━━╇━━━━━━━━━━━━━━━━┩
    │ 002579.SZ │ 很长的产品名称 │
    │           │ 很长的产品名称 │
    │           │ 很长的产品名称 │
    └───────────┴────────────────┘
    """
    if not rows or not headers:
        return None
    from rich import box
    from rich.cells import cell_len, set_cell_size
    from rich.console import Console
    from rich.control import strip_control_codes
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    try:  # rich's own width reduction (private names: a rich without them draws the table itself)
        from rich._ratio import ratio_reduce
        collapse_widths = Table._collapse_widths
    except (ImportError, AttributeError):
        return None

    n = len(headers)
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    # the options Console.print hands the table (print(table) with every argument left at None)
    options = console.options.update(justify=None, overflow=None, height=None, no_wrap=None, markup=None,
                                     highlight=None)
    head = [console.render_str(h, markup=options.markup, highlight=False) for h in headers]
    body = [[strip_control_codes(v) for v in r] for r in rows]  # what Text(v) keeps
    columns = [[h.plain, *(r[i] for r in body)] for i, h in enumerate(head)]

    measured: dict[str, tuple[int, int]] = {}  # a table repeats many values (a third are distinct)

    def text_range(s: str) -> tuple[int, int]:  # Text.__rich_measure__
        found = measured.get(s)
        if found is None:
            lines = s.splitlines()
            longest = max(cell_len(line) for line in lines) if lines else 0
            words = s.split()
            found = measured[s] = (max(cell_len(w) for w in words) if words else longest), longest
        return found

    ranges = [[text_range(s) for s in col] for col in columns]

    def get(m: Measurement, limit: int) -> Measurement:  # the tail of Measurement.get
        m = m.normalize().with_maximum(limit)
        return Measurement(0, 0) if m.maximum < 1 else m.normalize()

    def measure_column(i: int, limit: int) -> Measurement:  # Table._measure_column, padding (0, 1)
        if limit < 1:
            return Measurement(0, 0)
        cache: dict[tuple[int, int], Measurement] = {}
        lo = hi = None
        for r in ranges[i]:
            m = cache.get(r)
            if m is None:  # Measurement.get of Padding(Text, (0, 1)) within ``limit``
                if limit - 2 < 1:
                    inner = Measurement(limit, limit)
                else:
                    a, b = get(Measurement(*r), limit)
                    inner = Measurement(a + 2, b + 2).with_maximum(limit)
                m = cache[r] = get(inner, limit)
            lo = m.minimum if lo is None else max(lo, m.minimum)
            hi = m.maximum if hi is None else max(hi, m.maximum)
        measurement = Measurement(lo, hi).with_maximum(limit)
        return measurement.clamp(None if min_widths[i] is None else min_widths[i] + 2, None)

    extra = 2 + n - 1  # the box's edges and dividers
    limit = width - extra  # Table._calculate_column_widths (no expand, no table min_width)
    widths = [measure_column(i, limit).maximum or 1 for i in range(n)]
    if sum(widths) > limit:
        widths = collapse_widths(widths, [not nw for nw in no_wrap], limit)
        if sum(widths) > limit:
            widths = ratio_reduce(sum(widths) - limit, [1] * n, widths, widths)
        widths = [measure_column(i, w).maximum or 0 for i, w in enumerate(widths)]
    if min(widths) < 3:  # no room inside the padding: let rich handle it
        return None
    table_width = sum(widths) + extra

    drawn: dict[tuple[str, int], list[str]] = {}

    def body_cell(s: str, i: int) -> list[str]:
        found = drawn.get((s, i))
        if found is None:
            found = drawn[s, i] = cell(s, i)
        return found  # shared by equal cells: never changed in place

    def cell(s: str | Text, i: int) -> list[str]:
        """The lines of one padded cell (what Padding(Text) renders in a column of widths[i])."""
        inner = widths[i] - 2
        plain = s if isinstance(s, str) else s.plain
        if "\n" not in plain and "\t" not in plain:
            size = cell_len(plain)
            if size <= inner:
                return [f" {plain}{' ' * (inner - size)} "]
        text = Text(s) if isinstance(s, str) else s
        lines = text.wrap(console, inner, justify="left", overflow="ellipsis" if no_wrap[i] else "fold",
                          tab_size=console.tab_size or 8, no_wrap=no_wrap[i])
        return [f" {set_cell_size(line.plain, inner)} " for line in lines]

    b = box.HEAVY_HEAD.substitute(options, safe=console.safe_box)
    out: list[str] = []
    render_options = options.update(width=table_width, highlight=False, height=None)

    def annotation(text: str, style: str) -> None:  # Table.__rich_console__'s render_annotation
        rendered = console.render_str(text, style=style, highlight=False)
        out.append("".join(seg.text for seg in console.render(rendered, render_options.update(justify="center"))))

    if title:
        annotation(title, "table.title")
    out.append(b.get_top(widths) + "\n")
    blank = [" " * w for w in widths]

    def emit(cells: list[list[str]], left: str, divider: str, right: str, bottom_align: bool) -> None:
        height = max(len(c) for c in cells)
        for i, c in enumerate(cells):
            if len(c) < height:
                fill = [blank[i]] * (height - len(c))
                cells[i] = fill + c if bottom_align else c + fill
        for line in zip(*cells):
            out.append(f"{left}{divider.join(line)}{right}\n")

    emit([cell(h, i) for i, h in enumerate(head)], b.head_left, b.head_vertical, b.head_right, True)
    out.append(b.get_row(widths, "head", edge=True) + "\n")
    last = len(body) - 1
    for k, r in enumerate(body):
        if k < last:
            emit([body_cell(s, i) for i, s in enumerate(r)], b.mid_left, b.mid_vertical, b.mid_right, False)
        else:
            emit([body_cell(s, i) for i, s in enumerate(r)], b.foot_left, b.foot_vertical, b.foot_right, False)
    out.append(b.get_bottom(widths) + "\n")
    if caption:
        annotation(caption, "table.caption")
    text = "".join(out)
    if table_width > width or title or caption:  # Console.print crops every line to the console
        lines = text.split("\n")
        text = "\n".join(set_cell_size(line, width) if cell_len(line) > width else line for line in lines)
    return text
