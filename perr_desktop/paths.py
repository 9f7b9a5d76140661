"""Every path the application uses, resolved in one place.

Order of precedence for the user's files: an explicit argument (``--db``), then the
``PERR_DESKTOP_HOME`` environment variable (tests and portable installs), then the
platform's user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "PERR Desktop"
APP_SLUG = "perr-desktop"
HOME_ENV = "PERR_DESKTOP_HOME"
DB_FILENAME = "perr.sqlite"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_root(name: str) -> Path:
    """A shipped data folder: inside the installed package, else the source tree."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return _data_root("resources")


def translations_dir() -> Path:
    return _data_root("translations")


def guide_path() -> Path:
    """The French user guide (docs/guide-utilisateur.md), shown from the Help menu."""
    return _data_root("docs") / "guide-utilisateur.md"


def data_dir() -> Path:
    """Folder holding the user's database, media and backups."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser()
    return platformdirs.user_data_path(APP_SLUG, appauthor=False)


def config_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser()
    return platformdirs.user_config_path(APP_SLUG, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    return data_dir() / "demonstration.sqlite"


def settings_path() -> Path:
    return config_dir() / "settings.json"


def media_dir(db_path: Path) -> Path:
    """Photos and plans of a database live beside it, one folder per database."""
    return db_path.parent / f"{db_path.stem}-media"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"
