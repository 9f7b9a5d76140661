"""The Qt binding itself: a regression of PySide6 6.12.0 would abort the application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox


def test_none_as_item_data_keeps_its_references(qtbot):
    # Combo boxes hold None for « all councils », « not known »… PySide6 6.12.0 loses a
    # reference to None at each such call; on Python 3.11 the interpreter then aborts
    # ("deallocating None") in the middle of the facilitator's work.
    combo = QComboBox()
    qtbot.addWidget(combo)
    before = sys.getrefcount(None)
    for _ in range(2000):
        combo.addItem("x", None)
    combo.setCurrentIndex(0)
    for _ in range(2000):
        combo.currentData()
        combo.itemData(0)
        combo.findData(None)
    assert sys.getrefcount(None) >= before - 100
