"""« Rechercher partout » (Ctrl+Maj+F): hits as you type, the record opened on Enter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from perr_desktop.i18n import _, ngettext
from perr_desktop.services import councils, meetings, search, walks
from perr_desktop.ui.search import SearchDialog, hit_html
from tests.ui.helpers import OFFSCREEN_SIZE_HINTS, key_text, show, type_into

pytestmark = OFFSCREEN_SIZE_HINTS

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def data(db):
    council = councils.create_council(db, "Basseau Grande-Garenne")
    walk = walks.create_walk(db, council, "Diagnostic de nuit", "2026-01-22")
    walks.add_observation(db, walk, description="Banc cassé au square")
    lamp = walks.add_observation(db, walk, description="Lampadaire éteint devant le n° 12")
    meeting = meetings.plan_meeting(db, council, "pleniere", "Plénière de janvier",
                                    "2026-01-29T18:30")
    item = meetings.add_agenda_item(db, meeting, "Propreté des entrées")
    meetings.set_item_notes(db, item, "Les encombrants s'accumulent.")
    return {"walk": walk, "lamp": lamp, "meeting": meeting}


def results(dialog: SearchDialog) -> list[str]:
    return [dialog.results.item(i).data(Qt.ItemDataRole.UserRole + 1).id
            for i in range(dialog.results.count())]


def test_ctrl_shift_f_opens_it_and_hits_come_as_you_type(qtbot, make_window, db, data):
    window = make_window(db)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    dialog = window._search_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.field, timeout=2000)
    key_text(qtbot, dialog.field, "LAMPA")
    qtbot.waitUntil(lambda: results(dialog) == [data["lamp"]], timeout=2000)
    assert dialog.count.text() == ngettext("%(count)d result", "%(count)d results", 1) % {
        "count": 1}
    html = dialog.results.item(0).data(Qt.ItemDataRole.UserRole + 2)
    assert "<b>Lampadaire</b>" in html and "Diagnostic de nuit" in html

    # Enter: the walk, on its Observations tab, with the observation selected.
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.current_page() is window.walks
    detail = window.walks.detail
    assert detail.walk_id == data["walk"]
    assert detail.tabs.currentWidget() is detail.observations
    assert detail.observations.binder.record["id"] == data["lamp"]


def test_a_hit_in_the_minutes_opens_the_meeting_on_its_minutes(qtbot, make_window, db, data):
    window = make_window(db)
    dialog = window.open_search()
    type_into(qtbot, dialog.field, "encombrants")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=2000)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is dialog.results
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert window.current_page() is window.meetings
    assert window.meetings.detail.meeting_id == data["meeting"]
    assert window.meetings.detail.tabs.currentWidget() is window.meetings.detail.minutes
    # Opened again, it still holds what was typed.
    assert window.open_search().field.text() == "encombrants"


def test_nothing_typed_nothing_found_and_hostile_text(qtbot, db, data):
    dialog = show(qtbot, SearchDialog(db), 760, 560)
    assert dialog.results.count() == 0 and dialog.count.text()
    for text in ('"', "NEAR(", "lampa*", '") OR ("', "  "):
        dialog.field.setText(text)
        dialog.run()                          # never raises
    dialog.field.setText("zzzz")
    dialog.run()
    assert dialog.count.text() == _("Nothing found.")


def test_the_extract_is_escaped_before_words_are_put_in_bold(db, data):
    hit = search.Hit("observation", "x", "A <b> & title", "x < y",
                     "2026-01-22", marked=f"x < {search.MARK_START}y{search.MARK_END}")
    html = hit_html(hit)
    assert "A &lt;b&gt; &amp; title" in html and "x &lt; <b>y</b>" in html
