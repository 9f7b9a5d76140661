"""Journey 2, the evening: attendance typed back from the signed sheet with the keyboard
alone, proxies, walk-ins named or only counted, the summary and the quorum."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from perr_desktop.i18n import _, ngettext
from perr_desktop.services import meetings as svc
from perr_desktop.services import reference
from perr_desktop.ui.meetings.attendance import AttendanceTab, summary_text
from perr_desktop.ui.meetings.dialogs import ProxyDialog
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    choose,
    click_destructive,
    click_row,
    key_text,
    show,
    type_into,
)
from tests.ui.meetings_fixtures import (
    NOV,
    dump,
    focused,
    make_council,
    members,
    person,
    plan,
    show_dialog,
    statuses,
)

pytestmark = OFFSCREEN_SIZE_HINTS

# The completer's popup asks the window system to raise it and grab the keyboard, which the
# offscreen platform cannot do: it says so in these two exact messages (and only them).
POPUP = pytest.mark.qt_log_ignore(
    r"^This plugin does not support propagateSizeHints\(\)$",
    r"^This plugin does not support raise\(\)$",
    r"^This plugin does not support grabbing the keyboard$",
)

KEY = {"P": Qt.Key.Key_P, "E": Qt.Key.Key_E, "A": Qt.Key.Key_A, "R": Qt.Key.Key_R}
CODE = {"P": "present", "E": "excuse", "A": "absent"}


class KeyCounter(QObject):
    """Counts the key presses that reach a widget (installed after the tab's own filter,
    so it sees them first, and lets them through)."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.presses = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self.presses += 1
        return False


def status_labels(db) -> dict[str, str]:
    """The words shown for each attendance status (an editable list of the application)."""
    return reference.vocabulary_labels(db, "attendance_status")


