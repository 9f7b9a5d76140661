"""What keeps the start and the pages quick on ten years of data (issue 7)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from perr_desktop import i18n
from perr_desktop.services import councils, people
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.main_window import PAGES
from perr_desktop.ui.models import Column, LazyTableModel
from perr_desktop.ui.widgets import qt_date_format, resize_to_contents_when_shown
from tests.ui.helpers import OFFSCREEN_SIZE_HINTS, column_texts, show

pytestmark = OFFSCREEN_SIZE_HINTS


def test_the_date_editors_pattern_is_babels(qtbot):
    """Qt's locale data gives the date editors the pattern Babel's would (with a
    four-digit year), without loading Babel's before the first page is shown."""
    for lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        babel = i18n.date_pattern(lang)
        expected = babel if "yyyy" in babel else (
            babel.replace("yy", "yyyy") if "yy" in babel else babel.replace("y", "yyyy"))
        assert qt_date_format() == expected


def test_the_window_builds_a_page_when_it_is_first_shown(qtbot, make_window, db):
    councils.create_qpv_councils(db)
    window = make_window(db)
    assert [name for name, _m in PAGES if window.is_built(name)] == ["councils"]
    window.go_to(1)
    assert window.is_built("people") and window.current_page() is window.people
    assert window.pages[1] is window.people
    assert window.stack.indexOf(window.people) == 1
    # A page asked for by the code is built too, in its place.
    assert window.pages.index(window.walks) == 3 and window.is_built("walks")


def test_pages_built_later_still_hear_each_other(qtbot, make_window, db):
    councils.create_qpv_councils(db)
    window = make_window(db)
    window.go_to(1)
    person = people.create_person(db, first_name="Hélène", last_name="Garnier")
    window.councils.detail.council_id and people.add_membership(
        db, window.councils.detail.council_id, person, "habitants", joined_on="2024-01-01")
    window.councils.membersChanged.emit()          # as after « Ajouter un membre »
    assert window.people.model.row_of(person) >= 0


def test_a_hidden_table_reads_no_row_until_shown(qtbot):
    """Sizing columns to their contents in a view not shown would read every row of a
    lazy model: the view is sized once shown, on the rows on screen."""
    asked: list[int] = []

    def rows(ids):
        asked.extend(ids)
        return {i: {"id": i, "name": f"Nom {i}"} for i in ids}

    model = LazyTableModel([Column("name", "Name")],
                           lambda _s, _d: [str(n) for n in range(5000)], rows)
    model.refresh()
    view = QTableView()
    configure_table(view, "Names")
    view.setModel(model)
    resize_to_contents_when_shown(view)
    qtbot.addWidget(view)
    view.horizontalHeader().resizeSections()
    assert asked == []
    show(qtbot, view, 400, 300)
    assert 0 < len(asked) <= 2 * LazyTableModel.PAGE


def test_a_councils_members_are_read_when_their_tab_is_shown(qtbot, settings, db, monkeypatch):
    """Hundreds of members in a large council: not read for the information tab."""
    from perr_desktop.ui.councils import CouncilsPage

    councils.create_qpv_councils(db)
    council = councils.list_councils(db)[0]["id"]
    person = people.create_person(db, first_name="Hélène", last_name="Garnier")
    people.add_membership(db, council, person, "habitants", joined_on="2024-01-01")
    read: list[str] = []
    real = councils.council_members
    monkeypatch.setattr(councils, "council_members",
                        lambda db_, council_id: read.append(council_id) or real(db_, council_id))
    page = show(qtbot, CouncilsPage(db, settings))
    page.open_council(council)
    assert read == [] and page.detail.members_model.rowCount() == 0
    page.detail.tabs.setCurrentWidget(page.detail.members_tab)
    assert read == [council]
    assert column_texts(page.detail.members_model) == ["Hélène Garnier"]
    assert "1" in page.detail.members_summary.text()
    page.detail.tabs.setCurrentIndex(0)
    page.detail.tabs.setCurrentWidget(page.detail.members_tab)
    assert read == [council]                       # nothing changed: not read again
    page.detail.refresh_members()                  # a change while shown: read at once
    assert read == [council, council]


def test_a_details_tabs_are_built_when_first_looked_at(qtbot):
    """A walk's six tabs, a meeting's four: only the one shown is built; another is
    built in its place when shown or asked for, and keeps its title."""
    from PySide6.QtWidgets import QLabel, QWidget

    from perr_desktop.ui.widgets import LazyTabs

    built: list[str] = []

    def factory(name: str):
        return lambda: built.append(name) or QLabel(name)

    tabs = LazyTabs()
    for name in ("info", "route", "photos"):
        tabs.add(name, f"&{name.title()}", factory(name))
    announced: list[tuple[str, QWidget]] = []
    tabs.built.connect(lambda name, page: announced.append((name, page)))
    show(qtbot, tabs)
    assert built == [] and tabs.built_pages() == []
    first = tabs.page(tabs.currentIndex())
    assert built == ["info"] and tabs.currentWidget() is first
    changed: list[int] = []
    tabs.currentChanged.connect(changed.append)
    photos = tabs.page("photos")                       # asked for, not shown
    assert built == ["info", "photos"] and tabs.currentWidget() is first
    assert changed == [] and tabs.tabText(2) == "&Photos" and tabs.widget(2) is photos
    assert announced == [("info", first), ("photos", photos)]
    tabs.setCurrentWidget(photos)
    assert tabs.current_name() == "photos" and tabs.page("photos") is photos
    assert tabs.built_pages() == [first, photos]


def test_the_walks_page_builds_only_the_tab_it_shows(qtbot, make_window, db):
    from perr_desktop.services import walks as walk_service

    council = councils.create_council(db, "Ma Campagne", status="actif")
    walk_service.create_walk(db, council, "Diagnostic de nuit", "2026-11-02", "nuit", "20:30")
    window = make_window(db)
    window.go_to(window.pages.index(window.walks))
    detail = window.walks.detail
    assert [type(t).__name__ for t in detail.tabs.built_pages()] == ["InfoTab"]
    detail.tabs.setCurrentWidget(detail.photos)        # built, then loaded with the walk
    assert detail.photos.walk_id == detail.walk_id is not None


def test_a_program_ending_during_a_background_read_ends_cleanly(tmp_path, db_path):
    """Qt aborts a process whose reading thread still runs when Python tears it down:
    whatever ends the program, it first lets the reads end."""
    import os
    import subprocess
    import sys

    from perr_desktop.storage.database import open_database

    open_database(db_path).close()
    script = tmp_path / "reads.py"
    script.write_text(
        "import sys, time\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from perr_desktop.ui.worker import BackgroundReader\n"
        "app = QApplication(sys.argv[:1])\n"
        f"reader = BackgroundReader({str(db_path)!r})\n"
        "reader.read(lambda db: time.sleep(0.5) or 42)\n"
        "print('leaving while it reads', flush=True)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert "Destroyed while thread" not in done.stderr
