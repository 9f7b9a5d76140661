"""The dashboard's charts (ui/charts.py): what they draw and say, the numbers behind them,
the sentence when there is nothing, and the chart copied or saved as an image."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog

from perr_desktop import i18n
from perr_desktop.i18n import _
from perr_desktop.ui.charts import (
    STRONG,
    WEAK,
    BarChart,
    ChartCard,
    ChartData,
    ChartTableModel,
    LineChart,
    Series,
    bar_data,
    format_value,
    nice_step,
)
from tests.ui.helpers import LEFT, OFFSCREEN_SIZE_HINTS, column_texts, show

pytestmark = OFFSCREEN_SIZE_HINTS

THEMES = ChartData(
    categories=["Éclairage", "Propreté", "Sécurité et sentiment de sécurité"],
    series=[Series("Points forts", STRONG), Series("Points faibles", WEAK)],
    values=[[3, 5], [0, 7], [1, None]], category_title="Thème")


def percent(value):
    return "—" if value is None else i18n.format_percent(value)


@pytest.fixture
def card(qtbot):
    chart = BarChart("Observations par thème", "Aucune observation.")
    card = ChartCard(chart, "Points forts et points faibles par thème.")
    show(qtbot, card, 520, 360)
    card.set_data(THEMES)
    return card


def white_only(image: QImage) -> bool:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return all(image.pixelColor(x, y).name() == "#ffffff"
               for x in range(0, image.width(), 3) for y in range(0, image.height(), 3))


# -- data and drawing --------------------------------------------------------------------

def test_chart_data_must_have_one_value_per_category_and_series():
    with pytest.raises(ValueError):
        ChartData(categories=["a", "b"], series=[Series("n")], values=[[1]])
    with pytest.raises(ValueError):
        ChartData(categories=["a"], series=[Series("n")], values=[[1, 2]])
    assert ChartData().empty
    assert THEMES.stacked and THEMES.total(0) == 8 and THEMES.total(2) == 1


def test_nice_steps_are_round():
    assert nice_step(8) == 2
    assert nice_step(240) == 100
    assert nice_step(3) == 1
    assert nice_step(0) == 1
    assert nice_step(0.8, whole=False) == pytest.approx(0.2)


def test_values_are_written_in_the_interface_language():
    assert format_value(None) == "—"
    assert format_value(1234) == i18n.format_number(1234)
    assert format_value(12.45) == i18n.format_number(12.4) or format_value(12.45) == \
        i18n.format_number(12.5)
    assert format_value(3.0) == "3"


def test_a_stacked_bar_chart_says_every_value_to_a_screen_reader(card):
    chart = card.chart
    description = chart.accessibleDescription()
    assert description.startswith(_("%(label)s: %(value)s (%(parts)s)") % {
        "label": "Éclairage", "value": "8", "parts": "Points forts 3, Points faibles 5"})
    # A missing value reads as a dash, not as 0.
    assert "Points faibles —" in description
    assert chart.accessibleName() == "Observations par thème"
    assert not white_only(chart.grab().toImage())


def test_the_numbers_behind_the_chart(qtbot, card, qtmodeltester):
    model = card.model
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in
            range(model.columnCount())] == ["Thème", "Points forts", "Points faibles",
                                             _("Total")]
    assert column_texts(model, 0) == THEMES.categories
    assert column_texts(model, 1) == ["3", "0", "1"]
    assert column_texts(model, 2) == ["5", "7", "—"]
    assert column_texts(model, 3) == ["8", "7", "1"]
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight

    # « Voir les chiffres » puts the table in the chart's place, and back.
    assert card.chart.isVisible() and not card.table.isVisible()
    qtbot.mouseClick(card.numbers_button, LEFT)
    assert card.table.isVisible() and not card.chart.isVisible()
    assert card.numbers_button.text() == _("See the chart")
    qtbot.mouseClick(card.numbers_button, LEFT)
    assert card.chart.isVisible() and not card.table.isVisible()


def test_notes_make_one_more_column(qtmodeltester):
    chart = BarChart("Délai", "Rien.", value_format=lambda v: "—" if v is None else f"{v} j")
    chart.set_data(bar_data([("Ville", 74), ("Bailleur", None)], "Délai médian", "Organisme",
                            notes=["sur 3 suivis", "sur 0 suivi"], note_title="Calculé sur"))
    model = ChartTableModel(chart)
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Organisme", "Délai médian", "Calculé sur"]
    assert column_texts(model, 1) == ["74 j", "—"]
    assert column_texts(model, 2) == ["sur 3 suivis", "sur 0 suivi"]


def test_a_rate_chart_and_a_line_chart(qtbot):
    rates = BarChart("Taux de présence", "Rien.", value_format=percent, maximum=1, track=True)
    show(qtbot, rates, 480, 200)
    rates.set_data(bar_data([("Ma Campagne", 0.5), ("Bel-Air", None)], "Taux"))
    assert percent(0.5) in rates.accessibleDescription()
    assert "Bel-Air: —" in rates.accessibleDescription().replace(" :", ":")
    line = LineChart("Séances par mois", "Aucune séance.")
    show(qtbot, line, 480, 260)
    months = ["janvier", "février", "mars"]
    line.set_data(ChartData(categories=months, series=[Series("Séances")],
                            values=[[2], [0], [None]], axis_labels=["janv.", "févr.", "mars"]))
    assert not white_only(line.grab().toImage())
    assert "mars: —" in line.accessibleDescription().replace(" :", ":")
    assert line.sizeHint().height() > line.fontMetrics().height() * 8


# -- nothing to show -----------------------------------------------------------------------

def test_no_data_is_one_sentence_and_nothing_to_copy(qtbot, card, qtmodeltester):
    card.set_data(ChartData())
    assert card.chart.is_empty()
    assert card.chart.accessibleDescription() == "Aucune observation."
    assert not card.copy_button.isEnabled()
    assert not card.save_button.isEnabled()
    assert not card.numbers_button.isEnabled()
    assert card.model.rowCount() == 0 and card.model.columnCount() == 0
    qtmodeltester.check(card.model)
    # The sentence is drawn (something else than white), and no axes: the empty chart is
    # a few lines tall, not a frame for bars.
    assert not white_only(card.chart.grab().toImage())
    line = card.chart.fontMetrics().height()
    qtbot.waitUntil(lambda: card.chart.height() <= line * 5, timeout=1000)
    card.set_data(THEMES)
    assert card.copy_button.isEnabled()


# -- copy and save ---------------------------------------------------------------------------

def test_copy_puts_the_chart_on_the_clipboard_as_an_image(qtbot, card):
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    qtbot.mouseClick(card.copy_button, LEFT)
    image = clipboard.image()
    assert not image.isNull()
    # Twice the chart's size: crisp once pasted in a document; with its title on top.
    assert image.width() == pytest.approx(card.chart.width() * 2, abs=2)
    assert image.height() > card.chart.height() * 2


def test_save_writes_a_png_where_the_user_chose(qtbot, card, monkeypatch, tmp_path, modals):
    asked = []

    def choose(parent, title, suggested, filters):
        asked.append((title, suggested, filters))
        return str(tmp_path / "themes"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    qtbot.mouseClick(card.save_button, LEFT)
    saved = tmp_path / "themes.png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(saved))
    assert image.width() == pytest.approx(card.chart.width() * 2, abs=2)
    assert asked[0][1].endswith("Observations par thème.png")
    assert asked[0][2] == _("PNG image (*.png)")
    assert not list(tmp_path.glob("*.partial"))


def test_cancelling_the_file_dialog_writes_nothing(qtbot, card, tmp_path, modals):
    # The conftest's file dialog answers « Cancel ».
    assert card.chart.save_image() is None
    assert ("save", "", "") in modals.messages


def test_a_failed_save_is_one_sentence(qtbot, card, monkeypatch, tmp_path, modals):
    target = tmp_path / "missing folder" / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(card.save_button, LEFT)
    assert not target.exists()
    (_kind, _title, text), = [m for m in modals.messages if m[0] == "warning"]
    assert str(target) in text and "\n" not in text and "Traceback" not in text



# The menu is a popup: on the offscreen platform it cannot raise itself or grab the
# keyboard, and says so in these exact messages (and only them).
@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$",
                           r"^This plugin does not support raise\(\)$",
                           r"^This plugin does not support grabbing the keyboard$")
def test_the_context_menu_copies_saves_and_shows_the_figures(qtbot, card, monkeypatch,
                                                             tmp_path):
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    offered = []

    def right_click_and_choose(text: str) -> None:
        """Open the chart's context menu and choose ``text`` with the keyboard."""
        def choose() -> None:
            menu = QApplication.activePopupWidget()
            offered.append([a.text() for a in menu.actions()])
            menu.setActiveAction(next(a for a in menu.actions() if a.text() == text))
            qtbot.keyClick(menu, Qt.Key.Key_Return)

        QTimer.singleShot(0, choose)
        where = QPoint(20, 20)
        QApplication.sendEvent(card.chart, QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, where, card.chart.mapToGlobal(where)))

    QGuiApplication.clipboard().clear()
    right_click_and_choose(_("Copy the image"))
    assert offered[0] == [_("Copy the image"), _("Save the image…"), _("See the figures")]
    assert not QGuiApplication.clipboard().image().isNull()

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "menu.png"), ""))
    right_click_and_choose(_("Save the image…"))
    assert (tmp_path / "menu.png").exists()

    right_click_and_choose(_("See the figures"))
    assert card.numbers_button.isChecked() and card.table.isVisible()
