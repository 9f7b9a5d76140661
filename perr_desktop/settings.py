"""The user's preferences on this laptop (not in the database: they do not travel).

A small JSON file in the configuration folder, written atomically so a crash never
leaves it half-written; a damaged file is set aside and defaults are used.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from perr_desktop import paths
from perr_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES
from perr_desktop.storage.files import write_atomically

MAX_RETENTION_YEARS = 20


@dataclass
class Settings:
    language: str = DEFAULT_LANGUAGE
    default_council_id: str | None = None
    last_database: str | None = None
    # Contact details of people inactive this long are proposed for erasure (RGPD).
    retention_years: int = 3
    # The folder Nextcloud, Syncthing or a USB key carries between laptops (exchange).
    shared_folder: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or paths.settings_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                path.replace(path.with_name(path.name + ".damaged"))
            return cls()
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: v for k, v in data.items() if k in known})
        if settings.language not in LANGUAGES:
            settings.language = DEFAULT_LANGUAGE
        if (isinstance(settings.retention_years, bool)
                or not isinstance(settings.retention_years, int)
                or not 1 <= settings.retention_years <= MAX_RETENTION_YEARS):
            settings.retention_years = cls.retention_years
        if not isinstance(settings.shared_folder, str | None):
            settings.shared_folder = None
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or paths.settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(asdict(self), indent=2,
                                          ensure_ascii=False).encode("utf-8"))