def selected_rows(tab: AttendanceTab) -> list[int]:
    return sorted(i.row() for i in tab.view.selectionModel().selectedRows())


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed on the keyboard reaches the widget that has the focus."""
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def people_in_order(tab: AttendanceTab) -> list[str]:
    """The people of the list, top to bottom (the model's ids are attendance rows)."""
    return [tab.model.record(r)["person_id"] for r in range(tab.model.rowCount())]


def row_of_person(tab: AttendanceTab, person_id: str) -> int:
    return people_in_order(tab).index(person_id) if person_id in people_in_order(tab) else -1


def open_tab(qtbot, db, meeting_id) -> AttendanceTab:
    tab = show(qtbot, AttendanceTab(db), 1100, 900)
    tab.load(meeting_id)
    tab.view.setFocus(Qt.FocusReason.TabFocusReason)       # Tab until the list
    qtbot.waitUntil(lambda: focused() is tab.view, timeout=1000)
    return tab


@pytest.fixture
def bgg(db):
    return make_council(db)


@pytest.fixture
def four(db, bgg):
    return members(db, bgg, 4)


@pytest.fixture
def meeting(db, bgg, four):
    return plan(db, bgg, NOV)


@pytest.fixture
def tab(qtbot, db, meeting):
    return open_tab(qtbot, db, meeting)


# -- 3. forty names, forty keystrokes ---------------------------------------------------

SHEET = "PPEPAPPPEPPAPPPEPPPPAPPEPPPAPPPPEPPEPAPP"   # the signed sheet, line by line


def test_forty_names_are_typed_back_with_forty_key_presses(qtbot, db, bgg, modals):
    assert len(SHEET) == 40
    forty = members(db, bgg, 40)
    meeting = plan(db, bgg, NOV)
    tab = open_tab(qtbot, db, meeting)
    order = people_in_order(tab)
    assert sorted(order) == sorted(forty)
    assert selected_rows(tab) == [0]                        # the first line, ready
    counter = KeyCounter(tab.view)

    advanced = []
    for letter in SHEET:
        press(qtbot, KEY[letter])
        advanced.append(selected_rows(tab))

    assert counter.presses == 40
    assert modals.opened == []                              # no dialog interrupted her
    # One line per key, the last line staying selected.
    assert advanced == [[min(n + 1, 39)] for n in range(40)]
    assert focused() is tab.view
    # Every status recorded in the database, in the order of the sheet.
    recorded = statuses(db, meeting)
    assert [recorded[p] for p in order] == [CODE[letter] for letter in SHEET]
    assert [r["status"] for r in svc.attendance(db, meeting)] == [
        CODE[letter] for letter in SHEET]
    # What she sees: the list and the summary.
    labels = status_labels(db)
    assert [tab.model.index(r, 3).data() for r in range(40)] == [
        labels[CODE[letter]] for letter in SHEET]
    summary = svc.attendance_summary(db, meeting)
    present, excused, absent = (SHEET.count(c) for c in "PEA")
    assert (summary["present"], summary["excused"], summary["absent"],
            summary["not_recorded"]) == (present, excused, absent, 0)
    assert (present, excused, absent) == (29, 6, 5)
    text = tab.summary.text()
    assert text == summary_text(summary)
    for part, count in ((ngettext("%(count)d present", "%(count)d present", present), present),
                        (ngettext("%(count)d excused", "%(count)d excused", excused), excused),
                        (ngettext("%(count)d absent", "%(count)d absent", absent), absent)):
        assert part % {"count": count} in text
    assert _("quorum %(required)d: reached") % {"required": 20} in text
    assert ngettext("%(count)d participant in all", "%(count)d participants in all",
                    29) % {"count": 29} in text


def test_several_selected_lines_are_marked_with_one_key(qtbot, db, meeting, four, tab):
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert selected_rows(tab) == [0, 1, 2]

    press(qtbot, Qt.Key.Key_E)

    order = people_in_order(tab)
    assert [statuses(db, meeting)[p] for p in order] == ["excuse", "excuse", "excuse", None]
    assert selected_rows(tab) == [3]


def test_delete_clears_a_status(qtbot, db, meeting, tab):
    press(qtbot, Qt.Key.Key_P)
    first = people_in_order(tab)[0]
    assert statuses(db, meeting)[first] == "present"

    press(qtbot, Qt.Key.Key_Up)                             # back to the first line
    assert selected_rows(tab) == [0]
    press(qtbot, Qt.Key.Key_Delete)

    assert statuses(db, meeting)[first] is None
    assert tab.model.index(0, 3).data() == ""
    assert selected_rows(tab) == [1]


def test_r_asks_who_holds_the_proxy_among_the_people_present(qtbot, db, meeting, tab,
                                                             modals):
    holder, giver = people_in_order(tab)[:2]
    holder_name = tab.model.index(0, 0).data()
    press(qtbot, Qt.Key.Key_P)                              # the holder came
    offered = []

    def choose_holder(dialog: ProxyDialog) -> None:
        show_dialog(qtbot, dialog, 480, 420)
        offered.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        assert dialog.empty.isHidden()
        key_text(qtbot, dialog.search, holder_name.split()[-1][:3])  # part of her name
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    modals.expect(choose_holder, ProxyDialog)
    press(qtbot, Qt.Key.Key_R)

    assert offered == [holder_name]                         # only who is present
    row = next(r for r in svc.attendance(db, meeting) if r["person_id"] == giver)
    assert (row["status"], row["proxy_person_id"]) == ("represente", holder)
    assert holder_name in tab.model.index(1, 3).data()
    assert selected_rows(tab) == [2]
    assert svc.attendance_summary(db, meeting)["represented"] == 1
    assert ngettext("%(count)d represented", "%(count)d represented", 1) % {"count": 1} \
        in tab.summary.text()


def test_r_when_nobody_is_present_explains_and_records_nothing(qtbot, db, meeting, tab,
                                                               modals):
    before = dump(db)

    def nobody(dialog: ProxyDialog) -> None:
        show_dialog(qtbot, dialog, 480, 420)
        assert dialog.list.count() == 0
        assert not dialog.empty.isHidden()                  # the reason, in words
        assert dialog.empty.text() == _("Nobody is recorded present yet: mark the proxy "
                                         "holder present first.")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)    # OK does nothing
        assert dialog.isVisible()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)           # she closes it

    modals.expect(nobody, ProxyDialog)
    press(qtbot, Qt.Key.Key_R)

    assert dump(db) == before
    assert selected_rows(tab) == [0]                        # still on the same line
    assert not tab.banner.isVisible()
    assert modals.messages == []


