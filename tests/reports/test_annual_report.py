"""The annual report (bilan annuel), read back from the PDF: built on the demonstration
data for one council and for all, in French and in English; its figures are those of
``stats --json``; an empty year says so in a sentence; the charts are vector drawings."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess

import pypdf
import pytest

from perr_desktop.cli import main
from perr_desktop.errors import UserError
from perr_desktop.i18n import format_date, format_number, format_percent, translator
from perr_desktop.reports import annual, styles
from perr_desktop.reports.annual import build_annual_report
from perr_desktop.services import demo, indicators
from perr_desktop.storage.database import open_database

# The demonstration is built around this day (the rules refuse later dates); 2025 is a
# full year of it, with walks, follow-ups and actions; 2019 holds nothing.
TODAY = dt.date(2026, 6, 15)
YEAR, EMPTY_YEAR = 2025, 2019
NAMES = ["Basseau Grande-Garenne", "Bel-Air Grand Font", "Champ de Manœuvre",
         "L'Étang des Moines", "Ma Campagne"]
# Codes of the vocabularies that must never reach the page (their labels do).
CODES = ["pleniere", "cafe_citoyen", "fete_quartier", "a_transmettre", "pris_en_compte",
         "espaces_verts", "mobilier_urbain", "bailleur", "a_faire", "en_cours", "abandonne"]
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    """One demonstration database with its walks (slow to build: shared by the module),
    closed so that the command line can open it too."""
    path = tmp_path_factory.mktemp("annual") / "demo.sqlite"
    with open_database(path) as db:
        demo.populate(db, today=TODAY)
    return path


@pytest.fixture
def demo_db(demo_path):
    database = open_database(demo_path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def council_ids(demo_path):
    with open_database(demo_path) as db:
        return {row["name"]: row["id"] for row in db.query("SELECT id, name FROM councils")}


@pytest.fixture(scope="module")
def built(demo_path, council_ids):
    """The four documents of the year (one council, all councils; French, English)."""
    champ = council_ids["Champ de Manœuvre"]
    with open_database(demo_path) as db:
        return {(lang, who): build_annual_report(db, ids, YEAR, lang, today=TODAY)
                for lang in ("fr", "en")
                for who, ids in (("one", [champ]), ("all", None))}


# -- reading a PDF back ----------------------------------------------------------------

def pages_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [_plain(page.extract_text() or "") for page in reader.pages]


def text(data: bytes) -> str:
    return " ".join(" ".join(page.split()) for page in pages_text(data))


def _plain(value: str) -> str:
    # Babel's non-breaking spaces (« 55 % », « 1 234 ») read as plain spaces.
    return value.replace("\xa0", " ").replace("\u202f", " ")


def layout_lines(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [_plain(line) for line in out.splitlines()]


def printed(lines: list[str], label: str) -> str:
    """The value printed right of ``label`` in a table of figures (its first one)."""
    pattern = re.compile(r"^\s*" + re.escape(_plain(label)) + r"\s{2,}(\S.*?)\s*$")
    for line in lines:
        found = pattern.match(line)
        if found:
            return found.group(1)
    raise AssertionError(f"{label!r} is not printed")


def french(msgid: str) -> str:
    """The French of a new label, or a skip until the catalogue's owner has merged it."""
    catalog = translator("fr")._catalog
    if not catalog.get(msgid) and not catalog.get((msgid, 0)):
        pytest.skip(f"French catalogue not updated yet: {msgid!r}")
    return translator("fr").gettext(msgid)


# -- what the document says ------------------------------------------------------------

def test_one_council_in_french(built):
    words = text(built[("fr", "one")])
    gettext = translator("fr").gettext
    assert gettext("Annual report %(year)s") % {"year": YEAR} in words
    assert "Champ de Manœuvre" in words
    assert "Quartier prioritaire : Champ de Manœuvre (Soyaux)" in words
    assert "Séance plénière" in words               # a meeting kind, by its label
    assert "31 décembre 2025" in words              # dates written by Babel, in French
    assert "janv." in words and "déc." in words     # the months of the charts
    assert "Ville (commune)" in words or "Bailleur social" in words
    assert "Basseau Grande-Garenne" not in words    # another council's name
    for code in CODES:
        assert not re.search(rf"\b{code}\b", words), code


def test_one_council_french_wording(built):
    words = text(built[("fr", "one")])
    assert french("Annual report %(year)s") == "Bilan annuel %(year)s"
    assert f"Bilan annuel {YEAR}" in words
    assert french("1. Meetings and participation") in words
    assert french("How to read these figures") in words


def test_one_council_in_english(built):
    words = text(built[("en", "one")])
    assert f"Annual report {YEAR}" in words
    assert "Priority neighbourhood: Champ de Manœuvre (Soyaux)" in words
    assert "Plenary session" in words  # (« Séance plénière » may still be a title)
    assert "31 December 2025" in words
    assert "Meetings held" in words and "Share of women" in words
    assert "The PERR objectives worked on" in words
    for code in CODES:
        assert not re.search(rf"\b{code}\b", words), code


