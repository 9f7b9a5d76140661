"""Journey 4, the photos: three residents' phones imported in a worker thread with a
cancellable progress dialog, a summary naming what was skipped, photos placed on the
observation noted at the same time, put on observations by hand or by dragging, and
the ones where people are recognisable flagged."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from perr_desktop.i18n import _, ngettext
from perr_desktop.services import photos, walks
from perr_desktop.ui.walks import photos as photos_ui
from perr_desktop.ui.walks.photos import ID_ROLE, PHOTO_MIME, PhotosTab
from tests.ui.helpers import CTRL, LEFT, OFFSCREEN_SIZE_HINTS, click_destructive, show, tick
from tests.ui.walks_fixtures import (
    LAMP,
    make_council,
    make_walk,
    not_a_photo,
    phone_photo,
    row,
    set_created_at,
    stop_ids,
)

pytestmark = OFFSCREEN_SIZE_HINTS

DAY = (2026, 11, 19)          # a November evening: Paris is UTC+1


def local(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(*DAY, hour, minute)


def utc(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(*DAY, hour, minute) - dt.timedelta(hours=1)


@pytest.fixture
def walk(db):
    return make_walk(db, make_council(db))


@pytest.fixture
def noted(db, walk):
    """Two observations typed in the street at 20:40 (stop 3) and 20:55 (stop 6)."""
    stops = stop_ids(db, walk)
    lamp = walks.add_observation(db, walk, ["ville"], stop_id=stops[2], theme="eclairage",
                                 description=LAMP)
    bench = walks.add_observation(db, walk, stop_id=stops[5], positive=True,
                                  description="Banc neuf à l'arrêt de bus")
    set_created_at(db, "observations", lamp, utc(20, 40))
    set_created_at(db, "observations", bench, utc(20, 55))
    return {"lamp": lamp, "bench": bench, "lamp_stop": stops[2], "bench_stop": stops[5]}


@pytest.fixture
def phones(tmp_path) -> dict[str, Path]:
    """What three residents sent: photos at 20:42, 20:56 and 22:30, and a note renamed
    .jpg by mistake."""
    folder = tmp_path / "balade"
    return {
        "lamp": phone_photo(folder / "IMG_2042.jpg", local(20, 42), (200, 180, 40)),
        "bench": phone_photo(folder / "android" / "20261119_205600.jpg", local(20, 56),
                             (40, 120, 60)),
        "late": phone_photo(folder / "android" / "20261119_223000.jpg", local(22, 30),
                            (10, 10, 90)),
        "note": not_a_photo(folder / "compte-rendu.jpg"),
    }


@pytest.fixture
def tab(qtbot, db, walk):
    tab = show(qtbot, PhotosTab(db), 1280, 800)
    tab.load(walk)
    return tab


def by_name(db, walk_id) -> dict[str, dict]:
    return {p["original_name"]: p for p in walks.photos(db, walk_id)}


def grid_ids(tab: PhotosTab) -> list[str]:
    return [tab.grid.item(n).data(ID_ROLE) for n in range(tab.grid.count())]


def grid_item(tab: PhotosTab, photo_id: str):
    for n in range(tab.grid.count()):
        if tab.grid.item(n).data(ID_ROLE) == photo_id:
            return tab.grid.item(n)
    raise AssertionError("the photo is not in the grid")


def target_row(tab: PhotosTab, observation_id: str) -> int:
    for n in range(tab.targets.count()):
        if tab.targets.item(n).data(ID_ROLE) == observation_id:
            return n
    raise AssertionError("the observation is not offered")


def click_photo(qtbot, tab: PhotosTab, photo_id: str, modifier=Qt.KeyboardModifier.NoModifier):
    item = grid_item(tab, photo_id)
    tab.grid.scrollToItem(item)
    qtbot.mouseClick(tab.grid.viewport(), LEFT, modifier,
                     tab.grid.visualItemRect(item).center())


def click_target(qtbot, tab: PhotosTab, observation_id: str) -> None:
    item = tab.targets.item(target_row(tab, observation_id))
    qtbot.mouseClick(tab.targets.viewport(), LEFT,
                     pos=tab.targets.visualItemRect(item).center())


def summary(modals) -> str:
    kind, _title, text = modals.messages[-1]
    assert kind == "information"
    return text


def imported(db, tab, walk, files) -> dict[str, dict]:
    tab.import_paths(list(files))
    return by_name(db, walk)


# -- importing -------------------------------------------------------------------------------

def test_a_folder_is_imported_in_a_worker_thread_with_a_summary(
        qtbot, db, tab, walk, noted, phones, modals, monkeypatch):
    seen = {}
    real = photos.import_photos

    def spy(worker_db, *args, **kwargs):
        seen["thread"] = threading.current_thread()
        seen["own connection"] = worker_db is not db
        return real(worker_db, *args, **kwargs)

    monkeypatch.setattr(photos, "import_photos", spy)
    tab.import_paths([phones["lamp"].parent])          # « Import a folder… »
    qtbot.waitUntil(lambda: tab.grid.count() == 3, timeout=5000)

    assert seen["thread"] is not threading.main_thread()
    assert seen["own connection"]
    assert set(by_name(db, walk)) == {"IMG_2042.jpg", "20261119_205600.jpg",
                                      "20261119_223000.jpg"}
    text = summary(modals)
    assert "compte-rendu.jpg" in text                   # the file skipped is named…
    assert _("not an image") in text                    # …with its reason
    assert text.startswith(ngettext("%(count)s photo imported", "%(count)s photos imported",
                                    3) % {"count": 3})
    assert tab.findChild(QProgressDialog) is None or not tab.findChild(
        QProgressDialog).isVisible()


def test_photos_land_on_the_observation_noted_at_that_time(
        qtbot, db, tab, walk, noted, phones, modals):
    stored = imported(db, tab, walk, phones.values())
    assert (stored["IMG_2042.jpg"]["observation_id"],
            stored["IMG_2042.jpg"]["stop_id"]) == (noted["lamp"], noted["lamp_stop"])
    assert (stored["20261119_205600.jpg"]["observation_id"],
            stored["20261119_205600.jpg"]["stop_id"]) == (noted["bench"], noted["bench_stop"])
    assert stored["20261119_223000.jpg"]["observation_id"] is None   # nothing noted then
    assert stored["IMG_2042.jpg"]["taken_at"] == "2026-11-19T20:42:00"

    label = grid_item(tab, stored["IMG_2042.jpg"]["id"]).text()
    assert _("no. %(number)d") % {"number": 1} in label
    assert "20:42" in label
    late = grid_item(tab, stored["20261119_223000.jpg"]["id"]).text()
    assert late == "22:30"                              # its time only: not placed


def test_the_same_photos_shared_again_are_not_imported_twice(
        qtbot, db, tab, walk, phones, modals):
    files = [phones["lamp"], phones["bench"]]
    imported(db, tab, walk, files)
    copy = phones["lamp"].parent / "WhatsApp Image 2026-11-19.jpg"
    copy.write_bytes(phones["lamp"].read_bytes())          # the same photo, shared
    again = imported(db, tab, walk, [*files, copy])
    assert len(again) == 2
    assert tab.grid.count() == 2
    assert len(modals.messages) == 2


def test_place_them_by_time_places_what_was_imported_before_the_notes(
        qtbot, db, tab, walk, phones, modals):
    imported(db, tab, walk, [phones["lamp"], phones["late"]])
    lamp = walks.add_observation(db, walk, description=LAMP)
    set_created_at(db, "observations", lamp, utc(20, 50))
    tab.refresh()
    qtbot.mouseClick(tab.by_time, LEFT)
    assert modals.messages[-1][0] == "information"
    stored = by_name(db, walk)
    assert stored["IMG_2042.jpg"]["observation_id"] == lamp          # 8 minutes away
    assert stored["20261119_223000.jpg"]["observation_id"] is None


# -- putting photos on observations ---------------------------------------------------------

def test_selected_photos_are_put_on_the_chosen_observation(
        qtbot, db, tab, walk, noted, phones, modals):
    stored = imported(db, tab, walk, [phones["late"], phones["bench"]])
    late, bench_photo = stored["20261119_223000.jpg"]["id"], stored["20261119_205600.jpg"]["id"]
    click_photo(qtbot, tab, late)
    click_photo(qtbot, tab, bench_photo, CTRL)
    assert set(tab._selected_ids()) == {late, bench_photo}
    assert tab.assign_button.isEnabled()
    click_target(qtbot, tab, noted["lamp"])
    qtbot.mouseClick(tab.assign_button, LEFT)

    for photo in (late, bench_photo):
        assert (row(db, "photos", photo)["observation_id"],
                row(db, "photos", photo)["stop_id"]) == (noted["lamp"], noted["lamp_stop"])


def test_take_them_off_leaves_the_photos_in_the_walk(qtbot, db, tab, walk, noted, phones,
                                                     modals):
    stored = imported(db, tab, walk, [phones["lamp"]])
    photo = stored["IMG_2042.jpg"]["id"]
    assert stored["IMG_2042.jpg"]["observation_id"] == noted["lamp"]
    click_photo(qtbot, tab, photo)
    qtbot.mouseClick(tab.unassign_button, LEFT)
    assert row(db, "photos", photo)["observation_id"] is None
    assert row(db, "photos", photo)["deleted_at"] is None


def test_the_drop_path_puts_the_dragged_photos_on_the_observation(
        qtbot, db, tab, walk, noted, phones, modals):
    stored = imported(db, tab, walk, [phones["late"], phones["lamp"]])
    late = stored["20261119_223000.jpg"]["id"]
    data = tab.grid.mimeData([grid_item(tab, late)])
    assert data.hasFormat(PHOTO_MIME)
    assert tab.targets.dropMimeData(target_row(tab, noted["bench"]), data,
                                    Qt.DropAction.CopyAction)
    assert row(db, "photos", late)["observation_id"] == noted["bench"]
    assert not tab.targets.dropMimeData(tab.targets.count(), data, Qt.DropAction.CopyAction)


def drop_on(tab: PhotosTab, data, observation_id: str, fraction: float) -> None:
    """A real drag entering the list and dropped on an observation's line, at
    ``fraction`` of its height, as the mouse would do it."""
    rect = tab.targets.visualItemRect(tab.targets.item(target_row(tab, observation_id)))
    pos = QPoint(rect.center().x(), rect.top() + int(rect.height() * fraction))
    viewport = tab.targets.viewport()
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = kind(pos, Qt.DropAction.CopyAction, data, LEFT, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    drop = QDropEvent(pos.toPointF(), Qt.DropAction.CopyAction, data, LEFT,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)


def test_a_photo_dropped_on_the_top_of_an_observation_s_line_lands_on_it(
        qtbot, db, tab, walk, noted, phones, modals):
    stored = imported(db, tab, walk, [phones["late"]])
    late = stored["20261119_223000.jpg"]["id"]
    drop_on(tab, tab.grid.mimeData([grid_item(tab, late)]), noted["lamp"], 0.3)
    assert row(db, "photos", late)["observation_id"] == noted["lamp"]


def test_a_photo_dropped_on_the_bottom_of_an_observation_s_line_lands_on_it(
        qtbot, db, tab, walk, noted, phones, modals):
    stored = imported(db, tab, walk, [phones["late"]])
    late = stored["20261119_223000.jpg"]["id"]
    drop_on(tab, tab.grid.mimeData([grid_item(tab, late)]), noted["lamp"], 0.7)
    assert row(db, "photos", late)["observation_id"] == noted["lamp"]


def test_double_clicking_an_observation_puts_the_selected_photos_on_it(
        qtbot, db, tab, walk, noted, phones, modals):
    stored = imported(db, tab, walk, [phones["late"]])
    late = stored["20261119_223000.jpg"]["id"]
    click_photo(qtbot, tab, late)
    where = tab.targets.visualItemRect(tab.targets.item(target_row(tab, noted["bench"])))
    # A real double-click arrives as a click then a double-click event (QTest's
    # mouseDClick alone sends no press, which item views need).
    qtbot.mouseClick(tab.targets.viewport(), LEFT, pos=where.center())
    qtbot.mouseDClick(tab.targets.viewport(), LEFT, pos=where.center())
    assert row(db, "photos", late)["observation_id"] == noted["bench"]


# -- identifiable people ---------------------------------------------------------------------

def test_identifiable_then_included_anyway_is_saved(qtbot, db, tab, walk, phones, modals):
    stored = imported(db, tab, walk, [phones["lamp"], phones["late"]])
    children, other = stored["IMG_2042.jpg"]["id"], stored["20261119_223000.jpg"]["id"]
    click_photo(qtbot, tab, children)
    assert tab.identifiable.isEnabled() and not tab.include.isEnabled()
    tick(qtbot, tab.identifiable)
    assert (row(db, "photos", children)["identifiable"],
            row(db, "photos", children)["include_anyway"]) == (1, 0)
    assert "⚠" in grid_item(tab, children).text()

    click_photo(qtbot, tab, other)                    # she looks at another one…
    click_photo(qtbot, tab, children)                 # …and comes back
    assert tab.identifiable.isChecked()
    assert tab.include.isEnabled()
    tick(qtbot, tab.include)
    assert (row(db, "photos", children)["identifiable"],
            row(db, "photos", children)["include_anyway"]) == (1, 1)
    assert row(db, "photos", other)["identifiable"] == 0


def test_include_anyway_can_be_ticked_right_after_identifiable(qtbot, db, tab, walk, phones,
                                                                modals):
    stored = imported(db, tab, walk, [phones["lamp"]])
    children = stored["IMG_2042.jpg"]["id"]
    click_photo(qtbot, tab, children)
    tick(qtbot, tab.identifiable)
    assert tab._selected_ids() == [children]           # still selected on screen
    assert tab.include.isEnabled()
    tick(qtbot, tab.include)
    assert row(db, "photos", children)["include_anyway"] == 1


def test_removing_a_photo_asks_first(qtbot, db, tab, walk, phones, modals):
    stored = imported(db, tab, walk, [phones["lamp"], phones["late"]])
    photo = stored["IMG_2042.jpg"]["id"]
    click_photo(qtbot, tab, photo)
    modals.expect(click_destructive, QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    assert row(db, "photos", photo)["deleted_at"] is not None
    assert grid_ids(tab) == [stored["20261119_223000.jpg"]["id"]]


# -- cancelling ------------------------------------------------------------------------------

def test_a_cancelled_import_keeps_what_was_already_imported(
        qtbot, db, tab, walk, phones, modals, monkeypatch):
    real = photos._import_one
    cancelled = threading.Event()
    calls = []

    def phone_by_phone(worker_db, walk_id, path):
        calls.append(path.name)
        if len(calls) == 1:
            time.sleep(0.2)     # a slow first photo: the dialog shows its estimate
        else:
            cancelled.wait(5)   # the second one is read while she presses Cancel
        return real(worker_db, walk_id, path)

    monkeypatch.setattr(photos, "_import_one", phone_by_phone)
    clicked = {}

    def press_cancel() -> None:
        dialog = tab.findChild(QProgressDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, press_cancel)
            return
        (cancel,) = dialog.findChildren(QPushButton)
        clicked["label"] = cancel.text()
        qtbot.mouseClick(cancel, LEFT)
        cancelled.set()

    QTimer.singleShot(0, press_cancel)
    tab.import_paths([phones["lamp"], phones["bench"], phones["late"]])

    assert cancelled.is_set(), "the progress dialog never showed its Cancel button"
    assert clicked["label"].replace("&", "") == _("Cancel")
    assert calls == ["IMG_2042.jpg", "20261119_205600.jpg"]   # the third never read
    stored = by_name(db, walk)
    assert set(stored) == {"IMG_2042.jpg", "20261119_205600.jpg"}  # kept
    assert tab.grid.count() == 2
    assert _("Import cancelled: %(summary)s").split("%")[0] in summary(modals)


def test_the_progress_dialog_shows_soon_even_before_the_first_photo_is_read(
        qtbot, db, tab, walk, phones, modals, monkeypatch):
    listed = threading.Event()
    real = photos._collect

    def slow_listing(paths):
        listed.wait(3)          # a folder of thousands of files on a slow stick
        return real(paths)

    monkeypatch.setattr(photos, "_collect", slow_listing)
    started, seen = time.monotonic(), {}

    def look() -> None:
        dialog = tab.findChild(QProgressDialog)
        if dialog is not None and dialog.isVisible():
            seen["after"] = time.monotonic() - started
            listed.set()
        elif time.monotonic() - started > 1.5:
            listed.set()                               # give up: let the import end
        else:
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)
    tab.import_paths([phones["lamp"]])
    assert "after" in seen, "nothing showed during the first 1.5 s"
    assert seen["after"] < 1.0


def test_the_progress_dialog_keeps_the_window_from_being_used_meanwhile(
        qtbot, db, tab, walk, phones, modals):
    seen = {}

    def look() -> None:
        dialog = tab.findChild(QProgressDialog)
        if dialog is None:
            QTimer.singleShot(1, look)
            return
        seen["modality"] = dialog.windowModality()

    QTimer.singleShot(0, look)
    tab.import_paths([phones["lamp"]])
    assert "modality" in seen
    assert seen["modality"] != Qt.WindowModality.NonModal


def test_a_full_disk_is_one_sentence_and_keeps_what_was_imported(
        qtbot, db, tab, walk, phones, modals, monkeypatch):
    from perr_desktop.errors import UserError

    real = photos._import_one
    calls = []

    def disk_full_on_the_second(worker_db, walk_id, path):
        calls.append(path)
        if len(calls) == 2:
            raise UserError("Le disque est plein.")
        return real(worker_db, walk_id, path)

    monkeypatch.setattr(photos, "_import_one", disk_full_on_the_second)
    tab.import_paths([phones["lamp"], phones["bench"], phones["late"]])
    assert modals.messages[-1][0] == "warning"
    assert modals.messages[-1][2] == "Le disque est plein."
    assert list(by_name(db, walk)) == ["IMG_2042.jpg"]
    assert tab.grid.count() == 1


def test_the_module_runs_the_import_through_run_with_progress(monkeypatch, qtbot, db, tab,
                                                              walk, phones, modals):
    calls = []
    real = photos_ui.run_with_progress

    def spy(parent, db_path, title, work):
        calls.append((parent, db_path))
        return real(parent, db_path, title, work)

    monkeypatch.setattr(photos_ui, "run_with_progress", spy)
    tab.import_paths([phones["lamp"]])
    assert calls == [(tab, db.path)]
