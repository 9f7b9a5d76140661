"""The neighbourhood plan with numbered pins: stops and observations, placed by clicking.

Positions are stored as fractions of the plan's width and height, so they stay right
whatever the size the plan is shown or printed at.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from perr_desktop.i18n import _

STOP_COLOUR = QColor("#1f3a5f")
POSITIVE_COLOUR = QColor("#2e7d32")
NEGATIVE_COLOUR = QColor("#c62828")


class Pin(QGraphicsEllipseItem):
    def __init__(self, number: int, colour: QColor, radius: float, square: bool = False
                 ) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.setBrush(QBrush(colour))
        self.setPen(QPen(QColor("white"), radius / 5))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(2 if square else 3)
        label = QGraphicsSimpleTextItem(str(number), self)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(radius * 1.1))
        label.setFont(font)
        label.setBrush(QBrush(QColor("white")))
        box = label.boundingRect()
        label.setPos(-box.width() / 2, -box.height() / 2)


class PlanView(QGraphicsView):
    """Shows the plan; in placing mode a click emits ``placed(x, y)`` as fractions."""

    placed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setAccessibleName(_("Neighbourhood plan"))
        self.pixmap_item: QGraphicsPixmapItem | None = None
        self.placing = False
        self.radius = self.fontMetrics().height() * 0.8

    def set_plan(self, path: str | None) -> None:
        self.scene().clear()
        self.pixmap_item = None
        if path:
            pixmap = QPixmap(path)
            if not pixmap.isNull():
                self.pixmap_item = self.scene().addPixmap(pixmap)
                self.scene().setSceneRect(QRectF(pixmap.rect()))
                self.fit()
                return
        text = self.scene().addSimpleText(_("No plan yet: add the plan image the city gave "
                                            "you, then place the stops by clicking."))
        text.setBrush(QBrush(QColor("#4a4f57")))

    def fit(self) -> None:
        if self.pixmap_item is not None:
            self.fitInView(self.pixmap_item, Qt.AspectRatioMode.KeepAspectRatio)

    def show_pins(self, stops: list[dict[str, Any]], observations: list[dict[str, Any]]) -> None:
        if self.pixmap_item is None:
            return
        for item in list(self.scene().items()):
            if isinstance(item, Pin):
                self.scene().removeItem(item)
        size = self.pixmap_item.pixmap().size()
        for stop in stops:
            if stop["plan_x"] is not None:
                pin = Pin(stop["position"], STOP_COLOUR, self.radius * 1.15, square=True)
                pin.setPos(stop["plan_x"] * size.width(), stop["plan_y"] * size.height())
                pin.setToolTip(_("Stop %(number)d: %(name)s") % {
                    "number": stop["position"], "name": stop["name"]})
                self.scene().addItem(pin)
        for observation in observations:
            if observation["plan_x"] is not None:
                colour = POSITIVE_COLOUR if observation["positive"] else NEGATIVE_COLOUR
                pin = Pin(observation["number"], colour, self.radius * 0.85)
                pin.setPos(observation["plan_x"] * size.width(),
                           observation["plan_y"] * size.height())
                pin.setToolTip(_("Observation %(number)d: %(text)s") % {
                    "number": observation["number"],
                    "text": (observation["description"] or "")[:80]})
                self.scene().addItem(pin)

    def set_placing(self, on: bool) -> None:
        self.placing = on and self.pixmap_item is not None
        self.setDragMode(QGraphicsView.DragMode.NoDrag if self.placing
                         else QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if self.placing
                                  else Qt.CursorShape.OpenHandCursor)

    def mousePressEvent(self, event) -> None:
        if self.placing and self.pixmap_item is not None \
                and event.button() == Qt.MouseButton.LeftButton:
            point: QPointF = self.mapToScene(event.position().toPoint())
            size = self.pixmap_item.pixmap().size()
            x, y = point.x() / size.width(), point.y() / size.height()
            if 0 <= x <= 1 and 0 <= y <= 1:
                self.placed.emit(x, y)
            return
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def wheelEvent(self, event) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)
