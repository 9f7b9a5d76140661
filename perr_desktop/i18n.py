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
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

    from babel import Locale


class _Later:
    """A module of Babel (or one of its names), imported on first use: importing Babel
    and its locale data takes longer than Qt takes to show a window, and the window's
    start, like most commands, prints no date before its first page is on screen."""

    def __init__(self, module: str, name: str | None = None) -> None:
        self._module, self._name = module, name

    def __getattr__(self, attr: str) -> Any:
        target = importlib.import_module(self._module)
        if self._name is not None:
            target = getattr(target, self._name)
        return getattr(target, attr)


babel_dates: Any = _Later("babel.dates")
babel_numbers: Any = _Later("babel.numbers")
_Locale: Any = _Later("babel", "Locale")

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
    # The standard library reads the compiled catalogues (Babel writes them), opened by
    # their path: ``gettext.translation`` would first work out the system's language
    # variants (importing ``locale``), a few milliseconds of every start (issue 7).
    path = translations_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    except OSError:
        return _gettext.NullTranslations()


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


def locale_name(lang: str | None = None) -> str:
    """``fr_FR`` or ``en_GB``: the locale of ``lang`` (default: the interface's)."""
    return _LOCALES[lang or _current_language]


def locale(lang: str | None = None) -> Locale:
    return _parsed_locale(_LOCALES[lang or _current_language])


@functools.cache
def _parsed_locale(name: str) -> Locale:
    # Parsed once: the dashboard formats a few hundred numbers at each filter change.
    return _Locale.parse(name)


def format_date(value: dt.date, format: str = "long", lang: str | None = None) -> str:
    return babel_dates.format_date(value, format=format, locale=locale(lang))


def format_skeleton(skeleton: str, value: dt.date, lang: str | None = None) -> str:
    """A date by CLDR skeleton: ``yMMMEd`` is « jeu. 26 nov. 2026 » / « Thu, Nov 26, 2026 »."""
    return babel_dates.format_skeleton(skeleton, value, locale=locale(lang))


def format_moment(value: dt.datetime, lang: str | None = None) -> str:
    """A local moment to the minute, with the day of the week: « jeu. 26 nov. 2026, 14:31 »
    (lists of backups and exchange packages: seconds say nothing to a reader)."""
    return babel_dates.get_datetime_format("medium", locale=locale(lang)).replace(
        "{1}", format_skeleton("yMMMEd", value, lang)).replace(
        "{0}", format_time(value, "short", lang))


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
