"""The Documents tab without the printed documents themselves (perr_desktop.reports is
tested on its own): the language, the calendar file, and the PDF preview with a PDF
built here with reportlab."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from perr_desktop import i18n
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import meetings as svc
from perr_desktop.ui.meetings.documents import DocumentsTab
from perr_desktop.ui.pdf_preview import PdfPreview
from tests.ui.helpers import LEFT, OFFSCREEN_SIZE_HINTS, choose, show
from tests.ui.meetings_fixtures import DEC, NOV, agenda, make_council, members, plan

pytestmark = OFFSCREEN_SIZE_HINTS


def small_pdf(text: str = "Compte rendu de la séance plénière") -> bytes:
    """One A4 page with a line of black text."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica-Bold", 28)
    page.drawString(72, 760, text)
    page.rect(72, 600, 300, 100, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records what was suggested and
    answers with a chosen path (or « cancelled »)."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.calls: list[tuple] = []

    def __call__(self, parent, caption, suggested, filters, *args, **kwargs):
        self.calls.append((caption, suggested, filters))
        return (str(self.answer), filters) if self.answer else ("", "")


@pytest.fixture
def bgg(db):
    return make_council(db)


@pytest.fixture
def meeting(db, bgg):
    members(db, bgg, 3)
    meeting_id = plan(db, bgg, NOV, title="Séance plénière")
    agenda(db, meeting_id, "Éclairage", "Questions diverses")
    return meeting_id


@pytest.fixture
def tab(qtbot, db, meeting):
    tab = show(qtbot, DocumentsTab(db), 900, 700)
    tab.load(meeting)
    return tab


def test_the_documents_language_defaults_to_the_interface_language(qtbot, db, meeting):
    assert i18n.get_language() == "fr"
    french = show(qtbot, DocumentsTab(db), 900, 700)
    assert french.language.currentData() == "fr" and french.lang == "fr"

    i18n.set_language("en")
    english = show(qtbot, DocumentsTab(db), 900, 700)
    assert english.lang == "en"
    offered = [english.language.itemData(i) for i in range(english.language.count())]
    assert sorted(offered) == ["en", "fr"]


def test_nothing_to_export_before_a_meeting_is_chosen(qtbot, db):
    tab = show(qtbot, DocumentsTab(db), 900, 700)
    tab.load(None)
    assert not tab.isEnabled()


def test_the_meeting_is_exported_to_a_calendar_file(qtbot, db, tab, meeting, tmp_path,
                                                    monkeypatch):
    dialog = SaveDialog(tmp_path / "plénière")              # typed without « .ics »
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)

    qtbot.mouseClick(tab.export_meeting, LEFT)

    ((_caption, suggested, filters),) = dialog.calls
    assert Path(suggested).name == f"2026-11-19 {_('Meeting')} Séance plénière.ics"
    assert "*.ics" in filters
    written = tmp_path / "plénière.ics"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == 1
    assert f"UID:{meeting}@perr-desktop" in text
    assert "SUMMARY:Séance plénière" in text
    assert "DTSTART;TZID=Europe/Paris:20261119T183000" in text


def test_the_whole_council_is_exported_in_the_chosen_language(qtbot, db, tab, bgg, meeting,
                                                              tmp_path, monkeypatch):
    december = plan(db, bgg, DEC)
    svc.cancel_meeting(db, december)
    dialog = SaveDialog(tmp_path / "conseil.ics")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    choose(qtbot, tab.language, "en")

    qtbot.mouseClick(tab.export_council, LEFT)

    text = (tmp_path / "conseil.ics").read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 2
    assert f"UID:{december}@perr-desktop" in text
    assert "STATUS:CANCELLED" in text
    assert "Agenda:" in text                                  # the English description


def test_a_cancelled_save_dialog_writes_nothing(qtbot, db, tab, tmp_path, monkeypatch):
    dialog = SaveDialog(None)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(tab.export_meeting, LEFT)
    assert len(dialog.calls) == 1
    assert not list(tmp_path.rglob("*.ics"))


def page_labels(preview: PdfPreview) -> list[QLabel]:
    return [label for label in preview.pages.findChildren(QLabel)
            if label.pixmap() is not None and not label.pixmap().isNull()]


def test_the_preview_shows_the_pages_of_the_pdf(qtbot):
    preview = show(qtbot, PdfPreview(small_pdf(), "Compte rendu", "cr.pdf"), 700, 900)

    (page,) = page_labels(preview)
    image = page.pixmap().toImage()
    assert image.width() > 300 and image.height() > image.width()   # A4, upright
    assert page.accessibleName() == _("Page %(number)d") % {"number": 1}
    assert preview.count.text() == ngettext("%(count)d page", "%(count)d pages", 1) % {
        "count": 1}
    # Ink where the black rectangle was drawn, paper elsewhere.
    width, height = image.width(), image.height()
    ink = QColor(image.pixel(int(width * 0.3), int(height * (1 - 650 / 842))))
    paper = QColor(image.pixel(int(width * 0.9), int(height * 0.95)))
    assert ink.lightness() < 60 and paper.lightness() > 200


def test_save_as_pdf_from_the_preview_writes_the_same_bytes(qtbot, tmp_path, monkeypatch):
    pdf = small_pdf()
    preview = show(qtbot, PdfPreview(pdf, "Compte rendu", str(tmp_path / "cr.pdf")),
                   700, 900)
    dialog = SaveDialog(tmp_path / "copie")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    save = next(b for b in preview.findChildren(QPushButton)
                if b.text() == _("&Save as PDF…"))

    qtbot.mouseClick(save, LEFT)

    assert dialog.calls[0][1] == str(tmp_path / "cr.pdf")   # the suggested name
    assert (tmp_path / "copie.pdf").read_bytes() == pdf
    assert not list(tmp_path.glob("*.partial"))


def test_the_minutes_are_previewed_and_saved_from_the_tab(qtbot, db, tab, meeting, tmp_path,
                                                          monkeypatch, modals):
    """The buttons of the tab, with the document builder replaced by a known PDF."""
    pdf = small_pdf()
    built = []
    monkeypatch.setattr(DocumentsTab, "_minutes",
                        lambda self, meeting_id: built.append((meeting_id, self.lang)) or pdf)
    tab = show(qtbot, DocumentsTab(db), 900, 700)
    tab.load(meeting)
    buttons = {b.accessibleName(): b for b in tab.findChildren(QPushButton)}
    seen = []

    def look(preview: PdfPreview) -> None:
        seen.append((preview.windowTitle(), len(page_labels(preview)), preview.pdf))

    modals.expect(look, PdfPreview)
    qtbot.mouseClick(buttons[f"{_('Preview')} — {_('Minutes')}"], LEFT)
    assert seen == [(_("Minutes"), 1, pdf)]

    dialog = SaveDialog(tmp_path / "cr")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(buttons[f"{_('Save as PDF')} — {_('Minutes')}"], LEFT)

    assert (tmp_path / "cr.pdf").read_bytes() == pdf
    assert Path(dialog.calls[0][1]).name == f"2026-11-19 {_('Minutes')} Séance plénière.pdf"
    assert built == [(meeting, "fr"), (meeting, "fr")]
