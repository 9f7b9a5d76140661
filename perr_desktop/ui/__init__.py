"""The PySide6 interface: main window, pages, thin table models and dialogs.

The only package that imports Qt. Views call ``services`` for everything they change and
show :class:`~perr_desktop.errors.UserError` messages as they are; no SQL here.
"""