def test_a_proxy_holder_cannot_be_marked_absent(qtbot, db, meeting, tab, modals):
    holder, giver = people_in_order(tab)[:2]
    svc.set_attendance(db, meeting, holder, "present")
    svc.set_attendance(db, meeting, giver, "represente", holder)
    tab.load(meeting)
    before = dump(db)

    press(qtbot, Qt.Key.Key_A)                              # the holder, first line

    assert dump(db) == before
    assert tab.banner.isVisible()
    assert tab.banner.text() == _("This person holds a proxy: record them present, or "
                                  "change the proxy first.")
    assert selected_rows(tab) == [0]


def test_mark_the_others_absent_after_confirming(qtbot, db, meeting, tab, modals):
    press(qtbot, Qt.Key.Key_P)
    press(qtbot, Qt.Key.Key_E)
    asked = []

    def confirm(box) -> None:
        asked.append(box.text())
        click_destructive(box)

    modals.expect(confirm)
    qtbot.mouseClick(tab.absent_button, LEFT)

    assert asked == [ngettext("Record %(count)d member absent?",
                              "Record %(count)d members absent?", 2) % {"count": 2}]
    order = people_in_order(tab)
    assert [statuses(db, meeting)[p] for p in order] == ["present", "excuse", "absent",
                                                         "absent"]
    assert tab.model.index(3, 3).data() == status_labels(db)["absent"]


def test_mark_the_others_absent_cancelled_changes_nothing(qtbot, db, meeting, tab, modals):
    before = dump(db)
    modals.expect(lambda box: None)
    qtbot.mouseClick(tab.absent_button, LEFT)
    assert dump(db) == before


@POPUP
def test_a_walk_in_typed_by_name_is_added_present_as_a_new_person(qtbot, db, meeting, tab):
    choose(qtbot, tab.walk_in_gender, "femme")
    type_into(qtbot, tab.walk_in, "Nadia Koné")
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)

    created = db.query("SELECT * FROM people WHERE last_name = 'Koné' AND deleted_at IS NULL")
    assert [(p["first_name"], p["gender"]) for p in created] == [("Nadia", "femme")]
    row = next(r for r in svc.attendance(db, meeting) if r["person_id"] == created[0]["id"])
    assert (row["status"], row["member"], row["invited"]) == ("present", 0, 0)
    assert tab.walk_in.text() == ""                        # ready for the next one
    shown = row_of_person(tab, created[0]["id"])
    assert tab.model.index(shown, 0).data() == "Nadia Koné"
    assert tab.model.index(shown, 3).data() == status_labels(db)["present"]
    summary = svc.attendance_summary(db, meeting)
    assert (summary["walk_ins"], summary["participants"]) == (1, 1)
    assert tab.summary.text() == summary_text(summary)
    assert ngettext("%(count)d named non-member", "%(count)d named non-members", 1) % {
        "count": 1} in tab.summary.text()
    # She is in the directory now: the next meeting's completer offers her.
    assert "Nadia Koné" in tab.completer.model().stringList()


def choose_suggestion(qtbot, tab, typed: str, expected: list[str]) -> None:
    """Type part of a name, go down into the suggestions, Enter."""
    type_into(qtbot, tab.walk_in, typed)
    popup = tab.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    assert [popup.model().index(r, 0).data()
            for r in range(popup.model().rowCount())] == expected
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2000)


