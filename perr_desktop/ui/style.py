"""The application's look: a few roles given to the widgets that wear them.

There is no application-wide style sheet: with one, Qt draws *every* widget through its
style-sheet style, which made building the main window 20 to 25 ms slower (half of its
construction) and each page's first visit slower in proportion (issue 7, measured with
``benchmarks/bench_startup.py``). The sheets below are set on the few widgets that need a
background or a border (the navigation, banners, chips, error messages, tiles, a refused
field); colours and bold type go through the palette and the font, which cost nothing.
Sizes are relative (``em``) so that everything stays readable at 150 %.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractButton, QWidget

NAVY = "#1f3a5f"
HINT_GREY = "#4a4f57"

NAVIGATION = f"""
QListWidget {{
    background: {NAVY};
    color: #ffffff;
    border: none;
    padding-top: 0.6em;
    outline: 0;
}}
QListWidget::item {{
    padding: 0.55em 1em;
    border-left: 4px solid transparent;
}}
QListWidget::item:selected {{
    background: #2f5687;
    border-left: 4px solid #f2b134;
    color: #ffffff;
}}
QListWidget::item:hover:!selected {{
    background: #28496f;
}}
"""

CARD = """
QFrame#card {
    background: #ffffff;
    border: 1px solid #d5dbe3;
    border-radius: 6px;
}
"""

# A refused field: a red border while its ``invalid`` property is true (ui/autosave.py).
INVALID = '*[invalid="true"] { border: 2px solid #d93025; border-radius: 3px; }'

# Roles that need a background or a border: a sheet on the widget itself.
_SHEETS = {
    "error": """QLabel {
        background: #fdecea;
        border: 1px solid #d93025;
        border-radius: 4px;
        color: #8a1c12;
        padding: 0.4em 0.6em;
    }""",
    "banner": """QLabel {
        background: #fff4d6;
        border-bottom: 1px solid #e0b84a;
        color: #5a4300;
        padding: 0.4em 0.8em;
    }""",
    "chip": f"""QLabel {{
        border-radius: 0.6em;
        padding: 0.1em 0.6em;
        background: #e6eef8;
        color: {NAVY};
    }}""",
}

# Roles that are only a colour: the palette.
_COLOURS = {"hint": HINT_GREY, "section": NAVY}


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` the look of ``role`` (also kept as its ``role`` property):

    - ``hint``: a quiet grey line; ``section``: a bold navy title with room above;
    - ``error``, ``banner``, ``chip``: a coloured box (a sheet on the widget);
    - ``primary`` (a button): bold; another role given after ``primary`` takes the bold
      off again, so that a toggle can go back and forth.
    """
    was_primary = widget.property("role") == "primary"
    widget.setProperty("role", role)
    sheet = _SHEETS.get(role)
    if sheet is not None:
        widget.setStyleSheet(sheet)
    colour = _COLOURS.get(role)
    if colour is not None:
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        widget.setPalette(palette)
    if role == "section":
        _set_bold(widget, True)
        widget.setContentsMargins(0, round(widget.fontMetrics().height() * 0.6), 0, 0)
    if isinstance(widget, QAbstractButton) and (role == "primary" or was_primary):
        _set_bold(widget, role == "primary")


def _set_bold(widget: QWidget, bold: bool) -> None:
    if widget.font().bold() != bold:
        font = QFont(widget.font())
        font.setBold(bold)
        widget.setFont(font)
