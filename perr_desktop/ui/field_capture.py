"""Field capture: noting observations while walking, standing in the street, at night.

One window, read at arm's length in poor light and driven from the keyboard alone:

- PageUp / PageDown go to the previous / next stop of the route;
- F1…F12 choose a theme (Shift+F1… for the 13th and after), pressing it again clears it;
- Ctrl++ (or Ctrl+=) « point fort », Ctrl+- « point faible »;
- Ctrl+1 / 2 / 3 the priority, Ctrl+0 (or the same key again) none;
- Alt+1…Alt+9 tick or untick a body concerned;
- Tab goes from the description to the proposal and on;
- Ctrl+Enter finishes the observation and starts the next one at the same stop;
- Esc (or « Terminer ») closes, asking nothing: everything is already saved.

Nothing waits for a « save »: the observation is created as soon as something is typed or
chosen, then each change is written a moment after the last keystroke, and at once when
a choice is made, the observation is left or the window closes. An observation left
completely empty is never written.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.walks import Period, period_label
from perr_desktop.errors import UserError, ValidationError
from perr_desktop.i18n import _
from perr_desktop.services import followups, reference, walks
from perr_desktop.ui.widgets import ErrorBanner, accessible, short_date

# Typing is written this long after the last keystroke (a choice is written at once).
SAVE_DELAY_MS = 300
# Everything is this much larger than the rest of the application.
SCALE = 1.8
# Secondary lines (the walk, captions, the saving status) are a little smaller.
SECONDARY = 1.4
# Words of the description shown for each observation in the strip.
STRIP_WORDS = 5
STRIP_CHARS = 32

TEXT_FIELDS = ("description", "proposal")
PRIORITIES = (1, 2, 3)

# Two palettes: dark for night walks (no glare, eyes stay used to the dark), light for
# day walks (a dark screen mirrors the sky). Both far above WCAG AAA contrast for text.
PALETTES: dict[str, dict[str, str]] = {
    "dark": {
        "bg": "#101316", "fg": "#f5f5f0", "muted": "#c3c8cf", "bar": "#1b232d",
        "button": "#232a32", "border": "#7d8894", "accent": "#ffd35c", "accent_fg": "#101316",
        "positive": "#7be0a0", "positive_fg": "#06240f", "negative": "#ff9585",
        "negative_fg": "#2b0602", "primary": "#5cc8ff", "primary_fg": "#06131d",
        "focus": "#5cc8ff", "field": "#000000", "error_bg": "#4a0f0b", "error": "#ff9585",
        "error_fg": "#ffffff",
    },
    "light": {
        "bg": "#ffffff", "fg": "#101316", "muted": "#3b424a", "bar": "#e8eef6",
        "button": "#f1f3f6", "border": "#56606b", "accent": "#1f3a5f", "accent_fg": "#ffffff",
        "positive": "#17643a", "positive_fg": "#ffffff", "negative": "#a3231b",
        "negative_fg": "#ffffff", "primary": "#0b57b0", "primary_fg": "#ffffff",
        "focus": "#0b57b0", "field": "#ffffff", "error_bg": "#fdecea", "error": "#a3231b",
        "error_fg": "#4d0c07",
    },
}

STYLE = """
FieldCaptureWindow {{ background: {bg}; }}
FieldCaptureWindow QLabel {{ color: {fg}; background: transparent; }}
FieldCaptureWindow QLabel[role="muted"] {{ color: {muted}; }}
FieldCaptureWindow QLabel[role="caption"] {{ color: {muted}; font-weight: bold; }}
QWidget#headerBar {{ background: {bar}; border-bottom: 2px solid {border}; }}
QScrollArea#body, QWidget#bodyContents {{ background: transparent; border: none; }}
FieldCaptureWindow QPushButton {{
    background: {button}; color: {fg}; border: 3px solid {border}; border-radius: 0.35em;
    padding: 0.3em 0.5em 0.3em 1.25em; text-align: left;
}}
FieldCaptureWindow QPushButton:hover {{ border-color: {fg}; }}
FieldCaptureWindow QPushButton:focus {{ border-color: {focus}; }}
FieldCaptureWindow QPushButton:checked {{
    background: {accent}; color: {accent_fg}; border-color: {accent};
}}
FieldCaptureWindow QPushButton:checked:focus {{ border-color: {focus}; }}
FieldCaptureWindow QPushButton[tone="positive"]:checked {{
    background: {positive}; color: {positive_fg}; border-color: {positive};
}}
FieldCaptureWindow QPushButton[tone="negative"]:checked {{
    background: {negative}; color: {negative_fg}; border-color: {negative};
}}
FieldCaptureWindow QPushButton[role="primary"] {{
    background: {primary}; color: {primary_fg}; border-color: {primary}; font-weight: bold;
}}
FieldCaptureWindow QPushButton[role="primary"]:focus {{ border-color: {fg}; }}
FieldCaptureWindow QPushButton:disabled {{ color: {muted}; border-color: {button}; }}
FieldCaptureWindow QPlainTextEdit {{
    background: {field}; color: {fg}; border: 3px solid {border}; border-radius: 0.3em;
    padding: 0.2em; selection-background-color: {accent}; selection-color: {accent_fg};
}}
FieldCaptureWindow QPlainTextEdit:focus {{ border-color: {focus}; }}
QListWidget#strip {{ background: transparent; border: none; outline: 0; color: {fg}; }}
QListWidget#strip::item {{
    background: {button}; color: {fg}; border: 2px solid {border}; border-radius: 0.35em;
    padding: 0.15em 0.5em; margin-right: 0.35em;
}}
QListWidget#strip::item:selected {{
    background: {accent}; color: {accent_fg}; border-color: {accent};
}}
QListWidget#strip:focus::item:selected {{ border-color: {focus}; }}
FieldCaptureWindow QLabel[role="error"] {{
    background: {error_bg}; color: {error_fg}; border: 3px solid {error};
    border-radius: 0.3em; padding: 0.3em 0.6em; font-weight: bold;
}}
FieldCaptureWindow *[invalid="true"] {{ border: 3px solid {error}; }}
FieldCaptureWindow QScrollBar:vertical {{ background: {bg}; width: 0.8em; }}
FieldCaptureWindow QScrollBar::handle:vertical {{
    background: {border}; min-height: 2em; border-radius: 0.3em;
}}
FieldCaptureWindow QScrollBar::add-line, FieldCaptureWindow QScrollBar::sub-line {{
    height: 0; width: 0;
}}
FieldCaptureWindow QToolTip {{ background: {bar}; color: {fg}; border: 1px solid {border}; }}
"""


def key_label(sequence: QKeySequence | str) -> str:
    """How a key is written on a button, in the interface language (« Ctrl+Entrée »)."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def _sized(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Give ``widget`` a font ``factor`` times the application's, kept through style
    sheet changes (see ``FieldCaptureWindow._apply_fonts``)."""
    widget.setProperty("fontScale", (factor, bold))
    widget.setFont(scaled_font(factor, bold))


def scaled_font(factor: float, bold: bool = False) -> QFont:
    """The application's font, ``factor`` times larger (points when it has some, so the
    size follows the screen's scaling)."""
    font = QFont(QApplication.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    return font


# -- widgets ----------------------------------------------------------------------------

class KeyButton(QPushButton):
    """A big button that shows its key on the right (« F2 ») and a tick when checked."""

    def __init__(self, text: str, key: str = "", parent: QWidget | None = None) -> None:
        # A label from the reference lists may hold « & »: no accidental mnemonic.
        super().__init__(text.replace("&", "&&"), parent)
        self.key = key
        # Colours of what is painted over the style sheet; the window sets its palette's.
        self.ink = {"key": QColor("#808080"), "key_checked": QColor("#808080"),
                    "tick": QColor("#808080")}
        self.setAutoDefault(False)
        # A touch or a click leaves the caret in the text being typed.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(text)
        if key:
            self.setAccessibleDescription(_("Key: %(key)s") % {"key": key})
            self.setToolTip(_("%(label)s — key %(key)s") % {"label": text, "key": key})

    def _key_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(False)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 0.66)
        else:
            font.setPixelSize(round(font.pixelSize() * 0.66))
        return font

    def _key_width(self) -> int:
        if not self.key:
            return 0
        metrics = QFontMetrics(self._key_font())
        return metrics.horizontalAdvance(self.key) + metrics.averageCharWidth() * 2

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width() + self._key_width(), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        checked = self.isCheckable() and self.isChecked()
        color = self.ink["key_checked" if checked else "key"]
        em = self.fontMetrics().averageCharWidth()
        if self.key:
            painter.setFont(self._key_font())
            painter.setPen(color)
            area = self.rect().adjusted(0, 0, -int(em * 0.8), 0)
            painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.key)
        if checked:
            # Colour alone does not say « chosen »: a tick in the left padding does.
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(self.ink["tick"])
            area = QRect(int(em * 0.2), 0, int(em * 1.3), self.height())
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "✓")
        painter.end()


