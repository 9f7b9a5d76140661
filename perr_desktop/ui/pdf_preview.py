"""See a document before printing it, print it through the system dialog, or save it.

Pages are drawn by PDFium (pypdfium2) from the very PDF that would be saved, so the
preview, the printout and the file are the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.errors import UserError, user_errors
from perr_desktop.i18n import _, ngettext
from perr_desktop.storage.files import write_atomically
from perr_desktop.ui.widgets import show_error

POINTS_PER_INCH = 72


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True,
                             force_bitmap_format=pdfium.raw.FPDFBitmap_BGRA)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGBA8888)
        return image.copy()  # own the pixels before PDFium frees its buffer
    finally:
        page.close()


def print_pdf(pdf: bytes, parent: QWidget | None, title: str) -> bool:
    """Send ``pdf`` to a printer chosen in the system dialog; False if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print %(title)s") % {"title": title})
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document = pdfium.PdfDocument(pdf)
    try:
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(_("The printer could not be used: check that it is switched on "
                              "and connected."))
        try:
            dpi = min(printer.resolution(), 300)
            pages = range(len(document))
            if printer.printRange() == QPrinter.PrintRange.PageRange:
                pages = range(printer.fromPage() - 1, min(printer.toPage(), len(document)))
            for n, index in enumerate(pages):
                if n:
                    printer.newPage()
                image = render_page(document, index, dpi)
                target = printer.pageLayout().paintRectPixels(printer.resolution())
                area = QRectF(0, 0, target.width(), target.height())
                scaled = image.size().scaled(area.size().toSize(),
                                             Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
        finally:
            painter.end()
    finally:
        document.close()
    return True


def save_pdf(pdf: bytes, parent: QWidget | None, suggested: str) -> Path | None:
    target, _filter = QFileDialog.getSaveFileName(
        parent, _("Save as PDF"), suggested, _("PDF document (*.pdf)"))
    if not target:
        return None
    path = Path(target)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    with user_errors(path):
        write_atomically(path, pdf)
    return path


class PdfPreview(QDialog):
    """The pages of a document, with Print and Save buttons."""

    def __init__(self, pdf: bytes, title: str, suggested_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.suggested_name = suggested_name
        self.setWindowTitle(title)
        self.zoom = 1.0

        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll.setAccessibleName(_("Pages of the document"))
        scroll.setStyleSheet("QScrollArea { background: #7a7f87; }")

        self.count = QLabel()
        zoom_out = QPushButton(_("Zoom out"))
        zoom_in = QPushButton(_("Zoom in"))
        print_button = QPushButton(_("&Print…"))
        save_button = QPushButton(_("&Save as PDF…"))
        close_button = QPushButton(_("Close"))
        print_button.setDefault(True)
        zoom_out.clicked.connect(lambda: self._set_zoom(self.zoom / 1.25))
        zoom_in.clicked.connect(lambda: self._set_zoom(self.zoom * 1.25))
        print_button.clicked.connect(self._print)
        save_button.clicked.connect(self._save)
        close_button.clicked.connect(self.accept)
        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addStretch(1)
        for button in (zoom_out, zoom_in, print_button, save_button, close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        screen = QGuiApplication.primaryScreen()
        height = int(screen.availableGeometry().height() * 0.85) if screen else 800
        self.resize(int(height * 0.8), height)
        self._render()

    def _set_zoom(self, zoom: float) -> None:
        self.zoom = max(0.4, min(zoom, 3.0))
        self._render()

    def _render(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        document = pdfium.PdfDocument(self.pdf)
        try:
            dpi = self.logicalDpiX() * self.zoom * self.devicePixelRatioF()
            for index in range(len(document)):
                image = render_page(document, index, dpi)
                pixmap = QPixmap.fromImage(image)
                pixmap.setDevicePixelRatio(self.devicePixelRatioF())
                label = QLabel()
                label.setPixmap(pixmap)
                label.setAccessibleName(_("Page %(number)d") % {"number": index + 1})
                self.pages_layout.addWidget(label)
            total = len(document)
        finally:
            document.close()
        self.count.setText(ngettext("%(count)d page", "%(count)d pages", total)
                           % {"count": total})

    def _print(self) -> None:
        try:
            print_pdf(self.pdf, self, self.title)
        except UserError as exc:
            show_error(self, exc)

    def _save(self) -> None:
        try:
            save_pdf(self.pdf, self, self.suggested_name)
        except UserError as exc:
            show_error(self, exc)


def run_document(parent: QWidget, build: Callable[[], bytes]) -> bytes | None:
    """Build a document with a wait cursor; a user error becomes a dialog."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return build()
    except UserError as exc:
        QGuiApplication.restoreOverrideCursor()
        show_error(parent, exc)
        return None
    finally:
        if QGuiApplication.overrideCursor() is not None:
            QGuiApplication.restoreOverrideCursor()