@POPUP
def test_a_name_chosen_from_the_completer_adds_the_directory_person(qtbot, db, meeting,
                                                                    tab):
    durand = person(db, "Bernard", "Durand", organisation="Logélia")
    tab.load(meeting)                                      # the directory as it is now
    people_before = db.scalar("SELECT count(*) FROM people")

    choose_suggestion(qtbot, tab, "dura", ["Bernard Durand (Logélia)"])

    assert db.scalar("SELECT count(*) FROM people") == people_before   # no duplicate
    rows = [r for r in svc.attendance(db, meeting) if r["last_name"] == "Durand"]
    assert [(r["person_id"], r["status"], r["member"]) for r in rows] == [
        (durand, "present", 0)]
    assert row_of_person(tab, durand) >= 0
    # Enter once more (she is not sure it worked) changes nothing.
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)
    assert db.scalar("SELECT count(*) FROM people") == people_before
    assert len([r for r in svc.attendance(db, meeting) if r["last_name"] == "Durand"]) == 1


@POPUP
def test_after_choosing_a_suggestion_the_field_is_ready_for_the_next_name(qtbot, db,
                                                                          meeting, tab):
    person(db, "Bernard", "Durand", organisation="Logélia")
    tab.load(meeting)

    choose_suggestion(qtbot, tab, "dura", ["Bernard Durand (Logélia)"])

    assert svc.attendance_summary(db, meeting)["walk_ins"] == 1
    qtbot.waitUntil(lambda: tab.walk_in.text() == "", timeout=2000)


@POPUP
def test_a_walk_in_who_was_invited_is_marked_present_not_added_twice(qtbot, db, meeting,
                                                                      tab):
    first = people_in_order(tab)[0]
    name = tab.model.index(0, 0).data()

    type_into(qtbot, tab.walk_in, name)
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)

    rows = [r for r in svc.attendance(db, meeting) if r["name"] == name]
    assert [(r["person_id"], r["status"], r["member"]) for r in rows] == [
        (first, "present", 1)]


def counts_text(tab) -> list[str]:
    return tab.counts.text().splitlines()


def test_the_head_count_adds_a_line_and_zero_removes_it(qtbot, db, meeting, tab):
    assert tab.counts.text() == _("Nobody counted without a name.")

    type_into(qtbot, tab.count_number, "3")
    choose(qtbot, tab.count_gender, "femme")
    choose(qtbot, tab.count_age, "16_25")
    choose(qtbot, tab.count_qpv, 1)
    qtbot.mouseClick(tab.count_button, LEFT)

    line = db.query("SELECT * FROM headcounts WHERE meeting_id = ?", (meeting,))
    assert [(h["gender"], h["age_band"], h["lives_in_qpv"], h["first_time"], h["count"])
            for h in line] == [("femme", "16_25", 1, None, 3)]
    assert len(counts_text(tab)) == 1 and counts_text(tab)[0].startswith("3 × ")

    type_into(qtbot, tab.count_number, "1")
    choose(qtbot, tab.count_gender, "homme")
    choose(qtbot, tab.count_qpv, None)
    qtbot.mouseClick(tab.count_button, LEFT)
    assert len(counts_text(tab)) == 2
    summary = svc.attendance_summary(db, meeting)
    assert (summary["counted"], summary["participants"]) == (4, 4)
    assert ngettext("%(count)d counted without a name", "%(count)d counted without a name",
                    4) % {"count": 4} in tab.summary.text()

    type_into(qtbot, tab.count_number, "0")                 # the women: a mistake
    choose(qtbot, tab.count_gender, "femme")
    choose(qtbot, tab.count_qpv, 1)
    qtbot.mouseClick(tab.count_button, LEFT)

    assert len(counts_text(tab)) == 1 and counts_text(tab)[0].startswith("1 × ")
    assert svc.attendance_summary(db, meeting)["counted"] == 1
    assert [h["gender"] for h in svc.get_meeting(db, meeting)["headcounts"]] == ["homme"]


