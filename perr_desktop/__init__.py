"""PERR Desktop: the offline tool of GrandAngoulême's citizen-council facilitators.

Layers (each folder's docstring says what it may import):
``domain`` and ``services`` are plain Python, ``storage`` speaks SQLite, ``reports``
writes PDF with reportlab, ``ui`` is the only place that imports Qt.
"""

__version__ = "0.1.0"
