"""The command line's contract for the annual report: `report annual COUNCIL_ID|all
--year YYYY -o FILE.pdf [--lang fr|en]`, its figures equal to `stats --json`'s, and its
refusals (one line on stderr, exit 1 or 2, no file written)."""

from __future__ import annotations

import json
import shutil

import pytest

from perr_desktop.i18n import translator
from perr_desktop.storage.database import open_database
from tests.reports.test_annual_report import _expected, _plain, layout_lines, printed, text
from tests.reports.test_meeting_reports import make_plenary
from tests.test_cli import assert_one_line_error, run

YEAR = 2026  # the plénières of make_plenary: 22 October and 26 November 2026


@pytest.fixture
def saved(db_path):
    """A council with two plénières (its neighbour invited to one), in a closed database."""
    with open_database(db_path) as db:
        ids = make_plenary(db)
    return {"db": str(db_path), **ids}


def annual(capsys, saved, council: str, output, *more: str) -> tuple[int, str, str]:
    return run(capsys, "report", "annual", council, "--year", str(YEAR), "--db", saved["db"],
               "-o", str(output), *more)


def nothing_written(folder) -> bool:
    return not any(path.suffix in (".pdf", ".partial") or path.name.startswith(".")
                   for path in folder.iterdir())


def test_annual_report_of_one_council(capsys, saved, tmp_path):
    out = tmp_path / "bilan.pdf"
    code, stdout, err = annual(capsys, saved, saved["council"], out)
    assert (code, err) == (0, "")
    assert str(out) in stdout
    words = text(out.read_bytes())
    assert translator("fr").gettext("Annual report %(year)s") % {"year": YEAR} in words
    assert "Champ de Manœuvre" in words and "Séance plénière" in words


def test_annual_report_of_every_council_in_english(capsys, saved, tmp_path):
    out = tmp_path / "annual.pdf"
    code, _out, err = annual(capsys, saved, "all", out, "--lang", "en")
    assert (code, err) == (0, "")
    words = text(out.read_bytes())
    assert f"Annual report {YEAR}" in words and "All citizen councils" in words
    assert "Champ de Manœuvre" in words and "L'Étang des Moines" in words
    assert "Plenary session" in words


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
@pytest.mark.parametrize("who", ["council", "etang", "all"])
def test_printed_figures_equal_stats_json(capsys, saved, tmp_path, who):
    council = saved.get(who, "all")
    code, out, err = run(capsys, "stats", "--council", council, "--year", str(YEAR), "--db",
                         saved["db"], "--json")
    assert code == 0, err
    figures = json.loads(out)
    pdf = tmp_path / "bilan.pdf"
    code, _out, err = annual(capsys, saved, council, pdf)
    assert code == 0, err
    lines = layout_lines(pdf.read_bytes(), tmp_path)
    expected = {label: _plain(value) for label, value in _expected(figures, "fr").items()}
    assert len(expected) > 10
    assert {label: printed(lines, label) for label in expected} == expected


def test_an_undefined_share_is_a_dash(capsys, saved, tmp_path):
    # L'Étang des Moines was invited to a plénière but has no member: no attendance rate.
    pdf = tmp_path / "etang.pdf"
    code, _out, err = annual(capsys, saved, saved["etang"], pdf)
    assert code == 0, err
    label = translator("fr").gettext("Member attendance rate")
    assert printed(layout_lines(pdf.read_bytes(), tmp_path), label) == "—"


@pytest.mark.parametrize(("council", "year", "words"), [
    ("00000000-0000-4000-8000-000000000000", "2026", "00000000-0000-4000-8000-000000000000"),
    ("all", "20250", "20250"),
    ("all", "1850", "1850"),
    ("all", "2100", "2100"),   # a year that has not begun
])
def test_refusals_exit_1_and_write_nothing(capsys, saved, tmp_path, council, year, words):
    out = tmp_path / "bilan.pdf"
    code, _stdout, err = run(capsys, "report", "annual", council, "--year", year, "--db",
                            saved["db"], "-o", str(out))
    assert code == 1
    assert_one_line_error(err)
    assert words in err
    assert nothing_written(tmp_path)


def test_unwritable_output_exits_1(capsys, saved, tmp_path):
    code, _out, err = annual(capsys, saved, "all", tmp_path / "absent" / "bilan.pdf")
    assert code == 1
    assert_one_line_error(err)
    assert not (tmp_path / "absent").exists()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _out, err = annual(capsys, saved, "all", folder)
    assert code == 1
    assert_one_line_error(err)
    assert list(folder.iterdir()) == [] and nothing_written(tmp_path)


def test_year_is_required_and_only_for_the_annual_report(capsys, saved, tmp_path):
    out = tmp_path / "x.pdf"
    code, _out, err = run(capsys, "report", "annual", "all", "--db", saved["db"], "-o",
                          str(out))
    assert code == 2 and "--year" in err
    assert_one_line_error(err)
    code, _out, err = run(capsys, "report", "minutes", saved["meeting"], "--year", "2026",
                          "--db", saved["db"], "-o", str(out))
    assert code == 2 and "--year" in err
    assert not out.exists()
