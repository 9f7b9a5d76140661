"""CSV files for spreadsheets (Excel, LibreOffice): French-friendly and safe to open.

UTF-8 with a BOM (so Excel reads the accents), ``;`` between fields by default (the
separator French spreadsheets expect), and no cell that a spreadsheet would run as a
formula: a value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with an apostrophe (OWASP's advice against CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from perr_desktop.errors import user_errors
from perr_desktop.storage.files import write_atomically

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The text of a cell, neutralised if a spreadsheet would take it for a formula.
    Plain numbers (« -3 », « 2,5 ») are left alone: they are data, not formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def to_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ";"
             ) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]],
          delimiter: str = ";") -> None:
    """Write atomically: a temporary file beside ``path``, then renamed over it."""
    data = to_bytes(header, rows, delimiter)
    with user_errors(path):
        write_atomically(path, data)
