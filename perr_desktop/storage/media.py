"""Where the images of a database live: content-addressed files in its media folder.

``<db>-media/ab/abcdef…​.jpg`` is the upright working copy (about 2048 px on its long
side) of the image whose original bytes have the SHA-256 ``abcdef…``, and
``…-thumb.jpg`` its thumbnail. The same photo imported twice is one file.
"""

from __future__ import annotations

from pathlib import Path

from perr_desktop import paths

WORKING_SIZE = 2048
PLAN_SIZE = 3200          # plans keep more detail: street names must stay legible
THUMBNAIL_SIZE = 320


def folder(db_path: Path, sha256: str) -> Path:
    return paths.media_dir(db_path) / sha256[:2]


def working_path(db_path: Path, sha256: str) -> Path:
    return folder(db_path, sha256) / f"{sha256}.jpg"


def thumbnail_path(db_path: Path, sha256: str) -> Path:
    return folder(db_path, sha256) / f"{sha256}-thumb.jpg"
