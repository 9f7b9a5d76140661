"""The table models: sound for Qt (qtmodeltester), and lazy over a large directory."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt

from perr_desktop.services import people
from perr_desktop.ui.councils import CouncilsPage
from perr_desktop.ui.members import MembershipDialog
from perr_desktop.ui.people import PeoplePage
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    click_row,
    council_id,
    row_where,
    show,
    type_into,
)

pytestmark = OFFSCREEN_SIZE_HINTS

FIRST = ("Hélène", "Noël", "Zoé", "Kévin", "Aïcha", "Loïc", "Gaëlle", "Théo", "Inès", "Jérôme")
LAST = ("Garnier", "Le Bihan", "Lefèvre", "Bœuf", "Diallo", "N'Diaye", "Martin", "Öztürk",
        "Da Silva", "L'Hôte")


def fill_directory(db, count: int) -> list[str]:
    """``count`` people with varied names, some with an organisation, in one transaction."""
    ids = []
    with db.transaction():
        for n in range(count):
            ids.append(people.create_person(
                db, gender=("femme", "homme", "non_precise")[n % 3],
                first_name=FIRST[n % len(FIRST)], last_name=f"{LAST[n % len(LAST)]} {n:05d}",
                organisation="Régie de quartier" if n % 7 == 0 else "",
                email=f"p{n}@example.org" if n % 2 else "",
            ))
    return ids


def click_header(qtbot, view, column: int) -> None:
    header = view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), LEFT,
                     pos=QPoint(header.sectionViewportPosition(column) + 5,
                                header.height() // 2))


def test_the_councils_model(qtbot, qtmodeltester, settings, qpv_db):
    page = show(qtbot, CouncilsPage(qpv_db, settings))
    bgg = council_id(qpv_db, "Basseau Grande-Garenne")
    for person in fill_directory(qpv_db, 4):
        people.add_membership(qpv_db, bgg, person, "habitants")

    qtmodeltester.check(page.model)
    page.refresh()                                    # a reset while the tester watches
    page.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    page.model.reload_rows([bgg])

    assert page.model.rowCount() == 5
    assert page.model.index(0, 0).data() == "Basseau Grande-Garenne"   # most members
    assert page.model.index(0, 3).data() == "4"
    assert page.model.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def test_the_members_model(qtbot, qtmodeltester, settings, qpv_db):
    bgg = council_id(qpv_db, "Basseau Grande-Garenne")
    ids = fill_directory(qpv_db, 6)
    for person in ids:
        people.add_membership(qpv_db, bgg, person, "habitants", joined_on="2024-01-10")
    people.update_membership(
        qpv_db, qpv_db.scalar("SELECT id FROM memberships WHERE person_id = ?", (ids[0],)),
        left_on="2024-06-30")
    page = show(qtbot, CouncilsPage(qpv_db, settings))
    click_row(qtbot, page.view, row_where(page.model, 0, "Basseau Grande-Garenne"))
    model = page.detail.members_model
    page.detail.tabs.setCurrentWidget(page.detail.members_tab)

    qtmodeltester.check(model)
    assert model.rowCount() == 5
    page.detail.show_former.setChecked(True)
    assert model.rowCount() == 6
    page.detail.members_view.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 5).data()                   # the one who left, on top
    assert [model.index(r, 5).data() for r in range(1, 6)] == [""] * 5
    page.detail.load(None)
    assert model.rowCount() == 0


def test_the_people_model_over_300_people(qtbot, qtmodeltester, db):
    fill_directory(db, 300)
    page = show(qtbot, PeoplePage(db))
    model = page.model
    assert model.rowCount() == 300

    qtmodeltester.check(model)

    click_header(qtbot, page.view, 1)
    first_names = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert first_names == sorted(first_names)
    assert page.view.horizontalHeader().sortIndicatorSection() == 1
    type_into(qtbot, page.search, "regie")             # accents do not matter
    qtbot.waitUntil(lambda: model.rowCount() == 43, timeout=2000)
    assert {model.index(r, 2).data() for r in range(model.rowCount())} == {
        "Régie de quartier"}
    model.reload_rows([model.id_at(0), "not-an-id"])
    assert model.headerData(0, Qt.Orientation.Horizontal) == page.view.model().headerData(
        0, Qt.Orientation.Horizontal)


@pytest.mark.parametrize("column,values", [
    (1, ["Émilie", "Léa", "Zoé"]),
    (2, ["Écoute et partage", "Maison des familles", "Œuvre du quartier"]),
])
def test_sorting_by_first_name_or_organisation_follows_french_order(qtbot, db, column,
                                                                    values):
    for n, value in enumerate(reversed(values)):
        people.create_person(db, first_name=value if column == 1 else "Jean",
                             last_name=f"Nom{n}",
                             organisation=value if column == 2 else "")
    page = show(qtbot, PeoplePage(db))

    click_header(qtbot, page.view, column)

    assert [page.model.index(r, column).data() for r in range(3)] == values


def test_the_membership_dialog_results_model(qtbot, qtmodeltester, qpv_db):
    fill_directory(qpv_db, 30)
    bgg = council_id(qpv_db, "Basseau Grande-Garenne")
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)

    qtmodeltester.check(dialog.results_model)
    type_into(qtbot, dialog.search, "garn")
    qtbot.waitUntil(lambda: dialog.results_model.rowCount() == 3, timeout=2000)
    assert all(dialog.results_model.index(r, 0).data().startswith("Hélène Garnier")
               for r in range(3))


# -- a directory of 20,000 -----------------------------------------------------------------


@pytest.fixture
def fetched(monkeypatch):
    """Every id whose row the People page asks the database for."""
    asked: list[str] = []
    real = people.people_rows

    def counting(db, ids):
        ids = list(ids)
        asked.extend(ids)
        return real(db, ids)

    monkeypatch.setattr(people, "people_rows", counting)
    return asked


def test_a_directory_of_20000_opens_without_loading_every_row(qtbot, db, fetched):
    fill_directory(db, 20_000)

    page = show(qtbot, PeoplePage(db))
    qtbot.wait(20)                                    # let the table paint

    assert page.model.rowCount() == 20_000
    assert "".join(re.findall(r"\d", page.count.text())) == "20000"
    assert 0 < len(fetched) < 500
    assert page.model.index(0, 0).data()              # the first rows are there

    page.view.scrollToBottom()
    qtbot.wait(20)
    click_header(qtbot, page.view, 1)                 # sort by first name: ids only
    qtbot.wait(20)

    assert len(fetched) < 500                         # one page at each end, then one more
    assert page.model.rowCount() == 20_000
