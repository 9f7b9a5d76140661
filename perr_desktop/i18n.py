"""Translations and locale-aware formatting, in one place.

Strings are marked by explicit import::

    from perr_desktop.i18n import _, N_, ngettext

``_`` translates into the interface language; ``N_`` only marks a module-level constant
that is translated when shown (``_(CONSTANT)``). Message ids are English; the French
catalogue is complete (a test fails otherwise) and French is the default language.
Dates and numbers always go through Babel, never ``strftime``.

Documents can be written in a language other than the interface's: take a
:func:`translator` for that language and format with ``lang=``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.support import Translations

DOMAIN = "messages"
DEFAULT_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")
# Shown in the language chooser: each language in its own name, never translated.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_current_language = DEFAULT_LANGUAGE


@functools.cache
def translator(lang: str) -> _gettext.NullTranslations:
    """The catalogue of ``lang`` (a NullTranslations, i.e. English ids, if missing)."""
    from perr_desktop.paths import translations_dir

    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return Translations.load(str(translations_dir()), [lang], DOMAIN)


def set_language(lang: str) -> None:
    global _current_language
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _current_language = lang


def get_language() -> str:
    return _current_language


def _(message: str) -> str:
    return translator(_current_language).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(_current_language).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translator(_current_language).pgettext(context, message)


def locale(lang: str | None = None) -> Locale:
    return Locale.parse(_LOCALES[lang or _current_language])


def format_date(value: dt.date, format: str = "long", lang: str | None = None) -> str:
    return babel_dates.format_date(value, format=format, locale=locale(lang))


def format_datetime(
    value: dt.datetime, format: str = "medium", lang: str | None = None, tzinfo=None
) -> str:
    return babel_dates.format_datetime(value, format=format, tzinfo=tzinfo, locale=locale(lang))


def format_time(
    value: dt.time | dt.datetime, format: str = "short", lang: str | None = None
) -> str:
    return babel_dates.format_time(value, format=format, locale=locale(lang))


def format_number(value: int | float | Decimal, lang: str | None = None) -> str:
    return babel_numbers.format_decimal(value, locale=locale(lang))


def format_percent(value: float, lang: str | None = None) -> str:
    return babel_numbers.format_percent(value, locale=locale(lang))


def date_pattern(lang: str | None = None) -> str:
    """The short date pattern of the locale (``dd/MM/y`` in French), for date editors."""
    return locale(lang).date_formats["short"].pattern


def parse_date(text: str, lang: str | None = None) -> dt.date:
    """A date typed by the user in the locale's short format (or ISO 8601)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    return babel_dates.parse_date(text, locale=locale(lang))
