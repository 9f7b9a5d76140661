"""The application's look: one style sheet, relative sizes only (readable at 150 %)."""

STYLE_SHEET = """
QListWidget#navigation {
    background: #1f3a5f;
    color: #ffffff;
    border: none;
    padding-top: 0.6em;
    outline: 0;
}
QListWidget#navigation::item {
    padding: 0.55em 1em;
    border-left: 4px solid transparent;
}
QListWidget#navigation::item:selected {
    background: #2f5687;
    border-left: 4px solid #f2b134;
    color: #ffffff;
}
QListWidget#navigation::item:hover:!selected {
    background: #28496f;
}
QLabel[role="hint"] {
    color: #4a4f57;
}
QLabel[role="error"] {
    background: #fdecea;
    border: 1px solid #d93025;
    border-radius: 4px;
    color: #8a1c12;
    padding: 0.4em 0.6em;
}
QLabel[role="banner"] {
    background: #fff4d6;
    border-bottom: 1px solid #e0b84a;
    color: #5a4300;
    padding: 0.4em 0.8em;
}
QLabel[role="chip"] {
    border-radius: 0.6em;
    padding: 0.1em 0.6em;
    background: #e6eef8;
    color: #1f3a5f;
}
*[invalid="true"] {
    border: 2px solid #d93025;
    border-radius: 3px;
}
QPushButton[role="primary"] {
    font-weight: bold;
}
QLabel[role="section"] {
    font-weight: bold;
    color: #1f3a5f;
    padding-top: 0.6em;
}
QFrame#card {
    background: #ffffff;
    border: 1px solid #d5dbe3;
    border-radius: 6px;
}
"""