class FlowLayout(QLayout):
    """Widgets in rows that wrap with the window's width, centred in their row.

    ``stretch``: the buttons of a full row share its whole width, so a list of choices
    reads as a tidy block rather than a ragged edge. ``spread``: the widgets keep their
    width and the free space goes between them.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 8,
                 mode: str = "stretch") -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._mode = mode
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def spacing(self) -> int:
        return self._spacing

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        minimum = self.minimumSize()
        width = max(minimum.width(), sum(i.sizeHint().width() + self._spacing
                                         for i in self._items if not i.isEmpty())
                    - self._spacing)
        return QSize(width, self.heightForWidth(width))

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        space = self._spacing
        rows: list[list[tuple[QLayoutItem, int]]] = []
        row: list[tuple[QLayoutItem, int]] = []
        used = 0
        for item in self._items:
            if item.isEmpty():
                continue
            width = min(item.sizeHint().width(), max(area.width(), 1))
            if row and used + space + width > area.width():
                rows.append(row)
                row, used = [], 0
            used += (space if row else 0) + width
            row.append((item, width))
        if row:
            rows.append(row)
        y, previous_extra = area.y(), 0
        for index, row in enumerate(rows):
            height = max(item.sizeHint().height() for item, _w in row)
            free = area.width() - sum(w for _i, w in row) - space * (len(row) - 1)
            last = index == len(rows) - 1 and len(rows) > 1
            stretch, gap = 0, space
            if self._mode == "stretch":
                stretch = free // len(row)
                if last:
                    stretch = min(stretch, previous_extra)   # a short last row stays short
                previous_extra = stretch
            elif len(row) > 1 and not last:
                gap = space + free // (len(row) - 1)
            x = area.x()
            for item, width in row:
                if apply:
                    item_height = min(item.sizeHint().height(), height)
                    item.setGeometry(QRect(x, y + (height - item_height) // 2,
                                           width + stretch, item_height))
                x += width + stretch + gap
            y += height + space
        return (y - space - rect.y() + margins.bottom()) if rows else 0


class Choices(QWidget):
    """A row of checkable buttons for one vocabulary, each with its key.

    ``single``: at most one is chosen; choosing it again clears the choice.
    """

    changed = Signal()

    def __init__(self, name: str, single: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.single = single
        self.flow = FlowLayout(self)
        self.buttons: dict[str, KeyButton] = {}
        self.extra: set[str] = set()     # codes no longer offered, shown for one record
        self.setAccessibleName(name)

    def add(self, code: str, label: str, key: str = "", extra: bool = False) -> KeyButton:
        button = KeyButton(label, key, self)
        button.setFont(self.font())
        button.setCheckable(True)
        button.clicked.connect(lambda _c=False, c=code: self._clicked(c))
        self.flow.addWidget(button)
        self.buttons[code] = button
        if extra:
            self.extra.add(code)
        return button

    def _clicked(self, code: str) -> None:
        if self.single and self.buttons[code].isChecked():
            for other, button in self.buttons.items():
                if other != code:
                    button.setChecked(False)
        self.changed.emit()

    def press(self, code: str) -> None:
        """What the key does: as if the button were clicked."""
        button = self.buttons.get(code)
        if button is not None and button.isEnabled():
            button.click()

    def value(self) -> Any:
        chosen = [code for code, b in self.buttons.items() if b.isChecked()]
        if self.single:
            return chosen[0] if chosen else None
        return chosen

    def set_value(self, value: Any, labels: dict[str, str]) -> None:
        """Show a stored value; a code no longer in the list gets a button of its own for
        as long as this record is shown, so what is stored is what is seen."""
        for code in list(self.extra):
            button = self.buttons.pop(code)
            self.flow.removeWidget(button)
            button.deleteLater()
        self.extra.clear()
        codes = ([value] if value else []) if self.single else list(value or [])
        for code in codes:
            if code not in self.buttons:
                self.add(code, labels.get(code, code), extra=True)
        for code, button in self.buttons.items():
            with QSignalBlocker(button):
                button.setChecked(code in codes)


# -- the window -------------------------------------------------------------------------

class FieldCaptureWindow(QDialog):
    """Observations of one walk typed during the walk (``showFullScreen()`` by the caller;
    works in any window size)."""

    saved = Signal(str)     # id of the observation just written

    def __init__(self, db, walk_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk = walks.require_walk(db, walk_id)
        self.walk_id = walk_id
        self.stops = walks.stops(db, walk_id)
        self.theme_labels = reference.vocabulary_labels(db, "observation_theme")
        self.body_labels = reference.vocabulary_labels(db, "body")
        self.stop_index = 0
        self.observation_id: str | None = None
        self.number = 0
        self._created_here = False      # written by this window (removed if emptied)
        self._positive_chosen = False
        self._pending: dict[str, Any] = {}
        self._refused: set[str] = set()
        self._loading = False
        self._close_anyway = False
        self._saved_at: dt.datetime | None = None
        self.palette_name = "dark" if self.walk["period"] == Period.NUIT else "light"

        self.setObjectName("fieldCapture")
        self.setWindowTitle(_("Field capture — %(title)s") % {"title": self.walk["title"]})
        self.setFont(scaled_font(SCALE))
        self.setSizeGripEnabled(True)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self._build()
        self._bind_keys()
        self._apply_palette()
        self._go_to_stop(self._starting_stop(), flush=False)
        self.description.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        em = QFontMetrics(self.font()).averageCharWidth()
        self.banner = ErrorBanner(self)
        _sized(self.banner, SCALE)

        # Top bar: the walk, the screen colours, « Terminer ».
        header = QWidget(self)
        header.setObjectName("headerBar")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.walk_label = QLabel(self._walk_text())
        _sized(self.walk_label, SECONDARY, bold=True)
        self.walk_label.setWordWrap(True)
        self.walk_label.setAccessibleName(self.walk_label.text())
        self.palette_button = KeyButton("", "")
        _sized(self.palette_button, SECONDARY)
        self.palette_button.clicked.connect(self.toggle_palette)
        self.finish_button = KeyButton(_("Finish"), key_label("Esc"))
        _sized(self.finish_button, SECONDARY, bold=True)
        self.finish_button.setAccessibleDescription(_("Closes field capture: everything is "
                                                      "already saved."))
        self.finish_button.setToolTip(self.finish_button.accessibleDescription())
        self.finish_button.clicked.connect(self.accept)
        top = QHBoxLayout(header)
        top.setContentsMargins(int(em * 1.5), int(em * 0.4), int(em * 1.5), int(em * 0.4))
        top.addWidget(self.walk_label, 1)
        top.addWidget(self.palette_button)
        top.addWidget(self.finish_button)

        # The stop, with previous / next.
        self.previous_stop_button = KeyButton("◀ " + _("Previous stop"), key_label("PgUp"))
        self.previous_stop_button.clicked.connect(lambda: self.move_stop(-1))
        self.next_stop_button = KeyButton(_("Next stop") + " ▶", key_label("PgDown"))
        self.next_stop_button.clicked.connect(lambda: self.move_stop(1))
        self.stop_label = QLabel()
        _sized(self.stop_label, SCALE * 1.3, bold=True)
        self.stop_label.setWordWrap(True)
        self.stop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_address = QLabel()
        self.stop_address.setProperty("role", "muted")
        _sized(self.stop_address, SECONDARY)
        self.stop_address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_address.setWordWrap(True)
        stop_text = QVBoxLayout()
        stop_text.setSpacing(0)
        stop_text.addWidget(self.stop_label)
        stop_text.addWidget(self.stop_address)
        stop_row = QHBoxLayout()
        stop_row.addWidget(self.previous_stop_button, 0, Qt.AlignmentFlag.AlignVCenter)
        stop_row.addLayout(stop_text, 1)
        stop_row.addWidget(self.next_stop_button, 0, Qt.AlignmentFlag.AlignVCenter)

        # The observation being written: its number, strong or weak point, priority.
        self.observation_label = QLabel()
        _sized(self.observation_label, SCALE * 1.15, bold=True)
        self.status_label = QLabel()
        self.status_label.setProperty("role", "muted")
        _sized(self.status_label, SECONDARY)
        self.status_label.setAccessibleName(_("Save status"))
        number_block = QWidget()
        number_layout = QVBoxLayout(number_block)
        number_layout.setContentsMargins(0, 0, 0, 0)
        number_layout.setSpacing(0)
        number_layout.addWidget(self.observation_label)
        number_layout.addWidget(self.status_label)

        self.positive_button = KeyButton("+ " + _("Strong point"), key_label("Ctrl++"))
        self.positive_button.setProperty("tone", "positive")
        self.negative_button = KeyButton("− " + _("Weak point"), key_label("Ctrl+-"))
        self.negative_button.setProperty("tone", "negative")
        self.sign_group = QButtonGroup(self)
        sign_block = QWidget()
        sign_block.setAccessibleName(_("Strong or weak point"))
        sign_layout = QHBoxLayout(sign_block)
        sign_layout.setContentsMargins(0, 0, 0, 0)
        sign_layout.setSpacing(em)
        for value, button in ((1, self.positive_button), (0, self.negative_button)):
            button.setCheckable(True)
            self.sign_group.addButton(button, value)
            sign_layout.addWidget(button)
        self.sign_group.idClicked.connect(lambda _id: self._sign_chosen())

        # Like a theme, a priority pressed again is taken off (Ctrl+0 too).
        self.priority = Choices(_("Priority"), single=True)
        for value in PRIORITIES:
            button = self.priority.add(str(value), str(value), key_label(f"Ctrl+{value}"))
            button.setAccessibleName(_("Priority %(value)d") % {"value": value})
        self.priority.changed.connect(lambda: self._changed("priority", at_once=True))
        priority_caption = self._caption(_("Priority (1 = most urgent)"), self.priority)
        priority_caption.setToolTip(_("Press the same priority again, or %(key)s, to "
                                      "take it off.") % {"key": key_label("Ctrl+0")})
        priority_block = QWidget()
        priority_layout = QVBoxLayout(priority_block)
        priority_layout.setContentsMargins(0, 0, 0, 0)
        priority_layout.setSpacing(0)
        priority_layout.addWidget(priority_caption)
        priority_layout.addWidget(self.priority)
        observation_row = QWidget()
        observation_flow = FlowLayout(observation_row, spacing=em * 2, mode="spread")
        for block in (number_block, sign_block, priority_block):
            observation_flow.addWidget(block)

        # Theme and bodies: one button each, as wide as the window allows.
        self.themes = Choices(_("Theme"), single=True)
        for index, entry in enumerate(reference.vocabulary(self.db, "observation_theme")):
            self.themes.add(entry["code"], entry["label"], key_label(_theme_key(index) or ""))
        self.themes.changed.connect(lambda: self._changed("theme", at_once=True))
        self.bodies = Choices(_("Bodies concerned"), single=False)
        for index, entry in enumerate(reference.vocabulary(self.db, "body")):
            key = key_label(f"Alt+{index + 1}") if index < 9 else ""
            self.bodies.add(entry["code"], entry["label"], key)
        self.bodies.changed.connect(lambda: self._changed("bodies", at_once=True))

        self.description = self._text_field(_("Description"),
                                            _("What we see, where exactly"), 3)
        self.proposal = self._text_field(_("Proposal"), _("What residents propose"), 3)
        texts = QGridLayout()
        texts.setHorizontalSpacing(em * 2)
        texts.setVerticalSpacing(2)
        texts.addWidget(self._caption(_("Description"), self.description), 0, 0)
        texts.addWidget(self._caption(_("Proposal"), self.proposal), 0, 1)
        texts.addWidget(self.description, 1, 0)
        texts.addWidget(self.proposal, 1, 1)
        texts.setColumnStretch(0, 3)
        texts.setColumnStretch(1, 2)
        texts.setRowStretch(1, 1)

        contents = QWidget()
        contents.setObjectName("bodyContents")
        body_layout = QVBoxLayout(contents)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(2)
        body_layout.addWidget(self._caption(_("Theme"), self.themes))
        body_layout.addWidget(self.themes)
        body_layout.addSpacing(em // 2)
        body_layout.addWidget(self._caption(_("Bodies concerned"), self.bodies))
        body_layout.addWidget(self.bodies)
        body_layout.addSpacing(em // 2)
        body_layout.addLayout(texts, 1)
        self.body_area = QScrollArea()
        self.body_area.setObjectName("body")
        self.body_area.setWidgetResizable(True)
        self.body_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_area.setWidget(contents)
        self.body_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        # Footer: what is already noted at this stop, and « Observation suivante ».
        self.strip_label = self._caption(_("Here:"), None)
        self.strip = QListWidget()
        self.strip.setObjectName("strip")
        accessible(self.strip, _("Observations noted at this stop"),
                   _("Choose one to reopen it and correct it"))
        self.strip_label.setBuddy(self.strip)
        self.strip.setFlow(QListWidget.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._strip_view = self.strip.viewport()
        self._strip_view.installEventFilter(self)
        self._strip_rows: list[dict[str, Any]] = []
        self.strip.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.strip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.strip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        # Selected, not merely current: tabbing into the strip makes its first entry
        # current without reopening it.
        self.strip.itemSelectionChanged.connect(self._strip_selected)
        self.strip.itemClicked.connect(lambda _i: self.description.setFocus())
        self.strip.itemActivated.connect(lambda _i: self.description.setFocus())
        self.strip_empty = QLabel(_("Nothing noted at this stop yet."))
        self.strip_empty.setProperty("role", "muted")
        _sized(self.strip_empty, SECONDARY)
        self.next_button = KeyButton(_("Next observation"), key_label("Ctrl+Return"))
        self.next_button.setProperty("role", "primary")
        self.next_button.setAccessibleDescription(
            _("Finishes this observation and starts the next one at the same stop"))
        self.next_button.setToolTip(self.next_button.accessibleDescription())
        self.next_button.clicked.connect(self.next_observation)
        footer = QHBoxLayout()
        footer.addWidget(self.strip_label)
        footer.addWidget(self.strip, 1)
        footer.addWidget(self.strip_empty, 1)
        footer.addSpacing(em * 2)
        footer.addWidget(self.next_button)

        page = QVBoxLayout()
        margin = int(em * 1.5)
        page.setContentsMargins(margin, int(em * 0.5), margin, int(em * 0.6))
        page.setSpacing(int(em * 0.6))
        page.addLayout(stop_row)
        page.addWidget(observation_row)
        page.addWidget(self.banner)
        page.addWidget(self.body_area, 1)
        page.addLayout(footer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(page, 1)

        # Tab goes from the text being typed to the other text, then through the rest.
        order: list[QWidget] = [self.description, self.proposal, self.next_button,
                                self.strip, self.positive_button, self.negative_button,
                                *self.priority.buttons.values(),
                                *self.themes.buttons.values(), *self.bodies.buttons.values(),
                                self.previous_stop_button, self.next_stop_button,
                                self.palette_button, self.finish_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _caption(self, text: str, buddy: QWidget | None) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "caption")
        _sized(label, SECONDARY, bold=True)
        label.setWordWrap(True)
        if buddy is not None:
            label.setBuddy(buddy)
        return label

    def _text_field(self, name: str, placeholder: str, lines: int) -> QPlainTextEdit:
        field = QPlainTextEdit()
        accessible(field, name)
        field.setPlaceholderText(placeholder)
        field.setTabChangesFocus(True)
        metrics = QFontMetrics(self.font())
        field.setMinimumHeight(metrics.lineSpacing() * lines + metrics.height())
        field.installEventFilter(self)
        return field

    def _bind_keys(self) -> None:
        self.description.textChanged.connect(lambda: self._changed("description"))
        self.proposal.textChanged.connect(lambda: self._changed("proposal"))

        def bind(sequence: str, action: Callable[[], None]) -> None:
            QShortcut(QKeySequence(sequence), self, activated=action)

        bind("PgDown", lambda: self.move_stop(1))
        bind("PgUp", lambda: self.move_stop(-1))
        for index, code in enumerate(self.themes.buttons):
            sequence = _theme_key(index)
            if sequence:
                bind(sequence, lambda c=code: self.themes.press(c))
        for sequence in ("Ctrl++", "Ctrl+="):
            bind(sequence, self.positive_button.click)
        bind("Ctrl+-", self.negative_button.click)
        for value in PRIORITIES:
            bind(f"Ctrl+{value}", lambda c=str(value): self.priority.press(c))
        bind("Ctrl+0", self.clear_priority)
        for index, code in enumerate(self.bodies.buttons):
            if index < 9:
                bind(f"Alt+{index + 1}", lambda c=code: self.bodies.press(c))
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            bind(sequence, self.next_observation)

    # -- appearance ------------------------------------------------------------------------

    def _apply_palette(self) -> None:
        colours = PALETTES[self.palette_name]
        self.setStyleSheet(STYLE.format(**colours))
        self._apply_fonts()
        self._ink_buttons()
        self.palette_button.setText(_("Light screen") if self.palette_name == "dark"
                                    else _("Dark screen"))
        self.palette_button.setAccessibleName(self.palette_button.text())

    def _ink_buttons(self) -> None:
        """The key and tick colours of every button (new ones included) for the palette."""
        colours = PALETTES[self.palette_name]
        for button in self.findChildren(KeyButton):
            ink = {"key": QColor(colours["muted"]), "key_checked": QColor(colours["accent_fg"]),
                   "tick": QColor(colours["accent_fg"])}
            tone = button.property("tone")
            if tone:
                ink["key_checked"] = ink["tick"] = QColor(colours[f"{tone}_fg"])
            if button.property("role") == "primary":
                ink["key"] = QColor(colours["primary_fg"])
            button.ink = ink
            button.update()

    def _apply_fonts(self) -> None:
        """Every widget gets its large font explicitly, after the style sheet: under an
        application style sheet, fonts are not inherited from the parent, and a new
        style sheet puts back the font a widget had when it was first polished."""
        for widget in (self, *self.findChildren(QWidget)):
            factor, bold = widget.property("fontScale") or (SCALE, False)
            widget.setFont(scaled_font(factor, bold))

    def toggle_palette(self) -> None:
        self.palette_name = "light" if self.palette_name == "dark" else "dark"
        self._apply_palette()

    def _walk_text(self) -> str:
        parts = [self.walk["title"], short_date(self.walk["walk_date"]),
                 period_label(self.walk["period"])]
        return " · ".join(p for p in parts if p)

    # -- stops -------------------------------------------------------------------------------

    def _starting_stop(self) -> int:
        """Where she was: the stop of the last observation noted, else the first."""
        positions = {stop["id"]: i for i, stop in enumerate(self.stops)}
        for observation in reversed(walks.observations(self.db, self.walk_id)):
            if observation["stop_id"] in positions:
                return positions[observation["stop_id"]]
        return 0

    @property
    def stop(self) -> dict[str, Any] | None:
        return self.stops[self.stop_index] if self.stops else None

    def move_stop(self, offset: int) -> None:
        target = self.stop_index + offset
        if not self.stops or not 0 <= target < len(self.stops):
            return
        self._go_to_stop(target)

    def _go_to_stop(self, index: int, flush: bool = True) -> None:
        if flush:
            self._leave()
        self.stop_index = index
        stop = self.stop
        if stop is None:
            self.stop_label.setText(_("This route has no stops yet"))
            self.stop_address.setText(_("Observations are noted without a stop."))
        else:
            self.stop_label.setText(_("Stop %(position)d / %(count)d — %(name)s") % {
                "position": index + 1, "count": len(self.stops), "name": stop["name"]})
            self.stop_address.setText(stop["address"] or "")
        self.stop_address.setVisible(bool(self.stop_address.text()))
        self.stop_label.setAccessibleName(self.stop_label.text())
        self.previous_stop_button.setEnabled(stop is not None and index > 0)
        self.next_stop_button.setEnabled(stop is not None and index < len(self.stops) - 1)
        self._load(None)

    # -- observations ------------------------------------------------------------------------

    def _next_number(self) -> int:
        return walks.next_number(self.db, self.walk_id)

    def _stop_observations(self) -> list[dict[str, Any]]:
        stop_id = self.stop["id"] if self.stop else None
        return [o for o in walks.observations(self.db, self.walk_id) if o["stop_id"] == stop_id]

    def _bodies_of(self, observation_id: str) -> list[str]:
        rows = followups.for_walk(self.db, self.walk_id).get(observation_id, [])
        return [row["body"] for row in rows]

    def _load(self, record: dict[str, Any] | None) -> None:
        """Show ``record`` for editing, or a blank observation at the current stop."""
        self._timer.stop()
        self._pending.clear()
        self._refused.clear()
        self._loading = True
        try:
            self.observation_id = record["id"] if record else None
            self.number = record["number"] if record else self._next_number()
            self._created_here = False
            self._positive_chosen = record is not None
            self.themes.set_value(record["theme"] if record else None, self.theme_labels)
            self.bodies.set_value(self._bodies_of(record["id"]) if record else [],
                                  self.body_labels)
            self._ink_buttons()
            self.sign_group.setExclusive(False)
            self.positive_button.setChecked(bool(record and record["positive"]))
            self.negative_button.setChecked(bool(record and not record["positive"]))
            self.sign_group.setExclusive(True)
            priority = record["priority"] if record else None
            self.priority.set_value(str(priority) if priority else None, {})
            self.description.setPlainText(record["description"] if record else "")
            self.proposal.setPlainText(record["proposal"] if record else "")
            for widget in self._field_widgets().values():
                _mark(widget, False)
            self.banner.clear_message()
            self._saved_at = None
        finally:
            self._loading = False
        self.observation_label.setText(_("Observation No. %(number)d") % {"number": self.number})
        self.observation_label.setAccessibleName(self.observation_label.text())
        self._refresh_strip()
        self._update_status()

    def _field_widgets(self) -> dict[str, QWidget]:
        return {"theme": self.themes, "bodies": self.bodies, "body": self.bodies,
                "positive": self.positive_button, "priority": self.priority,
                "description": self.description, "proposal": self.proposal,
                "stop_id": self.stop_label}

    def _value(self, field: str) -> Any:
        if field == "theme":
            return self.themes.value()
        if field == "bodies":
            return self.bodies.value()
        if field == "positive":
            return bool(self.sign_group.checkedId() == 1)
        if field == "priority":
            chosen = self.priority.value()
            return int(chosen) if chosen else None
        if field in TEXT_FIELDS:
            return getattr(self, field).toPlainText()
        raise KeyError(field)

    def is_empty(self) -> bool:
        """Nothing typed, nothing chosen."""
        return (self.themes.value() is None and not self._positive_chosen
                and self._value("priority") is None and not self.bodies.value()
                and not any(self._value(f).strip() for f in TEXT_FIELDS))

    def clear_priority(self) -> None:
        """Ctrl+0: no priority."""
        if self.priority.value() is not None:
            self.priority.press(self.priority.value())

    def _sign_chosen(self) -> None:
        self._positive_chosen = True
        self._changed("positive", at_once=True)

    def _changed(self, field: str, at_once: bool = False) -> None:
        if self._loading:
            return
        self._pending[field] = self._value(field)
        if at_once:
            self.flush()
        else:
            self._timer.start()
            self._update_status()

    def flush(self) -> bool:
        """Write what is pending now; False while something is refused."""
        self._timer.stop()
        if not self._pending:
            return not self._refused
        if self.observation_id is None:
            ok = self._create()
        else:
            ok = self._update()
        self._refresh_strip()
        self._update_status()
        if ok and not self._refused:
            self._close_anyway = False
        return ok and not self._refused

    def _create(self) -> bool:
        if self.is_empty():
            self._pending.clear()
            return True
        fields: dict[str, Any] = {
            "stop_id": self.stop["id"] if self.stop else None,
            "theme": self._value("theme"), "priority": self._value("priority"),
            "description": self._value("description"), "proposal": self._value("proposal")}
        if self._positive_chosen:
            fields["positive"] = self._value("positive")
        try:
            observation_id = walks.add_observation(self.db, self.walk_id,
                                                   bodies=self._value("bodies"), **fields)
        except UserError as exc:
            # Kept pending: the next keystroke or choice tries again.
            self._refuse(getattr(exc, "field", None), exc)
            return False
        self._pending.clear()
        self._clear_refusals()
        self.observation_id = observation_id
        self._created_here = True
        self.number = self._number_of(observation_id)
        self._saved(observation_id)
        return True

    def _number_of(self, observation_id: str) -> int:
        for observation in walks.observations(self.db, self.walk_id):
            if observation["id"] == observation_id:
                return observation["number"]
        return self.number

    def _update(self) -> bool:
        pending, self._pending = self._pending, {}
        saved_any = False
        for field, value in pending.items():
            try:
                if field == "bodies":
                    followups.set_bodies(self.db, self.observation_id, value)
                else:
                    walks.update_observation(self.db, self.observation_id, **{field: value})
            except UserError as exc:
                self._refuse(field, exc)
            else:
                saved_any = True
                self._refused.discard(field)
                _mark(self._field_widgets()[field], False)
        if not self._refused:
            self.banner.clear_message()
        if saved_any:
            self._saved(self.observation_id)
        return not self._refused

    def _refuse(self, field: str | None, exc: UserError) -> None:
        if isinstance(exc, ValidationError) and exc.field:
            field = exc.field
        key = field or "observation"
        self._refused.add(key)
        widget = self._field_widgets().get(key)
        if widget is not None:
            _mark(widget, True, exc.message)
        self.banner.show_message(exc.message)

    def _clear_refusals(self) -> None:
        for key in self._refused:
            widget = self._field_widgets().get(key)
            if widget is not None:
                _mark(widget, False)
        self._refused.clear()
        self.banner.clear_message()

    def _saved(self, observation_id: str) -> None:
        self._saved_at = dt.datetime.now()
        self.observation_label.setText(_("Observation No. %(number)d") % {"number": self.number})
        self.saved.emit(observation_id)

    def _leave(self) -> bool:
        """Before another observation is shown: write, and take back an observation this
        window created that has been emptied again (its number stays unused). False when
        something typed could not be written."""
        ok = self.flush()
        if ok and self.observation_id and self._created_here and self.is_empty():
            try:
                walks.remove_observation(self.db, self.observation_id)
            except UserError as exc:
                self.banner.show_message(exc.message)
        return ok

    def next_observation(self) -> None:
        """Ctrl+Enter: this one is finished; a blank one at the same stop."""
        if self.observation_id is None and self.is_empty():
            self.description.setFocus()
            return
        self._leave()
        self._load(None)
        self.description.setFocus()

    def open_observation(self, observation_id: str) -> None:
        """Reopen an observation of the current stop to correct it."""
        if observation_id == self.observation_id:
            return
        self._leave()
        record = next((o for o in walks.observations(self.db, self.walk_id)
                       if o["id"] == observation_id), None)
        self._load(record)

    # -- the strip -------------------------------------------------------------------------

    def _strip_text(self, observation: dict[str, Any], chars: int = STRIP_CHARS) -> str:
        """« n° 12 − lampadaire éteint depuis… », cut to ``chars`` characters of text;
        below zero, only « 12 − »."""
        sign = "+" if observation["positive"] else "−"
        if chars < 0:
            return f"{observation['number']} {sign}"
        words = " ".join(observation["description"].split()[:STRIP_WORDS])
        if not words:
            words = self.theme_labels.get(observation["theme"] or "", "")
        if len(observation["description"].split()) > STRIP_WORDS:
            words += "…"
        if len(words) > chars:
            words = (words[:max(chars - 1, 0)].rstrip() + "…") if chars > 2 else ""
        number = _("No. %(number)d") % {"number": observation["number"]}
        return f"{number} {sign} {words}".rstrip()

    def _fit_strip(self) -> None:
        """Shorten the entries until every number at this stop is in view."""
        if not self.strip.count():
            return
        room = self.strip.viewport().width()
        chars = STRIP_CHARS
        while True:
            for row, observation in enumerate(self._strip_rows):
                self.strip.item(row).setText(self._strip_text(observation, chars))
            self.strip.doItemsLayout()
            last = self.strip.item(self.strip.count() - 1)
            width = (self.strip.visualItemRect(last).right()
                     + self.strip.horizontalScrollBar().value())
            if width <= room or chars < 0:
                break
            chars = chars - 4 if chars > 0 else -1
        current = self.strip.currentItem() or last
        self.strip.scrollToItem(current)

    def _refresh_strip(self) -> None:
        observations = self._stop_observations()
        ids = [o["id"] for o in observations]
        shown = [self.strip.item(row).data(Qt.ItemDataRole.UserRole)
                 for row in range(self.strip.count())]
        with QSignalBlocker(self.strip):
            if ids != shown:
                self.strip.clear()
                for observation_id in ids:
                    item = QListWidgetItem()
                    item.setData(Qt.ItemDataRole.UserRole, observation_id)
                    self.strip.addItem(item)
            self._strip_rows = observations
            for row, observation in enumerate(observations):
                item = self.strip.item(row)
                item.setText(self._strip_text(observation))
                item.setToolTip(observation["description"])
            if self.observation_id in ids:
                self.strip.setCurrentItem(self.strip.item(ids.index(self.observation_id)))
            else:
                self.strip.clearSelection()
                self.strip.setCurrentRow(-1)
        self.strip.setVisible(bool(ids))
        self.strip_empty.setVisible(not ids)
        if ids:
            self.strip.setFixedHeight(self.strip.sizeHintForRow(0)
                                      + 2 * self.strip.frameWidth() + 2)
            with QSignalBlocker(self.strip):
                self._fit_strip()

    def _strip_selected(self) -> None:
        items = self.strip.selectedItems()
        if items:
            observation_id = items[0].data(Qt.ItemDataRole.UserRole)
            # Once the list has finished handling the click or the key.
            QTimer.singleShot(0, lambda: self.open_observation(observation_id))

    def _update_status(self) -> None:
        if self._refused:
            text = _("Not saved: see the message")
        elif self.observation_id is None:
            text = _("Nothing noted yet")
        elif self._pending:
            text = _("Saving…")
        elif self._saved_at is not None:
            text = "✓ " + _("Saved at %(time)s") % {
                "time": i18n.format_time(self._saved_at, "medium")}
        else:
            text = _("Reopened for correction")
        self.status_label.setText(text)

    # -- events ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "_strip_view", None):
            with QSignalBlocker(self.strip):
                self._fit_strip()
        if watched in (self.description, self.proposal):
            if event.type() == QEvent.Type.FocusOut:
                self.flush()
            elif event.type() == QEvent.Type.FocusIn:
                # In a small window the field may be below the fold: never type unseen.
                QTimer.singleShot(0, lambda w=watched: self._show_field(w))
        return super().eventFilter(watched, event)

    def _show_field(self, field: QWidget) -> None:
        """Scroll a text field into view from its top (with its caption), not just the
        line of its cursor."""
        bar = self.body_area.verticalScrollBar()
        top = field.mapTo(self.body_area.widget(), QPoint(0, 0)).y()
        room = self.body_area.viewport().height()
        if top < bar.value() or top + min(field.height(), room) > bar.value() + room:
            bar.setValue(top - field.fontMetrics().height())

    def done(self, result: int) -> None:
        """Esc, « Terminer », the window's close button: write, then close; nothing asked.

        Only when the last edit was refused (a full disk, a list entry removed meanwhile)
        does the window stay open once, so that the sentence saying why can be read."""
        if not self._leave() and not self._close_anyway:
            self._close_anyway = True
            self.banner.show_message(
                self.banner.text() + " "
                + _("Press %(key)s again to close without it.") % {"key": key_label("Esc")})
            return
        super().done(result)

    def reject(self) -> None:
        # Esc is the normal way out, and nothing is lost: not a cancellation.
        self.accept()


def _theme_key(index: int) -> str | None:
    """F1…F12 for the first twelve themes, Shift+F1…Shift+F12 for the next twelve."""
    if index < 12:
        return f"F{index + 1}"
    if index < 24:
        return f"Shift+F{index - 11}"
    return None


def _mark(widget: QWidget, invalid: bool, message: str = "") -> None:
    """Flag a refused field (a red border from the style sheet, the reason for screen
    readers), as ``ui.autosave`` does."""
    usual = widget.property("usualDescription")
    if usual is None:
        usual = widget.accessibleDescription()
        widget.setProperty("usualDescription", usual)
    widget.setAccessibleDescription(message if invalid else usual)
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    for target in (widget, *widget.findChildren(QWidget)):
        target.style().unpolish(target)
        target.style().polish(target)


__all__ = ("Choices", "FieldCaptureWindow", "FlowLayout", "KeyButton")
