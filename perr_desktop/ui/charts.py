"""Small charts drawn with QPainter, each with the numbers behind it.

* :class:`BarChart` — horizontal bars, a label and a value per line; with several series
  the bars are stacked (strong points and weak points of a theme) and a legend is drawn;
  with ``maximum=1`` and ``track=True`` it shows rates (attendance per council);
* :class:`LineChart` — one line per series over months (meetings per month);
* :class:`ChartTableModel` — the same numbers as a table (« Voir les chiffres »);
* :class:`ChartCard` — a chart in a card with its title, « Copier » (an image on the
  clipboard), « Enregistrer l'image… » (PNG) and « Voir les chiffres ».

A chart with no data draws one sentence, never empty axes. Values are formatted by a
function given by the caller (numbers, percentages, days) so that the chart, its table
and its tooltips always agree; ``None`` (a share that cannot be computed) shows as « — ».
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QBuffer,
    QEvent,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QTableView,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.errors import UserError, user_errors
from perr_desktop.i18n import _
from perr_desktop.storage.files import write_atomically
from perr_desktop.ui import style

# Colours: readable on white, and told apart by people who do not see red and green
# (strong points blue, weak points orange).
INK = QColor("#22262b")
MUTED = QColor("#5f6670")
GRID = QColor("#e3e7ec")
TRACK = QColor("#eef1f5")
BAR = "#2f5687"
STRONG = "#2f6db5"
WEAK = "#d9771e"
PALETTE = (BAR, WEAK, "#4f9a5a", "#8e5ea2", "#b8860b")
IMAGE_SCALE = 2.0           # images are drawn at twice the screen's size: crisp in a document
IMAGE_WIDTH = 640           # the width of an image of a chart never shown on screen
LABEL_CHARS = 26            # the label column of a bar chart, in average characters
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def format_value(value: float | None) -> str:
    """A number as the interface's language writes it (« 1 234 », « 12,5 »), « — » for
    None."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return _formatted(round(value, 1), i18n.get_language())
    return _formatted(int(value), i18n.get_language())


@functools.lru_cache(maxsize=4096)
def _formatted(value: int | float, lang: str) -> str:
    # Babel takes some 50 µs a number; a filter change shows a few hundred of them.
    return i18n.format_number(value, lang)


@dataclass
class Series:
    name: str
    color: str = BAR


@dataclass
class ChartData:
    """What a chart shows: ``values[i][j]`` is category ``i`` of series ``j``.

    ``axis_labels``: shorter labels for a line chart's axis (« janv. »), the categories
    (« janvier 2025 ») being used in the table and tooltips. ``notes``: one more column
    of the table (« sur 12 suivis »), titled ``note_title``."""

    categories: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    values: list[list[float | None]] = field(default_factory=list)
    category_title: str = ""
    axis_labels: list[str] | None = None
    notes: list[str] | None = None
    note_title: str = ""

    def __post_init__(self) -> None:
        if len(self.values) != len(self.categories):
            raise ValueError("one row of values per category")
        if any(len(row) != len(self.series) for row in self.values):
            raise ValueError("one value per series in each row")

    @property
    def empty(self) -> bool:
        return not self.categories or not self.series

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    def total(self, row: int) -> float | None:
        known = [v for v in self.values[row] if v is not None]
        return sum(known) if known else None


def _wrap(metrics: QFontMetricsF, text: str, width: float, lines: int = 2) -> list[str]:
    """``text`` cut into at most ``lines`` lines of ``width``; the last one elided."""
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and metrics.horizontalAdvance(candidate) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[:lines - 1], " ".join(out[lines - 1:])]
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in out]


