"""« Rechercher partout » (Ctrl+Maj+F): observations, walks and meetings, as you type.

The search itself is services/search.py; here a field, the list of what was found (the
words typed in bold in the extract) and, on Enter or a double click, the walk or the
meeting opened where it was found.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.i18n import _, ngettext
from perr_desktop.services import search
from perr_desktop.ui.widgets import accessible, hint, short_date

SEARCH_DELAY_MS = 150
LIMIT = 100
HitRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2


def hit_html(hit: search.Hit) -> str:
    """Two lines: what and when, then the extract with the words found in bold."""
    extract = html.escape(hit.marked or hit.snippet).replace(
        search.MARK_START, "<b>").replace(search.MARK_END, "</b>")
    when = f" — {html.escape(short_date(hit.date))}" if hit.date else ""
    return f"<b>{html.escape(hit.title)}</b>{when}<br>{extract}"


class _HitDelegate(QStyledItemDelegate):
    """Draws an item's HTML (two lines, bold words) where the list would draw its text."""

    def paint(self, painter, option, index: QModelIndex) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        text = index.data(HtmlRole) or html.escape(options.text)
        options.text = ""
        style = options.widget.style() if options.widget else QWidget().style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter,
                          options.widget)
        document = self._document(text, option)
        painter.save()
        painter.translate(options.rect.topLeft())
        document.drawContents(painter, QRectF(0, 0, options.rect.width(),
                                              options.rect.height()))
        painter.restore()

    def sizeHint(self, option, index: QModelIndex) -> QSize:
        document = self._document(index.data(HtmlRole) or "", option)
        return QSize(max(option.rect.width(), 200), int(document.size().height()) + 4)

    @staticmethod
    def _document(text: str, option) -> QTextDocument:
        # Two lines, never wrapped: a long extract is cut at the list's edge.
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDefaultStyleSheet("body { white-space: pre; }")
        document.setHtml(text)
        return document


class SearchDialog(QDialog):
    """The field, the hits; :attr:`opened` carries the hit to show (the window opens
    its walk or meeting)."""

    opened = Signal(object)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.hits: list[search.Hit] = []
        self.setWindowTitle(_("Search everywhere"))
        self.setObjectName("searchDialog")
        self.field = accessible(QLineEdit(self), _("Search everywhere"),
                                _("Words of an observation, a walk, a meeting or its "
                                  "minutes; accents and capitals do not matter"))
        self.field.setPlaceholderText(_("Search observations, walks and meetings…"))
        self.field.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setAccessibleName(_("Results"))
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setUniformItemSizes(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count = hint("")
        self.count.setAccessibleName(_("Number of results"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        label = QLabel(_("&Search:"), self)
        label.setBuddy(self.field)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self._open_first)
        self.results.itemActivated.connect(lambda item: self._open(item))

        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self.field.installEventFilter(self)
        self.run()

    def eventFilter(self, watched, event) -> bool:
        # Down arrow from the field goes to the results.
        if (watched is self.field and event.type() == event.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and self.results.count()):
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    def run(self) -> None:
        """Search now for what is typed (as you type, after a short pause)."""
        self._timer.stop()
        if self.db.closed:
            return
        text = self.field.text()
        self.hits = search.search(self.db, text, LIMIT)
        self.results.clear()
        for hit in self.hits:
            item = QListWidgetItem(f"{hit.title}\n{hit.snippet}")
            item.setData(HitRole, hit)
            item.setData(HtmlRole, hit_html(hit))
            item.setToolTip(hit.snippet)
            self.results.addItem(item)
        if not search.words(text):
            self.count.setText(_("Type a few words: every one of them is looked for, "
                                 "as the beginning of a word."))
        elif not self.hits:
            self.count.setText(_("Nothing found."))
        else:
            shown = len(self.hits)
            self.count.setText(
                ngettext("%(count)d result", "%(count)d results", shown) % {"count": shown}
                if shown < LIMIT else
                _("The first %(count)d results: type more words to narrow them down.")
                % {"count": shown})

    def _open_first(self) -> None:
        self.run()
        if self.results.count():
            self._open(self.results.item(0))

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        hit = item.data(HitRole)
        self.accept()
        self.opened.emit(hit)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Find):
            self.field.setFocus()
            self.field.selectAll()
            return
        super().keyPressEvent(event)