def test_all_councils_have_a_page_each(built, demo_db, council_ids):
    for lang in ("fr", "en"):
        pages = [" ".join(page.split()) for page in pages_text(built[(lang, "all")])]
        words = " ".join(pages)
        assert translator(lang).gettext("5. Council by council") in words
        for name in NAMES:
            # its own page, under its name: the one line naming its neighbourhood alone
            qpv = styles.neighbourhood_line(
                styles.council_neighbourhoods(demo_db, council_ids[name]), lang)
            own = [page for page in pages if qpv in page]
            assert len(own) == 1, (lang, name)
            assert name in own[0].split(qpv)[0]


def test_one_council_has_no_council_pages(built):
    words = text(built[("en", "one")])
    assert "5. Council by council" not in words


def test_an_empty_year_says_so_in_a_sentence(demo_db, council_ids):
    gettext = translator("fr").gettext
    data = build_annual_report(demo_db, None, EMPTY_YEAR, "fr", today=TODAY)
    pages = pages_text(data)
    assert len(pages) == 1
    sentence = gettext("No meeting, walking diagnostic or action was recorded for the "
                       "citizen councils in %(year)s.") % {"year": EMPTY_YEAR}
    assert " ".join(sentence.split()) in " ".join(pages[0].split())
    assert gettext("The year in figures") not in pages[0]
    assert "janv." not in pages[0]  # no chart
    one = build_annual_report(demo_db, [council_ids["Ma Campagne"]], EMPTY_YEAR, "en",
                              today=TODAY)
    assert ("No meeting, walking diagnostic or action was recorded for Ma Campagne in "
            f"{EMPTY_YEAR}.") in text(one)


def test_a_year_not_over_says_when_the_figures_were_taken(demo_db, council_ids):
    data = build_annual_report(demo_db, [council_ids["Ma Campagne"]], 2026, "en", today=TODAY)
    words = text(data)
    assert "15 June 2026 (the year is not over)" in words
    assert "The year is not over: the months to come are not shown." in words


# -- figures ---------------------------------------------------------------------------

