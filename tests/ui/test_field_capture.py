"""Field capture (journey 4): observations typed during the walk, keyboard alone, each
keystroke on disk within a second, nothing to save, nothing asked on closing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QListWidget, QPlainTextEdit

from perr_desktop.services import councils, followups, reference, walks
from perr_desktop.ui import style
from perr_desktop.ui.field_capture import FieldCaptureWindow
from tests.ui.helpers import (
    CTRL,
    OFFSCREEN_SIZE_HINTS,
    click_row,
    key_text,
    show,
)

pytestmark = OFFSCREEN_SIZE_HINTS

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LAMP = "lampadaire éteint depuis 3 semaines devant le n° 12"
STOPS = ("Entrée du quartier", "Square des Tilleuls", "Place du marché",
         "Parking de la Grande Garenne", "École Jules-Ferry", "Arrêt de bus Basseau",
         "Aire de jeux", "Local associatif")
# Typing is written 300 ms after the last keystroke: well within this.
ONE_SECOND = 1000


@pytest.fixture
def walk(db):
    council = councils.create_council(db, "Basseau Grande-Garenne", status="actif")
    walk_id = walks.create_walk(db, council, "Diagnostic de nuit", "2026-11-19",
                                period="nuit", start_time="20:30")
    for name in STOPS:
        walks.add_stop(db, walk_id, name)
    return walk_id


@pytest.fixture
def stops(db, walk):
    return [s["id"] for s in walks.stops(db, walk)]


@pytest.fixture
def capture(qtbot, db, walk):
    """The field capture window on the walk, shown and active, as on a small laptop at
    150 % (1280 × 720 logical pixels)."""
    def build(width: int = 1280, height: int = 720) -> FieldCaptureWindow:
        return show(qtbot, FieldCaptureWindow(db, walk), width, height)

    return build


def stored(db, walk_id):
    return walks.observations(db, walk_id)


def bodies(db, walk_id, observation_id):
    return [f["body"] for f in followups.for_walk(db, walk_id).get(observation_id, [])]


def focused():
    return QApplication.focusWidget()


# -- journey 4 -------------------------------------------------------------------------

def test_journey_4_typed_with_the_keyboard_alone_is_on_disk_without_closing(
        qtbot, db, walk, stops, capture):
    window = capture()
    field = window.description
    assert focused() is field          # she can type at once
    assert "1 / 8" in window.stop_label.text()

    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    assert "3 / 8" in window.stop_label.text()
    assert "Place du marché" in window.stop_label.text()
    assert focused() is field

    lighting = window.themes.buttons["eclairage"]
    assert lighting.key == "F2"        # the key is written on the button
    qtbot.keyClick(field, Qt.Key.Key_F2)
    qtbot.keyClick(field, Qt.Key.Key_Minus, CTRL)
    key_text(qtbot, field, LAMP)
    qtbot.keyClick(field, Qt.Key.Key_1, CTRL)
    assert window.bodies.buttons["ville"].key == "Alt+1"
    qtbot.keyClick(field, Qt.Key.Key_1, ALT)

    def saved():
        rows = stored(db, walk)
        return (len(rows) == 1 and rows[0]["description"] == LAMP
                and bodies(db, walk, rows[0]["id"]) == ["ville"])

    qtbot.waitUntil(saved, timeout=ONE_SECOND)
    assert window.isVisible()
    (row,) = stored(db, walk)
    assert row["stop_id"] == stops[2]
    assert row["theme"] == "eclairage"
    assert row["positive"] == 0
    assert row["priority"] == 1
    assert row["number"] == 1
    (followup,) = followups.for_walk(db, walk)[row["id"]]
    assert (followup["body"], followup["status"]) == ("ville", "a_transmettre")
    assert lighting.isChecked() and window.negative_button.isChecked()
    assert window.priority.buttons["1"].isChecked()
    assert window.bodies.buttons["ville"].isChecked()
    assert not window.banner.isVisible()
    assert "1" in window.observation_label.text()
    assert "lampadaire" in window.strip.item(0).text()


def test_typing_alone_is_saved_within_a_second_of_the_last_keystroke(qtbot, db, walk,
                                                                       capture):
    window = capture()
    key_text(qtbot, window.description, "Banc cassé")
    assert stored(db, walk) == []      # not yet: she is still typing

    qtbot.waitUntil(lambda: [r["description"] for r in stored(db, walk)] == ["Banc cassé"],
                    timeout=ONE_SECOND)
    key_text(qtbot, window.description, " près du square")
    qtbot.waitUntil(lambda: stored(db, walk)[0]["description"]
                    == "Banc cassé près du square", timeout=ONE_SECOND)
    assert len(stored(db, walk)) == 1
    assert window.isVisible()


def test_tab_goes_from_the_description_to_the_proposal(qtbot, db, walk, capture):
    window = capture()
    key_text(qtbot, window.description, "Trottoir défoncé")
    qtbot.keyClick(window.description, Qt.Key.Key_Tab)
    assert focused() is window.proposal
    assert window.description.toPlainText() == "Trottoir défoncé"   # no tab typed
    key_text(qtbot, window.proposal, "Reprendre l'enrobé")

    qtbot.waitUntil(lambda: stored(db, walk) and stored(db, walk)[0]["proposal"]
                    == "Reprendre l'enrobé", timeout=ONE_SECOND)
    assert stored(db, walk)[0]["description"] == "Trottoir défoncé"


# -- one observation after the other ---------------------------------------------------

def test_ctrl_enter_starts_the_next_observation_at_the_same_stop(qtbot, db, walk, stops,
                                                                capture):
    window = capture()
    field = window.description
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    key_text(qtbot, field, LAMP)
    qtbot.keyClick(field, Qt.Key.Key_Return, CTRL)

    # The first one was written at once, without waiting for the pause.
    assert [r["description"] for r in stored(db, walk)] == [LAMP]
    assert "2" in window.observation_label.text()
    assert "3 / 8" in window.stop_label.text()
    assert field.toPlainText() == ""
    assert focused() is field
    assert window.themes.value() is None and window.bodies.value() == []
    assert [window.strip.item(i).text().split()[1] for i in range(window.strip.count())] \
        == ["1"]

    qtbot.keyClick(field, Qt.Key.Key_F6)             # espaces verts
    qtbot.keyClick(field, Qt.Key.Key_Plus, CTRL)     # point fort
    key_text(qtbot, field, "Jardin partagé entretenu")
    qtbot.waitUntil(lambda: len(stored(db, walk)) == 2
                    and stored(db, walk)[1]["description"] == "Jardin partagé entretenu",
                    timeout=ONE_SECOND)
    second = stored(db, walk)[1]
    assert (second["number"], second["stop_id"], second["theme"], second["positive"]) == \
        (2, stops[2], "espaces_verts", 1)
    assert window.strip.count() == 2


def test_an_empty_observation_is_never_written(qtbot, db, walk, capture):
    window = capture()
    field = window.description
    qtbot.keyClick(field, Qt.Key.Key_Return, CTRL)   # nothing to finish
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    key_text(qtbot, field, "a")
    qtbot.keyClick(field, Qt.Key.Key_Backspace)      # typed, then taken back
    qtbot.keyClick(field, Qt.Key.Key_Return, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    qtbot.keyClick(field, Qt.Key.Key_0, CTRL)        # « aucune » priority: nothing chosen
    assert "1" in window.observation_label.text()

    qtbot.keyClick(field, Qt.Key.Key_Escape)

    assert not window.isVisible()
    assert stored(db, walk) == []
    assert db.scalar("SELECT count(*) FROM observations") == 0


def test_a_theme_chosen_by_mistake_and_taken_off_leaves_nothing(qtbot, db, walk, capture):
    window = capture()
    field = window.description
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert len(stored(db, walk)) == 1                # a choice is written at once
    qtbot.keyClick(field, Qt.Key.Key_F3)             # the same key takes it off
    assert window.themes.value() is None

    qtbot.keyClick(field, Qt.Key.Key_PageDown)

    assert stored(db, walk) == []
    assert "3 / 8" not in window.stop_label.text() and "2 / 8" in window.stop_label.text()


def test_closing_writes_the_edit_still_waiting_for_the_pause(qtbot, db, walk, capture):
    window = capture()
    key_text(qtbot, window.description, "Tag sur le transformateur")
    assert stored(db, walk) == []

    qtbot.keyClick(window.description, Qt.Key.Key_Escape)   # asks nothing

    assert not window.isVisible()
    assert [r["description"] for r in stored(db, walk)] == ["Tag sur le transformateur"]


def test_finish_button_writes_and_closes(qtbot, db, walk, capture):
    window = capture()
    key_text(qtbot, window.proposal, "Poser une poubelle")
    qtbot.mouseClick(window.finish_button, Qt.MouseButton.LeftButton)

    assert not window.isVisible()
    assert [r["proposal"] for r in stored(db, walk)] == ["Poser une poubelle"]


def test_moving_to_another_stop_finishes_the_observation(qtbot, db, walk, stops, capture):
    window = capture()
    field = window.description
    key_text(qtbot, field, "Entrée mal éclairée")
    qtbot.keyClick(field, Qt.Key.Key_PageDown)

    assert [(r["description"], r["stop_id"]) for r in stored(db, walk)] == \
        [("Entrée mal éclairée", stops[0])]
    assert field.toPlainText() == ""
    assert window.strip.count() == 0 and window.strip_empty.isVisible()
    qtbot.keyClick(field, Qt.Key.Key_PageUp)
    assert "1 / 8" in window.stop_label.text()
    assert window.strip.count() == 1
    qtbot.keyClick(field, Qt.Key.Key_PageUp)        # already at the first stop
    assert "1 / 8" in window.stop_label.text()
    assert not window.previous_stop_button.isEnabled()


# -- reopening and numbering -----------------------------------------------------------

def test_reopening_an_observation_from_the_strip_edits_it(qtbot, db, walk, stops, capture):
    first = walks.add_observation(db, walk, bodies=["bailleur"], stop_id=stops[2],
                                  theme="proprete", description="Dépôts sauvages")
    walks.add_observation(db, walk, stop_id=stops[2], theme="bruit", positive=1,
                          description="Rue calme")
    window = capture()
    assert "3 / 8" in window.stop_label.text()     # back where she was
    assert "3" in window.observation_label.text()
    assert window.strip.count() == 2
    assert window.strip.item(0).text().startswith(window.strip.item(0).text().split()[0])

    click_row(qtbot, window.strip, 0)
    qtbot.waitUntil(lambda: window.description.toPlainText() == "Dépôts sauvages",
                    timeout=ONE_SECOND)
    assert "1" in window.observation_label.text()
    assert window.themes.value() == "proprete"
    assert window.bodies.value() == ["bailleur"]
    assert focused() is window.description

    qtbot.keyClick(window.description, Qt.Key.Key_End, CTRL)
    key_text(qtbot, window.description, " au pied des conteneurs")
    qtbot.keyClick(window.description, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(window.description, Qt.Key.Key_1, ALT)

    rows = stored(db, walk)
    assert len(rows) == 2
    assert rows[0]["id"] == first
    assert rows[0]["description"] == "Dépôts sauvages au pied des conteneurs"
    assert rows[0]["priority"] == 2
    assert sorted(bodies(db, walk, first)) == ["bailleur", "ville"]


def test_numbering_continues_after_existing_observations(qtbot, db, walk, stops, capture):
    for number in range(1, 12):
        walks.add_observation(db, walk, stop_id=stops[0], description=f"Constat {number}")
    eleventh = stored(db, walk)[-1]["id"]
    walks.remove_observation(db, eleventh)           # its number is never reused
    window = capture()
    assert "12" in window.observation_label.text()

    key_text(qtbot, window.description, "Passage piéton effacé")
    qtbot.waitUntil(lambda: len(stored(db, walk)) == 11, timeout=ONE_SECOND)
    assert stored(db, walk)[-1]["number"] == 12
    assert stored(db, walk)[-1]["description"] == "Passage piéton effacé"


# -- keys ----------------------------------------------------------------------------

def test_every_theme_and_body_has_its_own_key_written_on_it(qtbot, db, walk, capture):
    window = capture()
    theme_keys = [b.key for b in window.themes.buttons.values()]
    assert len(theme_keys) == 13
    assert theme_keys[:12] == [f"F{n}" for n in range(1, 13)]
    assert theme_keys[12] == "Shift+F1"
    assert [b.key for b in window.bodies.buttons.values()] == \
        [f"Alt+{n}" for n in range(1, 9)]

    qtbot.keyClick(window.description, Qt.Key.Key_F1, SHIFT)
    assert window.themes.value() == "bruit"
    qtbot.keyClick(window.description, Qt.Key.Key_F1)
    assert window.themes.value() == "proprete"     # one theme at a time
    qtbot.keyClick(window.description, Qt.Key.Key_Equal, CTRL)   # Ctrl+= as Ctrl++
    assert window.positive_button.isChecked()
    qtbot.keyClick(window.description, Qt.Key.Key_3, CTRL)
    qtbot.keyClick(window.description, Qt.Key.Key_0, CTRL)
    assert window.priority.value() is None
    row = stored(db, walk)[0]
    assert (row["theme"], row["positive"], row["priority"]) == ("proprete", 1, None)


# -- refusals ----------------------------------------------------------------------------

def test_a_refusal_is_one_sentence_in_a_banner_and_the_window_stays_open_once(
        qtbot, db, walk, capture, modals):
    window = capture()
    ville = next(e for e in reference.vocabulary(db, "body") if e["code"] == "ville")
    reference.remove_vocabulary_entry(db, ville["id"])   # from another window, meanwhile

    qtbot.keyClick(window.description, Qt.Key.Key_1, ALT)

    assert window.banner.isVisible()
    assert "ville" in window.banner.text()
    assert "\n" not in window.banner.text() and "Traceback" not in window.banner.text()
    assert stored(db, walk) == []
    assert modals.messages == [] and modals.opened == []

    qtbot.keyClick(window.description, Qt.Key.Key_Escape)
    assert window.isVisible()                        # the reason can be read first
    qtbot.keyClick(window.description, Qt.Key.Key_Escape)
    assert not window.isVisible()


# -- reading it in the street ------------------------------------------------------------

@pytest.fixture(params=["bare", "application style sheet"])
def styled(request):
    """With and without an application-wide style sheet (``-stylesheet FILE`` on the
    command line gives one), under which Qt stops passing fonts from parent to child."""
    app = QApplication.instance()
    before = app.styleSheet()
    if request.param != "bare":
        app.setStyleSheet(style.CARD + style.INVALID)
    yield
    app.setStyleSheet(before)


def test_type_is_large_and_follows_the_application_font(qtbot, db, walk, styled, capture):
    window = capture()
    window.toggle_palette()            # a new style sheet must not shrink anything back
    base = QApplication.font().pointSizeF()
    for widget in (window.description, window.proposal, window.themes.buttons["eclairage"],
                   window.positive_button, window.next_button, window.strip):
        assert widget.font().pointSizeF() == pytest.approx(base * 1.8), widget
    assert window.stop_label.font().pointSizeF() > base * 1.8


def test_a_small_window_wraps_the_choices_without_overlap(qtbot, db, walk, capture):
    window = capture(760, 520)
    buttons = list(window.themes.buttons.values()) + list(window.bodies.buttons.values())
    for choices in (window.themes, window.bodies):
        rects = [b.geometry() for b in choices.buttons.values()]
        assert all(r.width() >= b.minimumSizeHint().width() * 0.9 or r.right()
                   <= choices.width() for r, b in zip(rects, choices.buttons.values(),
                                                      strict=True))
        for i, first in enumerate(rects):
            for second in rects[i + 1:]:
                assert not QRect(first).intersects(second)
            assert first.right() <= choices.width()
    assert all(b.isVisible() for b in buttons)
    assert window.minimumSizeHint().width() <= 760
    # The field being typed into is scrolled into view, from its first lines.
    field = window.description
    assert focused() is field
    qtbot.waitUntil(lambda: field.visibleRegion().boundingRect().top() == 0
                    and field.visibleRegion().boundingRect().height()
                    >= field.fontMetrics().lineSpacing() * 2, timeout=ONE_SECOND)


def test_it_fits_a_laptop_at_150_percent(qtbot, db, walk, capture):
    window = capture()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720
    assert window.description.height() >= window.description.fontMetrics().lineSpacing() * 3


def test_every_control_is_named_for_a_screen_reader(qtbot, db, walk, capture):
    window = capture()
    key_text(qtbot, window.description, "Banc")
    qtbot.keyClick(window.description, Qt.Key.Key_Return, CTRL)
    controls = [w for kind in (QAbstractButton, QPlainTextEdit, QListWidget)
                for w in window.findChildren(kind) if w.isVisible()]
    assert len(controls) > 30
    assert [w for w in controls if not w.accessibleName().strip()] == []
    assert window.themes.buttons["eclairage"].accessibleDescription()   # says its key


def test_a_route_without_stops_still_takes_observations(qtbot, db, capture):
    council = councils.create_council(db, "Ma Campagne", status="actif")
    walk_id = walks.create_walk(db, council, "Marche exploratoire", "2026-06-11")
    window = show(qtbot, FieldCaptureWindow(db, walk_id), 1280, 720)
    assert window.stop_label.text()
    assert not window.next_stop_button.isEnabled()
    qtbot.keyClick(window.description, Qt.Key.Key_PageDown)       # nowhere to go

    key_text(qtbot, window.description, "Pas de bancs")
    qtbot.keyClick(window.description, Qt.Key.Key_Return, CTRL)

    assert [(r["description"], r["stop_id"]) for r in stored(db, walk_id)] == \
        [("Pas de bancs", None)]
    assert window.strip.count() == 1


def test_a_reopened_observation_shows_a_theme_removed_from_the_list_since(
        qtbot, db, walk, stops, capture):
    walks.add_observation(db, walk, bodies=["association"], stop_id=stops[0], theme="bruit",
                          description="Musique tard le soir")
    for kind, code in (("observation_theme", "bruit"), ("body", "association")):
        entry = next(e for e in reference.vocabulary(db, kind) if e["code"] == code)
        reference.remove_vocabulary_entry(db, entry["id"])
    window = capture()
    assert "bruit" not in window.themes.buttons      # no longer offered for new ones

    click_row(qtbot, window.strip, 0)
    qtbot.waitUntil(lambda: window.themes.value() == "bruit", timeout=ONE_SECOND)
    assert window.themes.buttons["bruit"].text() == "Bruit"   # what is stored is seen
    assert window.bodies.value() == ["association"]
    assert not window.grab().isNull()                # painted, tick and all

    qtbot.keyClick(window.description, Qt.Key.Key_Return, CTRL)
    assert "bruit" not in window.themes.buttons
    assert window.themes.value() is None
