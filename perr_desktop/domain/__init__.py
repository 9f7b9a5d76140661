"""The domain: enums, value rules and validation, in plain Python.

Imports nothing from Qt, SQL or the file system; may use ``perr_desktop.i18n`` and
``perr_desktop.errors`` for the messages it raises.
"""
