"""Printed documents: reportlab (platypus) PDF, no Qt.

``styles`` is the one place for the page, fonts, colours, paragraph styles, the running
header and footer, and the safe writing of a PDF file. Each other module builds one
document from what the services return, in French or English whatever the interface
language (``build(db, id, lang=...) -> bytes``). Modules here may import ``domain``,
``services``, ``i18n`` and ``paths``; never ``ui`` or Qt.
"""
