"""Builders for the walking-diagnostics GUI tests: a council's night walk set up through
the services (the GUI under test is the screen, not the set-up), real image files made
with Pillow (phone photos with their EXIF time, a plan), and small lookups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QAbstractButton, QListWidget, QWidget

from perr_desktop.services import councils, people, walks
from perr_desktop.ui.walks.plan import Pin

BGG = "Basseau Grande-Garenne"
NIGHT = "Diagnostic de nuit"
NIGHT_DATE = "2026-11-19"
# The route Samira prepared: eight stops, accents and apostrophes included.
STOPS = ("Entrée du quartier", "Rue de Basseau, n° 12", "Place du marché",
         "Résidence Les Rochers, hall B", "École Jules-Ferry", "Arrêt de bus Chénier",
         "Aire de jeux", "Local associatif")
LAMP = "Lampadaire éteint depuis 3 semaines devant le n° 12"

# Every table an action of the Walks screens may write to.
WALK_TABLES = ("media", "walks", "walk_stops", "walk_participants", "observations", "photos",
               "followups", "followup_steps")

_EXIF_IFD, _DATETIME_ORIGINAL = 0x8769, 0x9003


def dump(db, tables: tuple[str, ...] = WALK_TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row and column of ``tables``: two equal dumps prove nothing was written."""
    return {table: db.query(f"SELECT * FROM {table} ORDER BY id") for table in tables}


def make_council(db, name: str = BGG) -> str:
    return councils.create_council(db, name, status="actif")


def make_walk(db, council_id: str, title: str = NIGHT, day: str = NIGHT_DATE,
              stops: tuple[str, ...] = STOPS, period: str = "nuit") -> str:
    """A walk with its route, in one transaction."""
    with db.transaction():
        walk_id = walks.create_walk(db, council_id, title, day, period, "20:30")
        for name in stops:
            walks.add_stop(db, walk_id, name)
    return walk_id


def stop_ids(db, walk_id: str) -> list[str]:
    return [s["id"] for s in walks.stops(db, walk_id)]


def person(db, first: str, last: str, **fields: Any) -> str:
    return people.create_person(db, first_name=first, last_name=last, **fields)


def walk_row(db, walk_id: str) -> dict[str, Any]:
    return db.query_one("SELECT * FROM walks WHERE id = ?", (walk_id,))


def row(db, table: str, record_id: str) -> dict[str, Any]:
    return db.query_one(f"SELECT * FROM {table} WHERE id = ?", (record_id,))


def set_created_at(db, table: str, record_id: str, utc: dt.datetime) -> None:
    """Pretend the record was typed at ``utc`` (observations typed in the street carry the
    time they were created: that is what photos are matched on)."""
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with db.transaction():
        db.execute(f"UPDATE {table} SET created_at = ? WHERE id = ?", (stamp, record_id))


# -- image files --------------------------------------------------------------------------

def phone_photo(path: Path, taken: dt.datetime | None = None,
                colour: tuple[int, int, int] = (40, 60, 90), size: tuple[int, int] = (96, 72)
                ) -> Path:
    """A small JPEG as a phone writes it: ``taken`` (camera wall-clock time) in EXIF
    DateTimeOriginal. Each colour gives a different file (the importer dedupes by hash)."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(_EXIF_IFD)[_DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", exif=exif, quality=80)
    return path


def not_a_photo(path: Path) -> Path:
    """A text file someone renamed .jpg (a WhatsApp export's notes, say)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Ceci n'est pas une photo : compte rendu de la balade.\n",
                    encoding="utf-8")
    return path


def plan_image(path: Path, size: tuple[int, int] = (800, 500)) -> Path:
    """The neighbourhood plan the city gave: a PNG, wider than tall."""
    image = Image.new("RGB", size, (235, 232, 220))
    for x in range(0, size[0], 100):          # a street grid, so it is not blank
        for y in range(size[1]):
            image.putpixel((x, y), (120, 120, 120))
    image.save(path, "PNG")
    return path


# -- what the user sees ---------------------------------------------------------------------

def button(widget: QWidget, text: str) -> QAbstractButton:
    """The one button showing ``text`` (its mnemonic « & » ignored) inside ``widget``."""
    wanted = text.replace("&", "")
    found = [b for b in widget.findChildren(QAbstractButton)
             if b.text().replace("&", "") == wanted]
    assert len(found) == 1, f"{len(found)} buttons {wanted!r}"
    return found[0]


def pins(view) -> list[Pin]:
    """The numbered pins drawn on a PlanView."""
    return [item for item in view.scene().items() if isinstance(item, Pin)]


def list_texts(view: QListWidget) -> list[str]:
    return [view.item(n).text() for n in range(view.count())]


def point_on_plan(view, fx: float, fy: float) -> QPoint:
    """Where, in the view's viewport, the point at (fx, fy) of the plan is drawn."""
    size = view.pixmap_item.pixmap().size()
    return view.mapFromScene(QPointF(fx * size.width(), fy * size.height()))


def fraction_at(view, pos: QPoint) -> tuple[float, float]:
    """The fraction of the plan under the viewport position ``pos`` (the view's mapping)."""
    scene = view.mapToScene(pos)
    size = view.pixmap_item.pixmap().size()
    return scene.x() / size.width(), scene.y() / size.height()


def check_item(qtbot, view: QListWidget, row: int) -> None:
    """Tick a check box in a list with the keyboard: go to its line, press Space."""
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus, timeout=1000)
    view.setCurrentRow(row)
    qtbot.keyClick(view, Qt.Key.Key_Space)
