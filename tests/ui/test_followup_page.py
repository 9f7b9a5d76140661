"""Journey 5, following up for six months: the « Suivi » list across walks, its filters,
« À relancer », and a follow-up's history of steps added and taken back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication

from perr_desktop.i18n import _, ngettext
from perr_desktop.services import councils, followups, reference, walks
from perr_desktop.ui.followup import FollowupPage, StepDialog, first_line, next_status
from perr_desktop.ui.widgets import short_date
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    calls_on_gui_thread,
    choose,
    click_destructive,
    click_row,
    key_text,
    ok_button,
    show,
)
from tests.ui.meetings_fixtures import dump, show_dialog
from tests.ui.test_keyboard_accessibility import unnamed_controls, visible_controls

pytestmark = OFFSCREEN_SIZE_HINTS

TODAY = dt.date(2026, 5, 4)
FOLLOWUP_TABLES = ("followups", "followup_steps")


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def followup_of(db, observation_id: str, body: str) -> str:
    walk_id = db.scalar("SELECT walk_id FROM observations WHERE id = ?", (observation_id,))
    (row,) = [f for f in followups.for_walk(db, walk_id)[observation_id] if f["body"] == body]
    return row["id"]


def journey_five(db) -> dict[str, str]:
    """Two councils' walks, four months on: the follow-ups of journey 5 (the city
    « programmé » with a reminder gone by, the landlord « pris en compte » with a reminder
    to come, a pavement « hors compétence – réorienté », dumping sent 40 days ago and left
    unanswered), plus some not sent yet, one resolved, and an older walk elsewhere."""
    bgg = councils.create_council(db, "Basseau Grande-Garenne", status="actif")
    mac = councils.create_council(db, "Ma Campagne", status="actif")
    night = walks.create_walk(db, bgg, "Diagnostic de nuit", "2026-01-22", "nuit", "20:30")
    stop = {name: walks.add_stop(db, night, name) for name in (
        "Rue de Basseau, n° 12", "Résidence Les Rochers, hall B", "Arrêt de bus Chénier",
        "Place Victor-Hugo")}

    def observe(walk: str, stop_id: str | None, theme: str, text: str, bodies: list[str],
                **fields: Any) -> str:
        return walks.add_observation(db, walk, bodies, stop_id=stop_id, theme=theme,
                                     description=text, **fields)

    lamp = observe(night, stop["Rue de Basseau, n° 12"], "eclairage",
                   "Lampadaire éteint depuis 3 semaines devant le n° 12", ["ville"],
                   priority=1, proposal="Remplacer l'ampoule et vérifier le câblage.")
    door = observe(night, stop["Résidence Les Rochers, hall B"], "logement",
                   "Porte du hall B cassée : elle ne ferme plus", ["bailleur"], priority=1)
    pavement = observe(night, stop["Arrêt de bus Chénier"], "voirie",
                       "Trottoir défoncé devant l'arrêt de bus", ["ville"], priority=2)
    dumping = observe(night, stop["Place Victor-Hugo"], "proprete",
                      "Dépôts sauvages près des containers", ["agglomeration"], priority=2)
    observe(night, stop["Place Victor-Hugo"], "espaces_verts",
            "Jardin partagé bien entretenu", [], positive=True)
    porch = observe(night, stop["Résidence Les Rochers, hall B"], "securite",
                    "Coin sombre sous le porche, on n'y voit rien", ["ville", "bailleur"])
    blinking = observe(night, stop["Arrêt de bus Chénier"], "eclairage",
                       "Lampadaire qui clignote", ["ville"], priority=3)
    summer = walks.create_walk(db, mac, "Diagnostic de l'été", "2025-06-12")
    cars = observe(summer, None, "stationnement", "Voitures ventouses sur le parking",
                   ["police_municipale"])

    ids = {"lamp": followup_of(db, lamp, "ville"), "door": followup_of(db, door, "bailleur"),
           "pavement": followup_of(db, pavement, "ville"),
           "dumping": followup_of(db, dumping, "agglomeration"),
           "porch_city": followup_of(db, porch, "ville"),
           "porch_landlord": followup_of(db, porch, "bailleur"),
           "blinking": followup_of(db, blinking, "ville"),
           "cars": followup_of(db, cars, "police_municipale"),
           "bgg": bgg, "mac": mac, "night": night, "summer": summer}
    step = followups.add_step
    step(db, ids["lamp"], "transmis", "2026-01-26", "courrier", "Dossier Ville envoyé.")
    step(db, ids["lamp"], "programme", "2026-02-20", "reponse_ecrite",
         "Remplacement programmé pour mars.", next_reminder_on="2026-03-31")
    step(db, ids["door"], "transmis", "2026-01-26", "mail")
    step(db, ids["door"], "pris_en_compte", "2026-02-10", "reunion_gup",
         "Devis demandé au serrurier.", next_reminder_on="2026-06-15")
    step(db, ids["pavement"], "transmis", "2026-01-26", "courrier")
    step(db, ids["pavement"], "reoriente", "2026-02-12", "reponse_ecrite",
         "Voirie départementale : réorienté vers le Département.",
         next_reminder_on="2026-03-01")
    step(db, ids["dumping"], "transmis", days_ago(40), "mail")
    step(db, ids["blinking"], "transmis", "2026-01-26", "courrier")
    step(db, ids["blinking"], "resolu", "2026-03-02", "reunion_gup", "Réparé.")
    step(db, ids["cars"], "transmis", "2025-06-20", "courrier",
         next_reminder_on="2025-09-01")
    return ids


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(followups, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def data(db, today):
    return journey_five(db)


@pytest.fixture
def page(qtbot, db, settings, data):
    return show(qtbot, FollowupPage(db, settings), 1280, 800)


def listed(page: FollowupPage) -> list[str]:
    return [page.model.id_at(r) for r in range(page.model.rowCount())]


def names(page: FollowupPage, data: dict[str, str]) -> list[str]:
    by_id = {v: k for k, v in data.items()}
    return [by_id[i] for i in listed(page)]


def cell(page: FollowupPage, followup_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    row = page.model.row_of(followup_id)
    assert row >= 0, "not in the list"
    return page.model.index(row, column).data(role)


def select(qtbot, page: FollowupPage, followup_id: str) -> None:
    click_row(qtbot, page.view, page.model.row_of(followup_id), 4)
    assert page.detail.followup_id == followup_id


def status_label(db, code: str) -> str:
    return reference.vocabulary_labels(db, "followup_status")[code]


def count_text(total: int, overdue: int) -> str:
    text = ngettext("%(count)d follow-up", "%(count)d follow-ups", total) % {"count": total}
    if overdue:
        text += ngettext(", of which %(count)d to chase up", ", of which %(count)d to chase up",
                         overdue) % {"count": overdue}
    return text


# -- the list ---------------------------------------------------------------------------

def test_open_follow_ups_are_listed_with_what_to_chase_up_first(qtbot, db, page, data):
    assert names(page, data) == ["lamp", "dumping", "cars",           # overdue, latest walk
                                 "door", "porch_landlord", "porch_city"]
    assert page.count.text() == count_text(6, 3)
    lamp = data["lamp"]
    assert cell(page, lamp, 0) == _("To chase up")
    assert cell(page, lamp, 0, Qt.ItemDataRole.FontRole).bold()
    assert cell(page, lamp, 0, Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert [cell(page, lamp, c) for c in range(1, 9)] == [
        "1", short_date("2026-01-22"), "Rue de Basseau, n° 12",
        "Lampadaire éteint depuis 3 semaines devant le n° 12",
        reference.vocabulary_labels(db, "body")["ville"], status_label(db, "programme"),
        short_date("2026-02-20"), short_date("2026-03-31")]
    # Every cell of the row says why, under the pointer.
    reason = _("To chase up: the reminder was due on %(date)s.") % {
        "date": short_date("2026-03-31")}
    assert all(reason in cell(page, lamp, c, Qt.ItemDataRole.ToolTipRole) for c in range(9))
    sent = cell(page, data["dumping"], 4, Qt.ItemDataRole.ToolTipRole)
    assert ngettext("To chase up: sent on %(date)s, no answer for %(days)d day.",
                    "To chase up: sent on %(date)s, no answer for %(days)d days.", 40) % {
        "date": short_date(days_ago(40)), "days": 40} in sent
    door = data["door"]
    assert cell(page, door, 0) == ""
    assert cell(page, door, 0, Qt.ItemDataRole.FontRole) is None
    assert "chase" not in cell(page, door, 4, Qt.ItemDataRole.ToolTipRole)
    # The first row is open on the right.
    assert page.detail.followup_id == lamp


def test_a_long_description_shows_its_first_line_in_the_list(qtbot, db, page, data):
    walks.update_observation(db, db.scalar("SELECT observation_id FROM followups WHERE id = ?",
                                           (data["door"],)),
                             description="Porte du hall B cassée\nLe digicode aussi.")
    page.refresh()
    assert cell(page, data["door"], 4) == "Porte du hall B cassée"
    assert "Le digicode aussi." in cell(page, data["door"], 4, Qt.ItemDataRole.ToolTipRole)


def test_to_chase_up_shows_exactly_the_overdue_ones(qtbot, db, page, data):
    qtbot.mouseClick(page.to_remind, LEFT)

    # The city « programmé » for March, its reminder gone by; dumping sent 40 days ago
    # without a reminder; the summer walk's parked cars. Not the landlord's « pris en
    # compte » (reminder in June), never the pavement « réorienté » (closed).
    assert sorted(names(page, data)) == ["cars", "dumping", "lamp"]
    assert page.count.text() == ngettext(
        "%(count)d follow-up to chase up, out of %(total)d",
        "%(count)d follow-ups to chase up, out of %(total)d", 3) % {"count": 3, "total": 6}
    assert all(cell(page, i, 0) == _("To chase up") for i in listed(page))

    qtbot.mouseClick(page.open_only, LEFT)                  # closed ones too: still three
    assert not page.open_only.isChecked()
    assert sorted(names(page, data)) == ["cars", "dumping", "lamp"]
    overdue = {r["id"] for r in followups.search(db, to_remind=True)}
    assert set(listed(page)) == overdue

    qtbot.mouseClick(page.to_remind, LEFT)
    assert len(listed(page)) == 8
    assert page.count.text() == count_text(8, 3)


def test_each_filter_narrows_the_list(qtbot, db, page, data):
    choose(qtbot, page.council_filter, data["bgg"])
    assert set(names(page, data)) == {"lamp", "dumping", "door", "porch_landlord",
                                      "porch_city"}
    choose(qtbot, page.council_filter, None)
    assert len(listed(page)) == 6

    choose(qtbot, page.body_filter, "bailleur")
    assert names(page, data) == ["door", "porch_landlord"]
    choose(qtbot, page.body_filter, None)

    choose(qtbot, page.status_filter, "programme")
    assert names(page, data) == ["lamp"]
    assert page.open_only.isChecked()
    choose(qtbot, page.status_filter, "resolu")             # asking for closed ones
    assert names(page, data) == ["blinking"]
    assert not page.open_only.isChecked()
    choose(qtbot, page.status_filter, None)
    assert len(listed(page)) == 8
    qtbot.mouseClick(page.open_only, LEFT)
    assert len(listed(page)) == 6

    choose(qtbot, page.theme_filter, "eclairage")
    assert names(page, data) == ["lamp"]
    qtbot.mouseClick(page.open_only, LEFT)
    assert names(page, data) == ["lamp", "blinking"]
    qtbot.mouseClick(page.open_only, LEFT)
    choose(qtbot, page.theme_filter, None)

    choose(qtbot, page.age_filter, 91)                      # both walks are older
    assert len(listed(page)) == 6
    choose(qtbot, page.age_filter, 182)
    assert names(page, data) == ["cars"]
    choose(qtbot, page.age_filter, 365)
    assert listed(page) == []
    assert page.count.text() == count_text(0, 0)
    assert not page.detail.isEnabled()
    assert page.detail.title.text() == _("No follow-up selected")
    choose(qtbot, page.age_filter, None)

    page.search.setFocus()
    key_text(qtbot, page.search, "CONTAINERS")             # capitals do not matter
    qtbot.waitUntil(lambda: names(page, data) == ["dumping"], timeout=2000)
    page.search.clear()
    qtbot.waitUntil(lambda: len(listed(page)) == 6, timeout=2000)


def test_the_default_council_of_the_settings_is_chosen(qtbot, db, settings, data):
    settings.default_council_id = data["mac"]
    page = show(qtbot, FollowupPage(db, settings))
    assert page.council_filter.currentData() == data["mac"]
    assert names(page, data) == ["cars"]


def test_a_database_without_walks_says_where_follow_ups_come_from(qtbot, db, settings):
    page = show(qtbot, FollowupPage(db, settings))
    assert page.model.rowCount() == 0
    assert page.empty_hint.isVisible()
    assert page.count.text() == count_text(0, 0)
    assert not page.detail.add_button.isEnabled()
    page.new_record()                                       # Ctrl+N: nothing to add to


# -- the detail -------------------------------------------------------------------------

def test_the_detail_shows_the_observation_and_its_history(qtbot, db, page, data):
    select(qtbot, page, data["door"])
    detail = page.detail
    assert detail.title.text() == _("No. %(number)d — %(theme)s") % {
        "number": 2, "theme": reference.vocabulary_labels(db, "observation_theme")["logement"]}
    assert "Diagnostic de nuit" in detail.subtitle.text()
    assert "Basseau Grande-Garenne" in detail.subtitle.text()
    assert detail.chip.text() == status_label(db, "pris_en_compte")
    assert detail.body_value.text() == reference.vocabulary_labels(db, "body")["bailleur"]
    assert detail.kind_value.text() == _("− weak point") + " · " + _(
        "priority %(priority)d") % {"priority": 1}
    assert detail.description_value.text() == "Porte du hall B cassée : elle ne ferme plus"
    assert detail.stop_value.text() == "Résidence Les Rochers, hall B"
    assert detail.reminder_value.text() == short_date("2026-06-15")
    assert detail.reminder_banner.isHidden()
    history = detail.history_model
    assert history.rowCount() == 2                          # newest last
    assert [history.index(r, 0).data() for r in range(2)] == [
        short_date("2026-01-26"), short_date("2026-02-10")]
    assert history.index(1, 1).data() == status_label(db, "pris_en_compte")
    assert history.index(1, 2).data() == reference.vocabulary_labels(
        db, "followup_channel")["reunion_gup"]
    assert history.index(1, 3).data() == short_date("2026-06-15")
    assert history.index(1, 4).data() == "Devis demandé au serrurier."
    assert detail.history.selectionModel().selectedRows()[0].row() == 1
    assert detail.remove_button.isEnabled()

    select(qtbot, page, data["lamp"])
    assert detail.reminder_banner.isVisible()
    assert detail.reminder_banner.text() == _(
        "To chase up: the reminder was due on %(date)s.") % {
        "date": short_date("2026-03-31")}
    assert detail.proposal_value.text() == "Remplacer l'ampoule et vérifier le câblage."

    select(qtbot, page, data["porch_city"])                 # nothing sent yet
    assert detail.history_model.rowCount() == 0
    assert detail.no_step.isVisible()
    assert not detail.remove_button.isEnabled()


def test_see_the_walk_asks_to_open_it(qtbot, page, data):
    select(qtbot, page, data["cars"])
    with qtbot.waitSignal(page.openWalk) as signal:
        qtbot.mouseClick(page.detail.walk_button, LEFT)
    assert signal.args == [data["summer"]]


# -- steps ------------------------------------------------------------------------------

def test_a_step_added_then_taken_back(qtbot, db, page, data, modals):
    dumping = data["dumping"]
    select(qtbot, page, dumping)
    assert cell(page, dumping, 0) == _("To chase up")

    def answer(dialog: StepDialog) -> None:
        show_dialog(qtbot, dialog, 640, 520)
        assert dialog.date.date() == QDate(TODAY)            # today, by default
        assert dialog.status.currentData() == "pris_en_compte"   # what follows « transmis »
        choose(qtbot, dialog.channel, "telephone")
        key_text(qtbot, dialog.note, "L'agglomération passe la semaine prochaine.")
        qtbot.mouseClick(dialog.quick[1], LEFT)             # + 30 days
        assert dialog.reminder.iso() == "2026-06-03"
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(answer, StepDialog)
    with qtbot.waitSignal(page.saved):
        qtbot.mouseClick(page.detail.add_button, LEFT)

    assert cell(page, dumping, 6) == status_label(db, "pris_en_compte")
    assert cell(page, dumping, 7) == short_date(TODAY.isoformat())
    assert cell(page, dumping, 8) == short_date("2026-06-03")
    assert cell(page, dumping, 0) == ""                      # answered: no longer overdue
    assert page.count.text() == count_text(6, 2)
    assert page.detail.followup_id == dumping
    assert page.detail.chip.text() == status_label(db, "pris_en_compte")
    history = page.detail.history_model
    assert history.rowCount() == 2
    assert history.index(1, 4).data() == "L'agglomération passe la semaine prochaine."
    (latest,) = [s for s in followups.steps(db, dumping) if s["status"] == "pris_en_compte"]
    assert (latest["step_date"], latest["channel"], latest["next_reminder_on"]) == (
        TODAY.isoformat(), "telephone", "2026-06-03")

    # Entered by mistake: taken back, the follow-up is « transmis » and overdue again.
    assert page.detail.history.selectionModel().selectedRows()[0].row() == 1
    modals.expect(click_destructive)
    qtbot.mouseClick(page.detail.remove_button, LEFT)

    assert cell(page, dumping, 6) == status_label(db, "transmis")
    assert cell(page, dumping, 8) == ""
    assert cell(page, dumping, 0) == _("To chase up")
    assert page.detail.history_model.rowCount() == 1
    assert db.scalar("SELECT status FROM followups WHERE id = ?", (dumping,)) == "transmis"
    assert page.count.text() == count_text(6, 3)


def test_the_first_step_of_a_problem_not_sent_yet(qtbot, db, page, data, modals):
    porch = data["porch_city"]
    select(qtbot, page, porch)

    def send(dialog: StepDialog) -> None:
        show_dialog(qtbot, dialog, 640, 520)
        assert dialog.status.currentData() == "transmis"     # after « à transmettre »
        assert dialog.reminder.iso() is None
        choose(qtbot, dialog.channel, "courrier")
        qtbot.mouseClick(dialog.quick[0], LEFT)             # + 15 days
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(send, StepDialog)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)             # Enter on the list

    assert cell(page, porch, 6) == status_label(db, "transmis")
    assert cell(page, porch, 8) == short_date("2026-05-19")
    assert page.detail.history_model.rowCount() == 1
    assert page.detail.history_model.index(0, 2).data() == reference.vocabulary_labels(
        db, "followup_channel")["courrier"]


def test_a_step_dated_in_the_future_is_refused(qtbot, db, page, data, modals):
    select(qtbot, page, data["door"])
    before = dump(db, FOLLOWUP_TABLES)

    def tomorrow(dialog: StepDialog) -> None:
        show_dialog(qtbot, dialog, 640, 520)
        dialog.date.setDate(QDate(TODAY + dt.timedelta(days=1)))
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert not dialog.banner.isHidden()
        assert dialog.banner.text() == _("A follow-up step cannot be dated in the future.")
        assert dialog.result() != dialog.DialogCode.Accepted

    modals.expect(tomorrow, StepDialog)
    qtbot.mouseClick(page.detail.add_button, LEFT)

    assert dump(db, FOLLOWUP_TABLES) == before
    assert page.detail.history_model.rowCount() == 2


def test_a_reminder_before_the_step_is_refused(qtbot, db, page, data, modals):
    select(qtbot, page, data["door"])
    before = dump(db, FOLLOWUP_TABLES)

    def backwards(dialog: StepDialog) -> None:
        dialog.reminder.set_date(TODAY - dt.timedelta(days=3))
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert dialog.banner.text() == _("The reminder must come after the step.")

    modals.expect(backwards, StepDialog)
    page.new_record()                                        # Ctrl+N on this page
    assert dump(db, FOLLOWUP_TABLES) == before


def test_cancelling_the_dialog_writes_nothing(qtbot, db, page, data, modals):
    select(qtbot, page, data["door"])
    before = dump(db, FOLLOWUP_TABLES)
    modals.expect(lambda dialog: None, StepDialog)          # Escape
    page.new_record()
    modals.expect(lambda box: None)                          # « Annuler » the removal
    qtbot.mouseClick(page.detail.remove_button, LEFT)
    assert dump(db, FOLLOWUP_TABLES) == before


def test_removing_a_step_already_gone_is_one_sentence(qtbot, db, page, data, modals):
    select(qtbot, page, data["door"])
    (first, second) = followups.steps(db, data["door"])
    followups.remove_step(db, second["id"])                  # on another window, say

    modals.expect(click_destructive)
    qtbot.mouseClick(page.detail.remove_button, LEFT)

    banner = page.detail.banner
    assert banner.isVisible()
    assert "\n" not in banner.text() and "Traceback" not in banner.text()
    assert page.detail.history_model.rowCount() == 1         # shown as it now is
    assert followups.steps(db, data["door"]) == [first]


# -- soundness, keyboard, screen readers, size ----------------------------------------

def test_the_models_are_sound(qtbot, qtmodeltester, db, page, data):
    qtmodeltester.check(page.model)
    page.refresh()                                          # a reset while it watches
    page.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert names(page, data)[:3] == ["lamp", "dumping", "cars"]
    page.model.reload_rows([data["lamp"]])

    select(qtbot, page, data["door"])
    qtmodeltester.check(page.detail.history_model)
    page.detail.load(None)
    assert page.detail.history_model.rowCount() == 0


def test_sorting_by_status_follows_the_vocabulary(qtbot, db, page, data):
    page.view.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    statuses = [page.model.record(r)["status"] for r in range(page.model.rowCount())]
    order = [v["code"] for v in reference.vocabulary(db, "followup_status")]
    assert statuses == sorted(statuses, key=order.index)
    assert statuses[0] == "a_transmettre" and statuses[-1] == "programme"


def test_every_control_has_a_name(qtbot, db, page, data, modals):
    select(qtbot, page, data["door"])
    assert visible_controls(page) >= 8
    assert unnamed_controls(page) == []
    for button in page.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.text().strip() or button.accessibleName().strip()

    def look(dialog: StepDialog) -> None:
        show_dialog(qtbot, dialog, 640, 520)
        assert visible_controls(dialog) >= 5
        assert unnamed_controls(dialog) == []
        assert all(b.accessibleName() for b in dialog.quick)
        assert QApplication.focusWidget() is dialog.status   # she chooses what happened

    modals.expect(look, StepDialog)
    page.new_record()


def test_keyboard_search_then_list(qtbot, page, data):
    page.focus_search()
    assert QApplication.focusWidget() is page.search
    key_text(qtbot, page.search, "porte")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is page.view
    assert page.detail.followup_id == data["door"]


def test_the_page_fits_a_small_screen_at_150_percent(qtbot, page):
    assert page.minimumSizeHint().width() <= 900
    assert page.minimumSizeHint().height() <= 680
    # A font half as large again (a user who set larger text): still as narrow.
    font = QFont(page.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    page.setFont(font)
    assert page.minimumSizeHint().width() <= 900


def test_activate_reads_what_changed_elsewhere(qtbot, db, page, data):
    followups.add_step(db, data["porch_city"], "transmis", TODAY.isoformat(), "courrier")
    reference.add_vocabulary_entry(db, "body", "Centre social")
    page.activate()
    assert cell(page, data["porch_city"], 6) == status_label(db, "transmis")
    assert page.body_filter.findText("Centre social") >= 0


def test_the_next_logical_status(db):
    statuses = reference.vocabulary(db, "followup_status")
    assert [next_status(statuses, s) for s in (
        "a_transmettre", "transmis", "pris_en_compte", "programme", "en_cours", "resolu",
        "reoriente", "doublon")] == [
        "transmis", "pris_en_compte", "programme", "en_cours", "resolu", "resolu",
        "reoriente", "doublon"]
    assert first_line("Porte cassée\nDigicode aussi") == "Porte cassée"


def test_a_follow_up_resolved_stays_open_on_the_right(qtbot, db, page, data, modals):
    door = data["door"]
    select(qtbot, page, door)

    def resolve(dialog: StepDialog) -> None:
        choose(qtbot, dialog.status, "resolu")
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(resolve, StepDialog)
    page.new_record()

    # « Ouverts seulement » now hides it from the list; she still sees what she did.
    assert door not in listed(page)
    assert page.count.text() == count_text(5, 3)
    assert page.detail.followup_id == door
    assert page.detail.chip.text() == status_label(db, "resolu")
    assert page.detail.history_model.rowCount() == 3
    assert page.detail.add_button.isEnabled()
    qtbot.mouseClick(page.open_only, LEFT)
    assert cell(page, door, 6) == status_label(db, "resolu")


# -- a large list ---------------------------------------------------------------------------

def test_a_large_list_is_read_off_the_gui_thread(qtbot, db, settings, data, monkeypatch):
    """Ten years of follow-ups take a tenth of a second to read and sort: from
    BACKGROUND_FROM on, the page asks in the background and keeps what it shows until
    the answer comes, then shows it, selection and counts included."""
    from perr_desktop.ui import followup as followup_module

    monkeypatch.setattr(followup_module, "BACKGROUND_FROM", 1)
    on_gui_thread = calls_on_gui_thread(monkeypatch, followups, "list_ids")
    page = show(qtbot, FollowupPage(db, settings), 1280, 800)
    page.reader.wait()
    assert names(page, data) == ["lamp", "dumping", "cars", "door", "porch_landlord",
                                 "porch_city"]
    assert page.count.text() == count_text(6, 3)
    assert page.detail.followup_id == data["lamp"]
    qtbot.mouseClick(page.open_only, LEFT)                  # closed ones too
    assert len(listed(page)) == 6                           # the answer is not there yet
    page.reader.wait()
    assert len(listed(page)) == 8 and page.count.text() == count_text(8, 3)
    qtbot.mouseClick(page.to_remind, LEFT)                  # the same list, filtered
    assert sorted(names(page, data)) == ["cars", "dumping", "lamp"]
    assert on_gui_thread == [False, False]