def _expected(figures: dict, lang: str) -> dict[str, str]:
    """Label → value as the report must print them, from ``stats --json``'s figures."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext

    def number(value):
        if value is None:
            return "—"
        return format_number(round(value, 1) if isinstance(value, float) else value, lang)

    def percent(value):
        return "—" if value is None else format_percent(value, lang)

    def days(value):
        if value is None:
            return "—"
        n = int(value) if float(value).is_integer() else 2
        return ngettext("%(count)s day", "%(count)s days", n) % {"count": number(value)}

    people, members = figures["participants"], figures["members"]
    actions, observations = figures["actions"], figures["observations"]
    end_day = format_date(dt.date.fromisoformat(actions["end_day"]), "long", lang=lang)
    meeting_figures = {
        _("Meetings held"): number(figures["meetings"]["held"]),
        _("Participants (named people present and people counted)"): number(people["total"]),
        _("Average per meeting"): number(people["average_per_meeting"]),
        _("Different participants"): number(people["distinct"]),
        _("People counted without a name (public events)"): number(people["counted"]),
        _("People who came without being members"): number(people["walk_ins"]),
        _("Share of women"): percent(people["women_share"]),
        _("Share of under-25s"): percent(people["under_25_share"]),
        _("Share of residents"): percent(people["residents_share"]),
        _("Newcomers"): number(people["newcomers"]),
        _("Returning participants"): number(people["returning"]),
        _("Member attendance rate"): percent(members["attendance_rate"]),
    }
    followup_figures = {
        _("Observations resolved"): number(observations["resolved"]),
        _("Observations awaiting an answer"): number(observations["open"]),
        _("Follow-ups in progress"): number(observations["by_group"]["open"]),
        _("Follow-ups resolved"): number(observations["by_group"]["fixed"]),
        _("Follow-ups closed (redirected, refused, duplicate)"):
            number(observations["by_group"]["closed"]),
        _("Follow-ups to chase up"): number(observations["to_remind"]),
    }
    action_figures = {
        _("Actions decided during the year"): number(actions["opened"]),
        _("Actions closed during the year"): number(actions["closed"]),
        _("Actions still open on %(date)s") % {"date": end_day}: number(actions["open_at_end"]),
        _("Median age of the actions still open"):
            days(actions["median_age_days_open_at_end"]),
    }
    # Each table is printed when there is something to say.
    expected: dict[str, str] = {}
    if figures["meetings"]["held"]:
        expected |= meeting_figures
    if figures["walks"]["held"] and observations["followups"]:
        expected |= followup_figures
    if actions["opened"] or actions["closed"] or actions["open_at_end"]:
        expected |= action_figures
    return expected


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@needs_poppler
@pytest.mark.parametrize(("who", "lang"), [("one", "fr"), ("all", "en")])
def test_printed_figures_equal_stats_json(capsys, tmp_path, demo_path, council_ids, who,
                                          lang):
    council = council_ids["Champ de Manœuvre"] if who == "one" else "all"
    code, out, err = run(capsys, "stats", "--council", council, "--year", str(YEAR),
                         "--db", str(demo_path), "--json")
    assert code == 0, err
    figures = json.loads(out)
    pdf = tmp_path / "bilan.pdf"
    code, _out, err = run(capsys, "report", "annual", council, "--year", str(YEAR),
                          "--db", str(demo_path), "-o", str(pdf), "--lang", lang)
    assert code == 0, err
    lines = layout_lines(pdf.read_bytes(), tmp_path)
    expected = {label: _plain(value) for label, value in _expected(figures, lang).items()}
    assert {label: printed(lines, label) for label in expected} == expected
    perr = figures["perr"]
    tile = _plain(f"{format_number(perr['objectives_covered'], lang)} / "
                  f"{format_number(perr['objectives'], lang)}")
    assert any(tile in line for line in lines)
    assert figures["observations"]["total"] and figures["walks"]["held"]  # a real test


def test_the_report_uses_compute_as_it_is(monkeypatch, demo_db, council_ids):
    """Every figure comes from indicators.compute and perr_view, called for the year and
    the councils (and for each council when there are several), never recomputed."""
    calls = []
    real = indicators.compute

    def spy(db, filters, today=None):
        result = real(db, filters, today=today)
        calls.append((filters, result))
        return result

    monkeypatch.setattr(indicators, "compute", spy)
    build_annual_report(demo_db, None, YEAR, "fr", today=TODAY)
    wanted = [indicators.Filters.year(YEAR)] + [
        indicators.Filters.year(YEAR, [council_ids[name]]) for name in NAMES]
    assert [filters for filters, _result in calls] == wanted
    assert calls[0][1] == real(demo_db, indicators.Filters.year(YEAR), today=TODAY)


def test_undefined_shares_are_dashes_never_zero(demo_db, council_ids):
    doc = annual.AnnualDoc(demo_db, [council_ids["Ma Campagne"]], YEAR, "fr", TODAY)
    assert doc.percent(None) == "—"
    assert doc.percent(0.0) == format_percent(0.0, "fr")
    assert doc.number(None) == "—"
    assert doc.days(None) == "—"


# -- the PDF itself --------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_nothing_wrong(built, demo_db, tmp_path):
    documents = dict(built)
    documents[("fr", "empty")] = build_annual_report(demo_db, None, EMPTY_YEAR, "fr",
                                                     today=TODAY)
    for (lang, who), data in documents.items():
        path = tmp_path / f"{lang}-{who}.pdf"
        path.write_bytes(data)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True,
                                text=True)
        assert result.returncode == 0, (lang, who, result.stdout, result.stderr)


def test_charts_are_vector_and_fonts_embedded(built):
    for key, data in built.items():
        reader = pypdf.PdfReader(io.BytesIO(data))
        for number, page in enumerate(reader.pages, start=1):
            resources = page["/Resources"].get_object()
            for xobject in resources.get("/XObject", {}).values():
                kind = xobject.get_object().get("/Subtype")
                assert kind != "/Image", (key, number)  # no raster picture anywhere
            for font in resources.get("/Font", {}).values():
                font = font.get_object()
                assert "Liberation" in font["/BaseFont"], (key, font["/BaseFont"])
                assert "/FontFile2" in font["/FontDescriptor"].get_object()
        # The charts are drawn: the page of the monthly charts holds a rectangle per bar
        # and the lines of the grid and the curve, and its months are text (a picture of
        # a chart would have neither).
        lang = key[0]
        title = translator(lang).gettext("Meetings held, month by month")
        [page] = [page for page in reader.pages if title in (page.extract_text() or "")]
        content = page.get_contents().get_data()
        assert content.count(b" re f") >= 8 and content.count(b" l S") >= 10, key
        words = page.extract_text()
        assert ("janv." in words) if lang == "fr" else ("Jan" in words)


def test_pdf_properties(built):
    reader = pypdf.PdfReader(io.BytesIO(built[("en", "all")]))
    assert reader.metadata.title == f"Annual report {YEAR}"
    assert reader.metadata.author == "All citizen councils"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    reader = pypdf.PdfReader(io.BytesIO(built[("fr", "one")]))
    assert reader.metadata.author == "Champ de Manœuvre"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_pages_are_numbered_after_the_cover(built):
    pages = pages_text(built[("en", "one")])
    assert "Page 1 of" not in pages[0]
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


# -- refusals --------------------------------------------------------------------------

@pytest.mark.parametrize("year", [1800, 20250, 2999, True])
def test_a_year_that_is_not_one_is_refused(demo_db, year):
    with pytest.raises(UserError):
        build_annual_report(demo_db, None, year, "fr", today=TODAY)


def test_a_year_not_begun_is_refused(demo_db):
    with pytest.raises(UserError) as raised:
        build_annual_report(demo_db, None, 2027, "en", today=TODAY)
    assert "2027" in raised.value.message


def test_unknown_or_no_council_is_refused(demo_db, council_ids):
    with pytest.raises(UserError) as raised:
        build_annual_report(demo_db, [council_ids["Ma Campagne"], "no-such-council"], YEAR,
                            "fr", today=TODAY)
    assert "no-such-council" in raised.value.message
    with pytest.raises(UserError):
        build_annual_report(demo_db, [], YEAR, "fr", today=TODAY)
