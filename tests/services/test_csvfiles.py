"""CSV for spreadsheets: BOM, semicolons, and no formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from perr_desktop.services import csvfiles


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\",\"clic\")", "'=HYPERLINK(\"http://x\",\"clic\")"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("-3", "-3"), ("-2,5", "-2,5"), (-3, "-3"), (2.5, "2.5"),
    ("Hélène Garnier", "Hélène Garnier"), (None, ""), (True, "1"),
])
def test_cells_a_spreadsheet_would_run_are_neutralised(value, written):
    assert csvfiles.safe_cell(value) == written


def test_file_has_bom_semicolons_and_round_trips(tmp_path):
    path = tmp_path / "export.csv"
    csvfiles.write(path, ["nom", "note"], [["L'Étang des Moines", "a; b"], ["=1+1", "ok"]])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["nom", "note"], ["L'Étang des Moines", "a; b"], ["'=1+1", "ok"]]
    assert not list(tmp_path.glob("*.partial"))