def nice_step(maximum: float, count: int = 4, whole: bool = True) -> float:
    """A round step (1, 2, 5 × 10ⁿ) giving about ``count`` grid lines up to ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            break
    return max(1, round(step)) if whole else step


def safe_file_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "-", text).strip() or "graphique"


class Chart(QWidget):
    """The common part of the charts: title, empty sentence, tooltips, images."""

    def __init__(self, title: str, empty_text: str,
                 value_format: Callable[[float | None], str] = format_value,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.empty_text = empty_text
        self.value_format = value_format
        self.data = ChartData()
        self._texts = {}
        self._geometry: tuple | None = None
        self.file_stem: Callable[[], str] = lambda: self.title
        # Written under the title in images: what the figures are about.
        self.about: Callable[[], str] = lambda: ""
        self.extra_actions: list[QAction] = []   # added to the context menu (the card's)
        self._hits: list[tuple[QRectF, str]] = []
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # the context-menu key works on it
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(False)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self._describe()

    # -- data ----------------------------------------------------------------------------

    def set_data(self, data: ChartData) -> None:
        self.data = data
        self._texts: dict[tuple[int, int | None], str] = {}
        self._geometry = None
        self._describe()
        self.updateGeometry()
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._geometry = None
            self.updateGeometry()
        super().changeEvent(event)

    def is_empty(self) -> bool:
        return self.data.empty

    def value_text(self, row: int, column: int | None = None) -> str:
        """The text shown for a category (its total when stacked) or one series;
        formatted once per data (painting asks again at every repaint)."""
        key = (row, column)
        if key not in self._texts:
            if column is None:
                value = self.data.total(row) if self.data.stacked else self.data.values[row][0]
            else:
                value = self.data.values[row][column]
            self._texts[key] = self.value_format(value)
        return self._texts[key]

    def describe_row(self, row: int) -> str:
        data = self.data
        if data.stacked:
            parts = ", ".join(f"{s.name} {self.value_text(row, n)}"
                              for n, s in enumerate(data.series))
            text = _("%(label)s: %(value)s (%(parts)s)") % {
                "label": data.categories[row], "value": self.value_text(row), "parts": parts}
        else:
            text = _("%(label)s: %(value)s") % {"label": data.categories[row],
                                                 "value": self.value_text(row)}
        if data.notes and data.notes[row]:
            text += f" — {data.notes[row]}"
        return text

    def _describe(self) -> None:
        """What a screen reader says: the title, then every value."""
        if self.is_empty():
            self.setAccessibleDescription(self.empty_text)
        else:
            self.setAccessibleDescription("; ".join(
                self.describe_row(row) for row in range(len(self.data.categories))))

    # -- size ----------------------------------------------------------------------------

    def metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def content_height(self) -> float:
        raise NotImplementedError

    def _empty_height(self) -> float:
        return self.metrics().height() * 4

    def sizeHint(self) -> QSize:
        height = self._empty_height() if self.is_empty() else self.content_height()
        return QSize(int(self.metrics().averageCharWidth() * 60), math.ceil(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self.metrics().averageCharWidth() * 36), self.sizeHint().height())

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        self._hits = []
        self.paint(painter, QRectF(self.rect()), with_title=False, hits=self._hits)
        if self.hasFocus():
            pen = QPen(QColor(BAR))
            pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def _title_lines(self, width: float) -> tuple[list[str], list[str]]:
        """The title, and under it what the chart is about (councils, period), cut to
        the image's width."""
        title = _wrap(QFontMetricsF(self._title_font()), self.title, width - 16, lines=3)
        about = self.about()
        return title, _wrap(self.metrics(), about, width - 16, lines=2) if about else []

    def _title_height(self, width: float) -> float:
        title, about = self._title_lines(width)
        return (QFontMetricsF(self._title_font()).lineSpacing() * len(title)
                + self.metrics().lineSpacing() * len(about) + 12)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        return font

    def paint(self, painter: QPainter, rect: QRectF, with_title: bool,
              hits: list | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self.font())
        if with_title:
            title, about = self._title_lines(rect.width())
            y = rect.top() + 8
            for lines, font, colour in ((title, self._title_font(), INK),
                                        (about, self.font(), MUTED)):
                painter.setFont(font)
                painter.setPen(colour)
                spacing = QFontMetricsF(font).lineSpacing()
                for line in lines:
                    painter.drawText(QRectF(rect.left() + 8, y, rect.width() - 16, spacing),
                                     Qt.AlignmentFlag.AlignLeft
                                     | Qt.AlignmentFlag.AlignVCenter, line)
                    y += spacing
            painter.setFont(self.font())
            rect = QRectF(rect.left(), y + 4, rect.width(), rect.bottom() - y - 4)
        if self.is_empty():
            painter.setPen(MUTED)
            painter.drawText(rect.adjusted(12, 0, -12, 0),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self.empty_text)
            return
        self.paint_chart(painter, rect, hits if hits is not None else [])

    def paint_chart(self, painter: QPainter, rect: QRectF, hits: list) -> None:
        raise NotImplementedError

    def _legend_height(self) -> float:
        return self.metrics().height() * 1.6 if self.data.stacked else 0

    def _paint_legend(self, painter: QPainter, rect: QRectF) -> None:
        if not self.data.stacked:
            return
        metrics = self.metrics()
        x, size = rect.left() + 4, metrics.height() * 0.7
        y = rect.top() + metrics.height() * 0.3
        for series in self.data.series:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(series.color))
            painter.drawRoundedRect(QRectF(x, y + (metrics.height() - size) / 2, size, size),
                                    2, 2)
            x += size + 6
            painter.setPen(INK)
            painter.drawText(QRectF(x, y, metrics.horizontalAdvance(series.name) + 2,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             series.name)
            x += metrics.horizontalAdvance(series.name) + metrics.averageCharWidth() * 3

    # -- interaction ---------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            position = QPointF(event.pos())
            for area, text in self._hits:
                if area.contains(position):
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

    def contextMenuEvent(self, event) -> None:
        menu = QMenu(self)
        copy = menu.addAction(_("Copy the image"))
        save = menu.addAction(_("Save the image…"))
        for action in (copy, save):
            action.setEnabled(not self.is_empty())
        for action in self.extra_actions:
            menu.addAction(action)
        chosen = menu.exec(event.globalPos())
        if chosen is copy:
            self.copy_image()
        elif chosen is save:
            self.save_image()

    # -- images --------------------------------------------------------------------------

    def image(self, width: int | None = None) -> QImage:
        """The chart with its title, on white, at twice the screen's size."""
        width = width or (self.width() if self.isVisible() and self.width() > 200
                          else IMAGE_WIDTH)
        body = self._empty_height() if self.is_empty() else self.content_height()
        height = self._title_height(width) + body + 8
        image = QImage(int(width * IMAGE_SCALE), int(height * IMAGE_SCALE),
                       QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(IMAGE_SCALE)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        self.paint(painter, QRectF(0, 0, width, height), with_title=True)
        painter.end()
        return image

    def png_bytes(self) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image().save(buffer, "PNG")
        return bytes(buffer.data())

    def copy_image(self) -> None:
        """Put the chart on the clipboard, to paste into a document or an email."""
        QGuiApplication.clipboard().setImage(self.image())

    def save_image(self, path: Path | str | None = None) -> Path | None:
        """Save the chart as a PNG image (``path``, or one chosen in a file dialog); a
        failure (disk full, no permission) is shown as one sentence."""
        if path is None:
            suggested = Path.home() / f"{safe_file_name(self.file_stem())}.png"
            target, _filter = QFileDialog.getSaveFileName(
                self, _("Save the chart as an image"), str(suggested),
                _("PNG image (*.png)"))
            if not target:
                return None
            path = target
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        from perr_desktop.ui.widgets import show_error

        try:
            write_file(path, self.png_bytes())
        except UserError as exc:
            show_error(self, exc)
            return None
        return path


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all (a partial file renamed at the end)."""
    with user_errors(path):
        write_atomically(path, data)


class BarChart(Chart):
    """Horizontal bars: a label, a bar and its value per line; several series are
    stacked with a legend. ``maximum`` fixes the scale (1 for rates), ``track`` draws
    the full length behind each bar."""

    def __init__(self, title: str, empty_text: str,
                 value_format: Callable[[float | None], str] = format_value,
                 maximum: float | None = None, track: bool = False,
                 parent: QWidget | None = None) -> None:
        self.maximum = maximum
        self.track = track
        super().__init__(title, empty_text, value_format, parent)

    def _layout(self) -> tuple[float, list[list[str]], list[float]]:
        """The label column's width, each label cut into lines and each line's height:
        measured once per data and font."""
        if self._geometry is None:
            metrics = self.metrics()
            widest = max((metrics.horizontalAdvance(c) for c in self.data.categories),
                         default=0)
            width = min(widest + 4, metrics.averageCharWidth() * LABEL_CHARS)
            lines = [_wrap(metrics, c, width, lines=3) for c in self.data.categories]
            heights = [max(metrics.height() * 1.7, metrics.lineSpacing() * len(ls) + 6)
                       for ls in lines]
            self._geometry = (width, lines, heights)
        return self._geometry

    def _label_width(self) -> float:
        return self._layout()[0]

    def _row_heights(self) -> list[float]:
        return self._layout()[2]

    def content_height(self) -> float:
        return self._legend_height() + sum(self._row_heights()) + 8

    def paint_chart(self, painter: QPainter, rect: QRectF, hits: list) -> None:
        data, metrics = self.data, self.metrics()
        self._paint_legend(painter, rect)
        top = rect.top() + self._legend_height() + 4
        label_width = self._label_width()
        values = [self.value_text(row) for row in range(len(data.categories))]
        value_width = max(metrics.horizontalAdvance(v) for v in values) + 10
        left = rect.left() + 8 + label_width + 10
        right = rect.right() - 8 - value_width
        span = max(right - left, 10)
        totals = [data.total(row) or 0 for row in range(len(data.categories))]
        maximum = self.maximum or max(totals) or 1
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(left, top), QPointF(left, top + sum(self._row_heights())))
        y = top
        wrapped = self._layout()[1]
        for row, height in enumerate(self._row_heights()):
            lines = wrapped[row]
            text_top = y + (height - metrics.lineSpacing() * len(lines)) / 2
            painter.setPen(INK)
            for line in lines:
                painter.drawText(QRectF(rect.left() + 8, text_top, label_width,
                                        metrics.lineSpacing()),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 line)
                text_top += metrics.lineSpacing()
            bar_height = min(height * 0.62, metrics.height() * 1.1)
            bar_top = y + (height - bar_height) / 2
            if self.track:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(TRACK)
                painter.drawRect(QRectF(left, bar_top, span, bar_height))
            x = left
            for column, series in enumerate(data.series):
                value = data.values[row][column]
                if not value:
                    continue
                width = span * min(value, maximum) / maximum
                segment = QRectF(x, bar_top, max(width, 1.5), bar_height)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(series.color))
                painter.drawRect(segment)
                text = self.value_text(row, column)
                if data.stacked and metrics.horizontalAdvance(text) + 8 < width:
                    painter.setPen(Qt.GlobalColor.white)
                    painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, text)
                x += width
            painter.setPen(INK)
            end = left + span if self.track else x
            painter.drawText(QRectF(end + 6, y, value_width, height),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             values[row])
            hits.append((QRectF(rect.left(), y, rect.width(), height), self.describe_row(row)))
            y += height


class LineChart(Chart):
    """One line per series over the categories (months), values above the points when
    they are few, a tooltip on each point."""

    SHOW_VALUES_UP_TO = 16

    def content_height(self) -> float:
        return self._legend_height() + self.metrics().height() * 11

    def paint_chart(self, painter: QPainter, rect: QRectF, hits: list) -> None:
        data, metrics = self.data, self.metrics()
        self._paint_legend(painter, rect)
        count = len(data.categories)
        known = [v for row in data.values for v in row if v is not None]
        step = nice_step(max(known, default=0))
        top_value = step * max(1, math.ceil(max(known, default=0) / step))
        ticks = [step * n for n in range(round(top_value / step) + 1)]
        axis_width = max(metrics.horizontalAdvance(self.value_format(t)) for t in ticks) + 10
        # Room above the plot for the value written over the highest point.
        plot = QRectF(rect.left() + 8 + axis_width,
                      rect.top() + self._legend_height() + metrics.height() * 1.6,
                      rect.width() - 16 - axis_width,
                      rect.height() - self._legend_height() - metrics.height() * 3.4)

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * value / top_value

        for tick in ticks:
            y = y_of(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(QRectF(rect.left() + 4, y - metrics.height() / 2,
                                    axis_width, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.value_format(tick))
        slot = plot.width() / count
        xs = [plot.left() + slot * (n + 0.5) for n in range(count)]
        # Axis labels: as many as fit without overlapping, evenly spaced.
        labels = data.axis_labels or data.categories
        widest = max(metrics.horizontalAdvance(label) for label in labels) + 8
        stride = max(1, math.ceil(widest / slot))
        painter.setPen(MUTED)
        for n in range(0, count, stride):
            painter.drawText(QRectF(xs[n] - widest / 2, plot.bottom() + 4, widest,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, labels[n])
        show_values = count <= self.SHOW_VALUES_UP_TO and len(data.series) == 1
        for column, series in enumerate(data.series):
            colour = QColor(series.color)
            path = QPainterPath()
            started = False
            points = []
            for n in range(count):
                value = data.values[n][column]
                if value is None:
                    started = False
                    continue
                point = QPointF(xs[n], y_of(value))
                points.append((n, point))
                if started:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    started = True
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour, 2.2))
            painter.drawPath(path)
            radius = 3.2 if count <= 60 else 1.8
            for n, point in points:
                painter.setPen(QPen(Qt.GlobalColor.white, 1))
                painter.setBrush(colour)
                painter.drawEllipse(point, radius, radius)
                if show_values:
                    painter.setPen(INK)
                    painter.drawText(QRectF(point.x() - slot / 2, point.y() - metrics.height()
                                            - 4, slot, metrics.height()),
                                     Qt.AlignmentFlag.AlignCenter, self.value_text(n, column))
        for n, x in enumerate(xs):
            hits.append((QRectF(x - slot / 2, plot.top(), slot, plot.height()
                                + metrics.height() * 1.5), self.describe_row(n)))


class ChartTableModel(QAbstractTableModel):
    """The numbers behind a chart: a line per category, a column per series (and their
    total when stacked, and the notes)."""

    def __init__(self, chart: Chart, parent=None) -> None:
        super().__init__(parent)
        self.chart = chart

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _columns(self) -> list[str]:
        data = self.chart.data
        if data.empty:
            return []
        columns = [data.category_title or _("Item")] + [s.name for s in data.series]
        if data.stacked:
            columns.append(_("Total"))
        if data.notes:
            columns.append(data.note_title)
        return columns

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.chart.data.empty else len(
            self.chart.data.categories)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns())

    def _text(self, row: int, column: int) -> str:
        data = self.chart.data
        if column == 0:
            return data.categories[row]
        column -= 1
        if column < len(data.series):
            return self.chart.value_text(row, column)
        column -= len(data.series)
        if data.stacked:
            if column == 0:
                return self.chart.value_text(row)
            column -= 1
        return data.notes[row] if data.notes else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < self.rowCount()
                                       and 0 <= index.column() < self.columnCount()):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < self.columnCount()):
            return self._columns()[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ChartCard(QFrame):
    """A chart in a card: its title (with an explanation as tooltip), buttons to copy it,
    save it as an image and see the numbers behind it."""

    MAX_TABLE_ROWS = 12

    def __init__(self, chart: Chart, explanation: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setStyleSheet(style.CARD)
        self.chart = chart
        self.title = QLabel(chart.title)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setAccessibleName(chart.title)
        if explanation:  # what the chart counts, under the pointer on its title
            self.title.setToolTip(explanation)

        def tool(text: str, name: str, tip: str) -> QToolButton:
            button = QToolButton()
            button.setText(text)
            button.setAccessibleName(f"{name} — {chart.title}")
            button.setToolTip(tip)
            button.setAutoRaise(True)
            return button

        self.copy_button = tool(_("Copy"), _("Copy the chart"),
                                _("Copy the chart as an image, to paste it into a document "
                                  "or an email"))
        self.save_button = tool(_("Save…"), _("Save the chart as an image"),
                                _("Save the chart as an image (PNG)"))
        self.numbers_button = tool(_("See the figures"), _("See the figures"),
                                   _("Show the numbers behind the chart as a table"))
        self.numbers_button.setCheckable(True)
        self.copy_button.clicked.connect(chart.copy_image)
        self.save_button.clicked.connect(lambda: chart.save_image())
        self.numbers_button.toggled.connect(self.show_numbers)
        toggle = QAction(_("See the figures"), self)
        toggle.triggered.connect(self.numbers_button.toggle)
        chart.extra_actions.append(toggle)

        # The table gets its model when first shown: a hidden table sized to its contents
        # still measures every cell at each change (fourteen cards: half the time the
        # dashboard took to show its first figures, issue 7).
        self.model = ChartTableModel(chart, self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Figures — %(title)s") % {"title": chart.title})
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * 8)
        self.table.hide()

        head = QHBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.title, 1)
        for button in (self.copy_button, self.save_button, self.numbers_button):
            head.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addLayout(head)
        layout.addWidget(chart)
        layout.addWidget(self.table)
        layout.addStretch(1)
        self._update()

    def set_data(self, data: ChartData) -> None:
        self.chart.set_data(data)
        self.model.refresh()
        self._update()

    def show_numbers(self, shown: bool) -> None:
        self.numbers_button.setText(_("See the chart") if shown else _("See the figures"))
        self._update()

    def _update(self) -> None:
        empty = self.chart.is_empty()
        for button in (self.copy_button, self.save_button, self.numbers_button):
            button.setEnabled(not empty)
        numbers = self.numbers_button.isChecked() and not empty
        self.chart.setVisible(not numbers)
        self.table.setVisible(numbers)
        if numbers:
            if self.table.model() is None:
                self.table.setModel(self.model)
            # The labels take the width of the card, the numbers what they need.
            if self.model.columnCount():
                self.table.horizontalHeader().setSectionResizeMode(
                    0, QHeaderView.ResizeMode.Stretch)
            self.table.resizeColumnsToContents()
            rows = min(self.model.rowCount(), self.MAX_TABLE_ROWS)
            height = (self.table.horizontalHeader().sizeHint().height()
                      + self.table.verticalHeader().defaultSectionSize() * rows
                      + 2 * self.table.frameWidth() + 2)
            self.table.setFixedHeight(height)


def bar_data(pairs: Sequence[tuple[str, float | None]], series_name: str,
             category_title: str = "", colour: str = BAR,
             notes: list[str] | None = None, note_title: str = "") -> ChartData:
    """One series of bars from (label, value) pairs."""
    return ChartData(categories=[label for label, _v in pairs],
                     series=[Series(series_name, colour)],
                     values=[[value] for _l, value in pairs],
                     category_title=category_title, notes=notes, note_title=note_title)


__all__ = ["BarChart", "Chart", "ChartCard", "ChartData", "ChartTableModel", "LineChart",
           "Series", "bar_data", "format_value", "nice_step"]
