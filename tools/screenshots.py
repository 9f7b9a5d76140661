"""Screenshots of the main screens, for a person to look at (not a test).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m tools.screenshots OUT [--scale 1.5]

Builds a demonstration database in a temporary folder and grabs each screen in French
and in English.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--scale", default=None)
    parser.add_argument("--lang", default="fr,en")
    args = parser.parse_args()
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = args.scale
    home = Path(tempfile.mkdtemp(prefix="perr-shots-"))
    os.environ["PERR_DESKTOP_HOME"] = str(home)

    from PySide6.QtWidgets import QApplication

    from perr_desktop import i18n
    from perr_desktop.services import demo, meetings
    from perr_desktop.settings import Settings
    from perr_desktop.storage.database import open_database
    from perr_desktop.ui.main_window import MainWindow
    from perr_desktop.ui.members import MembershipDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.outdir.mkdir(parents=True, exist_ok=True)
    demo.create_demo_database(home / "demo.sqlite")

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def grab(widget, name: str) -> None:
        settle()
        widget.grab().save(str(args.outdir / f"{name}.png"))

    from perr_desktop.app import install_qt_translations

    translator = None
    for lang in args.lang.split(","):
        i18n.set_language(lang)
        translator = install_qt_translations(app, translator)
        empty = open_database(home / f"empty-{lang}.sqlite")
        window = MainWindow(empty, Settings(language=lang))
        window.show()
        grab(window, f"{lang}-welcome")
        window.close()
        empty.close()

        db = open_database(home / "demo.sqlite")
        window = MainWindow(db, Settings(language=lang))
        window.show()
        grab(window, f"{lang}-councils")
        window.councils.detail.tabs.setCurrentIndex(1)
        grab(window, f"{lang}-council-members")

        dialog = MembershipDialog(db, window, council_id=window.councils.detail.council_id)
        dialog.search.setText("gar")
        dialog.show()
        settle()
        dialog._refresh_results()
        grab(dialog, f"{lang}-member-dialog")
        dialog.new.setChecked(True)
        grab(dialog, f"{lang}-member-dialog-new")
        dialog.close()
        dialog.deleteLater()

        window.go_to(1)
        window.people.search.setText("gar")
        window.people._go_to_first()
        grab(window, f"{lang}-people")
        window.go_to(6)
        grab(window, f"{lang}-settings")
        window.settings_page.findChild(type(window.councils.detail.tabs)).setCurrentIndex(2)
        grab(window, f"{lang}-settings-reference")
        window.go_to(3)
        grab(window, f"{lang}-placeholder")
        window.go_to(2)
        page = window.meetings
        past = [m for m in meetings.list_meetings(db, descending=True)
                if m["minutes_status"] == "brouillon" and m["present_count"]]
        if past:
            page.open_meeting(past[0]["id"])
        for index, name in enumerate(("plan", "attendance", "minutes", "documents")):
            page.detail.tabs.setCurrentIndex(index)
            if name == "minutes" and page.detail.minutes.sections.count() > 1:
                page.detail.minutes.sections.setCurrentRow(1)
            grab(window, f"{lang}-meeting-{name}")
        page.views.setCurrentIndex(1)
        grab(window, f"{lang}-meetings-month")
        page.views.setCurrentIndex(0)
        window.close()
        db.close()
    print(args.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
