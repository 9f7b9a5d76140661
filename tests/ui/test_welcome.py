"""First start: the welcome page on an empty database, and its three ways in."""

from __future__ import annotations

from PySide6.QtCore import Qt

from perr_desktop.domain.councils import CouncilStatus
from perr_desktop.services import councils
from tests.ui.helpers import LEFT, OFFSCREEN_SIZE_HINTS, column_texts

pytestmark = OFFSCREEN_SIZE_HINTS

QPV_NAMES = ["Basseau Grande-Garenne", "Bel-Air Grand Font", "Champ de Manœuvre",
             "L'Étang des Moines", "Ma Campagne"]


def test_empty_database_opens_on_the_welcome_page_without_navigation(make_window, db):
    window = make_window(db)

    assert window.current_page() is window.welcome
    assert window.welcome.isVisible()
    assert not window.navigation.isVisible()
    choices = window.welcome.choices
    assert choices.count() == 5
    assert all(choices.item(i).checkState() == Qt.CheckState.Checked
               for i in range(choices.count()))
    assert "Basseau Grande-Garenne" in choices.item(0).text()


def test_create_makes_the_five_councils_and_opens_them(qtbot, make_window, db):
    window = make_window(db)

    qtbot.mouseClick(window.welcome.create_button, LEFT)

    created = councils.list_councils(db)
    assert sorted(c["name"] for c in created) == QPV_NAMES
    statuses = {c["name"]: c["status"] for c in created}
    assert statuses.pop("Basseau Grande-Garenne") == CouncilStatus.EN_CREATION
    assert set(statuses.values()) == {CouncilStatus.ACTIF}
    assert all(c["neighbourhood_names"] == c["name"] for c in created)
    assert window.current_page() is window.councils
    assert window.navigation.isVisible()
    assert window.navigation.currentRow() == 0
    assert sorted(column_texts(window.councils.model)) == QPV_NAMES
    assert not window.councils.empty_hint.isVisible()
    # The first council is open on the right, ready to be filled in.
    assert window.councils.detail.isEnabled()
    assert window.councils.detail.title.text() in QPV_NAMES


def test_unticking_two_neighbourhoods_creates_only_three(qtbot, make_window, db):
    window = make_window(db)
    choices = window.welcome.choices
    choices.setFocus()
    for code in ("ma-campagne", "champ-de-manoeuvre"):
        row = next(i for i in range(choices.count())
                   if choices.item(i).data(Qt.ItemDataRole.UserRole) == code)
        choices.setCurrentRow(row)
        qtbot.keyClick(choices, Qt.Key.Key_Space)        # the keyboard way to untick
        assert choices.item(row).checkState() == Qt.CheckState.Unchecked

    qtbot.mouseClick(window.welcome.create_button, LEFT)

    names = sorted(c["name"] for c in councils.list_councils(db))
    assert names == ["Basseau Grande-Garenne", "Bel-Air Grand Font", "L'Étang des Moines"]
    assert window.councils.model.rowCount() == 3


def test_demo_button_asks_for_the_demonstration(qtbot, make_window, db):
    window = make_window(db)

    with qtbot.waitSignal(window.demoRequested, timeout=1000):
        qtbot.mouseClick(window.welcome.demo_button, LEFT)

    assert councils.list_councils(db) == []     # the user's own database stays empty


def test_empty_button_opens_an_empty_councils_page(qtbot, make_window, db):
    window = make_window(db)

    qtbot.mouseClick(window.welcome.empty_button, LEFT)

    assert councils.list_councils(db) == []
    assert window.current_page() is window.councils
    assert window.navigation.isVisible()
    assert window.councils.model.rowCount() == 0
    assert window.councils.empty_hint.isVisible()
    assert window.councils.empty_hint.text()
    assert not window.councils.detail.isEnabled()


def test_a_database_with_councils_skips_the_welcome(make_window, qpv_db):
    window = make_window(qpv_db)

    assert window.current_page() is window.councils
    assert window.navigation.isVisible()
