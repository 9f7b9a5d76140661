"""SQLite through sqlite-utils: connection, schema migrations, queries, backups.

May import ``perr_desktop.domain``, ``errors``, ``i18n`` and ``paths``; never Qt.
"""
