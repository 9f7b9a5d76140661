"""The whole application starts on a demonstration database and quits once painted."""

from __future__ import annotations

import gc

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication

from perr_desktop import app as app_module
from perr_desktop import cli, paths
from perr_desktop.i18n import _
from perr_desktop.services import demo
from perr_desktop.ui.main_window import PAGES, MainWindow
from tests.ui.helpers import OFFSCREEN_SIZE_HINTS

pytestmark = OFFSCREEN_SIZE_HINTS


def test_run_in_smoke_mode_returns_0_on_a_demo_database(qtbot, tmp_path, monkeypatch,
                                                         capsys):
    """``perr-desktop --db DEMO --smoke``, through the command line's entry point."""
    path = tmp_path / "demonstration.sqlite"
    demo.create_demo_database(path)
    qt_app = QApplication.instance()
    locale, style = QLocale(), qt_app.styleSheet()
    translators = []
    real_install = app_module.install_qt_translations

    def install(*args, **kwargs):
        translator = real_install(*args, **kwargs)
        translators.append(translator)
        return translator

    monkeypatch.setattr(app_module, "install_qt_translations", install)
    # The garbage collector is off while the window is built, on again once it painted.
    collecting: dict[str, bool] = {}
    real_init = MainWindow.__init__

    def init(window, *args, **kwargs):
        collecting["while built"] = gc.isenabled()
        real_init(window, *args, **kwargs)
        window.firstPainted.connect(lambda: QTimer.singleShot(
            0, lambda: collecting.setdefault("once painted", gc.isenabled())))

    monkeypatch.setattr(MainWindow, "__init__", init)
    # If the window never painted, smoke mode would wait for ever: give up after 20 s.
    gave_up = []
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: (gave_up.append(True), qt_app.quit()))
    watchdog.start(20_000)
    try:
        code = cli.main(["--db", str(path), "--smoke"])
    finally:
        watchdog.stop()
        windows = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow)]
        for window in windows:
            window.close()
            window.deleteLater()
        for translator in translators:
            if translator is not None:
                qt_app.removeTranslator(translator)
        qt_app.setStyleSheet(style)
        QLocale.setDefault(locale)

    assert gave_up == []
    assert code == 0
    assert collecting == {"while built": False, "once painted": True} and gc.isenabled()
    assert len(windows) == 1
    window = windows[0]
    assert window.current_page() is window.councils     # no welcome: the data is there
    assert window.councils.model.rowCount() == 5
    # The other pages are built when first shown: the start builds the first one only.
    assert [name for name, _module in PAGES if window.is_built(name)] == ["councils"]
    # It says when the window has painted (a benchmark times the start up to that line)
    # and, quitting then, starts no backup that would be cancelled at once.
    assert capsys.readouterr().out.splitlines() == [
        _("PERR Desktop: the window has painted with its data.")]
    assert not paths.backups_dir(path).exists()
