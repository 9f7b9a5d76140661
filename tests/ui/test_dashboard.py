"""Journey 6, the annual bilan: the « Tableau de bord » shows the figures of
services/indicators for the chosen councils, period and part of the PERR, the « Vue PERR »
shows what was done for each objective, and the page exports tables and prints the annual
report.

The data is the hand-counted dataset of tests/services/test_indicators.py (two councils,
ten meetings, three walks; « today » is 2026-03-01)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys
import types

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel

from perr_desktop import i18n
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, ngettext, pgettext
from perr_desktop.services import councils, exports, followups, indicators, meetings, reference
from perr_desktop.services.indicators import Filters
from perr_desktop.storage.database import open_database
from perr_desktop.ui import dashboard
from perr_desktop.ui.dashboard import AnnualReportDialog, DashboardPage, ExportDialog
from perr_desktop.ui.pdf_preview import PdfPreview
from perr_desktop.ui.perr_view import NOTHING_DONE_COLOR, PerrTreeModel
from tests.services.test_indicators import TODAY, build_dataset
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    calls_on_gui_thread,
    choose,
    ok_button,
    show,
)
from tests.ui.test_keyboard_accessibility import unnamed_controls, visible_controls

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("dashboard") / "perr.sqlite"
    return path, build_dataset(path)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(dashboard, "_today", lambda: TODAY)
    monkeypatch.setattr(followups, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def data(dataset, tmp_path):
    """A copy of the dataset for each test (exports and navigation may write)."""
    path, ids = dataset
    copy = tmp_path / "dashboard.sqlite"
    shutil.copy(path, copy)
    db = open_database(copy)
    yield db, ids
    db.close()


@pytest.fixture
def window(make_window, data):
    db, _ids = data
    window = make_window(db)
    window.go_to(window.pages.index(window.dashboard))
    assert window.current_page() is window.dashboard
    return window


@pytest.fixture
def page(window) -> DashboardPage:
    window.dashboard.reader.wait()
    return window.dashboard


def set_period(page: DashboardPage, *args, **kwargs) -> None:
    """Choose the period, then wait for its figures (computed in the background)."""
    page.set_period(*args, **kwargs)
    page.reader.wait()


def figures(db, filters: Filters) -> dict:
    return indicators.compute(db, filters, TODAY)


def pct(value):
    return "—" if value is None else i18n.format_percent(value)


def num(value):
    return i18n.format_number(value)


def tile_values(page: DashboardPage) -> dict[str, str]:
    return {key: tile.value_text() for key, tile in page.tiles.items()}


def expected_tiles(f: dict) -> dict[str, str]:
    people, members, actions = f["participants"], f["members"], f["actions"]
    observations = f["observations"]
    return {
        "held": num(f["meetings"]["held"]), "participants": num(people["total"]),
        "distinct": num(people["distinct"]), "women": pct(people["women_share"]),
        "young": pct(people["under_25_share"]), "residents": pct(people["residents_share"]),
        "newcomers": num(people["newcomers"]), "attendance": pct(members["attendance_rate"]),
        "actions": num(actions["opened"]), "open_actions": num(actions["open_at_end"]),
        "walks": num(f["walks"]["held"]), "observations": num(observations["total"]),
        "resolved": num(observations["resolved"]),
        "perr": num(f["perr"]["objectives_covered"]),
    }


def shows(page: DashboardPage, db, filters: Filters) -> dict:
    """The page shows exactly the figures of ``compute`` for ``filters`` (once its
    background read has answered)."""
    page.reader.wait()
    expected = figures(db, filters)
    assert page.figures == expected
    assert tile_values(page) == expected_tiles(expected)
    assert not page.empty.isVisible()
    return expected


def tick(page: DashboardPage, council_id: str) -> None:
    """Tick a council in the councils menu, as a click on it does."""
    page.councils.council_actions[council_id].trigger()


# -- the figures -------------------------------------------------------------------------

def test_the_figures_follow_every_filter(qtbot, data, page):
    db, ids = data
    choose(qtbot, page.year, 2025)
    f = shows(page, db, Filters.year(2025))
    # Hand-counted in test_indicators: 5 meetings, 58 % … are what is on screen.
    assert page.tiles["held"].value_text() == "5"
    assert f["participants"]["women_share"] is not None
    assert page.tiles["held"].accessibleName() == f"{_('Meetings held')}: 5"

    tick(page, ids["A"])
    assert page.councils.text() == "Ma Campagne"
    shows(page, db, Filters.year(2025, [ids["A"]]))
    tick(page, ids["B"])
    assert page.councils.selected() == (ids["B"], ids["A"])  # in the menu's (name) order
    shows(page, db, Filters.year(2025, [ids["B"], ids["A"]]))

    choose(qtbot, page.period_kind, dashboard.QUARTER)
    assert page.quarter.isVisible() and not page.start.isVisible()
    choose(qtbot, page.quarter, 4)
    shows(page, db, Filters.quarter(2025, 4, [ids["B"], ids["A"]]))

    choose(qtbot, page.objective, "R3")
    shows(page, db, Filters.quarter(2025, 4, [ids["B"], ids["A"]], objective_code="R3"))
    assert "R3" in page.summary.text()

    choose(qtbot, page.objective, None)
    choose(qtbot, page.period_kind, dashboard.DATES)
    assert page.start.isVisible() and not page.year.isVisible()
    page.start.setDate(QDate(2025, 3, 1))
    page.end.setDate(QDate(2025, 6, 30))   # the last day is included
    shows(page, db, Filters.between(dt.date(2025, 3, 1), dt.date(2025, 7, 1),
                                    [ids["B"], ids["A"]]))

    page.councils.all_action.trigger()
    assert page.councils.selected() is None
    assert page.councils.text() == _("All councils")
    shows(page, db, Filters.between(dt.date(2025, 3, 1), dt.date(2025, 7, 1)))


def test_tiles_explain_themselves_and_say_their_detail(qtbot, data, page):
    db, _ids = data
    set_period(page, dashboard.YEAR, year=2025)
    f = figures(db, Filters.year(2025))
    assert page.tiles["women"].toolTip() == _(dashboard.EXPLAIN["women"])
    assert page.tiles["observations"].detail.text() == _(
        "%(positive)s strong points, %(negative)s weak points") % {
        "positive": num(f["observations"]["positive"]),
        "negative": num(f["observations"]["negative"])}
    assert page.tiles["perr"].detail.text() == _("of %(total)s objectives") % {
        "total": num(f["perr"]["objectives"])}
    assert pgettext("date range", "from %(start)s to %(end)s") % {
        "start": i18n.format_date(dt.date(2025, 1, 1)),
        "end": i18n.format_date(dt.date(2025, 12, 31))} in page.summary.text()
    # 2026 is not over on 1 March 2026: the summary says so.
    set_period(page, dashboard.YEAR, year=2026)
    assert i18n.format_date(TODAY) in page.summary.text()


def test_charts_show_labels_not_codes(qtbot, data, page):
    db, _ids = data
    set_period(page, dashboard.YEAR, year=2025)
    f = page.figures
    cards = page.cards
    kinds = reference.vocabulary_labels(db, "meeting_kind")
    assert set(cards["by_kind"].chart.data.categories) == {
        kinds[code] for code in f["meetings"]["by_kind"]}
    by_label = dict(zip(cards["by_kind"].chart.data.categories,
                        (v[0] for v in cards["by_kind"].chart.data.values), strict=True))
    assert by_label == {kinds[code]: n for code, n in f["meetings"]["by_kind"].items()}
    themes = reference.vocabulary_labels(db, "observation_theme")
    theme_chart = cards["themes"].chart.data
    assert _("No theme") in theme_chart.categories          # O5 has no theme
    assert themes["eclairage"] in theme_chart.categories
    row = theme_chart.categories.index(themes["eclairage"])
    assert theme_chart.values[row] == [f["observations"]["by_theme"]["eclairage"]["positive"],
                                       f["observations"]["by_theme"]["eclairage"]["negative"]]
    statuses = reference.vocabulary_labels(db, "followup_status")
    assert set(cards["followups"].chart.data.categories) == {
        statuses[code] for code in f["observations"]["by_status"]}
    bodies = reference.vocabulary_labels(db, "body")
    delays = cards["delays"].chart.data
    assert delays.categories == [bodies["ville"]]
    assert delays.values == [[f["observations"]["median_days_to_resolution_by_body"]["ville"]]]
    # No code anywhere in a chart's labels.
    codes = set(kinds) | set(themes) | set(statuses) | set(bodies) | {
        "femme", "homme", "non_precise", "a_faire", "en_cours", "fait", "abandonne",
        "16_25", "moins_16"}
    for key, card in cards.items():
        assert not codes & set(card.chart.data.categories), key
    # Twelve months in the line charts, the participants of each month adding up.
    month_chart = cards["participants_month"].chart.data
    assert len(month_chart.categories) == 12
    assert sum(v[0] for v in month_chart.values) == f["participants"]["total"]
    # Two councils: the attendance rate of each is drawn.
    assert cards["by_council"].isVisibleTo(page)
    assert len(cards["by_council"].chart.data.categories) == 2


def test_a_share_that_cannot_be_computed_is_a_dash(qtbot, db, settings):
    council = councils.create_council(db, "Champ de Manœuvre", status="actif")
    meetings.plan_meeting(db, council, "pleniere", "Plénière sans appel", "2025-05-12T18:00",
                          invite_members=False)
    page = show(qtbot, DashboardPage(db, settings))
    page.reader.wait()
    set_period(page, dashboard.YEAR, year=2025)
    assert page.tiles["held"].value_text() == "1"
    for key in ("women", "young", "residents", "attendance"):
        assert page.tiles[key].value_text() == "—", key
    assert page.tiles["participants"].value_text() == "0"
    # Charts without data say so in one sentence instead of drawing empty axes.
    gender = page.cards["gender"]
    assert gender.chart.is_empty()
    assert gender.chart.accessibleDescription() == _("No participant recorded in this period.")
    assert not gender.copy_button.isEnabled()


def test_a_period_without_anything_says_so(qtbot, data, page):
    set_period(page, dashboard.YEAR, year=2023)
    assert page.empty.isVisible()
    assert page.empty.text().startswith(_(
        "Nothing took place in this period for these councils: no meeting, no walking "
        "diagnostic, no action."))
    assert "2024, 2025, 2026" in page.empty.text()
    assert not page.tile_grid.isVisible()
    assert not any(card.isVisible() for card in page.cards.values())
    set_period(page, dashboard.YEAR, year=2025)
    assert not page.empty.isVisible() and page.tile_grid.isVisible()


def test_no_council_yet(qtbot, db, settings):
    page = show(qtbot, DashboardPage(db, settings))
    page.reader.wait()
    assert page.empty.isVisible()
    assert page.empty.text() == _(
        "No council yet: create the councils on the Councils page, then plan their "
        "meetings; their figures appear here.")


def test_dates_the_wrong_way_round_are_refused_in_one_sentence(qtbot, data, page):
    set_period(page, dashboard.DATES, start=dt.date(2025, 6, 1), end=dt.date(2025, 5, 1))
    assert page.banner.isVisible()
    assert page.banner.text() == _("The last day comes before the first day: change one "
                                   "of the dates.")
    assert page.figures is None
    set_period(page, dashboard.DATES, start=dt.date(2025, 1, 1), end=dt.date(2025, 5, 1))
    assert not page.banner.isVisible() and page.figures is not None


def test_every_control_is_named(qtbot, data, page):
    set_period(page, dashboard.YEAR, year=2025)
    assert visible_controls(page) >= 3
    assert unnamed_controls(page) == []
    page.tabs.setCurrentWidget(page.perr)
    assert unnamed_controls(page) == []


def test_a_chart_of_the_dashboard_is_copied_and_saved(qtbot, data, page, monkeypatch,
                                                      tmp_path):
    set_period(page, dashboard.YEAR, year=2025)
    card = page.cards["themes"]
    page.scroll.ensureWidgetVisible(card)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(card.copy_button, LEFT)
    assert not QGuiApplication.clipboard().image().isNull()
    suggested = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, name, filters: suggested.append(name)
                        or (str(tmp_path / "themes.png"), filters))
    qtbot.mouseClick(card.save_button, LEFT)
    assert (tmp_path / "themes.png").read_bytes()[:4] == b"\x89PNG"
    # The image says what the figures are about under its title.
    assert card.chart.about() == " — ".join((
        _("All councils"), pgettext("date range", "from %(start)s to %(end)s") % {
            "start": i18n.format_date(dt.date(2025, 1, 1)),
            "end": i18n.format_date(dt.date(2025, 12, 31))}))
    # The suggested name says what, for whom and when.
    assert suggested[0].endswith(f"{_('Observations by theme')} — {_('all councils')} — "
                                 "2025.png")


# -- the Vue PERR ------------------------------------------------------------------------

def node_index(view, code: str):
    return view.proxy.mapFromSource(view.model.index_of(code))


def test_the_perr_view_marks_what_was_not_worked_on(qtbot, data, page, qtmodeltester):
    db, _ids = data
    set_period(page, dashboard.YEAR, year=2025)
    qtbot.mouseClick(page.tabs.tabBar(), LEFT,
                     pos=page.tabs.tabBar().tabRect(1).center())
    page.perr_reader.wait()                  # the tree is read in the background
    view = page.perr
    assert page.tabs.currentWidget() is view
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    nodes = {n["code"]: n for n in indicators.perr_view(db, Filters.year(2025), TODAY)}
    assert set(view.model.nodes) == set(nodes)

    model = view.model
    worked = model.index_of("R3.07")
    assert [model.index_of("R3.07", c).data() for c in range(1, 5)] == [
        num(nodes["R3.07"]["total_meetings"]), num(nodes["R3.07"]["total_agenda_items"]),
        num(nodes["R3.07"]["total_observations"]), ""]
    assert worked.data(Qt.ItemDataRole.ForegroundRole) is None
    nothing = model.index_of("R1.01", PerrTreeModel.MARK)
    assert nothing.data() == _("nothing this period")
    assert nothing.data(Qt.ItemDataRole.ForegroundRole).color().name() == NOTHING_DONE_COLOR
    assert model.index_of("R1.01").data(Qt.ItemDataRole.ForegroundRole).color().name() == \
        NOTHING_DONE_COLOR
    objectives = [n for n in nodes.values() if n["level"] in indicators.OBJECTIVE_LEVELS]
    assert view.coverage.text() == ngettext(
        "%(covered)s of %(total)s objective worked on in the period; where nothing "
        "was done, the line is greyed and says « nothing this period ».",
        "%(covered)s of %(total)s objectives worked on in the period; where nothing "
        "was done, the line is greyed and says « nothing this period ».",
        len(objectives)) % {"covered": num(sum(not n["nothing_done"] for n in objectives)),
                            "total": num(len(objectives))}

    # « Seulement les objectifs sans action »: only those, under their pillar and theme.
    view.only_nothing.click()
    shown = []

    def walk(parent):
        for row in range(view.proxy.rowCount(parent)):
            index = view.proxy.index(row, 0, parent)
            shown.append(index.data(PerrTreeModel.CodeRole))
            walk(index)

    walk(view.tree.rootIndex())
    leaves = [c for c in shown if nodes[c]["level"] in indicators.OBJECTIVE_LEVELS]
    assert "R1.01" in leaves and "R3.07" not in leaves and "R3.01" not in leaves
    assert all(nodes[c]["nothing_done"] for c in leaves)
    assert {"R", "R3"} <= set(shown)
    qtmodeltester.check(view.proxy)
    # The selected objective has nothing: the right side says so.
    assert nodes[view.current_code()]["nothing_done"]
    assert view.nothing_hint.isVisible() and not view.detail.isVisible()
    view.only_nothing.click()
    assert node_index(view, "R3.07").isValid()


def test_the_perr_view_lists_what_was_done_and_opens_it(qtbot, data, window, page):
    _db, ids = data
    set_period(page, dashboard.YEAR, year=2025)
    page.tabs.setCurrentWidget(page.perr)
    page.perr_reader.wait()
    view = page.perr
    view.select("R3")
    assert view.current_code() == "R3"
    rows = [view.detail_model.record(r) for r in range(view.detail_model.rowCount())]
    # By date: M1; O1 and O3 (walk of 20 May); M3 and its item (R3.01); M4 and its item
    # (R3.05).
    assert [r["what"] for r in rows] == [
        _("Meeting"), _("Observation"), _("Observation"), _("Meeting"), _("Agenda item"),
        _("Meeting"), _("Agenda item")]
    assert [rows[n].get("meeting_id") for n in (0, 3, 4, 5, 6)] == [
        ids["M1"], ids["M3"], ids["M3"], ids["M4"], ids["M4"]]
    assert [rows[n]["observation_id"] for n in (1, 2)] == [ids["O1"], ids["O3"]]
    assert rows[4]["text"] == _("%(item)s — at « %(meeting)s »") % {
        "item": "Le projet urbain", "meeting": "Séance M3"}
    assert view.detail_model.index(0, 0).data() == i18n.format_date(dt.date(2025, 1, 15),
                                                                    "short")

    def double_click(row: int) -> None:
        index = view.detail_model.index(row, 2)
        view.detail.scrollTo(index)
        # A real double-click is a click, then a second press reported as double.
        centre = view.detail.visualRect(index).center()
        qtbot.mouseClick(view.detail.viewport(), LEFT, pos=centre)
        qtbot.mouseDClick(view.detail.viewport(), LEFT, pos=centre)

    double_click(3)   # M3, the inter-council meeting
    assert window.current_page() is window.meetings
    assert window.meetings.detail.meeting_id == ids["M3"]

    window.go_to(window.pages.index(page))
    page.tabs.setCurrentWidget(page.perr)
    assert view.current_code() == "R3"          # kept across the visit
    double_click(1)   # O1, on the walk WA
    assert window.current_page() is window.walks
    detail = window.walks.detail
    assert detail.walk_id == ids["WA"]
    assert detail.tabs.currentWidget() is detail.observations
    assert detail.observations._current()["id"] == ids["O1"]


# -- exports -------------------------------------------------------------------------------

def fill_export(what: str, council_id: str | None = None, year: int | None = None,
                anonymize: bool = True):
    def handler(dialog: ExportDialog) -> None:
        dialog.what.setCurrentIndex(dialog.what.findData(what))
        dialog.council.setCurrentIndex(dialog.council.findData(council_id))
        dialog.year.setCurrentIndex(dialog.year.findData(year))
        dialog.anonymize.setChecked(anonymize)
        ok_button(dialog).click()
    return handler


def save_to(monkeypatch, path, asked: list | None = None) -> None:
    def answer(parent, title, suggested, filters):
        if asked is not None:
            asked.append((title, suggested, filters))
        return str(path), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)


def test_export_attendance_anonymised_for_one_council(qtbot, data, window, page, modals,
                                                      monkeypatch, tmp_path):
    db, ids = data
    tick(page, ids["A"])
    set_period(page, dashboard.YEAR, year=2025)
    asked = []

    def check_and_fill(dialog: ExportDialog) -> None:
        # The dashboard's council and year are proposed.
        assert dialog.council.currentData() == ids["A"]
        assert dialog.year.currentData() == 2025
        assert dialog.anonymize.isChecked()
        fill_export("attendance", ids["A"], 2025)(dialog)

    modals.expect(check_and_fill, ExportDialog)
    save_to(monkeypatch, tmp_path / "presences", asked)
    qtbot.mouseClick(page.export_button, LEFT)
    written = tmp_path / "presences.csv"
    text = written.read_text(encoding="utf-8-sig")
    assert "Participant " in text
    assert "Alice" not in text and "example.org" not in text
    assert written.read_bytes() == exports.csv_bytes(db, "attendance", council_id=ids["A"],
                                                     year=2025, anonymize=True)
    assert asked[0][2] == _("CSV table (*.csv)")
    assert "Ma Campagne" in asked[0][1] and "2025" in asked[0][1]
    assert str(written) in window.statusBar().currentMessage()


def test_export_named_attendance_and_the_geojson_from_the_file_menu(
        qtbot, data, window, modals, monkeypatch, tmp_path):
    db, _ids = data
    modals.expect(fill_export("attendance", None, None, anonymize=False), ExportDialog)
    save_to(monkeypatch, tmp_path / "all.csv")
    (action,) = [a for a in window.menuBar().actions()[0].menu().actions()
                 if a.text() == _("E&xport…")]
    action.trigger()
    assert "Alice" in (tmp_path / "all.csv").read_text(encoding="utf-8-sig")

    modals.expect(fill_export("geojson"), ExportDialog)
    save_to(monkeypatch, tmp_path / "observations")
    action.trigger()
    collection = json.loads((tmp_path / "observations.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(exports.geojson(db)["features"]) > 0


def test_a_failed_export_is_one_sentence(qtbot, data, page, modals, monkeypatch, tmp_path):
    modals.expect(fill_export("meetings"), ExportDialog)
    target = tmp_path / "no such folder" / "meetings.csv"
    save_to(monkeypatch, target)
    qtbot.mouseClick(page.export_button, LEFT)
    assert not target.exists()
    (_kind, _title, text), = [m for m in modals.messages if m[0] == "warning"]
    assert "\n" not in text and str(target) in text


def test_cancelling_an_export_writes_nothing(qtbot, data, page, modals, tmp_path):
    modals.expect(lambda dialog: dialog.reject(), ExportDialog)
    qtbot.mouseClick(page.export_button, LEFT)
    modals.expect(fill_export("meetings"), ExportDialog)
    qtbot.mouseClick(page.export_button, LEFT)   # the file dialog answers Cancel
    assert ("save", "", "") in modals.messages
    assert not list(tmp_path.glob("*.csv"))


# -- the annual report ---------------------------------------------------------------------

def tiny_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


@pytest.fixture
def annual(monkeypatch):
    """A stand-in for reports/annual.py: records what it is asked for."""
    calls = []
    module = types.ModuleType("perr_desktop.reports.annual")

    def build_annual_report(db, council_ids, year, lang, *, today=None):
        assert today == TODAY   # the dashboard's day: the same « has taken place »
        calls.append((council_ids, year, lang))
        if year == 1999:
            raise UserError("Rien à imprimer pour 1999.")
        return tiny_pdf(f"Bilan {year}")

    module.build_annual_report = build_annual_report
    monkeypatch.setitem(sys.modules, "perr_desktop.reports.annual", module)
    return calls


def test_the_annual_report_for_the_chosen_councils(qtbot, data, page, modals, annual):
    _db, ids = data
    tick(page, ids["A"])
    set_period(page, dashboard.YEAR, year=2025)
    previews = []

    def options(dialog: AnnualReportDialog) -> None:
        assert dialog.year.currentData() == 2025
        # The councils are said as they are named.
        assert "Ma Campagne" in [label.text() for label in dialog.findChildren(QLabel)]
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        ok_button(dialog).click()

    modals.expect(options, AnnualReportDialog)
    modals.expect(lambda preview: previews.append(preview), PdfPreview)
    qtbot.mouseClick(page.report_button, LEFT)
    assert annual == [([ids["A"]], 2025, "en")]
    (preview,) = previews
    assert preview.windowTitle() == _("Annual report %(year)d") % {"year": 2025}
    assert preview.suggested_name.endswith(".pdf") and "Ma Campagne" in preview.suggested_name


def test_the_annual_report_for_every_council_and_a_refusal(qtbot, data, page, modals,
                                                           annual):
    set_period(page, dashboard.YEAR, year=2025)
    modals.expect(lambda d: ok_button(d).click(), AnnualReportDialog)
    modals.expect(lambda preview: None, PdfPreview)
    qtbot.mouseClick(page.report_button, LEFT)
    assert annual[-1] == (None, 2025, i18n.get_language())

    def year_1999(dialog: AnnualReportDialog) -> None:
        dialog.year.addItem("1999", 1999)
        dialog.year.setCurrentIndex(dialog.year.findData(1999))
        ok_button(dialog).click()

    modals.expect(year_1999, AnnualReportDialog)
    qtbot.mouseClick(page.report_button, LEFT)
    assert ("warning", _("PERR Desktop"), "Rien à imprimer pour 1999.") in modals.messages


def test_the_export_dialog_says_what_each_table_holds(qtbot, data):
    db, ids = data
    dialog = ExportDialog(db, ids["B"], 2025, [2026, 2025, 2024])
    show(qtbot, dialog, 600, 300)
    assert dialog.council.currentData() == ids["B"] and dialog.year.currentData() == 2025
    for code, _label, help_text in dashboard.EXPORTS:
        dialog.what.setCurrentIndex(dialog.what.findData(code))
        assert dialog.help.text() == _(help_text)
        # Only the attendance table holds names: the choice to anonymise is there only.
        assert dialog.anonymize.isVisible() == (code == "attendance")
        # The map takes every year: it says so rather than show a year it ignores.
        if code == "geojson":
            assert not dialog.year.isEnabled() and dialog.year.currentData() is None
        else:
            assert dialog.year.isEnabled() and dialog.year.currentData() == 2025
    dialog.what.setCurrentIndex(dialog.what.findData("meetings"))
    assert dialog.year.isEnabled() and dialog.year.currentData() == 2025   # given back
    assert unnamed_controls(dialog) == []


# A popup menu on the offscreen platform: it cannot raise itself or grab the keyboard, and
# says so in these exact messages (and only them).
@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$",
                           r"^This plugin does not support raise\(\)$",
                           r"^This plugin does not support grabbing the keyboard$")
def test_councils_are_ticked_in_a_menu_that_stays_open(qtbot, data, page):
    db, ids = data
    menu = page.councils.menu_
    menu.popup(page.councils.mapToGlobal(page.councils.rect().bottomLeft()))
    qtbot.waitExposed(menu)
    action = page.councils.council_actions[ids["A"]]
    menu.setActiveAction(action)
    qtbot.keyClick(menu, Qt.Key.Key_Space)
    # Ticked, the figures shown once read, and the menu still open for another council.
    assert action.isChecked() and menu.isVisible()
    page.reader.wait()
    assert page.figures == figures(db, page.current_filters())
    assert page.current_filters().council_ids == (ids["A"],)
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(page.councils.all_action).center())
    assert page.councils.selected() is None and menu.isVisible()
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    assert not menu.isVisible()


# -- off the GUI thread ------------------------------------------------------------------

def test_the_figures_are_computed_off_the_gui_thread_and_only_when_needed(
        qtbot, data, window, page, monkeypatch):
    """Ten years of data take a tenth of a second to count: the window never waits for
    it, and coming back to the page with nothing changed counts nothing again."""
    db, ids = data
    on_gui_thread = calls_on_gui_thread(monkeypatch, indicators, "compute")
    set_period(page, dashboard.YEAR, year=2025)
    assert on_gui_thread == [False]
    window.go_to(0)
    window.go_to(window.pages.index(window.dashboard))
    page.reader.wait()
    assert on_gui_thread == [False]                 # nothing changed: nothing counted
    meetings.plan_meeting(db, ids["A"], "pleniere", "Plénière de juin", "2025-06-12T18:00",
                          invite_members=False)
    window.go_to(0)
    window.go_to(window.pages.index(window.dashboard))
    assert page.summary.text() == _("Computing the figures…")
    page.reader.wait()
    assert on_gui_thread == [False, False]          # a meeting more: counted again
    shows(page, db, Filters.year(2025))


def test_only_the_figures_of_the_last_change_are_shown(qtbot, data, page, monkeypatch):
    """Two changes in a row: the answer to the first, arriving last, is dropped."""
    import threading

    from perr_desktop.ui.worker import wait_for_readers

    db, _ids = data
    release = threading.Event()
    real = indicators.compute

    def compute(db_, filters, today):
        if filters.start.year == 2025:      # the first change answers late
            release.wait(10)
        return real(db_, filters, today)

    monkeypatch.setattr(indicators, "compute", compute)
    page.set_period(dashboard.YEAR, year=2025)
    page.set_period(dashboard.YEAR, year=2024)
    page.reader.wait()                       # the second change's answer
    release.set()
    wait_for_readers()
    qtbot.wait(50)                           # the first answer delivered, and dropped
    shows(page, db, Filters.year(2024))
    assert "2024" in page.summary.text()


def test_figures_arriving_after_the_window_closed_its_database_are_dropped(
        qtbot, data, page, monkeypatch):
    """Opening the demonstration or restoring a backup closes the database while the
    page may still be counting: the late answer changes nothing and raises nothing."""
    import threading

    from perr_desktop.ui.worker import wait_for_readers

    db, _ids = data
    release = threading.Event()
    real = indicators.compute
    monkeypatch.setattr(indicators, "compute",
                        lambda *args: release.wait(10) and real(*args))
    shown = page.figures
    page.set_period(dashboard.YEAR, year=2024)   # not waited for: still counting
    db.close()
    release.set()
    wait_for_readers()
    qtbot.wait(50)                          # delivered: dropped, no exception raised
    assert page.figures is shown
