"""Text rules shared by every record: trimming, search keys, dates typed by people."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from perr_desktop.errors import ValidationError
from perr_desktop.i18n import _

_SPACES = re.compile(r"\s+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


def clean(text: str | None) -> str:
    """Trim and collapse inner whitespace; typographic apostrophes become straight ones."""
    if text is None:
        return ""
    return _SPACES.sub(" ", str(text).translate(_APOSTROPHES)).strip()


def search_key(*parts: str | None) -> str:
    """Lower-case, accent-free text that a search typed without accents still finds."""
    text = " ".join(clean(p) for p in parts if p).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def parse_iso_date(value: str | dt.date | None, field: str) -> dt.date | None:
    """A stored or typed ISO date, or a ValidationError naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            _("%(value)s is not a valid date.") % {"value": value}, field
        ) from None


def require_text(value: str | None, field: str, message: str) -> str:
    text = clean(value)
    if not text:
        raise ValidationError(message, field)
    return text


MAX_TEXT = 10_000
MAX_LINE = 300


def limit_length(value: str, field: str, maximum: int = MAX_LINE) -> str:
    if len(value) > maximum:
        raise ValidationError(
            _("This text is too long (%(length)d characters; at most %(max)d).")
            % {"length": len(value), "max": maximum},
            field,
        )
    return value