@POPUP
def test_the_summary_shows_participants_and_whether_the_quorum_is_reached(
        qtbot, db, meeting, tab):
    # Four members, a quorum of half of them: two.
    not_reached = _("quorum %(required)d: not reached") % {"required": 2}
    reached = _("quorum %(required)d: reached") % {"required": 2}
    assert not_reached in tab.summary.text()

    press(qtbot, Qt.Key.Key_P)
    assert not_reached in tab.summary.text()
    assert ngettext("%(count)d participant in all", "%(count)d participants in all", 1) % {
        "count": 1} in tab.summary.text()

    press(qtbot, Qt.Key.Key_P)
    assert reached in tab.summary.text()
    assert not_reached not in tab.summary.text()
    type_into(qtbot, tab.walk_in, "Nadia Koné")
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)
    assert ngettext("%(count)d participant in all", "%(count)d participants in all", 3) % {
        "count": 3} in tab.summary.text()
    assert tab.summary.text() == summary_text(svc.attendance_summary(db, meeting))


def double_click_row(qtbot, tab, row: int) -> None:
    """A double click is a click, then a second press that Qt reports as double."""
    centre = tab.view.visualRect(tab.model.index(row, 0)).center()
    qtbot.mouseClick(tab.view.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(tab.view.viewport(), LEFT, pos=centre)


def test_double_click_cycles_present_excused_absent(qtbot, db, meeting, tab):
    first = people_in_order(tab)[0]
    for expected in ("present", "excuse", "absent", "present"):
        double_click_row(qtbot, tab, 0)
        assert statuses(db, meeting)[first] == expected
        assert tab.model.index(0, 3).data() == status_labels(db)[expected]


def test_after_a_double_click_the_line_stays_selected_for_the_keyboard(qtbot, db, meeting,
                                                                         tab):
    second = people_in_order(tab)[1]
    double_click_row(qtbot, tab, 1)                         # present
    assert selected_rows(tab) == [1]
    press(qtbot, Qt.Key.Key_E)                              # she goes on with the keys
    assert statuses(db, meeting)[second] == "excuse"


@POPUP
def test_a_walk_in_added_to_a_long_list_is_scrolled_into_view(qtbot, db, bgg):
    members(db, bgg, 40)
    meeting = plan(db, bgg, NOV)
    tab = open_tab(qtbot, db, meeting)
    type_into(qtbot, tab.walk_in, "Nadia Koné")
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)

    nadia = db.scalar("SELECT id FROM people WHERE last_name = 'Koné'")
    row = row_of_person(tab, nadia)
    assert row == 40
    rect = tab.view.visualRect(tab.model.index(row, 0))
    assert tab.view.viewport().rect().contains(rect.center())


def test_clicking_a_status_button_marks_the_selected_line(qtbot, db, meeting, tab):
    click_row(qtbot, tab.view, 2)
    qtbot.mouseClick(tab.buttons["excuse"], LEFT)
    assert statuses(db, meeting)[people_in_order(tab)[2]] == "excuse"
    assert selected_rows(tab) == [3]
    assert QApplication.focusWidget() is not None


@POPUP
def test_the_directory_is_read_for_suggestions_when_a_name_is_typed(qtbot, db, meeting, tab,
                                                                    monkeypatch):
    """Thousands of people after ten years: opening a meeting's attendance does not read
    them; the walk-in field does, when first used, and again only after a change."""
    from perr_desktop.services import people as people_service

    reads: list[int] = []
    real = people_service.choices
    monkeypatch.setattr(people_service, "choices", lambda db_: reads.append(1) or real(db_))
    person(db, "Bernard", "Durand", organisation="Logélia")
    tab.load(meeting)
    assert reads == []
    type_into(qtbot, tab.walk_in, "dur")
    assert reads == [1]
    assert "Bernard Durand (Logélia)" in tab.completer.model().stringList()
    tab.load(meeting)
    type_into(qtbot, tab.walk_in, "ber")
    assert reads == [1]                          # the directory did not change
