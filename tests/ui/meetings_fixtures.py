"""Builders for the Meetings GUI tests: a council with its members, meetings planned
through the services (the GUI under test is the screen, not the set-up), table dumps."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from perr_desktop.services import councils, people
from perr_desktop.services import meetings as svc

BGG = "Basseau Grande-Garenne"
MAISON = "Maison de quartier de Basseau"

# Thursday evenings of one council, a month apart.
OCT = "2026-10-15T18:30"
NOV = "2026-11-19T18:30"
NOV_END = "2026-11-19T20:30"
DEC = "2026-12-17T18:30"

FIRST = ("Hélène", "Noël", "Zoé", "Kévin", "Aïcha", "Loïc", "Gaëlle", "Théo", "Inès",
         "Jérôme")
LAST = ("Garnier", "Le Bihan", "Lefèvre", "Bœuf", "Diallo", "N'Diaye", "Martin", "Öztürk",
        "Da Silva", "L'Hôte")

# Every table an action of the Meetings screens may write to.
MEETING_TABLES = (
    "meetings", "meeting_guest_councils", "meeting_objectives", "agenda_items", "attendance",
    "headcounts", "decisions", "actions", "action_updates", "amendments", "people",
    "memberships",
)


def dump(db, tables: tuple[str, ...] = MEETING_TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row and column of ``tables``: two equal dumps prove nothing was written."""
    return {table: db.query(f"SELECT * FROM {table} ORDER BY id") for table in tables}


def make_council(db, name: str = BGG, venue: str = MAISON, **fields: Any) -> str:
    return councils.create_council(db, name, status="actif", venue=venue, **fields)


def member(db, council_id: str, first: str, last: str, **fields: Any) -> str:
    person_id = people.create_person(db, first_name=first, last_name=last, **fields)
    people.add_membership(db, council_id, person_id, "habitants", joined_on="2020-01-01")
    return person_id


def members(db, council_id: str, count: int) -> list[str]:
    """``count`` members with accented, distinct names, in one transaction."""
    with db.transaction():
        return [member(db, council_id, FIRST[n % len(FIRST)],
                       f"{LAST[n % len(LAST)]} {n:02d}",
                       gender=("femme", "homme")[n % 2])
                for n in range(count)]


def person(db, first: str, last: str, **fields: Any) -> str:
    """Someone of the directory who is no member (a partner, a neighbour)."""
    return people.create_person(db, first_name=first, last_name=last, **fields)


def plan(db, council_id: str, starts_at: str = NOV, title: str = "Séance plénière",
         ends_at: str | None = None, **kw: Any) -> str:
    if ends_at is None:
        ends_at = starts_at[:11] + "20:30"
    return svc.plan_meeting(db, council_id, "pleniere", title, starts_at, ends_at, **kw)


def agenda(db, meeting_id: str, *titles: str) -> list[str]:
    return [svc.add_agenda_item(db, meeting_id, title) for title in titles]


def meeting_row(db, meeting_id: str) -> dict[str, Any]:
    return db.query_one("SELECT * FROM meetings WHERE id = ?", (meeting_id,))


def item_row(db, item_id: str) -> dict[str, Any]:
    return db.query_one("SELECT * FROM agenda_items WHERE id = ?", (item_id,))


def statuses(db, meeting_id: str) -> dict[str, str | None]:
    return {r["person_id"]: r["status"] for r in svc.attendance(db, meeting_id)}


def button(widget: QWidget, text: str) -> QAbstractButton:
    """The button showing ``text`` (its mnemonic « & » ignored) inside ``widget``."""
    wanted = text.replace("&", "")
    found = [b for b in widget.findChildren(QAbstractButton)
             if b.text().replace("&", "") == wanted]
    assert len(found) == 1, f"{len(found)} buttons {wanted!r}"
    return found[0]


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def show_dialog(qtbot, dialog, width: int = 640, height: int = 480) -> None:
    """Show a dialog the ModalDriver handed over, active as when it opens for real (its
    focus on the field its constructor chose). It is not registered with qtbot: its
    parent owns it, and the driver hides it afterwards."""
    dialog.resize(width, height)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    # The window system says « active » before QApplication has caught up: wait for it.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
