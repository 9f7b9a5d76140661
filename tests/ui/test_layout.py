"""The window fits a small laptop at 150 % scaling (1920 × 1080 → 1280 × 720 logical)."""

from __future__ import annotations

from perr_desktop.services import demo
from perr_desktop.settings import Settings
from perr_desktop.storage.database import open_database
from perr_desktop.ui.main_window import MainWindow
from tests.ui.helpers import OFFSCREEN_SIZE_HINTS

pytestmark = OFFSCREEN_SIZE_HINTS


def test_the_main_window_fits_1280_by_720_logical_pixels(qtbot, tmp_path):
    demo.create_demo_database(tmp_path / "demo.sqlite")
    db = open_database(tmp_path / "demo.sqlite")
    try:
        window = MainWindow(db, Settings())
        qtbot.addWidget(window)
        window.show()
        for row in range(len(window.pages)):
            window.go_to(row)
            qtbot.wait(1)
            hint = window.minimumSizeHint()
            assert hint.width() <= 1200, (window.nav_titles[row], hint)
            assert hint.height() <= 680, (window.nav_titles[row], hint)
        window.close()
    finally:
        db.close()
